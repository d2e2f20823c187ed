/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diagnosis' passes, in the order ct_diagnose() runs them, each from named inputs to a named
 * output: facts (profile and per thread) -> roles (active and busy threads, processes) -> model
 * -> bound -> serialization -> recommendation, with the evidence written after serialization.
 * Thresholds come from ct_diag_limits (limits.h). Times are seconds unless named otherwise.
 */
#ifndef CT_ANALYSIS_PASSES_H
#define CT_ANALYSIS_PASSES_H

#include <stdbool.h>
#include "model/diagnosis.h"
#include "model/profile.h"

/* Facts of one thread inside the window (the accounts in seconds) and its roles. */
struct ct_tfacts {
	double life;			/* seconds inside the trace window */
	double cpu, rq, lock, cond, join, io, poll, sleep, other;
	bool active;			/* doing work: not idle, not only joining */
	bool busy;			/* wanting a CPU, otherwise only waiting for the others */
};

/* Facts of the whole profile that the later passes use. */
struct ct_pfacts {
	double dur;			/* the window, never 0 */
	double sys_io;		/* inside I/O syscalls (io and poll causes), on CPU or not */
	double sys_pipe;		/* inside read/write-type calls: pipes between processes */
	double sys_net;			/* inside socket calls: connect, accept, send, recv */
	double io_blocks;		/* number of I/O and poll waits (the histograms' counts) */
	double mean_io_ms;		/* their mean duration, 0 without any */
};

/* Who does the work: counts of active and busy threads and processes, and their times. */
struct ct_roles {
	unsigned int active;		/* active threads */
	unsigned int busy;		/* active threads that are busy */
	unsigned int procs;		/* processes with an active thread */
	unsigned int extra_threads;	/* active threads beyond the first of their process */
	double cpu, rq, lock, io, poll;	/* summed over the active threads */
	double busy_cpu;		/* on-CPU time of the busy threads */
	double busy_wait;		/* their lock and condition waits */
	double busy_lock;		/* their lock waits */
	double top_poll_share;	/* the largest share of its life an I/O thread spent in poll */
};

/* What the bound pass weighs: where the active threads' time went. */
struct ct_load {
	double active_time;		/* cpu + rq + lock + io + poll of the active threads */
	double io_t;		/* time counted as I/O: blocked in it or inside its syscalls */
	double cpu_t;		/* time counted as CPU: on or queued for one, less the I/O */
	double io_conc;			/* threads blocked in I/O on average */
};

/* Serialization's figures. */
struct ct_serial {
	unsigned int expect;		/* parallelism to expect: min(busy threads, cores) */
	unsigned int handoffs;		/* busy threads woken by busy threads on a lock/condition */
};

/*
 * Pass 1. @f: @th's facts in @p's window.
 * Profile facts into @pf; into @d: parallelism, python, the lock most waited on, the GIL facts.
 */
void ct_diag__thread_facts(const struct ct_profile *p, const struct ct_thread_rec *th,
			   struct ct_tfacts *f);
void ct_diag__facts(const struct ct_profile *p, struct ct_pfacts *pf, struct ct_diagnosis *d);

/*
 * Pass 2. @r: the roles of @p's threads. Every thread counts, however many (no table to fill).
 * ct_diag__is_busy(): whether a thread @tid of @p is active and busy.
 */
void ct_diag__roles(const struct ct_profile *p, struct ct_roles *r);
bool ct_diag__is_busy(const struct ct_profile *p, __u32 tid);

/* Pass 3. @return the model @r shows. */
enum ct_model ct_diag__model(const struct ct_roles *r);

/* Pass 4. @l from @pf and @r; d->bound and d->dominant. */
void ct_diag__bound(const struct ct_pfacts *pf, const struct ct_roles *r, struct ct_load *l,
		    struct ct_diagnosis *d);

/* Pass 5. @s from @p's wakes and @r; d->serialized and d->serialized_on_lock. */
void ct_diag__serialization(const struct ct_profile *p, const struct ct_pfacts *pf,
			    const struct ct_roles *r, struct ct_serial *s, struct ct_diagnosis *d);

/* The evidence lines of @d from every pass's figures. */
void ct_diag__evidence(const struct ct_profile *p, const struct ct_pfacts *pf,
		       const struct ct_roles *r, const struct ct_load *l, const struct ct_serial *s,
		       struct ct_diagnosis *d);

/* Pass 6. d->rec_model, its confidence and reasons, and d->matches_current. */
void ct_diag__recommend(const struct ct_profile *p, const struct ct_pfacts *pf,
			const struct ct_roles *r, const struct ct_load *l,
			const struct ct_serial *s, struct ct_diagnosis *d);

#endif
