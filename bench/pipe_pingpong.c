// SPDX-License-Identifier: GPL-2.0
/* pipe_pingpong: two processes bounce one byte through a pair of pipes, ns per round trip. */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static void xfer(int rfd, int wfd, long rounds, int first)
{
	char c = 'x';
	long i;

	for (i = 0; i < rounds; i++) {
		if (first && write(wfd, &c, 1) != 1)
			exit(1);
		if (read(rfd, &c, 1) != 1)
			exit(1);
		if (!first && write(wfd, &c, 1) != 1)
			exit(1);
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? bench_count(argv[1], "rounds") : 100000;
	int ncpus = argc > 2 ? (int)bench_count(argv[2], "cpus") : 1;
	unsigned long long t0, t1;
	int ab[2], ba[2], status;
	char name[32];
	pid_t pid;

	if (ncpus > 2 || pipe(ab) || pipe(ba)) {
		fprintf(stderr, "bench: cpus must be 1 or 2, or pipe() failed\n");
		return 2;
	}
	bench_pin(0);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		bench_pin(ncpus == 1 ? 0 : 1);
		xfer(ab[0], ba[1], rounds, 0);
		_exit(0);
	}
	t0 = bench_now_ns();
	xfer(ba[0], ab[1], rounds, 1);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	t1 = bench_now_ns();
	snprintf(name, sizeof(name), "pipe-%dcpu", ncpus);
	bench_report(name, rounds, t1 - t0);
	return 0;
}
