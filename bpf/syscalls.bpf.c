// SPDX-License-Identifier: GPL-2.0
/*
 * Per-syscall accounting: count, total and max latency per (process, syscall number). Optional
 * (--no-syscalls leaves these programs unloaded); block causes come from sched.bpf.c alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ct.bpf.h"

static __always_inline void syscall_account(__u32 tgid, __u32 nr, __u64 d)
{
	struct ct_syscall_key k = { .pid = tgid, .nr = nr };
	struct ct_syscall_val *v, zero = {};

	v = ct_lookup_or_init(&syscalls, &k, &zero, CT_DROP_SYSCALLS);
	if (!v)
		return;
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&v->total_ns, d);
	ct_max_u64(&v->max_ns, d);
}

/*
 * sys_enter: remember the syscall and its start in the thread's account. The map is updated
 * once, at exit, except for the syscalls that never return.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(handle_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ct_thread *th;

	if (!enabled)
		return 0;
	th = ct_thread_get(bpf_get_current_task_btf(), (__u32)pid_tgid, pid_tgid >> 32, true);
	if (!th)
		return 0;
	th->syscalls++;
	if (id == targ_nr_exit || id == targ_nr_exit_group) {
		syscall_account(th->pid, id, 0);
		return 0;
	}
	th->sys_nr = id;
	th->sys_ts = bpf_ktime_get_ns();
	return 0;
}

/* sys_exit: the syscall's latency, entry to return, including any time blocked. */
SEC("tp_btf/sys_exit")
int BPF_PROG(handle_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct ct_thread *th;

	if (!enabled || !ct_is_target(pid_tgid >> 32))
		return 0;
	th = bpf_map_lookup_elem(&threads, &tid);
	if (!th || th->sys_nr < 0)
		return 0;
	syscall_account(th->pid, th->sys_nr, bpf_ktime_get_ns() - th->sys_ts);
	th->sys_nr = -1;
	return 0;
}
