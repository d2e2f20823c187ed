// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier: from the per-thread accounts, the dominant cause, the model in use,
 * serialization, and a recommendation following the rule of thumb, each with its figures. The
 * passes live in facts.c and verdict.c (passes.h); this runs them in order.
 */
#include <string.h>
#include "diagnose.h"
#include "model/record.h"
#include "passes.h"

void ct_diagnose(const struct ct_profile *p, struct ct_diagnosis *d)
{
	struct ct_pfacts pf;
	struct ct_roles r;
	struct ct_load l;
	struct ct_serial s;

	memset(d, 0, sizeof(*d));
	ct_diag__facts(p, &pf, d);
	ct_diag__roles(p, &r);
	d->active_threads = r.active;
	d->busy_threads = r.busy;
	d->active_procs = r.procs;
	d->model = ct_diag__model(&r);
	ct_diag__bound(&pf, &r, &l, d);
	ct_diag__serialization(p, &pf, &r, &s, d);
	ct_diag__evidence(p, &pf, &r, &l, &s, d);
	ct_diag__recommend(p, &pf, &r, &l, &s, d);
}

void ct_diagnose_recording(struct ct_recording *r)
{
	int i, k;

	if (r->kind == CT_REC_PROFILE)
		ct_diagnose(&r->prof, &r->diag);
	for (i = 0; r->lab && i < r->lab->nr_results; i++)
		for (k = 0; k < r->lab->results[i].nr_cells; k++)
			ct_diagnose(&r->lab->results[i].cells[k].prof,
				    &r->lab->results[i].cells[k].diag);
}
