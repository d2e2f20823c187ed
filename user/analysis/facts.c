// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis' first passes: facts (the profile's and each thread's, from the accounts) and
 * roles (which threads are active and busy, in how many processes).
 */
#include <string.h>
#include <sys/syscall.h>
#include "common/ct.h"
#include "limits.h"
#include "model/locks.h"
#include "model/syscall_table.h"
#include "passes.h"


void ct_diag__thread_facts(const struct ct_profile *p, const struct ct_thread_rec *th,
			   struct ct_tfacts *f)
{
	const struct ct_diag_limits *lim = &ct_diag_limits;
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
	f->active = f->cpu >= lim->active_cpu * dur ||
		    (f->life >= lim->active_life * dur &&
		     f->cpu + f->rq + f->lock + f->io + f->poll >= lim->active_work * f->life);
	/* Wanting CPU: on it or queued for it, and otherwise only waiting for the other threads. */
	f->busy = f->cpu >= lim->busy_cpu * dur && f->cpu + f->rq >= lim->busy_want * f->life &&
		  f->cpu + f->rq + f->lock + f->cond >= lim->busy_only * f->life;
}

static bool nr_in(int nr, const int *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == nr)
			return true;
	return false;
}

/* Seconds spent inside the syscalls of a class, from the per-syscall latencies. */
static void syscall_times(const struct ct_profile *p, struct ct_pfacts *pf)
{
	static const int pipe_nrs[] = { SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_splice,
					SYS_vmsplice };
	static const int net_nrs[] = { SYS_connect, SYS_accept, SYS_accept4, SYS_sendto,
				       SYS_recvfrom, SYS_sendmsg, SYS_recvmsg };
	size_t i;

	for (i = 0; i < p->nr_syscalls; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];
		double s = r->v.total_ns / CT_NS;
		int cause = ct_syscall_cause(r->k.nr);

		if (cause == CT_CAUSE_IO || cause == CT_CAUSE_POLL)
			pf->sys_io += s;
		if (nr_in(r->k.nr, pipe_nrs, CT_ARRAY_SIZE(pipe_nrs)))
			pf->sys_pipe += s;
		if (nr_in(r->k.nr, net_nrs, CT_ARRAY_SIZE(net_nrs)))
			pf->sys_net += s;
	}
}

/* Number of I/O blocks, from the off-CPU histograms' counts. */
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
		held += t->on_cpu_ns / CT_NS;
	}
	/* Python code runs only under the GIL: its threads' CPU time is time it was held. */
	d->gil_held_share = held / dur < 1 ? held / dur : 1;
}

void ct_diag__facts(const struct ct_profile *p, struct ct_pfacts *pf, struct ct_diagnosis *d)
{
	const struct ct_totals *t = &p->tot;

	memset(pf, 0, sizeof(*pf));
	pf->dur = p->duration_s > 0 ? p->duration_s : 1e-9;
	d->parallelism = t->on_cpu_ns / CT_NS / pf->dur;
	d->python = p->python;
	hottest_lock(p, d);
	gil_facts(p, d, pf->dur);
	syscall_times(p, pf);
	pf->io_blocks = io_blocks(p);
	pf->mean_io_ms = pf->io_blocks ? (t->wait_ns[CT_CAUSE_IO] + t->wait_ns[CT_CAUSE_POLL]) /
					 1e6 / pf->io_blocks : 0;
}

static bool is_active(const struct ct_profile *p, size_t i)
{
	struct ct_tfacts f;

	ct_diag__thread_facts(p, &p->threads[i], &f);
	return f.active;
}

/* Whether an active thread before the @i-th one belongs to the same process. */
static bool proc_seen(const struct ct_profile *p, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (p->threads[j].pid == p->threads[i].pid && is_active(p, j))
			return true;
	return false;
}

bool ct_diag__is_busy(const struct ct_profile *p, __u32 tid)
{
	struct ct_tfacts f;
	size_t i;

	for (i = 0; i < p->nr_threads; i++) {
		if (p->threads[i].tid != tid)
			continue;
		ct_diag__thread_facts(p, &p->threads[i], &f);
		if (f.active && f.busy)
			return true;
	}
	return false;
}

/*
 * No table of busy threads or processes to overflow: membership is asked of the profile itself
 * (ct_diag__is_busy(), proc_seen()), which costs a scan of the threads per question.
 */
void ct_diag__roles(const struct ct_profile *p, struct ct_roles *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < p->nr_threads; i++) {
		struct ct_tfacts f;

		ct_diag__thread_facts(p, &p->threads[i], &f);
		if (!f.active)
			continue;
		r->active++;
		r->cpu += f.cpu;
		r->rq += f.rq;
		r->lock += f.lock;
		r->io += f.io;
		r->poll += f.poll;
		if (f.life > 0 && (f.io + f.poll) > 0 && f.poll / f.life > r->top_poll_share)
			r->top_poll_share = f.poll / f.life;
		if (f.busy) {
			r->busy++;
			r->busy_cpu += f.cpu;
			r->busy_wait += f.lock + f.cond;
			r->busy_lock += f.lock;
		}
		if (proc_seen(p, i))
			r->extra_threads++;
		else
			r->procs++;
	}
}
