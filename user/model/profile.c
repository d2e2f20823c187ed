// SPDX-License-Identifier: GPL-2.0
/* The profile model, filled from the BPF maps and ring buffer: the only reader of BPF state. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ct.h"
#include "launch.h"
#include "profile.h"
#include "syscall_table.h"
#include "conctrace.skel.h"

_Static_assert(sizeof(struct ct_futex_key) == 16, "ABI: ct_futex_key");
_Static_assert(sizeof(struct ct_wake_key) == 24, "ABI: ct_wake_key");
_Static_assert(sizeof(struct ct_syscall_key) == 8, "ABI: ct_syscall_key");
_Static_assert(sizeof(struct ct_syscall_val) % 8 == 0, "ABI: per-CPU ct_syscall_val rows");
_Static_assert(sizeof(struct ct_thread) % 8 == 0, "ABI: ct_thread");

static const char *const cause_names[CT_CAUSE_MAX] = {
	[CT_CAUSE_RUNQUEUE] = "runqueue", [CT_CAUSE_LOCK] = "lock", [CT_CAUSE_COND] = "cond",
	[CT_CAUSE_JOIN] = "join", [CT_CAUSE_IO] = "io", [CT_CAUSE_POLL] = "poll",
	[CT_CAUSE_SLEEP] = "sleep", [CT_CAUSE_OTHER] = "other",
};

static const char *const drop_names[CT_DROP_MAX] = {
	[CT_DROP_THREADS] = "threads", [CT_DROP_TARGETS] = "targets",
	[CT_DROP_FUTEXES] = "futexes", [CT_DROP_WAKES] = "wakeups",
	[CT_DROP_SYSCALLS] = "syscalls", [CT_DROP_RINGBUF] = "ringbuf",
	[CT_DROP_SAMPLES] = "samples", [CT_DROP_TIMELINE] = "timeline",
};

const char *ct_cause_name(int cause)
{
	return cause >= 0 && cause < CT_CAUSE_MAX ? cause_names[cause] : "?";
}

const char *ct_drop_name(int drop)
{
	return drop >= 0 && drop < CT_DROP_MAX ? drop_names[drop] : "?";
}

void *ct_vec_push(void **base, size_t *nr, size_t *cap, size_t elem)
{
	void *n;

	if (*nr == *cap) {
		size_t c = *cap ? *cap * 2 : 64;

		n = realloc(*base, c * elem);
		if (!n)
			return NULL;
		*base = n;
		*cap = c;
	}
	n = (char *)*base + (*nr)++ * elem;
	memset(n, 0, elem);
	return n;
}

/* qsort() that accepts an empty, unallocated table (qsort(NULL, 0, ...) is undefined). */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/*
 * Sort @n rows of @size bytes at @base by @cmp and merge each run of rows @cmp calls equal into
 * its first with @add(first, other). @return the number of rows left
 */
static size_t sort_merge(void *base, size_t n, size_t size,
			 int (*cmp)(const void *, const void *), void (*add)(void *, const void *))
{
	char *b = base;
	size_t i, m = 0;

	sort(base, n, size, cmp);
	for (i = 0; i < n; i++) {
		if (m && !cmp(b + (m - 1) * size, b + i * size)) {
			add(b + (m - 1) * size, b + i * size);
			continue;
		}
		if (m != i)
			memcpy(b + m * size, b + i * size, size);
		m++;
	}
	return m;
}

/* Free a growable array and leave it empty. */
#define VEC_FREE(p, name) \
	do { \
		free((p)->name); \
		(p)->name = NULL; \
		(p)->nr_##name = (p)->cap_##name = 0; \
	} while (0)

#define VEC_PUSH CT_VEC_PUSH

static struct ct_proc_rec *proc_find(struct ct_profile *p, __u32 pid)
{
	size_t i;

	for (i = 0; i < p->nr_procs; i++)
		if (p->procs[i].pid == pid)
			return &p->procs[i];
	return NULL;
}

static struct ct_proc_rec *proc_get(struct ct_profile *p, __u32 pid)
{
	struct ct_proc_rec *r = proc_find(p, pid);

	if (!r && (r = VEC_PUSH(p, procs)))
		r->pid = pid;
	return r;
}

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
	struct ct_thread_rec *t;
	struct ct_proc_rec *r;

	if (size < sizeof(*e))
		return 0;
	switch (e->type) {
	case CT_EV_FORK:
	case CT_EV_EXEC:
		r = proc_get(p, e->pid);
		if (!r)
			return -ENOMEM;
		if (e->type == CT_EV_FORK)
			r->ppid = e->ppid;
		memcpy(r->comm, e->th.comm, sizeof(r->comm));
		break;
	case CT_EV_EXIT:
		t = VEC_PUSH(p, threads);
		if (!t)
			return -ENOMEM;
		t->th = e->th;
		t->exited = true;
		t->exit_code = e->exit_code;
		break;
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
	struct ct_thread_rec *t = VEC_PUSH(p, threads);

	if (!t)
		return -ENOMEM;
	t->th = *(const struct ct_thread *)v;
	/* An exit whose ring-buffer record was dropped stays in the map with last_ns set. */
	t->exited = t->th.last_ns != 0;
	return 0;
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
		cause = nr == SYS_futex ? ct_futex_cause(a2, a3) : ct_syscall_cause(nr);
	fclose(f);
	return cause;
}

/* Close a live thread's open period at stop_ns, in the state BPF last saw it in. */
static void close_thread(struct ct_profile *p, struct ct_thread_rec *t)
{
	struct ct_thread *th = &t->th;
	__u64 d = p->stop_ns > th->ts ? p->stop_ns - th->ts : 0;
	int cause;

	if (t->exited)
		return;
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

struct ct_thread_rec *ct_profile__thread(const struct ct_profile *p, __u32 tid)
{
	size_t i;

	for (i = 0; i < p->nr_threads; i++)
		if (p->threads[i].th.tid == tid)
			return &p->threads[i];
	return NULL;
}

/*
 * Threads that did not run at all during the trace left no trace in BPF (blocked the whole
 * time, e.g. an idle pool worker under -p): account them from /proc.
 */
static void add_silent_threads(struct ct_profile *p, __u32 pid)
{
	char path[64];
	struct dirent *de;
	struct ct_thread_rec *t;
	DIR *d;
	FILE *f;

	if (!ct_pid_alive(pid))		/* a zombie still lists its dead threads */
		return;
	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		__u32 tid = strtoul(de->d_name, NULL, 10);

		if (!tid || ct_profile__thread(p, tid) || !(t = VEC_PUSH(p, threads)))
			continue;
		t->th.pid = pid;
		t->th.tid = tid;
		t->th.first_ns = t->th.ts = p->start_ns;
		t->th.state = CT_ST_UNKNOWN;
		snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", pid, tid);
		f = fopen(path, "re");
		if (f) {
			if (fgets(t->th.comm, sizeof(t->th.comm), f))
				t->th.comm[strcspn(t->th.comm, "\n")] = 0;
			fclose(f);
		}
	}
	closedir(d);
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

/*
 * Add the edge each thread account still caches (sched.bpf.c adds one to the maps only when
 * the next differs) to the futex and wake tables, then merge the rows of equal keys.
 * @return 0 or -ENOMEM
 */
static int fold_edges(struct ct_profile *p)
{
	size_t i;

	for (i = 0; i < p->nr_threads; i++) {
		struct ct_thread *th = &p->threads[i].th;
		struct ct_futex_rec *f;
		struct ct_wake_rec *w;

		if (!th->edge_count)
			continue;
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
		th->edge_count = 0;
	}
	p->nr_futexes = sort_merge(p->futexes, p->nr_futexes, sizeof(*p->futexes), cmp_futex_key,
				   add_futex_val);
	p->nr_wakes = sort_merge(p->wakes, p->nr_wakes, sizeof(*p->wakes), cmp_wake_key,
				 add_wake_val);
	return 0;
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
	size_t j;
	int err;

	err = map_each(skel->maps.threads, &key, &prev, &val, add_thread, p);
	if (!err)
		err = map_each(skel->maps.futexes, &key, &prev, &val, add_futex, p);
	if (!err)
		err = map_each(skel->maps.wakes, &key, &prev, &val, add_wake, p);
	if (!err)
		err = fold_edges(p);
	if (!err && p->syscalls_enabled)
		err = collect_syscalls(p, skel->maps.syscalls);
	if (err)
		return err;
	for (i = 0; i < CT_CAUSE_MAX; i++)
		bpf_map__lookup_elem(skel->maps.hists, &i, sizeof(i), &p->hists[i],
				     sizeof(p->hists[i]), 0);
	for (i = 0; i < (__u32)p->nr_pids; i++)
		add_silent_threads(p, p->pids[i]);
	for (j = 0; j < p->nr_threads; j++)
		close_thread(p, &p->threads[j]);
	return 0;
}

static int cmp_thread(const void *a, const void *b)
{
	const struct ct_thread_rec *x = a, *y = b;

	if (x->th.on_cpu_ns != y->th.on_cpu_ns)
		return x->th.on_cpu_ns < y->th.on_cpu_ns ? 1 : -1;
	return x->th.tid < y->th.tid ? -1 : x->th.tid > y->th.tid;
}

static int cmp_futex(const void *a, const void *b)
{
	const struct ct_futex_rec *x = a, *y = b;

	if (x->v.total_ns != y->v.total_ns)
		return x->v.total_ns < y->v.total_ns ? 1 : -1;
	return x->k.uaddr < y->k.uaddr ? -1 : x->k.uaddr > y->k.uaddr;
}

static int cmp_syscall(const void *a, const void *b)
{
	const struct ct_syscall_rec *x = a, *y = b;

	/* By count first: the syscalls that cannot block are counted but not timed. */
	if (x->v.count != y->v.count)
		return x->v.count < y->v.count ? 1 : -1;
	if (x->v.total_ns != y->v.total_ns)
		return x->v.total_ns < y->v.total_ns ? 1 : -1;
	return x->k.nr < y->k.nr ? -1 : x->k.nr > y->k.nr;
}

static int cmp_wake(const void *a, const void *b)
{
	const struct ct_wake_rec *x = a, *y = b;

	if (x->v.count != y->v.count)
		return x->v.count < y->v.count ? 1 : -1;
	return x->k.wakee < y->k.wakee ? -1 : x->k.wakee > y->k.wakee;
}

static int cmp_syscall_nr(const void *a, const void *b)
{
	const struct ct_syscall_rec *x = a, *y = b;

	return x->k.nr < y->k.nr ? -1 : x->k.nr > y->k.nr;
}

static void add_syscall_val(void *into, const void *from)
{
	struct ct_syscall_val *m = &((struct ct_syscall_rec *)into)->v;
	const struct ct_syscall_val *r = &((const struct ct_syscall_rec *)from)->v;

	m->count += r->count;
	m->total_ns += r->total_ns;
	if (r->max_ns > m->max_ns)
		m->max_ns = r->max_ns;
}

/* The maps count per (process, syscall); the report counts per syscall across the target. */
static void merge_syscalls(struct ct_profile *p)
{
	size_t i;

	p->nr_syscalls = sort_merge(p->syscalls, p->nr_syscalls, sizeof(*p->syscalls),
				    cmp_syscall_nr, add_syscall_val);
	for (i = 0; i < p->nr_syscalls; i++)
		p->syscalls[i].k.pid = 0;
}

void ct_profile__finish(struct ct_profile *p)
{
	struct ct_totals *t = &p->tot;
	size_t i;
	int c;

	memset(t, 0, sizeof(*t));
	sort(p->threads, p->nr_threads, sizeof(*p->threads), cmp_thread);
	sort(p->futexes, p->nr_futexes, sizeof(*p->futexes), cmp_futex);
	merge_syscalls(p);
	sort(p->syscalls, p->nr_syscalls, sizeof(*p->syscalls), cmp_syscall);
	sort(p->wakes, p->nr_wakes, sizeof(*p->wakes), cmp_wake);
	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread *th = &p->threads[i].th;

		t->on_cpu_ns += th->on_cpu_ns;
		t->steal_ns += th->steal_ns;
		for (c = 0; c < CT_CAUSE_MAX; c++)
			t->wait_ns[c] += th->wait_ns[c];
		t->nvcsw += th->nvcsw;
		t->nivcsw += th->nivcsw;
		proc_get(p, th->pid);
	}
	for (i = 0; i < p->nr_syscalls; i++)
		t->syscalls += p->syscalls[i].v.count;
	for (i = 0; i < p->nr_futexes; i++)
		if (p->futexes[i].k.cause == CT_CAUSE_LOCK)
			t->lock_waits += p->futexes[i].v.waits;
	t->threads_seen = p->nr_threads;
	t->processes_seen = p->nr_procs;
	for (c = 0; c < CT_DROP_MAX; c++)
		t->drops_total += p->drops[c];
}

void ct_profile__free(struct ct_profile *p)
{
	size_t i;
	__u32 k;

	for (i = 0; i < p->nr_stacks; i++) {
		for (k = 0; k < p->stacks[i].nr_frames; k++)
			free(p->stacks[i].frames[k]);
		free(p->stacks[i].frames);
	}
	for (i = 0; i < p->nr_locks; i++) {
		free(p->locks[i].name);
		free(p->locks[i].module);
	}
	VEC_FREE(p, stacks);
	VEC_FREE(p, sites);
	VEC_FREE(p, locks);
	VEC_FREE(p, slices);
	VEC_FREE(p, threads);
	VEC_FREE(p, procs);
	VEC_FREE(p, futexes);
	VEC_FREE(p, wakes);
	VEC_FREE(p, syscalls);
}
