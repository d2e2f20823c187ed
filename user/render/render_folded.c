// SPDX-License-Identifier: GPL-2.0
/*
 * Folded stacks, the input of flamegraph.pl and speedscope: one line per sampled site,
 * "frame;frame;...;frame weight", outermost frame first.
 *
 *   COMM;[CAUSE wait: LOCK];outermost;...;innermost;kernel...  WAIT_US   (sampled waits)
 *   COMM;[on-cpu];outermost;...;innermost;kernel...            SAMPLES   (on-CPU samples)
 *   [conctrace];[dropped samples] N                                      (always, last)
 *   [conctrace];[dropped events] N
 *   [conctrace];[unsymbolized frames] N
 *   [conctrace];[truncated stacks] N
 *
 * Waits weigh their sampled blocked time in microseconds, on-CPU samples their count: the two
 * kinds sit under different second frames, so a flame graph keeps them apart (speedscope and
 * flamegraph.pl --title can show one at a time with grep). The format has no comments, so the
 * data-quality counts travel as the "[conctrace]" pseudo-stacks.
 */
#include "common/ct.h"
#include "model/frame.h"
#include "model/locks.h"
#include "render.h"
#include "render_util.h"

/* A frame (after a ';' unless @first) with the format's separators made harmless. */
static void put_frame(FILE *f, const char *s, bool first)
{
	if (!first)
		fputc(';', f);
	for (; *s; s++) {
		unsigned char c = *s;

		fputc(c == ';' ? ':' : c < 0x20 || c == 0x7f ? '?' : c, f);
	}
}

/* The frames of stack @idx, outermost first. */
static void put_stack(FILE *f, const struct ct_profile *p, int idx)
{
	const struct ct_stack_rec *s;
	char buf[CT_FRAME_LEN];
	__u32 i;

	if (idx < 0 || (size_t)idx >= p->nr_stacks)
		return;
	s = &p->stacks[idx];
	for (i = s->nr_frames; i-- > 0;)
		put_frame(f, ct_frame__format(p, s->frames[i], buf, sizeof(buf)), false);
}

void ct_render_folded(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		      const struct ct_render_opts *o)
{
	char comm[32], head[256], lock[192];
	__u64 weight;
	size_t i;

	for (i = 0; i < p->nr_sites; i++) {
		const struct ct_site_rec *s = &p->sites[i];
		const char *c = ct_comm_of(p, s->pid, s->tid);

		if (s->kind == CT_SITE_WAIT) {
			weight = (s->wait_ns + 500) / 1000;
			ct_lock_name(p, s->pid, s->uaddr, s->cause, lock, sizeof(lock));
			snprintf(head, sizeof(head), "[%s wait: %s]", ct_cause_name(s->cause), lock);
		} else if (s->kind == CT_SITE_CPU) {
			weight = s->samples;
			snprintf(head, sizeof(head), "[on-cpu]");
		} else {
			continue;
		}
		if (!weight)
			continue;
		if (c)
			snprintf(comm, sizeof(comm), "%s", c);
		else
			snprintf(comm, sizeof(comm), "tid %u", s->tid);
		put_frame(f, comm, true);
		put_frame(f, head, false);
		put_stack(f, p, s->ustack);
		put_stack(f, p, s->kstack);
		fprintf(f, " %llu\n", (unsigned long long)weight);
	}
	fprintf(f, "[conctrace];[dropped samples] %llu\n",
		(unsigned long long)p->drops[CT_DROP_SAMPLES]);
	fprintf(f, "[conctrace];[dropped events] %llu\n", (unsigned long long)ct_drops_other(p));
	fprintf(f, "[conctrace];[unsymbolized frames] %llu\n", (unsigned long long)p->st.unsymbolized);
	fprintf(f, "[conctrace];[truncated stacks] %llu\n", (unsigned long long)p->st.truncated);
}
