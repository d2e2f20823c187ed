// SPDX-License-Identifier: GPL-2.0
/* Unit-test runner: runs every registered CT_TEST (or those matching argv[1]) and sums up. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../test.h"

static struct ct_test *tests;
static int nr_tests;
static int failed_asserts;	/* in the test running now */

void ct_test_register(struct ct_test *t)
{
	t->next = tests;
	tests = t;
	nr_tests++;
}

bool ct_test_check(bool ok, const char *name, const char *actual, const char *expected,
		   const char *file, int line)
{
	if (ok)
		return true;
	failed_asserts++;
	printf("FAIL %s: actual %s expected %s (%s:%d)\n", name, actual, expected, file, line);
	return false;
}

bool ct_test_check_int(bool a_signed, unsigned long long a, bool e_signed, unsigned long long e,
		       const char *name, const char *file, int line)
{
	bool a_neg = a_signed && (long long)a < 0, e_neg = e_signed && (long long)e < 0;
	char abuf[24], ebuf[24];

	snprintf(abuf, sizeof(abuf), a_neg ? "%lld" : "%llu", a);
	snprintf(ebuf, sizeof(ebuf), e_neg ? "%lld" : "%llu", e);
	return ct_test_check(a == e && a_neg == e_neg, name, abuf, ebuf, file, line);
}

bool ct_test_check_err(long long res, const char *name, const char *file, int line)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", res);
	return ct_test_check(res < 0, name, buf, "< 0", file, line);
}

/* @s as a C string literal (malloc'd), or "NULL". */
static char *quote(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *q, *o;

	if (!s)
		return strdup("NULL");
	q = o = malloc(4 * strlen(s) + 3);
	if (!q)
		return NULL;
	*o++ = '"';
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			o += sprintf(o, "\\%c", *p);
		else if (*p == '\n')
			o += sprintf(o, "\\n");
		else if (*p < 0x20 || *p >= 0x7f)
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = *p;
	}
	strcpy(o, "\"");
	return q;
}

bool ct_test_check_str(const char *a, const char *e, const char *name, const char *file, int line)
{
	char *qa, *qe;
	bool ok;

	if (a && e ? !strcmp(a, e) : a == e)
		return true;
	qa = quote(a);
	qe = quote(e);
	ok = ct_test_check(false, name, qa ? qa : "?", qe ? qe : "?", file, line);
	free(qa);
	free(qe);
	return ok;
}

bool ct_test_check_near(double a, double e, double tol, const char *name, const char *file,
			int line)
{
	char abuf[32], ebuf[64];

	snprintf(abuf, sizeof(abuf), "%.17g", a);
	snprintf(ebuf, sizeof(ebuf), "%.17g +- %g", e, tol);
	return ct_test_check(a - e <= tol && e - a <= tol, name, abuf, ebuf, file, line);
}

static int by_place(const void *a, const void *b)
{
	const struct ct_test *x = *(struct ct_test *const *)a, *y = *(struct ct_test *const *)b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0, i = 0;
	struct ct_test **order, *t;

	if (argc > 2 || (filter && filter[0] == '-')) {
		fprintf(stderr, "usage: %s [NAME-SUBSTRING]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* a crashing test leaves the lines before it */
	signal(SIGPIPE, SIG_IGN);		/* writing to a dead child is EPIPE, not death */
	order = calloc(nr_tests + 1, sizeof(*order));	// NOLINT(bugprone-sizeof-expression)
	if (!order) {
		perror("run");
		return 1;
	}
	for (t = tests; t; t = t->next)
		order[i++] = t;
	qsort(order, nr_tests, sizeof(*order), by_place);	// NOLINT(bugprone-sizeof-expression)
	for (i = 0; i < nr_tests; i++) {
		t = order[i];
		if (filter && !strstr(t->name, filter))
			continue;
		failed_asserts = 0;
		t->fn();
		printf("%s %s\n", failed_asserts ? "FAIL" : "ok ", t->name);
		if (failed_asserts)
			failed++;
		else
			passed++;
	}
	free(order);
	if (filter && !passed && !failed)
		fprintf(stderr, "run: no test name contains '%s'\n", filter);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
