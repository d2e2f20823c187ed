// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier, v1: from the per-thread accounts, the dominant cause, the model in use,
 * serialization, and a recommendation following the rule of thumb, each with its figures.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "common/ct.h"
#include "diagnose.h"
#include "model/locks.h"
#include "model/record.h"
#include "model/syscall_table.h"

/* Per-thread facts the rules use. */
struct tfacts {
	double life;		/* seconds inside the trace window */
	double cpu, rq, lock, cond, join, io, poll, sleep, other;
	bool active, busy;
};

static void facts(const struct ct_profile *p, const struct ct_thread *th, struct tfacts *f)
{
	__u64 first = th->first_ns > p->start_ns ? th->first_ns : p->start_ns;
	__u64 last = th->last_ns ? th->last_ns : p->stop_ns;
	double dur = p->duration_s;

	f->life = last > first ? (last - first) / CT_NS : 0;
	f->cpu = th->on_cpu_ns / CT_NS;
	f->rq = th->wait_ns[CT_CAUSE_RUNQUEUE] / CT_NS;
	f->lock = th->wait_ns[CT_CAUSE_LOCK] / CT_NS;
	f->cond = th->wait_ns[CT_CAUSE_COND] / CT_NS;
	f->join = th->wait_ns[CT_CAUSE_JOIN] / CT_NS;
	f->io = th->wait_ns[CT_CAUSE_IO] / CT_NS;
	f->poll = th->wait_ns[CT_CAUSE_POLL] / CT_NS;
	f->sleep = th->wait_ns[CT_CAUSE_SLEEP] / CT_NS;
	f->other = th->wait_ns[CT_CAUSE_OTHER] / CT_NS;
	/* Doing work: on a CPU, waiting for one, for a lock or for I/O, not idle or joining. */
	f->active = f->cpu >= 0.1 * dur ||
		    (f->life >= 0.1 * dur && f->cpu + f->rq + f->lock + f->io + f->poll >= 0.3 * f->life);
	/* Wanting CPU: on it or queued for it, and otherwise only waiting for the other threads. */
	f->busy = f->cpu >= 0.05 * dur && f->cpu + f->rq >= 0.2 * f->life &&
		  f->cpu + f->rq + f->lock + f->cond >= 0.8 * f->life;
}

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

static bool in_set(const __u32 *set, unsigned int n, __u32 tid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (set[i] == tid)
			return true;
	return false;
}

/* Seconds spent inside the syscalls of a class, from the per-syscall latencies. */
struct sys_time {
	double io;		/* any I/O syscall (the io and poll causes), on CPU or blocked */
	double pipe;		/* read/write-type calls: pipes and socketpairs between processes */
	double net;		/* socket calls: connect, accept, send and recv families */
};

static bool nr_in(int nr, const int *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == nr)
			return true;
	return false;
}

static void syscall_times(const struct ct_profile *p, struct sys_time *st)
{
	static const int pipe_nrs[] = { SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_splice,
					SYS_vmsplice };
	static const int net_nrs[] = { SYS_connect, SYS_accept, SYS_accept4, SYS_sendto,
				       SYS_recvfrom, SYS_sendmsg, SYS_recvmsg };
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < p->nr_syscalls; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];
		double s = r->v.total_ns / CT_NS;
		int cause = ct_syscall_cause(r->k.nr);

		if (cause == CT_CAUSE_IO || cause == CT_CAUSE_POLL)
			st->io += s;
		if (nr_in(r->k.nr, pipe_nrs, CT_ARRAY_SIZE(pipe_nrs)))
			st->pipe += s;
		if (nr_in(r->k.nr, net_nrs, CT_ARRAY_SIZE(net_nrs)))
			st->net += s;
	}
}

/* Number of I/O blocks and their mean duration, from the off-CPU histograms' counts. */
static double io_blocks(const struct ct_profile *p)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < CT_HIST_SLOTS; i++)
		n += p->hists[CT_CAUSE_IO].slots[i] + p->hists[CT_CAUSE_POLL].slots[i];
	return n;
}

/* The lock or condition waited on longest, named into d->serialized_on. */
static void hottest_lock(const struct ct_profile *p, struct ct_diagnosis *d)
{
	const struct ct_futex_rec *best = NULL;
	size_t i;

	for (i = 0; i < p->nr_futexes; i++) {
		const struct ct_futex_rec *f = &p->futexes[i];

		if ((f->k.cause == CT_CAUSE_LOCK || f->k.cause == CT_CAUSE_COND) &&
		    (!best || f->v.total_ns > best->v.total_ns))
			best = f;
	}
	if (!best)
		return;
	d->serialized_kind = ct_lock_kind(p, best->k.pid, best->k.uaddr, best->k.cause);
	ct_lock_name(p, best->k.pid, best->k.uaddr, best->k.cause, d->serialized_on,
		     sizeof(d->serialized_on));
}

/* CPython: the GIL's waits (per thread in the profile) and how much of the time it was held. */
static void gil_facts(const struct ct_profile *p, struct ct_diagnosis *d, double dur)
{
	double held = 0;
	size_t i;

	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread_rec *t = &p->threads[i];

		if (!t->gil_wait_ns)
			continue;
		d->gil = true;
		d->gil_wait_s += t->gil_wait_ns / CT_NS;
		held += t->th.on_cpu_ns / CT_NS;
	}
	/* Python code runs only under the GIL: its threads' CPU time is time it was held. */
	d->gil_held_share = held / dur < 1 ? held / dur : 1;
}

void ct_diagnose(const struct ct_profile *p, struct ct_diagnosis *d)
{
	const struct ct_totals *t = &p->tot;
	double dur = p->duration_s > 0 ? p->duration_s : 1e-9;
	double cpu = 0, rq = 0, lock = 0, io = 0, poll = 0, busy_cpu = 0, busy_wait = 0;
	double busy_lock = 0;
	double top_poll_share = 0, active_time, nblocks, mean_io_ms, io_conc, io_t, cpu_t;
	struct sys_time st;
	__u32 busy[256], procs[256];
	unsigned int nbusy = 0, nprocs = 0, multi_thread_procs = 0, handoffs = 0;
	unsigned int expect;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->parallelism = t->on_cpu_ns / CT_NS / dur;
	d->python = p->python;
	hottest_lock(p, d);
	gil_facts(p, d, dur);

	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread *th = &p->threads[i].th;
		struct tfacts f;
		unsigned int j, same = 0;

		facts(p, th, &f);
		if (!f.active)
			continue;
		d->active_threads++;
		cpu += f.cpu;
		rq += f.rq;
		lock += f.lock;
		io += f.io;
		poll += f.poll;
		if (f.life > 0 && (f.io + f.poll) > 0 && f.poll / f.life > top_poll_share)
			top_poll_share = f.poll / f.life;
		if (f.busy && nbusy < CT_ARRAY_SIZE(busy)) {
			busy[nbusy++] = th->tid;
			busy_cpu += f.cpu;
			busy_wait += f.lock + f.cond;
			busy_lock += f.lock;
		}
		for (j = 0; j < nprocs; j++)
			if (procs[j] == th->pid)
				same++;
		if (!same && nprocs < CT_ARRAY_SIZE(procs))
			procs[nprocs++] = th->pid;
		else if (same == 1)
			multi_thread_procs++;
	}
	d->busy_threads = nbusy;
	d->active_procs = nprocs;

	/* Hand-offs: blocked busy threads woken by other busy threads on a lock or condition. */
	for (i = 0; i < p->nr_wakes; i++) {
		const struct ct_wake_rec *w = &p->wakes[i];

		if ((w->k.cause == CT_CAUSE_LOCK || w->k.cause == CT_CAUSE_COND) &&
		    w->k.waker != w->k.wakee && in_set(busy, nbusy, w->k.waker) &&
		    in_set(busy, nbusy, w->k.wakee))
			handoffs += w->v.count;
	}
	expect = nbusy < (unsigned int)p->cores ? nbusy : (unsigned int)p->cores;
	d->serialized = nbusy >= 2 && expect >= 2 && busy_cpu / dur < 1.3 &&
			busy_cpu / dur < 0.7 * expect && busy_wait >= 0.25 * busy_cpu &&
			handoffs >= 10;

	/* The model in use. */
	if (nprocs >= 2)
		d->model = multi_thread_procs ? "mixed" : "processes";
	else if (d->active_threads >= 2)
		d->model = "threads";
	else if (d->active_threads == 1 && top_poll_share >= 0.3)
		d->model = "event_loop";
	else
		d->model = "serial";

	/*
	 * What bounds it. Time inside I/O syscalls counts as I/O even while on a CPU (fast
	 * loopback I/O is CPU in the kernel's socket code): I/O time is the larger of the blocked
	 * time and the syscall latencies, and that much less counts as CPU.
	 */
	active_time = cpu + rq + lock + io + poll;
	syscall_times(p, &st);
	io_t = st.io > io + poll ? st.io : io + poll;
	if (io_t > active_time - lock)
		io_t = active_time - lock;
	cpu_t = cpu + rq - (io_t - (io + poll));
	if (cpu_t < 0)
		cpu_t = 0;
	nblocks = io_blocks(p);
	mean_io_ms = nblocks ? (t->wait_ns[CT_CAUSE_IO] + t->wait_ns[CT_CAUSE_POLL]) / 1e6 / nblocks : 0;
	io_conc = (io + poll) / dur;
	if (active_time < 0.05 * dur) {
		d->bound = "idle";
		d->dominant = "idle";
	} else if (nprocs >= 2 && st.pipe >= 0.3 * active_time && st.net < 0.2 * st.pipe) {
		d->bound = "ipc";
		d->dominant = (io + poll) > cpu ? "io" : "on_cpu";
	} else if (lock > cpu_t && lock > io_t) {
		d->bound = "lock";
		d->dominant = "lock";
	} else if (io_t > cpu_t) {
		d->bound = "io";
		d->dominant = poll > io ? "poll" : "io";
	} else {
		d->bound = "cpu";
		d->dominant = rq > cpu ? "runqueue" : "on_cpu";
	}

	EVIDENCE(d, "parallelism %.2f of %d cores over %.2f s", d->parallelism, p->cores, dur);
	EVIDENCE(d, "%u active thread(s) in %u process(es), %u wanting CPU", d->active_threads,
		 nprocs, nbusy);
	if (active_time > 0)
		EVIDENCE(d, "active threads' time: cpu %.0f%%, run queue %.0f%%, lock %.0f%%, "
			 "blocked in I/O %.0f%% (poll %.0f%%); inside I/O syscalls %.0f%%",
			 100 * cpu / active_time, 100 * rq / active_time, 100 * lock / active_time,
			 100 * (io + poll) / active_time, 100 * poll / active_time,
			 100 * io_t / active_time);
	if (nblocks)
		EVIDENCE(d, "%.0f I/O waits, mean %.2f ms, %.1f threads in I/O on average", nblocks,
			 mean_io_ms, io_conc);
	if (d->serialized)
		EVIDENCE(d, "threads serialized on %s (%s): parallelism %.2f of %d cores; %u busy "
			 "threads handed it to each other %u times (%.2f s waiting)",
			 d->serialized_on, d->serialized_kind, busy_cpu / dur, p->cores, nbusy,
			 handoffs, busy_wait);
	if (d->gil)
		EVIDENCE(d, "CPython GIL: %.2f s waiting for it, held about %.0f%% of the time",
			 d->gil_wait_s, 100 * d->gil_held_share);
	if (!strcmp(d->bound, "ipc"))
		EVIDENCE(d, "%.2f s in pipe read/write syscalls across %u processes", st.pipe, nprocs);

	/* The recommendation: the rule of thumb, with the figures behind it. */
	d->confidence = 0.6;
	d->serialized_on_lock = d->serialized && busy_lock >= 0.5 * busy_wait;
	if (d->serialized_on_lock) {
		/* A mutex guarding the work itself: more workers only queue on it. */
		d->rec_model = "serial";
		REASON(d, "threads are serialized on %s: parallelism %.2f of %d cores while %u "
		       "threads wanted CPU, %.2f s of lock waits (%u hand-offs)", d->serialized_on,
		       busy_cpu / dur, p->cores, nbusy, busy_lock, handoffs);
		REASON(d, "the guarded work runs one at a time: one thread does it without the "
		       "hand-offs; to scale, shrink the critical section or partition the state");
		d->confidence = 0.75;
	} else if (d->serialized && d->gil) {
		d->rec_model = "processes";
		REASON(d, "CPython threads are serialized by the GIL: parallelism %.2f of %d cores "
		       "while %u threads wanted CPU, %.2f s waiting for the GIL", busy_cpu / dur,
		       p->cores, nbusy, d->gil_wait_s);
		REASON(d, "processes (multiprocessing) each have their own interpreter and GIL");
		d->confidence = 0.9;
	} else if (d->serialized) {
		/* Handed round on a condition, the shape of an interpreter lock: separate it. */
		d->rec_model = "processes";
		REASON(d, "threads are serialized on %s: parallelism %.2f of %d cores while %u "
		       "threads wanted CPU", d->serialized_on, busy_cpu / dur, p->cores, nbusy);
		REASON(d, "%.2f s of lock/condition waits handed between them (%u hand-offs): "
		       "separate processes do not share the lock", busy_wait, handoffs);
		d->confidence = 0.9;
	} else if (!strcmp(d->bound, "cpu")) {
		if (!strcmp(d->model, "threads") || !strcmp(d->model, "processes") ||
		    !strcmp(d->model, "mixed")) {
			d->rec_model = strcmp(d->model, "threads") ? "processes" : "threads";
			REASON(d, "CPU-bound and already parallel: parallelism %.2f of %d cores",
			       d->parallelism, p->cores);
			d->confidence = d->parallelism >= 0.75 * (expect ? expect : 1) ? 0.8 : 0.6;
		} else {
			d->rec_model = "processes";
			REASON(d, "CPU-bound (%.0f%% of active time on CPU) on %s: parallelism %.2f "
			       "leaves %d of %d cores idle", active_time ? 100 * cpu / active_time : 0,
			       d->model, d->parallelism, p->cores - 1, p->cores);
			d->confidence = p->cores >= 2 ? 0.85 : 0.3;
		}
	} else if (!strcmp(d->bound, "io")) {
		if (!strcmp(d->model, "event_loop") || mean_io_ms >= 10 || io_conc >= 16) {
			d->rec_model = "async";
			REASON(d, "I/O-bound with slow I/O or many in flight: mean wait %.2f ms, %.1f "
			       "waits in flight on average", mean_io_ms, io_conc);
			if (!strcmp(d->model, "event_loop"))
				REASON(d, "one thread multiplexes it, %.0f%% of its time in poll",
				       100 * top_poll_share);
			d->confidence = 0.8;
		} else {
			d->rec_model = "threads";
			REASON(d, "I/O-bound with fast I/O and few in flight: mean wait %.2f ms, %.1f "
			       "in flight", mean_io_ms, io_conc);
			d->confidence = 0.7;
		}
	} else if (!strcmp(d->bound, "lock")) {
		d->rec_model = "serial";
		REASON(d, "lock-bound: %.2f s waiting for locks against %.2f s on CPU; the guarded "
		       "work runs one at a time anyway", lock, cpu);
		REASON(d, "shrink or split the critical section before adding workers");
		d->confidence = 0.6;
	} else if (!strcmp(d->bound, "ipc")) {
		d->rec_model = "threads";
		REASON(d, "moving data between processes dominates: %.2f s in pipe I/O of %.2f s "
		       "active", st.pipe, active_time);
		REASON(d, "threads share the data in memory instead of copying it");
		d->confidence = 0.75;
	} else {
		d->rec_model = !strcmp(d->model, "event_loop") ? "async" :
			       !strcmp(d->model, "threads") ? "threads" :
			       !strcmp(d->model, "processes") ? "processes" : "serial";
		REASON(d, "mostly idle: active %.2f s of %.2f s wall", active_time, dur);
		d->confidence = 0.3;
	}
	d->matches_current = (!strcmp(d->rec_model, "async") && !strcmp(d->model, "event_loop")) ||
			     !strcmp(d->rec_model, d->model);
}

void ct_diagnose_recording(struct ct_recording *r)
{
	int i, k;

	if (r->kind == CT_REC_PROFILE)
		ct_diagnose(&r->prof, &r->diag);
	for (i = 0; r->lab && i < r->lab->nr_results; i++)
		for (k = 0; k < r->lab->results[i].nr_cells; k++)
			ct_diagnose(&r->lab->results[i].cells[k].prof,
				    &r->lab->results[i].cells[k].diag);
}
