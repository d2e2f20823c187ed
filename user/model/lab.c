// SPDX-License-Identifier: GPL-2.0
/* The lab matrix as data: its name tables and its release. */
#include <stddef.h>
#include "lab.h"

const char *const ct_lab_workloads[] = { CT_WORKLOAD_LIST(CT_WL_NAME) NULL };
const char *const ct_lab_models[] = { CT_MODEL_LIST(CT_WL_NAME) NULL };
const char *const ct_lab_scales[] = { CT_SCALE_LIST(CT_WL_NAME) NULL };
const char *const ct_lab_formats[] = { "text", "json", "md", "html", NULL };

void ct_lab__free(struct ct_lab *lab)
{
	int i, j;

	for (i = 0; i < lab->nr_results; i++)
		for (j = 0; j < lab->results[i].nr_cells; j++)
			ct_profile__free(&lab->results[i].cells[j].prof);
}
