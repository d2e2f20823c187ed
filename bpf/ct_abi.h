/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by BPF programs and user space. Included by both; no includes, no kernel-only
 * typedefs. The BPF side includes vmlinux.h first, the user side <linux/types.h>.
 */
#ifndef CT_ABI_H
#define CT_ABI_H

#define CT_COMM_LEN		16
#define CT_HIST_SLOTS		32	/* log2 slots of a histogram: ct_log2_slot() */
#define CT_MAX_SYSCALLS		512	/* x86_64 syscall numbers are below this */

/* Default map sizes; user space may resize before load. */
#define CT_MAX_TARGETS		4096
#define CT_MAX_THREADS		16384
#define CT_MAX_FUTEXES		8192
#define CT_MAX_WAKES		16384
#define CT_MAX_SYSCALL_KEYS	4096
#define CT_TARGET_BITS		65536	/* the target_bits filter: bit tgid % this may be a target */
#define CT_RINGBUF_BYTES	(256 * 1024)
#define CT_SAMPLES_BYTES	(4 * 1024 * 1024)	/* stack samples ring */
#define CT_TIMELINE_BYTES	(8 * 1024 * 1024)	/* --timeline slices ring */

/* Stack samples: registers plus a copy of the top of the user stack, unwound in user space. */
#define CT_STACK_BYTES		8192	/* largest copy of the user stack (perf's default) */
#define CT_KSTACK_DEPTH		32	/* kernel frames kept per sample */
#define CT_NR_REGS		17	/* x86_64 DWARF registers 0..16: ax dx cx bx si di bp sp r8-r15 ip */

/* Values of the targets map (key: tgid). */
#define CT_TARGET_LIVE		1
#define CT_TARGET_DYING		2	/* last thread exited; removed at its final switch */

/* Where a thread's off-CPU time goes. The order is the report's order. */
enum ct_cause {
	CT_CAUSE_RUNQUEUE,	/* runnable, waiting for a CPU */
	CT_CAUSE_LOCK,		/* mutex-type futex */
	CT_CAUSE_COND,		/* condition/event futex: condvar, semaphore, idle worker */
	CT_CAUSE_JOIN,		/* futex on a thread's TID, wait4/waitid */
	CT_CAUSE_IO,		/* read/write/send/recv/accept/connect/... */
	CT_CAUSE_POLL,		/* epoll_wait/poll/select: part of io, kept apart for event loops */
	CT_CAUSE_SLEEP,		/* nanosleep/clock_nanosleep/pause */
	CT_CAUSE_OTHER,		/* anything else: page faults, other syscalls */
	CT_CAUSE_MAX,
};

/* The causes whose blocked periods are also counted per futex (the futexes map) when on one. */
static inline int ct_cause_is_futex(unsigned int cause)
{
	return cause == CT_CAUSE_LOCK || cause == CT_CAUSE_COND || cause == CT_CAUSE_JOIN;
}

/*
 * The rules both sides apply, one copy each: static, always inlined (BPF has no calls to them),
 * bounded loops and no division.
 */
#define CT_ABI_INLINE	static inline __attribute__((always_inline))

/*
 * The slot of @v in a log2 histogram: floor(log2(@v)), 0 for 0 and 1, clamped to
 * CT_HIST_SLOTS - 1. Slot k >= 1 holds [2^k, 2^(k+1)), the last one everything above.
 */
CT_ABI_INLINE __u32 ct_log2_slot(__u64 v)
{
	__u32 r = 0;
	int i;

	for (i = 32; i > 0; i >>= 1) {
		if (v >> i) {
			v >>= i;
			r += i;
		}
	}
	return r < CT_HIST_SLOTS ? r : CT_HIST_SLOTS - 1;
}

/* futex(2) ops, as in <linux/futex.h> (prefixed: that header and vmlinux.h both have them). */
#define CT_FUTEX_WAIT			0
#define CT_FUTEX_WAKE			1
#define CT_FUTEX_REQUEUE		3
#define CT_FUTEX_CMP_REQUEUE		4
#define CT_FUTEX_WAKE_OP		5
#define CT_FUTEX_LOCK_PI		6
#define CT_FUTEX_UNLOCK_PI		7
#define CT_FUTEX_TRYLOCK_PI		8
#define CT_FUTEX_WAIT_BITSET		9
#define CT_FUTEX_WAKE_BITSET		10
#define CT_FUTEX_WAIT_REQUEUE_PI	11
#define CT_FUTEX_CMP_REQUEUE_PI		12
#define CT_FUTEX_LOCK_PI2		13
#define CT_FUTEX_PRIVATE_FLAG		128
#define CT_FUTEX_CLOCK_REALTIME		256
#define CT_FUTEX_CMD_MASK		(~(CT_FUTEX_PRIVATE_FLAG | CT_FUTEX_CLOCK_REALTIME))
#define CT_FUTEX_CONTENDED		2	/* glibc lowlevellock / Rust futex mutex: "locked, waiters" */

/* Whether ct_futex_op_cause(@op, @val, ...) reads its val_is_live_tid: ask for it only then. */
CT_ABI_INLINE int ct_futex_op_asks_tid(__u32 op, __u32 val)
{
	__u32 cmd = op & CT_FUTEX_CMD_MASK;

	return (cmd == CT_FUTEX_WAIT || cmd == CT_FUTEX_WAIT_BITSET) && val > CT_FUTEX_CONTENDED;
}

/*
 * Why a thread waits in futex(@op, @val): CT_CAUSE_LOCK, _COND, _JOIN, or _OTHER for the ops
 * that do not wait. pthread_join waits on the joined thread's TID word expecting its TID: the
 * caller says whether @val is a live thread of the waiter's process (@val_is_live_tid; needed
 * only where ct_futex_op_asks_tid()). glibc mutexes and rwlocks wait with FUTEX_WAIT; condvars,
 * semaphores and joins with FUTEX_WAIT_BITSET. Other runtimes' mutexes (Rust std) use
 * WAIT_BITSET with value 2.
 */
CT_ABI_INLINE __u32 ct_futex_op_cause(__u32 op, __u32 val, int val_is_live_tid)
{
	__u32 cmd = op & CT_FUTEX_CMD_MASK;

	if (cmd == CT_FUTEX_LOCK_PI || cmd == CT_FUTEX_LOCK_PI2)
		return CT_CAUSE_LOCK;
	if (cmd == CT_FUTEX_WAIT_REQUEUE_PI)
		return CT_CAUSE_COND;
	if (cmd != CT_FUTEX_WAIT && cmd != CT_FUTEX_WAIT_BITSET)
		return CT_CAUSE_OTHER;
	if (val > CT_FUTEX_CONTENDED && val_is_live_tid)
		return CT_CAUSE_JOIN;
	if (cmd == CT_FUTEX_WAIT || val == CT_FUTEX_CONTENDED)
		return CT_CAUSE_LOCK;
	return CT_CAUSE_COND;
}

/* What the kernel side last saw a thread doing. */
enum ct_state {
	CT_ST_UNKNOWN,		/* first seen; time before that counted from start_ns */
	CT_ST_RUNNING,
	CT_ST_RUNNABLE,
	CT_ST_BLOCKED,
};

/* Reasons a record or event was lost; each a counter in the .bss drops[] array. */
enum ct_drop {
	CT_DROP_THREADS,	/* threads map full */
	CT_DROP_TARGETS,	/* targets map full: a forked child not followed */
	CT_DROP_FUTEXES,	/* futexes map full */
	CT_DROP_WAKES,		/* wakes map full */
	CT_DROP_SYSCALLS,	/* syscalls map full */
	CT_DROP_RINGBUF,	/* ring buffer full */
	CT_DROP_SAMPLES,	/* stack-sample ring full */
	CT_DROP_TIMELINE,	/* timeline ring full: slices lost */
	CT_DROP_MAX,
};

/* Per-thread account, keyed by TID in the threads map. Times in ns of bpf_ktime_get_ns(). */
struct ct_thread {
	__u32 pid;			/* thread group id */
	__u32 tid;
	char comm[CT_COMM_LEN];
	__u64 on_cpu_ns;		/* excluding steal_ns, as the kernel's sum_exec_runtime */
	__u64 steal_ns;			/* the hypervisor ran something else while it was on CPU */
	__u64 wait_ns[CT_CAUSE_MAX];
	__u64 nvcsw;			/* voluntary switches */
	__u64 nivcsw;			/* involuntary switches */
	__u64 syscalls;
	__u64 task;			/* the task_struct's address: the account's identity, since a
					 * TID can pass to another task (exec from a non-leader
					 * thread, reuse) and exec rewrites start_time */
	__u64 first_ns;			/* first seen */
	__u64 last_ns;			/* exit, or 0 while alive */
	/* transient state, owned by the BPF programs */
	__u64 ts;			/* when state last changed */
	__u64 futex_uaddr;		/* futex blocked on, while state == BLOCKED */
	__u64 steal_mark;		/* the CPU's steal clock at switch-in */
	__u32 state;			/* enum ct_state */
	__u32 cause;			/* enum ct_cause, while state == BLOCKED */
	__u32 waker;			/* TID that woke it (sched_waking), 0 if none */
	__u32 pad;			/* the syscall in progress is in task storage (ct.bpf.h) */
	__u64 sample_seq;		/* the stack sample taken at this block, 0 none */
	/*
	 * The edge of its last blocked periods: futex, waker and cause, and how many periods in a
	 * row had it, their time and longest. sched.bpf.c adds an edge to the futexes and wakes
	 * maps only when the next period's differs (a ping-pong repeats one edge); user space
	 * adds what is left here at the end (ct_profile__collect).
	 */
	__u64 edge_uaddr;
	__u32 edge_waker;
	__u32 edge_cause;
	__u64 edge_count;		/* 0: empty */
	__u64 edge_ns;
	__u64 edge_max_ns;
};

struct ct_futex_key {
	__u64 uaddr;
	__u32 pid;
	__u32 cause;			/* CT_CAUSE_LOCK, _COND or _JOIN */
};

struct ct_futex_val {
	__u64 waits;
	__u64 total_ns;
	__u64 max_ns;
};

/* A wakeup of a blocked target thread; uaddr is the futex it slept on, or 0. */
struct ct_wake_key {
	__u64 uaddr;
	__u32 waker;			/* TID, 0 for interrupt context and the idle task */
	__u32 wakee;
	__u32 cause;
	__u32 pad;
};

struct ct_wake_val {
	__u64 count;
	__u64 blocked_ns;
};

struct ct_syscall_key {
	__u32 pid;
	__u32 nr;
};

struct ct_syscall_val {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
};

/* Histograms: one row per cause (CT_CAUSE_RUNQUEUE is the run-queue latency). */
struct ct_hist {
	__u64 slots[CT_HIST_SLOTS];
};

/* Rare events through the ring buffer. */
enum ct_event_type {
	CT_EV_FORK,		/* a target process forked a new process */
	CT_EV_EXEC,
	CT_EV_EXIT,		/* a target thread switched out dead: th holds its final account */
};

/*
 * A ring-buffer event, sized by type at bpf_ringbuf_reserve(): FORK and EXEC carry the header and
 * comm (CT_EVENT_PROC_SIZE bytes), EXIT the header and the thread's final account (sizeof).
 */
struct ct_event {
	__u32 type;
	__u32 pid;		/* the process (for EXIT: the thread's tgid) */
	__u32 ppid;		/* FORK: parent tgid */
	__s32 exit_code;	/* EXIT: task->exit_code (wait status format) */
	__u64 ts;
	union {
		char comm[CT_COMM_LEN];	/* FORK, EXEC */
		struct ct_thread th;	/* EXIT: the final account */
	};
};

#define CT_EVENT_PROC_SIZE	(__builtin_offsetof(struct ct_event, comm) + CT_COMM_LEN)

/* Stack samples through the samples ring. */
enum ct_sample_type {
	CT_SAMPLE_WAIT,		/* a futex wait began: stack at the block */
	CT_SAMPLE_WAIT_END,	/* the sampled wait with this seq ended after ns */
	CT_SAMPLE_CPU,		/* perf_event sample of a target thread on CPU */
};

struct ct_sample_end {
	__u32 type;		/* CT_SAMPLE_WAIT_END */
	__u32 tid;
	__u64 seq;
	__u64 ns;		/* blocked time of the wait */
};

struct ct_sample {
	__u32 type;		/* CT_SAMPLE_WAIT or CT_SAMPLE_CPU */
	__u32 pid;
	__u32 tid;
	__u32 cause;		/* WAIT: enum ct_cause */
	__u64 seq;		/* WAIT: matched by a CT_SAMPLE_WAIT_END */
	__u64 uaddr;		/* WAIT: the futex */
	__u64 ts;
	__u64 regs[CT_NR_REGS];	/* user registers, DWARF order */
	__u32 user_mode;	/* CPU: interrupted in user mode; else regs saved at kernel entry */
	__u32 stack_size;	/* bytes of data[] copied from regs[7] (sp) upwards */
	__u32 nr_kframes;
	__u32 pad;
	__u64 kframes[CT_KSTACK_DEPTH];
	__u8 stack[CT_STACK_BYTES];
};

/* Per-CPU token bucket for wait stack samples (the sample_budget map's value). */
struct ct_budget {
	__u64 tokens;		/* in units of 1/1e9 sample, to refill without division */
	__u64 last_ns;
	__u64 not_sampled;	/* futex waits past the rate (per CPU: no shared cache line) */
};

/* --timeline: one state slice of a thread, emitted when the slice ends. */
enum ct_slice_state {
	CT_SL_RUNNING,
	CT_SL_RUNNABLE,
	CT_SL_BLOCKED,		/* cause says why */
};

struct ct_slice {
	__u32 pid;
	__u32 tid;
	__u32 state;		/* enum ct_slice_state */
	__u32 cause;		/* BLOCKED: enum ct_cause */
	__u64 start_ns;
	__u64 end_ns;
};

#endif /* CT_ABI_H */
