// SPDX-License-Identifier: GPL-2.0
/*
 * The recording parser (docs/recording-format.md; the writer is record_write.c): one entry
 * point, ct_record__parse(), which trusts nothing in the file (its cursor is record_io.c's),
 * for format 2 and, where it differs, format 1 (record_v1.c). Fuzzed by tests/fuzz/fuzz_record.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#include "common/ct.h"
#include "record.h"
#include "record_io.h"

static void g_meta(struct ct_rd *r, struct ct_recording *out)
{
	ct_record_get(r, &ct_sec_meta, out);
}

/* PROF: the PIDs and the command, then the trace's scalars (ct_sec_prof). */
static void g_prof(struct ct_rd *r, struct ct_profile *p)
{
	struct ct_rd s;
	char **argv;
	__u32 n, i;

	if (!ct_rd_sect(r, "PROF", &s))
		return;
	p->nr_pids = ct_rd_count(&s, 4, CT_MAX_PIDS, "PIDs");
	for (i = 0; i < (__u32)p->nr_pids; i++)
		p->pids[i] = ct_rd_int(&s, 1, INT32_MAX, "PID");
	n = ct_rd_u32(&s);
	if (ct_rd_ok(&s) && n != CT_RECORD_NIL) {
		n = ct_rd_check_count(&s, n, 4, CT_RECORD_MAX_ARGS, "arguments");
		argv = ct_rd_ok(&s) ? calloc(n + 1, sizeof(*argv)) : NULL;
		p->argv = argv;
		if (!argv)
			ct_rd_fail(&s, -ENOMEM, "out of memory");	/* a no-op after a failure */
		for (i = 0; argv && i < n && ct_rd_ok(&s); i++)
			argv[i] = ct_rd_str(&s, false, CT_RECORD_MAX_STR, "argument");
	}
	ct_row_get(&s, &ct_sec_prof, p);
	ct_rd_sect_end(&s);
}

/* STAK (format 2): per stack its head (ct_sec_stak), then u32 n and n frame indices. */
static void g_stacks(struct ct_rd *r, struct ct_profile *p)
{
	bool fixed;
	size_t head = ct_row_bytes(&ct_sec_stak, &fixed), nr;
	struct ct_rd s;
	__u32 n, k;

	if (!ct_rd_sect(r, "STAK", &s))
		return;
	nr = ct_rd_count(&s, head + 4, CT_RECORD_MAX_ROWS, "stacks");
	/* rows only if allocated: the loop never walks a NULL table */
	p->stacks = nr ? calloc(nr, sizeof(*p->stacks)) : NULL;
	p->nr_stacks = p->stacks ? nr : 0;
	if (nr && !p->stacks)
		ct_rd_fail(&s, -ENOMEM, "out of memory");
	for (nr = 0; nr < p->nr_stacks && ct_rd_ok(&s); nr++) {
		struct ct_stack_rec *st = &p->stacks[nr];

		s.item = nr;
		ct_row_get(&s, &ct_sec_stak, st);
		n = ct_rd_count(&s, 4, CT_RECORD_MAX_FRAMES, "frames");
		st->frames = n ? calloc(n, sizeof(*st->frames)) : NULL;
		if (n && !st->frames)
			ct_rd_fail(&s, -ENOMEM, "out of memory");
		st->nr_frames = st->frames ? n : 0;
		for (k = 0; k < st->nr_frames && ct_rd_ok(&s); k++) {
			st->frames[k] = ct_rd_u32(&s);
			if (ct_rd_ok(&s) && st->frames[k] >= p->nr_frames)
				ct_rd_fail(&s, -EINVAL, "frame %u out of range (0..%zu)",
					   st->frames[k], p->nr_frames - 1);
		}
	}
	ct_rd_sect_end(&s);
}

/* A profile: the sections of docs/recording-format.md in order; format 1 where it differs. */
static void g_profile(struct ct_rd *r, struct ct_profile *p, __u32 version)
{
	g_prof(r, p);
	if (version == 1)
		ct_v1_threads(r, p);
	else
		p->threads = ct_table_get(r, &ct_sec_thrd, p, &p->nr_threads);
	p->procs = ct_table_get(r, &ct_sec_proc, p, &p->nr_procs);
	p->futexes = ct_table_get(r, &ct_sec_futx, p, &p->nr_futexes);
	p->wakes = ct_table_get(r, &ct_sec_wake, p, &p->nr_wakes);
	p->syscalls = ct_table_get(r, &ct_sec_sysc, p, &p->nr_syscalls);
	ct_record_get(r, &ct_sec_hist, p);
	ct_record_get(r, &ct_sec_drop, p);
	if (version == 1) {
		ct_v1_stacks(r, p);
	} else {
		p->frames = ct_table_get(r, &ct_sec_fram, p, &p->nr_frames);
		g_stacks(r, p);
	}
	p->sites = ct_table_get(r, &ct_sec_site, p, &p->nr_sites);
	p->locks = ct_table_get(r, &ct_sec_lock, p, &p->nr_locks);
	ct_record_get(r, &ct_sec_stst, &p->st);
	p->slices = ct_table_get(r, &ct_sec_slic, p, &p->nr_slices);
	if (version == 1)
		ct_v1_totals(r, p);
	else
		ct_profile__totals(p);	/* as ct_profile__finish() computed them */
	p->cap_threads = p->nr_threads;
	p->cap_procs = p->nr_procs;
	p->cap_futexes = p->nr_futexes;
	p->cap_wakes = p->nr_wakes;
	p->cap_syscalls = p->nr_syscalls;
	p->cap_frames = p->nr_frames;
	p->cap_stacks = p->nr_stacks;
	p->cap_sites = p->nr_sites;
	p->cap_locks = p->nr_locks;
	p->cap_slices = p->nr_slices;
}

static void g_cell(struct ct_rd *r, struct ct_lab_cell *c, __u32 version)
{
	ct_record_get(r, &ct_sec_cell, c);
	g_profile(r, &c->prof, version);
}

static void g_lab(struct ct_rd *r, struct ct_lab *lab, __u32 version)
{
	int n, i, m, k;

	ct_record_get(r, &ct_sec_lab, lab);
	n = lab->nr_results;		/* results as they are read, so a failure frees only those */
	lab->nr_results = 0;
	for (i = 0; i < n && ct_rd_ok(r); i++) {
		struct ct_lab_result *res = &lab->results[lab->nr_results++];

		ct_record_get(r, &ct_sec_rslt, res);
		m = res->nr_cells;
		res->nr_cells = 0;
		for (k = 0; k < m && ct_rd_ok(r); k++)
			g_cell(r, &res->cells[res->nr_cells++], version);
	}
}

/* Inflate @in into a new buffer of exactly @raw bytes, refusing any more. @return it or NULL */
static unsigned char *inflate_payload(struct ct_rd *r, const unsigned char *in, size_t in_len,
				      size_t raw)
{
	size_t cap = 0, limit = raw + 1;
	unsigned char *out = NULL, *n;
	z_stream zs;
	int ret;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		ct_rd_fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = in_len;		/* at most CT_RECORD_MAX_FILE */
	for (;;) {
		if (zs.total_out == cap) {
			/* grow by doubling, so a lying header costs no more than the data */
			if (cap == limit) {
				ct_rd_fail(r, -E2BIG, "decompresses to more than the %zu bytes its "
				     "header declares", raw);
				break;
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > limit)
				cap = limit;
			n = realloc(out, cap);
			if (!n) {
				ct_rd_fail(r, -ENOMEM, "out of memory");
				break;
			}
			out = n;
		}
		zs.next_out = out + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ret == Z_OK)
			continue;
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_MEM_ERROR)
			ct_rd_fail(r, -ENOMEM, "out of memory");
		else if (ret == Z_BUF_ERROR && !zs.avail_in)
			ct_rd_fail(r, -EINVAL, "truncated: the compressed data ends early");
		else
			ct_rd_fail(r, -EINVAL, "corrupt compressed data (%s)", zs.msg ? zs.msg : "zlib");
		break;
	}
	if (ct_rd_ok(r) && zs.avail_in)
		ct_rd_fail(r, -EINVAL, "%u bytes after the compressed data", zs.avail_in);
	else if (ct_rd_ok(r) && zs.total_out != raw)
		ct_rd_fail(r, -EINVAL, "decompresses to %lu bytes, its header declares %zu",
		     zs.total_out, raw);
	inflateEnd(&zs);
	if (!ct_rd_ok(r)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Free a profile that a parse filled (it owns its argv too). */
static void profile_free(struct ct_profile *p)
{
	char **a = (char **)p->argv;
	size_t i;

	for (i = 0; a && a[i]; i++)
		free(a[i]);
	free(a);
	p->argv = NULL;
	ct_profile__free(p);
}

void ct_recording__free(struct ct_recording *r)
{
	int i, k;

	if (!r)
		return;
	profile_free(&r->prof);
	if (r->lab) {
		for (i = 0; i < r->lab->nr_results; i++)
			for (k = 0; k < r->lab->results[i].nr_cells; k++)
				profile_free(&r->lab->results[i].cells[k].prof);
		ct_lab__free(r->lab);
		free(r->lab);
		r->lab = NULL;
	}
}

int ct_record__parse(const void *buf, size_t len, struct ct_recording *out)
{
	const unsigned char *b = buf, *payload;
	unsigned char *raw = NULL;
	int err = 0;
	struct ct_rd r = { .err = &err, .item = -1 };
	__u16 comp;
	__u64 size;
	char msg[sizeof(out->err)];

	memset(out, 0, sizeof(*out));
	r.msg = out->err;
	r.msg_len = sizeof(out->err);
	if (!len) {
		ct_rd_fail(&r, -EINVAL, "empty file");
		return err;
	}
	if (len > CT_RECORD_MAX_FILE) {
		ct_rd_fail(&r, -E2BIG, "%zu bytes, over the limit of %u", len, CT_RECORD_MAX_FILE);
		return err;
	}
	if (memcmp(b, CT_RECORD_MAGIC, len < CT_RECORD_MAGIC_LEN ? len : CT_RECORD_MAGIC_LEN)) {
		ct_rd_fail(&r, -EINVAL, "not a conctrace recording (bad magic)");
		return err;
	}
	if (len < CT_RECORD_HEADER_LEN) {
		ct_rd_fail(&r, -EINVAL, "truncated header (%zu of %d bytes)", len, CT_RECORD_HEADER_LEN);
		return err;
	}
	out->version = ct_get32(b + 8);
	out->kind = ct_get16(b + 12);
	comp = ct_get16(b + 14);
	size = ct_get64(b + 16);
	/* format 1 is still read, by its own decoder where it differs (record_v1.c) */
	if (out->version != CT_RECORD_VERSION && out->version != 1) {
		ct_rd_fail(&r, -EPROTONOSUPPORT, "recording format version %u, this conctrace reads "
			   "versions 1 to %d", out->version, CT_RECORD_VERSION);
		return err;
	}
	if (out->kind != CT_REC_PROFILE && out->kind != CT_REC_LAB)
		ct_rd_fail(&r, -EINVAL, "unknown recording kind %u", out->kind);
	else if (comp != CT_RECORD_STORED && comp != CT_RECORD_ZLIB)
		ct_rd_fail(&r, -EINVAL, "unknown compression %u", comp);
	else if (size > CT_RECORD_MAX_RAW)
		ct_rd_fail(&r, -E2BIG, "declares %llu bytes uncompressed, over the limit of %u",
		     (unsigned long long)size, CT_RECORD_MAX_RAW);
	else if (comp == CT_RECORD_STORED && size != len - CT_RECORD_HEADER_LEN)
		ct_rd_fail(&r, -EINVAL, "declares %llu bytes, holds %zu", (unsigned long long)size,
		     len - CT_RECORD_HEADER_LEN);
	if (!ct_rd_ok(&r))
		return err;
	payload = b + CT_RECORD_HEADER_LEN;
	if (comp == CT_RECORD_ZLIB) {
		raw = inflate_payload(&r, payload, len - CT_RECORD_HEADER_LEN, size);
		payload = raw;
	}
	r.p = payload;
	r.left = size;
	g_meta(&r, out);
	if (out->kind == CT_REC_PROFILE) {
		g_profile(&r, &out->prof, out->version);
	} else if (ct_rd_ok(&r)) {
		out->lab = calloc(1, sizeof(*out->lab));
		if (out->lab) {
			g_lab(&r, out->lab, out->version);
			/* the lab prints the machine it ran on, not the one rendering it */
			memcpy(out->lab->kernel, out->kernel, sizeof(out->lab->kernel));
			memcpy(out->lab->arch, out->arch, sizeof(out->lab->arch));
		}
		else
			ct_rd_fail(&r, -ENOMEM, "out of memory");
	}
	if (ct_rd_ok(&r) && r.left)
		ct_rd_fail(&r, -EINVAL, "%zu bytes after the last section", r.left);
	free(raw);
	if (err) {
		memcpy(msg, out->err, sizeof(msg));
		ct_recording__free(out);
		memcpy(out->err, msg, sizeof(msg));
		return err;
	}
	return 0;
}

int ct_record__read(const char *path, struct ct_recording *out)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, err;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		snprintf(out->err, sizeof(out->err), "%s", strerror(-err));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		snprintf(out->err, sizeof(out->err), "%s", strerror(-err));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		snprintf(out->err, sizeof(out->err), "%s", S_ISDIR(st.st_mode) ?
			 "is a directory" : "not a regular file");
		goto out;
	}
	if (st.st_size > CT_RECORD_MAX_FILE) {
		err = -E2BIG;
		snprintf(out->err, sizeof(out->err), "%lld bytes, over the limit of %u",
			 (long long)st.st_size, CT_RECORD_MAX_FILE);
		goto out;
	}
	/* one byte more than the size, to see a file that grew since */
	buf = malloc(st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		snprintf(out->err, sizeof(out->err), "out of memory");
		goto out;
	}
	while (len < (size_t)st.st_size + 1) {
		n = read(fd, buf + len, st.st_size + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			snprintf(out->err, sizeof(out->err), "read: %s", strerror(-err));
			goto out;
		}
		if (!n)
			break;
		len += n;
	}
	if (len > (size_t)st.st_size) {
		err = -EAGAIN;
		snprintf(out->err, sizeof(out->err), "the file changed while it was read");
		goto out;
	}
	err = ct_record__parse(buf, len, out);
out:
	free(buf);
	close(fd);
	return err;
}
