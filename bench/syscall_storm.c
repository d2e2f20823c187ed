// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_storm: N cheap syscalls in a tight loop, reported as ns per call: getppid() (default),
 * which conctrace counts but does not time, or with "close" close(-1), which fails with EBADF at
 * once but is one of the syscalls conctrace times (close can block).
 */
#include <unistd.h>
#include <sys/syscall.h>

#include "bench.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? bench_count(argv[1], "count") : 1000000;
	int timed = argc > 2 && !strcmp(argv[2], "close");
	unsigned long long t0, t1;
	long i;

	if (argc > 2 && !timed) {
		fprintf(stderr, "syscall_storm: unknown syscall '%s' (getppid or close)\n", argv[2]);
		return 2;
	}

	/* Raw syscall so no libc caching can ever elide it. */
	t0 = bench_now_ns();
	if (timed) {
		for (i = 0; i < n; i++)
			syscall(SYS_close, -1);
	} else {
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
	}
	t1 = bench_now_ns();
	bench_report(timed ? "syscall-timed" : "syscall", n, t1 - t0);
	return 0;
}
