// SPDX-License-Identifier: GPL-2.0
/* The serial model: one thread runs every task, one after another. */
#include "wl.h"

static int serial_run(struct ct_run *r)
{
	struct ct_worker w;
	struct ct_task t;

	ct_worker_init(&w, r);
	while (ct_task_claim(r, &t)) {
		r->wl->task(&w, &t);
		ct_task_finish(r, &t);
	}
	ct_worker_fini(&w);
	return 0;
}

const struct ct_model model_serial = {
	.name		= "serial",
	.summary	= "one thread, one loop: the baseline every other model is compared with",
	.run		= serial_run,
};
