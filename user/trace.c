// SPDX-License-Identifier: GPL-2.0
/* One trace session end to end: load, launch or attach, trace until done, collect a profile. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ct.h"
#include "launch.h"
#include "loader.h"
#include "trace.h"

volatile sig_atomic_t ct_stop_signal;

static void on_signal(int sig)
{
	ct_stop_signal = sig;
}

void ct_trace_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

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

/* Trace until the command exits, the duration elapses, every target is gone, or a signal. */
static void trace_loop(struct ct_session *s, struct ct_profile *p,
		       const struct ct_trace_req *req, struct ct_launch *l)
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
			for (i = 0, alive = 0; i < req->nr_pids; i++)
				alive += ct_pid_alive(req->pids[i]);
			if (!alive) {
				p->exited_early = end != 0;
				return;
			}
		}
	}
	/* A terminal's Ctrl-C reached the command too: give it a moment to report its status. */
	for (i = 0; i < 50 && l->pid > 0 && !reap(p, l); i++)
		usleep(10000);
}

int ct_trace(const struct ct_trace_req *req, struct ct_profile *p)
{
	struct ct_session_opts so = { .syscalls = req->syscalls, .wait_rate = req->wait_rate,
				      .sample_hz = req->sample_hz, .timeline = req->timeline };
	struct ct_launch l = { .pid = -1, .go_fd = -1 };
	struct ct_session *s = NULL;
	int err, i;

	err = ct_session__open(&s, &so);
	if (err)
		return err;
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
	for (i = 0; i < p->nr_pids; i++) {
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
	if (req->argv && (err = ct_launch__go(&l))) {
		ct_err("release %s: %s", req->argv[0], strerror(-err));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	if (req->announce && !req->argv)
		ct_info("tracing PID %d%s; Ctrl-C to stop", p->pids[0],
			p->nr_pids > 1 ? " and others" : "");
	trace_loop(s, p, req, &l);
	err = ct_session__stop(s);
	if (err) {
		ct_err("read BPF maps: %s", ct_strerror(err));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	ct_profile__finish(p);
cleanup:
	if (l.go_fd >= 0)
		ct_launch__cancel(&l);
	ct_session__free(s);
	return err;
}
