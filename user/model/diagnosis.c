// SPDX-License-Identifier: GPL-2.0
/* A diagnosis' enums by name: one table each, as every report prints them. */
#include "common/ct.h"
#include "diagnosis.h"

static const char *const ct_bound_names[] = {
	[CT_BOUND_IDLE] = "idle",
	[CT_BOUND_CPU] = "cpu",
	[CT_BOUND_IO] = "io",
	[CT_BOUND_LOCK] = "lock",
	[CT_BOUND_IPC] = "ipc",
};

static const char *const ct_model_names[] = {
	[CT_MODEL_SERIAL] = "serial",
	[CT_MODEL_THREADS] = "threads",
	[CT_MODEL_PROCESSES] = "processes",
	[CT_MODEL_EVENT_LOOP] = "event_loop",
	[CT_MODEL_MIXED] = "mixed",
};

static const char *const ct_advice_names[] = {
	[CT_ADVICE_SERIAL] = "serial",
	[CT_ADVICE_THREADS] = "threads",
	[CT_ADVICE_PROCESSES] = "processes",
	[CT_ADVICE_ASYNC] = "async",
};

static const char *const ct_dominant_names[] = {
	[CT_DOMINANT_ON_CPU] = "on_cpu",
	[CT_DOMINANT_IDLE] = "idle",
	[CT_DOMINANT_RUNQUEUE] = "runqueue",
	[CT_DOMINANT_IO] = "io",
	[CT_DOMINANT_POLL] = "poll",
	[CT_DOMINANT_LOCK] = "lock",
};

_Static_assert(CT_ARRAY_SIZE(ct_bound_names) == CT_BOUND__NR, "a name per bound");
_Static_assert(CT_ARRAY_SIZE(ct_model_names) == CT_MODEL__NR, "a name per model");
_Static_assert(CT_ARRAY_SIZE(ct_advice_names) == CT_ADVICE__NR, "a name per advice");
_Static_assert(CT_ARRAY_SIZE(ct_dominant_names) == CT_DOMINANT__NR, "a name per dominant");

/* The enums are unsigned here: a negative value is out of range as much as a large one. */
#define NAME_OF(table, v) ((unsigned int)(v) < CT_ARRAY_SIZE(table) ? (table)[v] : "?")

const char *ct_bound_name(enum ct_bound b)
{
	return NAME_OF(ct_bound_names, b);
}

const char *ct_model_name(enum ct_model m)
{
	return NAME_OF(ct_model_names, m);
}

const char *ct_advice_name(enum ct_advice a)
{
	return NAME_OF(ct_advice_names, a);
}

const char *ct_dominant_name(enum ct_dominant d)
{
	return NAME_OF(ct_dominant_names, d);
}
