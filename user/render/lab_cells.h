/* SPDX-License-Identifier: GPL-2.0 */
/* What every format of the lab's report prints of a cell and a result. */
#ifndef CT_LAB_CELLS_H
#define CT_LAB_CELLS_H

#include <stddef.h>
#include "model/lab.h"

/* The figures of one cell that every format prints (percentages of the threads' summed time). */
struct ct_lab_row {
	double par, cpu_pct, rq_pct, lock_pct, cond_pct, io_pct, csw_s, sys_s, ipc_mb;
};

void ct_lab__cell_row(const struct ct_lab_cell *c, struct ct_lab_row *r);

/* The model name of @r's measured winner, or "none". */
const char *ct_lab__winner_name(const struct ct_lab_result *r);

/* The model the traces recommend for @r, or "none". */
const char *ct_lab__rec_name(const struct ct_lab_result *r);

/* One sentence for @r stating the rule of thumb as measured, into @buf. */
void ct_lab__summary(const struct ct_lab_result *r, char *buf, size_t len);

#endif
