/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Blocked periods: why a thread blocks (the syscall it sits in, a futex's op and value) and the
 * edges of its blocked periods (futex, waker, cause) cached in its account and added to the
 * futexes and wakes maps. Shared by the scheduler (sched.bpf.c) and exec (proc.bpf.c).
 */
#ifndef CT_BLOCK_BPF_H
#define CT_BLOCK_BPF_H

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
	return ct_futex_op_cause(op, val, ct_futex_op_asks_tid(op, val) && live_tid_of(tgid, val));
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

#endif /* CT_BLOCK_BPF_H */
