// SPDX-License-Identifier: GPL-2.0
/*
 * The recording parser (docs/recording-format.md; the writer is record_write.c): one entry
 * point, ct_record__parse(), which trusts nothing in the file. Every read goes through a cursor
 * that knows how many bytes remain, and the first failure sticks: later reads return zeros and
 * do nothing. Fuzzed by tests/fuzz/fuzz_record.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#include "common/ct.h"
#include "frame.h"
#include "record.h"

#define NIL		CT_RECORD_NIL
#define MAX_ITEMS	CT_RECORD_MAX_ROWS

/* Encoded sizes of the fixed-size rows (a table section is a count and exactly this many). */
#define THREAD_BYTES	(4 * 2 + CT_COMM_LEN + 8 * (2 + CT_CAUSE_MAX) + 8 * 9 + 4 * 4 + 8 * 2 + \
			 1 + 4 + 8)
#define PROC_BYTES	(4 * 2 + CT_COMM_LEN)
#define FUTEX_BYTES	(8 + 4 * 2 + 8 * 3)
#define WAKE_BYTES	(8 + 4 * 4 + 8 * 2)
#define SYSCALL_BYTES	(4 * 2 + 8 * 3)
#define SITE_BYTES	(4 * 4 + 8 + 4 * 2 + 8 * 2)
#define SLICE_BYTES	(4 * 4 + 8 * 2)
#define STACK_MIN	(1 + 1 + 4)
#define LOCK_MIN	(4 + 8 + 4 + 4 + 16)

static __u16 get16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static __u32 get32(const unsigned char *p)
{
	return get16(p) | (__u32)get16(p + 2) << 16;
}

static __u64 get64(const unsigned char *p)
{
	return get32(p) | (__u64)get32(p + 4) << 32;
}

/* A cursor over part of the payload. All cursors of one parse share the first error. */
struct rd {
	const unsigned char *p;
	size_t left;
	struct ct_recording *out;
	int *err;
	char sect[5];			/* the section being read, for messages */
	long item;			/* the row being read, -1 none */
};

static void __attribute__((format(printf, 3, 4))) fail(struct rd *r, int err, const char *fmt,
							 ...)
{
	char *m = r->out->err;
	size_t len = sizeof(r->out->err), n = 0;
	va_list ap;

	if (*r->err)
		return;
	*r->err = err;
	if (r->sect[0])
		n += snprintf(m, len, "section %s: ", r->sect);
	if (r->item >= 0 && n < len)
		n += snprintf(m + n, len - n, "row %ld: ", r->item);
	if (n < len) {
		va_start(ap, fmt);
		vsnprintf(m + n, len - n, fmt, ap);
		va_end(ap);
	}
}

static bool ok(const struct rd *r)
{
	return !*r->err;
}

static const unsigned char *take(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if (!ok(r))
		return NULL;
	if (n > r->left) {
		fail(r, -EINVAL, "truncated: %zu bytes needed, %zu left", n, r->left);
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static __u8 g_u8(struct rd *r)
{
	const unsigned char *p = take(r, 1);

	return p ? *p : 0;
}

static __u32 g_u32(struct rd *r)
{
	const unsigned char *p = take(r, 4);

	return p ? get32(p) : 0;
}

static __u64 g_u64(struct rd *r)
{
	const unsigned char *p = take(r, 8);

	return p ? get64(p) : 0;
}

static __s32 g_s32(struct rd *r)
{
	return (__s32)g_u32(r);
}

/* A signed field that must lie in @lo..@hi. */
static __s32 g_int(struct rd *r, __s32 lo, __s32 hi, const char *what)
{
	__s32 v = g_s32(r);

	if (ok(r) && (v < lo || v > hi)) {
		fail(r, -EINVAL, "%s %d out of range (%d..%d)", what, v, lo, hi);
		return lo;
	}
	return v;
}

static bool g_bool(struct rd *r, const char *what)
{
	__u8 v = g_u8(r);

	if (v > 1)
		fail(r, -EINVAL, "%s is %u, not a boolean", what, v);
	return v == 1;
}

/* An enum value below @max. */
static __u32 g_enum(struct rd *r, __u32 max, const char *what)
{
	__u32 v = g_u32(r);

	if (ok(r) && v >= max) {
		fail(r, -EINVAL, "%s %u out of range (0..%u)", what, v, max - 1);
		return 0;
	}
	return v;
}

static double g_dbl(struct rd *r, const char *what)
{
	__u64 u = g_u64(r);
	double v;

	memcpy(&v, &u, sizeof(v));
	if (!isfinite(v)) {
		fail(r, -EINVAL, "%s is not a finite number", what);
		return 0;
	}
	return v;
}

/* Check a count @n of items, each at least @min bytes long (so they fit), at most @max. */
static __u32 check_count(struct rd *r, __u32 n, size_t min, __u32 max, const char *what)
{
	if (!ok(r))
		return 0;
	if (n > max) {
		fail(r, -E2BIG, "%u %s, over the limit of %u", n, what, max);
		return 0;
	}
	if (min && n > r->left / min) {
		fail(r, -EINVAL, "%u %s do not fit in the %zu bytes left", n, what, r->left);
		return 0;
	}
	return n;
}

static __u32 g_count(struct rd *r, size_t min, __u32 max, const char *what)
{
	return check_count(r, g_u32(r), min, max, what);
}

/* A fixed char[@n] field; it must hold a NUL. */
static void g_fixed(struct rd *r, char *dst, size_t n, const char *what)
{
	const unsigned char *p = take(r, n);

	if (!p)
		return;
	memcpy(dst, p, n);
	if (!memchr(dst, 0, n)) {
		fail(r, -EINVAL, "%s is not NUL-terminated", what);
		dst[n - 1] = 0;
	}
}

/*
 * A length-prefixed string of at most @max bytes without a NUL in it. @return it malloc'd,
 * or NULL for a NULL string (only when @nullable) or after a failure
 */
static char *g_str(struct rd *r, bool nullable, size_t max, const char *what)
{
	const unsigned char *p;
	__u32 n = g_u32(r);
	char *s;

	if (!ok(r))
		return NULL;
	if (n == NIL) {
		if (!nullable)
			fail(r, -EINVAL, "%s is missing", what);
		return NULL;
	}
	if (n > max) {
		fail(r, n > CT_RECORD_MAX_STR ? -E2BIG : -EINVAL, "%s of %u bytes, over the "
		     "limit of %zu", what, n, max);
		return NULL;
	}
	p = take(r, n);
	if (!p)
		return NULL;
	if (memchr(p, 0, n)) {
		fail(r, -EINVAL, "%s contains a NUL byte", what);
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

/* A string into char[@size]. */
static void g_str_into(struct rd *r, char *dst, size_t size, const char *what)
{
	char *s = g_str(r, false, size - 1, what);

	if (s)
		memcpy(dst, s, strlen(s) + 1);
	free(s);
}

/* Enter the next section, which must be @tag, as the cursor @s. */
static bool sect(struct rd *r, const char *tag, struct rd *s)
{
	const unsigned char *p = take(r, 8);
	__u32 len;
	int i;

	if (!p)
		return false;
	len = get32(p + 4);
	if (memcmp(p, tag, 4)) {
		char seen[4 * 4 + 1];

		for (i = 0; i < 4; i++)
			snprintf(seen + i * 4, 5, p[i] >= 0x21 && p[i] < 0x7f ? "%c" : "\\x%02x",
				 p[i]);
		fail(r, -EINVAL, "section %s expected, found '%s'", tag, seen);
		return false;
	}
	*s = *r;
	memcpy(s->sect, tag, 4);
	s->sect[4] = 0;
	s->item = -1;
	if (len > r->left) {
		fail(s, -EINVAL, "%u bytes long, but only %zu left", len, r->left);
		return false;
	}
	s->left = len;
	take(r, len);
	return true;
}

/* Leave section @s, which must have been read exactly. */
static void sect_end(struct rd *s)
{
	s->item = -1;
	if (ok(s) && s->left)
		fail(s, -EINVAL, "%zu unexpected bytes at its end", s->left);
}

/* A table of rows of @bytes each that fill the section: count checked, rows allocated. */
static void *g_table(struct rd *s, size_t bytes, size_t size, size_t *nr, const char *what)
{
	__u32 n = g_count(s, bytes, MAX_ITEMS, what);
	void *t;

	*nr = 0;
	if (!ok(s) || !n)
		return NULL;
	if ((size_t)n * bytes != s->left) {
		fail(s, -EINVAL, "%u %s need %zu bytes, the section has %zu", n, what,
		     (size_t)n * bytes, s->left);
		return NULL;
	}
	t = calloc(n, size);
	if (!t) {
		fail(s, -ENOMEM, "out of memory");
		return NULL;
	}
	*nr = n;
	return t;
}

static void g_meta(struct rd *r, struct ct_recording *out)
{
	static const __u32 dims[] = { CT_COMM_LEN, CT_CAUSE_MAX, CT_HIST_SLOTS, CT_DROP_MAX };
	static const char *const names[] = { "comm length", "causes", "histogram slots",
					     "drop counters" };
	struct rd s;
	size_t i;
	__u32 v;

	if (!sect(r, "META", &s))
		return;
	for (i = 0; i < CT_ARRAY_SIZE(dims); i++) {
		v = g_u32(&s);
		if (ok(&s) && v != dims[i])
			fail(&s, -EINVAL, "%u %s, this conctrace has %u", v, names[i], dims[i]);
	}
	g_str_into(&s, out->writer, sizeof(out->writer), "writer version");
	g_str_into(&s, out->kernel, sizeof(out->kernel), "kernel release");
	g_str_into(&s, out->arch, sizeof(out->arch), "architecture");
	out->created = g_u64(&s);
	sect_end(&s);
}

static void g_prof(struct rd *s, struct ct_profile *p)
{
	char **argv;
	__u32 n, i;

	p->nr_pids = g_count(s, 4, CT_MAX_PIDS, "PIDs");
	for (i = 0; i < (__u32)p->nr_pids; i++)
		p->pids[i] = g_int(s, 1, INT32_MAX, "PID");
	n = g_u32(s);
	if (ok(s) && n != NIL) {
		n = check_count(s, n, 4, CT_RECORD_MAX_ARGS, "arguments");
		argv = ok(s) ? calloc(n + 1, sizeof(*argv)) : NULL;
		p->argv = argv;
		if (!argv)
			fail(s, -ENOMEM, "out of memory");	/* a no-op after an earlier failure */
		for (i = 0; argv && i < n && ok(s); i++)
			argv[i] = g_str(s, false, CT_RECORD_MAX_STR, "argument");
	}
	p->has_exit_status = g_bool(s, "has_exit_status");
	p->exit_status = g_s32(s);
	p->exited_early = g_bool(s, "exited_early");
	p->syscalls_enabled = g_bool(s, "syscalls_enabled");
	p->cores = g_int(s, 0, 1 << 20, "cores");
	p->start_ns = g_u64(s);
	p->stop_ns = g_u64(s);
	p->duration_s = g_dbl(s, "duration_s");
	p->stacks_enabled = g_bool(s, "stacks_enabled");
	p->sample_hz = g_int(s, 0, INT32_MAX, "sample_hz");
	p->python = g_bool(s, "python");
	p->timeline_enabled = g_bool(s, "timeline_enabled");
}

static void g_thread(struct rd *s, struct ct_thread_rec *t)
{
	int c;

	t->pid = g_u32(s);
	t->tid = g_u32(s);
	g_fixed(s, t->comm, CT_COMM_LEN, "comm");
	t->on_cpu_ns = g_u64(s);
	t->steal_ns = g_u64(s);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		t->wait_ns[c] = g_u64(s);
	t->nvcsw = g_u64(s);
	t->nivcsw = g_u64(s);
	t->syscalls = g_u64(s);
	g_u64(s);		/* task */
	t->first_ns = g_u64(s);
	t->last_ns = g_u64(s);
	for (c = 0; c < 4; c++)
		g_u64(s);	/* ts, futex_uaddr, sys_ts, steal_mark: BPF working state */
	g_enum(s, CT_ST_BLOCKED + 1, "thread state");
	g_enum(s, CT_CAUSE_MAX, "cause");
	g_u32(s);		/* waker */
	g_s32(s);		/* sys_nr */
	g_u64(s);		/* sample_seq */
	t->exited = g_bool(s, "exited");
	t->exit_code = g_s32(s);
	t->gil_wait_ns = g_u64(s);
}

/*
 * A format-1 frame string taken apart into @f (pointing into @buf, a copy of @s): the forms
 * ct_frame__format() prints. false when @s is none of them.
 */
static bool v1_frame_parts(const char *s, char *buf, struct ct_frame_rec *f)
{
	char *end, *open = NULL, *plus, *q, *x;
	size_t n = strlen(s);

	memset(f, 0, sizeof(*f));
	memcpy(buf, s, n + 1);
	end = buf + n;
	if (n >= 4 && !strcmp(end - 4, " [k]")) {
		f->kind = CT_FRAME_KERNEL;
		end[-4] = 0;
		if (!strncmp(buf, "0x", 2)) {
			f->offset = strtoull(buf + 2, &x, 16);
			return true;	/* the round trip tells a symbol that looks like this */
		}
		f->symbol = buf;
		return true;
	}
	if (!strncmp(buf, "[unknown] 0x", 12)) {
		f->kind = CT_FRAME_UNKNOWN;
		f->offset = strtoull(buf + 12, &x, 16);
		return true;
	}
	f->kind = CT_FRAME_NATIVE;
	/* "function (module+0xoff)": the last " (" of a frame ending in ")" */
	if (end > buf && end[-1] == ')')
		for (q = buf; (q = strstr(q, " (")); q++)
			open = q;
	if (open) {
		*open = 0;
		f->symbol = buf;
		f->module = open + 2;
		end[-1] = 0;
	} else {
		f->module = buf;
	}
	plus = strstr(f->module, "+0x");
	if (!plus)
		return false;
	*plus = 0;
	f->offset = strtoull(plus + 3, &x, 16);
	return true;
}

/*
 * The frame a format-1 string stands for, interned: its parts when printing them gives back the
 * string exactly, else the string verbatim (RAW), so every report prints what it printed.
 * @return its index, or -ENOMEM
 */
static long v1_frame(struct ct_profile *p, const char *s)
{
	struct ct_frame_rec f;
	char *buf, out[CT_FRAME_LEN];
	size_t n = strlen(s);
	long id;

	buf = malloc(n + 1);
	if (!buf)
		return -ENOMEM;
	/* longer than collect/ ever printed: printing would cut it */
	if (n >= CT_FRAME_LEN || !v1_frame_parts(s, buf, &f) ||
	    (id = ct_frame__intern(p, &f)) < 0 || strcmp(ct_frame__format(p, id, out,
								       sizeof(out)), s)) {
		f = (struct ct_frame_rec){ .kind = CT_FRAME_RAW, .symbol = (char *)s };
		id = ct_frame__intern(p, &f);
	}
	free(buf);
	return id;
}

static void g_stack(struct rd *s, struct ct_profile *p, struct ct_stack_rec *st)
{
	__u32 n, k;
	char *str;
	long id;

	st->kernel = g_bool(s, "kernel");
	st->truncated = g_bool(s, "truncated");
	n = g_count(s, 4, CT_RECORD_MAX_FRAMES, "frames");
	if (!n)
		return;
	st->frames = calloc(n, sizeof(*st->frames));
	if (!st->frames) {
		fail(s, -ENOMEM, "out of memory");
		return;
	}
	st->nr_frames = n;
	for (k = 0; k < n && ok(s); k++) {
		str = g_str(s, false, CT_RECORD_MAX_STR, "frame");
		id = str ? v1_frame(p, str) : 0;
		if (id < 0)
			fail(s, -ENOMEM, "out of memory");
		st->frames[k] = id;
		free(str);
	}
}

/* A stack index of a site: -1 or a row of the stack table. */
static __s32 g_stack_index(struct rd *s, const struct ct_profile *p, const char *what)
{
	return g_int(s, -1, (__s32)p->nr_stacks - 1, what);
}

static void g_site(struct rd *s, const struct ct_profile *p, struct ct_site_rec *r)
{
	r->kind = g_enum(s, CT_SITE_CPU + 1, "site kind");
	r->pid = g_u32(s);
	r->tid = g_u32(s);
	r->cause = g_enum(s, CT_CAUSE_MAX, "cause");
	r->uaddr = g_u64(s);
	r->ustack = g_stack_index(s, p, "ustack");
	r->kstack = g_stack_index(s, p, "kstack");
	r->samples = g_u64(s);
	r->wait_ns = g_u64(s);
}

static void g_slice(struct rd *s, struct ct_slice *sl)
{
	sl->pid = g_u32(s);
	sl->tid = g_u32(s);
	sl->state = g_enum(s, CT_SL_BLOCKED + 1, "slice state");
	sl->cause = g_enum(s, CT_CAUSE_MAX, "cause");
	sl->start_ns = g_u64(s);
	sl->end_ns = g_u64(s);
	if (ok(s) && sl->end_ns < sl->start_ns)
		fail(s, -EINVAL, "slice ends before it starts");
}

/* Run @body over the rows of the table section @tag. */
#define TABLE(r, tag, rows, nr, bytes, what, body)					\
	do {										\
		struct rd s_;								\
		size_t i_;								\
											\
		if (!sect((r), (tag), &s_))						\
			break;								\
		(rows) = g_table(&s_, (bytes), sizeof(*(rows)), &(nr), (what));	\
		for (i_ = 0; i_ < (nr) && ok(&s_); i_++) {				\
			struct rd *s = &s_;						\
			__typeof__(&(rows)[0]) row = &(rows)[i_];			\
											\
			s_.item = i_;							\
			body;								\
		}									\
		sect_end(&s_);								\
	} while (0)

static void g_profile(struct rd *r, struct ct_profile *p)
{
	struct rd sc;
	size_t nr;
	__u32 k;
	int c;

	if (sect(r, "PROF", &sc)) {
		g_prof(&sc, p);
		sect_end(&sc);
	}
	TABLE(r, "THRD", p->threads, p->nr_threads, THREAD_BYTES, "threads", g_thread(s, row));
	TABLE(r, "PROC", p->procs, p->nr_procs, PROC_BYTES, "processes", {
		row->pid = g_u32(s);
		row->ppid = g_u32(s);
		g_fixed(s, row->comm, CT_COMM_LEN, "comm");
	});
	TABLE(r, "FUTX", p->futexes, p->nr_futexes, FUTEX_BYTES, "futexes", {
		row->k.uaddr = g_u64(s);
		row->k.pid = g_u32(s);
		row->k.cause = g_enum(s, CT_CAUSE_MAX, "cause");
		row->v.waits = g_u64(s);
		row->v.total_ns = g_u64(s);
		row->v.max_ns = g_u64(s);
	});
	TABLE(r, "WAKE", p->wakes, p->nr_wakes, WAKE_BYTES, "wakeups", {
		row->k.uaddr = g_u64(s);
		row->k.waker = g_u32(s);
		row->k.wakee = g_u32(s);
		row->k.cause = g_enum(s, CT_CAUSE_MAX, "cause");
		row->k.pad = g_u32(s);
		row->v.count = g_u64(s);
		row->v.blocked_ns = g_u64(s);
	});
	TABLE(r, "SYSC", p->syscalls, p->nr_syscalls, SYSCALL_BYTES, "syscall rows", {
		row->k.pid = g_u32(s);
		row->k.nr = g_u32(s);
		row->v.count = g_u64(s);
		row->v.total_ns = g_u64(s);
		row->v.max_ns = g_u64(s);
	});
	if (sect(r, "HIST", &sc)) {
		for (c = 0; c < CT_CAUSE_MAX; c++)
			for (k = 0; k < CT_HIST_SLOTS; k++)
				p->hists[c].slots[k] = g_u64(&sc);
		sect_end(&sc);
	}
	if (sect(r, "DROP", &sc)) {
		for (c = 0; c < CT_DROP_MAX; c++)
			p->drops[c] = g_u64(&sc);
		sect_end(&sc);
	}
	if (sect(r, "STAK", &sc)) {
		nr = g_count(&sc, STACK_MIN, MAX_ITEMS, "stacks");
		/* rows only if allocated: the loop never walks a NULL table */
		p->stacks = nr ? calloc(nr, sizeof(*p->stacks)) : NULL;
		p->nr_stacks = p->stacks ? nr : 0;
		if (nr && !p->stacks)
			fail(&sc, -ENOMEM, "out of memory");
		for (nr = 0; nr < p->nr_stacks && ok(&sc); nr++) {
			sc.item = nr;
			g_stack(&sc, p, &p->stacks[nr]);
		}
		sect_end(&sc);
	}
	TABLE(r, "SITE", p->sites, p->nr_sites, SITE_BYTES, "sites", g_site(s, p, row));
	if (sect(r, "LOCK", &sc)) {
		nr = g_count(&sc, LOCK_MIN, MAX_ITEMS, "locks");
		/* rows only if allocated: the loop never walks a NULL table */
		p->locks = nr ? calloc(nr, sizeof(*p->locks)) : NULL;
		p->nr_locks = p->locks ? nr : 0;
		if (nr && !p->locks)
			fail(&sc, -ENOMEM, "out of memory");
		for (nr = 0; nr < p->nr_locks && ok(&sc); nr++) {
			struct ct_lock_rec *l = &p->locks[nr];

			sc.item = nr;
			l->pid = g_u32(&sc);
			l->uaddr = g_u64(&sc);
			l->name = g_str(&sc, true, CT_RECORD_MAX_STR, "lock name");
			l->module = g_str(&sc, true, CT_RECORD_MAX_STR, "lock module");
			g_fixed(&sc, l->kind, sizeof(l->kind), "lock kind");
			l->is_symbol = g_bool(&sc, "lock is_symbol");
		}
		sect_end(&sc);
	}
	if (sect(r, "STST", &sc)) {
		p->st.wait_samples = g_u64(&sc);
		p->st.cpu_samples = g_u64(&sc);
		p->st.not_sampled = g_u64(&sc);
		p->st.open_waits = g_u64(&sc);
		p->st.frames = g_u64(&sc);
		p->st.unsymbolized = g_u64(&sc);
		p->st.truncated = g_u64(&sc);
		sect_end(&sc);
	}
	TABLE(r, "SLIC", p->slices, p->nr_slices, SLICE_BYTES, "slices", g_slice(s, row));
	if (sect(r, "TOTL", &sc)) {
		p->tot.on_cpu_ns = g_u64(&sc);
		p->tot.steal_ns = g_u64(&sc);
		for (c = 0; c < CT_CAUSE_MAX; c++)
			p->tot.wait_ns[c] = g_u64(&sc);
		p->tot.nvcsw = g_u64(&sc);
		p->tot.nivcsw = g_u64(&sc);
		p->tot.syscalls = g_u64(&sc);
		p->tot.lock_waits = g_u64(&sc);
		p->tot.threads_seen = g_u32(&sc);
		p->tot.processes_seen = g_u32(&sc);
		p->tot.drops_total = g_u64(&sc);
		sect_end(&sc);
	}
	p->cap_threads = p->nr_threads;
	p->cap_procs = p->nr_procs;
	p->cap_futexes = p->nr_futexes;
	p->cap_wakes = p->nr_wakes;
	p->cap_syscalls = p->nr_syscalls;
	p->cap_stacks = p->nr_stacks;
	p->cap_sites = p->nr_sites;
	p->cap_locks = p->nr_locks;
	p->cap_slices = p->nr_slices;
}

static int nr_names(const char *const *names)
{
	int n = 0;

	while (names[n])
		n++;
	return n;
}

static void g_cell(struct rd *r, struct ct_lab_cell *c)
{
	struct rd s;

	if (!sect(r, "CELL", &s))
		return;
	c->model = g_enum(&s, nr_names(ct_lab_models), "model");
	c->ok = g_bool(&s, "ok");
	c->exit_status = g_s32(&s);
	c->wall_s = g_dbl(&s, "wall_s");
	c->throughput = g_dbl(&s, "throughput");
	c->speedup = g_dbl(&s, "speedup");
	c->tasks = g_u64(&s);
	c->done = g_u64(&s);
	c->errors = g_u64(&s);
	c->ipc_bytes = g_u64(&s);
	c->net_bytes = g_u64(&s);
	c->connections = g_u64(&s);
	c->timed_out = g_bool(&s, "timed_out");
	sect_end(&s);
	g_profile(r, &c->prof);
}

static void g_lab(struct rd *r, struct ct_lab *lab)
{
	struct rd s;
	__u32 n, i, k, m;
	__s32 rec;

	if (!sect(r, "LAB_", &s))
		return;
	lab->workloads = g_u64(&s);
	lab->models = g_u64(&s);
	lab->workers = g_int(&s, 0, INT32_MAX, "workers");
	lab->scale = g_enum(&s, nr_names(ct_lab_scales), "scale");
	lab->repeat = g_int(&s, 0, INT32_MAX, "repeat");
	lab->format = g_enum(&s, nr_names(ct_lab_formats), "format");
	lab->no_syscalls = g_bool(&s, "no_syscalls");
	lab->progress = g_bool(&s, "progress");
	g_str_into(&s, lab->binary, sizeof(lab->binary), "binary");
	n = g_count(&s, 0, CT_LAB_MAX_WL, "workload results");
	lab->duration_s = g_dbl(&s, "duration_s");
	lab->interrupted = g_bool(&s, "interrupted");
	sect_end(&s);
	for (i = 0; i < n && ok(r); i++) {
		struct ct_lab_result *res = &lab->results[lab->nr_results++];

		if (!sect(r, "RSLT", &s))
			return;
		res->workload = g_enum(&s, nr_names(ct_lab_workloads), "workload");
		m = g_count(&s, 0, CT_LAB_MAX_MODELS, "cells");
		res->winner = g_int(&s, -1, (__s32)m - 1, "winner");
		rec = g_int(&s, -1, nr_names(ct_lab_models) - 1, "recommended model");
		res->rec_model = rec >= 0 ? ct_lab_models[rec] : NULL;
		res->nr_reasons = g_count(&s, 4, CT_DIAG_LINES, "reasons");
		for (k = 0; k < (__u32)res->nr_reasons; k++)
			g_str_into(&s, res->reasons[k], CT_DIAG_LEN, "reason");
		res->agrees = g_bool(&s, "agrees");
		sect_end(&s);
		for (k = 0; k < m && ok(r); k++)
			g_cell(r, &res->cells[res->nr_cells++]);
	}
}

/* Inflate @in into a new buffer of exactly @raw bytes, refusing any more. @return it or NULL */
static unsigned char *inflate_payload(struct rd *r, const unsigned char *in, size_t in_len,
				      size_t raw)
{
	size_t cap = 0, limit = raw + 1;
	unsigned char *out = NULL, *n;
	z_stream zs;
	int ret;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = in_len;		/* at most CT_RECORD_MAX_FILE */
	for (;;) {
		if (zs.total_out == cap) {
			/* grow by doubling, so a lying header costs no more than the data */
			if (cap == limit) {
				fail(r, -E2BIG, "decompresses to more than the %zu bytes its "
				     "header declares", raw);
				break;
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > limit)
				cap = limit;
			n = realloc(out, cap);
			if (!n) {
				fail(r, -ENOMEM, "out of memory");
				break;
			}
			out = n;
		}
		zs.next_out = out + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ret == Z_OK)
			continue;
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_MEM_ERROR)
			fail(r, -ENOMEM, "out of memory");
		else if (ret == Z_BUF_ERROR && !zs.avail_in)
			fail(r, -EINVAL, "truncated: the compressed data ends early");
		else
			fail(r, -EINVAL, "corrupt compressed data (%s)", zs.msg ? zs.msg : "zlib");
		break;
	}
	if (ok(r) && zs.avail_in)
		fail(r, -EINVAL, "%u bytes after the compressed data", zs.avail_in);
	else if (ok(r) && zs.total_out != raw)
		fail(r, -EINVAL, "decompresses to %lu bytes, its header declares %zu",
		     zs.total_out, raw);
	inflateEnd(&zs);
	if (!ok(r)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Free a profile that a parse filled (it owns its argv too). */
static void profile_free(struct ct_profile *p)
{
	char **a = (char **)p->argv;
	size_t i;

	for (i = 0; a && a[i]; i++)
		free(a[i]);
	free(a);
	p->argv = NULL;
	ct_profile__free(p);
}

void ct_recording__free(struct ct_recording *r)
{
	int i, k;

	if (!r)
		return;
	profile_free(&r->prof);
	if (r->lab) {
		for (i = 0; i < r->lab->nr_results; i++)
			for (k = 0; k < r->lab->results[i].nr_cells; k++)
				profile_free(&r->lab->results[i].cells[k].prof);
		ct_lab__free(r->lab);
		free(r->lab);
		r->lab = NULL;
	}
}

int ct_record__parse(const void *buf, size_t len, struct ct_recording *out)
{
	const unsigned char *b = buf, *payload;
	unsigned char *raw = NULL;
	int err = 0;
	struct rd r = { .out = out, .err = &err, .item = -1 };
	__u16 comp;
	__u64 size;
	char msg[sizeof(out->err)];

	memset(out, 0, sizeof(*out));
	if (!len) {
		fail(&r, -EINVAL, "empty file");
		return err;
	}
	if (len > CT_RECORD_MAX_FILE) {
		fail(&r, -E2BIG, "%zu bytes, over the limit of %u", len, CT_RECORD_MAX_FILE);
		return err;
	}
	if (memcmp(b, CT_RECORD_MAGIC, len < CT_RECORD_MAGIC_LEN ? len : CT_RECORD_MAGIC_LEN)) {
		fail(&r, -EINVAL, "not a conctrace recording (bad magic)");
		return err;
	}
	if (len < CT_RECORD_HEADER_LEN) {
		fail(&r, -EINVAL, "truncated header (%zu of %d bytes)", len, CT_RECORD_HEADER_LEN);
		return err;
	}
	out->version = get32(b + 8);
	out->kind = get16(b + 12);
	comp = get16(b + 14);
	size = get64(b + 16);
	if (out->version != CT_RECORD_VERSION) {
		fail(&r, -EPROTONOSUPPORT, "recording format version %u, this conctrace reads "
		     "version %d", out->version, CT_RECORD_VERSION);
		return err;
	}
	if (out->kind != CT_REC_PROFILE && out->kind != CT_REC_LAB)
		fail(&r, -EINVAL, "unknown recording kind %u", out->kind);
	else if (comp != CT_RECORD_STORED && comp != CT_RECORD_ZLIB)
		fail(&r, -EINVAL, "unknown compression %u", comp);
	else if (size > CT_RECORD_MAX_RAW)
		fail(&r, -E2BIG, "declares %llu bytes uncompressed, over the limit of %u",
		     (unsigned long long)size, CT_RECORD_MAX_RAW);
	else if (comp == CT_RECORD_STORED && size != len - CT_RECORD_HEADER_LEN)
		fail(&r, -EINVAL, "declares %llu bytes, holds %zu", (unsigned long long)size,
		     len - CT_RECORD_HEADER_LEN);
	if (!ok(&r))
		return err;
	payload = b + CT_RECORD_HEADER_LEN;
	if (comp == CT_RECORD_ZLIB) {
		raw = inflate_payload(&r, payload, len - CT_RECORD_HEADER_LEN, size);
		payload = raw;
	}
	r.p = payload;
	r.left = size;
	g_meta(&r, out);
	if (out->kind == CT_REC_PROFILE) {
		g_profile(&r, &out->prof);
	} else if (ok(&r)) {
		out->lab = calloc(1, sizeof(*out->lab));
		if (out->lab) {
			g_lab(&r, out->lab);
			/* the lab prints the machine it ran on, not the one rendering it */
			memcpy(out->lab->kernel, out->kernel, sizeof(out->lab->kernel));
			memcpy(out->lab->arch, out->arch, sizeof(out->lab->arch));
		}
		else
			fail(&r, -ENOMEM, "out of memory");
	}
	if (ok(&r) && r.left)
		fail(&r, -EINVAL, "%zu bytes after the last section", r.left);
	free(raw);
	if (err) {
		memcpy(msg, out->err, sizeof(msg));
		ct_recording__free(out);
		memcpy(out->err, msg, sizeof(msg));
		return err;
	}
	return 0;
}

int ct_record__read(const char *path, struct ct_recording *out)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, err;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		snprintf(out->err, sizeof(out->err), "%s", strerror(-err));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		snprintf(out->err, sizeof(out->err), "%s", strerror(-err));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		snprintf(out->err, sizeof(out->err), "%s", S_ISDIR(st.st_mode) ?
			 "is a directory" : "not a regular file");
		goto out;
	}
	if (st.st_size > CT_RECORD_MAX_FILE) {
		err = -E2BIG;
		snprintf(out->err, sizeof(out->err), "%lld bytes, over the limit of %u",
			 (long long)st.st_size, CT_RECORD_MAX_FILE);
		goto out;
	}
	/* one byte more than the size, to see a file that grew since */
	buf = malloc(st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		snprintf(out->err, sizeof(out->err), "out of memory");
		goto out;
	}
	while (len < (size_t)st.st_size + 1) {
		n = read(fd, buf + len, st.st_size + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			snprintf(out->err, sizeof(out->err), "read: %s", strerror(-err));
			goto out;
		}
		if (!n)
			break;
		len += n;
	}
	if (len > (size_t)st.st_size) {
		err = -EAGAIN;
		snprintf(out->err, sizeof(out->err), "the file changed while it was read");
		goto out;
	}
	err = ct_record__parse(buf, len, out);
out:
	free(buf);
	close(fd);
	return err;
}
