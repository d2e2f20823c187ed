/* SPDX-License-Identifier: GPL-2.0 */
/* A synthetic profile with known stacks, sites and weights, for the renderers' tests. */
#ifndef CT_SYNTH_PROFILE_H
#define CT_SYNTH_PROFILE_H

#include "analysis/diagnose.h"
#include "model/profile.h"

/*
 * Fill @p (zeroed by the caller) with two threads of process 100 (comm "synth" and the hostile
 * "work;er<&>"), four stacks, two sampled wait sites (1500 us on big_lock, 2000.499 us on a heap
 * condition), two on-CPU sites (7 and 2 samples at 100 Hz), a timeline of three slices when
 * @timeline, drops and stack statistics, then ct_profile__finish() and ct_diagnose() into @d.
 * The values are spelled out in synth_profile.c; tests derive their expectations from them.
 * @return 0 or -ENOMEM
 */
int ct_synth_profile(struct ct_profile *p, struct ct_diagnosis *d, bool timeline);

#endif
