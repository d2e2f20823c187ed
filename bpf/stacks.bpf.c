// SPDX-License-Identifier: GPL-2.0
/* On-CPU sampling: a perf_event program per CPU samples target threads' stacks (99 Hz default). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "stacks.bpf.h"

/* The user-ABI layout of pt_regs (every field a long): the context may only be read in longs. */
struct ct_uregs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax;
	unsigned long ip, cs, flags, sp, ss;
};

SEC("perf_event")
int handle_cpu_sample(struct bpf_perf_event_data *ctx)
{
	const struct ct_uregs *u = (const void *)&ctx->regs;
	__u64 id = bpf_get_current_pid_tgid();
	struct pt_regs *uregs;
	struct ct_sample *e;

	if (!enabled || !ct_maybe_target(id >> 32) || !ct_is_target(id >> 32))
		return 0;
	e = bpf_ringbuf_reserve(&samples, sizeof(*e), 0);
	if (!e) {
		ct_drop(CT_DROP_SAMPLES);
		return 0;
	}
	e->type = CT_SAMPLE_CPU;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cause = 0;
	e->seq = 0;
	e->uaddr = 0;
	e->ts = bpf_ktime_get_ns();
	e->pad = 0;
	if (u->cs & 3) {
		/* interrupted in user mode: the sample's registers are the user's */
		CT_FILL_REGS(e, CT_RD_CTX, u);
		e->user_mode = 1;
	} else {
		/* in the kernel: the user registers saved at kernel entry (none for kthreads) */
		uregs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
		CT_FILL_REGS(e, CT_RD_CORE, uregs);
		e->user_mode = 0;
	}
	ct_copy_stack(e);
	ct_copy_kstack(ctx, e);
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}
