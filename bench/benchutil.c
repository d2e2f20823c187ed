// SPDX-License-Identifier: GPL-2.0
/* benchutil: CLOCK_MONOTONIC stamps that time how long a tracer takes to get its probes live. */
#include <unistd.h>

#include "bench.h"

static int usage(void)
{
	fprintf(stderr, "usage: benchutil now | benchutil stamp CMD [ARGS...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		/* The traced command: the first thing it does is say when it started. */
		printf("bench-start-ns %llu\n", bench_now_ns());
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "stamp")) {
		/* The launcher: stamp, then become the tracer (exec keeps the stamp honest). */
		fprintf(stderr, "bench-launch-ns %llu\n", bench_now_ns());
		fflush(stderr);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "benchutil: exec %s: %s\n", argv[2], strerror(errno));
		return 127;
	}
	return usage();
}
