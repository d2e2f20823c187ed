// SPDX-License-Identifier: GPL-2.0
/*
 * Per-syscall accounting: count, total and max latency per (process, syscall number), and each
 * thread's syscall count. Optional (--no-syscalls leaves these programs unloaded); block causes
 * come from sched.bpf.c alone.
 *
 * The hot path touches the task's own storage (task_sys) and, at exit, one per-CPU hash entry.
 * Whether a task is traced is decided at its first syscall while enabled and kept in its storage
 * until user space adds a target (targets_gen). That verdict cannot go stale otherwise: a task's
 * tgid never changes (exec keeps it), a forked child or a reused PID is a new task with no
 * storage, and a target's tgid leaves the targets map only when all its threads have exited.
 * A thread's count stays in its storage until its exit (sched_process_exit) or the end of the
 * trace (the flush_syscalls iterator) adds it to the thread's account.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ct.bpf.h"

static __always_inline void syscall_account(__u32 tgid, __u32 nr, __u64 d)
{
	struct ct_syscall_key k = { .pid = tgid, .nr = nr };
	struct ct_syscall_val *v, init = { .count = 1, .total_ns = d, .max_ns = d };
	long err;

	/* This CPU's slot: no other CPU writes it, and syscall programs do not nest on a CPU. */
	v = bpf_map_lookup_elem(&syscalls, &k);
	if (!v) {
		err = bpf_map_update_elem(&syscalls, &k, &init, BPF_NOEXIST);
		if (!err)
			return;
		/* Inserted by another CPU meanwhile: this CPU's slot is zeroed, add to it. */
		v = err == -EEXIST ? bpf_map_lookup_elem(&syscalls, &k) : NULL;
		if (!v) {
			ct_drop(CT_DROP_SYSCALLS);
			return;
		}
	}
	v->count++;
	v->total_ns += d;
	if (d > v->max_ns)
		v->max_ns = d;
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
 * sys_enter: count the syscall and remember it and its start. The map is updated once, at exit,
 * except for the syscalls that never return.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(handle_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *t;
	struct ct_task_sys *s;
	__u32 gen;

	if (!enabled)
		return 0;
	gen = targets_gen;
	t = bpf_get_current_task_btf();
	s = bpf_task_storage_get(&task_sys, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		ct_drop(CT_DROP_THREADS);	/* no memory for a task's state */
		return 0;
	}
	if (s->gen != gen ? !sys_decide(s, t, gen) : !s->traced)
		return 0;
	s->syscalls++;
	if (id < 0)
		return 0;
	if (id == targ_nr_exit || id == targ_nr_exit_group) {
		syscall_account(s->tgid, id, 0);
		return 0;
	}
	s->sys_nr = id;
	s->sys_ts = bpf_ktime_get_ns();
	return 0;
}

/* sys_exit: the syscall's latency, entry to return, including any time blocked. */
SEC("tp_btf/sys_exit")
int BPF_PROG(handle_sys_exit, struct pt_regs *regs, long ret)
{
	struct ct_task_sys *s;

	if (!enabled)
		return 0;
	s = bpf_task_storage_get(&task_sys, bpf_get_current_task_btf(), 0, 0);
	if (!s || !s->sys_ts)
		return 0;
	syscall_account(s->tgid, s->sys_nr, bpf_ktime_get_ns() - s->sys_ts);
	s->sys_ts = 0;
	return 0;
}

/*
 * Add the syscalls @t entered since the last flush to its thread's account. Two flushers (the
 * task's exit and the end-of-trace iterator) may race: the compare-and-swap lets one win.
 */
static __always_inline void sys_flush(struct task_struct *t)
{
	struct ct_task_sys *s = bpf_task_storage_get(&task_sys, t, 0, 0);
	struct ct_thread *th;
	__u64 n, old;

	if (!s || !s->traced)
		return;
	n = s->syscalls;
	old = s->flushed;
	if (n <= old)
		return;
	th = ct_thread_get(t, BPF_CORE_READ(t, pid), s->tgid, false);
	if (!th || __sync_val_compare_and_swap(&s->flushed, old, n) != old)
		return;
	__sync_fetch_and_add(&th->syscalls, n - old);
}

/* A thread exits, whether through exit() or killed: its count joins its account before retiring. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_sys_task_exit, struct task_struct *p)
{
	sys_flush(p);
	return 0;
}

/* Run by user space once tracing is disabled: every live thread's count joins its account. */
SEC("iter/task")
int flush_syscalls(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;

	if (t)
		sys_flush(t);
	return 0;
}
