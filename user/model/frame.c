// SPDX-License-Identifier: GPL-2.0
/*
 * The profile's frame table: each distinct frame once, found again through an open-addressing
 * hash index, and the one function that prints a frame the way reports always have.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frame.h"

#define FNV_INIT 0xcbf29ce484222325ULL

static __u64 fnv(__u64 h, const void *data, size_t n)
{
	const unsigned char *c = data;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

/* A string part: NULL hashes apart from "" (a byte no string holds before its NUL). */
static __u64 fnv_str(__u64 h, const char *s)
{
	static const unsigned char nil = 0xff;

	return s ? fnv(h, s, strlen(s) + 1) : fnv(h, &nil, 1);
}

static __u64 frame_hash(const struct ct_frame_rec *f)
{
	__u64 h = fnv(FNV_INIT, &f->kind, sizeof(f->kind));

	h = fnv(h, &f->line, sizeof(f->line));
	h = fnv(h, &f->offset, sizeof(f->offset));
	h = fnv_str(h, f->module);
	h = fnv_str(h, f->symbol);
	return fnv_str(h, f->file);
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool frame_eq(const struct ct_frame_rec *a, const struct ct_frame_rec *b)
{
	return a->kind == b->kind && a->line == b->line && a->offset == b->offset &&
	       str_eq(a->module, b->module) && str_eq(a->symbol, b->symbol) &&
	       str_eq(a->file, b->file);
}

static void index_put(struct ct_frame_index *x, __u64 h, __u32 val)
{
	size_t k;

	for (k = h & (x->cap - 1); x->val[k]; k = (k + 1) & (x->cap - 1))
		;
	x->hash[k] = h;
	x->val[k] = val + 1;
	x->nr++;
}

/*
 * Make room for one more frame, and index every frame of the table first if the index does
 * not cover it (a table read from a recording, or built by hand). @return 0 or -ENOMEM
 */
static int index_ready(struct ct_profile *p)
{
	struct ct_frame_index *x = &p->frame_idx, n = {};
	size_t i;

	if (x->nr == p->nr_frames && (x->nr + 1) * 2 < x->cap)
		return 0;
	n.cap = 1024;
	while ((p->nr_frames + 1) * 2 >= n.cap)
		n.cap *= 2;
	n.hash = calloc(n.cap, sizeof(*n.hash));
	n.val = calloc(n.cap, sizeof(*n.val));
	if (!n.hash || !n.val) {
		free(n.hash);
		free(n.val);
		return -ENOMEM;
	}
	for (i = 0; i < p->nr_frames; i++)
		index_put(&n, frame_hash(&p->frames[i]), i);
	free(x->hash);
	free(x->val);
	*x = n;
	return 0;
}

static int dup_part(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? -ENOMEM : 0;
}

long ct_frame__intern(struct ct_profile *p, const struct ct_frame_rec *f)
{
	struct ct_frame_index *x = &p->frame_idx;
	struct ct_frame_rec *r, copy = { .kind = f->kind, .line = f->line, .offset = f->offset };
	__u64 h = frame_hash(f);
	size_t k;

	if (index_ready(p))
		return -ENOMEM;
	for (k = h & (x->cap - 1); x->val[k]; k = (k + 1) & (x->cap - 1))
		if (x->hash[k] == h && frame_eq(&p->frames[x->val[k] - 1], f))
			return x->val[k] - 1;
	if (dup_part(&copy.module, f->module) || dup_part(&copy.symbol, f->symbol) ||
	    dup_part(&copy.file, f->file) || !(r = CT_VEC_PUSH(p, frames))) {
		ct_frame__clear(&copy);
		return -ENOMEM;
	}
	*r = copy;
	index_put(x, h, p->nr_frames - 1);
	return p->nr_frames - 1;
}

const char *ct_frame__format(const struct ct_profile *p, __u32 idx, char *buf, size_t len)
{
	const struct ct_frame_rec *f = &p->frames[idx];
	unsigned long long off = f->offset;
	const char *sym = f->symbol, *mod = f->module ? f->module : "";

	switch (f->kind) {
	case CT_FRAME_NATIVE:
		if (sym)
			snprintf(buf, len, "%s (%s+0x%llx)", sym, mod, off);
		else
			snprintf(buf, len, "%s+0x%llx", mod, off);
		break;
	case CT_FRAME_KERNEL:
		if (sym)
			snprintf(buf, len, "%s [k]", sym);
		else
			snprintf(buf, len, "0x%llx [k]", off);
		break;
	case CT_FRAME_PYTHON:
		snprintf(buf, len, "%s (%s:%u)", sym ? sym : "?", f->file ? f->file : "?", f->line);
		break;
	case CT_FRAME_RAW:
		return sym ? sym : "";
	default:
		snprintf(buf, len, "[unknown] 0x%llx", off);
	}
	return buf;
}

void ct_frame__clear(struct ct_frame_rec *f)
{
	free(f->module);
	free(f->symbol);
	free(f->file);
	f->module = f->symbol = f->file = NULL;
}
