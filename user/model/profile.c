// SPDX-License-Identifier: GPL-2.0
/* The profile model as plain data: its tables, totals and names. Nothing here touches BPF. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "profile.h"

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
size_t ct_sort_merge(void *base, size_t n, size_t size,
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

struct ct_proc_rec *ct_profile__proc(struct ct_profile *p, __u32 pid)
{
	struct ct_proc_rec *r = proc_find(p, pid);

	if (!r && (r = VEC_PUSH(p, procs)))
		r->pid = pid;
	return r;
}

struct ct_thread_rec *ct_profile__thread(const struct ct_profile *p, __u32 tid)
{
	size_t i;

	for (i = 0; i < p->nr_threads; i++)
		if (p->threads[i].tid == tid)
			return &p->threads[i];
	return NULL;
}

static int cmp_thread(const void *a, const void *b)
{
	const struct ct_thread_rec *x = a, *y = b;

	if (x->on_cpu_ns != y->on_cpu_ns)
		return x->on_cpu_ns < y->on_cpu_ns ? 1 : -1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
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

	p->nr_syscalls = ct_sort_merge(p->syscalls, p->nr_syscalls, sizeof(*p->syscalls),
				    cmp_syscall_nr, add_syscall_val);
	for (i = 0; i < p->nr_syscalls; i++)
		p->syscalls[i].k.pid = 0;
}

void ct_profile__totals(struct ct_profile *p)
{
	struct ct_totals *t = &p->tot;
	size_t i;
	int c;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread_rec *th = &p->threads[i];

		t->on_cpu_ns += th->on_cpu_ns;
		t->steal_ns += th->steal_ns;
		for (c = 0; c < CT_CAUSE_MAX; c++)
			t->wait_ns[c] += th->wait_ns[c];
		t->nvcsw += th->nvcsw;
		t->nivcsw += th->nivcsw;
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

void ct_profile__finish(struct ct_profile *p)
{
	size_t i;

	sort(p->threads, p->nr_threads, sizeof(*p->threads), cmp_thread);
	sort(p->futexes, p->nr_futexes, sizeof(*p->futexes), cmp_futex);
	merge_syscalls(p);
	sort(p->syscalls, p->nr_syscalls, sizeof(*p->syscalls), cmp_syscall);
	sort(p->wakes, p->nr_wakes, sizeof(*p->wakes), cmp_wake);
	/* every thread's process has a row, so processes_seen counts it */
	for (i = 0; i < p->nr_threads; i++)
		ct_profile__proc(p, p->threads[i].pid);
	ct_profile__totals(p);
}

void ct_profile__free(struct ct_profile *p)
{
	size_t i;

	for (i = 0; i < p->nr_stacks; i++)
		free(p->stacks[i].frames);
	for (i = 0; i < p->nr_frames; i++) {
		free(p->frames[i].module);
		free(p->frames[i].symbol);
		free(p->frames[i].file);
	}
	free(p->frame_idx.hash);
	free(p->frame_idx.val);
	memset(&p->frame_idx, 0, sizeof(p->frame_idx));
	for (i = 0; i < p->nr_locks; i++) {
		free(p->locks[i].name);
		free(p->locks[i].module);
	}
	VEC_FREE(p, frames);
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
