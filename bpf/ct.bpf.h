/* SPDX-License-Identifier: GPL-2.0 */
/* BPF-only helpers and the declarations of the maps and globals defined in ct_maps.bpf.c. */
#ifndef CT_BPF_H
#define CT_BPF_H

#include "ct_abi.h"

#define EEXIST		17
#define TASK_RUNNING	0x0000
#define TASK_DEAD	0x0080	/* include/linux/sched.h, stable since v4.14 */

struct ct_targets_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_MAX_TARGETS);
	__type(key, __u32);		/* tgid */
	__type(value, __u8);
};

struct ct_threads_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_MAX_THREADS);
	__type(key, __u32);		/* tid */
	__type(value, struct ct_thread);
};

struct ct_futexes_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_MAX_FUTEXES);
	__type(key, struct ct_futex_key);
	__type(value, struct ct_futex_val);
};

struct ct_wakes_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_MAX_WAKES);
	__type(key, struct ct_wake_key);
	__type(value, struct ct_wake_val);
};

/*
 * Per CPU (user space sums the CPUs' rows), allocated as keys appear. Filled from the tasks'
 * ct_sys_acc slots, so written rarely: flushes race only with flushes.
 */
struct ct_syscalls_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, CT_MAX_SYSCALL_KEYS);
	__type(key, struct ct_syscall_key);
	__type(value, struct ct_syscall_val);
};

/* Syscalls of one number a task made since they were last added to the syscalls map. */
struct ct_sys_acc {
	__u64 count;			/* 0: the slot is free */
	__u64 total_ns;
	__u64 max_ns;
	__u32 nr;
	__u32 pad;
};

#define CT_SYS_SLOTS		4	/* a syscall number's slot is nr & (CT_SYS_SLOTS - 1) */

/*
 * A task's syscall state, in task-local storage (syscalls.bpf.c): no hash lookup per syscall.
 * Tasks are never reused, so neither is this; fork does not copy it, exec keeps it.
 */
struct ct_task_sys {
	__u64 sys_ts;			/* entry of the syscall in progress, 0 none */
	__u64 syscalls;			/* syscalls entered while traced; written by the task only */
	__u64 flushed;			/* how many of them are in the thread's account already */
	__u32 sys_nr;
	__u32 tgid;
	__u32 gen;			/* targets_gen when traced was decided; 0 never */
	__u32 traced;			/* the task's process is a target */
	struct ct_sys_acc acc[CT_SYS_SLOTS];
};

struct ct_task_sys_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ct_task_sys);
};

struct ct_hists_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CT_CAUSE_MAX);
	__type(key, __u32);
	__type(value, struct ct_hist);
};

struct ct_events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CT_RINGBUF_BYTES);
};

struct ct_samples_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CT_SAMPLES_BYTES);
};

struct ct_timeline_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CT_TIMELINE_BYTES);
};

struct ct_budget_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ct_budget);
};

extern struct ct_targets_map targets SEC(".maps");
extern struct ct_threads_map threads SEC(".maps");
extern struct ct_futexes_map futexes SEC(".maps");
extern struct ct_wakes_map wakes SEC(".maps");
extern struct ct_syscalls_map syscalls SEC(".maps");
extern struct ct_task_sys_map task_sys SEC(".maps");
extern struct ct_hists_map hists SEC(".maps");
extern struct ct_events_map events SEC(".maps");
extern struct ct_samples_map samples SEC(".maps");
extern struct ct_timeline_map timeline SEC(".maps");
extern struct ct_budget_map sample_budget SEC(".maps");

/* Knobs set by user space between open and load. */
extern const volatile __s32 targ_nr_futex;
extern const volatile __s32 targ_nr_futex_waitv;
extern const volatile __u8 targ_syscall_cause[CT_MAX_SYSCALLS];
extern const volatile __u8 targ_sys_untimed[CT_MAX_SYSCALLS];	/* 1: counted, not timed */
extern const volatile __u32 targ_wait_rate;	/* wait stack samples per second per CPU, 0 off */
extern const volatile __u8 targ_timeline;	/* emit state slices */

/* Control and counters in .bss, read and written by user space through the skeleton. */
extern __u32 enabled;
extern __u32 targets_gen;			/* bumped by user space at each target it adds */
extern __u64 target_bits[CT_TARGET_BITS / 64];	/* bit tgid % CT_TARGET_BITS set: may be a target */
extern __u64 start_ns;
extern __u64 drops[CT_DROP_MAX];
extern __u64 sample_seq;			/* last stack sample's sequence number */

static __always_inline void ct_drop(enum ct_drop why)
{
	__sync_fetch_and_add(&drops[why], 1);
}

static __always_inline bool ct_is_target(__u32 tgid)
{
	return bpf_map_lookup_elem(&targets, &tgid) != NULL;
}

/*
 * False when @tgid is surely not a target: no target's tgid shares its bit in target_bits (set by
 * user space and sched.bpf.c's fork handler, never cleared). A word load, to reject bystanders
 * cheaply.
 */
static __always_inline bool ct_maybe_target(__u32 tgid)
{
	return target_bits[(tgid / 64) % (CT_TARGET_BITS / 64)] & (1ULL << (tgid % 64));
}

/*
 * The value at @key, inserted as @init first if missing (bcc's map_lookup_or_try_init). A full
 * map is counted under @why. @return the value, or NULL
 */
static __always_inline void *ct_lookup_or_init(void *map, const void *key, const void *init,
					       enum ct_drop why)
{
	void *v = bpf_map_lookup_elem(map, key);
	long err;

	if (v)
		return v;
	err = bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		ct_drop(why);
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

static __always_inline void ct_hist_add(__u32 row, __u64 ns)
{
	struct ct_hist *h = bpf_map_lookup_elem(&hists, &row);
	__u32 slot = ct_log2_slot(ns / 1000);	/* microseconds */

	if (h)
		__sync_fetch_and_add(&h->slots[slot], 1);
}

/* Raise *p to v; a bounded CAS loop (64-bit atomics only, see STYLE.md section 7). */
static __always_inline void ct_max_u64(__u64 *p, __u64 v)
{
	__u64 old;
	int i;

	for (i = 0; i < 4; i++) {
		old = *p;
		if (v <= old)
			break;
		if (__sync_val_compare_and_swap(p, old, v) == old)
			break;
	}
}

/*
 * Hand the final account @th (ended at @now) to user space and free its entry. A dropped record
 * leaves the entry in the map with last_ns set, where user space finds it at the end.
 */
static __always_inline void ct_thread_retire(struct ct_thread *th, __s32 exit_code, __u64 now)
{
	struct ct_event *e;
	__u32 tid = th->tid;

	th->last_ns = now;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);	/* EXIT: the whole event */
	if (!e) {
		ct_drop(CT_DROP_RINGBUF);
		return;
	}
	e->type = CT_EV_EXIT;
	e->pid = th->pid;
	e->ppid = 0;
	e->exit_code = exit_code;
	e->ts = now;
	__builtin_memcpy(&e->th, th, sizeof(e->th));
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&threads, &tid);
}

/*
 * True when @th is the account of @t and @t's thread group still has live threads: then its tgid
 * is still in the targets map, which only loses a tgid once the group's last thread has exited
 * (target_exit in sched.bpf.c; user space removes only processes that exited before tracing).
 * Saves the targets lookup on the hot paths; false sends the caller to that lookup.
 */
static __always_inline bool ct_live_account(const struct ct_thread *th, struct task_struct *t)
{
	return th && th->task == (__u64)t && t->signal->live.counter;
}

/*
 * The account of thread @t, created on first sight (unless !@create) when its process is a
 * target. A thread first seen mid-trace that existed before the trace was alive since start_ns
 * in a state we did not see (CT_ST_UNKNOWN); one born since (whose start we missed) starts now.
 * An account of another task under the same TID (an exec from a non-leader thread gives it the
 * leader's TID; a TID reused) is retired first, and the new one starts now.
 * @return the map entry, or NULL when @t is not traced or the map is full (counted).
 */
static __always_inline struct ct_thread *ct_thread_get(struct task_struct *t, __u32 tid, __u32 tgid,
						       bool create)
{
	struct ct_thread *th, init = {};

	if (!ct_maybe_target(tgid))
		return NULL;
	th = bpf_map_lookup_elem(&threads, &tid);
	if (ct_live_account(th, t))
		return th;
	if (!ct_is_target(tgid))
		return NULL;
	if (th && th->task == (__u64)t)
		return th;
	if (!create)
		return NULL;
	init.first_ns = start_ns;
	if (th || BPF_CORE_READ(t, start_time) > start_ns)
		init.first_ns = bpf_ktime_get_ns();
	if (th)
		ct_thread_retire(th, 0, init.first_ns);
	init.pid = tgid;
	init.tid = tid;
	init.task = (__u64)t;
	init.ts = init.first_ns;
	init.state = CT_ST_UNKNOWN;
	bpf_probe_read_kernel_str(init.comm, sizeof(init.comm), t->comm);
	return ct_lookup_or_init(&threads, &tid, &init, CT_DROP_THREADS);
}

#endif /* CT_BPF_H */
