/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload lab's matrix as plain data: workloads x models, each cell's figures, trace and
 * diagnosis, and each workload's verdict. lab/ runs it, analysis/ judges it, render/ prints it.
 */
#ifndef CT_LAB_H
#define CT_LAB_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include "diagnosis.h"
#include "profile.h"
#include "wl_names.h"	/* workloads/: the names conctrace-workload knows */

#define CT_LAB_MAX_WL		8
#define CT_LAB_MAX_MODELS	5

/* How many names each of workloads/wl_names.h's lists has (each name adds 1). */
#define CT_WL_ONE(id, name)	+1	/* NOLINT(bugprone-macro-parentheses): a term */
enum {
	CT_LAB_NR_WORKLOADS = 0 CT_WORKLOAD_LIST(CT_WL_ONE),
	CT_LAB_NR_MODELS = 0 CT_MODEL_LIST(CT_WL_ONE),
	CT_LAB_NR_SCALES = 0 CT_SCALE_LIST(CT_WL_ONE),
};
_Static_assert(CT_LAB_NR_WORKLOADS <= CT_LAB_MAX_WL, "a lab holds every workload");
_Static_assert(CT_LAB_NR_MODELS == CT_LAB_MAX_MODELS, "a result holds a cell per model");

enum { CT_LAB_SCALE_SMALL, CT_LAB_SCALE_DEFAULT, CT_LAB_SCALE_LARGE };
enum { CT_LAB_FMT_TEXT, CT_LAB_FMT_JSON, CT_LAB_FMT_MD, CT_LAB_FMT_HTML, CT_LAB_NR_FORMATS };
/* The models a workload runs under (CT_LAB_NONE: no model, as a recommendation). */
enum ct_lab_model {
	CT_LAB_NONE = -1,
	CT_LAB_SERIAL,
	CT_LAB_THREADS,
	CT_LAB_PROCESSES,
	CT_LAB_ASYNC,
	CT_LAB_GIL,
};

/* NULL-terminated name tables, indexed by the enums above and by workload number. */
extern const char *const ct_lab_workloads[];
extern const char *const ct_lab_models[];
extern const char *const ct_lab_scales[];
extern const char *const ct_lab_formats[];

/* @return the name of lab model @m (enum ct_lab_model), NULL for CT_LAB_NONE or out of range */
static inline const char *ct_lab_model_name(int m)
{
	return m >= 0 && m < CT_LAB_MAX_MODELS ? ct_lab_models[m] : NULL;
}

/* One workload under one model: what the workload measured itself, and its trace. */
struct ct_lab_cell {
	int model;
	bool ok;			/* ran, exited 0, and reported its figures */
	int exit_status;
	double wall_s;
	double throughput;		/* tasks per second, as the workload measured it */
	double speedup;			/* throughput / serial throughput */
	unsigned long long tasks, done, errors, ipc_bytes, net_bytes, connections;
	bool timed_out;
	struct ct_profile prof;
	struct ct_diagnosis diag;
};

struct ct_lab_result {
	int workload;
	struct ct_lab_cell cells[CT_LAB_MAX_MODELS];
	int nr_cells;
	int winner;			/* index in cells of the highest throughput, -1 none */
	int rec_model;			/* enum ct_lab_model, CT_LAB_NONE: none */
	char reasons[CT_DIAG_LINES][CT_DIAG_LEN];
	int nr_reasons;
	bool agrees;			/* recommended cell within 10% of the winner */
};

struct ct_lab {
	unsigned long workloads;	/* bitmask over ct_lab_workloads */
	unsigned long models;		/* bitmask over ct_lab_models */
	int workers;			/* 0: the workload's default */
	int scale;
	int repeat;
	int format;
	bool no_syscalls;
	bool progress;			/* progress line on stderr */
	char binary[PATH_MAX];		/* conctrace-workload */
	struct ct_lab_result results[CT_LAB_MAX_WL];
	int nr_results;
	double duration_s;
	char kernel[65];		/* uname release and machine where it ran (a recording's) */
	char arch[65];
	bool interrupted;
};

/* Free the cells' profiles of @lab (not @lab itself). */
void ct_lab__free(struct ct_lab *lab);

#endif
