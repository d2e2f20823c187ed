// SPDX-License-Identifier: GPL-2.0
/* The io-fast and io-slow workloads: one request as a state machine, blocking or nonblocking. */
#include "wl.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/*
 * One request is: connect (io-slow, or io-fast's first request on a worker), send 64 bytes,
 * receive 1 KiB, check it. The same code serves every model: on a blocking socket each step
 * completes (the sync models: a thread blocks in connect/send/recv, and the gil model
 * releases the GIL around exactly those calls); on a nonblocking one a step stops at EAGAIN
 * and says what it waits for, and the async model's event loop resumes it.
 */
enum { S_CONNECT, S_CONNECTING, S_SEND, S_RECV };

#define IO_TIMEOUT_S	10	/* a blocking call that waits longer fails the task */

/* io-fast keeps one connection per worker; io-slow uses one per request. */
static bool persistent(const struct ct_run *r)
{
	return r->wl->kind == CT_KIND_FAST;
}

static enum ct_io_status io_fail(struct ct_io *io, struct ct_worker *w, const char *what,
				 int err)
{
	struct ct_run *r = w->run;

	io->task->err = 1;
	if (err)
		ct_task_fail(r, io->task, "%s: %s", what, strerror(err));
	else
		ct_task_fail(r, io->task, "%s", what);
	if (io->fd >= 0) {
		close(io->fd);
		ct_conn_closed(r);
		if (w->conn == io->fd)
			w->conn = -1;
		io->fd = -1;
	}
	return CT_IO_FAILED;
}

static enum ct_io_status io_done(struct ct_io *io, struct ct_worker *w)
{
	struct ct_run *r = w->run;

	atomic_fetch_add(&r->st->net_bytes, CT_REQ_LEN + CT_REP_LEN);
	if (persistent(r)) {
		w->conn = io->fd;
	} else {
		close(io->fd);
		ct_conn_closed(r);
	}
	io->fd = -1;
	return CT_IO_DONE;
}

/* EAGAIN: wait for the event loop, or, on a blocking socket, a timeout that fails the task. */
static enum ct_io_status io_again(struct ct_io *io, struct ct_worker *w, const char *what,
				  enum ct_io_status want)
{
	return io->nonblock ? want : io_fail(io, w, what, ETIMEDOUT);
}

static int io_socket(struct ct_io *io, struct ct_worker *w)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	/* Close with a reset: 10k short connections must not leave 10k sockets in TIME_WAIT. */
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int one = 1;

	io->fd = socket(w->run->server.ss_family,
			SOCK_STREAM | SOCK_CLOEXEC | (io->nonblock ? SOCK_NONBLOCK : 0), 0);
	if (io->fd < 0)
		return -errno;
	ct_conn_opened(w->run);
	setsockopt(io->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(io->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (!io->nonblock) {
		setsockopt(io->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(io->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	return 0;
}

/* @return CT_IO_DONE once connected (the request goes on), else what ct_io_step() returns */
static enum ct_io_status io_connect(struct ct_io *io, struct ct_worker *w)
{
	struct ct_run *r = w->run;
	socklen_t len = sizeof(int);
	int err, rc;

	if (io->state == S_CONNECTING) {
		if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
		if (err)
			return io_fail(io, w, "connect", err);
		io->state = S_SEND;
		return CT_IO_DONE;
	}
	err = io_socket(io, w);
	if (err)
		return io_fail(io, w, "socket", -err);
	ct_block_begin(w);
	rc = connect(io->fd, (struct sockaddr *)&r->server, r->server_len);
	err = errno;
	ct_block_end(w);
	if (!rc) {
		io->state = S_SEND;
		return CT_IO_DONE;
	}
	if (err == EINPROGRESS && io->nonblock) {
		io->state = S_CONNECTING;
		return CT_IO_WANT_WRITE;
	}
	return io_fail(io, w, "connect", err == EINPROGRESS ? ETIMEDOUT : err);
}

/* Move the request on as far as it goes without waiting. */
enum ct_io_status ct_io_step(struct ct_io *io, struct ct_worker *w)
{
	enum ct_io_status st;
	unsigned char *buf;
	const char *what;
	size_t len;
	ssize_t n;
	bool out;
	int err;

	for (;;) {
		if (io->state == S_CONNECT || io->state == S_CONNECTING) {
			st = io_connect(io, w);
			if (st != CT_IO_DONE)
				return st;
			continue;
		}
		/* S_SEND the request, then S_RECV the reply. */
		out = io->state == S_SEND;
		buf = out ? io->req : io->rep;
		len = out ? CT_REQ_LEN : CT_REP_LEN;
		what = out ? "send" : "recv";
		ct_block_begin(w);
		if (out)
			n = send(io->fd, buf + io->off, len - io->off, MSG_NOSIGNAL);
		else
			n = recv(io->fd, buf + io->off, len - io->off, 0);
		err = errno;
		ct_block_end(w);
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0 && err == EAGAIN)
			return io_again(io, w, what, out ? CT_IO_WANT_WRITE : CT_IO_WANT_READ);
		if (n < 0)
			return io_fail(io, w, what, err);
		if (!n && !out)
			return io_fail(io, w, "the server closed the connection early", 0);
		io->off += n;
		if (io->off < len)
			continue;
		io->off = 0;
		if (out) {
			io->state = S_RECV;
			continue;
		}
		what = ct_proto_check_reply(io->rep, w->run->wl->kind, io->task->id);
		return what ? io_fail(io, w, what, 0) : io_done(io, w);
	}
}

/*
 * Start request @t: run the workload's CPU part if it has one (on the async loop it blocks
 * the loop), reuse the worker's connection or open one, then step as far as it goes.
 */
enum ct_io_status ct_io_begin(struct ct_io *io, struct ct_worker *w, struct ct_task *t,
			      bool nonblock)
{
	if (w->run->wl->compute)
		w->run->wl->compute(w, t);
	io->task = t;
	io->nonblock = nonblock;
	io->off = 0;
	io->fd = -1;
	io->state = S_CONNECT;
	ct_proto_request(io->req, w->run->wl->kind, t->id);
	if (persistent(w->run) && w->conn >= 0) {
		io->fd = w->conn;
		io->state = S_SEND;
	}
	return ct_io_step(io, w);
}

/* The blocking task function: on a blocking socket the request runs to its end at once. */
void ct_io_task(struct ct_worker *w, struct ct_task *t)
{
	struct ct_io io;

	ct_io_begin(&io, w, t, false);
}

const struct ct_workload wl_io_fast = {
	.name		= "io-fast",
	.summary	= "many 64 B request / 1 KiB reply round trips; the server answers at once",
	.kind		= CT_KIND_FAST,
	.tasks		= { 10000, 50000, 500000 },
	.workers	= 4,
	.async_inflight	= { 4, 4, 4 },
	.task		= ct_io_task,
};

const struct ct_workload wl_io_slow = {
	.name		= "io-slow",
	.summary	= "one connection per request; the server answers after 50-100 ms",
	.kind		= CT_KIND_SLOW,
	.tasks		= { 400, 2000, 20000 },
	.workers	= 64,
	.async_inflight	= { 200, 1000, 10000 },
	.task		= ct_io_task,
};
