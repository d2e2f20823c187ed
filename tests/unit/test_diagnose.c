// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis' passes on synthetic profiles, table-driven: each row states a situation and what
 * the rule of thumb says of it, with rows on either side of each threshold of ct_diag_limits.
 * Every profile spans a 10 s window; times in the rows are seconds of it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "analysis/diagnose.h"
#include "analysis/lab_verdict.h"
#include "analysis/limits.h"
#include "analysis/passes.h"
#include "../test.h"

#define WINDOW_S	10.0
#define START_NS	1000000000ull
#define NS(s)		((__u64)((s) * 1e9 + 0.5))

/* One thread's accounts; life from @first to @last seconds into the window (@last 0: the end). */
struct th {
	__u32 pid, tid;
	double cpu, rq, lock, cond, join, io, poll, sleep;
	double first, last;
	double gil;			/* of its waits, those for CPython's GIL */
};

struct wk {
	__u32 waker, wakee, cause;
	__u64 count;
};

struct sc {
	__u32 pid;
	int nr;
	double total;
};

struct shape {
	int cores;
	struct th th[4];		/* up to the first with tid 0 */
	unsigned int copies;		/* th[0] this many times (tids, and pids if @own_pid, +1) */
	bool own_pid;
	struct wk wk[3];		/* up to the first with count 0 */
	struct sc sc[3];		/* up to the first with total 0 */
	__u64 io_blocks;		/* the I/O waits' count (in the io histogram) */
	__u32 fx_cause;			/* a futex of pid 1 with this cause, if not 0 */
};

static void put_thread(struct ct_profile *p, const struct th *t, __u32 pid, __u32 tid)
{
	struct ct_thread_rec *r = &p->threads[p->nr_threads++];
	struct ct_thread_rec *th = r;

	th->pid = pid;
	th->tid = tid;
	strcpy(th->comm, "t");
	th->on_cpu_ns = NS(t->cpu);
	th->wait_ns[CT_CAUSE_RUNQUEUE] = NS(t->rq);
	th->wait_ns[CT_CAUSE_LOCK] = NS(t->lock);
	th->wait_ns[CT_CAUSE_COND] = NS(t->cond);
	th->wait_ns[CT_CAUSE_JOIN] = NS(t->join);
	th->wait_ns[CT_CAUSE_IO] = NS(t->io);
	th->wait_ns[CT_CAUSE_POLL] = NS(t->poll);
	th->wait_ns[CT_CAUSE_SLEEP] = NS(t->sleep);
	th->first_ns = t->first ? START_NS + NS(t->first) : 0;
	th->last_ns = t->last ? START_NS + NS(t->last) : 0;
	r->gil_wait_ns = NS(t->gil);
}

/* @p from @s, finished as the collector would leave it. @return false (and a FAIL) on ENOMEM */
static bool build(struct ct_profile *p, const struct shape *s)
{
	unsigned int n = 0, k;

	memset(p, 0, sizeof(*p));
	p->cores = s->cores;
	p->start_ns = START_NS;
	p->stop_ns = START_NS + NS(WINDOW_S);
	p->duration_s = WINDOW_S;
	while (n < CT_ARRAY_SIZE(s->th) && s->th[n].tid)
		n++;
	p->threads = calloc(n + s->copies, sizeof(*p->threads));
	p->wakes = calloc(CT_ARRAY_SIZE(s->wk), sizeof(*p->wakes));
	p->syscalls = calloc(CT_ARRAY_SIZE(s->sc), sizeof(*p->syscalls));
	p->futexes = calloc(1, sizeof(*p->futexes));
	if (!ASSERT_TRUE(p->threads && p->wakes && p->syscalls && p->futexes, "allocate")) {
		ct_profile__free(p);
		return false;
	}
	for (k = 0; k < s->copies; k++)
		put_thread(p, &s->th[0], s->th[0].pid + (s->own_pid ? k : 0), s->th[0].tid + k);
	for (k = s->copies ? 1 : 0; k < n; k++)
		put_thread(p, &s->th[k], s->th[k].pid, s->th[k].tid);
	for (k = 0; k < CT_ARRAY_SIZE(s->wk) && s->wk[k].count; k++)
		p->wakes[p->nr_wakes++] = (struct ct_wake_rec){
			{ .uaddr = 0x1000, .waker = s->wk[k].waker, .wakee = s->wk[k].wakee,
			  .cause = s->wk[k].cause }, { .count = s->wk[k].count } };
	for (k = 0; k < CT_ARRAY_SIZE(s->sc) && s->sc[k].total; k++)
		p->syscalls[p->nr_syscalls++] = (struct ct_syscall_rec){
			{ .pid = s->sc[k].pid, .nr = s->sc[k].nr },
			{ .count = 1000, .total_ns = NS(s->sc[k].total) } };
	if (s->fx_cause)
		p->futexes[p->nr_futexes++] = (struct ct_futex_rec){
			{ .uaddr = 0x1000, .pid = 1, .cause = s->fx_cause },
			  { 100, NS(1), NS(0.1) } };
	p->hists[CT_CAUSE_IO].slots[10] = s->io_blocks;
	ct_profile__finish(p);
	return true;
}

/* A thread of pid 1 on CPU, queued, in a lock, in I/O, ... for the whole window. */
#define T(tid_, ...) { .pid = 1, .tid = (tid_), __VA_ARGS__ }

/* Threads of the rows below: in fast I/O, 90% in I/O, and a process piping data. */
#define FAST_IO(tid_)	T(tid_, .cpu = 2.5, .io = 6, .sleep = 1.5)
#define IO90(tid_)	T(tid_, .cpu = 0.5, .io = 9, .sleep = 0.5)
#define PIPER(pid_)	{ .pid = (pid_), .tid = (pid_), .cpu = 3, .io = 5, .sleep = 2 }

/* Pass 1: a thread's roles from its accounts. */
static const struct {
	const char *desc;
	struct th th;
	bool active, busy;
} facts_rows[] = {
	{ "on CPU 10.1% of the window, asleep otherwise: active, not wanting CPU",
	  T(1, .cpu = 1.01, .sleep = 8.99), true, false },
	{ "on CPU 9.9% of the window, asleep otherwise: idle",
	  T(1, .cpu = 0.99, .sleep = 9.01), false, false },
	{ "blocked in I/O 30.1% of its life: active",
	  T(1, .io = 3.01, .sleep = 6.99), true, false },
	{ "blocked in I/O 29.9% of its life: idle",
	  T(1, .io = 2.99, .sleep = 7.01), false, false },
	{ "in poll 31% of its life: active", T(1, .poll = 3.1, .sleep = 6.9), true, false },
	{ "joining all the time: idle (it only waits for the others to end)",
	  T(1, .join = 10), false, false },
	{ "in I/O all its life, but alive only 9.9% of the window: idle",
	  T(1, .io = 0.99, .last = 0.99), false, false },
	{ "in I/O all its life, alive 10.1% of the window: active",
	  T(1, .io = 1.01, .last = 1.01), true, false },
	{ "on CPU 60%, queued 40%: wanting CPU", T(1, .cpu = 6, .rq = 4), true, true },
	{ "on CPU 5.1% of the window, queued, else in a lock: wanting CPU",
	  T(1, .cpu = 0.51, .rq = 1.6, .lock = 7.89), true, true },
	{ "on CPU 4.9% of the window, queued, else in a lock: not wanting CPU",
	  T(1, .cpu = 0.49, .rq = 1.62, .lock = 7.89), true, false },
	{ "on CPU or queued 20.1% of its life, else in a lock: wanting CPU",
	  T(1, .cpu = 2.01, .lock = 7.99), true, true },
	{ "on CPU or queued 19.9% of its life, else in a lock: not wanting CPU",
	  T(1, .cpu = 1.99, .lock = 8.01), true, false },
	{ "on CPU half the time, waiting for the others 31%, asleep 19%: wanting CPU",
	  T(1, .cpu = 5, .lock = 1.6, .cond = 1.5, .sleep = 1.9), true, true },
	{ "on CPU half the time, waiting for the others 29%, asleep 21%: not wanting CPU",
	  T(1, .cpu = 5, .lock = 1.4, .cond = 1.5, .sleep = 2.1), true, false },
	{ "alive 9% of the window, on CPU most of it: wanting CPU, too short-lived to be active",
	  T(1, .cpu = 0.6, .lock = 0.3, .last = 0.9), false, true },
	{ "on CPU half the time, in I/O the rest: not wanting CPU (I/O is no wait for others)",
	  T(1, .cpu = 5, .io = 5), true, false },
};

CT_TEST(diagnose_facts)
{
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(facts_rows); i++) {
		struct shape s = { .cores = 2, .th = { facts_rows[i].th } };
		struct ct_profile p;
		struct ct_tfacts f;

		if (!build(&p, &s))
			return;
		ct_diag__thread_facts(&p, &p.threads[0], &f);
		ASSERT_EQ(f.active, facts_rows[i].active, facts_rows[i].desc);
		ASSERT_EQ(f.busy, facts_rows[i].busy, facts_rows[i].desc);
		ASSERT_NEAR(f.life, facts_rows[i].th.last ? facts_rows[i].th.last : WINDOW_S, 1e-9,
			    facts_rows[i].desc);
		ct_profile__free(&p);
	}
}

/* Pass 2: who does the work, with more threads and processes than any fixed table held. */
static const struct {
	const char *desc;
	struct shape s;
	unsigned int active, busy, procs;
} roles_rows[] = {
	{ "a thread on CPU, one joining it: one active, one busy, one process",
	  { .cores = 2, .th = { T(1, .join = 10), T(2, .cpu = 10) } }, 1, 1, 1 },
	{ "an I/O thread and a busy one in two processes",
	  { .cores = 2, .th = { T(1, .io = 9, .cpu = 1), { .pid = 2, .tid = 2, .cpu = 10 } },
	    }, 2, 1, 2 },
	{ "300 single-threaded processes on CPU: all of them count",
	  { .cores = 2, .th = { T(1, .cpu = 10) },
	    .copies = 300, .own_pid = true }, 300, 300, 300 },
	{ "one process of 300 threads on CPU: all of them count, in one process",
	  { .cores = 2, .th = { T(1, .cpu = 10) }, .copies = 300 }, 300, 300, 1 },
};

CT_TEST(diagnose_roles)
{
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(roles_rows); i++) {
		struct ct_profile p;
		struct ct_roles r;

		if (!build(&p, &roles_rows[i].s))
			return;
		ct_diag__roles(&p, &r);
		ASSERT_EQ(r.active, roles_rows[i].active, roles_rows[i].desc);
		ASSERT_EQ(r.busy, roles_rows[i].busy, roles_rows[i].desc);
		ASSERT_EQ(r.procs, roles_rows[i].procs, roles_rows[i].desc);
		ASSERT_EQ(r.extra_threads, roles_rows[i].active - roles_rows[i].procs,
			  roles_rows[i].desc);
		ct_profile__free(&p);
	}
}

/* Pass 3: the model, from the roles alone. */
static const struct {
	const char *desc;
	struct ct_roles r;
	enum ct_model model;
} model_rows[] = {
	{ "nothing active: serial", { .active = 0 }, CT_MODEL_SERIAL },
	{ "one active thread, no poll: serial", { .active = 1, .procs = 1 }, CT_MODEL_SERIAL },
	{ "one active thread, 31% in poll: event loop",
	  { .active = 1, .procs = 1, .top_poll_share = 0.31 }, CT_MODEL_EVENT_LOOP },
	{ "one active thread, 29% in poll: serial",
	  { .active = 1, .procs = 1, .top_poll_share = 0.29 }, CT_MODEL_SERIAL },
	{ "two active threads of one process: threads, poll or not",
	  { .active = 2, .procs = 1, .extra_threads = 1, .top_poll_share = 0.9 },
	  CT_MODEL_THREADS },
	{ "two single-threaded processes: processes",
	  { .active = 2, .procs = 2 }, CT_MODEL_PROCESSES },
	{ "two processes, one with two threads: mixed",
	  { .active = 3, .procs = 2, .extra_threads = 1 }, CT_MODEL_MIXED },
};

CT_TEST(diagnose_model)
{
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(model_rows); i++)
		ASSERT_EQ(ct_diag__model(&model_rows[i].r), model_rows[i].model,
			  model_rows[i].desc);
}

/* Passes 4 to 6, through ct_diagnose(): bound, model, serialization and the recommendation. */
#define L(field) (&ct_diag_limits.field)

/* Two threads of pid 1 handing a lock (or condition) back and forth @n times in all. */
#define HANDOFFS(cause, n) { { 1, 2, (cause), (n) / 2 }, { 2, 1, (cause), (n) - (n) / 2 } }

static const struct {
	const char *desc;
	struct shape s;
	enum ct_bound bound;
	enum ct_model model;
	bool serialized;
	bool matches;			/* the advice is the model in use */
	enum ct_advice rec;
	const double *confidence;
	const char *says;		/* in one of the reasons, if not NULL */
} verdict_rows[] = {
	{ "two threads each 100% on CPU on 2 cores: parallel already",
	  { .cores = 2, .th = { T(1, .cpu = 10), T(2, .cpu = 10) } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_good), NULL },
	{ "two busy threads at parallelism 1.6 of 2 cores (80% of it): sure",
	  { .cores = 2, .th = { T(1, .cpu = 8, .rq = 2), T(2, .cpu = 8, .rq = 2) } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_good), NULL },
	{ "two busy threads at parallelism 1.4 of 2 cores (70% of it): less sure",
	  { .cores = 2, .th = { T(1, .cpu = 7, .rq = 3), T(2, .cpu = 7, .rq = 3) } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_poor), NULL },
	{ "one thread on CPU all the time on 4 cores: processes would use the others",
	  { .cores = 4, .th = { T(1, .cpu = 10) } },
	  CT_BOUND_CPU, CT_MODEL_SERIAL, false, false, CT_ADVICE_PROCESSES,
	  L(conf_cpu_serial), NULL },
	{ "one thread on CPU all the time on 1 core: processes, hardly sure",
	  { .cores = 1, .th = { T(1, .cpu = 10) } },
	  CT_BOUND_CPU, CT_MODEL_SERIAL, false, false, CT_ADVICE_PROCESSES,
	  L(conf_cpu_one_core), NULL },
	{ "two single-threaded processes on CPU: processes already",
	  { .cores = 2, .th = { T(1, .cpu = 10), { .pid = 2, .tid = 2, .cpu = 10 } } },
	  CT_BOUND_CPU, CT_MODEL_PROCESSES, false, true, CT_ADVICE_PROCESSES,
	  L(conf_cpu_par_good), NULL },
	{ "a process of two threads beside a single-threaded one, on CPU: mixed, processes",
	  { .cores = 4, .th = { T(1, .cpu = 10),
				T(2, .cpu = 10), { .pid = 2, .tid = 3, .cpu = 10 } } },
	  CT_BOUND_CPU, CT_MODEL_MIXED, false, false, CT_ADVICE_PROCESSES,
	  L(conf_cpu_par_good), NULL },
	{ "one thread 90% blocked in poll: an event loop, async",
	  { .cores = 2, .th = { T(1, .cpu = 0.5, .poll = 9, .sleep = 0.5) }, .io_blocks = 1000 },
	  CT_BOUND_IO, CT_MODEL_EVENT_LOOP, false, true, CT_ADVICE_ASYNC, L(conf_io_async), NULL },
	{ "two threads in fast I/O (1.2 ms), 1.2 in flight: threads",
	  { .cores = 2, .th = { FAST_IO(1), FAST_IO(2) },
	    .io_blocks = 10000 },
	  CT_BOUND_IO, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS, L(conf_io_threads), NULL },
	{ "two threads in I/O waits of 9.99 ms: still fast, threads",
	  { .cores = 2, .th = { FAST_IO(1), FAST_IO(2) },
	    .io_blocks = 1201 },
	  CT_BOUND_IO, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS, L(conf_io_threads), NULL },
	{ "two threads in I/O waits of 10 ms: slow, async",
	  { .cores = 2, .th = { FAST_IO(1), FAST_IO(2) },
	    .io_blocks = 1200 },
	  CT_BOUND_IO, CT_MODEL_THREADS, false, false, CT_ADVICE_ASYNC, L(conf_io_async), NULL },
	{ "18 threads 90% in fast I/O: 16.2 in flight, async",
	  { .cores = 2, .th = { IO90(1) }, .copies = 18, .io_blocks = 1000000 },
	  CT_BOUND_IO, CT_MODEL_THREADS, false, false, CT_ADVICE_ASYNC, L(conf_io_async), NULL },
	{ "17 threads 90% in fast I/O: 15.3 in flight, threads",
	  { .cores = 2, .th = { IO90(1) }, .copies = 17, .io_blocks = 1000000 },
	  CT_BOUND_IO, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS, L(conf_io_threads), NULL },
	{ "two busy threads handing a mutex back and forth 1000 times at parallelism 1.0: "
	  "serialized; lock time only equals CPU time, so not lock-bound",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 1000), .fx_cause = CT_CAUSE_LOCK },
	  CT_BOUND_CPU, CT_MODEL_THREADS, true, false, CT_ADVICE_SERIAL,
	  L(conf_serial_lock), NULL },
	{ "the same with more lock than CPU time: lock-bound and serialized, serial",
	  { .cores = 2, .th = { T(1, .cpu = 4, .lock = 6), T(2, .cpu = 4, .lock = 6) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 1000), .fx_cause = CT_CAUSE_LOCK },
	  CT_BOUND_LOCK, CT_MODEL_THREADS, true, false, CT_ADVICE_SERIAL,
	  L(conf_serial_lock), NULL },
	{ "10 hand-offs: serialized",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 10), .fx_cause = CT_CAUSE_LOCK },
	  CT_BOUND_CPU, CT_MODEL_THREADS, true, false, CT_ADVICE_SERIAL,
	  L(conf_serial_lock), NULL },
	{ "9 hand-offs: too few to call it serialized, parallel CPU work as it is",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 9), .fx_cause = CT_CAUSE_LOCK },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_poor), NULL },
	{ "the hand-offs come from an idle third thread: not between the busy ones",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5),
				T(2, .cpu = 5, .lock = 5), T(3, .sleep = 10) },
	    .wk = { { 3, 1, CT_CAUSE_LOCK, 500 }, { 3, 2, CT_CAUSE_LOCK, 500 } } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_poor), NULL },
	{ "hand-offs to and from a busy thread too short-lived to be active: none between "
	  "the active ones",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5),
				T(3, .cpu = 0.6, .lock = 0.3, .last = 0.9) },
	    .wk = { { 1, 3, CT_CAUSE_LOCK, 500 }, { 3, 2, CT_CAUSE_LOCK, 500 } } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_poor), NULL },
	{ "hand-offs to and from an I/O thread (active, not wanting CPU): none between busy ones",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5),
				T(3, .cpu = 1, .io = 9) },
	    .wk = { { 1, 3, CT_CAUSE_LOCK, 500 }, { 3, 2, CT_CAUSE_LOCK, 500 } } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS, L(conf_cpu_par_poor),
	  NULL },
	{ "each thread wakes itself: no hand-off",
	  { .cores = 2, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5) },
	    .wk = { { 1, 1, CT_CAUSE_LOCK, 500 }, { 2, 2, CT_CAUSE_LOCK, 500 } } },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_poor), NULL },
	{ "two busy threads handing a lock round on one core: one core runs one anyway",
	  { .cores = 1, .th = { T(1, .cpu = 5, .lock = 5), T(2, .cpu = 5, .lock = 5) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 1000) },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_good), NULL },
	{ "three busy threads on 4 cores at parallelism 1.29, handing a lock: serialized",
	  { .cores = 4, .th = { T(1, .cpu = 4.3, .lock = 5.7), T(2, .cpu = 4.3, .lock = 5.7),
				T(3, .cpu = 4.3, .lock = 5.7) },
	    .wk = { { 1, 2, CT_CAUSE_LOCK, 100 }, { 2, 3, CT_CAUSE_LOCK, 100 } } },
	  CT_BOUND_LOCK, CT_MODEL_THREADS, true, false, CT_ADVICE_SERIAL,
	  L(conf_serial_lock), NULL },
	{ "three busy threads on 4 cores at parallelism 1.32: too parallel to be serialized",
	  { .cores = 4, .th = { T(1, .cpu = 4.4, .lock = 5.6), T(2, .cpu = 4.4, .lock = 5.6),
				T(3, .cpu = 4.4, .lock = 5.6) },
	    .wk = { { 1, 2, CT_CAUSE_LOCK, 100 }, { 2, 3, CT_CAUSE_LOCK, 100 } } },
	  CT_BOUND_LOCK, CT_MODEL_THREADS, false, false, CT_ADVICE_SERIAL, L(conf_lock), NULL },
	{ "waits 30% of the busy threads' CPU time: serialized",
	  { .cores = 2, .th = { T(1, .cpu = 5, .rq = 3.5, .lock = 1.5),
				T(2, .cpu = 5, .rq = 3.5, .lock = 1.5) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 1000) },
	  CT_BOUND_CPU, CT_MODEL_THREADS, true, false, CT_ADVICE_SERIAL,
	  L(conf_serial_lock), NULL },
	{ "waits 20% of the busy threads' CPU time: not serialized",
	  { .cores = 2, .th = { T(1, .cpu = 5, .rq = 4, .lock = 1),
				T(2, .cpu = 5, .rq = 4, .lock = 1) },
	    .wk = HANDOFFS(CT_CAUSE_LOCK, 1000) },
	  CT_BOUND_CPU, CT_MODEL_THREADS, false, true, CT_ADVICE_THREADS,
	  L(conf_cpu_par_poor), NULL },
	{ "two busy threads handing a condition round: separate processes",
	  { .cores = 2, .th = { T(1, .cpu = 5, .cond = 5), T(2, .cpu = 5, .cond = 5) },
	    .wk = HANDOFFS(CT_CAUSE_COND, 1000), .fx_cause = CT_CAUSE_COND },
	  CT_BOUND_CPU, CT_MODEL_THREADS, true, false, CT_ADVICE_PROCESSES, L(conf_serial_cond),
	  "separate processes do not share the lock" },
	{ "CPython threads handing the GIL round: processes",
	  { .cores = 2, .th = { T(1, .cpu = 5, .cond = 5, .gil = 5),
				T(2, .cpu = 5, .cond = 5, .gil = 5) },
	    .wk = HANDOFFS(CT_CAUSE_COND, 1000), .fx_cause = CT_CAUSE_COND },
	  CT_BOUND_CPU, CT_MODEL_THREADS, true, false, CT_ADVICE_PROCESSES, L(conf_serial_gil),
	  "own interpreter and GIL" },
	{ "two threads mostly waiting for a lock, not handing it to each other: lock-bound",
	  { .cores = 2, .th = { T(1, .cpu = 3, .lock = 7), T(2, .cpu = 3, .lock = 7) } },
	  CT_BOUND_LOCK, CT_MODEL_THREADS, false, false, CT_ADVICE_SERIAL, L(conf_lock), NULL },
	{ "two processes, pipe calls 31% of their active time: IPC",
	  { .cores = 2, .th = { PIPER(1), PIPER(2) },
	    .sc = { { 1, SYS_read, 2.5 }, { 2, SYS_write, 2.5 } }, .io_blocks = 100000 },
	  CT_BOUND_IPC, CT_MODEL_PROCESSES, false, false, CT_ADVICE_THREADS, L(conf_ipc), NULL },
	{ "two processes, pipe calls 29% of their active time: I/O, not IPC",
	  { .cores = 2, .th = { PIPER(1), PIPER(2) },
	    .sc = { { 1, SYS_read, 2.3 }, { 2, SYS_write, 2.3 } }, .io_blocks = 100000 },
	  CT_BOUND_IO, CT_MODEL_PROCESSES, false, false, CT_ADVICE_THREADS,
	  L(conf_io_threads), NULL },
	{ "two processes piping data to each other: threads would share it",
	  { .cores = 2, .th = { PIPER(1), PIPER(2) },
	    .sc = { { 1, SYS_read, 8 }, { 2, SYS_write, 8 } }, .io_blocks = 100000 },
	  CT_BOUND_IPC, CT_MODEL_PROCESSES, false, false, CT_ADVICE_THREADS, L(conf_ipc),
	  "share the data in memory" },
	{ "the same with socket calls 19% of the pipe time: still IPC",
	  { .cores = 2, .th = { PIPER(1), PIPER(2) },
	    .sc = { { 1, SYS_read, 8 }, { 2, SYS_write, 8 }, { 1, SYS_recvfrom, 3 } },
	    .io_blocks = 100000 },
	  CT_BOUND_IPC, CT_MODEL_PROCESSES, false, false, CT_ADVICE_THREADS, L(conf_ipc), NULL },
	{ "the same with socket calls 25% of the pipe time: network I/O, not IPC",
	  { .cores = 2, .th = { PIPER(1), PIPER(2) },
	    .sc = { { 1, SYS_read, 8 }, { 2, SYS_write, 8 }, { 1, SYS_recvfrom, 4 } },
	    .io_blocks = 100000 },
	  CT_BOUND_IO, CT_MODEL_PROCESSES, false, false, CT_ADVICE_THREADS,
	  L(conf_io_threads), NULL },
	{ "one process in pipe syscalls: IPC needs two",
	  { .cores = 2, .th = { T(1, .cpu = 3, .io = 5, .sleep = 2) }, .sc = { { 1, SYS_read, 8 } },
	    .io_blocks = 100000 },
	  CT_BOUND_IO, CT_MODEL_SERIAL, false, false, CT_ADVICE_THREADS, L(conf_io_threads), NULL },
	{ "one thread asleep all the time: idle, serial as it is",
	  { .cores = 2, .th = { T(1, .sleep = 10) } },
	  CT_BOUND_IDLE, CT_MODEL_SERIAL, false, true, CT_ADVICE_SERIAL, L(conf_idle), NULL },
	{ "a thread active 0.45 s (4.5% of the window): idle",
	  { .cores = 2, .th = { T(1, .cpu = 0.45, .sleep = 0.75, .last = 1.2) } },
	  CT_BOUND_IDLE, CT_MODEL_SERIAL, false, true, CT_ADVICE_SERIAL, L(conf_idle), NULL },
	{ "a thread active 0.55 s (5.5% of the window): CPU-bound",
	  { .cores = 2, .th = { T(1, .cpu = 0.55, .sleep = 0.65, .last = 1.2) } },
	  CT_BOUND_CPU, CT_MODEL_SERIAL, false, false, CT_ADVICE_PROCESSES,
	  L(conf_cpu_serial), NULL },
	{ "a mostly idle event loop: async as it is",
	  { .cores = 2, .th = { T(1, .cpu = 0.04, .poll = 0.4, .sleep = 0.76, .last = 1.2) },
	    .io_blocks = 10 },
	  CT_BOUND_IDLE, CT_MODEL_EVENT_LOOP, false, true, CT_ADVICE_ASYNC, L(conf_idle), NULL },
};

static bool says(const struct ct_diagnosis *d, const char *what)
{
	int i;

	for (i = 0; i < d->nr_reasons; i++)
		if (strstr(d->reasons[i], what))
			return true;
	return false;
}

CT_TEST(diagnose_verdict)
{
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(verdict_rows); i++) {
		const char *desc = verdict_rows[i].desc;
		struct ct_diagnosis d;
		struct ct_profile p;

		if (!build(&p, &verdict_rows[i].s))
			return;
		ct_diagnose(&p, &d);
		ASSERT_STREQ(ct_bound_name(d.bound), ct_bound_name(verdict_rows[i].bound), desc);
		ASSERT_STREQ(ct_model_name(d.model), ct_model_name(verdict_rows[i].model), desc);
		ASSERT_EQ(d.serialized, verdict_rows[i].serialized, desc);
		ASSERT_STREQ(ct_advice_name(d.rec_model), ct_advice_name(verdict_rows[i].rec),
			     desc);
		ASSERT_NEAR(d.confidence, *verdict_rows[i].confidence, 0, desc);
		ASSERT_EQ(d.matches_current, verdict_rows[i].matches, desc);
		ASSERT_TRUE(d.nr_evidence >= 2 && d.nr_reasons >= 1, desc);
		if (verdict_rows[i].says)
			ASSERT_TRUE(says(&d, verdict_rows[i].says), desc);
		ct_profile__free(&p);
	}
}

/* Which cause dominates, and the GIL's figures. */
CT_TEST(diagnose_dominant_and_gil)
{
	static const struct {
		const char *desc;
		struct shape s;
		enum ct_dominant dom;
	} rows[] = {
		{ "on CPU more than queued", { .cores = 2, .th = { T(1, .cpu = 6, .rq = 4) } },
		  CT_DOMINANT_ON_CPU },
		{ "queued more than on CPU", { .cores = 1, .th = { T(1, .cpu = 4, .rq = 6) } },
		  CT_DOMINANT_RUNQUEUE },
		{ "in poll more than other I/O",
		  { .cores = 2, .th = { T(1, .cpu = 1, .poll = 6, .io = 3) },
		    .io_blocks = 100 }, CT_DOMINANT_POLL },
		{ "in I/O more than poll",
		  { .cores = 2, .th = { T(1, .cpu = 1, .poll = 3, .io = 6) },
		    .io_blocks = 100 }, CT_DOMINANT_IO },
		{ "in a lock", { .cores = 2, .th = { T(1, .cpu = 2, .lock = 8) } },
		  CT_DOMINANT_LOCK },
		{ "asleep", { .cores = 2, .th = { T(1, .sleep = 10) } }, CT_DOMINANT_IDLE },
	};
	struct shape gil = { .cores = 2, .th = { T(1, .cpu = 4, .cond = 6, .gil = 6),
						 T(2, .cpu = 4, .gil = 1) } };
	struct ct_diagnosis d;
	struct ct_profile p;
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		if (!build(&p, &rows[i].s))
			return;
		ct_diagnose(&p, &d);
		ASSERT_STREQ(ct_dominant_name(d.dominant), ct_dominant_name(rows[i].dom),
			     rows[i].desc);
		ct_profile__free(&p);
	}
	/* 7 s waiting for the GIL; its threads ran 8 s of the 10 s window under it */
	if (!build(&p, &gil))
		return;
	ct_diagnose(&p, &d);
	ASSERT_TRUE(d.gil, "GIL waits seen");
	ASSERT_NEAR(d.gil_wait_s, 7, 1e-9, "GIL wait");
	ASSERT_NEAR(d.gil_held_share, 0.8, 1e-9, "GIL held share");
	ct_profile__free(&p);
}

CT_TEST(diagnose_names)
{
	ASSERT_STREQ(ct_bound_name(CT_BOUND_IPC), "ipc", "bound name");
	ASSERT_STREQ(ct_bound_name(CT_BOUND__NR), "?", "bound out of range");
	ASSERT_STREQ(ct_model_name(CT_MODEL_EVENT_LOOP), "event_loop", "model name");
	ASSERT_STREQ(ct_model_name((enum ct_model)-1), "?", "model out of range");
	ASSERT_STREQ(ct_advice_name(CT_ADVICE_ASYNC), "async", "advice name");
	ASSERT_STREQ(ct_dominant_name(CT_DOMINANT_RUNQUEUE), "runqueue", "dominant name");
	ASSERT_STREQ(ct_lab_model_name(CT_LAB_GIL), "gil", "lab model name");
	ASSERT_TRUE(!ct_lab_model_name(CT_LAB_NONE), "no lab model");
}
