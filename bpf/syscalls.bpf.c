// SPDX-License-Identifier: GPL-2.0
/*
 * Per-syscall accounting: count, total and max latency per (process, syscall number), and each
 * thread's syscall count. Optional (--no-syscalls leaves these programs unloaded); block causes
 * come from sched.bpf.c alone.
 *
 * The hot path touches only the task's own storage (task_sys): sys_exit adds the latency to the
 * task's slot for that syscall number (sys_enter adds the untimed ones, see ct_syscall_timed()),
 * and the slot goes to the syscalls map when another number needs it, when the task exits
 * (sched_process_exit), or at the end of the trace (flush_syscalls).
 * Tasks of processes whose tgid bit is clear in target_bits (most bystanders) return at once.
 * Whether a task is traced is decided at its first syscall while enabled and kept in its storage
 * until user space adds a target (targets_gen). That verdict cannot go stale otherwise: a task's
 * tgid never changes (exec keeps it), a forked child or a reused PID is a new task with no
 * storage, and a target's tgid leaves the targets map only when all its threads have exited.
 * A thread's syscall count goes to its account the same two ways.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ct.bpf.h"

/*
 * Add @n syscalls of number @nr by process @tgid, @total_ns long together, the longest @max_ns,
 * to this CPU's row. Atomic: a flush in a task's exit may preempt the iterator's on this CPU.
 */
static __noinline void syscall_add(__u32 tgid, __u32 nr, __u64 n, __u64 total_ns, __u64 max_ns)
{
	struct ct_syscall_key k = { .pid = tgid, .nr = nr };
	struct ct_syscall_val *v, init = { .count = n, .total_ns = total_ns, .max_ns = max_ns };
	long err;

	v = bpf_map_lookup_elem(&syscalls, &k);
	if (!v) {
		err = bpf_map_update_elem(&syscalls, &k, &init, BPF_NOEXIST);
		if (!err)
			return;
		/* Inserted by another CPU meanwhile: this CPU's row is zeroed, add to it. */
		v = err == -EEXIST ? bpf_map_lookup_elem(&syscalls, &k) : NULL;
		if (!v) {
			__sync_fetch_and_add(&drops[CT_DROP_SYSCALLS], n);
			return;
		}
	}
	__sync_fetch_and_add(&v->count, n);
	__sync_fetch_and_add(&v->total_ns, total_ns);
	ct_max_u64(&v->max_ns, max_ns);
}

/*
 * Move slot @a of a task of process @tgid to the syscalls map. The task's own sys_exit refills
 * it without atomics; another flusher (the end-of-trace iterator, while tracing is disabled)
 * takes it by swapping its count to 0, so two flushers never both add it.
 */
static __always_inline void sys_acc_flush(__u32 tgid, struct ct_sys_acc *a)
{
	__u64 n = a->count;

	if (!n || __sync_val_compare_and_swap(&a->count, n, 0) != n)
		return;
	syscall_add(tgid, a->nr, n, a->total_ns, a->max_ns);
}

/*
 * Decide whether the current task @t is traced (its process a target). A target thread's account
 * is created here, at its first syscall, as it was when the account held the syscall state.
 */
static __noinline int sys_decide(struct ct_task_sys *s, struct task_struct *t, __u32 gen)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;

	s->tgid = tgid;
	s->traced = ct_is_target(tgid);
	s->gen = gen;
	if (s->traced)
		ct_thread_get(t, (__u32)pid_tgid, tgid, true);
	return s->traced;
}

/*
 * Add one syscall @nr, @d ns long, to @s's slot for its number, moving out what another number
 * left there first.
 */
static __always_inline void sys_acc_add(struct ct_task_sys *s, __u32 nr, __u64 d)
{
	struct ct_sys_acc *a = &s->acc[nr & (CT_SYS_SLOTS - 1)];

	if (a->count && a->nr != nr)
		sys_acc_flush(s->tgid, a);
	if (!a->count) {
		a->nr = nr;
		a->total_ns = 0;
		a->max_ns = 0;
	}
	a->count++;
	a->total_ns += d;
	if (d > a->max_ns)
		a->max_ns = d;
}

/* True for the syscalls user space listed as unable to block (ct_syscall_timed()). */
static __always_inline bool sys_untimed(long nr)
{
	return nr >= 0 && nr < CT_MAX_SYSCALLS && targ_sys_untimed[nr & (CT_MAX_SYSCALLS - 1)];
}

/*
 * sys_enter: count the syscall and remember it and its start; sys_exit accounts it. A syscall
 * that cannot block (getpid, exit, ...) is accounted here, untimed: its two clock reads would
 * cost more than the call.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(handle_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *t;
	struct ct_task_sys *s;
	__u32 gen;

	if (!enabled)
		return 0;
	t = bpf_get_current_task_btf();
	if (!ct_maybe_target(t->tgid))
		return 0;
	gen = targets_gen;
	s = bpf_task_storage_get(&task_sys, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		ct_drop(CT_DROP_THREADS);	/* no memory for a task's state */
		return 0;
	}
	if (s->gen != gen ? !sys_decide(s, t, gen) : !s->traced)
		return 0;
	s->syscalls++;
	s->sys_ts = 0;
	if (id < 0)
		return 0;
	if (sys_untimed(id)) {
		sys_acc_add(s, id, 0);
		return 0;
	}
	s->sys_nr = id;
	s->sys_ts = bpf_ktime_get_ns();
	return 0;
}

/*
 * sys_exit: the syscall's latency, entry to return, including any time blocked. The untimed
 * syscalls return first, by the number the task entered with (orig_ax), before any lookup.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(handle_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t;
	struct ct_task_sys *s;
	__u64 d;

	if (!enabled || sys_untimed(regs->orig_ax))
		return 0;
	t = bpf_get_current_task_btf();
	if (!ct_maybe_target(t->tgid))
		return 0;
	s = bpf_task_storage_get(&task_sys, t, 0, 0);
	if (!s || !s->sys_ts)
		return 0;
	d = bpf_ktime_get_ns() - s->sys_ts;
	s->sys_ts = 0;
	sys_acc_add(s, s->sys_nr, d);
	return 0;
}

/*
 * Move what @t's storage holds to the maps: its slots to the syscalls map, the syscalls it
 * entered since the last flush to its thread's account. Two flushers (the task's exit and the
 * end-of-trace iterator) may race: compare-and-swaps let one win.
 */
static __always_inline void sys_flush(struct task_struct *t)
{
	struct ct_task_sys *s = bpf_task_storage_get(&task_sys, t, 0, 0);
	struct ct_thread *th;
	__u64 n, old;
	int i;

	if (!s || !s->traced)
		return;
	for (i = 0; i < CT_SYS_SLOTS; i++)
		sys_acc_flush(s->tgid, &s->acc[i]);
	n = s->syscalls;
	old = s->flushed;
	if (n <= old)
		return;
	th = ct_thread_get(t, BPF_CORE_READ(t, pid), s->tgid, false);
	if (!th || __sync_val_compare_and_swap(&s->flushed, old, n) != old)
		return;
	__sync_fetch_and_add(&th->syscalls, n - old);
}

/* A thread exits, whether through exit() or killed: flush before its account is retired. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_sys_task_exit, struct task_struct *p)
{
	sys_flush(p);
	return 0;
}

/* Run by user space once tracing is disabled: flush every live task. */
SEC("iter/task")
int flush_syscalls(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;

	if (t)
		sys_flush(t);
	return 0;
}
