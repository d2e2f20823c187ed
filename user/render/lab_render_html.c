// SPDX-License-Identifier: GPL-2.0
/*
 * The workload lab as one self-contained HTML page: the models x workloads chart (speedup vs
 * serial per model per workload, the measured winner and the recommendation marked), then each
 * workload's table and reasons, and the summary. Inline SVG and CSS only, as render_html.c.
 */
#include <string.h>
#include <sys/utsname.h>
#include "common/ct.h"
#include "lab_cells.h"
#include "lab_render_html.h"
#include "render_util.h"
#include "svg.h"

static const char *const model_colors[] = {
	"#90a4ae", "#1565c0", "#2e7d32", "#f9a825", "#8e24aa",
};

static bool is_rec(const struct ct_lab_result *r, const struct ct_lab_cell *c)
{
	return r->rec_model != CT_LAB_NONE && r->rec_model == c->model;
}

/* Whether every workload has a serial cell with a throughput: then bars are speedups. */
static bool have_speedup(const struct ct_lab *lab)
{
	int i, k;

	for (i = 0; i < lab->nr_results; i++)
		for (k = 0; k < lab->results[i].nr_cells; k++)
			if (lab->results[i].cells[k].ok && lab->results[i].cells[k].speedup > 0)
				return true;
	return false;
}

static void chart(FILE *f, const struct ct_lab *lab)
{
	const int label_w = 200, bar_w = 520, row_h = 18, gap = 14, legend_h = 30;
	bool speedup = have_speedup(lab);
	double max = 0, v, y, w, lx;
	char tip[256], val[96];
	int i, k, rows = 0, m;

	for (i = 0; i < lab->nr_results; i++) {
		const struct ct_lab_result *r = &lab->results[i];

		rows += r->nr_cells;
		for (k = 0; k < r->nr_cells; k++) {
			v = speedup ? r->cells[k].speedup : r->cells[k].throughput;
			if (r->cells[k].ok && v > max)
				max = v;
		}
	}
	fprintf(f, "<h2>Models &times; workloads</h2>\n<p>%s per model per workload; "
		"&#9733; the measured winner, &#9670; the model recommended from the traces.</p>\n",
		speedup ? "Speedup over the serial model (throughput / serial throughput)" :
		"Throughput (tasks/s)");
	ct_svg_open(f, "chart-lab", 900, legend_h + rows * row_h + lab->nr_results * (gap + 18) + 8,
		    speedup ? "Speedup vs serial per model per workload" :
		    "Throughput per model per workload");
	lx = 4;
	for (m = 0; ct_lab_models[m]; m++)
		if (lab->models & (1ul << m))
			lx = ct_svg_legend(f, lx, 16, model_colors[m % 5], ct_lab_models[m]);
	y = legend_h;
	for (i = 0; i < lab->nr_results; i++) {
		const struct ct_lab_result *r = &lab->results[i];

		ct_svg_text(f, 4, y + 13, "start", NULL, ct_lab_workloads[r->workload]);
		y += 18;
		for (k = 0; k < r->nr_cells; k++, y += row_h) {
			const struct ct_lab_cell *c = &r->cells[k];

			ct_svg_text(f, label_w - 8, y + 13, "end", "small", ct_lab_models[c->model]);
			if (!c->ok) {
				ct_svg_text(f, label_w + 4, y + 13, "start", "small", "failed");
				continue;
			}
			v = speedup ? c->speedup : c->throughput;
			w = max > 0 ? bar_w * v / max : 0;
			snprintf(tip, sizeof(tip), "%s, %s: %.1f tasks/s, %.2fx serial, wall %.2f s",
				 ct_lab_workloads[r->workload], ct_lab_models[c->model],
				 c->throughput, c->speedup, c->wall_s);
			ct_svg_rect(f, label_w, y + 2, w, row_h - 4, model_colors[c->model % 5], tip);
			if (is_rec(r, c))
				fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
					"fill=\"none\" stroke=\"#111\" stroke-width=\"2\"/>\n",
					(double)label_w, y + 2, w, row_h - 4);
			snprintf(val, sizeof(val), speedup ? "%.2fx%s%s" : "%.0f/s%s%s", v,
				 k == r->winner ? "  \xe2\x98\x85 winner" : "",
				 is_rec(r, c) ? "  \xe2\x97\x86 recommended" : "");
			ct_svg_text(f, label_w + w + 6, y + 13, "start", "small", val);
		}
		y += gap;
	}
	ct_svg_close(f);
}

static void table(FILE *f, const struct ct_lab_result *r)
{
	struct ct_lab_row w;
	int k, i;

	fputs("<h3>", f);
	ct_html_puts(f, ct_lab_workloads[r->workload]);
	fprintf(f, "</h3>\n<table class=\"lab\" id=\"wl-%s\">\n<tr><th>model</th><th>wall s</th>"
		"<th>tasks/s</th><th>speedup</th><th>parallelism</th><th>cpu %%</th>"
		"<th>runq %%</th><th>lock %%</th><th>cond %%</th><th>io %%</th><th>csw/s</th>"
		"<th>syscalls/s</th><th>ipc MB</th></tr>\n", ct_lab_workloads[r->workload]);
	for (k = 0; k < r->nr_cells; k++) {
		const struct ct_lab_cell *c = &r->cells[k];

		fprintf(f, "<tr><td>%s%s%s</td>", ct_lab_models[c->model],
			k == r->winner ? " &#9733;" : "", is_rec(r, c) ? " &#9670;" : "");
		if (!c->ok) {
			fprintf(f, "<td colspan=\"12\" class=\"bad\">failed (exit status %d)</td></tr>\n",
				c->exit_status);
			continue;
		}
		ct_lab__cell_row(c, &w);
		fprintf(f, "<td class=\"n\">%.2f</td><td class=\"n\">%.1f</td><td class=\"n\">%.2fx</td>"
			"<td class=\"n\">%.2f</td><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td>"
			"<td class=\"n\">%.0f</td><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td>"
			"<td class=\"n\">%.0f</td><td class=\"n\">%.0f</td><td class=\"n\">%.1f</td>"
			"</tr>\n", c->wall_s, c->throughput, c->speedup, w.par, w.cpu_pct, w.rq_pct,
			w.lock_pct, w.cond_pct, w.io_pct, w.csw_s, w.sys_s, w.ipc_mb);
	}
	fprintf(f, "</table>\n<p>Winner &#9733; <b>%s</b>; recommended from the traces &#9670; "
		"<b class=\"rec\">", ct_lab__winner_name(r));
	ct_html_puts(f, ct_lab__rec_name(r));
	fprintf(f, "</b>: %s</p>\n<ul>\n", r->agrees ? "agrees (within 10%)" :
		"<span class=\"bad\">disagrees with the stopwatch</span>");
	for (i = 0; i < r->nr_reasons; i++) {
		fputs("<li>", f);
		ct_html_puts(f, r->reasons[i]);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

void ct_lab__render_html(const struct ct_lab *lab, FILE *f)
{
	char line[512];
	struct utsname u;
	__u64 drops = 0;
	int i, k, cores = 0;

	uname(&u);
	for (i = 0; i < lab->nr_results; i++)
		for (k = 0; k < lab->results[i].nr_cells; k++) {
			drops += lab->results[i].cells[k].prof.tot.drops_total;
			if (!cores)
				cores = lab->results[i].cells[k].prof.cores;
		}
	ct_html_head(f, "conctrace run");
	fprintf(f, "<h1>conctrace run</h1>\n<p class=\"muted\">Scale %s, %d cores, kernel ",
		ct_lab_scales[lab->scale], cores);
	ct_html_puts(f, lab->kernel[0] ? lab->kernel : u.release);
	fprintf(f, ", %.1f s in all%s. Dropped events: %llu.</p>\n", lab->duration_s,
		lab->interrupted ? " (interrupted: partial results)" : "",
		(unsigned long long)drops);
	chart(f, lab);
	fputs("<h2>Summary: the rule of thumb, as measured here</h2>\n<ul id=\"summary\">\n", f);
	for (i = 0; i < lab->nr_results; i++) {
		ct_lab__summary(&lab->results[i], line, sizeof(line));
		fputs("<li>", f);
		ct_html_puts(f, line);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n<h2>Per workload</h2>\n<p class=\"muted\">cpu..io %: share of the threads' "
	      "summed time; parallelism: on-CPU time / wall time.</p>\n", f);
	for (i = 0; i < lab->nr_results; i++)
		table(f, &lab->results[i]);
	ct_html_foot(f);
}
