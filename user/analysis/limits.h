/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thresholds of the diagnosis and of the lab's verdict, named in one place. Shares are
 * fractions (0.1 is 10%); "of the window" is the trace's duration, "of its life" a thread's time
 * inside the window, "of active time" the active threads' summed CPU, run-queue, lock and I/O time.
 */
#ifndef CT_ANALYSIS_LIMITS_H
#define CT_ANALYSIS_LIMITS_H

struct ct_diag_limits {
	/* facts: a thread is active (doing work, not idle or only joining) ... */
	double active_cpu;		/* ... on a CPU this share of the window, or */
	double active_life;		/* ... alive this share of the window and */
	double active_work;		/* ... on CPU, queued, in lock or I/O this share of life */

	/* facts: a thread is busy (wants a CPU) when ... */
	double busy_cpu;		/* ... on a CPU at least this share of the window, */
	double busy_want;		/* ... on a CPU or queued for one this share of its life, */
	double busy_only;		/* ... and that plus lock and condition waits this share */

	/* model: one active thread spending this share of its life in poll is an event loop */
	double event_loop_poll;

	/* bound */
	double idle_active;		/* active time below this share of the window: idle */
	double ipc_pipe;		/* pipe read/write time this share of active time: ipc */
	double ipc_max_net;		/* ... unless socket calls take this share of pipe time */

	/* serialization: busy threads (at least two, on at least two cores) are serialized when */
	double ser_max_par;		/* their parallelism stays below this, */
	double ser_par_of_expect;	/* and below this share of min(busy threads, cores), */
	double ser_wait;		/* their lock/condition waits this share of their CPU, */
	unsigned int ser_handoffs;	/* and they woke each other at least this many times */
	double ser_on_lock;		/* on a lock: mutex waits this share of all their waits */

	/* recommendation */
	double par_good;		/* CPU-bound in parallel: this share of expected used */
	double slow_io_ms;		/* a mean I/O wait from this many ms is slow: async */
	double many_in_flight;		/* this many threads in I/O on average: async */

	/* confidence of each recommendation */
	double conf_default;		/* before any rule */
	double conf_serial_lock;	/* serialized on a mutex: serial */
	double conf_serial_gil;		/* serialized by CPython's GIL: processes */
	double conf_serial_cond;	/* serialized on a condition handed round: processes */
	double conf_cpu_par_good;	/* CPU-bound, parallel, using the cores: as it is */
	double conf_cpu_par_poor;	/* CPU-bound, parallel, not using the cores: as it is */
	double conf_cpu_serial;		/* CPU-bound on one thread, several cores: processes */
	double conf_cpu_one_core;	/* CPU-bound on one thread, one core: processes */
	double conf_io_async;		/* I/O-bound, slow or many in flight: async */
	double conf_io_threads;		/* I/O-bound, fast and few in flight: threads */
	double conf_lock;		/* lock-bound: serial */
	double conf_ipc;		/* IPC-bound processes: threads */
	double conf_idle;		/* mostly idle: what it uses */

	/* the lab's verdict */
	double lab_agree;	/* the recommended cell agrees at this share of the winner */
	double lab_min_csw;	/* threads' context switches per task that count as paying */
	double lab_csw_ratio;		/* ... and this many times the event loop's: async */
};

extern const struct ct_diag_limits ct_diag_limits;

#endif
