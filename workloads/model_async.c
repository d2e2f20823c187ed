// SPDX-License-Identifier: GPL-2.0
/* The async model: one thread, one epoll loop, requests as explicit state-machine coroutines. */
#include "wl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

/*
 * Each coroutine takes a task, starts its request on a nonblocking socket (ct_io_begin) and,
 * when the request would block, parks on epoll until its socket is ready (ct_io_step), as an
 * asyncio Task awaiting a socket does. r->workers coroutines keep that many requests in flight.
 * Workloads without I/O run on the loop and block it, as CPU-bound code does in asyncio: one
 * task after another, with a turn of the loop (a zero-timeout epoll_wait) between them.
 */
#define STALL_S		30	/* no socket became ready for this long: fail what is in flight */
#define MAX_EVENTS	1024

struct coro {
	struct ct_worker w;
	struct ct_task t;
	struct ct_io io;
	int reg_fd;			/* the fd registered with epoll, -1 none */
	uint32_t reg_events;
	bool busy;
};

struct loop {
	struct ct_run *r;
	int ep;
	int active;			/* coroutines with a request in flight */
};

/* Park @c on epoll until its socket is ready for @st. @return 0 or -errno */
static int coro_park(struct loop *l, struct coro *c, enum ct_io_status st)
{
	struct epoll_event ev = { .data.ptr = c };
	int op = EPOLL_CTL_MOD;

	ev.events = st == CT_IO_WANT_READ ? EPOLLIN : EPOLLOUT;
	if (c->reg_fd != c->io.fd)
		op = EPOLL_CTL_ADD;
	else if (c->reg_events == ev.events)
		return 0;
	if (epoll_ctl(l->ep, op, c->io.fd, &ev))
		return -errno;
	c->reg_fd = c->io.fd;
	c->reg_events = ev.events;
	return 0;
}

/*
 * Finish @c's request if @st says it ended, and start the next ones until one has to wait.
 * @return 0 or -errno
 */
static int coro_run(struct loop *l, struct coro *c, enum ct_io_status st)
{
	for (;;) {
		if (st == CT_IO_WANT_READ || st == CT_IO_WANT_WRITE)
			return coro_park(l, c, st);
		if (c->busy) {
			ct_task_finish(l->r, &c->t);
			/* A closed fd left epoll by itself; its number may come back for a new socket. */
			if (c->w.conn != c->reg_fd)
				c->reg_fd = -1;
		}
		if (!ct_task_claim(l->r, &c->t)) {
			if (c->busy)
				l->active--;
			c->busy = false;
			ct_worker_fini(&c->w);
			return 0;
		}
		if (!c->busy)
			l->active++;
		c->busy = true;
		st = ct_io_begin(&c->io, &c->w, &c->t, true);
	}
}

/* Give up on requests that made no progress for STALL_S seconds. */
static void fail_stalled(struct loop *l, struct coro *co, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!co[i].busy)
			continue;
		co[i].t.err = 1;
		ct_task_fail(l->r, &co[i].t, "no reply for %d s", STALL_S);
		if (co[i].io.fd >= 0 && co[i].io.fd != co[i].w.conn) {
			close(co[i].io.fd);
			ct_conn_closed(l->r);
		}
		ct_task_finish(l->r, &co[i].t);
		ct_worker_fini(&co[i].w);
		co[i].busy = false;
	}
	l->active = 0;
}

static int io_loop(struct loop *l, struct coro *co, int n)
{
	struct epoll_event evs[MAX_EVENTS];
	double progress = ct_now();
	int i, k, err = 0;

	for (i = 0; i < n && !err; i++) {
		ct_worker_init(&co[i].w, l->r);
		co[i].reg_fd = -1;
		err = coro_run(l, &co[i], CT_IO_DONE);
	}
	while (l->active && !err) {
		k = epoll_wait(l->ep, evs, MAX_EVENTS, 1000);
		if (k < 0 && errno != EINTR)
			err = -errno;
		if (k > 0)
			progress = ct_now();
		else if (ct_now() - progress > STALL_S)
			fail_stalled(l, co, n);
		for (i = 0; i < k && !err; i++) {
			struct coro *c = evs[i].data.ptr;

			if (c->busy)
				err = coro_run(l, c, ct_io_step(&c->io, &c->w));
		}
	}
	if (err)
		fail_stalled(l, co, n);
	return err;
}

/* CPU-bound tasks on the loop: each runs to its end before the loop turns again. */
static int cpu_loop(struct loop *l)
{
	struct epoll_event ev;
	struct ct_worker w;
	struct ct_task t;

	ct_worker_init(&w, l->r);
	while (ct_task_claim(l->r, &t)) {
		l->r->wl->task(&w, &t);
		ct_task_finish(l->r, &t);
		epoll_wait(l->ep, &ev, 1, 0);
	}
	ct_worker_fini(&w);
	return 0;
}

static int async_run(struct ct_run *r)
{
	struct loop l = { .r = r };
	struct coro *co = NULL;
	int err;

	l.ep = epoll_create1(EPOLL_CLOEXEC);
	if (l.ep < 0)
		return -errno;
	if (r->wl->kind == CT_KIND_NONE) {
		err = cpu_loop(&l);
	} else {
		co = calloc(r->workers, sizeof(*co));
		err = co ? io_loop(&l, co, r->workers) : -ENOMEM;
	}
	if (err)
		fprintf(stderr, "%s: event loop: %s\n", CT_PROG, strerror(-err));
	free(co);
	close(l.ep);
	return err;
}

const struct ct_model model_async = {
	.name		= "async",
	.summary	= "one thread, one epoll loop, coroutines as state machines (asyncio)",
	.run		= async_run,
};
