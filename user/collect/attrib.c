// SPDX-License-Identifier: GPL-2.0
/*
 * Attribution: stack samples unwound and symbolized as they arrive, aggregated into the profile's
 * interned stacks and sites; at the end, locks named and classified, and the GIL recognised.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "common/ct.h"
#include "model/locks.h"
#include "model/frame.h"
#include "attrib.h"
#include "sym/symbolize.h"

#define MAX_FRAMES	128
#define MAX_STACKS	65536
#define MAX_SITES	65536
#define PENDING		8192		/* sampled waits awaiting their end, by seq % PENDING */
#define FRAME_LEN	CT_FRAME_LEN

struct pending {
	__u64 seq;			/* 0: free */
	__u64 ts;
	__u32 site;
};

/* An open-addressing index from a 64-bit hash to an element number (stored + 1). */
struct index {
	__u64 *hash;
	__u32 *val;
	size_t cap;			/* power of two */
	size_t nr;
};

struct ct_stacks {
	struct ct_profile *p;
	struct ct_sym *sym;
	struct index stack_idx;
	struct index site_idx;
	struct pending pending[PENDING];
};

static __u64 fnv(__u64 h, const void *data, size_t n)
{
	const unsigned char *c = data;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

static int index_grow(struct index *x)
{
	size_t cap = x->cap ? x->cap * 2 : 1024, i, k;
	__u64 *h = calloc(cap, sizeof(*h));
	__u32 *v = calloc(cap, sizeof(*v));

	if (!h || !v) {
		free(h);
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < x->cap; i++) {
		if (!x->val[i])
			continue;
		for (k = x->hash[i] & (cap - 1); v[k]; k = (k + 1) & (cap - 1))
			;
		h[k] = x->hash[i];
		v[k] = x->val[i];
	}
	free(x->hash);
	free(x->val);
	x->hash = h;
	x->val = v;
	x->cap = cap;
	return 0;
}

/*
 * Find the element with @hash for which @eq(ctx, element) holds. @return its number, or -1 with
 * *@slot where to insert it
 */
static long index_find(struct index *x, __u64 hash, bool (*eq)(const void *, __u32),
		       const void *ctx, size_t *slot)
{
	size_t k;

	if (x->nr * 2 >= x->cap && index_grow(x))
		return -2;
	for (k = hash & (x->cap - 1); x->val[k]; k = (k + 1) & (x->cap - 1))
		if (x->hash[k] == hash && eq(ctx, x->val[k] - 1))
			return x->val[k] - 1;
	*slot = k;
	return -1;
}

static void index_put(struct index *x, size_t slot, __u64 hash, __u32 val)
{
	x->hash[slot] = hash;
	x->val[slot] = val + 1;
	x->nr++;
}

struct stack_key {
	const struct ct_profile *p;
	const __u32 *frames;
	__u32 n;
	bool kernel;
};

static bool stack_eq(const void *ctx, __u32 i)
{
	const struct stack_key *k = ctx;
	const struct ct_stack_rec *s = &k->p->stacks[i];

	return s->nr_frames == k->n && s->kernel == k->kernel &&
	       !memcmp(s->frames, k->frames, k->n * sizeof(*k->frames));
}

/* The stack of these interned frames. @return its index, or -1 (counted as lost) */
static int intern_stack(struct ct_stacks *s, const __u32 *frames, __u32 n, bool kernel,
			bool truncated)
{
	struct ct_profile *p = s->p;
	struct stack_key k = { p, frames, n, kernel };
	struct ct_stack_rec *r;
	__u64 h = fnv(FNV_INIT, &kernel, 1);
	size_t slot = 0;
	__u32 *copy;
	long i;

	h = fnv(h, frames, n * sizeof(*frames));
	i = index_find(&s->stack_idx, h, stack_eq, &k, &slot);
	if (i >= 0)
		return i;
	if (i == -2 || p->nr_stacks >= MAX_STACKS)
		return -1;
	copy = malloc((n ? n : 1) * sizeof(*copy));
	r = copy ? CT_VEC_PUSH(p, stacks) : NULL;
	if (!r) {
		free(copy);
		return -1;
	}
	memcpy(copy, frames, n * sizeof(*copy));
	r->frames = copy;
	r->nr_frames = n;
	r->kernel = kernel;
	r->truncated = truncated;
	index_put(&s->stack_idx, slot, h, p->nr_stacks - 1);
	return p->nr_stacks - 1;
}

struct site_ctx {
	const struct ct_profile *p;
	const struct ct_site_rec *key;
};

static bool site_key_eq(const void *ctx, __u32 i)
{
	const struct site_ctx *c = ctx;
	const struct ct_site_rec *a = c->key, *b = &c->p->sites[i];

	return a->kind == b->kind && a->pid == b->pid && a->tid == b->tid && a->cause == b->cause &&
	       a->uaddr == b->uaddr && a->ustack == b->ustack && a->kstack == b->kstack;
}

/* The site with @key's identity (kind..kstack), created empty. @return its index, or -1 */
static long site_of(struct ct_stacks *s, const struct ct_site_rec *key)
{
	struct ct_profile *p = s->p;
	struct site_ctx c = { p, key };
	struct ct_site_rec *r;
	size_t slot = 0;
	__u64 h;
	long i;

	h = fnv(FNV_INIT, &key->kind, sizeof(key->kind));
	h = fnv(h, &key->pid, sizeof(key->pid));
	h = fnv(h, &key->tid, sizeof(key->tid));
	h = fnv(h, &key->cause, sizeof(key->cause));
	h = fnv(h, &key->uaddr, sizeof(key->uaddr));
	h = fnv(h, &key->ustack, sizeof(key->ustack));
	h = fnv(h, &key->kstack, sizeof(key->kstack));
	i = index_find(&s->site_idx, h, site_key_eq, &c, &slot);
	if (i >= 0)
		return i;
	if (i == -2 || p->nr_sites >= MAX_SITES)
		return -1;
	r = CT_VEC_PUSH(p, sites);
	if (!r)
		return -1;
	*r = *key;
	r->samples = 0;
	r->wait_ns = 0;
	index_put(&s->site_idx, slot, h, p->nr_sites - 1);
	return p->nr_sites - 1;
}

struct ct_stacks *ct_stacks__new(struct ct_profile *p)
{
	struct ct_stacks *s = calloc(1, sizeof(*s));
	struct rlimit rl;

	if (!s)
		return NULL;
	/*
	 * The symbolizer keeps each mapped binary open for every process it unwinds (a fork storm
	 * is thousands): raise the soft limit of open files to the hard one. The launched command
	 * was forked before this and keeps its own limit.
	 */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	s->p = p;
	s->sym = ct_sym__new();
	if (!s->sym) {
		free(s);
		return NULL;
	}
	return s;
}

void ct_stacks__set_ksyms(struct ct_stacks *s, struct ct_ksyms *k)
{
	ct_sym__set_ksyms(s->sym, k);
}

void ct_stacks__note_pid(struct ct_stacks *s, __u32 pid, bool exec)
{
	/* in the middle of an exec the new mappings are not all there: take them at first use */
	if (exec)
		ct_sym__exec(s->sym, pid);
	else
		ct_sym__note_pid(s->sym, pid);
}

/* Unwind and name the user stack of @e. @return the interned stack, or -1 */
static int user_stack(struct ct_stacks *s, const struct ct_sample *e)
{
	__u32 ids[MAX_FRAMES] = {};
	__u64 pcs[MAX_FRAMES];
	bool truncated = false;
	int n, i;

	if (!e->regs[16])
		return -1;
	n = ct_sym__unwind(s->sym, e->pid, e->tid, e->regs, e->stack,
			   e->stack_size <= CT_STACK_BYTES ? e->stack_size : CT_STACK_BYTES, pcs,
			   MAX_FRAMES, &truncated);
	if (n <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ct_sym_frame sf;
		struct ct_frame_rec f = {};
		int named = ct_sym__frame_parts(s->sym, e->pid, pcs[i], &sf);
		long id;

		if (named < 1)
			s->p->st.unsymbolized++;
		f.kind = named < 0 ? CT_FRAME_UNKNOWN : CT_FRAME_NATIVE;
		/* the parts are the symbolizer's: interning copies them */
		f.module = (char *)sf.module;
		f.symbol = (char *)sf.symbol;
		f.offset = sf.offset;
		id = ct_frame__intern(s->p, &f);
		if (id < 0)
			return -1;
		ids[i] = id;
	}
	s->p->st.frames += n;
	s->p->st.truncated += truncated;
	return intern_stack(s, ids, n, false, truncated);
}

static int kernel_stack(struct ct_stacks *s, const struct ct_sample *e)
{
	__u32 ids[CT_KSTACK_DEPTH] = {};
	__u32 i, n = e->nr_kframes < CT_KSTACK_DEPTH ? e->nr_kframes : CT_KSTACK_DEPTH;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		struct ct_frame_rec f = { .kind = CT_FRAME_KERNEL };
		long id;

		f.symbol = (char *)ct_sym__ksym(s->sym, e->kframes[i]);
		/* a symbol's offset is not shown: frames at one symbol are one frame */
		f.offset = f.symbol ? 0 : e->kframes[i];
		id = ct_frame__intern(s->p, &f);
		if (id < 0)
			return -1;
		ids[i] = id;
	}
	return intern_stack(s, ids, n, true, false);
}

static void wait_end(struct ct_stacks *s, const struct ct_sample_end *e)
{
	struct pending *w = &s->pending[e->seq % PENDING];

	if (w->seq != e->seq)
		return;		/* its sample was lost or overwritten: counted there */
	s->p->sites[w->site].wait_ns += e->ns;
	w->seq = 0;
}

int ct_stacks__sample(void *ctx, void *data, size_t size)
{
	struct ct_stacks *s = ctx;
	const struct ct_sample *e = data;
	struct ct_site_rec key = {};
	struct pending *w;
	long site;

	if (size >= sizeof(struct ct_sample_end) && e->type == CT_SAMPLE_WAIT_END) {
		wait_end(s, data);
		return 0;
	}
	if (size < sizeof(*e) || (e->type != CT_SAMPLE_WAIT && e->type != CT_SAMPLE_CPU))
		return 0;
	key.kind = e->type == CT_SAMPLE_WAIT ? CT_SITE_WAIT : CT_SITE_CPU;
	key.pid = e->pid;
	key.tid = e->tid;
	key.cause = e->type == CT_SAMPLE_WAIT ? e->cause : 0;
	key.uaddr = e->type == CT_SAMPLE_WAIT ? e->uaddr : 0;
	key.ustack = user_stack(s, e);
	key.kstack = kernel_stack(s, e);
	site = site_of(s, &key);
	if (site < 0) {
		s->p->drops[CT_DROP_SAMPLES]++;
		return 0;
	}
	s->p->sites[site].samples++;
	if (e->type == CT_SAMPLE_CPU) {
		s->p->st.cpu_samples++;
		return 0;
	}
	s->p->st.wait_samples++;
	w = &s->pending[e->seq % PENDING];
	if (w->seq)
		s->p->st.open_waits++;	/* still open after PENDING newer samples: untimed */
	w->seq = e->seq;
	w->ts = e->ts;
	w->site = site;
	return 0;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The kind a libc/CPython function names, or NULL. */
static const char *kind_of_func(const char *fn)
{
	while (*fn == '_')
		fn++;
	if (starts(fn, "take_gil") || starts(fn, "PyEval_RestoreThread") ||
	    starts(fn, "PyEval_AcquireThread") || starts(fn, "PyEval_AcquireLock"))
		return "gil";
	if (starts(fn, "pthread_rwlock"))
		return "rwlock";
	if (starts(fn, "pthread_cond"))
		return "condition";
	if (starts(fn, "new_sem_wait") || starts(fn, "sem_"))
		return "semaphore";
	if (starts(fn, "pthread_join") || starts(fn, "pthread_clockjoin") ||
	    starts(fn, "pthread_timedjoin"))
		return "join";
	if (starts(fn, "pthread_mutex") || starts(fn, "pthread_spin"))
		return "mutex";
	return NULL;
}

/* The kind of lock @l from the stacks that waited on it: the innermost telling frame. */
static void classify(struct ct_stacks *s, struct ct_lock_rec *l, __u32 cause)
{
	const struct ct_profile *p = s->p;
	const char *kind = NULL;
	size_t i;
	__u32 f;

	for (i = 0; i < p->nr_sites && !kind; i++) {
		const struct ct_site_rec *site = &p->sites[i];
		const struct ct_stack_rec *st;

		if (site->kind != CT_SITE_WAIT || site->pid != l->pid || site->uaddr != l->uaddr ||
		    site->ustack < 0)
			continue;
		st = &p->stacks[site->ustack];
		for (f = 0; f < st->nr_frames && !kind; f++) {
			const struct ct_frame_rec *fr = ct_stack__frame(p, st, f);

			/* a named function: not module+offset, which stands for itself */
			if (fr->symbol && fr->kind != CT_FRAME_RAW)
				kind = kind_of_func(fr->symbol);
		}
	}
	/* CPython keeps the GIL in _PyRuntime (3.11: ceval.gil), exported even when stripped */
	if (p->python && l->name && starts(l->name, "_PyRuntime"))
		kind = "gil";
	if (!kind)
		kind = ct_lock_kind_of_cause(cause);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
}

/* Each thread's wait for GIL lock @l: the blocked time of its wakeups from it. */
static void gil_waits(struct ct_profile *p, const struct ct_lock_rec *l)
{
	struct ct_thread_rec *t;
	size_t i;

	for (i = 0; i < p->nr_wakes; i++) {
		const struct ct_wake_rec *w = &p->wakes[i];

		if (w->k.uaddr != l->uaddr)
			continue;
		t = ct_profile__thread(p, w->k.wakee);
		if (t && t->pid == l->pid)
			t->gil_wait_ns += w->v.blocked_ns;
	}
}

/* Name and classify every futex the target waited on. */
static void name_locks(struct ct_stacks *s)
{
	struct ct_profile *p = s->p;
	char name[FRAME_LEN], module[FRAME_LEN];
	size_t i;

	for (i = 0; i < p->nr_futexes; i++) {
		const struct ct_futex_rec *f = &p->futexes[i];
		struct ct_lock_rec *l;

		if (ct_lock_find(p, f->k.pid, f->k.uaddr))
			continue;	/* named already under another cause */
		l = CT_VEC_PUSH(p, locks);
		if (!l)
			return;
		l->pid = f->k.pid;
		l->uaddr = f->k.uaddr;
		if (ct_sym__data(s->sym, l->pid, l->uaddr, name, sizeof(name), module,
				 sizeof(module))) {
			l->name = strdup(name);
			l->module = strdup(module);
			l->is_symbol = true;
		} else if (ct_sym__frame(s->sym, l->pid, l->uaddr, name, sizeof(name)) == 0) {
			/* inside a mapped file with no symbol there (stripped): module+offset */
			l->name = strdup(name);
			l->module = strndup(name, strcspn(name, "+"));
		}
		classify(s, l, f->k.cause);
		if (!strcmp(l->kind, "gil"))
			gil_waits(p, l);
	}
}

void ct_stacks__finish(struct ct_stacks *s)
{
	struct ct_profile *p = s->p;
	size_t i;
	int k;

	for (i = 0; i < PENDING; i++) {
		struct pending *w = &s->pending[i];

		if (!w->seq)
			continue;
		/* still blocked when tracing stopped: timed to the end */
		if (p->stop_ns > w->ts)
			p->sites[w->site].wait_ns += p->stop_ns - w->ts;
		p->st.open_waits++;
		w->seq = 0;
	}
	for (k = 0; k < p->nr_pids && !p->python; k++)
		p->python = ct_sym__is_python(s->sym, p->pids[k]);
	for (i = 0; i < p->nr_procs && !p->python; i++)
		p->python = ct_sym__is_python(s->sym, p->procs[i].pid);
	name_locks(s);
}

void ct_stacks__free(struct ct_stacks *s)
{
	if (!s)
		return;
	ct_sym__free(s->sym);
	free(s->stack_idx.hash);
	free(s->stack_idx.val);
	free(s->site_idx.hash);
	free(s->site_idx.val);
	free(s);
}
