// SPDX-License-Identifier: GPL-2.0
/* A synthetic profile with known stacks, sites and weights, for the renderers' tests. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/frame.h"
#include "synth_profile.h"

static char *const synth_argv[] = { "synth", "--lock", "big_lock", NULL };

static int add_stack(struct ct_profile *p, bool kernel, const struct ct_frame_rec *frames,
		     __u32 n)
{
	struct ct_stack_rec *s = &p->stacks[p->nr_stacks++];
	long id;
	__u32 i;

	s->kernel = kernel;
	s->frames = calloc(n, sizeof(*s->frames));
	if (!s->frames)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		id = ct_frame__intern(p, &frames[i]);
		if (id < 0)
			return id;
		s->frames[s->nr_frames++] = id;
	}
	return 0;
}

#define NATIVE(sym, mod, off) \
	{ .kind = CT_FRAME_NATIVE, .symbol = (sym), .module = (mod), .offset = (off) }

int ct_synth_profile(struct ct_profile *p, struct ct_diagnosis *d, bool timeline)
{
	/* innermost frame first */
	static const struct ct_frame_rec st0[] = {
		NATIVE("__lll_lock_wait", "libc.so.6", 0x8a1f0), NATIVE("worker", "synth", 0x1234),
		NATIVE("start_thread", "libc.so.6", 0x88fd0),
	};
	static const struct ct_frame_rec st1[] = {
		NATIVE("compute", "synth", 0x2000), NATIVE("main", "synth", 0x1100),
	};
	static const struct ct_frame_rec st2[] = {
		{ .kind = CT_FRAME_KERNEL, .symbol = "futex_wait" },
		{ .kind = CT_FRAME_KERNEL, .symbol = "do_futex" },
	};
	static const struct ct_frame_rec st3[] = {
		NATIVE(NULL, "synth", 0x3000),
		{ .kind = CT_FRAME_UNKNOWN, .offset = 0x7f0000001000ull },
	};
	const __u64 s0 = 1000000000ull;
	struct ct_thread_rec *th;
	int err = 0;

	p->pids[0] = 100;
	p->nr_pids = 1;
	p->argv = synth_argv;
	p->has_exit_status = true;
	p->syscalls_enabled = true;
	p->cores = 2;
	p->start_ns = s0;
	p->stop_ns = s0 + 2000000000ull;
	p->duration_s = 2.0;
	p->stacks_enabled = true;
	p->sample_hz = 100;

	p->threads = calloc(2, sizeof(*p->threads));
	p->futexes = calloc(2, sizeof(*p->futexes));
	p->wakes = calloc(1, sizeof(*p->wakes));
	p->syscalls = calloc(1, sizeof(*p->syscalls));
	p->stacks = calloc(4, sizeof(*p->stacks));
	p->sites = calloc(4, sizeof(*p->sites));
	p->locks = calloc(1, sizeof(*p->locks));
	p->slices = calloc(3, sizeof(*p->slices));
	if (!p->threads || !p->futexes || !p->wakes || !p->syscalls || !p->stacks || !p->sites ||
	    !p->locks || !p->slices)
		return -ENOMEM;

	th = &p->threads[p->nr_threads++];
	th->pid = 100;
	th->tid = 100;
	strcpy(th->comm, "synth");
	th->on_cpu_ns = 700000000;
	th->wait_ns[CT_CAUSE_JOIN] = 1200000000;
	th->wait_ns[CT_CAUSE_COND] = 2000499;
	th->nvcsw = 12;
	th->nivcsw = 3;
	th->syscalls = 5;
	th->first_ns = s0;
	th = &p->threads[p->nr_threads++];
	th->pid = 100;
	th->tid = 101;
	strcpy(th->comm, "work;er<&>");
	th->on_cpu_ns = 900000000;
	th->wait_ns[CT_CAUSE_LOCK] = 600000000;
	th->wait_ns[CT_CAUSE_RUNQUEUE] = 100000000;
	th->nvcsw = 40;
	th->nivcsw = 9;
	th->syscalls = 15;
	th->first_ns = s0 + 100000000;
	th->last_ns = s0 + 1900000000;
	p->threads[1].exited = true;

	p->futexes[p->nr_futexes++] = (struct ct_futex_rec){
		{ .uaddr = 0x4040, .pid = 100, .cause = CT_CAUSE_LOCK }, { 10, 600000000, 90000000 } };
	p->futexes[p->nr_futexes++] = (struct ct_futex_rec){
		{ .uaddr = 0x5000, .pid = 100, .cause = CT_CAUSE_COND }, { 1, 2000499, 2000499 } };
	p->wakes[p->nr_wakes++] = (struct ct_wake_rec){
		{ .uaddr = 0x4040, .waker = 100, .wakee = 101, .cause = CT_CAUSE_LOCK },
		{ .count = 9, .blocked_ns = 500000000 } };
	p->syscalls[p->nr_syscalls++] = (struct ct_syscall_rec){
		{ .pid = 100, .nr = 202 }, { .count = 20, .total_ns = 600000000, .max_ns = 90000000 } };
	p->hists[CT_CAUSE_RUNQUEUE].slots[3] = 5;
	p->hists[CT_CAUSE_RUNQUEUE].slots[10] = 2;
	p->hists[CT_CAUSE_LOCK].slots[16] = 10;
	p->hists[CT_CAUSE_COND].slots[10] = 1;

	err = err ?: add_stack(p, false, st0, 3);
	err = err ?: add_stack(p, false, st1, 2);
	err = err ?: add_stack(p, true, st2, 2);
	err = err ?: add_stack(p, false, st3, 2);
	if (err)
		return err;
	p->sites[p->nr_sites++] = (struct ct_site_rec){ .kind = CT_SITE_WAIT, .pid = 100,
		.tid = 101, .cause = CT_CAUSE_LOCK, .uaddr = 0x4040, .ustack = 0, .kstack = 2,
		.samples = 3, .wait_ns = 1500000 };
	p->sites[p->nr_sites++] = (struct ct_site_rec){ .kind = CT_SITE_WAIT, .pid = 100,
		.tid = 100, .cause = CT_CAUSE_COND, .uaddr = 0x5000, .ustack = 3, .kstack = -1,
		.samples = 1, .wait_ns = 2000499 };
	p->sites[p->nr_sites++] = (struct ct_site_rec){ .kind = CT_SITE_CPU, .pid = 100,
		.tid = 100, .ustack = 1, .kstack = -1, .samples = 7 };
	p->sites[p->nr_sites++] = (struct ct_site_rec){ .kind = CT_SITE_CPU, .pid = 100,
		.tid = 101, .ustack = -1, .kstack = -1, .samples = 2 };
	p->locks[0].pid = 100;
	p->locks[0].uaddr = 0x4040;
	p->locks[0].name = strdup("big_lock");
	p->locks[0].module = strdup("synth");
	strcpy(p->locks[0].kind, "mutex");
	if (!p->locks[0].name || !p->locks[0].module)
		return -ENOMEM;
	p->nr_locks = 1;
	p->st = (struct ct_stack_stats){ .wait_samples = 4, .cpu_samples = 9, .not_sampled = 5,
		.frames = 9, .unsymbolized = 2, .truncated = 1 };
	p->drops[CT_DROP_SAMPLES] = 4;
	p->drops[CT_DROP_RINGBUF] = 1;

	p->timeline_enabled = timeline;
	if (timeline) {
		p->slices[p->nr_slices++] = (struct ct_slice){ 100, 101, CT_SL_RUNNING, 0,
			s0 + 100000000, s0 + 250000000 };
		p->slices[p->nr_slices++] = (struct ct_slice){ 100, 101, CT_SL_BLOCKED,
			CT_CAUSE_LOCK, s0 + 250000000, s0 + 251500000 };
		p->slices[p->nr_slices++] = (struct ct_slice){ 100, 101, CT_SL_RUNNABLE, 0,
			s0 + 251500000, s0 + 251600000 };
	}
	ct_profile__finish(p);
	ct_diagnose(p, d);
	return 0;
}
