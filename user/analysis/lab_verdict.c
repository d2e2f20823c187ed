// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's verdict on one workload: the measured winner among its cells, each cell's speedup
 * over serial, and the model the traces recommend (from the cells' diagnoses, not the stopwatch),
 * checked against the winner.
 */
#include <stdio.h>
#include <string.h>
#include "common/ct.h"
#include "lab_verdict.h"
#include "limits.h"

static const struct ct_lab_cell *cell_of(const struct ct_lab_result *r, int model)
{
	int i;

	for (i = 0; i < r->nr_cells; i++)
		if (r->cells[i].model == model && r->cells[i].ok)
			return &r->cells[i];
	return NULL;
}

#define REASON(r, ...) \
	do { \
		if ((r)->nr_reasons < CT_DIAG_LINES) \
			snprintf((r)->reasons[(r)->nr_reasons++], CT_DIAG_LEN, __VA_ARGS__); \
	} while (0)

/* Context switches per completed task, from the trace and the task count. */
static double csw_per_task(const struct ct_lab_cell *c)
{
	const struct ct_totals *t = &c->prof.tot;

	return c->done ? (double)(t->nvcsw + t->nivcsw) / c->done : 0;
}

/* The lab model that runs a diagnosis' advice (each advice is one of the lab's models). */
static int lab_model_of(enum ct_advice a)
{
	switch (a) {
	case CT_ADVICE_SERIAL:
		return CT_LAB_SERIAL;
	case CT_ADVICE_THREADS:
		return CT_LAB_THREADS;
	case CT_ADVICE_PROCESSES:
		return CT_LAB_PROCESSES;
	case CT_ADVICE_ASYNC:
		return CT_LAB_ASYNC;
	default:
		return CT_LAB_NONE;
	}
}

/*
 * The kernel evidence across the cells, not the stopwatch: the serial cell shows the nature
 * of the work (CPU, slow or fast I/O); the processes cell shows the cost of moving data; the
 * threads cell shows lock contention; the gil cell shows serialization.
 */
static void recommend(struct ct_lab_result *r)
{
	const struct ct_lab_cell *s = cell_of(r, CT_LAB_SERIAL), *pr = cell_of(r, CT_LAB_PROCESSES);
	const struct ct_lab_cell *th = cell_of(r, CT_LAB_THREADS), *gil = cell_of(r, CT_LAB_GIL);
	const struct ct_lab_cell *base = s ? s : r->nr_cells ? &r->cells[0] : NULL;
	const struct ct_lab_cell *rec, *win, *as;
	int i;

	r->rec_model = CT_LAB_NONE;
	if (!base || !base->ok)
		return;
	r->rec_model = lab_model_of(base->diag.rec_model);
	for (i = 0; i < base->diag.nr_reasons; i++)
		REASON(r, "%s: %s", ct_lab_models[base->model], base->diag.reasons[i]);
	if (pr && pr->diag.bound == CT_BOUND_IPC) {
		r->rec_model = CT_LAB_THREADS;
		REASON(r, "processes: %s", pr->diag.nr_reasons ? pr->diag.reasons[0] : "IPC-bound");
	}
	if (th && (th->diag.bound == CT_BOUND_LOCK || th->diag.serialized_on_lock)) {
		r->rec_model = lab_model_of(th->diag.rec_model);
		REASON(r, "threads: %s", th->diag.reasons[0]);
	}
	as = cell_of(r, CT_LAB_ASYNC);
	if (th && as && base->diag.bound == CT_BOUND_IO && r->rec_model == CT_LAB_THREADS) {
		double th_csw = csw_per_task(th), as_csw = csw_per_task(as);

		/* Fast I/O: what threads pay is a context switch per blocking call. */
		if (th_csw >= ct_diag_limits.lab_min_csw &&
		    as_csw * ct_diag_limits.lab_csw_ratio <= th_csw) {
			r->rec_model = CT_LAB_ASYNC;
			REASON(r, "threads pay %.1f context switches per task blocking on fast I/O; "
			       "the event loop %.2f", th_csw, as_csw);
		}
	}
	/* The loop itself saturated: CPU work in the tasks blocks it (as in asyncio). */
	if (as && r->rec_model == CT_LAB_ASYNC && as->diag.bound == CT_BOUND_CPU &&
	    as->diag.nr_reasons) {
		char why[CT_DIAG_LEN];

		/* a copy: the reason and the result live in the same lab (-Wrestrict) */
		memcpy(why, as->diag.reasons[0], sizeof(why));
		r->rec_model = lab_model_of(as->diag.rec_model);
		REASON(r, "async: the event loop is CPU-bound, %s", why);
	}
	if (gil && gil->diag.serialized)
		REASON(r, "gil: serialized, parallelism %.2f of %d cores", gil->diag.parallelism,
		       gil->prof.cores);

	rec = NULL;
	for (i = 0; i < r->nr_cells; i++)
		if (r->cells[i].ok && r->cells[i].model == r->rec_model)
			rec = &r->cells[i];
	win = r->winner >= 0 ? &r->cells[r->winner] : NULL;
	r->agrees = rec && win && rec->throughput >= ct_diag_limits.lab_agree * win->throughput;
}

void ct_lab_verdict(struct ct_lab_result *r)
{
	const struct ct_lab_cell *s = cell_of(r, CT_LAB_SERIAL);
	int i;

	r->winner = -1;
	for (i = 0; i < r->nr_cells; i++) {
		struct ct_lab_cell *c = &r->cells[i];

		if (!c->ok)
			continue;
		c->speedup = s && s->throughput > 0 ? c->throughput / s->throughput : 0;
		if (r->winner < 0 || c->throughput > r->cells[r->winner].throughput)
			r->winner = i;
	}
	recommend(r);
}
