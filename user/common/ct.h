/* SPDX-License-Identifier: GPL-2.0 */
/* User-wide declarations: logging, exit codes, small helpers. */
#ifndef CT_H
#define CT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#pragma GCC poison u8 u16 u32 u64 s8 s16 s32 s64

#define CT_NS		1e9	/* nanoseconds in a second */

/* Exit codes (see README): 0 success, then these. */
#define CT_EXIT_OK		0
#define CT_EXIT_FAIL		1	/* runtime failure */
#define CT_EXIT_USAGE		2	/* bad flag or argument, PID not found */
#define CT_EXIT_UNSUPPORTED	3	/* a required kernel feature is missing */
#define CT_EXIT_NOTFOUND	127	/* trace -- CMD: CMD not found */

#define CT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern int ct_verbose;		/* -v: libbpf debug output and verifier logs */
extern bool ct_quiet;		/* -q: no progress or info lines */

void ct_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ct_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ct_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ct_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Route libbpf's messages through ct_* (debug level only with -v). */
void ct_log_setup_libbpf(void);

/*
 * strerror() that also knows libbpf's 4000-range codes.
 * @err: a positive or negative errno value
 * @return a static string
 */
const char *ct_strerror(int err);

/* CLOCK_MONOTONIC in ns: the clock bpf_ktime_get_ns() reads. */
__u64 ct_now_ns(void);

#endif /* CT_H */
