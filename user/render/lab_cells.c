// SPDX-License-Identifier: GPL-2.0
/* What every format of the lab's report prints of a cell and a result. */
#include <stdio.h>
#include "lab_cells.h"

void ct_lab__cell_row(const struct ct_lab_cell *c, struct ct_lab_row *r)
{
	const struct ct_totals *t = &c->prof.tot;
	double total = t->on_cpu_ns, dur = c->prof.duration_s > 0 ? c->prof.duration_s : 1;
	int i;

	for (i = 0; i < CT_CAUSE_MAX; i++)
		total += t->wait_ns[i];
	if (total <= 0)
		total = 1;
	r->par = c->diag.parallelism;
	r->cpu_pct = 100 * t->on_cpu_ns / total;
	r->rq_pct = 100 * t->wait_ns[CT_CAUSE_RUNQUEUE] / total;
	r->lock_pct = 100 * t->wait_ns[CT_CAUSE_LOCK] / total;
	r->cond_pct = 100 * t->wait_ns[CT_CAUSE_COND] / total;
	r->io_pct = 100 * (t->wait_ns[CT_CAUSE_IO] + t->wait_ns[CT_CAUSE_POLL]) / total;
	r->csw_s = (t->nvcsw + t->nivcsw) / dur;
	r->sys_s = t->syscalls / dur;
	r->ipc_mb = c->ipc_bytes / 1e6;
}

const char *ct_lab__winner_name(const struct ct_lab_result *r)
{
	return r->winner >= 0 ? ct_lab_models[r->cells[r->winner].model] : "none";
}

const char *ct_lab__rec_name(const struct ct_lab_result *r)
{
	const char *name = ct_lab_model_name(r->rec_model);

	return name ? name : "none";
}

void ct_lab__summary(const struct ct_lab_result *r, char *buf, size_t len)
{
	size_t n;
	int i;

	n = snprintf(buf, len, "%s: winner %s", ct_lab_workloads[r->workload], ct_lab__winner_name(r));
	for (i = 0; i < r->nr_cells && n < len; i++) {
		const struct ct_lab_cell *c = &r->cells[i];

		if (c->ok && c->model != 0)
			n += snprintf(buf + n, len - n, ", %s %.2fx%s", ct_lab_models[c->model],
				      c->speedup, c->diag.serialized ? " (serialized)" : "");
	}
	if (n < len)
		snprintf(buf + n, len - n, " vs serial; recommended %s%s",
			 ct_lab__rec_name(r),
			 r->agrees ? " (agrees)" : " (DISAGREES)");
}
