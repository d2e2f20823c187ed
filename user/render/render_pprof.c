// SPDX-License-Identifier: GPL-2.0
/*
 * pprof export: the sampled waits and on-CPU samples as a gzip-compressed profile.proto
 * (github.com/google/pprof proto/profile.proto), which `go tool pprof` and speedscope read.
 *
 * Every sample has four values: [waits count, wait_time nanoseconds, samples count,
 * cpu nanoseconds]; a wait site fills the first two, an on-CPU site the last two (cpu time is
 * samples x the sampling period). Its locations are the kernel frames, then the user frames
 * (innermost first), then a root pseudo-frame "[CAUSE wait: LOCK]" or "[on-cpu]", as in the
 * folded output; labels carry thread (comm), tid and pid. Each module is a mapping at a made-up
 * address range (module offset = address - memory_start), with has_functions set: the names
 * were resolved when the trace was taken. Dropped and unsymbolized counts are comments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "model/locks.h"
#include "pprof_proto.h"
#include "render.h"
#include "render_util.h"

/* profile.proto field numbers */
enum {
	PF_SAMPLE_TYPE = 1, PF_SAMPLE, PF_MAPPING, PF_LOCATION, PF_FUNCTION, PF_STRING_TABLE,
	PF_DURATION = 10, PF_PERIOD_TYPE, PF_PERIOD, PF_COMMENT, PF_DEFAULT_SAMPLE_TYPE,
};

#define NR_VALUES	4
#define MAP_SPAN	(1ull << 40)

/* Strings interned to their index: open addressing over an array of copies. */
struct tab {
	char **keys;
	size_t nr, cap;
	__u32 *slots;			/* index + 1, 0 empty */
	size_t nslots;
};

static __u64 hash(const char *s)
{
	__u64 h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int tab_grow(struct tab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024, i, k;
	__u32 *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->nr; i++) {
		for (k = hash(t->keys[i]) & (n - 1); slots[k]; k = (k + 1) & (n - 1))
			;
		slots[k] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

/* The index of @s, added when new (*@added). @return the index or -ENOMEM */
static long tab_intern(struct tab *t, const char *s, bool *added)
{
	size_t k;
	char **keys;

	*added = false;
	if ((t->nr + 1) * 2 > t->nslots && tab_grow(t))
		return -ENOMEM;
	for (k = hash(s) & (t->nslots - 1); t->slots[k]; k = (k + 1) & (t->nslots - 1))
		if (!strcmp(t->keys[t->slots[k] - 1], s))
			return t->slots[k] - 1;
	if (t->nr == t->cap) {
		keys = realloc(t->keys, (t->cap ? t->cap * 2 : 256) * sizeof(*keys));
		if (!keys)
			return -ENOMEM;
		t->keys = keys;
		t->cap = t->cap ? t->cap * 2 : 256;
	}
	t->keys[t->nr] = strdup(s);
	if (!t->keys[t->nr])
		return -ENOMEM;
	t->slots[k] = t->nr + 1;
	*added = true;
	return t->nr++;
}

static void tab_free(struct tab *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->slots);
}

struct pp {
	struct tab strings, funcs, maps, locs;
	struct ct_pb out;		/* the Profile message */
	struct ct_pb m;			/* scratch for one sub-message */
	struct ct_pb sub;		/* scratch for a message inside that */
	int err;
};

static __u64 str_idx(struct pp *pp, const char *s)
{
	bool added;
	long i = tab_intern(&pp->strings, s, &added);

	if (i < 0) {
		pp->err = i;
		return 0;
	}
	return i;
}

static __u64 map_id(struct pp *pp, const char *module)
{
	bool added;
	long i;

	if (!*module)
		return 0;
	i = tab_intern(&pp->maps, module, &added);
	if (i < 0) {
		pp->err = i;
		return 0;
	}
	if (added) {
		ct_pb_uint(&pp->m, 1, i + 1);				/* id */
		ct_pb_uint(&pp->m, 2, (i + 1) * MAP_SPAN);		/* memory_start */
		ct_pb_uint(&pp->m, 3, (i + 2) * MAP_SPAN);		/* memory_limit */
		ct_pb_uint(&pp->m, 5, str_idx(pp, module));		/* filename */
		ct_pb_uint(&pp->m, 7, 1);				/* has_functions */
		ct_pb_msg(&pp->out, PF_MAPPING, &pp->m);
	}
	return i + 1;
}

static __u64 func_id(struct pp *pp, const char *name)
{
	bool added;
	long i = tab_intern(&pp->funcs, name, &added);

	if (i < 0) {
		pp->err = i;
		return 0;
	}
	if (added) {
		ct_pb_uint(&pp->m, 1, i + 1);				/* id */
		ct_pb_uint(&pp->m, 2, str_idx(pp, name));		/* name */
		ct_pb_uint(&pp->m, 3, str_idx(pp, name));		/* system_name */
		ct_pb_msg(&pp->out, PF_FUNCTION, &pp->m);
	}
	return i + 1;
}

/*
 * The location of frame @fr printed as @frame, or of the pseudo-frame @frame when @fr is NULL,
 * added when new. Function, mapping and address come from the frame's parts.
 */
static __u64 loc_id(struct pp *pp, const char *frame, const struct ct_frame_rec *fr)
{
	const char *func = frame, *module = "";
	char kaddr[32];
	__u64 mid = 0, fid, off = 0;
	bool added;
	long i = tab_intern(&pp->locs, frame, &added);

	if (i < 0) {
		pp->err = i;
		return 0;
	}
	if (!added)
		return i + 1;
	switch (fr ? (int)fr->kind : -1) {
	case CT_FRAME_NATIVE:
		/* without a symbol, "module+0xoff" stands for the function */
		func = fr->symbol ? fr->symbol : frame;
		module = fr->module ? fr->module : "";
		off = fr->offset;
		break;
	case CT_FRAME_UNKNOWN:
		off = fr->offset;
		break;
	case CT_FRAME_KERNEL:
		module = "[kernel.kallsyms]";
		if (fr->symbol) {
			func = fr->symbol;
		} else {
			snprintf(kaddr, sizeof(kaddr), "0x%llx", (unsigned long long)fr->offset);
			func = kaddr;
		}
		break;
	case CT_FRAME_PYTHON:
		func = fr->symbol ? fr->symbol : frame;
		module = fr->file ? fr->file : "";
		break;
	}
	mid = map_id(pp, module);
	fid = func_id(pp, func);
	ct_pb_uint(&pp->m, 1, i + 1);					/* id */
	if (mid) {
		ct_pb_uint(&pp->m, 2, mid);				/* mapping_id */
		ct_pb_uint(&pp->m, 3, mid * MAP_SPAN + off);		/* address */
	} else if (off) {
		ct_pb_uint(&pp->m, 3, off);
	}
	ct_pb_uint(&pp->sub, 1, fid);					/* Line.function_id */
	ct_pb_msg(&pp->m, 4, &pp->sub);					/* line */
	ct_pb_msg(&pp->out, PF_LOCATION, &pp->m);
	return i + 1;
}

static size_t add_stack(struct pp *pp, const struct ct_profile *p, int idx, __u64 *ids,
			size_t n, size_t max)
{
	const struct ct_stack_rec *s;
	char buf[CT_FRAME_LEN];
	__u32 i;

	if (idx < 0 || (size_t)idx >= p->nr_stacks)
		return n;
	s = &p->stacks[idx];
	for (i = 0; i < s->nr_frames && n < max; i++)
		ids[n++] = loc_id(pp, ct_frame__format(p, s->frames[i], buf, sizeof(buf)),
				  ct_stack__frame(p, s, i));
	return n;
}

static void label(struct pp *pp, const char *key, const char *str, __u64 num)
{
	ct_pb_uint(&pp->sub, 1, str_idx(pp, key));
	if (str)
		ct_pb_uint(&pp->sub, 2, str_idx(pp, str));
	else
		ct_pb_uint(&pp->sub, 3, num);
	ct_pb_msg(&pp->m, 3, &pp->sub);
}

static void sample(struct pp *pp, const struct ct_profile *p, const struct ct_site_rec *s,
		   __u64 period_ns)
{
	__u64 ids[512], vals[NR_VALUES] = {};
	char root[256], lock[192], tid[16];
	const char *comm = ct_comm_of(p, s->pid, s->tid);
	size_t n = 0;

	if (s->kind == CT_SITE_WAIT) {
		ct_lock_name(p, s->pid, s->uaddr, s->cause, lock, sizeof(lock));
		snprintf(root, sizeof(root), "[%s wait: %s]", ct_cause_name(s->cause), lock);
		vals[0] = s->samples;
		vals[1] = s->wait_ns;
	} else {
		snprintf(root, sizeof(root), "[on-cpu]");
		vals[2] = s->samples;
		vals[3] = s->samples * period_ns;
	}
	n = add_stack(pp, p, s->kstack, ids, n, CT_ARRAY_SIZE(ids) - 1);
	n = add_stack(pp, p, s->ustack, ids, n, CT_ARRAY_SIZE(ids) - 1);
	ids[n++] = loc_id(pp, root, NULL);
	ct_pb_packed(&pp->m, 1, ids, n);				/* location_id */
	ct_pb_packed(&pp->m, 2, vals, NR_VALUES);			/* value */
	snprintf(tid, sizeof(tid), "%u", s->tid);
	label(pp, "thread", comm ? comm : tid, 0);
	label(pp, "tid", NULL, s->tid);
	label(pp, "pid", NULL, s->pid);
	ct_pb_msg(&pp->out, PF_SAMPLE, &pp->m);
}

static void value_type(struct pp *pp, __u32 field, const char *type, const char *unit)
{
	ct_pb_uint(&pp->m, 1, str_idx(pp, type));
	ct_pb_uint(&pp->m, 2, str_idx(pp, unit));
	ct_pb_msg(&pp->out, field, &pp->m);
}

static void comment(struct pp *pp, const char *what, __u64 v)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s: %llu", what, (unsigned long long)v);
	ct_pb_uint(&pp->out, PF_COMMENT, str_idx(pp, buf));
}

int ct_pprof__write(const struct ct_profile *p, FILE *f)
{
	__u64 period_ns = p->sample_hz > 0 ? 1000000000ull / p->sample_hz : 0;
	struct pp pp = {};
	char buf[64];
	size_t i;
	int err;

	str_idx(&pp, "");			/* string_table[0] must be "" */
	value_type(&pp, PF_SAMPLE_TYPE, "waits", "count");
	value_type(&pp, PF_SAMPLE_TYPE, "wait_time", "nanoseconds");
	value_type(&pp, PF_SAMPLE_TYPE, "samples", "count");
	value_type(&pp, PF_SAMPLE_TYPE, "cpu", "nanoseconds");
	for (i = 0; i < p->nr_sites && !pp.err; i++)
		if (p->sites[i].kind == CT_SITE_WAIT || p->sites[i].kind == CT_SITE_CPU)
			sample(&pp, p, &p->sites[i], period_ns);
	ct_pb_uint(&pp.out, PF_DURATION, (__u64)(p->duration_s * 1e9));
	value_type(&pp, PF_PERIOD_TYPE, "cpu", "nanoseconds");
	ct_pb_uint(&pp.out, PF_PERIOD, period_ns);
	snprintf(buf, sizeof(buf), "conctrace %s", CT_VERSION);
	ct_pb_uint(&pp.out, PF_COMMENT, str_idx(&pp, buf));
	comment(&pp, "dropped samples", p->drops[CT_DROP_SAMPLES]);
	comment(&pp, "dropped events", ct_drops_other(p));
	comment(&pp, "waits not sampled", p->st.not_sampled);
	comment(&pp, "unsymbolized frames", p->st.unsymbolized);
	comment(&pp, "truncated stacks", p->st.truncated);
	ct_pb_uint(&pp.out, PF_DEFAULT_SAMPLE_TYPE, str_idx(&pp, "wait_time"));
	/* the table last: every index above is in it by now */
	for (i = 0; i < pp.strings.nr; i++)
		ct_pb_string(&pp.out, PF_STRING_TABLE, pp.strings.keys[i]);
	err = pp.err ? pp.err : pp.out.err ? pp.out.err : pp.m.err ? pp.m.err : pp.sub.err;
	if (!err)
		err = ct_gzip_write(f, pp.out.buf, pp.out.len);
	tab_free(&pp.strings);
	tab_free(&pp.funcs);
	tab_free(&pp.maps);
	tab_free(&pp.locs);
	ct_pb__free(&pp.out);
	ct_pb__free(&pp.m);
	ct_pb__free(&pp.sub);
	return err;
}

void ct_render_pprof(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		     const struct ct_render_opts *o)
{
	int err = ct_pprof__write(p, f);

	if (err)
		ct_err("pprof profile: %s", strerror(-err));
}
