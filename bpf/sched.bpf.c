// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler accounting: where each target thread's time goes (on CPU, run queue, blocked by
 * cause), context switches, futex waits and wakeup edges. Block causes and edges are in
 * block.bpf.h, fork/exec/exit of processes in proc.bpf.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "block.bpf.h"

/* The last thread of a group has switched out dead: stop following its tgid. */
static __always_inline void target_exit(__u32 tgid)
{
	__u8 *v;

	if (!ct_maybe_target(tgid))
		return;
	v = bpf_map_lookup_elem(&targets, &tgid);
	if (v && *v == CT_TARGET_DYING)
		bpf_map_delete_elem(&targets, &tgid);
}

/*
 * The steal time (CONFIG_PARAVIRT_TIME_ACCOUNTING) this CPU's run queue has taken out of its task
 * clock so far: what a hypervisor ran instead of us. The kernel leaves it out of sum_exec_runtime
 * (update_rq_clock_task()), so on-CPU time does too. The run queue is reached through the task
 * switching on this CPU (se.cfs_rq->rq, CONFIG_FAIR_GROUP_SCHED): the per-CPU `runqueues` symbol
 * has no address without CONFIG_KALLSYMS_ALL. 0 when either is missing.
 */
static __always_inline __u64 steal_clock(struct task_struct *t)
{
	if (!bpf_core_field_exists(struct rq, prev_steal_time_rq) ||
	    !bpf_core_field_exists(struct cfs_rq, rq))
		return 0;
	return t->se.cfs_rq->rq->prev_steal_time_rq;
}

static __always_inline void switch_out(void *ctx, struct task_struct *prev, bool preempt,
				       unsigned int prev_state, __u64 now)
{
	__u32 tgid = prev->tgid;
	bool dead = prev_state & TASK_DEAD;
	struct ct_thread *th;
	__u64 uaddr, d, steal;

	/* A dying task with no account of its own (its TID passed on by an exec) is not new. */
	th = ct_thread_get(prev, prev->pid, tgid, !dead);
	if (!th) {
		if (dead)
			target_exit(tgid);
		return;
	}
	/* Running since its switch-in, or (first sight) since the start of the trace. */
	d = now - th->ts;
	if (th->state == CT_ST_RUNNING) {
		steal = steal_clock(prev) - th->steal_mark;
		steal = steal < d ? steal : d;
		th->steal_ns += steal;
		d -= steal;
	}
	th->on_cpu_ns += d;
	ct_slice(th, CT_SL_RUNNING, 0, now);	/* on CPU until now, whatever we knew before */
	/*
	 * A switch whose prev is still TASK_RUNNING is involuntary (preempted or yielded); the
	 * kernel counts it in nivcsw exactly then. The preempt argument alone misses yields.
	 */
	if (preempt || prev_state == TASK_RUNNING) {
		th->nivcsw++;
		th->state = CT_ST_RUNNABLE;
		th->ts = now;
		return;
	}
	th->nvcsw++;
	if (dead) {
		bpf_probe_read_kernel_str(th->comm, sizeof(th->comm), prev->comm);
		ct_thread_retire(th, BPF_CORE_READ(prev, exit_code), now);
		target_exit(tgid);
		return;
	}
	th->cause = block_cause(prev, tgid, &uaddr);
	th->futex_uaddr = uaddr;
	th->waker = 0;
	th->state = CT_ST_BLOCKED;
	th->ts = now;
	if (uaddr && (th->cause == CT_CAUSE_LOCK || th->cause == CT_CAUSE_COND))
		ct_sample_wait(ctx, prev, th, now);
}

static __always_inline void switch_in(struct task_struct *next, __u64 now)
{
	struct ct_thread *th = ct_thread_get(next, next->pid, next->tgid, true);
	__u64 d;

	if (!th)
		return;
	d = now - th->ts;
	if (th->state == CT_ST_RUNNABLE) {
		th->wait_ns[CT_CAUSE_RUNQUEUE] += d;
		ct_hist_add(CT_CAUSE_RUNQUEUE, d);
		ct_slice(th, CT_SL_RUNNABLE, 0, now);
	} else if (th->state == CT_ST_BLOCKED) {
		/* No wakeup seen (woken before we were enabled): blocked until now. */
		account_blocked(th, th->cause, d);
		ct_slice(th, CT_SL_BLOCKED, th->cause, now);
	} else if (th->state == CT_ST_UNKNOWN) {
		/* Runnable since before the trace started. */
		th->wait_ns[CT_CAUSE_RUNQUEUE] += d;
		ct_slice(th, CT_SL_RUNNABLE, 0, now);
	}
	th->state = CT_ST_RUNNING;
	th->ts = now;
	th->steal_mark = steal_clock(next);
}

/* sched_switch: prev leaves the CPU, next takes it. The hottest hook: filter first. */
SEC("tp_btf/sched_switch")
int BPF_PROG(handle_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u64 now;

	if (!enabled)
		return 0;
	now = bpf_ktime_get_ns();
	switch_out(ctx, prev, preempt, prev_state, now);
	switch_in(next, now);
	return 0;
}

/* sched_waking runs in the waker's context (sched_wakeup may run in an IPI): remember who. */
SEC("tp_btf/sched_waking")
int BPF_PROG(handle_sched_waking, struct task_struct *p)
{
	__u32 tid, tgid;
	struct ct_thread *th;

	if (!enabled)
		return 0;
	tid = p->pid;
	tgid = p->tgid;
	if (!ct_maybe_target(tgid))
		return 0;
	th = bpf_map_lookup_elem(&threads, &tid);
	if (th && (ct_live_account(th, p) || ct_is_target(tgid)))
		th->waker = (__u32)bpf_get_current_pid_tgid();
	return 0;
}

/*
 * sched_wakeup fires once p is enqueued, always after its switch-out completed: the blocked
 * period ends here and run-queue time begins.
 */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(handle_sched_wakeup, struct task_struct *p)
{
	__u32 tgid;
	struct ct_thread *th;
	__u64 now, uaddr;
	__u32 cause;

	if (!enabled)
		return 0;
	tgid = p->tgid;
	th = ct_thread_get(p, p->pid, tgid, true);
	if (!th)
		return 0;
	if (th->state != CT_ST_BLOCKED && th->state != CT_ST_UNKNOWN)
		return 0;
	now = bpf_ktime_get_ns();
	if (th->state == CT_ST_UNKNOWN) {
		/* Blocked since before the trace: its registers still say where. */
		cause = block_cause(p, tgid, &uaddr);
		th->futex_uaddr = uaddr;
	} else {
		cause = th->cause;
	}
	account_blocked(th, cause, now - th->ts);
	ct_slice(th, CT_SL_BLOCKED, cause, now);
	th->state = CT_ST_RUNNABLE;
	th->ts = now;
	return 0;
}

/* A new thread or process of a target is runnable from its first wakeup. */
SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(handle_sched_wakeup_new, struct task_struct *p)
{
	struct ct_thread *th;
	__u64 now;

	if (!enabled)
		return 0;
	th = ct_thread_get(p, p->pid, p->tgid, true);
	if (!th)
		return 0;
	now = bpf_ktime_get_ns();
	th->first_ns = now;
	th->state = CT_ST_RUNNABLE;
	th->ts = now;
	return 0;
}
