// SPDX-License-Identifier: GPL-2.0
/* futex_pingpong: two threads hand a turn back and forth through a futex, ns per round trip. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

static _Atomic int turn;	/* 0: ping's turn, 1: pong's turn */
static long rounds;
static int ncpus;

static void futex_wait(_Atomic int *addr, int val)
{
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic int *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Wait for our turn (sleeping in the kernel, never spinning), then pass it on. */
static void play(int me)
{
	long i;

	for (i = 0; i < rounds; i++) {
		while (atomic_load(&turn) != me)
			futex_wait(&turn, !me);
		atomic_store(&turn, !me);
		futex_wake(&turn);
	}
}

static void *pong(void *arg)
{
	bench_pin(ncpus == 1 ? 0 : 1);
	play(1);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long long t0, t1;
	pthread_t th;
	char name[32];

	rounds = argc > 1 ? bench_count(argv[1], "rounds") : 100000;
	ncpus = argc > 2 ? (int)bench_count(argv[2], "cpus") : 1;
	if (ncpus > 2) {
		fprintf(stderr, "bench: cpus must be 1 or 2\n");
		return 2;
	}
	bench_pin(0);
	if (pthread_create(&th, NULL, pong, NULL)) {
		fprintf(stderr, "bench: pthread_create failed\n");
		return 1;
	}
	t0 = bench_now_ns();
	play(0);
	pthread_join(th, NULL);
	t1 = bench_now_ns();
	snprintf(name, sizeof(name), "futex-%dcpu", ncpus);
	bench_report(name, rounds, t1 - t0);
	return 0;
}
