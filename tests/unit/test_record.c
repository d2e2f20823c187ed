// SPDX-License-Identifier: GPL-2.0
/*
 * user/model/record.c: a synthetic profile with every table filled (every field a distinct value)
 * and a lab matrix go through write -> parse and come back field by field; every cut point,
 * every single-bit flip, a wrong magic, another version, a lying header, a compressed bomb,
 * out-of-range enums and indexes, and NUL bytes inside strings are each refused with a message.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "analysis/diagnose.h"
#include "model/frame.h"
#include "model/lab.h"
#include "model/record.h"
#include "../test.h"

static __u64 seq = 1000;

/* A new distinct value for each field. */
static __u64 nv(void)
{
	return seq += 7;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		abort();
	return p;
}

static char *const argv0[] = { "fx_demo", "--threads", "3", "", "a b\tc", NULL };

/* A profile with every field set and every table non-empty. */
static void fill_profile(struct ct_profile *p)
{
	size_t i;
	__u32 k;
	int c;

	memset(p, 0, sizeof(*p));
	p->nr_pids = 3;
	for (c = 0; c < p->nr_pids; c++)
		p->pids[c] = nv() & 0xffff;
	p->argv = argv0;
	p->has_exit_status = true;
	p->exit_status = 130;
	p->exited_early = true;
	p->syscalls_enabled = true;
	p->cores = 2;
	p->start_ns = nv();
	p->stop_ns = nv();
	p->duration_s = 1.234567890123;
	p->stacks_enabled = true;
	p->sample_hz = 99;
	p->python = true;
	p->timeline_enabled = true;

	p->nr_threads = 3;
	p->threads = xcalloc(p->nr_threads, sizeof(*p->threads));
	for (i = 0; i < p->nr_threads; i++) {
		struct ct_thread_rec *t = &p->threads[i];

		t->pid = nv();
		t->tid = nv();
		snprintf(t->comm, sizeof(t->comm), "worker-%zu-long-n", i);
		t->on_cpu_ns = nv();
		t->steal_ns = nv();
		for (c = 0; c < CT_CAUSE_MAX; c++)
			t->wait_ns[c] = nv();
		t->nvcsw = nv();
		t->nivcsw = nv();
		t->syscalls = nv();
		t->first_ns = nv();
		t->last_ns = nv();
		t->exited = i & 1;
		t->exit_code = -(int)i;
		t->gil_wait_ns = nv();
	}
	p->nr_procs = 2;
	p->procs = xcalloc(p->nr_procs, sizeof(*p->procs));
	for (i = 0; i < p->nr_procs; i++) {
		p->procs[i].pid = nv();
		p->procs[i].ppid = nv();
		snprintf(p->procs[i].comm, sizeof(p->procs[i].comm), "proc%zu", i);
	}
	p->nr_futexes = 2;
	p->futexes = xcalloc(p->nr_futexes, sizeof(*p->futexes));
	for (i = 0; i < p->nr_futexes; i++) {
		p->futexes[i].k.uaddr = nv() << 20;
		p->futexes[i].k.pid = nv();
		p->futexes[i].k.cause = CT_CAUSE_LOCK + i;
		p->futexes[i].v.waits = nv();
		p->futexes[i].v.total_ns = nv();
		p->futexes[i].v.max_ns = nv();
	}
	p->nr_wakes = 2;
	p->wakes = xcalloc(p->nr_wakes, sizeof(*p->wakes));
	for (i = 0; i < p->nr_wakes; i++) {
		p->wakes[i].k.uaddr = nv();
		p->wakes[i].k.waker = nv();
		p->wakes[i].k.wakee = nv();
		p->wakes[i].k.cause = CT_CAUSE_COND;
		p->wakes[i].k.pad = nv();
		p->wakes[i].v.count = nv();
		p->wakes[i].v.blocked_ns = nv();
	}
	p->nr_syscalls = 2;
	p->syscalls = xcalloc(p->nr_syscalls, sizeof(*p->syscalls));
	for (i = 0; i < p->nr_syscalls; i++) {
		p->syscalls[i].k.pid = nv();
		p->syscalls[i].k.nr = i ? 202 : 0;
		p->syscalls[i].v.count = nv();
		p->syscalls[i].v.total_ns = nv();
		p->syscalls[i].v.max_ns = nv();
	}
	for (c = 0; c < CT_CAUSE_MAX; c++)
		for (k = 0; k < CT_HIST_SLOTS; k++)
			p->hists[c].slots[k] = nv();
	for (c = 0; c < CT_DROP_MAX; c++)
		p->drops[c] = nv();

	p->nr_stacks = 3;
	p->stacks = xcalloc(p->nr_stacks, sizeof(*p->stacks));
	for (i = 0; i < p->nr_stacks; i++) {
		struct ct_stack_rec *s = &p->stacks[i];
		char buf[64];

		s->kernel = i == 2;
		s->truncated = i == 1;
		s->nr_frames = i + 1;
		s->frames = xcalloc(s->nr_frames, sizeof(*s->frames));
		for (k = 0; k < s->nr_frames; k++) {
			struct ct_frame_rec f = { .kind = CT_FRAME_NATIVE, .module = "libfx.so",
						  .symbol = buf, .offset = k * 16 };
			long id;

			snprintf(buf, sizeof(buf), "FRAMEMARK%zu_%u", i, k);
			/* every kind of frame, the marked ones with a symbol */
			if (s->kernel && k < 2)
				f = (struct ct_frame_rec){ .kind = CT_FRAME_KERNEL,
					.symbol = k ? NULL : buf, .offset = k ? nv() : 0 };
			else if (s->kernel)
				f.symbol = NULL;	/* module+offset */
			else if (i == 1 && k == 0)
				f = (struct ct_frame_rec){ .kind = CT_FRAME_UNKNOWN, .offset = nv() };
			id = ct_frame__intern(p, &f);
			if (id < 0)
				abort();
			s->frames[k] = id;
		}
	}
	p->nr_sites = 2;
	p->sites = xcalloc(p->nr_sites, sizeof(*p->sites));
	for (i = 0; i < p->nr_sites; i++) {
		struct ct_site_rec *s = &p->sites[i];

		s->kind = i ? CT_SITE_CPU : CT_SITE_WAIT;
		s->pid = nv();
		s->tid = nv();
		s->cause = i ? 0 : CT_CAUSE_LOCK;
		s->uaddr = nv();
		s->ustack = i;
		s->kstack = i ? -1 : 2;
		s->samples = nv();
		s->wait_ns = nv();
	}
	p->nr_locks = 2;
	p->locks = xcalloc(p->nr_locks, sizeof(*p->locks));
	p->locks[0].pid = nv();
	p->locks[0].uaddr = nv();
	p->locks[0].name = xstrdup("big_lock");
	p->locks[0].module = xstrdup("/usr/bin/fx_demo");
	snprintf(p->locks[0].kind, sizeof(p->locks[0].kind), "mutex");
	p->locks[0].is_symbol = true;
	p->locks[1].pid = nv();
	p->locks[1].uaddr = nv();
	snprintf(p->locks[1].kind, sizeof(p->locks[1].kind), "condition");
	p->st.wait_samples = nv();
	p->st.cpu_samples = nv();
	p->st.not_sampled = nv();
	p->st.open_waits = nv();
	p->st.frames = nv();
	p->st.unsymbolized = nv();
	p->st.truncated = nv();
	p->nr_slices = 3;
	p->slices = xcalloc(p->nr_slices, sizeof(*p->slices));
	for (i = 0; i < p->nr_slices; i++) {
		p->slices[i].pid = nv();
		p->slices[i].tid = nv();
		p->slices[i].state = i;
		p->slices[i].cause = i == CT_SL_BLOCKED ? CT_CAUSE_IO : 0;
		p->slices[i].start_ns = nv();
		p->slices[i].end_ns = p->slices[i].start_ns + nv();
	}
	/* format 2 keeps no totals: the reader recomputes them, as the writer's side did */
	ct_profile__totals(p);
}

/* The rows compared with memcmp have no padding: each is filled field by field above. */
static void same_str(const char *x, const char *y, const char *name)
{
	if (!x || !y)
		ASSERT_TRUE(!x && !y, name);
	else
		ASSERT_STREQ(y, x, name);
}

/* Frames are equal part by part. */
static void same_frame(const struct ct_frame_rec *x, const struct ct_frame_rec *y,
		       const char *name)
{
	ASSERT_EQ(y->kind, x->kind, name);
	ASSERT_EQ(y->line, x->line, name);
	ASSERT_EQ(y->offset, x->offset, name);
	same_str(x->module, y->module, name);
	same_str(x->symbol, y->symbol, name);
	same_str(x->file, y->file, name);
}

static void compare_profiles(const struct ct_profile *a, const struct ct_profile *b,
			     const char *what)
{
	char name[160];
	size_t i;
	__u32 k;
	int n, c;

#define SAME(field) do {								\
		snprintf(name, sizeof(name), "%s: " #field, what);			\
		ASSERT_TRUE(!memcmp(&a->field, &b->field, sizeof(a->field)), name);	\
	} while (0)
/* A double round-trips bit for bit (the format stores its IEEE-754 bits): compare those. */
#define SAME_DBL(field) do {								\
		__u64 x_, y_;								\
											\
		_Static_assert(sizeof(x_) == sizeof(a->field), "a 64-bit double");	\
		memcpy(&x_, &a->field, sizeof(x_));					\
		memcpy(&y_, &b->field, sizeof(y_));					\
		snprintf(name, sizeof(name), "%s: " #field " bits", what);		\
		ASSERT_EQ(y_, x_, name);						\
	} while (0)
#define SAME_ROWS(tbl, nr) do {								\
		snprintf(name, sizeof(name), "%s: " #tbl " rows", what);		\
		if (ASSERT_EQ(b->nr, a->nr, name) && a->nr)				\
			ASSERT_TRUE(!memcmp(a->tbl, b->tbl, a->nr * sizeof(*a->tbl)), name); \
	} while (0)
	SAME(nr_pids);
	SAME(pids);
	SAME(has_exit_status);
	SAME(exit_status);
	SAME(exited_early);
	SAME(syscalls_enabled);
	SAME(cores);
	SAME(start_ns);
	SAME(stop_ns);
	SAME_DBL(duration_s);
	SAME(stacks_enabled);
	SAME(sample_hz);
	SAME(python);
	SAME(timeline_enabled);
	SAME(hists);
	SAME(drops);
	SAME(st);
	SAME(tot);
	snprintf(name, sizeof(name), "%s: argv", what);
	if (!a->argv || !b->argv) {
		ASSERT_TRUE(!a->argv && !b->argv, name);
	} else {
		for (n = 0; a->argv[n] && b->argv[n]; n++)
			ASSERT_STREQ(b->argv[n], a->argv[n], name);
		ASSERT_TRUE(!a->argv[n] && !b->argv[n], name);
	}
	snprintf(name, sizeof(name), "%s: threads", what);
	if (ASSERT_EQ(b->nr_threads, a->nr_threads, name)) {
		for (i = 0; i < a->nr_threads; i++) {
			const struct ct_thread_rec *x = &a->threads[i], *y = &b->threads[i];

			/* every field, one by one: the struct has padding */
			ASSERT_EQ(y->pid, x->pid, name);
			ASSERT_EQ(y->tid, x->tid, name);
			ASSERT_STREQ(y->comm, x->comm, name);
			ASSERT_EQ(y->on_cpu_ns, x->on_cpu_ns, name);
			ASSERT_EQ(y->steal_ns, x->steal_ns, name);
			for (c = 0; c < CT_CAUSE_MAX; c++)
				ASSERT_EQ(y->wait_ns[c], x->wait_ns[c], name);
			ASSERT_EQ(y->nvcsw, x->nvcsw, name);
			ASSERT_EQ(y->nivcsw, x->nivcsw, name);
			ASSERT_EQ(y->syscalls, x->syscalls, name);
			ASSERT_EQ(y->first_ns, x->first_ns, name);
			ASSERT_EQ(y->last_ns, x->last_ns, name);
			ASSERT_EQ(y->exited, x->exited, name);
			ASSERT_EQ(y->exit_code, x->exit_code, name);
			ASSERT_EQ(y->gil_wait_ns, x->gil_wait_ns, name);
		}
	}
	snprintf(name, sizeof(name), "%s: procs", what);
	if (ASSERT_EQ(b->nr_procs, a->nr_procs, name)) {
		for (i = 0; i < a->nr_procs; i++) {
			ASSERT_EQ(b->procs[i].pid, a->procs[i].pid, name);
			ASSERT_EQ(b->procs[i].ppid, a->procs[i].ppid, name);
			ASSERT_STREQ(b->procs[i].comm, a->procs[i].comm, name);
		}
	}
	SAME_ROWS(futexes, nr_futexes);
	SAME_ROWS(wakes, nr_wakes);
	SAME_ROWS(syscalls, nr_syscalls);
	SAME_ROWS(sites, nr_sites);
	SAME_ROWS(slices, nr_slices);
	snprintf(name, sizeof(name), "%s: stacks", what);
	if (ASSERT_EQ(b->nr_stacks, a->nr_stacks, name)) {
		for (i = 0; i < a->nr_stacks; i++) {
			const struct ct_stack_rec *x = &a->stacks[i], *y = &b->stacks[i];

			ASSERT_EQ(y->kernel, x->kernel, name);
			ASSERT_EQ(y->truncated, x->truncated, name);
			if (!ASSERT_EQ(y->nr_frames, x->nr_frames, name))
				continue;
			for (k = 0; k < x->nr_frames; k++)
				same_frame(ct_stack__frame(a, x, k), ct_stack__frame(b, y, k), name);
		}
	}
	snprintf(name, sizeof(name), "%s: locks", what);
	if (ASSERT_EQ(b->nr_locks, a->nr_locks, name)) {
		for (i = 0; i < a->nr_locks; i++) {
			ASSERT_EQ(b->locks[i].pid, a->locks[i].pid, name);
			ASSERT_EQ(b->locks[i].uaddr, a->locks[i].uaddr, name);
			ASSERT_STREQ(b->locks[i].name, a->locks[i].name, name);
			ASSERT_STREQ(b->locks[i].module, a->locks[i].module, name);
			ASSERT_STREQ(b->locks[i].kind, a->locks[i].kind, name);
			ASSERT_EQ(b->locks[i].is_symbol, a->locks[i].is_symbol, name);
		}
	}
#undef SAME
#undef SAME_ROWS
}

/* Encode @p (or @lab) into a malloc'd buffer. */
static unsigned char *encode(const struct ct_profile *p, const struct ct_lab *lab, size_t *len,
			     int *err)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	*err = p ? ct_record__write_profile(f, p) : lab ? ct_record__write_lab(f, lab) : -EINVAL;
	fclose(f);
	return (unsigned char *)buf;
}

static void put_le(unsigned char *p, __u64 v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

/* The same recording with its payload stored uncompressed (compression 0). */
static unsigned char *stored(const unsigned char *rec, size_t len, size_t *out_len)
{
	uLongf raw = 0;
	unsigned char *o;
	int i;

	for (i = 0; i < 8; i++)
		raw |= (uLongf)rec[16 + i] << (8 * i);
	o = malloc(CT_RECORD_HEADER_LEN + raw);
	if (!o)
		abort();
	memcpy(o, rec, CT_RECORD_HEADER_LEN);
	put_le(o + 14, 0, 2);
	if (uncompress(o + CT_RECORD_HEADER_LEN, &raw, rec + CT_RECORD_HEADER_LEN,
		       len - CT_RECORD_HEADER_LEN) != Z_OK)
		abort();
	*out_len = CT_RECORD_HEADER_LEN + raw;
	return o;
}

/* Parse @buf expecting failure @err with a message containing @msg. */
static void expect_fail(const void *buf, size_t len, int err, const char *msg, const char *name)
{
	struct ct_recording r;
	int ret = ct_record__parse(buf, len, &r);

	if (ASSERT_EQ(ret, err, name) && msg && !strstr(r.err, msg))
		ASSERT_STREQ(r.err, msg, name);
	ASSERT_TRUE(r.err[0] && !strchr(r.err, '\n'), name);
	ct_recording__free(&r);
}

/* With CT_RECORD_SEEDS=DIR, keep @buf as DIR/@name (tests/fuzz/mk_record_corpus.sh). */
static void save_seed(const char *name, const void *buf, size_t len)
{
	const char *dir = getenv("CT_RECORD_SEEDS");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

CT_TEST(record_roundtrip_profile)
{
	struct ct_profile p;
	struct ct_recording r;
	unsigned char *buf, *st;
	size_t len, slen;
	int err;

	fill_profile(&p);
	buf = encode(&p, NULL, &len, &err);
	ASSERT_OK(err, "write profile");
	ASSERT_TRUE(!memcmp(buf, CT_RECORD_MAGIC, CT_RECORD_MAGIC_LEN), "magic");
	err = ct_record__parse(buf, len, &r);
	if (ASSERT_OK(err, r.err)) {
		ct_diagnose_recording(&r);
		ASSERT_EQ(r.kind, CT_REC_PROFILE, "kind");
		ASSERT_EQ(r.version, CT_RECORD_VERSION, "version");
		ASSERT_STREQ(r.writer, CT_VERSION, "writer version");
		ASSERT_TRUE(r.kernel[0] && r.arch[0] && r.created > 0, "meta");
		compare_profiles(&p, &r.prof, "zlib");
	}
	ct_recording__free(&r);

	/* the same through a stored (uncompressed) payload */
	st = stored(buf, len, &slen);
	save_seed("synthetic-v2.stored.ctrec", st, slen);
	err = ct_record__parse(st, slen, &r);
	if (ASSERT_OK(err, r.err))
		compare_profiles(&p, &r.prof, "stored");
	ct_recording__free(&r);

	/* a profile without argv (trace -p) and with empty tables */
	ct_profile__free(&p);
	ct_profile__totals(&p);
	p.argv = NULL;
	free(buf);
	free(st);
	buf = encode(&p, NULL, &len, &err);
	ASSERT_OK(err, "write empty profile");
	err = ct_record__parse(buf, len, &r);
	if (ASSERT_OK(err, r.err))
		compare_profiles(&p, &r.prof, "empty tables");
	ct_recording__free(&r);
	free(buf);
}

CT_TEST(record_roundtrip_lab)
{
	struct ct_lab *lab = xcalloc(1, sizeof(*lab));
	struct ct_recording r;
	unsigned char *buf;
	size_t len;
	int err, i, k;

	lab->workloads = 0x5;
	lab->models = 0x3;
	lab->workers = 4;
	lab->scale = CT_LAB_SCALE_SMALL;
	lab->repeat = 3;
	lab->format = CT_LAB_FMT_JSON;
	lab->no_syscalls = true;
	snprintf(lab->binary, sizeof(lab->binary), "/opt/conctrace-workload");
	lab->duration_s = 12.5;
	lab->interrupted = true;
	lab->nr_results = 2;
	for (i = 0; i < 2; i++) {
		struct ct_lab_result *res = &lab->results[i];

		res->workload = i * 2;
		res->nr_cells = 2;
		res->winner = i;
		res->rec_model = i ? CT_LAB_THREADS : CT_LAB_NONE;
		res->nr_reasons = i + 1;
		for (k = 0; k < res->nr_reasons; k++)
			snprintf(res->reasons[k], CT_DIAG_LEN, "reason %d of %d", k, i);
		res->agrees = i;
		for (k = 0; k < 2; k++) {
			struct ct_lab_cell *c = &res->cells[k];

			c->model = k ? CT_LAB_THREADS : CT_LAB_SERIAL;
			c->ok = !k;
			c->exit_status = k;
			c->wall_s = 1.5 + k;
			c->throughput = 100.25 * (k + 1);
			c->speedup = k + 1;
			c->tasks = nv();
			c->done = nv();
			c->errors = nv();
			c->ipc_bytes = nv();
			c->net_bytes = nv();
			c->connections = nv();
			c->timed_out = k;
			fill_profile(&c->prof);
			c->prof.argv = NULL;
			ct_diagnose(&c->prof, &c->diag);
		}
	}
	buf = encode(NULL, lab, &len, &err);
	ASSERT_OK(err, "write lab");
	save_seed("synthetic-lab-v2.ctrec", buf, len);
	err = ct_record__parse(buf, len, &r);
	if (ASSERT_OK(err, r.err) && ASSERT_EQ(r.kind, CT_REC_LAB, "kind")) {
		const struct ct_lab *b = r.lab;

		ct_diagnose_recording(&r);
		ASSERT_EQ(b->workloads, lab->workloads, "workloads");
		ASSERT_EQ(b->models, lab->models, "models");
		ASSERT_EQ(b->workers, lab->workers, "workers");
		ASSERT_EQ(b->scale, lab->scale, "scale");
		ASSERT_EQ(b->repeat, lab->repeat, "repeat");
		ASSERT_EQ(b->format, lab->format, "format");
		ASSERT_EQ(b->no_syscalls, lab->no_syscalls, "no_syscalls");
		ASSERT_STREQ(b->binary, lab->binary, "binary");
		ASSERT_TRUE(b->duration_s == lab->duration_s, "duration_s");
		ASSERT_EQ(b->interrupted, lab->interrupted, "interrupted");
		ASSERT_EQ(b->nr_results, lab->nr_results, "nr_results");
		for (i = 0; i < lab->nr_results && i < b->nr_results; i++) {
			const struct ct_lab_result *x = &lab->results[i], *y = &b->results[i];

			ASSERT_EQ(y->workload, x->workload, "workload");
			ASSERT_EQ(y->winner, x->winner, "winner");
			ASSERT_EQ(y->rec_model, x->rec_model, "rec_model");
			ASSERT_EQ(y->agrees, x->agrees, "agrees");
			if (ASSERT_EQ(y->nr_reasons, x->nr_reasons, "nr_reasons"))
				for (k = 0; k < x->nr_reasons; k++)
					ASSERT_STREQ(y->reasons[k], x->reasons[k], "reason");
			if (!ASSERT_EQ(y->nr_cells, x->nr_cells, "nr_cells"))
				continue;
			for (k = 0; k < x->nr_cells; k++) {
				const struct ct_lab_cell *c = &x->cells[k], *e = &y->cells[k];

				ASSERT_EQ(e->model, c->model, "cell model");
				ASSERT_EQ(e->ok, c->ok, "cell ok");
				ASSERT_EQ(e->exit_status, c->exit_status, "cell exit_status");
				ASSERT_TRUE(e->wall_s == c->wall_s &&
					    e->throughput == c->throughput &&
					    e->speedup == c->speedup, "cell figures");
				ASSERT_EQ(e->tasks, c->tasks, "cell tasks");
				ASSERT_EQ(e->done, c->done, "cell done");
				ASSERT_EQ(e->errors, c->errors, "cell errors");
				ASSERT_EQ(e->ipc_bytes, c->ipc_bytes, "cell ipc_bytes");
				ASSERT_EQ(e->net_bytes, c->net_bytes, "cell net_bytes");
				ASSERT_EQ(e->connections, c->connections, "cell connections");
				ASSERT_EQ(e->timed_out, c->timed_out, "cell timed_out");
				compare_profiles(&c->prof, &e->prof, "lab cell");
				ASSERT_EQ(e->diag.bound, c->diag.bound, "cell diag bound");
				ASSERT_NEAR(e->diag.parallelism, c->diag.parallelism, 0,
					    "cell diag parallelism");
			}
		}
	}
	ct_recording__free(&r);
	free(buf);
	for (i = 0; i < lab->nr_results; i++)
		for (k = 0; k < lab->results[i].nr_cells; k++)
			lab->results[i].cells[k].prof.argv = NULL;
	ct_lab__free(lab);
	free(lab);
}

/* Every prefix, and every single-bit flip, of a small recording fails cleanly or parses. */
CT_TEST(record_cuts_and_flips)
{
	struct ct_profile p;
	struct ct_recording r;
	unsigned char *buf, *st, *m;
	size_t len, slen, i;
	int err, bit, accepted = 0;

	fill_profile(&p);
	buf = encode(&p, NULL, &len, &err);
	if (!ASSERT_OK(err, "write") || !ASSERT_TRUE(len >= CT_RECORD_HEADER_LEN, "a header")) {
		free(buf);
		p.argv = NULL;
		ct_profile__free(&p);
		return;
	}
	st = stored(buf, len, &slen);
	for (i = 0; i < len; i++) {
		err = ct_record__parse(buf, i, &r);
		if (!ASSERT_ERR(err, "zlib recording cut short") ||
		    !ASSERT_TRUE(r.err[0], "message"))
			fprintf(stderr, "  cut at %zu of %zu\n", i, len);
		ct_recording__free(&r);
	}
	for (i = 0; i < slen; i++) {
		err = ct_record__parse(st, i, &r);
		if (!ASSERT_ERR(err, "stored recording cut short"))
			fprintf(stderr, "  cut at %zu of %zu\n", i, slen);
		ct_recording__free(&r);
	}
	m = malloc(len > slen ? len : slen);
	if (!m)
		abort();
	/*
	 * compressed: a flip is refused, or lands in bits that decode to the same payload (an
	 * extra bit of a distance pointing at equal bytes, padding): zlib's Adler-32 sees the rest
	 */
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, buf, len);
			m[i] ^= 1 << bit;
			err = ct_record__parse(m, len, &r);
			if (err)
				ASSERT_TRUE(r.err[0] != 0, "flip: message");
			else
				compare_profiles(&p, &r.prof, "flip accepted");
			accepted += !err;
			ct_recording__free(&r);
		}
	}
	ASSERT_TRUE(accepted < (int)len, "most flips of a compressed recording are refused");
	/* stored: the parser's own checks; a flip in a counter is a valid recording */
	for (i = 0; i < slen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, st, slen);
			m[i] ^= 1 << bit;
			err = ct_record__parse(m, slen, &r);
			ASSERT_TRUE(err ? r.err[0] != 0 : true, "flip: message");
			ct_recording__free(&r);
		}
	}
	free(m);
	free(st);
	free(buf);
	p.argv = NULL;
	ct_profile__free(&p);
}

CT_TEST(record_bad_headers)
{
	struct ct_profile p;
	unsigned char *buf, *m, hdr[CT_RECORD_HEADER_LEN], *bomb;
	size_t len, blen;
	uLongf clen;
	int err;

	fill_profile(&p);
	p.argv = NULL;
	buf = encode(&p, NULL, &len, &err);
	m = malloc(len);
	if (!m)
		abort();
	expect_fail(buf, 0, -EINVAL, "empty file", "empty");
	expect_fail("PK\3\4 not ours", 14, -EINVAL, "bad magic", "zip file");
	expect_fail(buf, 5, -EINVAL, "truncated header", "half a header");
	memcpy(m, buf, len);
	put_le(m + 8, CT_RECORD_VERSION + 1, 4);
	expect_fail(m, len, -EPROTONOSUPPORT, "format version 3, this conctrace reads versions 1 to 2",
		    "future version");
	memcpy(m, buf, len);
	put_le(m + 12, 9, 2);
	expect_fail(m, len, -EINVAL, "unknown recording kind 9", "kind");
	memcpy(m, buf, len);
	put_le(m + 14, 7, 2);
	expect_fail(m, len, -EINVAL, "unknown compression 7", "compression");
	memcpy(m, buf, len);
	put_le(m + 16, (__u64)CT_RECORD_MAX_RAW + 1, 8);
	expect_fail(m, len, -E2BIG, "over the limit", "declared size over the limit");
	memcpy(m, buf, len);
	put_le(m + 16, 100, 8);
	expect_fail(m, len, -E2BIG, "more than the 100 bytes its header declares",
		    "short declared");

	/* a bomb: 16 MiB of zeros in about 16 KiB, declared as 1 KiB, then as 200 MiB */
	blen = 16u << 20;
	clen = compressBound(blen);
	bomb = calloc(1, CT_RECORD_HEADER_LEN + clen);
	free(m);		/* its bytes are not needed: it is zeroed below */
	m = malloc(blen);
	if (!bomb || !m)
		abort();
	memset(m, 0, blen);
	if (compress2(bomb + CT_RECORD_HEADER_LEN, &clen, m, blen, 9) != Z_OK)
		abort();
	memcpy(bomb, buf, CT_RECORD_HEADER_LEN);
	put_le(bomb + 16, 1024, 8);
	expect_fail(bomb, CT_RECORD_HEADER_LEN + clen, -E2BIG, "more than the 1024 bytes",
		    "zlib bomb");
	put_le(bomb + 16, 200u << 20, 8);
	expect_fail(bomb, CT_RECORD_HEADER_LEN + clen, -EINVAL, "decompresses to 16777216 bytes",
		    "bomb declared larger");
	/* garbage after the compressed stream */
	memcpy(m, buf, len);
	m[len] = 0;
	expect_fail(m, len + 1, -EINVAL, "1 bytes after the compressed data", "trailing byte");
	memcpy(hdr, buf, sizeof(hdr));
	expect_fail(hdr, sizeof(hdr), -EINVAL, "ends early", "header alone");
	free(bomb);
	free(m);
	free(buf);
	ct_profile__free(&p);
}

/* Find @needle in the stored payload. */
static unsigned char *find(unsigned char *h, size_t hl, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= hl; i++)
		if (!memcmp(h + i, needle, n))
			return h + i;
	abort();
}

CT_TEST(record_bad_values)
{
	struct ct_profile p;
	struct ct_recording r;
	unsigned char *buf, *st, *at;
	size_t len, slen;
	int err;

	/* a site pointing past the stack table */
	fill_profile(&p);
	p.argv = NULL;
	p.sites[1].ustack = p.nr_stacks;
	buf = encode(&p, NULL, &len, &err);
	expect_fail(buf, len, -EINVAL, "section SITE: row 1: ustack 3 out of range (-1..2)",
		    "site index");
	free(buf);
	p.sites[1].ustack = 0;
	p.sites[0].kstack = -2;
	buf = encode(&p, NULL, &len, &err);
	expect_fail(buf, len, -EINVAL, "kstack -2 out of range", "negative site index");
	free(buf);
	p.sites[0].kstack = -1;
	p.slices[0].cause = CT_CAUSE_MAX;
	buf = encode(&p, NULL, &len, &err);
	expect_fail(buf, len, -EINVAL, "section SLIC: row 0: cause", "slice cause");
	free(buf);
	p.slices[0].cause = 0;
	p.slices[1].end_ns = p.slices[1].start_ns - 1;
	buf = encode(&p, NULL, &len, &err);
	expect_fail(buf, len, -EINVAL, "ends before it starts", "slice order");
	free(buf);
	p.slices[1].end_ns = p.slices[1].start_ns;
	p.duration_s = NAN;
	buf = encode(&p, NULL, &len, &err);
	ASSERT_EQ(err, -EINVAL, "the writer refuses NaN");
	free(buf);
	p.duration_s = 1;

	/* byte edits in a stored payload: a NUL inside a frame, a comm without NUL, a bool */
	buf = encode(&p, NULL, &len, &err);
	st = stored(buf, len, &slen);
	at = find(st, slen, "FRAMEMARK1_1");
	at[3] = 0;
	expect_fail(st, slen, -EINVAL, "frame symbol contains a NUL byte", "NUL in a frame");
	at[3] = 'M';
	at = find(st, slen, "proc1");
	memset(at, 'x', CT_COMM_LEN);
	expect_fail(st, slen, -EINVAL, "comm is not NUL-terminated", "comm without NUL");
	memset(at, 0, CT_COMM_LEN);
	at = find(st, slen, "FRAMEMARK0_0") - 4;	/* the frame symbol's length */
	put_le(at, 0xfffffff0, 4);
	expect_fail(st, slen, -E2BIG, "frame symbol of 4294967280 bytes, over the limit",
		    "huge string");
	put_le(at, 1000, 4);
	expect_fail(st, slen, -EINVAL, "section FRAM: row 0: truncated", "string past the end");
	put_le(at, strlen("FRAMEMARK0_0"), 4);
	at = find(st, slen, "STAK") + 12;		/* stack 0: kernel, truncated, nr_frames */
	at[0] = 2;
	expect_fail(st, slen, -EINVAL, "kernel is 2, not a boolean", "bool");
	at[0] = 0;
	put_le(at + 2, 0x10000000, 4);
	expect_fail(st, slen, -E2BIG, "268435456 frames, over the limit", "frame count");
	put_le(at + 2, 4000, 4);
	expect_fail(st, slen, -EINVAL, "4000 frames do not fit", "frame count past the end");
	put_le(at + 2, 1, 4);
	put_le(at + 6, 999, 4);
	expect_fail(st, slen, -EINVAL, "section STAK: row 0: frame 999 out of range",
		    "frame index");
	put_le(at + 6, 0, 4);
	ASSERT_OK(ct_record__parse(st, slen, &r), "the edits undone, it parses again");
	ct_recording__free(&r);
	at = find(st, slen, "THRD") + 4;
	put_le(at, 0x7fffffff, 4);
	expect_fail(st, slen, -EINVAL, "section THRD: 2147483647 bytes long", "section length");
	free(st);
	free(buf);
	ct_profile__free(&p);
}

/*
 * A diagnosis known by construction: two threads of one process, each on a CPU for the whole of
 * a 1 s trace on 2 cores, never waiting: CPU-bound, parallelism 2, the threads model.
 */
CT_TEST(record_diagnosis_known)
{
	struct ct_profile p = {};
	struct ct_recording r;
	unsigned char *buf;
	size_t len, i;
	int err;

	p.nr_pids = 1;
	p.pids[0] = 4242;
	p.cores = 2;
	p.start_ns = 1000000000ull;
	p.stop_ns = p.start_ns + 1000000000ull;
	p.duration_s = 1.0;
	p.threads = xcalloc(2, sizeof(*p.threads));
	p.nr_threads = p.cap_threads = 2;
	for (i = 0; i < 2; i++) {
		p.threads[i].pid = 4242;
		p.threads[i].tid = 4242 + i;
		snprintf(p.threads[i].comm, sizeof(p.threads[i].comm), "spin%zu", i);
		p.threads[i].on_cpu_ns = 1000000000ull;
		p.threads[i].first_ns = p.start_ns;
	}
	ct_profile__finish(&p);
	buf = encode(&p, NULL, &len, &err);
	ASSERT_OK(err, "write");
	err = ct_record__parse(buf, len, &r);
	if (ASSERT_OK(err, r.err)) {
		ct_diagnose_recording(&r);
		ASSERT_STREQ(ct_bound_name(r.diag.bound), "cpu", "bound");
		ASSERT_TRUE(fabs(r.diag.parallelism - 2.0) < 1e-9, "parallelism 2.0");
		ASSERT_STREQ(ct_model_name(r.diag.model), "threads", "model");
	}
	ct_recording__free(&r);
	free(buf);
	ct_profile__free(&p);
}

/*
 * A committed format-1 recording (tests/golden/v1/mutex.ctrec) read by the format-1 decoder:
 * checked against what its report said when the old conctrace rendered it
 * (tests/golden/v1/expected/mutex.text), not against this parser.
 */
CT_TEST(record_v1_mutex)
{
	const char *want = "lock_worker (fx_mutex+0x1a76)";
	struct ct_recording r;
	char buf[CT_FRAME_LEN];
	bool seen = false;
	size_t i;
	int err;

	err = ct_record__read("tests/golden/v1/mutex.ctrec", &r);
	if (!ASSERT_OK(err, r.err))
		goto out;
	ASSERT_EQ(r.version, 1, "format 1");
	ASSERT_EQ(r.prof.cores, 2, "\"on 2 cores\"");
	ASSERT_EQ(r.prof.nr_threads, 6, "\"6 threads\"");
	ASSERT_EQ(r.prof.tot.processes_seen, 1, "\"in 1 processes\"");
	ASSERT_STREQ(r.prof.argv ? r.prof.argv[0] : "", ".output/tests/fixtures/fx_mutex",
		     "the command");
	for (i = 0; i < r.prof.nr_frames; i++) {
		const struct ct_frame_rec *f = &r.prof.frames[i];

		if (strcmp(ct_frame__format(&r.prof, i, buf, sizeof(buf)), want))
			continue;
		seen = true;
		ASSERT_EQ(f->kind, CT_FRAME_NATIVE, "taken apart: native");
		ASSERT_STREQ(f->symbol ? f->symbol : "", "lock_worker", "symbol");
		ASSERT_STREQ(f->module ? f->module : "", "fx_mutex", "module");
		ASSERT_EQ(f->offset, 0x1a76, "offset");
	}
	ASSERT_TRUE(seen, want);
	ct_diagnose_recording(&r);
	ASSERT_STREQ(ct_bound_name(r.diag.bound), "cpu", "\"cpu-bound\"");
	ASSERT_STREQ(ct_model_name(r.diag.model), "threads", "\"model threads\"");
out:
	ct_recording__free(&r);
}

CT_TEST(record_read_files)
{
	struct ct_recording r;
	char dir[] = "/tmp/ct-record-XXXXXX", path[64];
	FILE *f;

	if (!ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp"))
		return;
	ASSERT_EQ(ct_record__read(dir, &r), -EISDIR, "directory");
	ASSERT_STREQ(r.err, "is a directory", "directory message");
	snprintf(path, sizeof(path), "%s/missing", dir);
	ASSERT_EQ(ct_record__read(path, &r), -ENOENT, "missing file");
	ASSERT_EQ(ct_record__read("/dev/null", &r), -EINVAL, "a device");
	ASSERT_STREQ(r.err, "not a regular file", "device message");
	snprintf(path, sizeof(path), "%s/empty", dir);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	ASSERT_EQ(ct_record__read(path, &r), -EINVAL, "empty file");
	ASSERT_STREQ(r.err, "empty file", "empty message");
	remove(path);
	remove(dir);
}
