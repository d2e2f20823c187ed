// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler accounting: where each target thread's time goes (on CPU, run queue, blocked by
 * cause), context switches, futex waits, wakeup edges, and the rare fork/exec/exit events.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "stacks.bpf.h"

/* Whether @val, the value a futex waiter expects, is the TID of a live thread of process @tgid. */
static __always_inline bool live_tid_of(__u32 tgid, __u32 val)
{
	struct ct_thread *other = bpf_map_lookup_elem(&threads, &val);

	return other && other->pid == tgid;
}

static __always_inline __u32 futex_cause(__u32 tgid, __u32 op, __u32 val)
{
	/* the map lookup only where the rule asks for it */
	return ct_futex_op_cause(op, val, val > CT_FUTEX_CONTENDED && live_tid_of(tgid, val));
}

/*
 * Why @t is blocked, from the registers it entered the kernel with: orig_ax is the syscall
 * number, di/si/dx the first arguments. A fault, not a syscall, may alias a syscall number; rare.
 */
static __always_inline __u32 block_cause(struct task_struct *t, __u32 tgid, __u64 *uaddr)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	long nr;

	*uaddr = 0;
	if (!regs)
		return CT_CAUSE_OTHER;
	nr = regs->orig_ax;
	if (nr < 0 || nr >= CT_MAX_SYSCALLS)
		return CT_CAUSE_OTHER;
	if (nr == targ_nr_futex) {
		*uaddr = regs->di;
		return futex_cause(tgid, regs->si, regs->dx);
	}
	if (nr == targ_nr_futex_waitv)
		return CT_CAUSE_COND;
	return targ_syscall_cause[nr & (CT_MAX_SYSCALLS - 1)];
}

/* Add the edge cached in @th (struct ct_thread's edge_*) to the futexes and wakes maps. */
static __always_inline void edge_flush(struct ct_thread *th)
{
	struct ct_futex_key fk = {};
	struct ct_futex_val *fv, fzero = {};
	struct ct_wake_key wk = {};
	struct ct_wake_val *wv, wzero = {};
	__u64 n = th->edge_count;

	if (!n)
		return;
	th->edge_count = 0;
	if (th->edge_uaddr && ct_cause_is_futex(th->edge_cause)) {
		fk.uaddr = th->edge_uaddr;
		fk.pid = th->pid;
		fk.cause = th->edge_cause;
		fv = ct_lookup_or_init(&futexes, &fk, &fzero, CT_DROP_FUTEXES);
		if (fv) {
			__sync_fetch_and_add(&fv->waits, n);
			__sync_fetch_and_add(&fv->total_ns, th->edge_ns);
			ct_max_u64(&fv->max_ns, th->edge_max_ns);
		}
	}
	wk.uaddr = th->edge_uaddr;
	wk.waker = th->edge_waker;
	wk.wakee = th->tid;
	wk.cause = th->edge_cause;
	wv = ct_lookup_or_init(&wakes, &wk, &wzero, CT_DROP_WAKES);
	if (wv) {
		__sync_fetch_and_add(&wv->count, n);
		__sync_fetch_and_add(&wv->blocked_ns, th->edge_ns);
	}
}

/*
 * Close a blocked period of @d ns: per-cause time, histogram, and its edge (futex, waker,
 * cause), added to the thread's cached edge when the same, else replacing it.
 */
static __always_inline void account_blocked(struct ct_thread *th, __u32 cause, __u64 d)
{
	if (cause >= CT_CAUSE_MAX)
		cause = CT_CAUSE_OTHER;
	th->wait_ns[cause] += d;
	ct_hist_add(cause, d);
	ct_sample_wait_end(th, d);

	if (th->edge_count && (th->edge_uaddr != th->futex_uaddr ||
			       th->edge_waker != th->waker || th->edge_cause != cause))
		edge_flush(th);
	if (!th->edge_count) {
		th->edge_uaddr = th->futex_uaddr;
		th->edge_waker = th->waker;
		th->edge_cause = cause;
		th->edge_ns = 0;
		th->edge_max_ns = 0;
	}
	th->edge_count++;
	th->edge_ns += d;
	if (d > th->edge_max_ns)
		th->edge_max_ns = d;
	th->futex_uaddr = 0;
	th->waker = 0;
}

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

static __always_inline void emit(__u32 type, __u32 pid, __u32 ppid, struct task_struct *t)
{
	struct ct_event *e = bpf_ringbuf_reserve(&events, CT_EVENT_PROC_SIZE, 0);

	if (!e) {
		ct_drop(CT_DROP_RINGBUF);
		return;
	}
	__builtin_memset(e, 0, CT_EVENT_PROC_SIZE);
	e->type = type;
	e->pid = pid;
	e->ppid = ppid;
	e->ts = bpf_ktime_get_ns();
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), t->comm);
	bpf_ringbuf_submit(e, 0);
}

/* Follow forks: a new process of a target becomes a target (threads share the tgid already). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = CT_TARGET_LIVE;

	if (!enabled || ptgid == ctgid || !ct_maybe_target(ptgid) || !ct_is_target(ptgid))
		return 0;
	/* Its bit first: the filters test it before the targets map (ct_maybe_target). */
	__sync_fetch_and_or(&target_bits[(ctgid / 64) % (CT_TARGET_BITS / 64)], 1ULL << (ctgid % 64));
	if (bpf_map_update_elem(&targets, &ctgid, &one, BPF_ANY)) {
		ct_drop(CT_DROP_TARGETS);
		return 0;
	}
	emit(CT_EV_FORK, ctgid, ptgid, child);
	return 0;
}

/*
 * An exec from a non-leader thread: the kernel gave it the leader's TID (de_thread's
 * exchange_tids). Move its account @a from @old to @tid; what is there already is either its own
 * account begun after the exchange (merged in: it holds the current state) or the old leader's
 * (retired as exited).
 */
static __always_inline void exec_move(struct ct_thread *a, __u32 old, __u32 tid, __u64 now)
{
	struct ct_thread moved, *cur;
	int c;

	/* The cached edges go out under the TIDs they were taken with. */
	edge_flush(a);
	__builtin_memcpy(&moved, a, sizeof(moved));
	moved.tid = tid;
	cur = bpf_map_lookup_elem(&threads, &tid);
	if (cur && cur->task == moved.task) {
		edge_flush(cur);
		moved.on_cpu_ns += cur->on_cpu_ns;
		moved.steal_ns += cur->steal_ns;
		for (c = 0; c < CT_CAUSE_MAX; c++)
			moved.wait_ns[c] += cur->wait_ns[c];
		moved.nvcsw += cur->nvcsw;
		moved.nivcsw += cur->nivcsw;
		moved.syscalls += cur->syscalls;
		moved.ts = cur->ts;
		moved.futex_uaddr = cur->futex_uaddr;
		moved.steal_mark = cur->steal_mark;
		moved.state = cur->state;
		moved.cause = cur->cause;
		moved.waker = cur->waker;
		moved.sample_seq = cur->sample_seq;
	} else if (cur) {
		ct_thread_retire(cur, 0, now);
	}
	if (bpf_map_update_elem(&threads, &tid, &moved, BPF_ANY))
		ct_drop(CT_DROP_THREADS);
	bpf_map_delete_elem(&threads, &old);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_sched_process_exec, struct task_struct *p, pid_t old_pid)
{
	__u32 tid = p->pid, old = old_pid;
	__u32 tgid = p->tgid;
	struct ct_thread *th;

	if (!enabled || !ct_maybe_target(tgid) || !ct_is_target(tgid))
		return 0;
	if (old != tid) {
		th = bpf_map_lookup_elem(&threads, &old);
		if (th && th->task == (__u64)p)
			exec_move(th, old, tid, bpf_ktime_get_ns());
	}
	th = bpf_map_lookup_elem(&threads, &tid);
	if (th)
		bpf_probe_read_kernel_str(th->comm, sizeof(th->comm), p->comm);
	emit(CT_EV_EXEC, tgid, 0, p);
	return 0;
}

/*
 * When the last thread of a group exits, mark the tgid dying; its final switch-out removes it,
 * so a reused PID is not traced.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_sched_process_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	__u8 *v;

	if (!enabled || !ct_maybe_target(tgid))
		return 0;
	v = bpf_map_lookup_elem(&targets, &tgid);
	if (v && p->signal->live.counter == 0)
		*v = CT_TARGET_DYING;
	return 0;
}
