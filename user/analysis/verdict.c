// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis' judging passes: the model in use, what bounds it, whether its threads are
 * serialized, and the recommendation following the rule of thumb, each with its figures.
 */
#include <stdarg.h>
#include <stdio.h>
#include "limits.h"
#include "passes.h"

static void line(char (*v)[CT_DIAG_LEN], int *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void line(char (*v)[CT_DIAG_LEN], int *n, const char *fmt, ...)
{
	va_list ap;

	if (*n >= CT_DIAG_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(v[(*n)++], CT_DIAG_LEN, fmt, ap);
	va_end(ap);
}

#define EVIDENCE(d, ...) line((d)->evidence, &(d)->nr_evidence, __VA_ARGS__)
#define REASON(d, ...) line((d)->reasons, &(d)->nr_reasons, __VA_ARGS__)

enum ct_model ct_diag__model(const struct ct_roles *r)
{
	if (r->procs >= 2)
		return r->extra_threads ? CT_MODEL_MIXED : CT_MODEL_PROCESSES;
	if (r->active >= 2)
		return CT_MODEL_THREADS;
	if (r->active == 1 && r->top_poll_share >= ct_diag_limits.event_loop_poll)
		return CT_MODEL_EVENT_LOOP;
	return CT_MODEL_SERIAL;
}

/*
 * Time inside I/O syscalls counts as I/O even while on a CPU (fast loopback I/O is CPU in the
 * kernel's socket code): I/O time is the larger of the blocked time and the syscall latencies,
 * and that much less counts as CPU.
 */
void ct_diag__bound(const struct ct_pfacts *pf, const struct ct_roles *r, struct ct_load *l,
		    struct ct_diagnosis *d)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;
	double blocked_io = r->io + r->poll;

	l->active_time = r->cpu + r->rq + r->lock + r->io + r->poll;
	l->io_t = pf->sys_io > blocked_io ? pf->sys_io : blocked_io;
	if (l->io_t > l->active_time - r->lock)
		l->io_t = l->active_time - r->lock;
	l->cpu_t = r->cpu + r->rq - (l->io_t - blocked_io);
	if (l->cpu_t < 0)
		l->cpu_t = 0;
	l->io_conc = blocked_io / pf->dur;

	if (l->active_time < lim->idle_active * pf->dur) {
		d->bound = CT_BOUND_IDLE;
		d->dominant = CT_DOMINANT_IDLE;
	} else if (r->procs >= 2 && pf->sys_pipe >= lim->ipc_pipe * l->active_time &&
		   pf->sys_net < lim->ipc_max_net * pf->sys_pipe) {
		d->bound = CT_BOUND_IPC;
		d->dominant = blocked_io > r->cpu ? CT_DOMINANT_IO : CT_DOMINANT_ON_CPU;
	} else if (r->lock > l->cpu_t && r->lock > l->io_t) {
		d->bound = CT_BOUND_LOCK;
		d->dominant = CT_DOMINANT_LOCK;
	} else if (l->io_t > l->cpu_t) {
		d->bound = CT_BOUND_IO;
		d->dominant = r->poll > r->io ? CT_DOMINANT_POLL : CT_DOMINANT_IO;
	} else {
		d->bound = CT_BOUND_CPU;
		d->dominant = r->rq > r->cpu ? CT_DOMINANT_RUNQUEUE : CT_DOMINANT_ON_CPU;
	}
}

/* Hand-offs: blocked busy threads woken by other busy threads on a lock or condition. */
void ct_diag__serialization(const struct ct_profile *p, const struct ct_pfacts *pf,
			    const struct ct_roles *r, struct ct_serial *s, struct ct_diagnosis *d)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;
	double busy_par = r->busy_cpu / pf->dur;
	size_t i;

	s->handoffs = 0;
	for (i = 0; i < p->nr_wakes; i++) {
		const struct ct_wake_rec *w = &p->wakes[i];

		if ((w->k.cause == CT_CAUSE_LOCK || w->k.cause == CT_CAUSE_COND) &&
		    w->k.waker != w->k.wakee && ct_diag__is_busy(p, w->k.waker) &&
		    ct_diag__is_busy(p, w->k.wakee))
			s->handoffs += w->v.count;
	}
	s->expect = r->busy < (unsigned int)p->cores ? r->busy : (unsigned int)p->cores;
	d->serialized = r->busy >= 2 && s->expect >= 2 && busy_par < lim->ser_max_par &&
			busy_par < lim->ser_par_of_expect * s->expect &&
			r->busy_wait >= lim->ser_wait * r->busy_cpu &&
			s->handoffs >= lim->ser_handoffs;
	d->serialized_on_lock = d->serialized && r->busy_lock >= lim->ser_on_lock * r->busy_wait;
}

void ct_diag__evidence(const struct ct_profile *p, const struct ct_pfacts *pf,
		       const struct ct_roles *r, const struct ct_load *l, const struct ct_serial *s,
		       struct ct_diagnosis *d)
{
	double at = l->active_time;

	EVIDENCE(d, "parallelism %.2f of %d cores over %.2f s", d->parallelism, p->cores, pf->dur);
	EVIDENCE(d, "%u active thread(s) in %u process(es), %u wanting CPU", d->active_threads,
		 r->procs, r->busy);
	if (at > 0)
		EVIDENCE(d, "active threads' time: cpu %.0f%%, run queue %.0f%%, lock %.0f%%, "
			 "blocked in I/O %.0f%% (poll %.0f%%); inside I/O syscalls %.0f%%",
			 100 * r->cpu / at, 100 * r->rq / at, 100 * r->lock / at,
			 100 * (r->io + r->poll) / at, 100 * r->poll / at, 100 * l->io_t / at);
	if (pf->io_blocks)
		EVIDENCE(d, "%.0f I/O waits, mean %.2f ms, %.1f threads in I/O on average",
			 pf->io_blocks, pf->mean_io_ms, l->io_conc);
	if (d->serialized)
		EVIDENCE(d, "threads serialized on %s (%s): parallelism %.2f of %d cores; %u busy "
			 "threads handed it to each other %u times (%.2f s waiting)",
			 d->serialized_on, d->serialized_kind, r->busy_cpu / pf->dur, p->cores,
			 r->busy, s->handoffs, r->busy_wait);
	if (d->gil)
		EVIDENCE(d, "CPython GIL: %.2f s waiting for it, held about %.0f%% of the time",
			 d->gil_wait_s, 100 * d->gil_held_share);
	if (d->bound == CT_BOUND_IPC)
		EVIDENCE(d, "%.2f s in pipe read/write syscalls across %u processes", pf->sys_pipe,
			 r->procs);
}

/* Whether advice @a is model @m: the same name, or async for an event loop. */
static bool advice_is(enum ct_advice a, enum ct_model m)
{
	switch (a) {
	case CT_ADVICE_SERIAL:
		return m == CT_MODEL_SERIAL;
	case CT_ADVICE_THREADS:
		return m == CT_MODEL_THREADS;
	case CT_ADVICE_PROCESSES:
		return m == CT_MODEL_PROCESSES;
	case CT_ADVICE_ASYNC:
		return m == CT_MODEL_EVENT_LOOP;
	default:
		return false;
	}
}

/* Serialized threads: one at a time on a mutex, or handed round like an interpreter lock. */
static void recommend_serialized(const struct ct_profile *p, const struct ct_pfacts *pf,
				 const struct ct_roles *r, const struct ct_serial *s,
				 struct ct_diagnosis *d)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;
	double busy_par = r->busy_cpu / pf->dur;

	if (d->serialized_on_lock) {
		/* A mutex guarding the work itself: more workers only queue on it. */
		d->rec_model = CT_ADVICE_SERIAL;
		REASON(d, "threads are serialized on %s: parallelism %.2f of %d cores while %u "
		       "threads wanted CPU, %.2f s of lock waits (%u hand-offs)", d->serialized_on,
		       busy_par, p->cores, r->busy, r->busy_lock, s->handoffs);
		REASON(d, "the guarded work runs one at a time: one thread does it without the "
		       "hand-offs; to scale, shrink the critical section or partition the state");
		d->confidence = lim->conf_serial_lock;
	} else if (d->gil) {
		d->rec_model = CT_ADVICE_PROCESSES;
		REASON(d, "CPython threads are serialized by the GIL: parallelism %.2f of %d cores "
		       "while %u threads wanted CPU, %.2f s waiting for the GIL", busy_par,
		       p->cores, r->busy, d->gil_wait_s);
		REASON(d, "processes (multiprocessing) each have their own interpreter and GIL");
		d->confidence = lim->conf_serial_gil;
	} else {
		/* Handed round on a condition, the shape of an interpreter lock: separate it. */
		d->rec_model = CT_ADVICE_PROCESSES;
		REASON(d, "threads are serialized on %s: parallelism %.2f of %d cores while %u "
		       "threads wanted CPU", d->serialized_on, busy_par, p->cores, r->busy);
		REASON(d, "%.2f s of lock/condition waits handed between them (%u hand-offs): "
		       "separate processes do not share the lock", r->busy_wait, s->handoffs);
		d->confidence = lim->conf_serial_cond;
	}
}

static void recommend_cpu(const struct ct_profile *p, const struct ct_roles *r,
			  const struct ct_load *l, const struct ct_serial *s,
			  struct ct_diagnosis *d)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;

	if (d->model == CT_MODEL_THREADS || d->model == CT_MODEL_PROCESSES ||
	    d->model == CT_MODEL_MIXED) {
		d->rec_model = d->model == CT_MODEL_THREADS ? CT_ADVICE_THREADS :
			       CT_ADVICE_PROCESSES;
		REASON(d, "CPU-bound and already parallel: parallelism %.2f of %d cores",
		       d->parallelism, p->cores);
		d->confidence = d->parallelism >= lim->par_good * (s->expect ? s->expect : 1) ?
				lim->conf_cpu_par_good : lim->conf_cpu_par_poor;
	} else {
		d->rec_model = CT_ADVICE_PROCESSES;
		REASON(d, "CPU-bound (%.0f%% of active time on CPU) on %s: parallelism %.2f "
		       "leaves %d of %d cores idle",
		       l->active_time ? 100 * r->cpu / l->active_time : 0, ct_model_name(d->model),
		       d->parallelism, p->cores - 1, p->cores);
		d->confidence = p->cores >= 2 ? lim->conf_cpu_serial : lim->conf_cpu_one_core;
	}
}

static void recommend_io(const struct ct_pfacts *pf, const struct ct_roles *r,
			 const struct ct_load *l, struct ct_diagnosis *d)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;

	if (d->model == CT_MODEL_EVENT_LOOP || pf->mean_io_ms >= lim->slow_io_ms ||
	    l->io_conc >= lim->many_in_flight) {
		d->rec_model = CT_ADVICE_ASYNC;
		REASON(d, "I/O-bound with slow I/O or many in flight: mean wait %.2f ms, %.1f "
		       "waits in flight on average", pf->mean_io_ms, l->io_conc);
		if (d->model == CT_MODEL_EVENT_LOOP)
			REASON(d, "one thread multiplexes it, %.0f%% of its time in poll",
			       100 * r->top_poll_share);
		d->confidence = lim->conf_io_async;
	} else {
		d->rec_model = CT_ADVICE_THREADS;
		REASON(d, "I/O-bound with fast I/O and few in flight: mean wait %.2f ms, %.1f "
		       "in flight", pf->mean_io_ms, l->io_conc);
		d->confidence = lim->conf_io_threads;
	}
}

/* The recommendation: the rule of thumb, with the figures behind it. */
void ct_diag__recommend(const struct ct_profile *p, const struct ct_pfacts *pf,
			const struct ct_roles *r, const struct ct_load *l,
			const struct ct_serial *s, struct ct_diagnosis *d)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;

	d->confidence = lim->conf_default;
	if (d->serialized) {
		recommend_serialized(p, pf, r, s, d);
	} else if (d->bound == CT_BOUND_CPU) {
		recommend_cpu(p, r, l, s, d);
	} else if (d->bound == CT_BOUND_IO) {
		recommend_io(pf, r, l, d);
	} else if (d->bound == CT_BOUND_LOCK) {
		d->rec_model = CT_ADVICE_SERIAL;
		REASON(d, "lock-bound: %.2f s waiting for locks against %.2f s on CPU; the guarded "
		       "work runs one at a time anyway", r->lock, r->cpu);
		REASON(d, "shrink or split the critical section before adding workers");
		d->confidence = lim->conf_lock;
	} else if (d->bound == CT_BOUND_IPC) {
		d->rec_model = CT_ADVICE_THREADS;
		REASON(d, "moving data between processes dominates: %.2f s in pipe I/O of %.2f s "
		       "active", pf->sys_pipe, l->active_time);
		REASON(d, "threads share the data in memory instead of copying it");
		d->confidence = lim->conf_ipc;
	} else {
		d->rec_model = d->model == CT_MODEL_EVENT_LOOP ? CT_ADVICE_ASYNC :
			       d->model == CT_MODEL_THREADS ? CT_ADVICE_THREADS :
			       d->model == CT_MODEL_PROCESSES ? CT_ADVICE_PROCESSES :
			       CT_ADVICE_SERIAL;
		REASON(d, "mostly idle: active %.2f s of %.2f s wall", l->active_time, pf->dur);
		d->confidence = lim->conf_idle;
	}
	d->matches_current = advice_is(d->rec_model, d->model);
}
