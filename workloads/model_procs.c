// SPDX-License-Identifier: GPL-2.0
/* The processes model: forked workers fed task descriptors and payloads through socketpairs. */
#include "wl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>

/*
 * What multiprocessing.Pool does: the parent serializes each task (a descriptor, then the
 * payload bytes) into a worker's socket, the worker deserializes it into its own memory, runs
 * the task and sends the result back, and the parent checks it. One task is in flight per
 * worker. Every byte on these sockets is counted as ipc_bytes.
 */
struct msg {
	uint64_t id;
	uint64_t len;			/* payload bytes that follow */
};

struct result {
	uint64_t id;
	uint64_t out;
	int32_t err;
	int32_t pad;
};

struct proc {
	pid_t pid;
	int fd;				/* -1: the worker is gone */
	bool busy;
	bool lost_task;			/* it died with a task, already counted as an error */
	struct ct_task t;
	struct msg msg;
	size_t sent;			/* of sizeof(msg) + payload */
	struct result res;
	size_t got;
};

/* Read exactly @len bytes. @return 1, 0 on EOF before any byte, or -errno */
static int read_full(int fd, void *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = read(fd, (char *)buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : off ? -EPIPE : 0;
		off += n;
	}
	return 1;
}

static int write_full(int fd, const void *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += n;
	}
	return 0;
}

/* A worker process: receive a task, run it, send the result, until the parent hangs up. */
static int child_main(struct ct_run *r, int fd)
{
	struct result res = { 0 };
	struct ct_worker w;
	struct ct_task t;
	struct msg m;
	int rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	ct_worker_init(&w, r);
	while ((rc = read_full(fd, &m, sizeof(m))) > 0) {
		memset(&t, 0, sizeof(t));
		t.id = m.id;
		t.in_len = m.len;
		if (m.len > w.buf_len) {
			free(w.buf);
			w.buf_len = 0;
			w.buf = malloc(m.len);
			if (!w.buf)
				break;
			w.buf_len = m.len;
		}
		if (m.len && read_full(fd, w.buf, m.len) <= 0)
			break;
		t.in = m.len ? w.buf : NULL;
		r->wl->task(&w, &t);
		res.id = t.id;
		res.out = t.out;
		res.err = t.err;
		if (write_full(fd, &res, sizeof(res)))
			break;
	}
	ct_worker_fini(&w);
	close(fd);
	return rc ? CT_EXIT_FAIL : CT_EXIT_OK;
}

/* Fork @n workers; @return how many started */
static int start_procs(struct ct_run *r, struct proc *p, int n)
{
	int i, j, sv[2];

	for (i = 0; i < n; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			break;
		fflush(NULL);
		p[i].pid = fork();
		if (p[i].pid < 0) {
			close(sv[0]);
			close(sv[1]);
			break;
		}
		if (!p[i].pid) {
			close(sv[0]);
			for (j = 0; j < i; j++)
				close(p[j].fd);
			_exit(child_main(r, sv[1]));
		}
		close(sv[1]);
		p[i].fd = sv[0];
		fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
	}
	if (i < n)
		fprintf(stderr, "%s: started %d of %d worker processes: %s\n", CT_PROG, i, n,
			strerror(errno));
	return i;
}

/* The worker is gone: what it had in flight failed. */
static void proc_lost(struct ct_run *r, struct proc *p)
{
	close(p->fd);
	p->fd = -1;
	if (!p->busy)
		return;
	p->t.err = 1;
	p->lost_task = true;
	ct_task_fail(r, &p->t, "worker process %d died", (int)p->pid);
	ct_task_finish(r, &p->t);
	p->busy = false;
}

static void proc_send(struct ct_run *r, struct proc *p)
{
	struct iovec iov[2];
	int k = 0;
	ssize_t n;

	if (p->sent < sizeof(p->msg))
		iov[k++] = (struct iovec){ (char *)&p->msg + p->sent, sizeof(p->msg) - p->sent };
	if (p->t.in_len) {
		size_t off = p->sent > sizeof(p->msg) ? p->sent - sizeof(p->msg) : 0;

		iov[k++] = (struct iovec){ (char *)p->t.in + off, p->t.in_len - off };
	}
	n = writev(p->fd, iov, k);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		proc_lost(r, p);
		return;
	}
	p->sent += n;
	atomic_fetch_add(&r->st->ipc_bytes, n);
}

static void proc_recv(struct ct_run *r, struct proc *p)
{
	ssize_t n = read(p->fd, (char *)&p->res + p->got, sizeof(p->res) - p->got);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || !p->busy) {
		proc_lost(r, p);
		return;
	}
	p->got += n;
	atomic_fetch_add(&r->st->ipc_bytes, n);
	if (p->got < sizeof(p->res))
		return;
	p->t.out = p->res.out;
	p->t.err = p->res.err || p->res.id != p->t.id;
	ct_task_finish(r, &p->t);
	p->busy = false;
}

/* Hand a task to every idle worker. @return how many workers have one in flight */
static int dispatch(struct ct_run *r, struct proc *p, int n, bool *more)
{
	int i, busy = 0;

	for (i = 0; i < n; i++) {
		if (p[i].fd >= 0 && !p[i].busy && *more) {
			*more = ct_task_claim(r, &p[i].t);
			if (*more) {
				p[i].msg = (struct msg){ p[i].t.id, p[i].t.in_len };
				p[i].sent = p[i].got = 0;
				p[i].busy = true;
			}
		}
		busy += p[i].busy;
	}
	return busy;
}

static int procs_run(struct ct_run *r)
{
	struct pollfd *pfd;
	struct proc *p;
	bool more = true;
	int i, n, status, err = 0;

	p = calloc(r->workers, sizeof(*p));
	pfd = calloc(r->workers, sizeof(*pfd));
	if (!p || !pfd) {
		free(p);
		free(pfd);
		return -ENOMEM;
	}
	n = start_procs(r, p, r->workers);
	r->workers = n ? n : r->workers;
	while (dispatch(r, p, n, &more)) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = p[i].fd;
			pfd[i].events = POLLIN;
			if (p[i].busy && p[i].sent < sizeof(p[i].msg) + p[i].t.in_len)
				pfd[i].events |= POLLOUT;
		}
		if (poll(pfd, n, -1) < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents & POLLOUT)
				proc_send(r, &p[i]);
			if (p[i].fd >= 0 && pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				proc_recv(r, &p[i]);
		}
	}
	for (i = 0; i < n; i++) {
		if (p[i].fd >= 0)
			close(p[i].fd);
		status = -1;
		while (waitpid(p[i].pid, &status, 0) < 0 && errno == EINTR)
			;
		if (status && !p[i].lost_task) {
			fprintf(stderr, "%s: worker process %d failed (wait status %#x)\n", CT_PROG,
				(int)p[i].pid, status);
			atomic_fetch_add(&r->st->errors, 1);
		}
	}
	free(pfd);
	free(p);
	return n ? err : -EAGAIN;
}

const struct ct_model model_processes = {
	.name		= "processes",
	.summary	= "forked workers fed through socketpairs, payloads copied (multiprocessing.Pool)",
	.run		= procs_run,
};
