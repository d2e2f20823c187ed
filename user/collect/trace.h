/* SPDX-License-Identifier: GPL-2.0 */
/* One trace session end to end: load, launch or attach, trace until done, collect a profile. */
#ifndef CT_TRACE_H
#define CT_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include "model/profile.h"

struct ct_trace_req {
	int pids[CT_MAX_PIDS];		/* -p targets (thread group ids) */
	int nr_pids;
	char **argv;			/* or a command to launch */
	double duration;		/* seconds; 0: until the targets exit or a signal */
	bool syscalls;			/* load the per-syscall probes */
	unsigned int wait_rate;		/* futex-wait stack samples per second per CPU, 0 off */
	unsigned int sample_hz;		/* on-CPU stack samples per second, 0 off */
	bool timeline;			/* record per-thread state slices */
	int child_stdout;		/* fd for the command's stdout, -1 to inherit */
	bool announce;			/* say "tracing PID ..." on stderr */
};

/* Set by SIGINT/SIGTERM/SIGHUP while ct_trace() runs: the signal number. */
extern volatile sig_atomic_t ct_stop_signal;

/* Catch SIGINT, SIGTERM and SIGHUP into ct_stop_signal; ignore SIGPIPE. */
void ct_trace_signals(void);

/*
 * Trace @req into @p (zeroed by the caller), then ct_profile__finish() it. A launched command
 * is reaped when it exits during the trace (p->exit_status).
 * @return 0, or a CT_EXIT_* code after printing why
 */
int ct_trace(const struct ct_trace_req *req, struct ct_profile *p);

#endif
