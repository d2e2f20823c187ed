// SPDX-License-Identifier: GPL-2.0
/*
 * Chrome trace-event JSON (the JSON Object Format, {"traceEvents": [...]}), which
 * ui.perfetto.dev and chrome://tracing open. Process and thread names are metadata events
 * (ph "M"). With a recorded timeline (--timeline) every state slice is a complete event
 * (ph "X": running, runnable or the blocking cause) on its thread's track; without one, each
 * thread's totals are a counter track (ph "C", seconds by cause) so the file still carries the
 * numbers. Times are microseconds from the start of the trace. Dropped and unsymbolized counts
 * are in "otherData".
 */
#include "common/ct.h"
#include "json.h"
#include "render.h"
#include "render_util.h"

static double us_since(const struct ct_profile *p, __u64 ns)
{
	return ns > p->start_ns ? (ns - p->start_ns) / 1e3 : 0;
}

static void meta(struct ct_json *j, const char *what, __u32 pid, __u32 tid, const char *name)
{
	ct_json_start_object(j);
	ct_json_kv_string(j, "name", what);
	ct_json_kv_string(j, "ph", "M");
	ct_json_kv_uint(j, "pid", pid);
	ct_json_kv_uint(j, "tid", tid);
	ct_json_key(j, "args");
	ct_json_start_object(j);
	ct_json_kv_string(j, "name", name);
	ct_json_end_object(j);
	ct_json_end_object(j);
}

static void names(struct ct_json *j, const struct ct_profile *p)
{
	const char *comm;
	char buf[64];
	size_t i, k;

	/* one process_name per process: from the process table, else its first thread */
	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread_rec *th = &p->threads[i];

		for (k = 0; k < i && p->threads[k].pid != th->pid; k++)
			;
		if (k < i)
			continue;
		comm = ct_comm_of(p, th->pid, th->pid);
		snprintf(buf, sizeof(buf), "%s (%u)", comm ? comm : th->comm, th->pid);
		meta(j, "process_name", th->pid, th->pid, buf);
	}
	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread_rec *th = &p->threads[i];

		meta(j, "thread_name", th->pid, th->tid, th->comm);
	}
}

static void slices(struct ct_json *j, const struct ct_profile *p)
{
	size_t i;

	for (i = 0; i < p->nr_slices; i++) {
		const struct ct_slice *s = &p->slices[i];
		const char *name = s->state == CT_SL_RUNNING ? "running" :
				   s->state == CT_SL_RUNNABLE ? "runnable" : ct_cause_name(s->cause);

		ct_json_start_object(j);
		ct_json_kv_string(j, "name", name);
		ct_json_kv_string(j, "cat", s->state == CT_SL_BLOCKED ? "blocked" : "cpu");
		ct_json_kv_string(j, "ph", "X");
		ct_json_kv_uint(j, "pid", s->pid);
		ct_json_kv_uint(j, "tid", s->tid);
		ct_json_kv_double(j, "ts", us_since(p, s->start_ns));
		ct_json_kv_double(j, "dur", s->end_ns > s->start_ns ?
				  (s->end_ns - s->start_ns) / 1e3 : 0);
		ct_json_end_object(j);
	}
}

/* A thread's totals as a counter, at its first sight and its end, so the track spans it. */
static void counters(struct ct_json *j, const struct ct_profile *p)
{
	char name[64];
	size_t i;
	int c, k;

	for (i = 0; i < p->nr_threads; i++) {
		const struct ct_thread_rec *th = &p->threads[i];
		__u64 first = th->first_ns > p->start_ns ? th->first_ns : p->start_ns;
		__u64 last = th->last_ns ? th->last_ns : p->stop_ns;

		snprintf(name, sizeof(name), "%s %u: time by cause (s)", th->comm, th->tid);
		for (k = 0; k < 2; k++) {
			ct_json_start_object(j);
			ct_json_kv_string(j, "name", name);
			ct_json_kv_string(j, "ph", "C");
			ct_json_kv_uint(j, "pid", th->pid);
			ct_json_kv_uint(j, "tid", th->tid);
			ct_json_kv_double(j, "ts", us_since(p, k ? last : first));
			ct_json_key(j, "args");
			ct_json_start_object(j);
			ct_json_kv_double(j, "on_cpu", th->on_cpu_ns / CT_NS);
			for (c = 0; c < CT_CAUSE_MAX; c++)
				ct_json_kv_double(j, ct_cause_name(c), th->wait_ns[c] / CT_NS);
			ct_json_end_object(j);
			ct_json_end_object(j);
		}
	}
}

void ct_render_perfetto(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
			const struct ct_render_opts *o)
{
	struct ct_json *j = ct_json__new(f, false);

	if (!j)
		return;
	ct_json_start_object(j);
	ct_json_kv_string(j, "displayTimeUnit", "ms");
	ct_json_key(j, "traceEvents");
	ct_json_start_array(j);
	names(j, p);
	if (p->timeline_enabled)
		slices(j, p);
	else
		counters(j, p);
	ct_json_end_array(j);
	ct_json_key(j, "otherData");
	ct_json_start_object(j);
	ct_json_kv_string(j, "producer", "conctrace " CT_VERSION);
	ct_json_kv_bool(j, "timeline", p->timeline_enabled);
	ct_json_kv_double(j, "duration_s", p->duration_s);
	ct_json_kv_string(j, "bound", ct_bound_name(d->bound));
	ct_json_kv_string(j, "recommended_model", ct_advice_name(d->rec_model));
	ct_json_drops(j, p);
	ct_json_kv_uint(j, "unsymbolized", p->st.unsymbolized);
	ct_json_end_object(j);
	ct_json_end_object(j);
	ct_json__free(j);
}
