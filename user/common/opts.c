// SPDX-License-Identifier: GPL-2.0
/* Strict option-value parsers; digits are read by hand so no locale, blank or base rule leaks in */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include "opts.h"

#define ULONG_BITS	((int)(sizeof(unsigned long) * CHAR_BIT))

/*
 * Parse @s[0..@len) as a decimal integer with an optional sign into magnitude and sign.
 * @return 0, -EINVAL if it is not one, -ERANGE if the magnitude exceeds ULLONG_MAX
 */
static int parse_int(const char *s, size_t len, unsigned long long *mag, bool *neg)
{
	unsigned long long v = 0;
	bool overflow = false;
	unsigned int d;
	size_t i = 0;

	if (len && (s[0] == '-' || s[0] == '+'))
		i++;
	if (i == len)
		return -EINVAL;
	*neg = s[0] == '-';
	for (; i < len; i++) {
		d = (unsigned char)s[i] - '0';
		if (d > 9)
			return -EINVAL;		/* checked to the end: "1e400" is not a number */
		if (v > (ULLONG_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (overflow)
		return -ERANGE;
	*mag = v;
	return 0;
}

/* Parse @s[0..@len) as an integer in @min..@max. @return 0, -EINVAL or -ERANGE */
static int parse_range(const char *s, size_t len, unsigned long long min, unsigned long long max,
		       unsigned long long *out)
{
	unsigned long long v;
	bool neg;
	int err;

	err = parse_int(s, len, &v, &neg);
	if (err)
		return err;
	if ((neg && v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_pid(const char *s, size_t len, int *pid)
{
	unsigned long long v;
	int err;

	err = parse_range(s, len, 1, CT_PID_MAX, &v);
	if (!err)
		*pid = v;
	return err;
}

/*
 * Split off the next comma-separated item of *@s (possibly empty) and advance *@s past it.
 * @return false when the string is used up
 */
static bool next_item(const char **s, const char **item, size_t *len)
{
	const char *comma;

	if (!*s)
		return false;
	comma = strchr(*s, ',');
	*item = *s;
	*len = comma ? (size_t)(comma - *s) : strlen(*s);
	*s = comma ? comma + 1 : NULL;
	return true;
}

/* Index of the non-empty @s[0..@len) in @names, or -EINVAL. */
static int find_name(const char *s, size_t len, const char *const *names)
{
	int i;

	for (i = 0; len && names[i]; i++) {
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	}
	return -EINVAL;
}

int ct_parse_pid(const char *s, int *pid)
{
	return parse_pid(s, s ? strlen(s) : 0, pid);
}

int ct_parse_pid_list(const char *s, int *pids, int max, int *n)
{
	const char *item;
	int err, cnt = 0;
	size_t len;

	if (!s)
		return -EINVAL;
	while (next_item(&s, &item, &len)) {
		if (cnt >= max)
			return -E2BIG;
		err = parse_pid(item, len, &pids[cnt]);
		if (err)
			return err;
		cnt++;
	}
	*n = cnt;
	return 0;
}

int ct_parse_seconds(const char *s, double *secs)
{
	unsigned long long m = 0;	/* the leading significant digits, as an integer */
	int scale = 0, digits = 0;	/* value = m * 10^scale */
	bool frac = false;
	double v, p = 1;

	if (!s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s == '.' && !frac) {
			frac = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		digits++;
		if (m <= (ULLONG_MAX - 9) / 10) {
			m = m * 10 + (*s - '0');
			if (frac)
				scale--;
		} else if (!frac) {
			scale++;		/* digits beyond 19 only matter for the magnitude */
		}
	}
	if (!digits)
		return -EINVAL;
	v = m;
	for (; scale > 0; scale--)
		v *= 10;
	for (; scale < 0; scale++)
		p *= 10;
	v /= p;				/* one rounding: "0.1" gives the double nearest 0.1 */
	if (!strcmp(s, "ms"))
		v /= 1000;
	else if (!strcmp(s, "m"))
		v *= 60;
	else if (*s && strcmp(s, "s"))
		return -EINVAL;
	if (!(v > 0) || !isfinite(v))
		return -EINVAL;
	*secs = v;
	return 0;
}

int ct_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long long v;
	int err;

	if (min > max)
		return -EINVAL;
	err = parse_range(s, s ? strlen(s) : 0, min, max, &v);
	if (!err)
		*out = v;
	return err;
}

int ct_parse_enum(const char *s, const char *const *names, int *idx)
{
	int i;

	if (!s || !names)
		return -EINVAL;
	i = find_name(s, strlen(s), names);
	if (i < 0)
		return i;
	*idx = i;
	return 0;
}

int ct_parse_list(const char *s, const char *const *names, unsigned long *mask)
{
	unsigned long m = 0;
	const char *item;
	size_t len;
	int i;

	if (!s || !names)
		return -EINVAL;
	while (next_item(&s, &item, &len)) {
		if (len == 3 && !memcmp(item, "all", 3)) {
			for (i = 0; names[i]; i++) {
				if (i >= ULONG_BITS)
					return -E2BIG;
				m |= 1UL << i;
			}
			continue;
		}
		i = find_name(item, len, names);
		if (i < 0)
			return i;
		if (i >= ULONG_BITS)
			return -E2BIG;
		m |= 1UL << i;
	}
	*mask = m;
	return 0;
}
