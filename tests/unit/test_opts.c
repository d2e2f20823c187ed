// SPDX-License-Identifier: GPL-2.0
/* user/common/opts.c: each parser on valid input, edge values, garbage, overflow; outputs left alone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "common/opts.h"
#include "../test.h"

#define UNTOUCHED 0x5a5a5a5a

/* One integer-parser case: @s, the expected result, and the value on success. */
struct int_case {
	const char *s;
	int err;
	unsigned long long val;
};

#define OK(str, v)	{ str, 0, v }
#define BAD(str, e)	{ str, e, 0 }

/*
 * Check @fn (a parser adapted to one signature, *@v keeping UNTOUCHED unless it writes it) on
 * each case: the error code, then the value or that the output was not written.
 */
static void run_cases(const char *what, int (*fn)(const char *s, unsigned long long *v),
		      const struct int_case *c, size_t n)
{
	unsigned long long v;
	char name[128];
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s '%s'", what, c[i].s ? c[i].s : "(null)");
		err = fn(c[i].s, &v);
		if (ASSERT_EQ(err, c[i].err, name))
			ASSERT_EQ(v, c[i].err ? UNTOUCHED : c[i].val, name);
	}
}

/* Garbage that no number parser may accept. */
static const struct int_case not_numbers[] = {
	BAD(NULL, -EINVAL), BAD("", -EINVAL), BAD(" 5", -EINVAL), BAD("5 ", -EINVAL),
	BAD("\t5", -EINVAL), BAD("5\n", -EINVAL), BAD("12abc", -EINVAL), BAD("abc", -EINVAL),
	BAD("1e400", -EINVAL), BAD("1e3", -EINVAL), BAD("nan", -EINVAL), BAD("inf", -EINVAL),
	BAD("0x10", -EINVAL), BAD("1.0", -EINVAL), BAD("1,000", -EINVAL), BAD("-", -EINVAL),
	BAD("+", -EINVAL), BAD("--1", -EINVAL), BAD("+-1", -EINVAL), BAD("1-", -EINVAL),
	BAD("5 5", -EINVAL), BAD("99999999999999999999999x", -EINVAL),
};

static int parse_pid(const char *s, unsigned long long *v)
{
	int pid = UNTOUCHED, err = ct_parse_pid(s, &pid);

	*v = pid;
	return err;
}

CT_TEST(opts_pid)
{
	static const struct int_case cases[] = {
		OK("1", 1), OK("4194304", 4194304), OK("+7", 7), OK("007", 7),
		BAD("0", -ERANGE), BAD("-1", -ERANGE), BAD("-0", -ERANGE), BAD("4194305", -ERANGE),
		BAD("2147483648", -ERANGE), BAD("18446744073709551616", -ERANGE),
		BAD("99999999999999999999999999999", -ERANGE),
	};

	run_cases("pid", parse_pid, cases, CT_ARRAY_SIZE(cases));
	run_cases("pid", parse_pid, not_numbers, CT_ARRAY_SIZE(not_numbers));
}

CT_TEST(opts_pid_list)
{
	static const struct {
		const char *s;
		int max, err, n, pids[3];
	} cases[] = {
		{ "1,2,3", 3, 0, 3, { 1, 2, 3 } },
		{ "42", 3, 0, 1, { 42 } },
		{ "5,5", 3, 0, 2, { 5, 5 } },
		{ "4194304,1", 2, 0, 2, { 4194304, 1 } },
		{ "1,2,3", 2, -E2BIG, 0, { 0 } }, { "1", 0, -E2BIG, 0, { 0 } },
		{ "", 3, -EINVAL, 0, { 0 } }, { ",1", 3, -EINVAL, 0, { 0 } },
		{ "1,", 3, -EINVAL, 0, { 0 } }, { "1,,2", 3, -EINVAL, 0, { 0 } },
		{ "1, 2", 3, -EINVAL, 0, { 0 } }, { "1,x", 3, -EINVAL, 0, { 0 } },
		{ "1;2", 3, -EINVAL, 0, { 0 } }, { "1,0", 3, -ERANGE, 0, { 0 } },
		{ "1,-2", 3, -ERANGE, 0, { 0 } }, { "4194305", 3, -ERANGE, 0, { 0 } },
	};
	int pids[3], n, err, k;
	char name[64];
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		snprintf(name, sizeof(name), "pid list '%s' max %d", cases[i].s, cases[i].max);
		n = UNTOUCHED;
		err = ct_parse_pid_list(cases[i].s, pids, cases[i].max, &n);
		if (!ASSERT_EQ(err, cases[i].err, name))
			continue;
		ASSERT_EQ(n, err ? UNTOUCHED : cases[i].n, name);
		for (k = 0; !err && k < n; k++)
			ASSERT_EQ(pids[k], cases[i].pids[k], name);
	}
	ASSERT_EQ(ct_parse_pid_list(NULL, pids, 3, &n), -EINVAL, "pid list NULL");
}

CT_TEST(opts_seconds)
{
	static const struct {
		const char *s;
		double secs;
	} good[] = {
		{ "1.5", 1.5 }, { "500ms", 0.5 }, { "2m", 120 }, { "1s", 1 }, { "3", 3 },
		{ ".5", 0.5 }, { "1.", 1 }, { "0.001", 0.001 }, { "1.5ms", 0.0015 },
		{ "0.1", 0.1 }, { "86400", 86400 }, { "0000.25s", 0.25 },
		{ "12345678901234567890123", 1.2345678901234568e22 },
		{ "0.0000000000000000000000000000001", 1e-31 },
	};
	static const char *const bad[] = {
		"0", "0.0", "0ms", "0m", "-1", "-0.5", "+1", "nan", "inf", "-inf", "1e400", "1e3",
		"", " 1", "1 ", ".", ".s", "1.5.2", "1h", "ms", "5mss", "5S", "5 ms", "1,5", "0x10",
		"5us",
	};
	char big[420], name[64];
	double secs;
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(good); i++) {
		snprintf(name, sizeof(name), "seconds '%s'", good[i].s);
		secs = -7;
		if (ASSERT_OK(ct_parse_seconds(good[i].s, &secs), name))
			ASSERT_NEAR(secs, good[i].secs, good[i].secs * 1e-15, name);
	}
	for (i = 0; i < CT_ARRAY_SIZE(bad); i++) {
		snprintf(name, sizeof(name), "seconds '%s'", bad[i]);
		secs = -7;
		ASSERT_EQ(ct_parse_seconds(bad[i], &secs), -EINVAL, name);
		ASSERT_NEAR(secs, -7, 0, name);
	}
	/* 1 followed by 400 zeros overflows to inf */
	memset(big, '0', sizeof(big) - 1);
	big[0] = '1';
	big[sizeof(big) - 1] = 0;
	ASSERT_EQ(ct_parse_seconds(big, &secs), -EINVAL, "1e400 in digits");
	ASSERT_EQ(ct_parse_seconds(NULL, &secs), -EINVAL, "seconds NULL");
}

/* ct_parse_ulong() over the range the cases below are written for. */
static unsigned long range_min, range_max;

static int parse_ulong(const char *s, unsigned long long *v)
{
	unsigned long u = UNTOUCHED;
	int err = ct_parse_ulong(s, range_min, range_max, &u);

	*v = u;
	return err;
}

CT_TEST(opts_ulong)
{
	static const struct int_case zero_ten[] = {
		OK("0", 0), OK("10", 10), OK("-0", 0), OK("+3", 3), OK("0010", 10),
		BAD("11", -ERANGE), BAD("-1", -ERANGE), BAD("-5", -ERANGE),
	}, six_ten[] = {
		OK("6", 6), BAD("5", -ERANGE), BAD("0", -ERANGE), BAD("-0", -ERANGE),
	}, full[] = {
		OK("18446744073709551615", 18446744073709551615ULL), OK("0", 0),
		BAD("18446744073709551616", -ERANGE), BAD("-1", -ERANGE),
		BAD("-18446744073709551615", -ERANGE),
	}, reversed[] = {
		BAD("5", -EINVAL),
	};

	range_min = 0;
	range_max = 10;
	run_cases("ulong 0..10", parse_ulong, zero_ten, CT_ARRAY_SIZE(zero_ten));
	range_min = 6;
	run_cases("ulong 6..10", parse_ulong, six_ten, CT_ARRAY_SIZE(six_ten));
	range_min = 0;
	range_max = -1UL;
	run_cases("ulong 0..max", parse_ulong, full, CT_ARRAY_SIZE(full));
	run_cases("ulong 0..max", parse_ulong, not_numbers, CT_ARRAY_SIZE(not_numbers));
	range_min = 10;
	range_max = 1;
	run_cases("ulong 10..1", parse_ulong, reversed, CT_ARRAY_SIZE(reversed));
}

static const char *const formats[] = { "text", "json", "md", NULL };

static int parse_enum(const char *s, unsigned long long *v)
{
	int idx = UNTOUCHED, err = ct_parse_enum(s, formats, &idx);

	*v = idx;
	return err;
}

static int parse_list(const char *s, unsigned long long *v)
{
	unsigned long mask = UNTOUCHED;
	int err = ct_parse_list(s, formats, &mask);

	*v = mask;
	return err;
}

CT_TEST(opts_enum)
{
	static const struct int_case cases[] = {
		OK("text", 0), OK("json", 1), OK("md", 2),
		BAD("JSON", -EINVAL), BAD("jso", -EINVAL), BAD("jsonx", -EINVAL), BAD("", -EINVAL),
		BAD(" md", -EINVAL), BAD("md ", -EINVAL), BAD("text,json", -EINVAL),
		BAD(NULL, -EINVAL),
	};
	int idx;

	run_cases("enum", parse_enum, cases, CT_ARRAY_SIZE(cases));
	ASSERT_EQ(ct_parse_enum("md", NULL, &idx), -EINVAL, "enum NULL names");
	ASSERT_EQ(ct_parse_enum("", (const char *const[]){ "x", "", NULL }, &idx), -EINVAL,
		  "enum '' never matches");
}

CT_TEST(opts_list)
{
	static const struct int_case cases[] = {
		OK("text", 1), OK("text,md", 5), OK("md,text,text", 5), OK("all", 7),
		OK("all,json", 7), OK("json", 2),
		BAD("", -EINVAL), BAD("text,", -EINVAL), BAD(",text", -EINVAL),
		BAD("text,,md", -EINVAL), BAD("x", -EINVAL), BAD("Text", -EINVAL),
		BAD("md ", -EINVAL), BAD("al", -EINVAL), BAD("text;md", -EINVAL),
		BAD(NULL, -EINVAL),
	};
	const char *many[66];
	unsigned long mask;
	size_t i;

	run_cases("list", parse_list, cases, CT_ARRAY_SIZE(cases));

	/* 65 names: the 64th fits in an unsigned long, the 65th and "all" do not. */
	for (i = 0; i < 65; i++)
		many[i] = i == 63 ? "n63" : i == 64 ? "n64" : "other";
	many[65] = NULL;
	mask = 0;
	ASSERT_EQ(ct_parse_list("n63", many, &mask), 0, "list bit 63");
	ASSERT_EQ(mask, 1UL << 63, "list bit 63 mask");
	ASSERT_EQ(ct_parse_list("n64", many, &mask), -E2BIG, "list bit 64");
	ASSERT_EQ(ct_parse_list("all", many, &mask), -E2BIG, "list all of 65");
	many[64] = NULL;
	ASSERT_EQ(ct_parse_list("all", many, &mask), 0, "list all of 64");
	ASSERT_EQ(mask, ~0UL, "list all of 64 mask");
	ASSERT_EQ(ct_parse_list("md", NULL, &mask), -EINVAL, "list NULL names");
}
