/* SPDX-License-Identifier: GPL-2.0 */
/* The workload lab's report: text, JSON or Markdown (HTML in lab_render_html.h). */
#ifndef CT_LAB_RENDER_H
#define CT_LAB_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include "model/lab.h"

/* Render the lab's results in lab->format. */
void ct_lab__render(const struct ct_lab *lab, FILE *f, bool color);

#endif
