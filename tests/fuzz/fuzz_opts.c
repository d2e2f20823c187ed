// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the option parsers (user/common/opts.h), checked against oracles written
 * independently of them (strtoull/strtod on strings a simple scanner accepts). Input: one
 * selector byte (which parser, which range), then the option's text.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "fuzz_opts: %s:%d: %s fails for \"%s\"\n", __FILE__, \
				__LINE__, #cond, s); \
			abort(); \
		} \
	} while (0)

#define MAX_PIDS 8

static const char *const names[] = { "text", "json", "md", "cpu", "io-fast", "a", NULL };

static const struct {
	unsigned long min, max;
} ranges[] = {
	{ 1, 100 }, { 0, ULONG_MAX }, { 1, 4096 }, { 5, 5 }, { 10, 1 }, { 0, 0 },
};

/* Oracle: @s[0..@len) is [+-]digits; its value in *@v (false on overflow too). */
static bool oracle_int(const char *s, size_t len, unsigned long long *v, bool *neg)
{
	char buf[64];
	size_t i = 0;
	char *end;

	if (len && (s[0] == '+' || s[0] == '-'))
		i++;
	if (i == len || len >= sizeof(buf))
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(buf, s, len);
	buf[len] = 0;
	*neg = buf[0] == '-';
	errno = 0;
	*v = strtoull(buf + (buf[0] == '+' || buf[0] == '-'), &end, 10);
	return errno == 0 && *end == 0;
}

/* Oracle for a number in [@min, @max]: should it parse, and to what. */
static bool oracle_range(const char *s, size_t len, unsigned long long min,
			 unsigned long long max, unsigned long long *v)
{
	bool neg;

	if (!oracle_int(s, len, v, &neg))
		return false;
	if (neg && *v)
		return false;
	return min <= max && *v >= min && *v <= max;
}

static void check_pid(const char *s)
{
	unsigned long long v;
	int pid = 0, err = ct_parse_pid(s, &pid);
	bool want = oracle_range(s, strlen(s), 1, CT_PID_MAX, &v);

	CHECK(err == 0 || err == -EINVAL || err == -ERANGE);
	if (strlen(s) < 40)		/* the oracle's buffer; longer digit strings overflow */
		CHECK(!err == want);
	if (!err)
		CHECK(pid >= 1 && pid <= CT_PID_MAX && (!want || (unsigned long long)pid == v));
}

static void check_pid_list(const char *s)
{
	int pids[MAX_PIDS], n = -1, cnt = 0, err = ct_parse_pid_list(s, pids, MAX_PIDS, &n);
	unsigned long long v[MAX_PIDS];
	bool want = strlen(s) < 512;
	const char *p = s, *comma;
	size_t len;

	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (cnt >= MAX_PIDS || len >= 40 || !oracle_range(p, len, 1, CT_PID_MAX, &v[cnt]))
			want = false;
		else
			cnt++;
		if (!comma || !want)
			break;
		p = comma + 1;
	}
	CHECK(err == 0 || err == -EINVAL || err == -ERANGE || err == -E2BIG);
	if (want)
		CHECK(!err);
	if (!err) {
		CHECK(n >= 1 && n <= MAX_PIDS);
		for (cnt = 0; cnt < n; cnt++)
			CHECK(pids[cnt] >= 1 && pids[cnt] <= CT_PID_MAX);
		if (want)
			for (cnt = 0; cnt < n; cnt++)
				CHECK((unsigned long long)pids[cnt] == v[cnt]);
	}
}

static void check_seconds(const char *s)
{
	size_t digits = strspn(s, "0123456789."), i, dots = 0, nd = 0;
	const char *unit = s + digits;
	double secs = -1, want;
	char *num, *end;
	int err = ct_parse_seconds(s, &secs);

	CHECK(err == 0 || err == -EINVAL);
	if (!err)
		CHECK(secs > 0 && isfinite(secs));
	for (i = 0; i < digits; i++) {
		dots += s[i] == '.';
		nd += s[i] != '.';
	}
	if (dots > 1 || !nd || (*unit && strcmp(unit, "s") && strcmp(unit, "ms") &&
				strcmp(unit, "m"))) {
		CHECK(err);		/* not the grammar: must be refused */
		return;
	}
	num = strndup(s, digits);
	if (!num)
		return;
	want = strtod(num, &end);
	free(num);
	want *= !strcmp(unit, "m") ? 60 : !strcmp(unit, "ms") ? 0.001 : 1;
	if (want < 1e-290 || want > 1e290)
		return;			/* at the ends of double's range either answer will do */
	CHECK(!err);
	CHECK(fabs(secs - want) <= 1e-12 * want);
}

static void check_ulong(const char *s, int r)
{
	unsigned long long v;
	unsigned long out = 0;
	int err = ct_parse_ulong(s, ranges[r].min, ranges[r].max, &out);
	bool want = oracle_range(s, strlen(s), ranges[r].min, ranges[r].max, &v);

	CHECK(err == 0 || err == -EINVAL || err == -ERANGE);
	if (strlen(s) < 40)
		CHECK(!err == want);
	if (!err)
		CHECK(out >= ranges[r].min && out <= ranges[r].max && (!want || out == v));
}

static void check_enum(const char *s)
{
	int idx = -1, i, err = ct_parse_enum(s, names, &idx), want = -1;

	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			want = i;
	CHECK(want < 0 ? err == -EINVAL : !err && idx == want);
}

static void check_list(const char *s)
{
	unsigned long mask = 0, m = 0;
	const char *p = s, *comma;
	bool ok = true;
	size_t len;
	int i, err = ct_parse_list(s, names, &mask);

	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 3 && !strncmp(p, "all", 3)) {
			m |= (1ul << 6) - 1;
		} else {
			for (i = 0; names[i]; i++)
				if (strlen(names[i]) == len && !strncmp(p, names[i], len))
					break;
			if (names[i])
				m |= 1ul << i;
			else
				ok = false;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	CHECK(ok ? !err && mask == m : err == -EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	int sel;

	if (size < 1)
		return 0;
	sel = data[0];
	s = strndup((const char *)data + 1, size - 1);	/* options are C strings */
	if (!s)
		return 0;
	switch (sel % 6) {
	case 0:
		check_pid(s);
		break;
	case 1:
		check_pid_list(s);
		break;
	case 2:
		check_seconds(s);
		break;
	case 3:
		check_ulong(s, sel / 6 % (int)(sizeof(ranges) / sizeof(ranges[0])));
		break;
	case 4:
		check_enum(s);
		break;
	default:
		check_list(s);
		break;
	}
	free(s);
	return 0;
}
