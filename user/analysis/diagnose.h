/* SPDX-License-Identifier: GPL-2.0 */
/* The classifier: what bounds the target, which model it uses, which model would serve it. */
#ifndef CT_DIAGNOSE_H
#define CT_DIAGNOSE_H

#include "model/diagnosis.h"
#include "model/profile.h"

struct ct_recording;

/* Diagnose @p (after ct_profile__finish()) into @d. */
void ct_diagnose(const struct ct_profile *p, struct ct_diagnosis *d);

/*
 * Diagnose what a parsed recording holds: its profile, or every cell of its lab. Diagnoses are
 * computed, not stored, so a newer conctrace reads old data anew.
 */
void ct_diagnose_recording(struct ct_recording *r);

#endif
