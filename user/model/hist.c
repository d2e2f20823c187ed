// SPDX-License-Identifier: GPL-2.0
/* Log2 histogram math and drawing; the slot rule is bpf/ct_abi.h's ct_log2_slot(). */
#include <limits.h>
#include "hist.h"

_Static_assert(CT_HIST_SLOTS >= 2 && CT_HIST_SLOTS <= 64, "a u64 has 64 log2 slots");

void ct_hist_bounds(unsigned int slot, unsigned long long *lo, unsigned long long *hi)
{
	if (slot >= CT_HIST_SLOTS - 1) {
		slot = CT_HIST_SLOTS - 1;
		*hi = ULLONG_MAX;
	} else {
		*hi = 2ULL << slot;
	}
	*lo = slot ? 1ULL << slot : 0;
}

unsigned long long ct_hist_total(const unsigned long long *slots, int n)
{
	unsigned long long sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += slots[i];
	return sum;
}

double ct_hist_percentile(const unsigned long long *slots, int n, double p)
{
	unsigned long long total, cum = 0, lo, hi;
	double rank, width;
	int i;

	if (n > CT_HIST_SLOTS)
		n = CT_HIST_SLOTS;
	total = ct_hist_total(slots, n);
	if (!total)
		return 0;
	if (!(p > 0))
		p = 0;			/* also NaN */
	if (p > 1)
		p = 1;
	rank = p * total;	/* <= (double)total: the loop stops at a non-empty slot */
	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if ((double)(cum + slots[i]) >= rank)
			break;
		cum += slots[i];
	}
	ct_hist_bounds(i, &lo, &hi);
	width = hi == ULLONG_MAX ? (double)lo : (double)(hi - lo);
	return lo + width * (rank - cum) / slots[i];
}

void ct_hist_print(FILE *f, const unsigned long long *slots, int n, const char *unit, int width)
{
	unsigned long long lo, hi, max = 0, stars;
	int first = -1, last = -1, i, k, w;
	char upper[24];

	if (n > CT_HIST_SLOTS)
		n = CT_HIST_SLOTS;
	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (last < 0)
		return;

	/* bcc's columns: numbers 10 wide (20 if needed), count 8, then the bar between pipes. */
	ct_hist_bounds(last, &lo, &hi);
	w = snprintf(NULL, 0, "%llu", hi == ULLONG_MAX ? lo : hi - 1) > 10 ? 20 : 10;
	if (width <= 0)
		width = 80 - (2 * w + 18) < 40 ? 80 - (2 * w + 18) : 40;
	fprintf(f, "%*s%-*s : count    distribution\n", w - 5, "", w + 9, unit ? unit : "");
	for (i = first; i <= last; i++) {
		ct_hist_bounds(i, &lo, &hi);
		if (hi == ULLONG_MAX)
			snprintf(upper, sizeof(upper), "inf");
		else
			snprintf(upper, sizeof(upper), "%llu", hi - 1);
		fprintf(f, "%*llu -> %-*s : %-8llu |", w, lo, w, upper, slots[i]);
		stars = (unsigned __int128)slots[i] * width / max;
		for (k = 0; k < width; k++)
			putc((unsigned long long)k < stars ? '*' : ' ', f);
		fputs("|\n", f);
	}
}
