/* SPDX-License-Identifier: GPL-2.0 */
/* bench.h: clock, CPU pinning and result-line helpers shared by the bench targets. */
#ifndef CT_BENCH_H
#define CT_BENCH_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline unsigned long long bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Pin the calling thread (tid 0) to one CPU; exit on failure, a silent miss would skew results. */
static inline void bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "bench: sched_setaffinity(cpu %d): %s\n", cpu, strerror(errno));
		exit(1);
	}
}

/* Parse a positive count; exit 2 on anything else. */
static inline long bench_count(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0) {
		fprintf(stderr, "bench: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

/* The one result line run.sh parses: "bench NAME ops=N ns_per_op=X". */
static inline void bench_report(const char *name, long ops, unsigned long long ns)
{
	printf("bench %s ops=%ld ns_per_op=%.2f elapsed_ns=%llu\n", name, ops,
	       (double)ns / (double)ops, ns);
	fflush(stdout);
}

#endif /* CT_BENCH_H */
