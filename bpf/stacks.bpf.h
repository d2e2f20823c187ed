/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack samples and timeline slices, shared by the scheduler programs (wait stacks at block
 * time, slices at each state change) and the on-CPU sampler. A sample carries the user
 * registers and a bounded copy of the top of the user stack: user space unwinds it with the
 * binaries' DWARF CFI, since Debian's code has no frame pointers.
 */
#ifndef CT_STACKS_BPF_H
#define CT_STACKS_BPF_H

#include "ct.bpf.h"

/* The stack is copied in chunks; a chunk crossing unmapped memory ends the copy. */
#define CT_STACK_CHUNK	512
#define CT_WAIT_BURST	32	/* samples a CPU may take at once after a quiet spell */

/* Copy the user registers @r (a struct pt_regs, read with @RD) into @e in DWARF order. */
#define CT_FILL_REGS(e, RD, r)							\
	do {									\
		(e)->regs[0] = RD(r, ax);					\
		(e)->regs[1] = RD(r, dx);					\
		(e)->regs[2] = RD(r, cx);					\
		(e)->regs[3] = RD(r, bx);					\
		(e)->regs[4] = RD(r, si);					\
		(e)->regs[5] = RD(r, di);					\
		(e)->regs[6] = RD(r, bp);					\
		(e)->regs[7] = RD(r, sp);					\
		(e)->regs[8] = RD(r, r8);					\
		(e)->regs[9] = RD(r, r9);					\
		(e)->regs[10] = RD(r, r10);					\
		(e)->regs[11] = RD(r, r11);					\
		(e)->regs[12] = RD(r, r12);					\
		(e)->regs[13] = RD(r, r13);					\
		(e)->regs[14] = RD(r, r14);					\
		(e)->regs[15] = RD(r, r15);					\
		(e)->regs[16] = RD(r, ip);					\
	} while (0)

#define CT_RD_CORE(r, f)	BPF_CORE_READ(r, f)
#define CT_RD_CTX(r, f)		((r)->f)

/*
 * Copy up to CT_STACK_BYTES of the current task's user stack from its sp. Only the current task's
 * memory can be read: callers run in the sampled thread's context (sched_switch's prev is current).
 */
static __always_inline void ct_copy_stack(struct ct_sample *e)
{
	__u64 sp = e->regs[7];
	__u32 i;

	for (i = 0; i < CT_STACK_BYTES / CT_STACK_CHUNK; i++) {
		if (bpf_probe_read_user(&e->stack[i * CT_STACK_CHUNK], CT_STACK_CHUNK,
					(void *)(sp + i * CT_STACK_CHUNK)))
			break;
	}
	e->stack_size = i * CT_STACK_CHUNK;
}

/* Kernel frames of the current task at @ctx. */
static __always_inline void ct_copy_kstack(void *ctx, struct ct_sample *e)
{
	long n = bpf_get_stack(ctx, e->kframes, sizeof(e->kframes), 0);

	e->nr_kframes = n > 0 ? n / sizeof(__u64) : 0;
}

/* One token from this CPU's bucket (targ_wait_rate per second, bursts of CT_WAIT_BURST). */
static __always_inline bool ct_sample_take(__u64 now)
{
	const __u64 one = 1000000000ULL;
	struct ct_budget *b;
	__u32 zero = 0;
	__u64 t;

	if (!targ_wait_rate)
		return false;
	b = bpf_map_lookup_elem(&sample_budget, &zero);
	if (!b)
		return false;
	t = b->tokens + (now - b->last_ns) * targ_wait_rate;
	if (!b->last_ns || t > CT_WAIT_BURST * one)
		t = CT_WAIT_BURST * one;
	b->last_ns = now;
	if (t < one) {
		b->tokens = t;
		b->not_sampled++;
		return false;
	}
	b->tokens = t - one;
	return true;
}

/*
 * A futex wait of the current task (@t, blocking now) begins: sample its stack when the budget
 * allows, and remember the sample in its account so the wait's end can be reported.
 */
static __always_inline void ct_sample_wait(void *ctx, struct task_struct *t, struct ct_thread *th,
					   __u64 now)
{
	struct pt_regs *regs;
	struct ct_sample *e;

	th->sample_seq = 0;
	if (!targ_wait_rate)
		return;
	if (!ct_sample_take(now))
		return;
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!regs)
		return;
	e = bpf_ringbuf_reserve(&samples, sizeof(*e), 0);
	if (!e) {
		ct_drop(CT_DROP_SAMPLES);
		return;
	}
	e->type = CT_SAMPLE_WAIT;
	e->pid = th->pid;
	e->tid = th->tid;
	e->cause = th->cause;
	e->seq = __sync_fetch_and_add(&sample_seq, 1) + 1;
	e->uaddr = th->futex_uaddr;
	e->ts = now;
	e->user_mode = 0;
	e->pad = 0;
	CT_FILL_REGS(e, CT_RD_CORE, regs);
	ct_copy_stack(e);
	ct_copy_kstack(ctx, e);
	th->sample_seq = e->seq;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* The sampled wait of @th ended after @d ns. */
static __always_inline void ct_sample_wait_end(struct ct_thread *th, __u64 d)
{
	struct ct_sample_end *e;

	if (!th->sample_seq)
		return;
	e = bpf_ringbuf_reserve(&samples, sizeof(*e), 0);
	if (e) {
		e->type = CT_SAMPLE_WAIT_END;
		e->tid = th->tid;
		e->seq = th->sample_seq;
		e->ns = d;
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	} else {
		ct_drop(CT_DROP_SAMPLES);
	}
	th->sample_seq = 0;
}

/* --timeline: @th was in @state (and @cause) from th->ts until @now. */
static __always_inline void ct_slice(struct ct_thread *th, __u32 state, __u32 cause, __u64 now)
{
	struct ct_slice *s;

	if (!targ_timeline)
		return;
	s = bpf_ringbuf_reserve(&timeline, sizeof(*s), 0);
	if (!s) {
		ct_drop(CT_DROP_TIMELINE);
		return;
	}
	s->pid = th->pid;
	s->tid = th->tid;
	s->state = state;
	s->cause = cause;
	s->start_ns = th->ts;
	s->end_ns = now;
	bpf_ringbuf_submit(s, BPF_RB_NO_WAKEUP);
}

#endif /* CT_STACKS_BPF_H */
