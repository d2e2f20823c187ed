/* SPDX-License-Identifier: GPL-2.0 */
/* The lab's verdict on one workload: measured winner, speedups, recommendation from the traces. */
#ifndef CT_LAB_VERDICT_H
#define CT_LAB_VERDICT_H

#include "model/lab.h"

/*
 * From @r's cells (each run and diagnosed): the winner (highest throughput), each cell's speedup
 * over the serial cell, the recommended model with its reasons, and whether the recommended
 * cell came within 10% of the winner.
 */
void ct_lab_verdict(struct ct_lab_result *r);

#endif
