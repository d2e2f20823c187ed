// SPDX-License-Identifier: GPL-2.0
/* The loopback server of the io workloads: one epoll thread, delayed replies on a min-heap. */
#include "wl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

enum { C_FREE, C_READ, C_WAIT, C_WRITE };

/* A connection, indexed by its fd. @gen tells a stale timer from the current request. */
struct conn {
	uint32_t gen;
	uint16_t state;
	uint16_t off;
	uint64_t id;
	unsigned char req[CT_REQ_LEN];
};

/* A reply that is due at @due (ns of CLOCK_MONOTONIC). */
struct timer {
	uint64_t due;
	int fd;
	uint32_t gen;
};

struct server {
	enum ct_kind kind;
	int ep, lfd, sfd, in_fd, spare_fd;
	struct conn *conns;
	size_t nconns;
	struct timer *heap;		/* min-heap on due: 10k pending replies cost O(log n) each */
	size_t heap_len, heap_cap;
	unsigned char rep[CT_REP_LEN];
};

static uint64_t now_ns(void)
{
	return (uint64_t)(ct_now() * 1e9);
}

static int heap_push(struct server *s, struct timer t)
{
	struct timer *h;
	size_t i, p;

	if (s->heap_len == s->heap_cap) {
		size_t cap = s->heap_cap ? 2 * s->heap_cap : 1024;

		h = realloc(s->heap, cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->heap_cap = cap;
	}
	h = s->heap;
	for (i = s->heap_len++; i && h[p = (i - 1) / 2].due > t.due; i = p)
		h[i] = h[p];
	h[i] = t;
	return 0;
}

static struct timer heap_pop(struct server *s)
{
	struct timer *h = s->heap, top = h[0], last = h[--s->heap_len];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < s->heap_len) {
		if (c + 1 < s->heap_len && h[c + 1].due < h[c].due)
			c++;
		if (last.due <= h[c].due)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = last;
	return top;
}

static void conn_close(struct server *s, int fd)
{
	s->conns[fd].state = C_FREE;
	s->conns[fd].gen++;
	close(fd);
}

/* Send the reply. @return true when it is all out and the next request can be read */
static bool conn_write(struct server *s, int fd)
{
	struct conn *c = &s->conns[fd];
	ssize_t n;

	ct_proto_reply(s->rep, s->kind, c->id);
	while (c->off < CT_REP_LEN) {
		n = send(fd, s->rep + c->off, CT_REP_LEN - c->off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;		/* EPOLLOUT (edge-triggered) resumes us */
		if (n <= 0) {
			conn_close(s, fd);
			return false;
		}
		c->off += n;
	}
	c->state = C_READ;
	c->off = 0;
	return true;
}

/* Read a request. @return true when its reply is to be written now */
static bool conn_read(struct server *s, int fd)
{
	struct conn *c = &s->conns[fd];
	enum ct_kind kind;
	unsigned int delay;
	ssize_t n;

	while (c->off < CT_REQ_LEN) {
		n = recv(fd, c->req + c->off, CT_REQ_LEN - c->off, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		if (n <= 0) {			/* the client is done, or reset the connection */
			conn_close(s, fd);
			return false;
		}
		c->off += n;
	}
	c->off = 0;
	if (ct_proto_parse_request(c->req, &kind, &c->id)) {
		conn_close(s, fd);
		return false;
	}
	delay = ct_proto_delay_us(s->kind, c->id);
	if (!delay) {
		c->state = C_WRITE;
		return true;
	}
	c->state = C_WAIT;
	if (heap_push(s, (struct timer){ now_ns() + delay * 1000ull, fd, c->gen }))
		conn_close(s, fd);
	return false;
}

/* Move a connection along for as long as it can go without waiting. */
static void conn_run(struct server *s, int fd)
{
	bool more = true;

	while (more && (size_t)fd < s->nconns) {
		if (s->conns[fd].state == C_READ)
			more = conn_read(s, fd);
		else if (s->conns[fd].state == C_WRITE)
			more = conn_write(s, fd);
		else
			more = false;	/* C_WAIT: an EOF meanwhile is seen when we read again */
	}
}

static int conn_table_fit(struct server *s, int fd)
{
	size_t n = s->nconns ? s->nconns : 1024;
	struct conn *c;

	while (n <= (size_t)fd)
		n *= 2;
	if (n == s->nconns)
		return 0;
	c = realloc(s->conns, n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	memset(c + s->nconns, 0, (n - s->nconns) * sizeof(*c));
	s->conns = c;
	s->nconns = n;
	return 0;
}

static void do_accept(struct server *s)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
	int fd, one = 1;

	for (;;) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE) && s->spare_fd >= 0) {
			/* Out of fds: take the pending connection with the spare one and drop it. */
			close(s->spare_fd);
			fd = accept(s->lfd, NULL, NULL);
			s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return;
			close(fd);
			continue;
		}
		if (fd < 0)
			return;			/* EAGAIN, or a connection that went away */
		ev.data.fd = fd;
		if (conn_table_fit(s, fd) || epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		s->conns[fd].state = C_READ;
		s->conns[fd].off = 0;
		conn_run(s, fd);
	}
}

/* Start every reply that is due; @return ms until the next one, or -1 if none is pending */
static int fire_timers(struct server *s)
{
	uint64_t now = now_ns();
	struct timer t;
	struct conn *c;

	while (s->heap_len && s->heap[0].due <= now) {
		t = heap_pop(s);
		c = &s->conns[t.fd];
		if (c->gen != t.gen || c->state != C_WAIT)
			continue;		/* the connection closed meanwhile */
		c->state = C_WRITE;
		c->off = 0;
		conn_run(s, t.fd);
	}
	if (!s->heap_len)
		return -1;
	return (int)((s->heap[0].due - now + 999999) / 1000000);
}

/*
 * A pipe or socket on stdin means a parent that wants us gone when it closes its end. One
 * already at EOF (an inherited, long-closed pipe, as under CI) means nothing: ignore it.
 */
static bool stdin_is_a_leash(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct stat st;
	char c;

	if (fstat(STDIN_FILENO, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return false;
	if (poll(&pfd, 1, 0) == 1 && read(STDIN_FILENO, &c, 1) <= 0)
		return false;
	return true;
}

static int server_open(struct server *s, int lfd, enum ct_kind kind, bool watch_stdin)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->lfd = lfd;
	s->sfd = s->in_fd = -1;
	s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->ep < 0)
		return -errno;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	s->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->sfd < 0)
		return -errno;
	if (watch_stdin && stdin_is_a_leash())
		s->in_fd = STDIN_FILENO;
	ev.data.fd = lfd;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, lfd, &ev))
		return -errno;
	ev.data.fd = s->sfd;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->sfd, &ev))
		return -errno;
	ev.data.fd = s->in_fd;
	if (s->in_fd >= 0 && epoll_ctl(s->ep, EPOLL_CTL_ADD, s->in_fd, &ev))
		return -errno;
	return 0;
}

static void server_close(struct server *s)
{
	size_t fd;

	for (fd = 0; fd < s->nconns; fd++)
		if (s->conns[fd].state != C_FREE)
			close(fd);
	free(s->conns);
	free(s->heap);
	if (s->spare_fd >= 0)
		close(s->spare_fd);
	if (s->sfd >= 0)
		close(s->sfd);
	if (s->ep >= 0)
		close(s->ep);
}

/*
 * Serve on the listening socket @lfd until SIGTERM or SIGINT, or EOF on stdin when
 * @watch_stdin and stdin is a pipe or socket. @return 0, or -errno if the server broke
 */
int ct_server_serve(int lfd, enum ct_kind kind, bool watch_stdin)
{
	struct epoll_event evs[256];
	struct server s;
	int i, n, timeout = -1, err;
	char buf[256];

	err = server_open(&s, lfd, kind, watch_stdin);
	while (!err) {
		n = epoll_wait(s.ep, evs, CT_ARRAY_SIZE(evs), timeout);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == s.lfd)
				do_accept(&s);
			else if (fd == s.sfd)
				goto out;
			else if (fd == s.in_fd && read(fd, buf, sizeof(buf)) <= 0)
				goto out;
			else if (fd != s.in_fd)
				conn_run(&s, fd);
		}
		timeout = fire_timers(&s);
	}
out:
	server_close(&s);
	return err;
}

/* A listening TCP socket on 127.0.0.1 and an ephemeral port. @return the fd, or -errno */
int ct_server_listen(struct sockaddr_storage *addr, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)addr;
	int fd, one = 1;

	memset(addr, 0, sizeof(*addr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*len = sizeof(*sin);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* The kernel caps the backlog at net.core.somaxconn (4096 by default). */
	if (bind(fd, (struct sockaddr *)sin, *len) || listen(fd, 65535) ||
	    getsockname(fd, (struct sockaddr *)addr, len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Start the server in a child process ("ct-server") and point @r at it. @return 0 or -errno */
int ct_server_fork(struct ct_run *r, enum ct_kind kind, int *pid)
{
	pid_t parent = getpid();
	int lfd;

	lfd = ct_server_listen(&r->server, &r->server_len);
	if (lfd < 0)
		return lfd;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0) {
		int err = -errno;

		close(lfd);
		return err;
	}
	if (!*pid) {
		prctl(PR_SET_NAME, "ct-server");
		/* Die with the workload, even if it is killed with SIGKILL. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(0);
		/* Clients close with a reset and reconnect at once: hold more fds than they do. */
		ct_raise_nofile(1 << 20);
		_exit(ct_server_serve(lfd, kind, false) ? CT_EXIT_FAIL : CT_EXIT_OK);
	}
	close(lfd);
	return 0;
}

/* Stop and reap the server child, killing it if SIGTERM is not enough. @return 0 if it exited */
int ct_server_stop(int pid)
{
	int i, status = -1;

	if (pid <= 0)
		return 0;
	kill(pid, SIGTERM);
	for (i = 0; i < 500 && !waitpid(pid, &status, WNOHANG); i++)
		usleep(10000);
	if (i == 500) {
		kill(pid, SIGKILL);
		status = -1;
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

/*
 * Raise the soft RLIMIT_NOFILE to @want, or as far as the hard limit allows.
 * @return the soft limit now in force
 */
long ct_raise_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 1024;
	if (rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || (long)rl.rlim_max > want ?
			      (rlim_t)want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur == RLIM_INFINITY ? want : (long)rl.rlim_cur;
}
