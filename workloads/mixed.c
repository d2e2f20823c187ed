// SPDX-License-Identifier: GPL-2.0
/* The mixed workload: ~5 ms of computation, then one slow request, in every task. */
#include "wl.h"

/*
 * A task counts the primes among SPAN numbers (cpu's code, ~5 ms), then makes one io-slow
 * request (a new connection, a reply after 50-100 ms). Threads and processes overlap the
 * waits and use both cores for the computing; the gil model and the async loop overlap the
 * waits too, but compute on one core at a time, so they top out near 200 tasks/s.
 */
#define SPAN	9000u

static void mixed_compute(struct ct_worker *w, struct ct_task *t)
{
	t->out = ct_primes_count(w, t->id, SPAN);
}

static int mixed_check(struct ct_run *r, const struct ct_task *t)
{
	return ct_primes_check(r->priv, t->id, SPAN, t->out);
}

const struct ct_workload wl_mixed = {
	.name		= "mixed",
	.summary	= "~5 ms of prime counting, then one io-slow request, in each task",
	.kind		= CT_KIND_SLOW,
	.tasks		= { 150, 600, 4000 },
	.workers	= 64,
	.async_inflight	= { 64, 200, 1000 },
	.setup		= ct_primes_setup,
	.teardown	= ct_primes_teardown,
	.task		= ct_io_task,
	.compute	= mixed_compute,
	.check		= mixed_check,
};
