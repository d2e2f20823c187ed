// SPDX-License-Identifier: GPL-2.0
/*
 * Processes of the targets: forks followed (a new process of a target is a target), exec (comm,
 * and the account of an exec from a non-leader thread moved to its new TID), and the last
 * thread's exit; the rare events user space gets through the events ring.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "block.bpf.h"

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
