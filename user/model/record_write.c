// SPDX-License-Identifier: GPL-2.0
/*
 * The recording writer (docs/recording-format.md): a profile or a lab matrix encoded field by
 * field, little-endian, in tagged sections, built in memory and zlib-compressed behind the
 * header. It refuses what the parser (record.c) would refuse.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include <zlib.h>
#include "common/ct.h"
#include "frame.h"
#include "record.h"

#ifndef CT_VERSION
#define CT_VERSION "unknown"
#endif

#define NIL		CT_RECORD_NIL
#define MAX_ITEMS	CT_RECORD_MAX_ROWS

static void put16(unsigned char *p, __u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, __u32 v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, __u64 v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	int err;
};

static unsigned char *w_room(struct wbuf *b, size_t n)
{
	unsigned char *p;
	size_t cap;

	if (b->err)
		return NULL;
	if (n > CT_RECORD_MAX_RAW - b->len) {
		b->err = -E2BIG;
		return NULL;
	}
	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap * 2 : 65536;
		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = -ENOMEM;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	p = b->p + b->len;
	b->len += n;
	return p;
}

static void w_u8(struct wbuf *b, __u8 v)
{
	unsigned char *p = w_room(b, 1);

	if (p)
		*p = v;
}

static void w_u32(struct wbuf *b, __u32 v)
{
	unsigned char *p = w_room(b, 4);

	if (p)
		put32(p, v);
}

static void w_u64(struct wbuf *b, __u64 v)
{
	unsigned char *p = w_room(b, 8);

	if (p)
		put64(p, v);
}

static void w_s32(struct wbuf *b, int v)
{
	w_u32(b, (__u32)v);
}

static void w_dbl(struct wbuf *b, double v)
{
	__u64 u;

	if (!isfinite(v) && !b->err)
		b->err = -EINVAL;	/* the reader refuses NaN and infinities */
	memcpy(&u, &v, sizeof(u));
	w_u64(b, u);
}

/* A count of items that the reader bounds by @max. */
static void w_count(struct wbuf *b, size_t n, size_t max)
{
	if (n > max && !b->err)
		b->err = -E2BIG;
	w_u32(b, n);
}

static void w_str(struct wbuf *b, const char *s)
{
	size_t n;
	unsigned char *p;

	if (!s) {
		w_u32(b, NIL);
		return;
	}
	n = strlen(s);
	w_count(b, n, CT_RECORD_MAX_STR);
	p = w_room(b, n);
	if (p)
		memcpy(p, s, n);
}

/* A fixed char[@n] field, always written with a NUL inside. */
static void w_fixed(struct wbuf *b, const char *s, size_t n)
{
	unsigned char *p = w_room(b, n);
	size_t l = strnlen(s, n - 1);

	if (!p)
		return;
	memcpy(p, s, l);
	memset(p + l, 0, n - l);
}

/* Start a section: tag, then a length patched in by w_end(). @return where the length is */
static size_t w_begin(struct wbuf *b, const char *tag)
{
	unsigned char *p = w_room(b, 8);

	if (!p)
		return 0;
	memcpy(p, tag, 4);
	return b->len - 4;
}

static void w_end(struct wbuf *b, size_t at)
{
	if (!b->err)
		put32(b->p + at, b->len - at - 4);
}

static void w_meta(struct wbuf *b)
{
	struct utsname u;
	size_t s = w_begin(b, "META");

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	w_u32(b, CT_COMM_LEN);
	w_u32(b, CT_CAUSE_MAX);
	w_u32(b, CT_HIST_SLOTS);
	w_u32(b, CT_DROP_MAX);
	w_str(b, CT_VERSION);
	w_str(b, u.release);
	w_str(b, u.machine);
	w_u64(b, time(NULL));
	w_end(b, s);
}

static void w_thread(struct wbuf *b, const struct ct_thread_rec *t)
{
	int c;

	w_u32(b, t->pid);
	w_u32(b, t->tid);
	w_fixed(b, t->comm, CT_COMM_LEN);
	w_u64(b, t->on_cpu_ns);
	w_u64(b, t->steal_ns);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		w_u64(b, t->wait_ns[c]);
	w_u64(b, t->nvcsw);
	w_u64(b, t->nivcsw);
	w_u64(b, t->syscalls);
	w_u64(b, 0);		/* task: BPF working state, no longer kept */
	w_u64(b, t->first_ns);
	w_u64(b, t->last_ns);
	for (c = 0; c < 4; c++)
		w_u64(b, 0);	/* ts, futex_uaddr, sys_ts, steal_mark */
	for (c = 0; c < 4; c++)
		w_u32(b, 0);	/* state, cause, waker, sys_nr */
	w_u64(b, 0);		/* sample_seq */
	w_u8(b, t->exited);
	w_s32(b, t->exit_code);
	w_u64(b, t->gil_wait_ns);
}

static void w_profile(struct wbuf *b, const struct ct_profile *p)
{
	char buf[CT_FRAME_LEN];
	size_t s, i, n;
	__u32 k;
	int c;

	s = w_begin(b, "PROF");
	if (p->nr_pids < 0 || p->nr_pids > CT_MAX_PIDS)
		b->err = b->err ?: -EINVAL;
	w_count(b, p->nr_pids, CT_MAX_PIDS);
	for (c = 0; c < p->nr_pids && c < CT_MAX_PIDS; c++)
		w_s32(b, p->pids[c]);
	if (p->argv) {
		for (n = 0; p->argv[n]; n++)
			;
		w_count(b, n, CT_RECORD_MAX_ARGS);
		for (i = 0; i < n; i++)
			w_str(b, p->argv[i]);
	} else {
		w_u32(b, NIL);
	}
	w_u8(b, p->has_exit_status);
	w_s32(b, p->exit_status);
	w_u8(b, p->exited_early);
	w_u8(b, p->syscalls_enabled);
	w_s32(b, p->cores);
	w_u64(b, p->start_ns);
	w_u64(b, p->stop_ns);
	w_dbl(b, p->duration_s);
	w_u8(b, p->stacks_enabled);
	w_s32(b, p->sample_hz);
	w_u8(b, p->python);
	w_u8(b, p->timeline_enabled);
	w_end(b, s);

	s = w_begin(b, "THRD");
	w_count(b, p->nr_threads, MAX_ITEMS);
	for (i = 0; i < p->nr_threads; i++)
		w_thread(b, &p->threads[i]);
	w_end(b, s);

	s = w_begin(b, "PROC");
	w_count(b, p->nr_procs, MAX_ITEMS);
	for (i = 0; i < p->nr_procs; i++) {
		w_u32(b, p->procs[i].pid);
		w_u32(b, p->procs[i].ppid);
		w_fixed(b, p->procs[i].comm, CT_COMM_LEN);
	}
	w_end(b, s);

	s = w_begin(b, "FUTX");
	w_count(b, p->nr_futexes, MAX_ITEMS);
	for (i = 0; i < p->nr_futexes; i++) {
		const struct ct_futex_rec *f = &p->futexes[i];

		w_u64(b, f->k.uaddr);
		w_u32(b, f->k.pid);
		w_u32(b, f->k.cause);
		w_u64(b, f->v.waits);
		w_u64(b, f->v.total_ns);
		w_u64(b, f->v.max_ns);
	}
	w_end(b, s);

	s = w_begin(b, "WAKE");
	w_count(b, p->nr_wakes, MAX_ITEMS);
	for (i = 0; i < p->nr_wakes; i++) {
		const struct ct_wake_rec *w = &p->wakes[i];

		w_u64(b, w->k.uaddr);
		w_u32(b, w->k.waker);
		w_u32(b, w->k.wakee);
		w_u32(b, w->k.cause);
		w_u32(b, w->k.pad);
		w_u64(b, w->v.count);
		w_u64(b, w->v.blocked_ns);
	}
	w_end(b, s);

	s = w_begin(b, "SYSC");
	w_count(b, p->nr_syscalls, MAX_ITEMS);
	for (i = 0; i < p->nr_syscalls; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];

		w_u32(b, r->k.pid);
		w_u32(b, r->k.nr);
		w_u64(b, r->v.count);
		w_u64(b, r->v.total_ns);
		w_u64(b, r->v.max_ns);
	}
	w_end(b, s);

	s = w_begin(b, "HIST");
	for (c = 0; c < CT_CAUSE_MAX; c++)
		for (k = 0; k < CT_HIST_SLOTS; k++)
			w_u64(b, p->hists[c].slots[k]);
	w_end(b, s);

	s = w_begin(b, "DROP");
	for (c = 0; c < CT_DROP_MAX; c++)
		w_u64(b, p->drops[c]);
	w_end(b, s);

	s = w_begin(b, "STAK");
	w_count(b, p->nr_stacks, MAX_ITEMS);
	for (i = 0; i < p->nr_stacks; i++) {
		const struct ct_stack_rec *st = &p->stacks[i];

		w_u8(b, st->kernel);
		w_u8(b, st->truncated);
		w_count(b, st->nr_frames, CT_RECORD_MAX_FRAMES);
		for (k = 0; k < st->nr_frames; k++)
			w_str(b, ct_frame__format(p, st->frames[k], buf, sizeof(buf)));
	}
	w_end(b, s);

	s = w_begin(b, "SITE");
	w_count(b, p->nr_sites, MAX_ITEMS);
	for (i = 0; i < p->nr_sites; i++) {
		const struct ct_site_rec *r = &p->sites[i];

		w_u32(b, r->kind);
		w_u32(b, r->pid);
		w_u32(b, r->tid);
		w_u32(b, r->cause);
		w_u64(b, r->uaddr);
		w_s32(b, r->ustack);
		w_s32(b, r->kstack);
		w_u64(b, r->samples);
		w_u64(b, r->wait_ns);
	}
	w_end(b, s);

	s = w_begin(b, "LOCK");
	w_count(b, p->nr_locks, MAX_ITEMS);
	for (i = 0; i < p->nr_locks; i++) {
		const struct ct_lock_rec *l = &p->locks[i];

		w_u32(b, l->pid);
		w_u64(b, l->uaddr);
		w_str(b, l->name);
		w_str(b, l->module);
		w_fixed(b, l->kind, sizeof(l->kind));
		w_u8(b, l->is_symbol);
	}
	w_end(b, s);

	s = w_begin(b, "STST");
	w_u64(b, p->st.wait_samples);
	w_u64(b, p->st.cpu_samples);
	w_u64(b, p->st.not_sampled);
	w_u64(b, p->st.open_waits);
	w_u64(b, p->st.frames);
	w_u64(b, p->st.unsymbolized);
	w_u64(b, p->st.truncated);
	w_end(b, s);

	s = w_begin(b, "SLIC");
	w_count(b, p->nr_slices, MAX_ITEMS);
	for (i = 0; i < p->nr_slices; i++) {
		const struct ct_slice *sl = &p->slices[i];

		w_u32(b, sl->pid);
		w_u32(b, sl->tid);
		w_u32(b, sl->state);
		w_u32(b, sl->cause);
		w_u64(b, sl->start_ns);
		w_u64(b, sl->end_ns);
	}
	w_end(b, s);

	s = w_begin(b, "TOTL");
	w_u64(b, p->tot.on_cpu_ns);
	w_u64(b, p->tot.steal_ns);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		w_u64(b, p->tot.wait_ns[c]);
	w_u64(b, p->tot.nvcsw);
	w_u64(b, p->tot.nivcsw);
	w_u64(b, p->tot.syscalls);
	w_u64(b, p->tot.lock_waits);
	w_u32(b, p->tot.threads_seen);
	w_u32(b, p->tot.processes_seen);
	w_u64(b, p->tot.drops_total);
	w_end(b, s);
}

/* Compress the payload in @b behind the header into @f, and free @b. @return 0 or -errno */
static int w_file(FILE *f, enum ct_record_kind kind, struct wbuf *b)
{
	unsigned char hdr[CT_RECORD_HEADER_LEN], out[65536];
	z_stream zs;
	int ret, err = b->err;

	if (err)
		goto out;
	// NOLINTNEXTLINE(bugprone-not-null-terminated-result): 8 raw header bytes, not a C string
	memcpy(hdr, CT_RECORD_MAGIC, CT_RECORD_MAGIC_LEN);
	put32(hdr + 8, CT_RECORD_VERSION);
	put16(hdr + 12, kind);
	put16(hdr + 14, CT_RECORD_ZLIB);
	put64(hdr + 16, b->len);
	memset(&zs, 0, sizeof(zs));
	if (deflateInit(&zs, Z_DEFAULT_COMPRESSION) != Z_OK) {
		err = -ENOMEM;
		goto out;
	}
	fwrite(hdr, 1, sizeof(hdr), f);
	zs.next_in = b->p;
	zs.avail_in = b->len;		/* at most CT_RECORD_MAX_RAW */
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		ret = deflate(&zs, Z_FINISH);
		if (ret == Z_STREAM_ERROR) {
			err = -EIO;
			break;
		}
		fwrite(out, 1, sizeof(out) - zs.avail_out, f);
	} while (ret != Z_STREAM_END);
	if (!err && zs.total_out > CT_RECORD_MAX_FILE - CT_RECORD_HEADER_LEN)
		err = -E2BIG;
	deflateEnd(&zs);
	if (!err && (fflush(f) || ferror(f)))
		err = -EIO;
out:
	free(b->p);
	return err;
}

int ct_record__write_profile(FILE *f, const struct ct_profile *p)
{
	struct wbuf b = {};

	w_meta(&b);
	w_profile(&b, p);
	return w_file(f, CT_REC_PROFILE, &b);
}

static int lab_model_index(const char *name)
{
	int i;

	for (i = 0; name && ct_lab_models[i]; i++)
		if (!strcmp(ct_lab_models[i], name))
			return i;
	return -1;
}

int ct_record__write_lab(FILE *f, const struct ct_lab *lab)
{
	struct wbuf b = {};
	size_t s;
	int i, k, m;

	w_meta(&b);
	s = w_begin(&b, "LAB_");
	w_u64(&b, lab->workloads);
	w_u64(&b, lab->models);
	w_s32(&b, lab->workers);
	w_u32(&b, lab->scale);
	w_s32(&b, lab->repeat);
	w_u32(&b, lab->format);
	w_u8(&b, lab->no_syscalls);
	w_u8(&b, lab->progress);
	w_str(&b, lab->binary);
	w_count(&b, lab->nr_results, CT_LAB_MAX_WL);
	w_dbl(&b, lab->duration_s);
	w_u8(&b, lab->interrupted);
	w_end(&b, s);
	for (i = 0; i < lab->nr_results && i < CT_LAB_MAX_WL; i++) {
		const struct ct_lab_result *r = &lab->results[i];

		s = w_begin(&b, "RSLT");
		w_u32(&b, r->workload);
		w_count(&b, r->nr_cells, CT_LAB_MAX_MODELS);
		w_s32(&b, r->winner);
		m = lab_model_index(r->rec_model);
		if (r->rec_model && m < 0 && !b.err)
			b.err = -EINVAL;
		w_s32(&b, m);
		w_count(&b, r->nr_reasons, CT_DIAG_LINES);
		for (k = 0; k < r->nr_reasons && k < CT_DIAG_LINES; k++)
			w_str(&b, r->reasons[k]);
		w_u8(&b, r->agrees);
		w_end(&b, s);
		for (k = 0; k < r->nr_cells && k < CT_LAB_MAX_MODELS; k++) {
			const struct ct_lab_cell *c = &r->cells[k];

			s = w_begin(&b, "CELL");
			w_u32(&b, c->model);
			w_u8(&b, c->ok);
			w_s32(&b, c->exit_status);
			w_dbl(&b, c->wall_s);
			w_dbl(&b, c->throughput);
			w_dbl(&b, c->speedup);
			w_u64(&b, c->tasks);
			w_u64(&b, c->done);
			w_u64(&b, c->errors);
			w_u64(&b, c->ipc_bytes);
			w_u64(&b, c->net_bytes);
			w_u64(&b, c->connections);
			w_u8(&b, c->timed_out);
			w_end(&b, s);
			w_profile(&b, &c->prof);
		}
	}
	return w_file(f, CT_REC_LAB, &b);
}
