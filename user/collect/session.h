/* SPDX-License-Identifier: GPL-2.0 */
/* The BPF skeleton's lifecycle: probe, open, configure, load, attach, enable, stop, destroy. */
#ifndef CT_LOADER_H
#define CT_LOADER_H

#include <stdbool.h>
#include "model/profile.h"

struct ct_session_opts {
	bool syscalls;		/* load the per-syscall probes */
	unsigned int wait_rate;	/* futex-wait stack samples per second per CPU, 0 off */
	unsigned int sample_hz;	/* on-CPU stack sampling frequency, 0 off */
	bool timeline;		/* per-thread state slices */
};

struct ct_session;

/*
 * Optional kernel features, probed by ct_session__open(): a collector needing a missing one is
 * off, with one warning line naming the feature.
 */
struct ct_features {
	bool perf_events;	/* perf_event_open of a software cpu-clock event: on-CPU sampling */
	bool uprobes;		/* the uprobe PMU: user-space lock attribution */
};
extern struct ct_features ct_features;

/*
 * Check privileges and kernel features, then open, configure and load the BPF object.
 * Prints one line naming the problem on failure.
 * @return 0 and *@out, or a CT_EXIT_* code
 */
int ct_session__open(struct ct_session **out, const struct ct_session_opts *opts);

/* Trace process @pid (and its threads and future children). @return 0 or -errno */
int ct_session__add_target(struct ct_session *s, int pid);

/* Stop tracing process @pid (absent is fine). @return 0 or -errno */
int ct_session__remove_target(struct ct_session *s, int pid);

/*
 * Attach every program and enable accounting; events go to @p.
 * @return 0, or a CT_EXIT_* code after printing why
 */
int ct_session__start(struct ct_session *s, struct ct_profile *p);

/* Deliver pending ring-buffer events, waiting up to @timeout_ms. @return >= 0 or -errno */
int ct_session__poll(struct ct_session *s, int timeout_ms);

/* Disable accounting, drain events and collect the maps into the profile. @return 0 or -errno */
int ct_session__stop(struct ct_session *s);

/* Detach and free everything (NULL is fine). No program, link or map outlives this. */
void ct_session__free(struct ct_session *s);

#endif
