// SPDX-License-Identifier: GPL-2.0
/* The tables of workloads, models and scales, and the default pool size of each pairing. */
#include "wl.h"
#include "wl_names.h"

#include <string.h>

#define WL_PTR(id, name)	&wl_##id,
#define MODEL_PTR(id, name)	&model_##id,

const struct ct_workload *const ct_workloads[] = { CT_WORKLOAD_LIST(WL_PTR) NULL };
const struct ct_model *const ct_models[] = { CT_MODEL_LIST(MODEL_PTR) NULL };
const char *const ct_scale_names[] = { CT_SCALE_LIST(CT_WL_NAME) NULL };

/* Both tables hold structs whose first member is the name. */
static const void *find(const void *const *tab, const char *name)
{
	for (; *tab; tab++)
		if (!strcmp(*(const char *const *)*tab, name))
			return *tab;
	return NULL;
}

const struct ct_workload *ct_workload_find(const char *name)
{
	return find((const void *const *)ct_workloads, name);
}

const struct ct_model *ct_model_find(const char *name)
{
	return find((const void *const *)ct_models, name);
}

/*
 * How many workers run: always one for serial, and for async without I/O (the loop runs one
 * task at a time); else @requested, or by default for async the requests kept in flight, for
 * the pools the workload's own choice or the number of online CPUs.
 */
int ct_workers(const struct ct_run *r, int requested)
{
	if (r->model == &model_serial || (r->model == &model_async && r->wl->kind == CT_KIND_NONE))
		return 1;
	if (requested)
		return requested;
	if (r->model == &model_async)
		return r->wl->async_inflight[r->scale];
	return r->wl->workers ? r->wl->workers : ct_online_cpus();
}
