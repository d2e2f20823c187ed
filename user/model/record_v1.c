// SPDX-License-Identifier: GPL-2.0
/*
 * Format 1 of the recording, still read (record.c picks this by the header's version): the
 * sections that format 2 changed. THRD rows carried the BPF state machine's working fields
 * (checked, then dropped), STAK held frame strings (taken apart into the frame table here, the
 * only place that parses a frame string), and TOTL the totals (format 2 recomputes them).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "frame.h"
#include "record_io.h"

#define T struct ct_thread_rec
#define DROP_U64(what) CT_F_DROP_(CT_F_U64, what, 0, 0)
#define DROP_U32(what, max) CT_F_DROP_(CT_F_U32, what, 0, max)

/* A format-1 THRD row: the account's fields among the BPF working state's. */
static const struct ct_field thrd_v1[] = {
	CT_F_U32_(T, pid, "pid", UINT32_MAX),
	CT_F_U32_(T, tid, "tid", UINT32_MAX),
	CT_F_CHARS_(T, comm, "comm", CT_COMM_LEN),
	CT_F_U64_(T, on_cpu_ns),
	CT_F_U64_(T, steal_ns),
	CT_F_U64S_(T, wait_ns, CT_CAUSE_MAX),
	CT_F_U64_(T, nvcsw),
	CT_F_U64_(T, nivcsw),
	CT_F_U64_(T, syscalls),
	DROP_U64("task"),
	CT_F_U64_(T, first_ns),
	CT_F_U64_(T, last_ns),
	DROP_U64("ts"),
	DROP_U64("futex_uaddr"),
	DROP_U64("sys_ts"),
	DROP_U64("steal_mark"),
	DROP_U32("thread state", CT_ST_BLOCKED),
	DROP_U32("cause", CT_CAUSE_MAX - 1),
	DROP_U32("waker", UINT32_MAX),
	CT_F_DROP_(CT_F_S32, "sys_nr", INT32_MIN, INT32_MAX),
	DROP_U64("sample_seq"),
	CT_F_BOOL_(T, exited, "exited"),
	CT_F_INT_(T, exit_code, "exit_code", INT32_MIN, INT32_MAX),
	CT_F_U64_(T, gil_wait_ns),
};

static const struct ct_section thrd_sec = CT_SECTION("THRD", "threads", T, thrd_v1, NULL);

void ct_v1_threads(struct ct_rd *r, struct ct_profile *p)
{
	p->threads = ct_table_get(r, &thrd_sec, p, &p->nr_threads);
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

void ct_v1_stacks(struct ct_rd *r, struct ct_profile *p)
{
	struct ct_rd s;
	size_t nr;
	__u32 n, k;
	char *str;
	long id;

	if (!ct_rd_sect(r, "STAK", &s))
		return;
	nr = ct_rd_count(&s, 1 + 1 + 4, CT_RECORD_MAX_ROWS, "stacks");
	/* rows only if allocated: the loop never walks a NULL table */
	p->stacks = nr ? calloc(nr, sizeof(*p->stacks)) : NULL;
	p->nr_stacks = p->stacks ? nr : 0;
	if (nr && !p->stacks)
		ct_rd_fail(&s, -ENOMEM, "out of memory");
	for (nr = 0; nr < p->nr_stacks && ct_rd_ok(&s); nr++) {
		struct ct_stack_rec *st = &p->stacks[nr];

		s.item = nr;
		st->kernel = ct_rd_bool(&s, "kernel");
		st->truncated = ct_rd_bool(&s, "truncated");
		n = ct_rd_count(&s, 4, CT_RECORD_MAX_FRAMES, "frames");
		if (!n)
			continue;
		st->frames = calloc(n, sizeof(*st->frames));
		if (!st->frames) {
			ct_rd_fail(&s, -ENOMEM, "out of memory");
			break;
		}
		st->nr_frames = n;
		for (k = 0; k < n && ct_rd_ok(&s); k++) {
			str = ct_rd_str(&s, false, CT_RECORD_MAX_STR, "frame");
			id = str ? v1_frame(p, str) : 0;
			if (id < 0)
				ct_rd_fail(&s, -ENOMEM, "out of memory");
			st->frames[k] = id > 0 ? id : 0;
			free(str);
		}
	}
	ct_rd_sect_end(&s);
}

/* TOTL: kept as recorded, so reports of old files print what they printed. */
void ct_v1_totals(struct ct_rd *r, struct ct_profile *p)
{
	struct ct_rd s;
	int c;

	if (!ct_rd_sect(r, "TOTL", &s))
		return;
	p->tot.on_cpu_ns = ct_rd_u64(&s);
	p->tot.steal_ns = ct_rd_u64(&s);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		p->tot.wait_ns[c] = ct_rd_u64(&s);
	p->tot.nvcsw = ct_rd_u64(&s);
	p->tot.nivcsw = ct_rd_u64(&s);
	p->tot.syscalls = ct_rd_u64(&s);
	p->tot.lock_waits = ct_rd_u64(&s);
	p->tot.threads_seen = ct_rd_u32(&s);
	p->tot.processes_seen = ct_rd_u32(&s);
	p->tot.drops_total = ct_rd_u64(&s);
	ct_rd_sect_end(&s);
}
