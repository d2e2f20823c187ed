// SPDX-License-Identifier: GPL-2.0
/* Kernel text symbols from /proc/kallsyms, sorted by address, read once per session. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "ksyms.h"

struct ct_ksym {
	__u64 addr;
	const char *name;
};

struct ct_ksyms {
	struct ct_ksym *syms;
	size_t n;
	char *strs;
};

static int cmp_ksym(const void *a, const void *b)
{
	const struct ct_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * One line "ffffffff81000000 T _stext[\t[module]]": a text symbol's address and name into
 * *@addr and @name. @return the name's length, 0 for any other line
 */
static size_t parse_line(const char *line, __u64 *addr, const char **name)
{
	char *end;
	size_t n;

	*addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || !*addr)
		return 0;
	switch (end[1]) {
	case 't': case 'T': case 'w': case 'W':
		break;
	default:
		return 0;
	}
	if (end[2] != ' ')
		return 0;
	*name = end + 3;
	n = strcspn(*name, " \t\n");
	return n < 255 ? n : 255;
}

struct ct_ksyms *ct_ksyms__load(const char *path)
{
	size_t cap = 0, slen = 0, scap = 0, nl, i;
	struct ct_ksyms *k = calloc(1, sizeof(*k));
	char line[1024], iobuf[65536];
	const char *name;
	bool sorted = true;
	struct ct_ksym *v;
	__u64 addr;
	char *ns;
	FILE *f;

	if (!k)
		return NULL;
	f = fopen(path, "re");
	if (!f) {
		ct_dbg("read %s: %s", path, strerror(errno));
		return k;
	}
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));	/* fewer, larger reads of the seq file */
	/* Names go to one buffer by offset first (it moves while growing), pointers after. */
	while (fgets(line, sizeof(line), f)) {
		nl = parse_line(line, &addr, &name);
		if (!nl)
			continue;
		if (k->n == cap) {
			cap = cap ? cap * 2 : 65536;
			v = realloc(k->syms, cap * sizeof(*v));
			if (!v)
				break;
			k->syms = v;
		}
		if (!k->strs || slen + nl + 1 > scap) {
			scap = scap ? scap * 2 : 1 << 20;
			ns = realloc(k->strs, scap);
			if (!ns)
				break;
			k->strs = ns;
		}
		memcpy(k->strs + slen, name, nl);
		k->strs[slen + nl] = '\0';
		if (k->n && addr < k->syms[k->n - 1].addr)
			sorted = false;
		k->syms[k->n].addr = addr;
		k->syms[k->n].name = (const char *)(uintptr_t)slen;
		k->n++;
		slen += nl + 1;
	}
	fclose(f);
	for (i = 0; i < k->n; i++)
		k->syms[i].name = k->strs + (uintptr_t)k->syms[i].name;
	if (!sorted)	/* vmlinux comes in address order; BPF and module symbols may not */
		qsort(k->syms, k->n, sizeof(*k->syms), cmp_ksym);
	return k;
}

struct ct_ksyms *ct_ksyms__read(void)
{
	return ct_ksyms__load("/proc/kallsyms");
}

void ct_ksyms__free(struct ct_ksyms *k)
{
	if (!k)
		return;
	free(k->syms);
	free(k->strs);
	free(k);
}

const char *ct_ksyms__lookup(const struct ct_ksyms *k, __u64 addr)
{
	size_t lo = 0, hi = k ? k->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* kallsyms has no sizes: a symbol runs to the next one; the last one 64 KiB at most. */
	if (lo && (lo < k->n || addr - k->syms[lo - 1].addr < 65536))
		return k->syms[lo - 1].name;
	return NULL;
}

int ct_ksyms__name(const struct ct_ksyms *k, __u64 addr, char *buf, size_t len)
{
	const char *name = ct_ksyms__lookup(k, addr);

	if (name) {
		snprintf(buf, len, "%s [k]", name);
		return 1;
	}
	snprintf(buf, len, "0x%llx [k]", (unsigned long long)addr);
	return 0;
}

static void *reader(void *arg)
{
	struct ct_ksyms_reader *r = arg;

	r->k = ct_ksyms__read();
	return NULL;
}

void ct_ksyms__read_start(struct ct_ksyms_reader *r)
{
	sigset_t all, old;

	r->k = NULL;
	/* Signals stay with the main thread, whose loops check for them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r->started = !pthread_create(&r->thread, NULL, reader, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!r->started)
		r->k = ct_ksyms__read();	/* no thread: read here */
}

struct ct_ksyms *ct_ksyms__read_take(struct ct_ksyms_reader *r)
{
	struct ct_ksyms *k;

	if (r->started) {
		pthread_join(r->thread, NULL);
		r->started = false;
	}
	k = r->k;
	r->k = NULL;
	return k;
}
