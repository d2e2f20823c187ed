// SPDX-License-Identifier: GPL-2.0
/* The terminal report: aligned tables within 100 columns, colour only on a terminal. */
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "model/frame.h"
#include "model/hist.h"
#include "model/locks.h"
#include "render_util.h"
#include "render.h"
#include "model/syscall_table.h"

struct out {
	FILE *f;
	bool color;
};

static void heading(const struct out *o, const char *title)
{
	fprintf(o->f, "\n%s%s%s\n", o->color ? "\033[1m" : "", title, o->color ? "\033[0m" : "");
}

static void bar_row(const struct out *o, const char *name, double s, double total)
{
	static const char full[] = "########################################";
	double share = total > 0 ? s / total : 0;
	int n = (int)(share * 40 + 0.5);

	fprintf(o->f, "  %-16s %10.3f  %5.1f%%  %.*s\n", name, s, 100 * share, n, full);
}

static void text_times(const struct out *o, const struct ct_profile *p)
{
	const struct ct_totals *t = &p->tot;
	static const char *const labels[CT_CAUSE_MAX] = {
		"run queue", "lock wait", "cond wait", "join wait", "I/O wait", "poll wait",
		"sleep", "other blocked",
	};
	double total = t->on_cpu_ns / CT_NS;
	int c;

	for (c = 0; c < CT_CAUSE_MAX; c++)
		total += t->wait_ns[c] / CT_NS;
	heading(o, "Where the threads' time went (seconds, summed over threads)");
	bar_row(o, "on CPU", t->on_cpu_ns / CT_NS, total);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		bar_row(o, labels[c], t->wait_ns[c] / CT_NS, total);
	fprintf(o->f, "  context switches: %llu voluntary, %llu involuntary\n",
		(unsigned long long)t->nvcsw, (unsigned long long)t->nivcsw);
}

static void text_threads(const struct out *o, const struct ct_profile *p, int top)
{
	char comm[CT_COMM_LEN];
	size_t i;

	heading(o, "Threads (by CPU time; seconds; * exited)");
	fprintf(o->f, "  %7s %7s %-12s %7s %7s %7s %7s %7s %7s %7s %6s %6s\n", "TID", "PID", "COMM",
		"CPU", "RUNQ", "LOCK", "COND", "JOIN", "IO", "SLEEP", "VCSW", "IVCSW");
	for (i = 0; i < p->nr_threads && (int)i < top; i++) {
		const struct ct_thread_rec *th = &p->threads[i];

		fprintf(o->f, "  %6u%c %7u %-12.12s %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %6llu "
			"%6llu\n", th->tid, p->threads[i].exited ? '*' : ' ', th->pid,
			ct_text_safe(th->comm, comm, sizeof(comm)),
			th->on_cpu_ns / CT_NS,
			th->wait_ns[CT_CAUSE_RUNQUEUE] / CT_NS, th->wait_ns[CT_CAUSE_LOCK] / CT_NS,
			th->wait_ns[CT_CAUSE_COND] / CT_NS, th->wait_ns[CT_CAUSE_JOIN] / CT_NS,
			(th->wait_ns[CT_CAUSE_IO] + th->wait_ns[CT_CAUSE_POLL]) / CT_NS,
			th->wait_ns[CT_CAUSE_SLEEP] / CT_NS, (unsigned long long)th->nvcsw,
			(unsigned long long)th->nivcsw);
	}
	if (p->nr_threads > (size_t)top)
		fprintf(o->f, "  ... %zu more threads\n", p->nr_threads - top);
}

/* Up to @max frames of stack @i, one per line, innermost first. */
static void text_frames(const struct out *o, const struct ct_profile *p, int i, __u32 max)
{
	const struct ct_stack_rec *st;
	char buf[256], fr[CT_FRAME_LEN];
	__u32 f;

	if (i < 0 || (size_t)i >= p->nr_stacks) {
		fprintf(o->f, "        (no stack)\n");
		return;
	}
	st = &p->stacks[i];
	for (f = 0; f < st->nr_frames && f < max; f++)
		fprintf(o->f, "        %.88s\n", ct_text_safe(ct_frame__format(p, st->frames[f], fr,
								    sizeof(fr)), buf, sizeof(buf)));
	if (st->nr_frames > max)
		fprintf(o->f, "        ... %u more frames\n", st->nr_frames - max);
}

static void text_locks(const struct out *o, const struct ct_profile *p, int top)
{
	struct ct_lock_row *rows;
	int i, k, n = ct_lock_table(p, &rows);
	char name[192];

	heading(o, "Locks and conditions waited on (futexes, by total wait)");
	if (n <= 0) {
		fprintf(o->f, "  none\n");
		return;
	}
	fprintf(o->f, "  %-34s %-9s %7s %9s %10s %9s %7s\n", "LOCK", "KIND", "PID", "WAITS",
		"WAIT s", "MAX ms", "WAITERS");
	for (i = 0; i < n && i < top; i++) {
		const struct ct_lock_row *r = &rows[i];

		fprintf(o->f, "  %-34.34s %-9s %7u %9llu %10.3f %9.3f %7u\n",
			ct_text_safe(r->name, name, sizeof(name)), r->kind,
			r->pid, (unsigned long long)r->waits, r->total_ns / CT_NS, r->max_ns / 1e6,
			r->waiters);
	}
	/* the hottest ones in detail: where they were waited for, who handed them over */
	for (i = 0; i < n && i < 3 && i < top; i++) {
		const struct ct_lock_row *r = &rows[i];

		if (!r->nr_sites && !r->nr_wakers)
			continue;
		fprintf(o->f, "\n  %s (%s): %llu of %llu waits sampled\n",
			ct_text_safe(r->name, name, sizeof(name)), r->kind,
			(unsigned long long)r->sampled, (unsigned long long)r->waits);
		for (k = 0; k < r->nr_sites && k < 2; k++) {
			fprintf(o->f, "    waited at (%llu samples, %.3f s):\n",
				(unsigned long long)r->sites[k].samples, r->sites[k].wait_ns / CT_NS);
			text_frames(o, p, r->sites[k].stack, 8);
		}
		for (k = 0; k < r->nr_wakers; k++)
			fprintf(o->f, "    handed over by TID %u to TID %u: %llu times\n",
				r->wakers[k].waker, r->wakers[k].wakee,
				(unsigned long long)r->wakers[k].count);
	}
	free(rows);
}

/* The on-CPU stacks sampled most often. */
static void text_cpu_stacks(const struct out *o, const struct ct_profile *p, int top)
{
	const struct ct_site_rec **v;
	size_t i, n = 0;

	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	if (!p->st.cpu_samples || !(v = calloc(p->nr_sites, sizeof(*v))))
		return;
	for (i = 0; i < p->nr_sites; i++)
		if (p->sites[i].kind == CT_SITE_CPU)
			v[n++] = &p->sites[i];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	qsort(v, n, sizeof(*v), ct_site_cmp_weight);
	heading(o, "Where the CPU went (on-CPU stack samples)");
	fprintf(o->f, "  %llu samples at %d Hz per CPU\n", (unsigned long long)p->st.cpu_samples,
		p->sample_hz);
	for (i = 0; i < n && i < 5 && (int)i < top; i++) {
		fprintf(o->f, "  %5.1f%%  TID %u\n", 100.0 * v[i]->samples / p->st.cpu_samples,
			v[i]->tid);
		text_frames(o, p, v[i]->ustack, 6);
	}
	free(v);
}

static void text_syscalls(const struct out *o, const struct ct_profile *p, int top)
{
	const char *name;
	size_t i;

	heading(o, "Syscalls (by count)");
	if (!p->syscalls_enabled) {
		fprintf(o->f, "  not traced (--no-syscalls)\n");
		return;
	}
	fprintf(o->f, "  %-20s %12s %10s %10s   total %llu\n", "SYSCALL", "COUNT", "TIME s",
		"MAX ms", (unsigned long long)p->tot.syscalls);
	for (i = 0; i < p->nr_syscalls && (int)i < top; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];
		char time[32], max[32];

		name = ct_syscall_name(r->k.nr);
		ct_syscall_times(r, time, max, sizeof(time));
		fprintf(o->f, "  %-20s %12llu %10s %10s\n", name ? name : "unknown",
			(unsigned long long)r->v.count, time, max);
	}
}

static void text_drops(const struct out *o, const struct ct_profile *p)
{
	int c, n = 0;

	fprintf(o->f, "\nDropped: ");
	for (c = 0; c < CT_DROP_MAX; c++)
		if (p->drops[c])
			fprintf(o->f, "%s%s %llu", n++ ? ", " : "", ct_drop_name(c),
				(unsigned long long)p->drops[c]);
	fprintf(o->f, "%s\n", n ? " (tables are incomplete by these counts)" : "none");
	if (p->stacks_enabled)
		fprintf(o->f, "Stacks: %llu wait samples (%llu waits not sampled), %llu on-CPU samples;\n"
			"  %llu of %llu frames unsymbolized, %llu stacks truncated\n",
			(unsigned long long)p->st.wait_samples,
			(unsigned long long)p->st.not_sampled,
			(unsigned long long)p->st.cpu_samples,
			(unsigned long long)p->st.unsymbolized, (unsigned long long)p->st.frames,
			(unsigned long long)p->st.truncated);
}

void ct_text_bullet(FILE *f, const char *raw)
{
	const char *indent = "  - ", *text;
	int width = 100 - 4, len;
	char buf[CT_DIAG_LEN * 2];

	text = ct_text_safe(raw, buf, sizeof(buf));
	while (*text) {
		len = strlen(text);
		if (len > width) {
			len = width;
			while (len > 0 && text[len] != ' ')
				len--;
			if (!len)
				len = width;
		}
		fprintf(f, "%s%.*s\n", indent, len, text);
		text += len;
		while (*text == ' ')
			text++;
		indent = "    ";
	}
}

static void text_verdict(const struct out *o, const struct ct_diagnosis *d)
{
	const char *hi = o->color ? "\033[1;32m" : "", *off = o->color ? "\033[0m" : "";
	int i;

	heading(o, "Diagnosis");
	fprintf(o->f, "  %s-bound, model %s%s\n", ct_bound_name(d->bound), ct_model_name(d->model),
		d->serialized ? ", threads SERIALIZED" : "");
	for (i = 0; i < d->nr_evidence; i++)
		ct_text_bullet(o->f, d->evidence[i]);
	heading(o, "Recommendation");
	fprintf(o->f, "  %s%s%s (confidence %.2f)%s\n", hi, ct_advice_name(d->rec_model), off,
		d->confidence, d->matches_current ? ": what it already uses" : "");
	for (i = 0; i < d->nr_reasons; i++)
		ct_text_bullet(o->f, d->reasons[i]);
}

void ct_render_text(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		    const struct ct_render_opts *ro)
{
	struct out o = { .f = f, .color = ro->color };
	char *const *a;
	char buf[512];
	int i;

	fprintf(f, "conctrace %s: ", CT_VERSION);
	if (p->argv) {
		for (a = p->argv; *a; a++)
			fprintf(f, "%s%s", a == p->argv ? "" : " ", ct_text_safe(*a, buf, sizeof(buf)));
	} else {
		fprintf(f, "PID");
		for (i = 0; i < p->nr_pids; i++)
			fprintf(f, "%s%d", i ? "," : " ", p->pids[i]);
	}
	fprintf(f, "\n  %.3f s on %d cores, %u threads in %u processes, parallelism %.2f\n",
		p->duration_s, p->cores, p->tot.threads_seen, p->tot.processes_seen,
		d->parallelism);
	if (p->has_exit_status)
		fprintf(f, "  exit status %d\n", p->exit_status);
	if (p->exited_early)
		fprintf(f, "  every target exited before the end of the trace\n");
	text_times(&o, p);
	heading(&o, "Run-queue latency");
	ct_hist_print(f, (const unsigned long long *)p->hists[CT_CAUSE_RUNQUEUE].slots,
		      CT_HIST_SLOTS, "usecs", 40);
	text_threads(&o, p, ro->top);
	text_locks(&o, p, ro->top);
	text_cpu_stacks(&o, p, ro->top);
	text_syscalls(&o, p, ro->top);
	text_drops(&o, p);
	text_verdict(&o, d);
}
