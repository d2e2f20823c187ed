/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by conctrace-workload's workloads, models, server and command line. */
#ifndef CT_WL_H
#define CT_WL_H

/* Every unit includes this header first; the top-level Makefile also passes -D_GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define CT_PROG			"conctrace-workload"
#define CT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum ct_scale { CT_SMALL, CT_DEFAULT, CT_LARGE, CT_NR_SCALES };

/* What the loopback server does: answer at once, or after 50-100 ms. */
enum ct_kind { CT_KIND_NONE, CT_KIND_FAST, CT_KIND_SLOW };

/* Exit codes: success, runtime failure (e.g. a wrong reply), usage error. */
enum { CT_EXIT_OK = 0, CT_EXIT_FAIL = 1, CT_EXIT_USAGE = 2 };

struct ct_run;
struct ct_worker;

/*
 * A lock task code runs under (the gil model's GIL), given to a worker by its model: released
 * around blocking calls (ct_block_begin/end, ct_mutex_lock) and handed over at ct_tick() when
 * *hold_drop asks. The run loop and the pool only call these; they know no GIL.
 */
struct ct_hold_ops {
	void (*acquire)(struct ct_worker *w);
	void (*release)(struct ct_worker *w);
	void (*yield)(struct ct_worker *w);
};

/* One unit of work: its input is a function of @id, except the payload, which the model moves. */
struct ct_task {
	uint64_t id;
	const void *in;			/* payload (ipc-heavy): shared by pointer or copied across */
	size_t in_len;
	uint64_t out;			/* the task's answer, checked by the workload's check() */
	int err;			/* nonzero: the task failed (counted in "errors") */
};

/* What task code runs in: one per thread, process or coroutine. */
struct ct_worker {
	struct ct_run *run;
	int conn;			/* io-fast: this worker's persistent connection, -1 none */
	void *buf;			/* processes model: where a payload is received */
	size_t buf_len;
	const struct ct_hold_ops *hold;	/* gil model only, else NULL */
	void *hold_state;		/* the hold's own state (the GIL) */
	atomic_int *hold_drop;		/* the hold's drop request, polled by ct_tick() */
};

struct ct_workload {
	const char *name;
	const char *summary;
	enum ct_kind kind;			/* the server it talks to, or CT_KIND_NONE */
	unsigned long tasks[CT_NR_SCALES];	/* tasks generated at each scale */
	int workers;				/* default pool size; 0: online CPUs */
	int async_inflight[CT_NR_SCALES];	/* async model's default requests in flight */
	int (*setup)(struct ct_run *r);		/* allocate r->priv; 0 or -errno */
	void (*teardown)(struct ct_run *r);
	void (*input)(struct ct_run *r, struct ct_task *t);	/* optional: attach the payload */
	void (*task)(struct ct_worker *w, struct ct_task *t);	/* the blocking task function */
	void (*compute)(struct ct_worker *w, struct ct_task *t); /* io: CPU work before the request */
	int (*check)(struct ct_run *r, const struct ct_task *t); /* optional: 0 if t->out is right */
	int (*finish)(struct ct_run *r);	/* optional: whole-run check, number of errors */
};

struct ct_model {
	const char *name;
	const char *summary;
	int (*run)(struct ct_run *r);		/* 0 or -errno (task errors are counted, not returned) */
};

/* Figures counted by every worker; in shared memory so forked workers count too. */
struct ct_stats {
	atomic_ulong done;
	atomic_ulong errors;
	atomic_ullong ipc_bytes;		/* the model's own inter-process traffic */
	atomic_ullong net_bytes;		/* socket traffic with the server */
	atomic_long conns;			/* connections open to the server now */
	atomic_long conns_max;
	atomic_bool timed_out;
	atomic_bool warned;			/* the first task error was reported on stderr */
};

/* One invocation: options, the workload's state, the task counter and the figures. */
struct ct_run {
	const struct ct_workload *wl;
	const struct ct_model *model;
	enum ct_scale scale;
	int workers;			/* threads, processes, or (async) requests in flight */
	double max_seconds;
	double switch_interval_ms;	/* gil model */
	struct sockaddr_storage server;
	socklen_t server_len;
	long nofile_limit;		/* RLIMIT_NOFILE soft limit in force */
	unsigned long ntasks;
	void *priv;			/* the workload's state */
	double deadline;		/* CLOCK_MONOTONIC seconds: stop starting tasks */
	atomic_ulong next;		/* next task id to hand out */
	struct ct_stats *st;
};

/* registry.c */
extern const struct ct_workload *const ct_workloads[];
extern const struct ct_model *const ct_models[];
extern const char *const ct_scale_names[];
const struct ct_workload *ct_workload_find(const char *name);
const struct ct_model *ct_model_find(const char *name);
int ct_workers(const struct ct_run *r, int requested);

/* The workloads and models. */
extern const struct ct_workload wl_cpu, wl_io_fast, wl_io_slow, wl_shared_state, wl_ipc_heavy,
	wl_mixed;
extern const struct ct_model model_serial, model_threads, model_processes, model_async, model_gil;

/* run.c: the task life cycle every model goes through, and small helpers. */
double ct_now(void);
void *ct_shared_alloc(size_t size);
void ct_shared_free(void *p, size_t size);
bool ct_task_claim(struct ct_run *r, struct ct_task *t);
void ct_task_finish(struct ct_run *r, struct ct_task *t);
void ct_task_fail(struct ct_run *r, const struct ct_task *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ct_worker_init(struct ct_worker *w, struct ct_run *r);
void ct_worker_fini(struct ct_worker *w);
void ct_mutex_lock(struct ct_worker *w, pthread_mutex_t *m);
void ct_conn_opened(struct ct_run *r);
void ct_conn_closed(struct ct_run *r);
uint64_t ct_mix64(uint64_t x);
void ct_fill(void *buf, size_t len, uint64_t seed);
int ct_online_cpus(void);

/* A checkpoint for long CPU loops: under the gil model, hand the GIL over when asked. */
static inline void ct_tick(struct ct_worker *w)
{
	if (w->hold_drop && atomic_load_explicit(w->hold_drop, memory_order_relaxed))
		w->hold->yield(w);
}

/* Bracket a blocking system call: the gil model releases the GIL around it. */
static inline void ct_block_begin(struct ct_worker *w)
{
	if (w->hold)
		w->hold->release(w);
}

static inline void ct_block_end(struct ct_worker *w)
{
	if (w->hold)
		w->hold->acquire(w);
}

/* cpu.c: prime counting, the CPU work of the cpu and mixed workloads. */
struct ct_primes;
uint64_t ct_primes_count(struct ct_worker *w, uint64_t id, uint32_t span);
int ct_primes_check(const struct ct_primes *p, uint64_t id, uint32_t span, uint64_t count);
int ct_primes_setup(struct ct_run *r);
void ct_primes_teardown(struct ct_run *r);

/* proto.c: the request/reply protocol between the io workloads and the server. */
#define CT_REQ_LEN	64
#define CT_REP_LEN	1024
void ct_proto_request(unsigned char *req, enum ct_kind kind, uint64_t id);
int ct_proto_parse_request(const unsigned char *req, enum ct_kind *kind, uint64_t *id);
void ct_proto_reply(unsigned char *rep, enum ct_kind kind, uint64_t id);
const char *ct_proto_check_reply(const unsigned char *rep, enum ct_kind kind, uint64_t id);
unsigned int ct_proto_delay_us(enum ct_kind kind, uint64_t id);

/* io.c: one request as a state machine, driven blocking by sync models and by the async loop. */
enum ct_io_status { CT_IO_DONE, CT_IO_FAILED, CT_IO_WANT_READ, CT_IO_WANT_WRITE };

struct ct_io {
	struct ct_task *task;
	int fd;
	int state;
	bool nonblock;
	size_t off;
	unsigned char req[CT_REQ_LEN];
	unsigned char rep[CT_REP_LEN];
};

enum ct_io_status ct_io_begin(struct ct_io *io, struct ct_worker *w, struct ct_task *t,
			      bool nonblock);
enum ct_io_status ct_io_step(struct ct_io *io, struct ct_worker *w);
void ct_io_task(struct ct_worker *w, struct ct_task *t);

/* server.c: the loopback epoll server. */
int ct_server_listen(struct sockaddr_storage *addr, socklen_t *len);
int ct_server_serve(int lfd, enum ct_kind kind, bool watch_stdin);
int ct_server_fork(struct ct_run *r, enum ct_kind kind, int *pid);
int ct_server_stop(int pid);
long ct_raise_nofile(long want);

#endif /* CT_WL_H */
