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

/* What bounds the target: the resource its active threads spend their time on. */
enum ct_bound {
	CT_BOUND_IDLE,		/* hardly active at all */
	CT_BOUND_CPU,		/* on a CPU or queued for one */
	CT_BOUND_IO,		/* blocked in, or inside, I/O syscalls */
	CT_BOUND_LOCK,		/* waiting for locks */
	CT_BOUND_IPC,		/* processes moving data through pipes */
	CT_BOUND__NR,
};

/* The concurrency model the target uses. */
enum ct_model {
	CT_MODEL_SERIAL,	/* one active thread, no event loop */
	CT_MODEL_THREADS,	/* several active threads of one process */
	CT_MODEL_PROCESSES,	/* several single-threaded processes */
	CT_MODEL_EVENT_LOOP,	/* one active thread multiplexing I/O in poll */
	CT_MODEL_MIXED,		/* several processes, some with several threads */
	CT_MODEL__NR,
};

/*
 * The model a diagnosis recommends. Its own enum, not the lab's models (model/lab.h): the lab
 * runs workloads under models it can build (a "gil" one among them), a diagnosis advises one of
 * these four; the lab maps one onto the other where it compares them.
 */
enum ct_advice {
	CT_ADVICE_SERIAL,
	CT_ADVICE_THREADS,
	CT_ADVICE_PROCESSES,
	CT_ADVICE_ASYNC,
	CT_ADVICE__NR,
};

/* Where the active threads' time mostly went: on a CPU, or the cause they waited in. */
enum ct_dominant {
	CT_DOMINANT_ON_CPU,
	CT_DOMINANT_IDLE,
	CT_DOMINANT_RUNQUEUE,
	CT_DOMINANT_IO,
	CT_DOMINANT_POLL,
	CT_DOMINANT_LOCK,
	CT_DOMINANT__NR,
};

/*
 * The names the reports print ("cpu", "event_loop", "async", "on_cpu"), one table per enum.
 * @return the name, or "?" for a value outside the enum
 */
const char *ct_bound_name(enum ct_bound b);
const char *ct_model_name(enum ct_model m);
const char *ct_advice_name(enum ct_advice a);
const char *ct_dominant_name(enum ct_dominant d);

struct ct_diagnosis {
	enum ct_bound bound;
	enum ct_model model;
	bool serialized;
	bool serialized_on_lock;	/* mostly mutex waits (not a condition handed round) */
	char serialized_on[192];	/* the lock or condition most waited on, named */
	const char *serialized_kind;	/* its kind (mutex, condition, gil, ...) */
	bool python;			/* the target runs CPython */
	bool gil;			/* CPython threads waited for the GIL */
	double gil_wait_s;		/* their total wait for it */
	double gil_held_share;		/* estimate: on-CPU time of the GIL's threads / wall */
	enum ct_dominant dominant;
	double parallelism;		/* on-CPU time / wall time */
	unsigned int active_threads;	/* threads doing work (not idle, not only joining) */
	unsigned int busy_threads;	/* threads that wanted a CPU a fair share of the time */
	unsigned int active_procs;
	char evidence[CT_DIAG_LINES][CT_DIAG_LEN];
	int nr_evidence;

	enum ct_advice rec_model;
	bool matches_current;
	double confidence;
	char reasons[CT_DIAG_LINES][CT_DIAG_LEN];
	int nr_reasons;
};

#endif
