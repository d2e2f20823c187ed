// SPDX-License-Identifier: GPL-2.0
/* The terminal report: aligned tables within 100 columns, colour only on a terminal. */
#include <string.h>
#include "ct.h"
#include "hist.h"
#include "render.h"
#include "syscall_table.h"

#define NS 1e9

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
	double total = t->on_cpu_ns / NS;
	int c;

	for (c = 0; c < CT_CAUSE_MAX; c++)
		total += t->wait_ns[c] / NS;
	heading(o, "Where the threads' time went (seconds, summed over threads)");
	bar_row(o, "on CPU", t->on_cpu_ns / NS, total);
	for (c = 0; c < CT_CAUSE_MAX; c++)
		bar_row(o, labels[c], t->wait_ns[c] / NS, total);
	fprintf(o->f, "  context switches: %llu voluntary, %llu involuntary\n",
		(unsigned long long)t->nvcsw, (unsigned long long)t->nivcsw);
}

static void text_threads(const struct out *o, const struct ct_profile *p, int top)
{
	size_t i;

	heading(o, "Threads (by CPU time; seconds; * exited)");
	fprintf(o->f, "  %7s %7s %-12s %7s %7s %7s %7s %7s %7s %7s %6s %6s\n", "TID", "PID", "COMM",
		"CPU", "RUNQ", "LOCK", "COND", "JOIN", "IO", "SLEEP", "VCSW", "IVCSW");
	for (i = 0; i < p->nr_threads && (int)i < top; i++) {
		const struct ct_thread *th = &p->threads[i].th;

		fprintf(o->f, "  %6u%c %7u %-12.12s %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %6llu "
			"%6llu\n", th->tid, p->threads[i].exited ? '*' : ' ', th->pid, th->comm,
			th->on_cpu_ns / NS,
			th->wait_ns[CT_CAUSE_RUNQUEUE] / NS, th->wait_ns[CT_CAUSE_LOCK] / NS,
			th->wait_ns[CT_CAUSE_COND] / NS, th->wait_ns[CT_CAUSE_JOIN] / NS,
			(th->wait_ns[CT_CAUSE_IO] + th->wait_ns[CT_CAUSE_POLL]) / NS,
			th->wait_ns[CT_CAUSE_SLEEP] / NS, (unsigned long long)th->nvcsw,
			(unsigned long long)th->nivcsw);
	}
	if (p->nr_threads > (size_t)top)
		fprintf(o->f, "  ... %zu more threads\n", p->nr_threads - top);
}

static void text_locks(const struct out *o, const struct ct_profile *p, int top)
{
	size_t i;

	heading(o, "Futex waits (locks, conditions, joins)");
	if (!p->nr_futexes) {
		fprintf(o->f, "  none\n");
		return;
	}
	fprintf(o->f, "  %-18s %7s %-5s %9s %10s %10s\n", "ADDRESS", "PID", "KIND", "WAITS",
		"WAIT s", "MAX ms");
	for (i = 0; i < p->nr_futexes && (int)i < top; i++) {
		const struct ct_futex_rec *f = &p->futexes[i];

		fprintf(o->f, "  0x%-16llx %7u %-5s %9llu %10.3f %10.3f\n",
			(unsigned long long)f->k.uaddr, f->k.pid, ct_cause_name(f->k.cause),
			(unsigned long long)f->v.waits, f->v.total_ns / NS, f->v.max_ns / 1e6);
	}
}

static void text_syscalls(const struct out *o, const struct ct_profile *p, int top)
{
	const char *name;
	size_t i;

	heading(o, "Syscalls (by total time)");
	if (!p->syscalls_enabled) {
		fprintf(o->f, "  not traced (--no-syscalls)\n");
		return;
	}
	fprintf(o->f, "  %-20s %12s %10s %10s   total %llu\n", "SYSCALL", "COUNT", "TIME s",
		"MAX ms", (unsigned long long)p->tot.syscalls);
	for (i = 0; i < p->nr_syscalls && (int)i < top; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];

		name = ct_syscall_name(r->k.nr);
		fprintf(o->f, "  %-20s %12llu %10.3f %10.3f\n", name ? name : "unknown",
			(unsigned long long)r->v.count, r->v.total_ns / NS, r->v.max_ns / 1e6);
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
}

void ct_text_bullet(FILE *f, const char *text)
{
	const char *indent = "  - ";
	int width = 100 - 4, len;

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
	fprintf(o->f, "  %s-bound, model %s%s\n", d->bound, d->model,
		d->serialized ? ", threads SERIALIZED" : "");
	for (i = 0; i < d->nr_evidence; i++)
		ct_text_bullet(o->f, d->evidence[i]);
	heading(o, "Recommendation");
	fprintf(o->f, "  %s%s%s (confidence %.2f)%s\n", hi, d->rec_model, off, d->confidence,
		d->matches_current ? ": what it already uses" : "");
	for (i = 0; i < d->nr_reasons; i++)
		ct_text_bullet(o->f, d->reasons[i]);
}

void ct_render_text(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		    const struct ct_render_opts *ro)
{
	struct out o = { .f = f, .color = ro->color };
	char *const *a;
	int i;

	fprintf(f, "conctrace %s: ", CT_VERSION);
	if (p->argv) {
		for (a = p->argv; *a; a++)
			fprintf(f, "%s%s", a == p->argv ? "" : " ", *a);
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
	text_syscalls(&o, p, ro->top);
	text_drops(&o, p);
	text_verdict(&o, d);
}
