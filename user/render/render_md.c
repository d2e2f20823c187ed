// SPDX-License-Identifier: GPL-2.0
/*
 * The Markdown report: the text report's content as headings and pipe tables, ready to paste
 * into an issue or a pull request. Never colour; every name from the target is escaped.
 */
#include <stdlib.h>
#include "common/ct.h"
#include "model/hist.h"
#include "model/locks.h"
#include "render.h"
#include "render_util.h"
#include "model/syscall_table.h"

static void md_header(FILE *f, const struct ct_profile *p, const struct ct_diagnosis *d)
{
	char *const *a;
	int i;

	fprintf(f, "## conctrace report: ");
	if (p->argv) {
		for (a = p->argv; *a; a++) {
			fputs(a == p->argv ? "" : " ", f);
			ct_md_puts(f, *a);
		}
	} else {
		fprintf(f, "PID");
		for (i = 0; i < p->nr_pids; i++)
			fprintf(f, "%s%d", i ? "," : " ", p->pids[i]);
	}
	fprintf(f, "\n\n%.3f s on %d cores, %u threads in %u processes, parallelism %.2f",
		p->duration_s, p->cores, p->tot.threads_seen, p->tot.processes_seen,
		d->parallelism);
	if (p->has_exit_status)
		fprintf(f, ", exit status %d", p->exit_status);
	if (p->exited_early)
		fprintf(f, "; every target exited before the end of the trace");
	fprintf(f, ". conctrace %s.\n", CT_VERSION);
}

static void md_bullets(FILE *f, const char (*v)[CT_DIAG_LEN], int n)
{
	int i;

	for (i = 0; i < n; i++) {
		fputs("- ", f);
		ct_md_puts(f, v[i]);
		fputc('\n', f);
	}
}

static void md_verdict(FILE *f, const struct ct_diagnosis *d)
{
	fprintf(f, "\n### Diagnosis\n\n**%s-bound**, model **%s**%s\n\n", ct_bound_name(d->bound),
		ct_model_name(d->model),
		d->serialized ? ", threads **serialized**" : "");
	md_bullets(f, (const char (*)[CT_DIAG_LEN])d->evidence, d->nr_evidence);
	fprintf(f, "\n### Recommendation\n\n**%s** (confidence %.2f)%s\n\n",
		ct_advice_name(d->rec_model),
		d->confidence, d->matches_current ? ": what it already uses" : "");
	md_bullets(f, (const char (*)[CT_DIAG_LEN])d->reasons, d->nr_reasons);
}

static void md_times(FILE *f, const struct ct_profile *p)
{
	const struct ct_totals *t = &p->tot;
	double total = t->on_cpu_ns / CT_NS;
	int c;

	for (c = 0; c < CT_CAUSE_MAX; c++)
		total += t->wait_ns[c] / CT_NS;
	fprintf(f, "\n### Where the threads' time went\n\n| cause | seconds | share |\n"
		"|---|---:|---:|\n");
	fprintf(f, "| on CPU | %.3f | %.1f%% |\n", t->on_cpu_ns / CT_NS,
		total > 0 ? 100 * t->on_cpu_ns / CT_NS / total : 0);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		fprintf(f, "| %s | %.3f | %.1f%% |\n", ct_cause_labels[c], t->wait_ns[c] / CT_NS,
			total > 0 ? 100 * t->wait_ns[c] / CT_NS / total : 0);
	fprintf(f, "\nSummed over threads. Context switches: %llu voluntary, %llu involuntary.\n",
		(unsigned long long)t->nvcsw, (unsigned long long)t->nivcsw);
}

static void md_threads(FILE *f, const struct ct_profile *p, int top)
{
	size_t i;

	fprintf(f, "\n### Threads (by CPU time, seconds)\n\n| TID | PID | comm | CPU | run queue | "
		"lock | cond | join | I/O | sleep | other | vcsw | ivcsw |\n"
		"|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < p->nr_threads && (int)i < top; i++) {
		const struct ct_thread_rec *th = &p->threads[i];

		fprintf(f, "| %u%s | %u | ", th->tid, p->threads[i].exited ? " (exited)" : "",
			th->pid);
		ct_md_puts(f, th->comm);
		fprintf(f, " | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %llu | %llu |\n",
			th->on_cpu_ns / CT_NS, th->wait_ns[CT_CAUSE_RUNQUEUE] / CT_NS,
			th->wait_ns[CT_CAUSE_LOCK] / CT_NS, th->wait_ns[CT_CAUSE_COND] / CT_NS,
			th->wait_ns[CT_CAUSE_JOIN] / CT_NS,
			(th->wait_ns[CT_CAUSE_IO] + th->wait_ns[CT_CAUSE_POLL]) / CT_NS,
			th->wait_ns[CT_CAUSE_SLEEP] / CT_NS, th->wait_ns[CT_CAUSE_OTHER] / CT_NS,
			(unsigned long long)th->nvcsw, (unsigned long long)th->nivcsw);
	}
	if (p->nr_threads > (size_t)top)
		fprintf(f, "\n%zu more threads not shown.\n", p->nr_threads - top);
}

static void md_wakers(FILE *f, const struct ct_profile *p, const struct ct_lock_row *r)
{
	const char *comm;
	int k;

	for (k = 0; k < r->nr_wakers; k++) {
		const struct ct_lock_waker *w = &r->wakers[k];

		comm = w->waker ? ct_comm_of(p, 0, w->waker) : NULL;
		fprintf(f, "%s%u", k ? ", " : "", w->waker);
		if (comm) {
			fputs(" ", f);
			ct_md_puts(f, comm);
		}
		fprintf(f, " → %u ×%llu", w->wakee, (unsigned long long)w->count);
	}
	if (!r->nr_wakers)
		fputs("–", f);
}

static void md_locks(FILE *f, const struct ct_profile *p, int top)
{
	struct ct_lock_row *rows;
	const char *site;
	char sbuf[CT_FRAME_LEN];
	int n, i;

	fprintf(f, "\n### Locks and other futex waits\n\n");
	n = ct_lock_table(p, &rows);
	if (n < 0) {
		fprintf(f, "Lock table not available: out of memory.\n");
		return;
	}
	if (!n) {
		fprintf(f, "None.\n");
		return;
	}
	fprintf(f, "| lock | kind | PID | waits | wait s | max ms | waiters | top call site | "
		"wakers (waker → wakee ×count) |\n|---|---|---:|---:|---:|---:|---:|---|---|\n");
	for (i = 0; i < n && i < top; i++) {
		const struct ct_lock_row *r = &rows[i];

		fputs("| ", f);
		ct_md_puts(f, r->name);
		fputs(" | ", f);
		ct_md_puts(f, r->kind);
		fprintf(f, " | %u | %llu | %.3f | %.3f | %u | ", r->pid,
			(unsigned long long)r->waits, r->total_ns / CT_NS, r->max_ns / 1e6,
			r->waiters);
		site = r->nr_sites ? ct_stack_site(p, r->sites[0].stack, sbuf, sizeof(sbuf)) : NULL;
		if (site)
			ct_md_puts(f, site);
		else
			fputs("–", f);
		fputs(" | ", f);
		md_wakers(f, p, r);
		fputs(" |\n", f);
	}
	if (n > top)
		fprintf(f, "\n%d more not shown.\n", n - top);
	free(rows);
}

static void md_syscalls(FILE *f, const struct ct_profile *p, int top)
{
	const char *name;
	size_t i;

	fprintf(f, "\n### Syscalls (by count)\n\n");
	if (!p->syscalls_enabled) {
		fprintf(f, "Not traced (--no-syscalls).\n");
		return;
	}
	fprintf(f, "%llu in all.\n\n| syscall | count | time s | max ms |\n|---|---:|---:|---:|\n",
		(unsigned long long)p->tot.syscalls);
	for (i = 0; i < p->nr_syscalls && (int)i < top; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];
		char time[32], max[32];

		name = ct_syscall_name(r->k.nr);
		ct_syscall_times(r, time, max, sizeof(time));
		fprintf(f, "| %s | %llu | %s | %s |\n", name ? name : "unknown",
			(unsigned long long)r->v.count, time, max);
	}
}

static void md_hist(FILE *f, const char *title, const struct ct_hist *h)
{
	const unsigned long long *s = (const unsigned long long *)h->slots;
	unsigned long long total = ct_hist_total(s, CT_HIST_SLOTS), lo, hi;
	int first = -1, last = -1, i;

	for (i = 0; i < CT_HIST_SLOTS; i++)
		if (s[i]) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first < 0)
		return;
	fprintf(f, "\n#### %s\n\n%llu in all; median %.0f us, p99 %.0f us.\n\n"
		"| usecs | count | share |\n|---|---:|---:|\n", title, total,
		ct_hist_percentile(s, CT_HIST_SLOTS, 0.5), ct_hist_percentile(s, CT_HIST_SLOTS, 0.99));
	for (i = first; i <= last; i++) {
		ct_hist_bounds(i, &lo, &hi);
		if (hi == ~0ull)
			fprintf(f, "| %llu -> inf | %llu | %.1f%% |\n", lo, s[i], 100.0 * s[i] / total);
		else
			fprintf(f, "| %llu -> %llu | %llu | %.1f%% |\n", lo, hi - 1, s[i],
				100.0 * s[i] / total);
	}
}

static void md_hists(FILE *f, const struct ct_profile *p)
{
	char title[64];
	int c, n = 0;

	fprintf(f, "\n### Latency histograms\n");
	for (c = 0; c < CT_CAUSE_MAX; c++)
		n += ct_hist_total((const unsigned long long *)p->hists[c].slots, CT_HIST_SLOTS) > 0;
	if (!n) {
		fprintf(f, "\nNone recorded.\n");
		return;
	}
	md_hist(f, "Run-queue latency", &p->hists[CT_CAUSE_RUNQUEUE]);
	for (c = CT_CAUSE_RUNQUEUE + 1; c < CT_CAUSE_MAX; c++) {
		snprintf(title, sizeof(title), "Off-CPU time: %s", ct_cause_labels[c]);
		md_hist(f, title, &p->hists[c]);
	}
}

static void md_quality(FILE *f, const struct ct_profile *p)
{
	int c;

	fprintf(f, "\n### Data quality\n\n| counter | value |\n|---|---:|\n");
	for (c = 0; c < CT_DROP_MAX; c++)
		fprintf(f, "| dropped %s | %llu |\n", ct_drop_name(c), (unsigned long long)p->drops[c]);
	fprintf(f, "| dropped in all | %llu |\n", (unsigned long long)p->tot.drops_total);
	fprintf(f, "| unsymbolized frames | %llu |\n", (unsigned long long)p->st.unsymbolized);
	fprintf(f, "| truncated stacks | %llu |\n", (unsigned long long)p->st.truncated);
	fprintf(f, "| waits not sampled | %llu |\n", (unsigned long long)p->st.not_sampled);
	if (p->tot.drops_total)
		fprintf(f, "\nThe tables are incomplete by the dropped counts.\n");
}

void ct_render_md(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		  const struct ct_render_opts *o)
{
	md_header(f, p, d);
	md_verdict(f, d);
	md_times(f, p);
	md_threads(f, p, o->top);
	md_locks(f, p, o->top);
	md_syscalls(f, p, o->top);
	md_hists(f, p);
	md_quality(f, p);
}
