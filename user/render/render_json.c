// SPDX-License-Identifier: GPL-2.0
/* The JSON report, schema conctrace.report/1 (docs/report-schema.md); later versions only add. */
#include <stdlib.h>
#include <string.h>
#include "common/ct.h"
#include "json.h"
#include "model/frame.h"
#include "render.h"
#include "model/syscall_table.h"
#include "model/hist.h"
#include "model/locks.h"
#include "render_util.h"

static void json_hist(struct ct_json *j, const char *key, const struct ct_hist *h)
{
	unsigned long long lo, hi;
	unsigned int s;

	ct_json_key(j, key);
	ct_json_start_object(j);
	ct_json_kv_string(j, "unit", "us");
	ct_json_kv_uint(j, "total", ct_hist_total((const unsigned long long *)h->slots,
						    CT_HIST_SLOTS));
	ct_json_key(j, "buckets");
	ct_json_start_array(j);
	for (s = 0; s < CT_HIST_SLOTS; s++) {
		if (!h->slots[s])
			continue;
		ct_hist_bounds(s, &lo, &hi);
		ct_json_start_object(j);
		ct_json_kv_uint(j, "lo", lo);
		ct_json_kv_uint(j, "hi", hi);
		ct_json_kv_uint(j, "count", h->slots[s]);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_end_object(j);
}

static void json_target(struct ct_json *j, const struct ct_profile *p)
{
	char *const *a;
	int i;

	ct_json_key(j, "target");
	ct_json_start_object(j);
	ct_json_key(j, "pids");
	ct_json_start_array(j);
	for (i = 0; i < p->nr_pids; i++)
		ct_json_int(j, p->pids[i]);
	ct_json_end_array(j);
	ct_json_key(j, "command");
	if (p->argv) {
		ct_json_start_array(j);
		for (a = p->argv; *a; a++)
			ct_json_string(j, *a);
		ct_json_end_array(j);
	} else {
		ct_json_null(j);
	}
	ct_json_key(j, "exit_status");
	if (p->has_exit_status)
		ct_json_int(j, p->exit_status);
	else
		ct_json_null(j);
	ct_json_kv_bool(j, "exited_early", p->exited_early);
	ct_json_end_object(j);
}

static void json_times(struct ct_json *j, const struct ct_totals *t)
{
	ct_json_key(j, "time_s");
	ct_json_start_object(j);
	ct_json_kv_double(j, "on_cpu", t->on_cpu_ns / CT_NS);
	ct_json_kv_double(j, "runqueue", t->wait_ns[CT_CAUSE_RUNQUEUE] / CT_NS);
	ct_json_kv_double(j, "lock_wait", t->wait_ns[CT_CAUSE_LOCK] / CT_NS);
	ct_json_kv_double(j, "cond_wait", t->wait_ns[CT_CAUSE_COND] / CT_NS);
	ct_json_kv_double(j, "join_wait", t->wait_ns[CT_CAUSE_JOIN] / CT_NS);
	ct_json_kv_double(j, "io_wait", (t->wait_ns[CT_CAUSE_IO] + t->wait_ns[CT_CAUSE_POLL]) / CT_NS);
	ct_json_kv_double(j, "poll_wait", t->wait_ns[CT_CAUSE_POLL] / CT_NS);
	ct_json_kv_double(j, "sleep", t->wait_ns[CT_CAUSE_SLEEP] / CT_NS);
	ct_json_kv_double(j, "other_blocked", t->wait_ns[CT_CAUSE_OTHER] / CT_NS);
	ct_json_kv_double(j, "steal", t->steal_ns / CT_NS);
	ct_json_end_object(j);
}

static void json_syscalls(struct ct_json *j, const struct ct_profile *p, int top)
{
	const char *name;
	size_t i;

	ct_json_key(j, "syscalls");
	ct_json_start_object(j);
	ct_json_kv_bool(j, "enabled", p->syscalls_enabled);
	ct_json_kv_uint(j, "total", p->tot.syscalls);
	ct_json_key(j, "top");
	ct_json_start_array(j);
	for (i = 0; i < p->nr_syscalls && (int)i < top; i++) {
		const struct ct_syscall_rec *r = &p->syscalls[i];

		name = ct_syscall_name(r->k.nr);
		ct_json_start_object(j);
		ct_json_kv_uint(j, "nr", r->k.nr);
		ct_json_kv_string(j, "name", name ? name : "unknown");
		ct_json_kv_uint(j, "count", r->v.count);
		ct_json_kv_double(j, "time_s", r->v.total_ns / CT_NS);
		ct_json_kv_double(j, "max_s", r->v.max_ns / CT_NS);
		ct_json_kv_bool(j, "timed", ct_syscall_timed(r->k.nr));
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_end_object(j);
}

/* "key": [frames of stack @i], or null. */
static void json_frames(struct ct_json *j, const char *key, const struct ct_profile *p, int i)
{
	char buf[CT_FRAME_LEN];
	__u32 f;

	ct_json_key(j, key);
	if (i < 0 || (size_t)i >= p->nr_stacks) {
		ct_json_null(j);
		return;
	}
	ct_json_start_array(j);
	for (f = 0; f < p->stacks[i].nr_frames; f++)
		ct_json_string(j, ct_frame__format(p, p->stacks[i].frames[f], buf, sizeof(buf)));
	ct_json_end_array(j);
}

static void json_lock_row(struct ct_json *j, const struct ct_profile *p,
			  const struct ct_lock_row *r)
{
	char addr[32];
	int k;

	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)r->uaddr);
	ct_json_start_object(j);
	ct_json_kv_string(j, "addr", addr);
	ct_json_kv_uint(j, "pid", r->pid);
	ct_json_kv_string(j, "kind", ct_cause_name(r->cause));	/* schema 1: the cause */
	ct_json_kv_string(j, "lock_type", r->kind);
	ct_json_kv_string(j, "symbol", r->named ? r->name : NULL);	/* NULL: null */
	ct_json_kv_string(j, "name", r->name);
	ct_json_kv_uint(j, "waits", r->waits);
	ct_json_kv_double(j, "wait_s", r->total_ns / CT_NS);
	ct_json_kv_double(j, "max_wait_s", r->max_ns / CT_NS);
	ct_json_kv_uint(j, "waiters", r->waiters);
	ct_json_kv_uint(j, "sampled_waits", r->sampled);
	ct_json_key(j, "stacks");
	ct_json_start_array(j);
	for (k = 0; k < r->nr_sites; k++) {
		ct_json_start_object(j);
		ct_json_kv_uint(j, "samples", r->sites[k].samples);
		ct_json_kv_double(j, "sampled_wait_s", r->sites[k].wait_ns / CT_NS);
		ct_json_kv_bool(j, "truncated", p->stacks[r->sites[k].stack].truncated);
		json_frames(j, "frames", p, r->sites[k].stack);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_key(j, "wakers");
	ct_json_start_array(j);
	for (k = 0; k < r->nr_wakers; k++) {
		ct_json_start_object(j);
		ct_json_kv_uint(j, "tid", r->wakers[k].waker);
		ct_json_kv_uint(j, "wakee", r->wakers[k].wakee);
		ct_json_kv_uint(j, "count", r->wakers[k].count);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_end_object(j);
}

static void json_locks(struct ct_json *j, const struct ct_profile *p, int top)
{
	struct ct_lock_row *rows;
	int i, n = ct_lock_table(p, &rows);

	ct_json_key(j, "locks");
	ct_json_start_object(j);
	ct_json_kv_double(j, "wait_s", p->tot.wait_ns[CT_CAUSE_LOCK] / CT_NS);
	ct_json_kv_uint(j, "contended_waits", p->tot.lock_waits);
	ct_json_key(j, "top");
	ct_json_start_array(j);
	for (i = 0; i < n && i < top; i++)
		json_lock_row(j, p, &rows[i]);
	ct_json_end_array(j);
	ct_json_end_object(j);
	free(rows);
}

/* The heaviest sites of @kind: on-CPU by samples, waits by sampled wait time. */
static void json_sites(struct ct_json *j, const char *key, const struct ct_profile *p,
		       __u32 kind, int top)
{
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	const struct ct_site_rec **v = calloc(p->nr_sites ? p->nr_sites : 1, sizeof(*v));
	size_t i, n = 0;

	ct_json_key(j, key);
	ct_json_start_array(j);
	for (i = 0; v && i < p->nr_sites; i++)
		if (p->sites[i].kind == kind)
			v[n++] = &p->sites[i];
	if (v)
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
		qsort(v, n, sizeof(*v), ct_site_cmp_weight);
	for (i = 0; i < n && (int)i < top; i++) {
		char addr[32];

		ct_json_start_object(j);
		ct_json_kv_uint(j, "pid", v[i]->pid);
		ct_json_kv_uint(j, "tid", v[i]->tid);
		ct_json_kv_uint(j, "samples", v[i]->samples);
		if (kind == CT_SITE_WAIT) {
			snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)v[i]->uaddr);
			ct_json_kv_string(j, "cause", ct_cause_name(v[i]->cause));
			ct_json_kv_string(j, "addr", addr);
			ct_json_kv_double(j, "sampled_wait_s", v[i]->wait_ns / CT_NS);
		}
		json_frames(j, "frames", p, v[i]->ustack);
		json_frames(j, "kernel_frames", p, v[i]->kstack);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	free(v);
}

static void json_stacks(struct ct_json *j, const struct ct_profile *p, int top)
{
	const struct ct_stack_stats *st = &p->st;

	ct_json_key(j, "stacks");
	ct_json_start_object(j);
	ct_json_kv_bool(j, "enabled", p->stacks_enabled);
	ct_json_kv_int(j, "sample_hz", p->sample_hz);
	ct_json_kv_uint(j, "wait_samples", st->wait_samples);
	ct_json_kv_uint(j, "cpu_samples", st->cpu_samples);
	ct_json_kv_uint(j, "waits_not_sampled", st->not_sampled);
	ct_json_kv_uint(j, "open_waits", st->open_waits);
	ct_json_kv_uint(j, "frames", st->frames);
	ct_json_kv_uint(j, "unsymbolized_frames", st->unsymbolized);
	ct_json_kv_uint(j, "truncated_stacks", st->truncated);
	json_sites(j, "on_cpu", p, CT_SITE_CPU, top);
	json_sites(j, "waits", p, CT_SITE_WAIT, top);
	ct_json_end_object(j);
}

static void json_wakeups(struct ct_json *j, const struct ct_profile *p, int top)
{
	size_t i;

	ct_json_key(j, "wakeups");
	ct_json_start_object(j);
	ct_json_key(j, "edges");
	ct_json_start_array(j);
	for (i = 0; i < p->nr_wakes && (int)i < top * 4; i++) {
		const struct ct_wake_rec *w = &p->wakes[i];

		ct_json_start_object(j);
		ct_json_kv_uint(j, "waker", w->k.waker);
		ct_json_kv_uint(j, "wakee", w->k.wakee);
		ct_json_kv_string(j, "cause", ct_cause_name(w->k.cause));
		ct_json_kv_uint(j, "count", w->v.count);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_end_object(j);
}

static void json_threads(struct ct_json *j, const struct ct_profile *p)
{
	static const char *const keys[CT_CAUSE_MAX] = {
		"runqueue_s", "lock_wait_s", "cond_wait_s", "join_wait_s", "io_wait_s",
		"poll_wait_s", "sleep_s", "other_s",
	};
	size_t i;
	int c;

	ct_json_key(j, "threads");
	ct_json_start_array(j);
	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread_rec *r = &p->threads[i];
		const struct ct_thread_rec *th = r;
		__u64 first = th->first_ns > p->start_ns ? th->first_ns : p->start_ns;
		__u64 last = th->last_ns ? th->last_ns : p->stop_ns;

		ct_json_start_object(j);
		ct_json_kv_uint(j, "tid", th->tid);
		ct_json_kv_uint(j, "pid", th->pid);
		ct_json_kv_string(j, "comm", th->comm);
		ct_json_kv_bool(j, "exited", r->exited);
		ct_json_kv_double(j, "lifetime_s", last > first ? (last - first) / CT_NS : 0);
		ct_json_kv_double(j, "on_cpu_s", th->on_cpu_ns / CT_NS);
		for (c = 0; c < CT_CAUSE_MAX; c++) {
			__u64 v = th->wait_ns[c];

			if (c == CT_CAUSE_IO)	/* io_wait_s includes poll, as time_s.io_wait */
				v += th->wait_ns[CT_CAUSE_POLL];
			ct_json_kv_double(j, keys[c], v / CT_NS);
		}
		ct_json_kv_double(j, "steal_s", th->steal_ns / CT_NS);
		ct_json_kv_uint(j, "voluntary", th->nvcsw);
		ct_json_kv_uint(j, "involuntary", th->nivcsw);
		ct_json_kv_uint(j, "syscalls", th->syscalls);
		if (p->python)
			ct_json_kv_double(j, "gil_wait_s", r->gil_wait_ns / CT_NS);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
}

void ct_json_drops(struct ct_json *j, const struct ct_profile *p)
{
	int c;

	ct_json_key(j, "dropped");
	ct_json_start_object(j);
	for (c = 0; c < CT_DROP_MAX; c++)
		ct_json_kv_uint(j, ct_drop_name(c), p->drops[c]);
	ct_json_kv_uint(j, "total", p->tot.drops_total);
	ct_json_end_object(j);
}

void ct_json_lines(struct ct_json *j, const char *key, const char (*v)[CT_DIAG_LEN], int n)
{
	int i;

	ct_json_key(j, key);
	ct_json_start_array(j);
	for (i = 0; i < n; i++)
		ct_json_string(j, v[i]);
	ct_json_end_array(j);
}

static void json_diagnosis(struct ct_json *j, const struct ct_diagnosis *d)
{
	ct_json_key(j, "diagnosis");
	ct_json_start_object(j);
	ct_json_kv_string(j, "bound", ct_bound_name(d->bound));
	ct_json_kv_string(j, "model", ct_model_name(d->model));
	ct_json_kv_bool(j, "serialized", d->serialized);
	ct_json_kv_string(j, "serialized_on",
			  d->serialized && d->serialized_on[0] ? d->serialized_on : NULL);
	ct_json_kv_bool(j, "python", d->python);
	ct_json_kv_bool(j, "gil", d->gil);
	ct_json_kv_double(j, "gil_wait_s", d->gil_wait_s);
	ct_json_kv_double(j, "gil_held_share", d->gil_held_share);
	ct_json_kv_string(j, "dominant_cause", ct_dominant_name(d->dominant));
	ct_json_kv_uint(j, "active_threads", d->active_threads);
	ct_json_kv_uint(j, "busy_threads", d->busy_threads);
	ct_json_lines(j, "evidence", d->evidence, d->nr_evidence);
	ct_json_end_object(j);

	ct_json_key(j, "recommendation");
	ct_json_start_object(j);
	ct_json_kv_string(j, "model", ct_advice_name(d->rec_model));
	ct_json_kv_bool(j, "matches_current", d->matches_current);
	ct_json_kv_double(j, "confidence", d->confidence);
	ct_json_lines(j, "reasons", d->reasons, d->nr_reasons);
	ct_json_end_object(j);
}

void ct_report_json(struct ct_json *j, const struct ct_profile *p, const struct ct_diagnosis *d,
		    const struct ct_render_opts *o)
{
	int c;

	ct_json_start_object(j);
	ct_json_kv_string(j, "schema", CT_REPORT_SCHEMA);
	ct_json_kv_string(j, "version", CT_VERSION);
	json_target(j, p);
	ct_json_kv_double(j, "duration_s", p->duration_s);
	ct_json_kv_int(j, "cores", p->cores);
	ct_json_kv_uint(j, "threads_seen", p->tot.threads_seen);
	ct_json_kv_uint(j, "processes_seen", p->tot.processes_seen);
	json_times(j, &p->tot);
	ct_json_kv_double(j, "parallelism", d->parallelism);
	ct_json_key(j, "context_switches");
	ct_json_start_object(j);
	ct_json_kv_uint(j, "voluntary", p->tot.nvcsw);
	ct_json_kv_uint(j, "involuntary", p->tot.nivcsw);
	ct_json_end_object(j);
	json_hist(j, "runqueue_hist", &p->hists[CT_CAUSE_RUNQUEUE]);
	ct_json_key(j, "offcpu_hist");
	ct_json_start_object(j);
	for (c = CT_CAUSE_RUNQUEUE + 1; c < CT_CAUSE_MAX; c++)
		json_hist(j, ct_cause_name(c), &p->hists[c]);
	ct_json_end_object(j);
	json_syscalls(j, p, o->top);
	json_locks(j, p, o->top);
	json_wakeups(j, p, o->top);
	json_stacks(j, p, o->top);
	json_threads(j, p);
	ct_json_drops(j, p);
	json_diagnosis(j, d);
	ct_json_end_object(j);
}

void ct_render_json(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		    const struct ct_render_opts *o)
{
	struct ct_json *j = ct_json__new(f, true);

	if (!j)
		return;
	ct_report_json(j, p, d, o);
	ct_json__free(j);
}
