// SPDX-License-Identifier: GPL-2.0
/* The gil model: the threads pool, but task code runs only while holding one interpreter lock. */
#include "wl.h"
#include "pool.h"

#include <errno.h>
#include <time.h>

/*
 * CPython 3's GIL (Python/ceval_gil.h, FORCE_SWITCHING): a flag under a mutex, and a condvar
 * waiters sleep on for one switch interval at a time. A waiter whose wait timed out with no
 * switch meanwhile sets the drop request; the holder sees it at its next checkpoint (the eval
 * loop's "eval breaker", here ct_tick()) and drops the GIL, then waits on switch_cond until
 * another thread has taken it, so it cannot simply take it back. Blocking calls release the
 * GIL around the call (Py_BEGIN_ALLOW_THREADS), here ct_block_begin()/ct_block_end().
 */
struct ct_gil {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	bool locked;
	unsigned long switch_number;
	pthread_mutex_t switch_mutex;
	pthread_cond_t switch_cond;
	const struct ct_worker *last_holder;	/* written under both mutexes */
	atomic_int drop_request;
	long interval_ns;
};

/* take_gil() */
static void gil_acquire(struct ct_worker *w)
{
	struct ct_gil *g = w->hold_state;
	unsigned long saved;
	struct timespec ts;
	int rc;

	pthread_mutex_lock(&g->mutex);
	while (g->locked) {
		saved = g->switch_number;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += g->interval_ns;
		ts.tv_sec += ts.tv_nsec / 1000000000;
		ts.tv_nsec %= 1000000000;
		rc = pthread_cond_timedwait(&g->cond, &g->mutex, &ts);
		/* Timed out and nobody switched meanwhile: ask the holder to drop it. */
		if (rc == ETIMEDOUT && g->locked && g->switch_number == saved)
			atomic_store(&g->drop_request, 1);
	}
	pthread_mutex_lock(&g->switch_mutex);
	g->locked = true;
	if (g->last_holder != w) {
		g->last_holder = w;
		g->switch_number++;
	}
	pthread_cond_signal(&g->switch_cond);
	pthread_mutex_unlock(&g->switch_mutex);
	atomic_store(&g->drop_request, 0);
	pthread_mutex_unlock(&g->mutex);
}

/* drop_gil() */
static void gil_release(struct ct_worker *w)
{
	struct ct_gil *g = w->hold_state;

	pthread_mutex_lock(&g->mutex);
	g->locked = false;
	pthread_cond_signal(&g->cond);
	pthread_mutex_unlock(&g->mutex);
	if (!atomic_load(&g->drop_request))
		return;
	/* A forced switch: wait until the thread that asked has the GIL. */
	pthread_mutex_lock(&g->switch_mutex);
	if (g->last_holder == w) {
		atomic_store(&g->drop_request, 0);
		while (g->last_holder == w)
			pthread_cond_wait(&g->switch_cond, &g->switch_mutex);
	}
	pthread_mutex_unlock(&g->switch_mutex);
}

/* The eval breaker: somebody asked for the GIL, so hand it over and queue up again. */
static void gil_yield(struct ct_worker *w)
{
	gil_release(w);
	gil_acquire(w);
}

static const struct ct_hold_ops gil_ops = {
	.acquire	= gil_acquire,
	.release	= gil_release,
	.yield		= gil_yield,
};

/* The pool's hook: each worker, and the submitting main thread, runs under the GIL @arg. */
static void gil_attach(struct ct_worker *w, void *arg)
{
	struct ct_gil *gil = arg;

	w->hold = &gil_ops;
	w->hold_state = gil;
	w->hold_drop = &gil->drop_request;
}

static int gil_run(struct ct_run *r)
{
	struct ct_gil g = { .interval_ns = (long)(r->switch_interval_ms * 1e6) };
	pthread_condattr_t attr;
	int err;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&g.mutex, NULL);
	pthread_cond_init(&g.cond, &attr);
	pthread_mutex_init(&g.switch_mutex, NULL);
	pthread_cond_init(&g.switch_cond, NULL);
	pthread_condattr_destroy(&attr);
	err = ct_pool_run(r, gil_attach, &g);
	pthread_cond_destroy(&g.switch_cond);
	pthread_mutex_destroy(&g.switch_mutex);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.mutex);
	return err;
}

const struct ct_model model_gil = {
	.name		= "gil",
	.summary	= "the threads pool under one global interpreter lock, switched like CPython's",
	.run		= gil_run,
};
