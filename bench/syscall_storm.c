// SPDX-License-Identifier: GPL-2.0
/* syscall_storm: N getppid() calls in a tight loop, reported as ns per call. */
#include <unistd.h>
#include <sys/syscall.h>

#include "bench.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? bench_count(argv[1], "count") : 1000000;
	unsigned long long t0, t1;
	long i;

	/* Raw syscall so no libc caching can ever elide it. */
	t0 = bench_now_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = bench_now_ns();
	bench_report("syscall", n, t1 - t0);
	return 0;
}
