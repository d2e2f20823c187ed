// SPDX-License-Identifier: GPL-2.0
/* One trace session end to end: load, launch or attach, trace until done, collect a profile. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "common/ct.h"
#include "common/testknob.h"
#include "launch.h"
#include "session.h"
#include "trace.h"

volatile sig_atomic_t ct_stop_signal;
/* The stop signal came from kill(2) (SI_USER, SI_QUEUE...), not from the terminal. */
static volatile sig_atomic_t stop_sent;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	ct_stop_signal = sig;
	stop_sent = si && si->si_code <= 0;
}

void ct_trace_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Reap @l's command if it has exited. @return true when it has */
static bool reap(struct ct_profile *p, struct ct_launch *l)
{
	int st;

	if (l->pid <= 0 || waitpid(l->pid, &st, WNOHANG) != l->pid)
		return false;
	p->has_exit_status = true;
	p->exit_status = ct_wait_status_code(st);
	l->pid = -1;
	return true;
}

/*
 * The -p targets by pidfd, so that a PID reused by an unrelated process once a target has exited
 * is never taken for the target. -1: a target that had exited already.
 */
struct targets {
	int fd[CT_MAX_PIDS];
	int n;
};

/* @return true when the process behind pidfd @fd has exited (or @fd is -1) */
static bool pidfd_exited(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return fd < 0 || poll(&pfd, 1, 0) != 0;
}

static void targets_open(struct targets *t, const struct ct_trace_req *req)
{
	int i;

	for (t->n = 0; t->n < req->nr_pids; t->n++) {
		i = t->n;
		t->fd[i] = syscall(SYS_pidfd_open, req->pids[i], 0);
		if (t->fd[i] >= 0 && !pidfd_exited(t->fd[i]) && ct_pid_alive(req->pids[i]))
			continue;
		if (t->fd[i] >= 0)
			close(t->fd[i]);
		t->fd[i] = -1;
	}
}

static void targets_close(struct targets *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->fd[i] >= 0)
			close(t->fd[i]);
	t->n = 0;
}

/* Take the targets that exited (before the probes could see it) out of the filter. @return live */
static int targets_check(struct targets *t, struct ct_session *s, const struct ct_trace_req *req)
{
	int i, live = 0;

	for (i = 0; i < t->n; i++) {
		if (t->fd[i] < 0)
			continue;
		if (!pidfd_exited(t->fd[i])) {
			live++;
			continue;
		}
		ct_session__remove_target(s, req->pids[i]);
		if (t->fd[i] >= 0) {
			close(t->fd[i]);
			t->fd[i] = -1;
		}
		ct_warn("PID %d exited before tracing began", req->pids[i]);
	}
	return live;
}

/*
 * Stop and collect. The collection reads /proc/PID of the targets for threads the probes never
 * saw; a target that has exited (or a command reaped) may have left its PID to an unrelated
 * process, so only the targets still alive are shown to it, then the list is restored.
 */
static int stop_collect(struct ct_session *s, struct ct_profile *p, const struct targets *t,
			const struct ct_launch *l, const struct ct_trace_req *req)
{
	int all[CT_MAX_PIDS], n = p->nr_pids, i, err;

	memcpy(all, p->pids, sizeof(all));
	p->nr_pids = 0;
	for (i = 0; i < n; i++)
		if (req->argv ? l->pid > 0 : !pidfd_exited(t->fd[i]))
			p->pids[p->nr_pids++] = all[i];
	err = ct_session__stop(s);
	memcpy(p->pids, all, sizeof(all));
	p->nr_pids = n;
	return err;
}

/* Trace until the command exits, the duration elapses, every target is gone, or a signal. */
static void trace_loop(struct ct_session *s, struct ct_profile *p,
		       const struct ct_trace_req *req, struct ct_launch *l, struct targets *t)
{
	__u64 end = req->duration > 0 ? p->start_ns + (__u64)(req->duration * 1e9) : 0;
	int i, alive;

	while (!ct_stop_signal) {
		ct_session__poll(s, 100);
		if (end && ct_now_ns() >= end)
			return;
		if (reap(p, l))
			return;
		if (!req->argv) {
			for (i = 0, alive = 0; i < t->n; i++)
				alive += !pidfd_exited(t->fd[i]);
			if (!alive) {
				p->exited_early = end != 0;
				return;
			}
		}
	}
	/*
	 * A terminal's signal reached the command too (its whole process group); one sent with
	 * kill(2) to conctrace alone is passed on. Give the command 2 s to exit and report its
	 * status; one still running then is left running, untraced.
	 */
	if (l->pid > 0 && stop_sent)
		kill(l->pid, ct_stop_signal);
	for (i = 0; i < 200 && l->pid > 0 && !reap(p, l); i++)
		ct_session__poll(s, 10);
}

int ct_trace(const struct ct_trace_req *req, struct ct_profile *p)
{
	struct ct_session_opts so = { .syscalls = req->syscalls, .wait_rate = req->wait_rate,
				      .sample_hz = req->sample_hz, .timeline = req->timeline };
	struct ct_launch l = { .pid = -1, .go_fd = -1 };
	struct targets t = { .n = 0 };
	struct ct_session *s = NULL;
	int err, i, live = 0;

	if (ct_stop_signal)
		return 128 + ct_stop_signal;
	if (!req->argv)
		targets_open(&t, req);		/* before loading: the PIDs still name the targets */
	err = ct_session__open(&s, &so);
	if (err)
		goto cleanup;
	/* Interrupted before tracing began (here and below): no report, 128 + N. */
	if (ct_stop_signal) {
		err = 128 + ct_stop_signal;
		goto cleanup;
	}
	p->syscalls_enabled = req->syscalls;
	p->cores = sysconf(_SC_NPROCESSORS_ONLN);
	p->argv = req->argv;
	if (req->argv) {
		err = ct_launch__start(&l, req->argv, req->child_stdout);
		if (err) {
			ct_err("start %s: %s", req->argv[0], strerror(-err));
			err = CT_EXIT_FAIL;
			goto cleanup;
		}
		p->pids[p->nr_pids++] = l.pid;
	} else {
		memcpy(p->pids, req->pids, sizeof(p->pids));
		p->nr_pids = req->nr_pids;
	}
	if (!req->argv)
		targets_check(&t, s, req);	/* gone while loading: not in the filter at all */
	for (i = 0; i < p->nr_pids; i++) {
		if (!req->argv && t.fd[i] < 0)
			continue;		/* gone: its PID may be someone else's by now */
		err = ct_session__add_target(s, p->pids[i]);
		if (err) {
			ct_err("add PID %d to the filter: %s", p->pids[i], ct_strerror(err));
			err = CT_EXIT_FAIL;
			goto cleanup;
		}
	}
	err = ct_session__start(s, p);
	if (err)
		goto cleanup;
	if (ct_stop_signal) {
		err = 128 + ct_stop_signal;
		goto cleanup;
	}
	/*
	 * From here the exit probe sees a target go; one gone since the check above is dropped
	 * from the filter (a PID reused within those microseconds would be traced that long).
	 */
	if (!req->argv)
		live = targets_check(&t, s, req);
	if (req->argv && (err = ct_launch__go(&l))) {
		ct_err("release %s: %s", req->argv[0], strerror(-err));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	if (!req->argv && !live) {
		p->exited_early = true;		/* nothing to trace: an empty report says so */
	} else {
		if (req->announce && !req->argv)
			ct_info("tracing PID %d%s; Ctrl-C to stop", p->pids[0],
				p->nr_pids > 1 ? " and others" : "");
		ct_test_pause("trace");
		trace_loop(s, p, req, &l, &t);
	}
	err = stop_collect(s, p, &t, &l, req);
	if (err) {
		ct_err("read BPF maps: %s", ct_strerror(err));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	ct_profile__finish(p);
cleanup:
	if (l.go_fd >= 0)
		ct_launch__cancel(&l);
	targets_close(&t);
	ct_session__free(s);
	return err;
}
