/* SPDX-License-Identifier: GPL-2.0 */
/* Log2 histograms as the BPF side fills them: slot math, percentiles and bcc-style text bars. */
#ifndef CT_HIST_H
#define CT_HIST_H

#include <stdio.h>

#include <linux/types.h>
#include "ct_abi.h"	/* CT_HIST_SLOTS and ct_log2_slot(), the slot rule the BPF side applies */

/*
 * The values slot @slot holds, [*@lo, *@hi), exactly those ct_log2_slot() maps to it: [0, 2) for
 * slot 0, [2^k, 2^(k+1)) for slot k. The last slot (and any @slot beyond it) is open-ended and
 * reports *@hi = ULLONG_MAX, which then stands for "no upper bound" (ULLONG_MAX included).
 */
void ct_hist_bounds(unsigned int slot, unsigned long long *lo, unsigned long long *hi);

/* @return the sum of the @n counts in @slots (0 if @n <= 0) */
unsigned long long ct_hist_total(const unsigned long long *slots, int n);

/*
 * The @p quantile (@p in [0, 1], clamped) of the values counted in @slots, interpolating linearly
 * inside the slot it falls in: 0 gives the lowest bound of the first non-empty slot, 1 the upper
 * bound of the last. The open-ended last slot counts as [2^k, 2^(k+1)). At most CT_HIST_SLOTS
 * of the @n slots are read.
 * @return the estimate, or 0 if the histogram is empty
 */
double ct_hist_percentile(const unsigned long long *slots, int n, double p);

/*
 * Draw @slots in bcc's print_log2_hist() shape, from the first to the last non-empty slot:
 *
 *      usecs               : count    distribution
 *          0 -> 1          : 3        |*******                                 |
 *
 * Bounds are inclusive; the open-ended last slot reads "inf". @unit names the values, @width is
 * the bar length (<= 0: 40, less if numbers wider than 10 digits would pass 80 columns). An empty
 * histogram prints nothing. At most CT_HIST_SLOTS of the @n slots are drawn.
 */
void ct_hist_print(FILE *f, const unsigned long long *slots, int n, const char *unit, int width);

#endif /* CT_HIST_H */
