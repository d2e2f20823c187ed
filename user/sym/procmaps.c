// SPDX-License-Identifier: GPL-2.0
/* /proc/PID/maps: a bounded parser of its text (a pure function, fuzzed) and a reader. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "procmaps.h"

#define DELETED		" (deleted)"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A hex number of 1..@max digits at *@pp (before @e); advances *@pp past it. */
static bool parse_hex(const char **pp, const char *e, int max, __u64 *v)
{
	const char *p = *pp;
	__u64 x = 0;
	int d, n = 0;

	while (p < e && (d = hexval(*p)) >= 0) {
		if (++n > max)
			return false;
		x = x << 4 | (__u64)d;
		p++;
	}
	if (!n)
		return false;
	*pp = p;
	*v = x;
	return true;
}

static bool parse_dec(const char **pp, const char *e, __u64 *v)
{
	const char *p = *pp;
	__u64 x = 0;

	if (p >= e || *p < '0' || *p > '9')
		return false;
	for (; p < e && *p >= '0' && *p <= '9'; p++) {
		if (x > (~0ULL - 9) / 10)
			return false;
		x = x * 10 + (__u64)(*p - '0');
	}
	*pp = p;
	*v = x;
	return true;
}

static bool expect(const char **pp, const char *e, char c)
{
	if (*pp >= e || **pp != c)
		return false;
	(*pp)++;
	return true;
}

/* One line [@p, @e) into @m, its path copied to *@strs (advanced). false: malformed. */
static bool parse_line(const char *p, const char *e, struct ct_map *m, char **strs)
{
	static const char perm_chars[4][2] = { { 'r', CT_MAP_R }, { 'w', CT_MAP_W },
					       { 'x', CT_MAP_X }, { 's', CT_MAP_SHARED } };
	__u64 maj, min;
	size_t plen;
	int i;

	memset(m, 0, sizeof(*m));
	if (!parse_hex(&p, e, 16, &m->start) || !expect(&p, e, '-') ||
	    !parse_hex(&p, e, 16, &m->end) || !expect(&p, e, ' ') || m->start >= m->end)
		return false;
	if (e - p < 4)
		return false;
	for (i = 0; i < 4; i++, p++) {
		if (*p == perm_chars[i][0])
			m->prot |= (__u32)perm_chars[i][1];
		else if (*p != (i == 3 ? 'p' : '-'))
			return false;
	}
	if (!expect(&p, e, ' ') || !parse_hex(&p, e, 16, &m->pgoff) || !expect(&p, e, ' ') ||
	    !parse_hex(&p, e, 8, &maj) || !expect(&p, e, ':') || !parse_hex(&p, e, 8, &min) ||
	    !expect(&p, e, ' ') || !parse_dec(&p, e, &m->inode))
		return false;
	m->dev_major = (__u32)maj;
	m->dev_minor = (__u32)min;
	if (p < e && *p != ' ')
		return false;
	/* The kernel pads with spaces up to the path column; the path itself may hold spaces. */
	while (p < e && *p == ' ')
		p++;
	plen = (size_t)(e - p);
	if (plen > sizeof(DELETED) - 1 &&
	    !memcmp(e - (sizeof(DELETED) - 1), DELETED, sizeof(DELETED) - 1)) {
		plen -= sizeof(DELETED) - 1;
		m->deleted = true;
	}
	memcpy(*strs, p, plen);
	(*strs)[plen] = '\0';
	m->path = *strs;
	*strs += plen + 1;
	return true;
}

static int cmp_start(const void *a, const void *b)
{
	const struct ct_map *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int ct_maps__parse(const char *buf, size_t len, struct ct_maps *out)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t cap = 0, i, k;
	char *strs;

	memset(out, 0, sizeof(*out));
	/* Every path is shorter than its line, so len + 1 bytes hold them all with their NULs. */
	out->strs = strs = malloc(len + 1);
	if (!strs)
		return -ENOMEM;
	while (p < end) {
		struct ct_map m;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl == p) {
			p = nl + 1;
			continue;
		}
		if ((size_t)(nl - p) > CT_MAPS_MAX_LINE || memchr(p, '\0', (size_t)(nl - p)) ||
		    !parse_line(p, nl, &m, &strs)) {
			out->bad++;
			p = nl + 1;
			continue;
		}
		p = nl + 1;
		if (out->n == cap) {
			struct ct_map *v;

			if (cap >= CT_MAPS_MAX_ENTRIES)
				return -E2BIG;
			cap = cap ? cap * 2 : 64;
			v = realloc(out->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			out->v = v;
		}
		out->v[out->n++] = m;
	}
	/* The kernel writes them sorted and disjoint; garbage need not be, and lookups bisect. */
	for (i = 1; i < out->n; i++) {
		if (out->v[i - 1].start > out->v[i].start) {
			qsort(out->v, out->n, sizeof(*out->v), cmp_start);
			break;
		}
	}
	for (i = 0, k = 0; i < out->n; i++) {
		if (k && out->v[i].start < out->v[k - 1].end) {
			out->bad++;
			continue;
		}
		out->v[k++] = out->v[i];
	}
	out->n = k;
	return (int)out->n;
}

int ct_maps__read(__u32 pid, struct ct_maps *out)
{
	size_t len = 0, cap = 64 << 10;
	char path[64], *buf, *nbuf;
	ssize_t r;
	int fd, err;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= CT_MAPS_MAX_BYTES) {
				err = -E2BIG;
				goto out;
			}
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err = -ENOMEM;
				goto out;
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* A process that exits while we read: its maps read as ESRCH or empty. */
			err = -errno;
			goto out;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	err = len ? ct_maps__parse(buf, len, out) : -ESRCH;
out:
	free(buf);
	close(fd);
	return err;
}

void ct_maps__free(struct ct_maps *m)
{
	free(m->v);
	free(m->strs);
	memset(m, 0, sizeof(*m));
}

const struct ct_map *ct_maps__find(const struct ct_maps *m, __u64 addr)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < m->v[lo - 1].end)
		return &m->v[lo - 1];
	return NULL;
}

const char *ct_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}
