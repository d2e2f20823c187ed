// SPDX-License-Identifier: GPL-2.0
/* The task life cycle every model goes through (claim, run, check, count) and small helpers. */
#include "wl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

double ct_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Anonymous memory that stays shared with the workers a model forks. @return NULL on failure */
void *ct_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void ct_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

int ct_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/*
 * Hand out the next task, unless all were handed out or the time box is over. Tasks already
 * handed out still run to the end, so the time box bounds what is started, not what is finished.
 */
bool ct_task_claim(struct ct_run *r, struct ct_task *t)
{
	uint64_t id;

	if (ct_now() >= r->deadline) {
		if (atomic_load(&r->next) < r->ntasks)
			atomic_store(&r->st->timed_out, true);
		return false;
	}
	id = atomic_fetch_add(&r->next, 1);
	if (id >= r->ntasks)
		return false;
	memset(t, 0, sizeof(*t));
	t->id = id;
	if (r->wl->input)
		r->wl->input(r, t);
	return true;
}

/* Check a finished task's answer and count it as done or as an error. */
void ct_task_finish(struct ct_run *r, struct ct_task *t)
{
	if (!t->err && r->wl->check && r->wl->check(r, t)) {
		t->err = 1;
		ct_task_fail(r, t, "wrong result %#llx", (unsigned long long)t->out);
	}
	if (t->err)
		atomic_fetch_add(&r->st->errors, 1);
	else
		atomic_fetch_add(&r->st->done, 1);
}

/* Say why a task failed; only the first failure of a run is printed, the rest are counted. */
void ct_task_fail(struct ct_run *r, const struct ct_task *t, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (atomic_exchange(&r->st->warned, true))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s task %llu: %s\n", CT_PROG, r->wl->name,
		(unsigned long long)t->id, msg);
}

void ct_worker_init(struct ct_worker *w, struct ct_run *r)
{
	memset(w, 0, sizeof(*w));
	w->run = r;
	w->conn = -1;
}

void ct_worker_fini(struct ct_worker *w)
{
	if (w->conn >= 0) {
		close(w->conn);
		ct_conn_closed(w->run);
		w->conn = -1;
	}
	free(w->buf);
	w->buf = NULL;
	w->buf_len = 0;
}

/*
 * Lock a workload's mutex. Under the gil model (the worker's hold) a thread that would block
 * releases the GIL while it waits, as CPython's lock.acquire() does; otherwise two threads could
 * each hold what the other waits for.
 */
void ct_mutex_lock(struct ct_worker *w, pthread_mutex_t *m)
{
	if (!w->hold) {
		pthread_mutex_lock(m);
		return;
	}
	if (!pthread_mutex_trylock(m))
		return;
	w->hold->release(w);
	pthread_mutex_lock(m);
	w->hold->acquire(w);
}

void ct_conn_opened(struct ct_run *r)
{
	long now = atomic_fetch_add(&r->st->conns, 1) + 1;
	long max = atomic_load(&r->st->conns_max);

	while (now > max && !atomic_compare_exchange_weak(&r->st->conns_max, &max, now))
		;
}

void ct_conn_closed(struct ct_run *r)
{
	atomic_fetch_sub(&r->st->conns, 1);
}

/* splitmix64's finalizer: a cheap, well-mixed hash of a 64-bit value. */
uint64_t ct_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Fill @buf with a deterministic pseudo-random pattern (xorshift64) seeded by @seed. */
void ct_fill(void *buf, size_t len, uint64_t seed)
{
	uint64_t x = ct_mix64(seed) | 1;
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
	x ^= x << 13;
	for (; i < len; i++, x >>= 8)
		p[i] = (unsigned char)x;
}
