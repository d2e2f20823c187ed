// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's verdict from its cells' typed diagnoses, table-driven: which lab model the traces
 * recommend, and whether the stopwatch agrees (the recommended cell within 10% of the winner).
 */
#include <stdlib.h>
#include <string.h>
#include "analysis/lab_verdict.h"
#include "../test.h"

struct cell {
	int model;			/* enum ct_lab_model; a row's cells end at the first 0 tp */
	double tp;			/* throughput */
	enum ct_bound bound;
	enum ct_advice advice;
	bool on_lock;			/* serialized on a lock */
	unsigned long long done, csw;	/* tasks done, context switches */
};

#define CELL(m, t, b, a, ...)								\
	{ .model = CT_LAB_##m, .tp = (t), .bound = CT_BOUND_##b, .advice = CT_ADVICE_##a,	\
	  __VA_ARGS__ }

static const struct {
	const char *desc;
	struct cell c[5];
	int rec;			/* enum ct_lab_model */
	bool agrees;
} rows[] = {
	{ "serial CPU-bound: processes, which wins",
	  { CELL(SERIAL, 100, CPU, PROCESSES), CELL(THREADS, 180, CPU, THREADS),
	    CELL(PROCESSES, 190, CPU, PROCESSES) }, CT_LAB_PROCESSES, true },
	{ "processes IPC-bound: threads, which wins",
	  { CELL(SERIAL, 60, CPU, PROCESSES), CELL(THREADS, 100, CPU, THREADS),
	    CELL(PROCESSES, 50, IPC, THREADS) }, CT_LAB_THREADS, true },
	{ "threads lock-bound: what the threads cell advises, serial, which wins",
	  { CELL(SERIAL, 100, CPU, PROCESSES), CELL(THREADS, 80, LOCK, SERIAL),
	    CELL(PROCESSES, 95, CPU, PROCESSES) }, CT_LAB_SERIAL, true },
	{ "threads serialized on a lock while CPU-bound: serial",
	  { CELL(SERIAL, 100, CPU, PROCESSES), CELL(THREADS, 80, CPU, SERIAL, .on_lock = true),
	    CELL(PROCESSES, 120, CPU, PROCESSES) }, CT_LAB_SERIAL, false },
	{ "fast I/O, threads switch 10 times per task, the loop once: async",
	  { CELL(SERIAL, 10, IO, THREADS),
	    CELL(THREADS, 50, IO, THREADS, .done = 1000, .csw = 10000),
	    CELL(ASYNC, 60, IO, ASYNC, .done = 1000, .csw = 1000) }, CT_LAB_ASYNC, true },
	{ "fast I/O, threads switch 10 times per task, the loop 1.1 times: threads",
	  { CELL(SERIAL, 10, IO, THREADS),
	    CELL(THREADS, 50, IO, THREADS, .done = 1000, .csw = 10000),
	    CELL(ASYNC, 60, IO, ASYNC, .done = 1000, .csw = 1100) }, CT_LAB_THREADS, false },
	{ "fast I/O, threads switch 9.9 times per task, the loop once: not 10 times, threads",
	  { CELL(SERIAL, 10, IO, THREADS),
	    CELL(THREADS, 50, IO, THREADS, .done = 1000, .csw = 9900),
	    CELL(ASYNC, 60, IO, ASYNC, .done = 1000, .csw = 1000) }, CT_LAB_THREADS, false },
	{ "fast I/O, threads switch 0.9 times per task: threads pay nothing, threads",
	  { CELL(SERIAL, 10, IO, THREADS),
	    CELL(THREADS, 50, IO, THREADS, .done = 1000, .csw = 900),
	    CELL(ASYNC, 60, IO, ASYNC, .done = 1000, .csw = 0) }, CT_LAB_THREADS, false },
	{ "async advised but the loop itself is CPU-bound: what the async cell advises",
	  { CELL(SERIAL, 10, IO, ASYNC), CELL(ASYNC, 12, CPU, PROCESSES),
	    CELL(PROCESSES, 30, CPU, PROCESSES) }, CT_LAB_PROCESSES, true },
	{ "async advised, the loop I/O-bound (its trace advising threads): async stays",
	  { CELL(SERIAL, 10, IO, ASYNC), CELL(ASYNC, 40, IO, THREADS),
	    CELL(THREADS, 30, IO, THREADS) }, CT_LAB_ASYNC, true },
	{ "recommended cell at 90% of the winner: agrees",
	  { CELL(SERIAL, 50, CPU, PROCESSES), CELL(THREADS, 100, CPU, THREADS),
	    CELL(PROCESSES, 90, CPU, PROCESSES) }, CT_LAB_PROCESSES, true },
	{ "recommended cell at 89% of the winner: disagrees",
	  { CELL(SERIAL, 50, CPU, PROCESSES), CELL(THREADS, 100, CPU, THREADS),
	    CELL(PROCESSES, 89, CPU, PROCESSES) }, CT_LAB_PROCESSES, false },
};

CT_TEST(lab_verdict_typed)
{
	struct ct_lab_result *r = calloc(1, sizeof(*r));
	size_t i;
	int k;

	ASSERT_TRUE(r, "allocate");
	if (!r)
		return;
	for (i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		memset(r, 0, sizeof(*r));
		for (k = 0; k < 5 && rows[i].c[k].tp; k++) {
			const struct cell *c = &rows[i].c[k];
			struct ct_lab_cell *lc = &r->cells[r->nr_cells++];

			lc->model = c->model;
			lc->ok = true;
			lc->throughput = c->tp;
			lc->done = c->done;
			lc->prof.tot.nvcsw = c->csw;
			lc->diag.bound = c->bound;
			lc->diag.rec_model = c->advice;
			lc->diag.serialized = lc->diag.serialized_on_lock = c->on_lock;
			lc->diag.nr_reasons = 1;
			strcpy(lc->diag.reasons[0], "why");
		}
		ct_lab_verdict(r);
		ASSERT_STREQ(ct_lab_model_name(r->rec_model), ct_lab_model_name(rows[i].rec),
			     rows[i].desc);
		ASSERT_EQ(r->agrees, rows[i].agrees, rows[i].desc);
	}
	/* No cell ran: nothing to recommend. */
	memset(r, 0, sizeof(*r));
	r->nr_cells = 1;
	r->cells[0].model = CT_LAB_SERIAL;
	ct_lab_verdict(r);
	ASSERT_EQ(r->rec_model, CT_LAB_NONE, "no cell ran: no recommendation");
	ASSERT_EQ(r->winner, -1, "no cell ran: no winner");
	ASSERT_TRUE(!r->agrees, "no cell ran: no agreement");
	free(r);
}
