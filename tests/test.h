/* SPDX-License-Identifier: GPL-2.0 */
/* Unit-test framework after the kernel's BPF selftests: CT_TEST() registers, ASSERT_*() report. */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <limits.h>
#include <stdbool.h>

struct ct_test {
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	struct ct_test *next;
};

/* Add @t to the list tests/unit/run.c runs (in file, then line order). */
void ct_test_register(struct ct_test *t);

/*
 * Define and register test @tname; the body follows as a function body:
 *	CT_TEST(json_empty) { ASSERT_STREQ(...); }
 * A test fails if any assertion in it failed.
 */
#define CT_TEST(tname)								\
	static void ct_test_fn_##tname(void);					\
	static struct ct_test ct_test_##tname = {				\
		.name = #tname, .fn = ct_test_fn_##tname,			\
		.file = __FILE__, .line = __LINE__,				\
	};									\
	__attribute__((constructor)) static void ct_test_reg_##tname(void)	\
	{									\
		ct_test_register(&ct_test_##tname);				\
	}									\
	static void ct_test_fn_##tname(void)

/* The failure reporters behind the macros: each prints one FAIL line and counts it. */
bool ct_test_check(bool ok, const char *name, const char *actual, const char *expected,
		   const char *file, int line);
bool ct_test_check_int(bool a_signed, unsigned long long a, bool e_signed, unsigned long long e,
		       const char *name, const char *file, int line);
bool ct_test_check_err(long long res, const char *name, const char *file, int line);
bool ct_test_check_str(const char *a, const char *e, const char *name, const char *file, int line);
bool ct_test_check_near(double a, double e, double tol, const char *name, const char *file,
			int line);

#ifndef CT_ARRAY_SIZE
#define CT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Whether an integer expression's type is signed (the expression is not evaluated). */
#define CT_IS_SIGNED(x) _Generic((x), char: CHAR_MIN < 0, signed char: 1, short: 1, int: 1,	\
				 long: 1, long long: 1, default: 0)

/*
 * ct_test_check() for ASSERT_TRUE(), returning @ok itself: the static analyzer (make lint) sees
 * that `if (!ASSERT_TRUE(p, ...)) return;` leaves p non-NULL, which it cannot know through the
 * out-of-line reporter.
 */
static inline bool ct_test_true(bool ok, const char *name, const char *file, int line)
{
	ct_test_check(ok, name, "false", "true", file, line);
	return ok;
}

/* Each ASSERT_* evaluates its arguments once and returns true if it held. */
#define ASSERT_TRUE(cond, name) ct_test_true(!!(cond), (name), __FILE__, __LINE__)

/* Integers of any type, compared by value (-1 never equals ULLONG_MAX). */
#define ASSERT_EQ(actual, expected, name)						\
	ct_test_check_int(CT_IS_SIGNED(actual), (unsigned long long)(actual),		\
			  CT_IS_SIGNED(expected), (unsigned long long)(expected),	\
			  (name), __FILE__, __LINE__)

/* Strings (NULL allowed); shown quoted and escaped on failure. */
#define ASSERT_STREQ(actual, expected, name) \
	ct_test_check_str((actual), (expected), (name), __FILE__, __LINE__)

/* An int-returning call succeeded (== 0) or failed (< 0). */
#define ASSERT_OK(res, name) ASSERT_EQ((long long)(res), 0LL, name)
#define ASSERT_ERR(res, name) \
	ct_test_check_err((long long)(res), (name), __FILE__, __LINE__)

/* Doubles within @tol of each other (NaN never is). */
#define ASSERT_NEAR(a, b, tol, name) \
	ct_test_check_near((a), (b), (tol), (name), __FILE__, __LINE__)

#endif /* CT_TEST_H */
