// SPDX-License-Identifier: GPL-2.0
/* The lock table: futex totals from the kernel maps, names, sampled call sites and wakers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "locks.h"

const char *ct_lock_kind_of_cause(__u32 cause)
{
	switch (cause) {
	case CT_CAUSE_LOCK:
		return "mutex";
	case CT_CAUSE_COND:
		return "condition";
	case CT_CAUSE_JOIN:
		return "join";
	default:
		return "futex";
	}
}

const struct ct_lock_rec *ct_lock_find(const struct ct_profile *p, __u32 pid, __u64 uaddr)
{
	size_t i;

	for (i = 0; i < p->nr_locks; i++)
		if (p->locks[i].pid == pid && p->locks[i].uaddr == uaddr)
			return &p->locks[i];
	return NULL;
}

bool ct_lock_name(const struct ct_profile *p, __u32 pid, __u64 uaddr, __u32 cause, char *buf,
		  size_t len)
{
	const struct ct_lock_rec *l = ct_lock_find(p, pid, uaddr);

	if (l && l->name) {
		snprintf(buf, len, "%s", l->name);
		return l->is_symbol;
	}
	snprintf(buf, len, "%s at 0x%llx", cause == CT_CAUSE_LOCK ? "heap lock" :
		 cause == CT_CAUSE_JOIN ? "thread" : "heap condition", (unsigned long long)uaddr);
	return false;
}

const char *ct_lock_kind(const struct ct_profile *p, __u32 pid, __u64 uaddr, __u32 cause)
{
	const struct ct_lock_rec *l = ct_lock_find(p, pid, uaddr);

	return l && l->kind[0] ? l->kind : ct_lock_kind_of_cause(cause);
}

static __u32 pid_of_tid(const struct ct_profile *p, __u32 tid)
{
	const struct ct_thread_rec *t = ct_profile__thread(p, tid);

	return t ? t->pid : 0;
}

/* Keep the @n largest by @key in a small array sorted descending; insert @v. */
#define TOP_INSERT(arr, nr, cap, v, key) \
	do { \
		int _i = (nr) < (cap) ? (nr)++ : (cap) - 1; \
		if (_i == (cap) - 1 && (nr) == (cap) && (arr)[_i].key >= (v).key) \
			break; \
		while (_i > 0 && (arr)[_i - 1].key < (v).key) { \
			(arr)[_i] = (arr)[_i - 1]; \
			_i--; \
		} \
		(arr)[_i] = (v); \
	} while (0)

static void fill_sites(const struct ct_profile *p, struct ct_lock_row *r)
{
	size_t i;

	for (i = 0; i < p->nr_sites; i++) {
		const struct ct_site_rec *s = &p->sites[i];
		struct ct_lock_site ls;

		if (s->kind != CT_SITE_WAIT || s->pid != r->pid || s->uaddr != r->uaddr ||
		    s->cause != r->cause)
			continue;
		r->sampled += s->samples;
		if (s->ustack < 0)
			continue;
		/* the same user stack may appear under several kernel stacks: merge */
		{
			int k;

			for (k = 0; k < r->nr_sites && r->sites[k].stack != s->ustack; k++)
				;
			if (k < r->nr_sites) {
				r->sites[k].samples += s->samples;
				r->sites[k].wait_ns += s->wait_ns;
				ls = r->sites[k];
				memmove(&r->sites[k], &r->sites[k + 1],
					(r->nr_sites - k - 1) * sizeof(ls));
				r->nr_sites--;
			} else {
				ls = (struct ct_lock_site){ s->ustack, s->samples, s->wait_ns };
			}
		}
		TOP_INSERT(r->sites, r->nr_sites, CT_LOCK_SITES, ls, wait_ns);
	}
}

static void fill_wakers(const struct ct_profile *p, struct ct_lock_row *r)
{
	__u32 seen[256];
	unsigned int n = 0, k;
	size_t i;

	for (i = 0; i < p->nr_wakes; i++) {
		const struct ct_wake_rec *w = &p->wakes[i];
		struct ct_lock_waker lw;

		if (w->k.uaddr != r->uaddr || w->k.cause != r->cause ||
		    pid_of_tid(p, w->k.wakee) != r->pid)
			continue;
		for (k = 0; k < n && seen[k] != w->k.wakee; k++)
			;
		if (k == n && n < CT_ARRAY_SIZE(seen))
			seen[n++] = w->k.wakee;
		lw = (struct ct_lock_waker){ w->k.waker, w->k.wakee, w->v.count };
		TOP_INSERT(r->wakers, r->nr_wakers, CT_LOCK_WAKERS, lw, count);
	}
	r->waiters = n;
}

static int cmp_row(const void *a, const void *b)
{
	const struct ct_lock_row *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return x->uaddr < y->uaddr ? -1 : x->uaddr > y->uaddr;
}

int ct_lock_table(const struct ct_profile *p, struct ct_lock_row **rows)
{
	struct ct_lock_row *t;
	size_t i;

	*rows = NULL;
	if (!p->nr_futexes)
		return 0;
	t = calloc(p->nr_futexes, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < p->nr_futexes; i++) {
		const struct ct_futex_rec *f = &p->futexes[i];
		struct ct_lock_row *r = &t[i];

		r->pid = f->k.pid;
		r->uaddr = f->k.uaddr;
		r->cause = f->k.cause;
		r->waits = f->v.waits;
		r->total_ns = f->v.total_ns;
		r->max_ns = f->v.max_ns;
		r->kind = ct_lock_kind(p, f->k.pid, f->k.uaddr, f->k.cause);
		r->named = ct_lock_name(p, f->k.pid, f->k.uaddr, f->k.cause, r->name,
					sizeof(r->name));
		fill_sites(p, r);
		fill_wakers(p, r);
	}
	qsort(t, p->nr_futexes, sizeof(*t), cmp_row);
	*rows = t;
	return (int)p->nr_futexes;
}
