/* SPDX-License-Identifier: GPL-2.0 */
/* Strict parsers for command-line values: whole string, decimal, range-checked, no atoi. */
#ifndef CT_OPTS_H
#define CT_OPTS_H

/*
 * Common rules: NULL or "" is -EINVAL; no leading or trailing blanks or other characters; numbers
 * are decimal with an optional sign (no "0x", no octal, no exponent). Outputs are written only
 * on success (except that a failing ct_parse_pid_list() may have filled part of @pids).
 */

#define CT_PID_MAX	4194304		/* PID_MAX_LIMIT on 64-bit kernels */

/*
 * Parse a process id.
 * @return 0, -EINVAL if @s is not a decimal number, -ERANGE if it is outside 1..CT_PID_MAX
 */
int ct_parse_pid(const char *s, int *pid);

/*
 * Parse a comma-separated list of process ids ("1,2,3") into @pids (at most @max); *@n gets the
 * count. Duplicates are kept.
 * @return 0, -EINVAL for an empty item, an error from ct_parse_pid(), or -E2BIG for more than @max
 */
int ct_parse_pid_list(const char *s, int *pids, int max, int *n);

/*
 * Parse a positive duration: digits with an optional fraction ("1.5", ".5") and an optional unit
 * s (seconds, the default), ms or m (minutes): "500ms", "2m".
 * @return 0, or -EINVAL for anything else, including zero, negative, nan, inf and overflow
 */
int ct_parse_seconds(const char *s, double *secs);

/*
 * Parse an unsigned decimal number in @min..@max (a minus sign is out of range unless the
 * value is 0).
 * @return 0, -EINVAL if @s is not a number (or @min > @max), -ERANGE if out of range
 */
int ct_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/*
 * Find @s in the NULL-terminated @names, exact and case-sensitive.
 * @return 0 and its index in *@idx, or -EINVAL
 */
int ct_parse_enum(const char *s, const char *const *names, int *idx);

/*
 * Parse "a,b" over the NULL-terminated @names into a bitmask (bit i for names[i]); "all" selects
 * every name. Repeated items are fine.
 * @return 0, -EINVAL for an empty or unknown item, -E2BIG if a name's bit does not fit in *@mask
 */
int ct_parse_list(const char *s, const char *const *names, unsigned long *mask);

#endif /* CT_OPTS_H */
