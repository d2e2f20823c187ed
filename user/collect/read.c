// SPDX-License-Identifier: GPL-2.0
/*
 * The profile filled from BPF: ring-buffer events and slices, the maps of a stopped session, and
 * /proc for the threads the probes never saw. The only reader of BPF state.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "common/ct.h"
#include "launch.h"
#include "read.h"
#include "model/syscall_table.h"
#include "conctrace.skel.h"

_Static_assert(sizeof(struct ct_futex_key) == 16, "ABI: ct_futex_key");
_Static_assert(sizeof(struct ct_wake_key) == 24, "ABI: ct_wake_key");
_Static_assert(sizeof(struct ct_syscall_key) == 8, "ABI: ct_syscall_key");
_Static_assert(sizeof(struct ct_syscall_val) % 8 == 0, "ABI: per-CPU ct_syscall_val rows");
_Static_assert(sizeof(struct ct_thread) % 8 == 0, "ABI: ct_thread");

#define VEC_PUSH CT_VEC_PUSH

static int add_account(struct ct_profile *p, const struct ct_thread *bpf, bool exited,
		       int exit_code);

int ct_profile__slice(void *ctx, void *data, size_t size)
{
	struct ct_profile *p = ctx;
	struct ct_slice *r;

	if (size < sizeof(*r))
		return 0;
	if (p->nr_slices >= CT_MAX_SLICES || !(r = VEC_PUSH(p, slices))) {
		p->drops[CT_DROP_TIMELINE]++;
		return 0;
	}
	memcpy(r, data, sizeof(*r));
	return 0;
}

int ct_profile__event(void *ctx, void *data, size_t size)
{
	struct ct_profile *p = ctx;
	const struct ct_event *e = data;
	struct ct_proc_rec *r;

	if (size < CT_EVENT_PROC_SIZE || (e->type == CT_EV_EXIT && size < sizeof(*e)))
		return 0;
	switch (e->type) {
	case CT_EV_FORK:
	case CT_EV_EXEC:
		r = ct_profile__proc(p, e->pid);
		if (!r)
			return -ENOMEM;
		if (e->type == CT_EV_FORK)
			r->ppid = e->ppid;
		memcpy(r->comm, e->comm, sizeof(r->comm));
		break;
	case CT_EV_EXIT:
		return add_account(p, &e->th, true, e->exit_code);
	}
	return 0;
}

/* Iterate a hash map, calling @fn for each (key, value). @return 0 or -errno */
static int map_each(struct bpf_map *map, void *key, void *prev, void *val,
		    int (*fn)(struct ct_profile *p, const void *k, const void *v), struct ct_profile *p)
{
	size_t ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	void *cur = NULL;
	int err;

	while (!bpf_map__get_next_key(map, cur, key, ks)) {
		if (!bpf_map__lookup_elem(map, key, ks, val, vs, 0)) {
			err = fn(p, key, val);
			if (err)
				return err;
		}
		memcpy(prev, key, ks);
		cur = prev;
	}
	return errno == ENOENT ? 0 : -errno;
}

static int add_thread(struct ct_profile *p, const void *k, const void *v)
{
	const struct ct_thread *th = v;

	/* An exit whose ring-buffer record was dropped stays in the map with last_ns set. */
	return add_account(p, th, th->last_ns != 0, 0);
}

static int add_futex(struct ct_profile *p, const void *k, const void *v)
{
	struct ct_futex_rec *r = VEC_PUSH(p, futexes);

	if (!r)
		return -ENOMEM;
	r->k = *(const struct ct_futex_key *)k;
	r->v = *(const struct ct_futex_val *)v;
	return 0;
}

static int add_wake(struct ct_profile *p, const void *k, const void *v)
{
	struct ct_wake_rec *r = VEC_PUSH(p, wakes);

	if (!r)
		return -ENOMEM;
	r->k = *(const struct ct_wake_key *)k;
	r->v = *(const struct ct_wake_val *)v;
	return 0;
}

/*
 * The syscalls map is per CPU: one (process, syscall) row is the sum of its CPUs' counts and
 * latencies and the largest of their maxima. @return 0 or -errno
 */
static int collect_syscalls(struct ct_profile *p, struct bpf_map *map)
{
	int i, ncpu = libbpf_num_possible_cpus();
	struct ct_syscall_key key, prev, *cur = NULL;
	struct ct_syscall_val *vals;
	struct ct_syscall_rec *r;
	int err = 0;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	while (!bpf_map__get_next_key(map, cur, &key, sizeof(key))) {
		if (!bpf_map__lookup_elem(map, &key, sizeof(key), vals, ncpu * sizeof(*vals), 0)) {
			r = VEC_PUSH(p, syscalls);
			if (!r) {
				err = -ENOMEM;
				break;
			}
			r->k = key;
			for (i = 0; i < ncpu; i++) {
				r->v.count += vals[i].count;
				r->v.total_ns += vals[i].total_ns;
				if (vals[i].max_ns > r->v.max_ns)
					r->v.max_ns = vals[i].max_ns;
			}
		}
		prev = key;
		cur = &prev;
	}
	if (!err && errno != ENOENT)
		err = -errno;
	free(vals);
	return err;
}

/*
 * Whether @tid is a live thread of process @pid: /proc/PID/task/TID exists (a zombie thread's
 * entry is gone). Asked by ct_futex_op_cause()'s join rule, as the BPF side asks its threads map.
 */
static int proc_live_tid(__u32 pid, unsigned long tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/task/%lu", pid, tid);
	return access(path, F_OK) == 0;
}

/*
 * Where a thread the BPF side never saw change state is now, from /proc: 'R' is on a CPU or
 * runnable, otherwise the syscall it sits in (/proc/PID/task/TID/syscall) gives the cause.
 * @return CT_CAUSE_* or -1 for "running"
 */
static int proc_state_cause(__u32 pid, __u32 tid)
{
	char path[64], buf[256], *s;
	unsigned long nr, a1, a2, a3;
	FILE *f;
	int cause = CT_CAUSE_OTHER;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/stat", pid, tid);
	f = fopen(path, "re");
	if (!f)
		return CT_CAUSE_OTHER;
	s = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (s && s[1] == ' ' && s[2] == 'R')
		return -1;
	snprintf(path, sizeof(path), "/proc/%u/task/%u/syscall", pid, tid);
	f = fopen(path, "re");
	if (!f)
		return CT_CAUSE_OTHER;
	if (fscanf(f, "%lu %lx %lx %lx", &nr, &a1, &a2, &a3) == 4)
		cause = nr != SYS_futex ? ct_syscall_cause(nr) :
			(int)ct_futex_op_cause(a2, a3, ct_futex_op_asks_tid(a2, a3) &&
						       proc_live_tid(pid, a3));
	fclose(f);
	return cause;
}

/* Close a live thread's open period at stop_ns, in the state BPF last saw it in. */
static void close_thread(struct ct_profile *p, struct ct_thread *th)
{
	__u64 d = p->stop_ns > th->ts ? p->stop_ns - th->ts : 0;
	int cause;

	switch (th->state) {
	case CT_ST_RUNNING:
		th->on_cpu_ns += d;
		break;
	case CT_ST_RUNNABLE:
		th->wait_ns[CT_CAUSE_RUNQUEUE] += d;
		break;
	case CT_ST_BLOCKED:
		th->wait_ns[th->cause < CT_CAUSE_MAX ? th->cause : CT_CAUSE_OTHER] += d;
		break;
	default:
		cause = proc_state_cause(th->pid, th->tid);
		if (cause < 0)
			th->on_cpu_ns += d;
		else
			th->wait_ns[cause] += d;
	}
}

/*
 * Add the edge a thread's BPF account still caches (sched.bpf.c adds one to the maps only when
 * the next differs) to the futex and wake tables; merge_edges() merges equal keys at the end.
 * @return 0 or -ENOMEM
 */
static int fold_edge(struct ct_profile *p, const struct ct_thread *th)
{
	struct ct_futex_rec *f;
	struct ct_wake_rec *w;

	if (!th->edge_count)
		return 0;
	if (th->edge_uaddr && ct_cause_is_futex(th->edge_cause)) {
		f = VEC_PUSH(p, futexes);
		if (!f)
			return -ENOMEM;
		memset(f, 0, sizeof(*f));
		f->k.uaddr = th->edge_uaddr;
		f->k.pid = th->pid;
		f->k.cause = th->edge_cause;
		f->v.waits = th->edge_count;
		f->v.total_ns = th->edge_ns;
		f->v.max_ns = th->edge_max_ns;
	}
	w = VEC_PUSH(p, wakes);
	if (!w)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	w->k.uaddr = th->edge_uaddr;
	w->k.waker = th->edge_waker;
	w->k.wakee = th->tid;
	w->k.cause = th->edge_cause;
	w->v.count = th->edge_count;
	w->v.blocked_ns = th->edge_ns;
	return 0;
}

/*
 * The BPF account @th of a thread as the profile's plain account: a live thread's open period
 * closed first (so stop_ns must be set), its cached edge folded. @return 0 or -ENOMEM
 */
static int add_account(struct ct_profile *p, const struct ct_thread *bpf, bool exited,
		       int exit_code)
{
	struct ct_thread copy = *bpf, *th = &copy;
	struct ct_thread_rec *t;
	int err;

	if (!exited)
		close_thread(p, th);
	err = fold_edge(p, th);
	if (err)
		return err;
	t = VEC_PUSH(p, threads);
	if (!t)
		return -ENOMEM;
	t->pid = th->pid;
	t->tid = th->tid;
	memcpy(t->comm, th->comm, sizeof(t->comm));
	t->on_cpu_ns = th->on_cpu_ns;
	t->steal_ns = th->steal_ns;
	memcpy(t->wait_ns, th->wait_ns, sizeof(t->wait_ns));
	t->nvcsw = th->nvcsw;
	t->nivcsw = th->nivcsw;
	t->syscalls = th->syscalls;
	t->first_ns = th->first_ns;
	t->last_ns = th->last_ns;
	t->exited = exited;
	t->exit_code = exit_code;
	return 0;
}

/*
 * Threads that did not run at all during the trace left no trace in BPF (blocked the whole
 * time, e.g. an idle pool worker under -p): account them from /proc.
 */
static int add_silent_threads(struct ct_profile *p, __u32 pid)
{
	char path[64];
	struct dirent *de;
	struct ct_thread th;
	int err = 0;
	DIR *d;
	FILE *f;

	if (!ct_pid_alive(pid))		/* a zombie still lists its dead threads */
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (!err && (de = readdir(d))) {
		__u32 tid = strtoul(de->d_name, NULL, 10);

		if (!tid || ct_profile__thread(p, tid))
			continue;
		memset(&th, 0, sizeof(th));
		th.pid = pid;
		th.tid = tid;
		th.first_ns = th.ts = p->start_ns;
		th.state = CT_ST_UNKNOWN;
		snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", pid, tid);
		f = fopen(path, "re");
		if (f) {
			if (fgets(th.comm, sizeof(th.comm), f))
				th.comm[strcspn(th.comm, "\n")] = 0;
			fclose(f);
		}
		err = add_account(p, &th, false, 0);
	}
	closedir(d);
	return err;
}

static int cmp_futex_key(const void *a, const void *b)
{
	return memcmp(&((const struct ct_futex_rec *)a)->k, &((const struct ct_futex_rec *)b)->k,
		      sizeof(struct ct_futex_key));
}

static int cmp_wake_key(const void *a, const void *b)
{
	return memcmp(&((const struct ct_wake_rec *)a)->k, &((const struct ct_wake_rec *)b)->k,
		      sizeof(struct ct_wake_key));
}

static void add_futex_val(void *into, const void *from)
{
	struct ct_futex_val *m = &((struct ct_futex_rec *)into)->v;
	const struct ct_futex_val *r = &((const struct ct_futex_rec *)from)->v;

	m->waits += r->waits;
	m->total_ns += r->total_ns;
	if (r->max_ns > m->max_ns)
		m->max_ns = r->max_ns;
}

static void add_wake_val(void *into, const void *from)
{
	struct ct_wake_val *m = &((struct ct_wake_rec *)into)->v;
	const struct ct_wake_val *r = &((const struct ct_wake_rec *)from)->v;

	m->count += r->count;
	m->blocked_ns += r->blocked_ns;
}

/* Merge the rows of equal keys in the futex and wake tables. */
static void merge_edges(struct ct_profile *p)
{
	p->nr_futexes = ct_sort_merge(p->futexes, p->nr_futexes, sizeof(*p->futexes), cmp_futex_key,
				   add_futex_val);
	p->nr_wakes = ct_sort_merge(p->wakes, p->nr_wakes, sizeof(*p->wakes), cmp_wake_key,
				 add_wake_val);
}

int ct_profile__collect(struct ct_profile *p, struct ct_bpf *skel)
{
	union {
		struct ct_thread th;
		struct ct_futex_key fk;
		struct ct_wake_key wk;
	} key, prev;
	union {
		struct ct_thread th;
		struct ct_futex_val fv;
		struct ct_wake_val wv;
	} val;
	__u32 i;
	int err;

	/* accounts converted (and closed) as they come: stop_ns is set */
	err = map_each(skel->maps.threads, &key, &prev, &val, add_thread, p);
	if (!err)
		err = map_each(skel->maps.futexes, &key, &prev, &val, add_futex, p);
	if (!err)
		err = map_each(skel->maps.wakes, &key, &prev, &val, add_wake, p);
	if (!err && p->syscalls_enabled)
		err = collect_syscalls(p, skel->maps.syscalls);
	for (i = 0; !err && i < (__u32)p->nr_pids; i++)
		err = add_silent_threads(p, p->pids[i]);
	if (err)
		return err;
	merge_edges(p);
	for (i = 0; i < CT_CAUSE_MAX; i++)
		bpf_map__lookup_elem(skel->maps.hists, &i, sizeof(i), &p->hists[i],
				     sizeof(p->hists[i]), 0);
	return 0;
}
