// SPDX-License-Identifier: GPL-2.0
/* The threads model: a pthread pool fed through a mutex + condition variable work queue. */
#include "wl.h"
#include "pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREAD_STACK	(256 * 1024)	/* tasks need little stack; 10k threads fit in memory */

/*
 * The main thread claims tasks and pushes them into a bounded queue (one slot per worker, so
 * little is queued when the time box ends); workers pop, run and check them. This is
 * concurrent.futures.ThreadPoolExecutor's shape. The gil model runs this same pool with a
 * GIL: queue waits release it, as a blocking queue.get() does in CPython.
 */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty;
	pthread_cond_t not_full;
	struct ct_task *ring;
	size_t cap, head, len;
	bool closed;
};

struct thread {
	pthread_t tid;
	struct ct_worker w;
	struct queue *q;
};

static void queue_push(struct ct_worker *w, struct queue *q, const struct ct_task *t)
{
	ct_block_begin(w);
	pthread_mutex_lock(&q->mu);
	while (q->len == q->cap)
		pthread_cond_wait(&q->not_full, &q->mu);
	q->ring[(q->head + q->len++) % q->cap] = *t;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
	ct_block_end(w);
}

/* @return false when the queue is closed and empty */
static bool queue_pop(struct ct_worker *w, struct queue *q, struct ct_task *t)
{
	bool ok;

	ct_block_begin(w);
	pthread_mutex_lock(&q->mu);
	while (!q->len && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->mu);
	ok = q->len > 0;
	if (ok) {
		*t = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->mu);
	ct_block_end(w);
	return ok;
}

static void queue_close(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

static void *worker_main(void *arg)
{
	struct thread *th = arg;
	struct ct_worker *w = &th->w;
	struct ct_task t;

	if (w->hold)
		w->hold->acquire(w);	/* a new thread takes the GIL before it runs Python code */
	while (queue_pop(w, th->q, &t)) {
		w->run->wl->task(w, &t);
		ct_task_finish(w->run, &t);
	}
	ct_worker_fini(w);
	if (w->hold)
		w->hold->release(w);
	return NULL;
}

/* Start up to r->workers threads; @return how many started */
static int start_threads(struct ct_run *r, void (*attach)(struct ct_worker *w, void *arg),
			 void *arg, struct thread *th, struct queue *q)
{
	pthread_attr_t attr;
	int i, err = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (i = 0; i < r->workers && !err; i++) {
		ct_worker_init(&th[i].w, r);
		if (attach)
			attach(&th[i].w, arg);
		th[i].q = q;
		err = pthread_create(&th[i].tid, &attr, worker_main, &th[i]);
	}
	pthread_attr_destroy(&attr);
	if (err) {
		fprintf(stderr, "%s: started %d of %d threads: %s\n", CT_PROG, i - 1, r->workers,
			strerror(err));
		i--;
	}
	return i;
}

int ct_pool_run(struct ct_run *r, void (*attach)(struct ct_worker *w, void *arg), void *arg)
{
	struct queue q = { .cap = r->workers };
	struct ct_worker main_w;
	struct thread *th;
	struct ct_task t;
	int i, n;

	th = calloc(r->workers, sizeof(*th));
	q.ring = calloc(q.cap, sizeof(*q.ring));
	if (!th || !q.ring) {
		free(th);
		free(q.ring);
		return -ENOMEM;
	}
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.not_empty, NULL);
	pthread_cond_init(&q.not_full, NULL);
	ct_worker_init(&main_w, r);
	if (attach)
		attach(&main_w, arg);
	if (main_w.hold)
		main_w.hold->acquire(&main_w);	/* the main thread holds the GIL while it submits */
	n = start_threads(r, attach, arg, th, &q);
	r->workers = n ? n : r->workers;
	while (n && ct_task_claim(r, &t))
		queue_push(&main_w, &q, &t);
	queue_close(&q);
	if (main_w.hold)
		main_w.hold->release(&main_w);
	for (i = 0; i < n; i++)
		pthread_join(th[i].tid, NULL);
	pthread_cond_destroy(&q.not_full);
	pthread_cond_destroy(&q.not_empty);
	pthread_mutex_destroy(&q.mu);
	free(q.ring);
	free(th);
	return n ? 0 : -EAGAIN;
}

static int threads_run(struct ct_run *r)
{
	return ct_pool_run(r, NULL, NULL);
}

const struct ct_model model_threads = {
	.name		= "threads",
	.summary	= "a pthread pool fed by a mutex + condvar work queue (ThreadPoolExecutor)",
	.run		= threads_run,
};
