/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profile: everything one trace saw, as plain data. collect/ fills it once from the BPF maps
 * and ring buffer (or model/record.c from a recording); after that no code touches BPF, and
 * analysis and renderers read only this.
 */
#ifndef CT_PROFILE_H
#define CT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "ct_abi.h"

#define CT_MAX_PIDS 64

/*
 * A thread's account: what it did during the trace, as plain data. collect/read.c converts the
 * BPF state machine of bpf/ct_abi.h into it once its open period is closed.
 */
struct ct_thread_rec {
	__u32 pid;			/* thread group id */
	__u32 tid;
	char comm[CT_COMM_LEN];
	__u64 on_cpu_ns;		/* excluding steal_ns */
	__u64 steal_ns;			/* the hypervisor ran something else while it was on CPU */
	__u64 wait_ns[CT_CAUSE_MAX];
	__u64 nvcsw;			/* voluntary switches */
	__u64 nivcsw;			/* involuntary switches */
	__u64 syscalls;
	__u64 first_ns;			/* first seen */
	__u64 last_ns;			/* exit, or 0 while alive */
	bool exited;
	int exit_code;
	__u64 gil_wait_ns;		/* CPython: the part of its waits spent waiting for the GIL */
};

struct ct_proc_rec {
	__u32 pid;
	__u32 ppid;
	char comm[CT_COMM_LEN];
};

struct ct_futex_rec {
	struct ct_futex_key k;
	struct ct_futex_val v;
};

struct ct_wake_rec {
	struct ct_wake_key k;
	struct ct_wake_val v;
};

struct ct_syscall_rec {
	struct ct_syscall_key k;
	struct ct_syscall_val v;
};

/* What a frame of a stack is; ct_frame__format() (frame.h) prints each kind. */
enum ct_frame_kind {
	CT_FRAME_NATIVE,		/* user code: "symbol (module+0xoff)", or "module+0xoff" */
	CT_FRAME_UNKNOWN,		/* a user address outside any mapping: "[unknown] 0xaddr" */
	CT_FRAME_KERNEL,		/* "symbol [k]", or "0xaddr [k]" without a symbol */
	CT_FRAME_PYTHON,		/* CPython code: "function (file:line)" (not produced yet) */
	CT_FRAME_RAW,			/* a format-1 frame string that does not take apart: symbol */
	CT_FRAME_KIND_MAX,
};

/*
 * A frame, interned once per profile (ct_frame__intern()): its parts, never a string to parse.
 * Two frames are one when every part is equal, so a part that reports do not show (a kernel
 * symbol's offset) is not kept.
 */
struct ct_frame_rec {
	__u32 kind;			/* enum ct_frame_kind */
	__u32 line;			/* PYTHON: line in file; 0 otherwise */
	char *module;			/* NATIVE: the file's basename; NULL otherwise */
	char *symbol;			/* function, NULL when none; RAW: the whole string */
	char *file;			/* PYTHON: source file; NULL otherwise */
	__u64 offset;			/* NATIVE: offset in module (as the ELF file sees it);
					 * UNKNOWN, KERNEL without symbol: the address; else 0 */
};

/* The frame table's hash index (frame.c), rebuilt when it does not cover the table. */
struct ct_frame_index {
	__u64 *hash;
	__u32 *val;			/* frame index + 1, 0 empty */
	size_t cap;			/* power of two */
	size_t nr;			/* frames indexed */
};

/* An interned stack, symbolized when collected: indices into the profile's frame table. */
struct ct_stack_rec {
	__u32 *frames;			/* innermost first */
	__u32 nr_frames;
	bool kernel;			/* kernel stack */
	bool truncated;			/* unwinding stopped before the outermost frame */
};

enum ct_site_kind {
	CT_SITE_WAIT,			/* sampled futex waits at one stack */
	CT_SITE_CPU,			/* on-CPU samples at one stack */
};

/* Samples aggregated by site: (kind, pid, tid, cause, uaddr, user stack, kernel stack). */
struct ct_site_rec {
	__u32 kind;			/* enum ct_site_kind */
	__u32 pid;
	__u32 tid;
	__u32 cause;			/* WAIT: enum ct_cause; CPU: 0 */
	__u64 uaddr;			/* WAIT: the futex; CPU: 0 */
	__s32 ustack;			/* index into stacks, -1 none */
	__s32 kstack;			/* index into stacks, -1 none */
	__u64 samples;
	__u64 wait_ns;			/* WAIT: blocked time of the sampled waits */
};

/* A lock: one futex address of one process, with a name when one can be found. */
struct ct_lock_rec {
	__u32 pid;
	__u64 uaddr;
	char *name;			/* data symbol ("big_lock", "_PyRuntime+0x1a8"), or
					 * "module+0xoff" in a module without one; NULL: heap */
	char *module;			/* object the name comes from, NULL when unnamed */
	bool is_symbol;			/* name is a symbol, not module+offset */
	char kind[16];			/* mutex rwlock condition semaphore join gil futex */
};

struct ct_stack_stats {
	__u64 wait_samples;		/* waits whose stack was copied */
	__u64 cpu_samples;		/* on-CPU samples of target threads */
	__u64 not_sampled;		/* futex waits past the sampling rate (counted, no stack) */
	__u64 open_waits;		/* sampled waits still blocked at the end (timed to the end) */
	__u64 frames;			/* user frames unwound */
	__u64 unsymbolized;		/* frames shown as module+offset or a bare address */
	__u64 truncated;		/* stacks cut short: copy too small, CFI missing */
};

/* Sums over the target's threads, computed by ct_profile__totals(). */
struct ct_totals {
	__u64 on_cpu_ns;
	__u64 steal_ns;
	__u64 wait_ns[CT_CAUSE_MAX];
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 syscalls;
	__u64 lock_waits;		/* blocking waits on mutex-type futexes */
	unsigned int threads_seen;
	unsigned int processes_seen;
	__u64 drops_total;
};

struct ct_profile {
	/* what was traced */
	int pids[CT_MAX_PIDS];
	int nr_pids;
	char *const *argv;		/* launched command, or NULL with -p */
	bool has_exit_status;
	int exit_status;		/* as conctrace exits with it: code, or 128 + signal */
	bool exited_early;		/* -p: every target exited before the requested end */
	bool syscalls_enabled;
	int cores;
	__u64 start_ns;
	__u64 stop_ns;
	double duration_s;

	struct ct_thread_rec *threads;
	size_t nr_threads, cap_threads;
	struct ct_proc_rec *procs;
	size_t nr_procs, cap_procs;
	struct ct_futex_rec *futexes;
	size_t nr_futexes, cap_futexes;
	struct ct_wake_rec *wakes;
	size_t nr_wakes, cap_wakes;
	struct ct_syscall_rec *syscalls;
	size_t nr_syscalls, cap_syscalls;
	struct ct_hist hists[CT_CAUSE_MAX];
	__u64 drops[CT_DROP_MAX];

	/* attribution (--stacks, on by default): stacks, sampled sites, named locks */
	bool stacks_enabled;
	int sample_hz;			/* on-CPU sampling frequency, 0 off */
	bool python;			/* a target runs CPython */
	struct ct_frame_rec *frames;	/* every distinct frame of the stacks, once */
	size_t nr_frames, cap_frames;
	struct ct_frame_index frame_idx;
	struct ct_stack_rec *stacks;
	size_t nr_stacks, cap_stacks;
	struct ct_site_rec *sites;
	size_t nr_sites, cap_sites;
	struct ct_lock_rec *locks;
	size_t nr_locks, cap_locks;
	struct ct_stack_stats st;

	/* --timeline: per-thread state slices in time order */
	bool timeline_enabled;
	struct ct_slice *slices;
	size_t nr_slices, cap_slices;

	struct ct_totals tot;
};

/*
 * Append one zeroed element to the growable array *@base of *@nr elements of @elem bytes (room
 * for *@cap). @return it, or NULL when out of memory
 */
void *ct_vec_push(void **base, size_t *nr, size_t *cap, size_t elem);

/* ct_vec_push() on the table @name of profile @p (p->name, p->nr_name, p->cap_name). */
#define CT_VEC_PUSH(p, name) \
	((__typeof__((p)->name))ct_vec_push((void **)&(p)->name, &(p)->nr_##name, \
					    &(p)->cap_##name, sizeof(*(p)->name)))

/* The record of thread @tid (the first, should a TID appear twice), or NULL. */
struct ct_thread_rec *ct_profile__thread(const struct ct_profile *p, __u32 tid);

/* The record of process @pid, created (zeroed but for its pid) if missing. @return it, or NULL */
struct ct_proc_rec *ct_profile__proc(struct ct_profile *p, __u32 pid);

/*
 * Sort @n rows of @size bytes at @base by @cmp and merge each run of rows @cmp calls equal into
 * its first with @add(first, other). @return the number of rows left
 */
size_t ct_sort_merge(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
		     void (*add)(void *, const void *));

/* At most this many timeline slices are kept (32 MB); later ones are counted as dropped. */
#define CT_MAX_SLICES	1000000

/* Compute @p->tot and sort the tables. Call once after collecting. */
void ct_profile__finish(struct ct_profile *p);

/* Compute @p->tot from the tables (a recording keeps no totals). */
void ct_profile__totals(struct ct_profile *p);

/* Free the tables of @p (not @p itself). */
void ct_profile__free(struct ct_profile *p);

/* Names of enum ct_cause and enum ct_drop for reports. */
const char *ct_cause_name(int cause);
const char *ct_drop_name(int drop);

#endif
