// SPDX-License-Identifier: GPL-2.0
/*
 * The recording's encoding (docs/recording-format.md): a read cursor that trusts nothing (every
 * read knows how many bytes remain, and the first failure sticks: later reads return zeros and
 * do nothing), the write buffer, and the rows of a section read and written from its one field
 * table (record_fields.c).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record_io.h"

__u16 ct_get16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

__u32 ct_get32(const unsigned char *p)
{
	return ct_get16(p) | (__u32)ct_get16(p + 2) << 16;
}

__u64 ct_get64(const unsigned char *p)
{
	return ct_get32(p) | (__u64)ct_get32(p + 4) << 32;
}

void ct_rd_fail(struct ct_rd *r, int err, const char *fmt, ...)
{
	char *m = r->msg;
	size_t len = r->msg_len, n = 0;
	va_list ap;

	if (*r->err)
		return;
	*r->err = err;
	if (r->sect[0])
		n += snprintf(m, len, "section %s: ", r->sect);
	if (r->item >= 0 && n < len)
		n += snprintf(m + n, len - n, "row %ld: ", r->item);
	if (n < len) {
		va_start(ap, fmt);
		vsnprintf(m + n, len - n, fmt, ap);
		va_end(ap);
	}
}

bool ct_rd_ok(const struct ct_rd *r)
{
	return !*r->err;
}

const unsigned char *ct_rd_take(struct ct_rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if (!ct_rd_ok(r))
		return NULL;
	if (n > r->left) {
		ct_rd_fail(r, -EINVAL, "truncated: %zu bytes needed, %zu left", n, r->left);
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

__u8 ct_rd_u8(struct ct_rd *r)
{
	const unsigned char *p = ct_rd_take(r, 1);

	return p ? *p : 0;
}

__u32 ct_rd_u32(struct ct_rd *r)
{
	const unsigned char *p = ct_rd_take(r, 4);

	return p ? ct_get32(p) : 0;
}

__u64 ct_rd_u64(struct ct_rd *r)
{
	const unsigned char *p = ct_rd_take(r, 8);

	return p ? ct_get64(p) : 0;
}

__s32 ct_rd_s32(struct ct_rd *r)
{
	return (__s32)ct_rd_u32(r);
}

/* A signed field that must lie in @lo..@hi. */
__s32 ct_rd_int(struct ct_rd *r, __s32 lo, __s32 hi, const char *what)
{
	__s32 v = ct_rd_s32(r);

	if (ct_rd_ok(r) && (v < lo || v > hi)) {
		ct_rd_fail(r, -EINVAL, "%s %d out of range (%d..%d)", what, v, lo, hi);
		return lo;
	}
	return v;
}

bool ct_rd_bool(struct ct_rd *r, const char *what)
{
	__u8 v = ct_rd_u8(r);

	if (v > 1)
		ct_rd_fail(r, -EINVAL, "%s is %u, not a boolean", what, v);
	return v == 1;
}

/* An enum value below @max. */
__u32 ct_rd_enum(struct ct_rd *r, __u32 max, const char *what)
{
	__u32 v = ct_rd_u32(r);

	if (ct_rd_ok(r) && v >= max) {
		ct_rd_fail(r, -EINVAL, "%s %u out of range (0..%u)", what, v, max - 1);
		return 0;
	}
	return v;
}

double ct_rd_dbl(struct ct_rd *r, const char *what)
{
	__u64 u = ct_rd_u64(r);
	double v;

	memcpy(&v, &u, sizeof(v));
	if (!isfinite(v)) {
		ct_rd_fail(r, -EINVAL, "%s is not a finite number", what);
		return 0;
	}
	return v;
}

/* Check a count @n of items, each at least @min bytes long (so they fit), at most @max. */
__u32 ct_rd_check_count(struct ct_rd *r, __u32 n, size_t min, __u32 max, const char *what)
{
	if (!ct_rd_ok(r))
		return 0;
	if (n > max) {
		ct_rd_fail(r, -E2BIG, "%u %s, over the limit of %u", n, what, max);
		return 0;
	}
	if (min && n > r->left / min) {
		ct_rd_fail(r, -EINVAL, "%u %s do not fit in the %zu bytes left", n, what, r->left);
		return 0;
	}
	return n;
}

__u32 ct_rd_count(struct ct_rd *r, size_t min, __u32 max, const char *what)
{
	return ct_rd_check_count(r, ct_rd_u32(r), min, max, what);
}

/* A fixed char[@n] field; it must hold a NUL. */
void ct_rd_fixed(struct ct_rd *r, char *dst, size_t n, const char *what)
{
	const unsigned char *p = ct_rd_take(r, n);

	if (!p)
		return;
	memcpy(dst, p, n);
	if (!memchr(dst, 0, n)) {
		ct_rd_fail(r, -EINVAL, "%s is not NUL-terminated", what);
		dst[n - 1] = 0;
	}
}

/*
 * A length-prefixed string of at most @max bytes without a NUL in it. @return it malloc'd,
 * or NULL for a NULL string (only when @nullable) or after a failure
 */
char *ct_rd_str(struct ct_rd *r, bool nullable, size_t max, const char *what)
{
	const unsigned char *p;
	__u32 n = ct_rd_u32(r);
	char *s;

	if (!ct_rd_ok(r))
		return NULL;
	if (n == CT_REC_NIL) {
		if (!nullable)
			ct_rd_fail(r, -EINVAL, "%s is missing", what);
		return NULL;
	}
	if (n > max) {
		ct_rd_fail(r, n > CT_RECORD_MAX_STR ? -E2BIG : -EINVAL, "%s of %u bytes, over the "
		     "limit of %zu", what, n, max);
		return NULL;
	}
	p = ct_rd_take(r, n);
	if (!p)
		return NULL;
	if (memchr(p, 0, n)) {
		ct_rd_fail(r, -EINVAL, "%s contains a NUL byte", what);
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		ct_rd_fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

/* A string into char[@size]. */
void ct_rd_str_into(struct ct_rd *r, char *dst, size_t size, const char *what)
{
	char *s = ct_rd_str(r, false, size - 1, what);

	if (s)
		memcpy(dst, s, strlen(s) + 1);
	free(s);
}

/* Enter the next section, which must be @tag, as the cursor @s. */
bool ct_rd_sect(struct ct_rd *r, const char *tag, struct ct_rd *s)
{
	const unsigned char *p = ct_rd_take(r, 8);
	__u32 len;
	int i;

	if (!p)
		return false;
	len = ct_get32(p + 4);
	if (memcmp(p, tag, 4)) {
		char seen[4 * 4 + 1];

		for (i = 0; i < 4; i++)
			snprintf(seen + i * 4, 5, p[i] >= 0x21 && p[i] < 0x7f ? "%c" : "\\x%02x",
				 p[i]);
		ct_rd_fail(r, -EINVAL, "section %s expected, found '%s'", tag, seen);
		return false;
	}
	*s = *r;
	memcpy(s->sect, tag, 4);
	s->sect[4] = 0;
	s->item = -1;
	if (len > r->left) {
		ct_rd_fail(s, -EINVAL, "%u bytes long, but only %zu left", len, r->left);
		return false;
	}
	s->left = len;
	ct_rd_take(r, len);
	return true;
}

/* Leave section @s, which must have been read exactly. */
void ct_rd_sect_end(struct ct_rd *s)
{
	s->item = -1;
	if (ct_rd_ok(s) && s->left)
		ct_rd_fail(s, -EINVAL, "%zu unexpected bytes at its end", s->left);
}


void ct_put16(unsigned char *p, __u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void ct_put32(unsigned char *p, __u32 v)
{
	ct_put16(p, v);
	ct_put16(p + 2, v >> 16);
}

void ct_put64(unsigned char *p, __u64 v)
{
	ct_put32(p, v);
	ct_put32(p + 4, v >> 32);
}

static unsigned char *w_room(struct ct_wbuf *b, size_t n)
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

void ct_w_u8(struct ct_wbuf *b, __u8 v)
{
	unsigned char *p = w_room(b, 1);

	if (p)
		*p = v;
}

void ct_w_u32(struct ct_wbuf *b, __u32 v)
{
	unsigned char *p = w_room(b, 4);

	if (p)
		ct_put32(p, v);
}

void ct_w_u64(struct ct_wbuf *b, __u64 v)
{
	unsigned char *p = w_room(b, 8);

	if (p)
		ct_put64(p, v);
}

void ct_w_s32(struct ct_wbuf *b, int v)
{
	ct_w_u32(b, (__u32)v);
}

void ct_w_dbl(struct ct_wbuf *b, double v)
{
	__u64 u;

	if (!isfinite(v) && !b->err)
		b->err = -EINVAL;	/* the reader refuses NaN and infinities */
	memcpy(&u, &v, sizeof(u));
	ct_w_u64(b, u);
}

/* A count of items that the reader bounds by @max. */
void ct_w_count(struct ct_wbuf *b, size_t n, size_t max)
{
	if (n > max && !b->err)
		b->err = -E2BIG;
	ct_w_u32(b, n);
}

void ct_w_str(struct ct_wbuf *b, const char *s)
{
	size_t n;
	unsigned char *p;

	if (!s) {
		ct_w_u32(b, CT_REC_NIL);
		return;
	}
	n = strlen(s);
	ct_w_count(b, n, CT_RECORD_MAX_STR);
	p = w_room(b, n);
	if (p)
		memcpy(p, s, n);
}

/* A fixed char[@n] field, always written with a NUL inside. */
void ct_w_fixed(struct ct_wbuf *b, const char *s, size_t n)
{
	unsigned char *p = w_room(b, n);
	size_t l = strnlen(s, n - 1);

	if (!p)
		return;
	memcpy(p, s, l);
	memset(p + l, 0, n - l);
}

/* Start a section: tag, then a length patched in by ct_w_end(). @return where the length is */
size_t ct_w_begin(struct ct_wbuf *b, const char *tag)
{
	unsigned char *p = w_room(b, 8);

	if (!p)
		return 0;
	memcpy(p, tag, 4);
	return b->len - 4;
}

void ct_w_end(struct ct_wbuf *b, size_t at)
{
	if (!b->err)
		ct_put32(b->p + at, b->len - at - 4);
}

/* The field @f of @row. */
#define AT(row, f, type) ((type *)((char *)(row) + (f)->off))

size_t ct_row_bytes(const struct ct_section *sec, bool *fixed)
{
	static const unsigned char width[] = {
		[CT_F_U32] = 4, [CT_F_S32] = 4, [CT_F_U64] = 8, [CT_F_BOOL] = 1, [CT_F_F64] = 8,
		[CT_F_NSTR] = 4, [CT_F_CONST] = 4, [CT_F_STR] = 4, [CT_F_COUNT] = 4,
		[CT_F_STRS] = 0,
	};
	const struct ct_field *f;
	size_t n = 0;

	*fixed = true;
	for (f = sec->fields; f < sec->fields + sec->nr_fields; f++) {
		if (f->type == CT_F_CHARS)
			n += f->n;
		else if (f->type == CT_F_U64S)
			n += 8 * f->n;
		else
			n += width[f->type];
		if (f->type == CT_F_NSTR || f->type == CT_F_STR || f->type == CT_F_STRS)
			*fixed = false;
	}
	return n;
}

void ct_row_get(struct ct_rd *s, const struct ct_section *sec, void *row)
{
	const struct ct_field *f;
	char tmp[256];
	double d;
	__u32 u, k;
	__s32 v;

	for (f = sec->fields; f < sec->fields + sec->nr_fields && ct_rd_ok(s); f++) {
		bool keep = f->off >= 0;

		switch (f->type) {
		case CT_F_U32:
			u = ct_rd_u32(s);
			if (ct_rd_ok(s) && (u < f->lo || u > f->hi))
				ct_rd_fail(s, -EINVAL, "%s %u out of range (%lld..%lld)", f->name, u,
					   f->lo, f->hi);
			else if (keep)
				*AT(row, f, __u32) = u;
			break;
		case CT_F_S32:
			v = ct_rd_int(s, f->lo, f->hi, f->name);
			if (keep)
				*AT(row, f, __s32) = v;
			break;
		case CT_F_U64:
			if (keep)
				*AT(row, f, __u64) = ct_rd_u64(s);
			else
				ct_rd_u64(s);
			break;
		case CT_F_BOOL:
			if (keep)
				*AT(row, f, bool) = ct_rd_bool(s, f->name);
			else
				ct_rd_bool(s, f->name);
			break;
		case CT_F_F64:
			d = ct_rd_dbl(s, f->name);
			if (keep)
				memcpy(AT(row, f, char), &d, sizeof(d));
			break;
		case CT_F_CHARS:
			ct_rd_fixed(s, keep ? AT(row, f, char) : tmp,
				    keep || f->n > sizeof(tmp) ? f->n : sizeof(tmp), f->name);
			break;
		case CT_F_NSTR:
			if (keep)
				*AT(row, f, char *) = ct_rd_str(s, true, CT_RECORD_MAX_STR, f->name);
			else
				free(ct_rd_str(s, true, CT_RECORD_MAX_STR, f->name));
			break;
		case CT_F_U64S:
			for (k = 0; k < f->n; k++)
				if (keep)
					AT(row, f, __u64)[k] = ct_rd_u64(s);
				else
					ct_rd_u64(s);
			break;
		case CT_F_CONST:
			u = ct_rd_u32(s);
			if (ct_rd_ok(s) && u != f->lo)
				ct_rd_fail(s, -EINVAL, "%u %s, this conctrace has %lld", u, f->name,
					   f->lo);
			break;
		case CT_F_STR:
			ct_rd_str_into(s, AT(row, f, char), f->n, f->name);
			break;
		case CT_F_COUNT:
			*AT(row, f, int) = ct_rd_count(s, f->lo, f->hi, f->name);
			break;
		case CT_F_STRS:
			u = *(int *)((char *)row + f->ref);
			for (k = 0; k < u && k < f->hi && ct_rd_ok(s); k++)
				ct_rd_str_into(s, AT(row, f, char) + k * f->n, f->n, f->name);
			break;
		}
	}
}

void ct_row_put(struct ct_wbuf *b, const struct ct_section *sec, const void *row)
{
	const struct ct_field *f;
	double d;
	__u32 k;
	int n;

	for (f = sec->fields; f < sec->fields + sec->nr_fields; f++) {
		if (f->type == CT_F_CONST) {
			ct_w_u32(b, f->lo);
			continue;
		}
		if (f->off < 0) {		/* format 1 only: never written */
			b->err = b->err ?: -EINVAL;
			return;
		}
		switch (f->type) {
		case CT_F_U32:
			ct_w_u32(b, *AT(row, f, const __u32));
			break;
		case CT_F_S32:
			ct_w_s32(b, *AT(row, f, const __s32));
			break;
		case CT_F_U64:
			ct_w_u64(b, *AT(row, f, const __u64));
			break;
		case CT_F_BOOL:
			ct_w_u8(b, *AT(row, f, const bool));
			break;
		case CT_F_F64:
			memcpy(&d, AT(row, f, const char), sizeof(d));
			ct_w_dbl(b, d);
			break;
		case CT_F_CHARS:
			ct_w_fixed(b, AT(row, f, const char), f->n);
			break;
		case CT_F_NSTR:
			ct_w_str(b, *AT(row, f, char *const));
			break;
		case CT_F_U64S:
			for (k = 0; k < f->n; k++)
				ct_w_u64(b, AT(row, f, const __u64)[k]);
			break;
		case CT_F_CONST:
			break;
		case CT_F_STR:
			ct_w_str(b, AT(row, f, const char));
			break;
		case CT_F_COUNT:
			ct_w_count(b, *AT(row, f, const int) < 0 ? (size_t)-1 :
				   (size_t)*AT(row, f, const int), f->hi);
			break;
		case CT_F_STRS:
			n = *(const int *)((const char *)row + f->ref);
			for (k = 0; (int)k < n && k < f->hi; k++)
				ct_w_str(b, AT(row, f, const char) + k * f->n);
			break;
		}
	}
}

void *ct_table_get(struct ct_rd *r, const struct ct_section *sec, const struct ct_profile *p,
		   size_t *nr)
{
	struct ct_rd s;
	bool fixed;
	size_t bytes = ct_row_bytes(sec, &fixed), i;
	unsigned char *t = NULL;
	__u32 n;

	*nr = 0;
	if (!ct_rd_sect(r, sec->tag, &s))
		return NULL;
	n = ct_rd_count(&s, bytes, CT_RECORD_MAX_ROWS, sec->rows);
	if (ct_rd_ok(&s) && n && fixed && (size_t)n * bytes != s.left)
		ct_rd_fail(&s, -EINVAL, "%u %s need %zu bytes, the section has %zu", n, sec->rows,
			   (size_t)n * bytes, s.left);
	if (ct_rd_ok(&s) && n && !(t = calloc(n, sec->size)))
		ct_rd_fail(&s, -ENOMEM, "out of memory");
	/* rows only if allocated: the loop never walks a NULL table */
	*nr = t ? n : 0;
	for (i = 0; i < *nr && ct_rd_ok(&s); i++) {
		s.item = i;
		ct_row_get(&s, sec, t + i * sec->size);
		if (sec->check && ct_rd_ok(&s))
			sec->check(&s, p, t + i * sec->size);
	}
	ct_rd_sect_end(&s);
	return t;
}

void ct_table_put(struct ct_wbuf *b, const struct ct_section *sec, const void *rows, size_t nr)
{
	size_t s = ct_w_begin(b, sec->tag), i;

	ct_w_count(b, nr, CT_RECORD_MAX_ROWS);
	for (i = 0; i < nr; i++)
		ct_row_put(b, sec, (const char *)rows + i * sec->size);
	ct_w_end(b, s);
}

void ct_record_get(struct ct_rd *r, const struct ct_section *sec, void *obj)
{
	struct ct_rd s;

	if (!ct_rd_sect(r, sec->tag, &s))
		return;
	ct_row_get(&s, sec, obj);
	if (sec->check && ct_rd_ok(&s))
		sec->check(&s, NULL, obj);
	ct_rd_sect_end(&s);
}

void ct_record_put(struct ct_wbuf *b, const struct ct_section *sec, const void *obj)
{
	size_t s = ct_w_begin(b, sec->tag);

	ct_row_put(b, sec, obj);
	ct_w_end(b, s);
}
