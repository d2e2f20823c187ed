// SPDX-License-Identifier: GPL-2.0
/* Streaming JSON writer: separators, escaping and pretty-printing for every document we emit. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include "json.h"

struct ct_json {
	FILE *f;
	unsigned int depth;
	bool pretty;
	bool sep;		/* this level has a value already: the next one needs a separator */
	bool after_key;		/* a key was written: its value follows it directly */
	bool wrote;		/* anything at all was written (ct_json__free() ends the line) */
};

struct ct_json *ct_json__new(FILE *f, bool pretty)
{
	struct ct_json *j;

	if (!f) {
		errno = EINVAL;
		return NULL;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->f = f;
	j->pretty = pretty;
	return j;
}

void ct_json__free(struct ct_json *j)
{
	if (!j)
		return;
	if (j->wrote)
		putc('\n', j->f);
	free(j);
}

static void indent(struct ct_json *j)
{
	unsigned int i;

	putc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/*
 * Called before every key and value. bpftool's scheme: one "separator needed" flag, set by each
 * value and cleared by each open bracket or key, so no per-level stack is needed.
 */
static void begin_item(struct ct_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->sep && !j->depth) {
		putc('\n', j->f);	/* top-level values one per line */
	} else {
		if (j->sep)
			putc(',', j->f);
		if (j->pretty && j->depth)
			indent(j);
	}
	j->sep = true;
	j->wrote = true;
}

static void open_container(struct ct_json *j, char c)
{
	begin_item(j);
	putc(c, j->f);
	j->depth++;
	j->sep = false;
}

static void close_container(struct ct_json *j, char c)
{
	if (j->after_key)
		ct_json_null(j);	/* a key left without value: keep the document valid */
	if (!j->depth)
		return;
	j->depth--;
	if (j->sep && j->pretty)
		indent(j);
	putc(c, j->f);
	j->sep = true;
}

void ct_json_start_object(struct ct_json *j)
{
	open_container(j, '{');
}

void ct_json_end_object(struct ct_json *j)
{
	close_container(j, '}');
}

void ct_json_start_array(struct ct_json *j)
{
	open_container(j, '[');
}

void ct_json_end_array(struct ct_json *j)
{
	close_container(j, ']');
}

/* The letter of a two-character escape for @c, or 0. */
static char short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return '"';
	case '\\':
		return '\\';
	case '\b':
		return 'b';
	case '\f':
		return 'f';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	}
	return 0;
}

/*
 * Length of the well-formed UTF-8 sequence starting at @s, or 0 (RFC 3629 table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF). Stops at the first bad byte, so never reads past
 * a terminating NUL.
 */
static int utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

static void put_string(FILE *f, const char *str)
{
	const unsigned char *s;
	int n;
	char e;

	putc('"', f);
	for (s = (const unsigned char *)str; *s; s += n) {
		n = *s >= 0x80 ? utf8_len(s) : 1;
		e = short_escape(*s);
		if (e) {
			putc('\\', f);
			putc(e, f);
		} else if (n > 1 || (*s >= 0x20 && *s < 0x7f)) {
			fwrite(s, 1, n, f);
		} else {
			fprintf(f, "\\u%04x", *s);	/* control, DEL, or a stray byte >= 0x80 */
			n = 1;
		}
	}
	putc('"', f);
}

void ct_json_key(struct ct_json *j, const char *key)
{
	begin_item(j);
	put_string(j->f, key ? key : "");
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void ct_json_string(struct ct_json *j, const char *s)
{
	if (!s) {
		ct_json_null(j);
		return;
	}
	begin_item(j);
	put_string(j->f, s);
}

void ct_json_int(struct ct_json *j, long long v)
{
	begin_item(j);
	fprintf(j->f, "%lld", v);
}

void ct_json_uint(struct ct_json *j, unsigned long long v)
{
	begin_item(j);
	fprintf(j->f, "%llu", v);
}

void ct_json_double(struct ct_json *j, double v)
{
	char buf[40], out[40];
	char *p, *o = out;

	if (!isfinite(v)) {
		ct_json_null(j);
		return;
	}
	snprintf(buf, sizeof(buf), "%.9g", v);
	/* %g writes the locale's decimal point (',' or even several bytes): make it '.'. */
	for (p = buf; *p; p++) {
		if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e')
			*o++ = *p;
		else if (o == out || o[-1] != '.')
			*o++ = '.';
	}
	*o = 0;
	begin_item(j);
	fputs(out, j->f);
}

void ct_json_bool(struct ct_json *j, bool v)
{
	begin_item(j);
	fputs(v ? "true" : "false", j->f);
}

void ct_json_null(struct ct_json *j)
{
	begin_item(j);
	fputs("null", j->f);
}

void ct_json_kv_string(struct ct_json *j, const char *key, const char *s)
{
	ct_json_key(j, key);
	ct_json_string(j, s);
}

void ct_json_kv_int(struct ct_json *j, const char *key, long long v)
{
	ct_json_key(j, key);
	ct_json_int(j, v);
}

void ct_json_kv_uint(struct ct_json *j, const char *key, unsigned long long v)
{
	ct_json_key(j, key);
	ct_json_uint(j, v);
}

void ct_json_kv_double(struct ct_json *j, const char *key, double v)
{
	ct_json_key(j, key);
	ct_json_double(j, v);
}

void ct_json_kv_bool(struct ct_json *j, const char *key, bool v)
{
	ct_json_key(j, key);
	ct_json_bool(j, v);
}
