// SPDX-License-Identifier: GPL-2.0
/*
 * The recording writer (docs/recording-format.md): a profile or a lab matrix encoded from the
 * sections' field tables (record_fields.c), little-endian, in tagged sections, built in memory
 * and zlib-compressed behind the header. It refuses what the parser (record.c) would refuse.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include <zlib.h>
#include "common/ct.h"
#include "record.h"
#include "record_io.h"

#ifndef CT_VERSION
#define CT_VERSION "unknown"
#endif

static void w_meta(struct ct_wbuf *b)
{
	struct ct_recording m = { .created = time(NULL) };
	struct utsname u;

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	snprintf(m.writer, sizeof(m.writer), "%s", CT_VERSION);
	snprintf(m.kernel, sizeof(m.kernel), "%s", u.release);
	snprintf(m.arch, sizeof(m.arch), "%s", u.machine);
	ct_record_put(b, &ct_sec_meta, &m);
}

/* PROF: the PIDs and the command, then the trace's scalars (ct_sec_prof). */
static void w_prof(struct ct_wbuf *b, const struct ct_profile *p)
{
	size_t s = ct_w_begin(b, "PROF"), i, n;
	int c;

	if (p->nr_pids < 0 || p->nr_pids > CT_MAX_PIDS)
		b->err = b->err ?: -EINVAL;
	ct_w_count(b, p->nr_pids, CT_MAX_PIDS);
	for (c = 0; c < p->nr_pids && c < CT_MAX_PIDS; c++)
		ct_w_s32(b, p->pids[c]);
	if (p->argv) {
		for (n = 0; p->argv[n]; n++)
			;
		ct_w_count(b, n, CT_RECORD_MAX_ARGS);
		for (i = 0; i < n; i++)
			ct_w_str(b, p->argv[i]);
	} else {
		ct_w_u32(b, CT_RECORD_NIL);
	}
	ct_row_put(b, &ct_sec_prof, p);
	ct_w_end(b, s);
}

/* STAK: per stack its head (ct_sec_stak), then its frame indices. */
static void w_stacks(struct ct_wbuf *b, const struct ct_profile *p)
{
	size_t s = ct_w_begin(b, "STAK"), i;
	__u32 k;

	ct_w_count(b, p->nr_stacks, CT_RECORD_MAX_ROWS);
	for (i = 0; i < p->nr_stacks; i++) {
		const struct ct_stack_rec *st = &p->stacks[i];

		ct_row_put(b, &ct_sec_stak, st);
		ct_w_count(b, st->nr_frames, CT_RECORD_MAX_FRAMES);
		for (k = 0; k < st->nr_frames; k++) {
			if (st->frames[k] >= p->nr_frames)
				b->err = b->err ?: -EINVAL;
			ct_w_u32(b, st->frames[k]);
		}
	}
	ct_w_end(b, s);
}

/* A profile, section by section in the order the reader wants them (record.c g_profile()). */
static void w_profile(struct ct_wbuf *b, const struct ct_profile *p)
{
	w_prof(b, p);
	ct_table_put(b, &ct_sec_thrd, p->threads, p->nr_threads);
	ct_table_put(b, &ct_sec_proc, p->procs, p->nr_procs);
	ct_table_put(b, &ct_sec_futx, p->futexes, p->nr_futexes);
	ct_table_put(b, &ct_sec_wake, p->wakes, p->nr_wakes);
	ct_table_put(b, &ct_sec_sysc, p->syscalls, p->nr_syscalls);
	ct_record_put(b, &ct_sec_hist, p);
	ct_record_put(b, &ct_sec_drop, p);
	ct_table_put(b, &ct_sec_fram, p->frames, p->nr_frames);
	w_stacks(b, p);
	ct_table_put(b, &ct_sec_site, p->sites, p->nr_sites);
	ct_table_put(b, &ct_sec_lock, p->locks, p->nr_locks);
	ct_record_put(b, &ct_sec_stst, &p->st);
	ct_table_put(b, &ct_sec_slic, p->slices, p->nr_slices);
}

/* Compress the payload in @b behind the header into @f, and free @b. @return 0 or -errno */
static int w_file(FILE *f, enum ct_record_kind kind, struct ct_wbuf *b)
{
	unsigned char hdr[CT_RECORD_HEADER_LEN], out[65536];
	z_stream zs;
	int ret, err = b->err;

	if (err)
		goto out;
	// NOLINTNEXTLINE(bugprone-not-null-terminated-result): 8 raw header bytes, not a C string
	memcpy(hdr, CT_RECORD_MAGIC, CT_RECORD_MAGIC_LEN);
	ct_put32(hdr + 8, CT_RECORD_VERSION);
	ct_put16(hdr + 12, kind);
	ct_put16(hdr + 14, CT_RECORD_ZLIB);
	ct_put64(hdr + 16, b->len);
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
	struct ct_wbuf b = {};

	w_meta(&b);
	w_profile(&b, p);
	return w_file(f, CT_REC_PROFILE, &b);
}

int ct_record__write_lab(FILE *f, const struct ct_lab *lab)
{
	struct ct_wbuf b = {};
	int i, k;

	w_meta(&b);
	ct_record_put(&b, &ct_sec_lab, lab);
	for (i = 0; i < lab->nr_results && i < CT_LAB_MAX_WL; i++) {
		const struct ct_lab_result *r = &lab->results[i];

		/* what the reader would refuse (the field tables write any value) */
		if ((r->rec_model < CT_LAB_NONE || r->rec_model >= CT_LAB_NR_MODELS) && !b.err)
			b.err = -EINVAL;
		ct_record_put(&b, &ct_sec_rslt, r);
		for (k = 0; k < r->nr_cells && k < CT_LAB_MAX_MODELS; k++) {
			ct_record_put(&b, &ct_sec_cell, &r->cells[k]);
			w_profile(&b, &r->cells[k].prof);
		}
	}
	return w_file(f, CT_REC_LAB, &b);
}
