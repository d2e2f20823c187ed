/* SPDX-License-Identifier: GPL-2.0 */
/* The workload lab's engine: start servers, trace each cell, repeat, pick winners. */
#ifndef CT_LAB_ENGINE_H
#define CT_LAB_ENGINE_H

#include "model/lab.h"

/* Run every selected cell. @return 0 or a CT_EXIT_* code after printing why */
int ct_lab__run(struct ct_lab *lab);

#endif
