// SPDX-License-Identifier: GPL-2.0
/* mutex_storm: T threads fight over one pthread mutex, ns per lock/unlock (all threads). */
#include <pthread.h>

#include "bench.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter;
static long iters;

/*
 * As much work outside the lock as inside it: the lock changes hands often and waiters really
 * sleep in futex, instead of one thread re-taking an uncontended lock.
 */
static void *worker(void *arg)
{
	volatile unsigned long local = 0;
	long i;
	int j;

	for (i = 0; i < iters; i++) {
		pthread_mutex_lock(&lock);
		for (j = 0; j < 100; j++)
			counter++;
		pthread_mutex_unlock(&lock);
		for (j = 0; j < 100; j++)
			local++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long nthreads, i;
	unsigned long long t0, t1;
	pthread_t th[64];

	iters = argc > 1 ? bench_count(argv[1], "iterations") : 200000;
	nthreads = argc > 2 ? bench_count(argv[2], "threads") : 4;
	if (nthreads > 64) {
		fprintf(stderr, "bench: at most 64 threads\n");
		return 2;
	}
	t0 = bench_now_ns();
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 1;
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	t1 = bench_now_ns();
	bench_report("mutex", iters * nthreads, t1 - t0);
	return 0;
}
