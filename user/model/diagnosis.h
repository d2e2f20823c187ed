/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A diagnosis as plain data: what bounds the target, which model it uses, which model would serve
 * it, with the figures behind it. analysis/ computes it; renderers and the lab read it.
 */
#ifndef CT_DIAGNOSIS_H
#define CT_DIAGNOSIS_H

#include <stdbool.h>

#define CT_DIAG_LINES	8
#define CT_DIAG_LEN	192

struct ct_diagnosis {
	const char *bound;		/* cpu io lock ipc idle */
	const char *model;		/* serial threads processes event_loop mixed */
	bool serialized;
	bool serialized_on_lock;	/* mostly mutex waits (not a condition handed round) */
	char serialized_on[192];	/* the lock or condition most waited on, named */
	const char *serialized_kind;	/* its kind (mutex, condition, gil, ...) */
	bool python;			/* the target runs CPython */
	bool gil;			/* CPython threads waited for the GIL */
	double gil_wait_s;		/* their total wait for it */
	double gil_held_share;		/* estimate: on-CPU time of the GIL's threads / wall */
	const char *dominant;		/* on_cpu or a cause name */
	double parallelism;		/* on-CPU time / wall time */
	unsigned int active_threads;	/* threads doing work (not idle, not only joining) */
	unsigned int busy_threads;	/* threads that wanted a CPU a fair share of the time */
	unsigned int active_procs;
	char evidence[CT_DIAG_LINES][CT_DIAG_LEN];
	int nr_evidence;

	const char *rec_model;		/* processes threads async serial */
	bool matches_current;
	double confidence;
	char reasons[CT_DIAG_LINES][CT_DIAG_LEN];
	int nr_reasons;
};

#endif
