// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the report renderers: escaping, cause labels, call sites, frame parsing. */
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "render_util.h"
#include "model/syscall_table.h"

const char *const ct_cause_labels[CT_CAUSE_MAX] = {
	"run queue", "lock wait", "cond wait", "join wait", "I/O wait", "poll wait",
	"sleep", "other blocked",
};

void ct_html_puts(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
		}
	}
}

void ct_md_puts(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c < 0x20 || c == 0x7f)
			fputc('?', f);
		else if (strchr("\\`*_[]|~#!{}", c))
			fprintf(f, "\\%c", c);
		else
			fputc(c, f);
	}
}

/* Frames of the lock implementation itself, skipped when naming a call site. */
static bool frame_is_impl(const char *fr)
{
	static const char *const prefixes[] = {
		"pthread_", "__pthread", "___pthread", "__lll_", "lll_", "futex", "__futex",
		"__GI_", "syscall", "__new_sem", "sem_", "__sem", "do_futex", "[unknown]",
	};
	size_t i;

	if (strstr(fr, " [k]"))
		return true;
	for (i = 0; i < CT_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(fr, prefixes[i], strlen(prefixes[i])))
			return true;
	return strstr(fr, "(libc.so") || strstr(fr, "(libpthread") || strstr(fr, "(ld-linux");
}

const char *ct_stack_site(const struct ct_profile *p, int stack, char *buf, size_t len)
{
	const struct ct_stack_rec *s;
	const char *fr;
	__u32 i;

	if (stack < 0 || (size_t)stack >= p->nr_stacks)
		return NULL;
	s = &p->stacks[stack];
	if (!s->nr_frames)
		return NULL;
	/* the frames as reports show them: the prefixes are those of the printed forms */
	for (i = 0; i < s->nr_frames; i++) {
		fr = ct_frame__format(p, s->frames[i], buf, len);
		if (!frame_is_impl(fr))
			return fr;
	}
	return ct_frame__format(p, s->frames[0], buf, len);
}

void ct_syscall_times(const struct ct_syscall_rec *r, char *time, char *max, size_t len)
{
	if (!ct_syscall_timed(r->k.nr)) {
		snprintf(time, len, "-");
		snprintf(max, len, "-");
		return;
	}
	snprintf(time, len, "%.3f", r->v.total_ns / CT_NS);
	snprintf(max, len, "%.3f", r->v.max_ns / 1e6);
}

__u64 ct_drops_other(const struct ct_profile *p)
{
	return p->tot.drops_total - p->drops[CT_DROP_SAMPLES];
}

const char *ct_comm_of(const struct ct_profile *p, __u32 pid, __u32 tid)
{
	const struct ct_thread_rec *t = ct_profile__thread(p, tid);
	size_t i;

	if (t)
		return t->comm;
	for (i = 0; i < p->nr_procs; i++)
		if (p->procs[i].pid == pid)
			return p->procs[i].comm;
	return NULL;
}

const char *ct_text_safe(const char *s, char *buf, size_t len)
{
	size_t i;

	if (!len)
		return "";
	for (i = 0; s && s[i] && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

int ct_site_cmp_weight(const void *a, const void *b)
{
	const struct ct_site_rec *x = *(const struct ct_site_rec *const *)a;
	const struct ct_site_rec *y = *(const struct ct_site_rec *const *)b;
	__u64 wx = x->kind == CT_SITE_WAIT ? x->wait_ns : x->samples;
	__u64 wy = y->kind == CT_SITE_WAIT ? y->wait_ns : y->samples;

	return (wx < wy) - (wx > wy);
}
