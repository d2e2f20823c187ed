/* SPDX-License-Identifier: GPL-2.0 */
/* The workload lab's report as one self-contained HTML page, inline SVG charts. */
#ifndef CT_LAB_RENDER_HTML_H
#define CT_LAB_RENDER_HTML_H

#include <stdio.h>
#include "model/lab.h"

void ct_lab__render_html(const struct ct_lab *lab, FILE *f);

#endif
