// SPDX-License-Identifier: GPL-2.0
/* The workload lab's report: models side by side per workload, in text, Markdown or JSON. */
#include <string.h>
#include <sys/utsname.h>
#include "common/ct.h"
#include "json.h"
#include "lab_cells.h"
#include "lab_render.h"
#include "lab_render_html.h"
#include "render.h"

static void text_result(const struct ct_lab_result *r, FILE *f, bool md, bool color)
{
	const char *b = color ? "\033[1m" : "", *e = color ? "\033[0m" : "";
	struct ct_lab_row w;
	int i;

	if (md) {
		fprintf(f, "\n### %s\n\n", ct_lab_workloads[r->workload]);
		fprintf(f, "| model | wall s | tasks/s | speedup | parallelism | cpu %% | runq %% | "
			"lock %% | cond %% | io %% | csw/s | syscalls/s | ipc MB |\n");
		fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	} else {
		fprintf(f, "\n%s%s%s\n", b, ct_lab_workloads[r->workload], e);
		fprintf(f, "  %-10s %7s %9s %7s %5s %5s %5s %5s %5s %5s %7s %8s %7s\n", "MODEL",
			"WALL s", "TASKS/s", "SPEEDUP", "PAR", "CPU%", "RUNQ%", "LOCK%", "COND%",
			"IO%", "CSW/s", "SYSC/s", "IPC MB");
	}
	for (i = 0; i < r->nr_cells; i++) {
		const struct ct_lab_cell *c = &r->cells[i];

		if (!c->ok) {
			fprintf(f, md ? "| %s | failed (exit %d) |||||||||||| \n" :
				"  %-9s failed (exit status %d)\n", ct_lab_models[c->model],
				c->exit_status);
			continue;
		}
		ct_lab__cell_row(c, &w);
		fprintf(f, md ? "| %s%s | %.2f | %.1f | %.2fx | %.2f | %.0f | %.0f | %.0f | %.0f | "
			"%.0f | %.0f | %.0f | %.1f |\n" :
			"  %-9s%s %7.2f %9.1f %6.2fx %5.2f %5.0f %5.0f %5.0f %5.0f %5.0f %7.0f %8.0f "
			"%7.1f\n", ct_lab_models[c->model], i == r->winner ? "*" : " ", c->wall_s,
			c->throughput, c->speedup, w.par, w.cpu_pct, w.rq_pct, w.lock_pct,
			w.cond_pct, w.io_pct, w.csw_s, w.sys_s, w.ipc_mb);
	}
	fprintf(f, "%s  winner (*): %s; recommended from the traces: %s%s%s, %s\n",
		md ? "\n" : "", ct_lab__winner_name(r), b, ct_lab__rec_name(r), e,
		r->agrees ? "agrees (within 10%)" : "DISAGREES with the stopwatch");
	for (i = 0; i < r->nr_reasons; i++)
		ct_text_bullet(f, r->reasons[i]);
}

static void render_text(const struct ct_lab *lab, FILE *f, bool md, bool color)
{
	char line[512];
	int i, cores = 0;

	for (i = 0; i < lab->nr_results && !cores; i++)
		if (lab->results[i].nr_cells)
			cores = lab->results[i].cells[0].prof.cores;
	fprintf(f, md ? "## conctrace run\n\nScale %s, %d cores, %.1f s in all%s.\n" :
		"conctrace run: scale %s, %d cores, %.1f s in all%s\n",
		ct_lab_scales[lab->scale], cores, lab->duration_s,
		lab->interrupted ? " (interrupted: partial results)" : "");
	if (!md)
		fprintf(f, "  PAR = on-CPU time / wall; CPU%%..IO%% = share of the threads' summed "
			"time; * = measured winner\n");
	for (i = 0; i < lab->nr_results; i++)
		text_result(&lab->results[i], f, md, color);
	fprintf(f, md ? "\n### Summary: the rule of thumb, as measured here\n\n" :
		"\nSummary: the rule of thumb, as measured here\n");
	for (i = 0; i < lab->nr_results; i++) {
		ct_lab__summary(&lab->results[i], line, sizeof(line));
		ct_text_bullet(f, line);
	}
	for (i = 0; i < lab->nr_results; i++) {
		const struct ct_lab_result *r = &lab->results[i];
		__u64 drops = 0;
		int j;

		for (j = 0; j < r->nr_cells; j++)
			drops += r->cells[j].prof.tot.drops_total;
		if (drops)
			fprintf(f, "  dropped events in %s: %llu (see --format json)\n",
				ct_lab_workloads[r->workload], (unsigned long long)drops);
	}
}

static void render_json(const struct ct_lab *lab, FILE *f)
{
	struct ct_render_opts ro = { .top = 10 };
	struct ct_json *j = ct_json__new(f, true);
	struct utsname u;
	char line[512];
	int i, k;

	if (!j)
		return;
	uname(&u);
	ct_json_start_object(j);
	ct_json_kv_string(j, "schema", "conctrace.run/1");
	ct_json_kv_string(j, "version", CT_VERSION);
	ct_json_key(j, "machine");
	ct_json_start_object(j);
	ct_json_kv_int(j, "cores", lab->nr_results && lab->results[0].nr_cells ?
		       lab->results[0].cells[0].prof.cores : 0);
	ct_json_kv_string(j, "kernel", lab->kernel[0] ? lab->kernel : u.release);
	ct_json_kv_string(j, "arch", lab->arch[0] ? lab->arch : u.machine);
	ct_json_end_object(j);
	ct_json_kv_string(j, "scale", ct_lab_scales[lab->scale]);
	ct_json_kv_int(j, "repeat", lab->repeat);
	ct_json_kv_double(j, "duration_s", lab->duration_s);
	ct_json_kv_bool(j, "interrupted", lab->interrupted);
	ct_json_key(j, "workloads");
	ct_json_start_array(j);
	for (i = 0; i < lab->nr_results; i++) {
		const struct ct_lab_result *r = &lab->results[i];

		ct_json_start_object(j);
		ct_json_kv_string(j, "name", ct_lab_workloads[r->workload]);
		ct_json_key(j, "cells");
		ct_json_start_array(j);
		for (k = 0; k < r->nr_cells; k++) {
			const struct ct_lab_cell *c = &r->cells[k];

			ct_json_start_object(j);
			ct_json_kv_string(j, "model", ct_lab_models[c->model]);
			ct_json_kv_bool(j, "ok", c->ok);
			ct_json_kv_int(j, "exit_status", c->exit_status);
			ct_json_kv_double(j, "wall_s", c->wall_s);
			ct_json_kv_double(j, "throughput", c->throughput);
			ct_json_kv_double(j, "speedup", c->speedup);
			ct_json_kv_uint(j, "tasks", c->tasks);
			ct_json_kv_uint(j, "done", c->done);
			ct_json_kv_uint(j, "errors", c->errors);
			ct_json_kv_bool(j, "timed_out", c->timed_out);
			ct_json_kv_uint(j, "bytes_moved", c->ipc_bytes);
			ct_json_kv_uint(j, "net_bytes", c->net_bytes);
			ct_json_kv_uint(j, "connections", c->connections);
			ct_json_key(j, "report");
			ct_report_json(j, &c->prof, &c->diag, &ro);
			ct_json_end_object(j);
		}
		ct_json_end_array(j);
		ct_json_kv_string(j, "winner", ct_lab__winner_name(r));
		ct_json_key(j, "recommendation");
		ct_json_start_object(j);
		ct_json_kv_string(j, "model", ct_lab_model_name(r->rec_model));
		ct_json_lines(j, "reasons", (const char (*)[CT_DIAG_LEN])r->reasons, r->nr_reasons);
		ct_json_end_object(j);
		ct_json_kv_bool(j, "agrees", r->agrees);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_key(j, "summary");
	ct_json_start_array(j);
	for (i = 0; i < lab->nr_results; i++) {
		ct_lab__summary(&lab->results[i], line, sizeof(line));
		ct_json_string(j, line);
	}
	ct_json_end_array(j);
	ct_json_end_object(j);
	ct_json__free(j);
}

void ct_lab__render(const struct ct_lab *lab, FILE *f, bool color)
{
	if (lab->format == CT_LAB_FMT_JSON)
		render_json(lab, f);
	else if (lab->format == CT_LAB_FMT_HTML)
		ct_lab__render_html(lab, f);
	else
		render_text(lab, f, lab->format == CT_LAB_FMT_MD, color && lab->format == CT_LAB_FMT_TEXT);
}
