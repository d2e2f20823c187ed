/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profile: everything one trace saw, filled once from the BPF maps and ring buffer. After
 * it is filled no code touches BPF; diagnosis and renderers read only this.
 */
#ifndef CT_PROFILE_H
#define CT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "ct_abi.h"

#define CT_MAX_PIDS 64

struct ct_bpf;

struct ct_thread_rec {
	struct ct_thread th;
	bool exited;
	int exit_code;
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

/* Sums over the target's threads, computed by ct_profile__finish(). */
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

	struct ct_totals tot;
};

/* Ring-buffer callback: fork/exec/exit events (ctx is the profile). @return 0 */
int ct_profile__event(void *ctx, void *data, size_t size);

/*
 * Read the maps and counters of a stopped session into @p and close the live threads'
 * accounts at @p->stop_ns.
 * @return 0 or -errno
 */
int ct_profile__collect(struct ct_profile *p, struct ct_bpf *skel);

/* Compute @p->tot and sort the tables. Call once after collecting. */
void ct_profile__finish(struct ct_profile *p);

/* Free the tables of @p (not @p itself). */
void ct_profile__free(struct ct_profile *p);

/* Names of enum ct_cause and enum ct_drop for reports. */
const char *ct_cause_name(int cause);
const char *ct_drop_name(int drop);

#endif
