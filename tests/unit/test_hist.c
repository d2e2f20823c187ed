// SPDX-License-Identifier: GPL-2.0
/* user/model/hist.c: slot rule against the BPF formula, bounds, percentiles and the drawn text. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/hist.h"
#include "../test.h"

#define LAST_SLOT	(CT_HIST_SLOTS - 1)

/* floor(log2(v)) by shifting, 0 for 0, clamped: the definition, computed the slow way. */
static unsigned int slow_slot(unsigned long long v)
{
	unsigned int e = 0;

	for (; v > 1; v >>= 1)
		e++;
	return e < LAST_SLOT ? e : LAST_SLOT;
}

/* What a BPF program computes: v ? 64 - clz(v) - 1 : 0, clamped. */
static unsigned int bpf_slot(unsigned long long v)
{
	unsigned int s = v ? 64 - __builtin_clzll(v) - 1 : 0;

	return s < LAST_SLOT ? s : LAST_SLOT;
}

CT_TEST(hist_slot_matches_bpf_and_bounds)
{
	unsigned long long v, lo, hi;
	unsigned int k, s;
	char name[64];
	int d;

	for (k = 0; k < 64; k++) {
		for (d = -1; d <= 1; d++) {
			v = (1ULL << k) + d;
			s = ct_log2_slot(v);
			snprintf(name, sizeof(name), "slot of 2^%u%+d = %llu", k, d, v);
			ASSERT_EQ(s, slow_slot(v), name);
			ASSERT_EQ(s, bpf_slot(v), name);
			ct_hist_bounds(s, &lo, &hi);
			ASSERT_TRUE(lo <= v && (v < hi || (s == LAST_SLOT && hi == ULLONG_MAX)),
				    name);
		}
	}
	ASSERT_EQ(ct_log2_slot(ULLONG_MAX), LAST_SLOT, "slot of ULLONG_MAX");
	ASSERT_EQ(ct_log2_slot(0), 0, "slot of 0");
	ASSERT_EQ(ct_log2_slot(1), 0, "slot of 1");
	ASSERT_EQ(ct_log2_slot(2), 1, "slot of 2");
}

CT_TEST(hist_bounds_tile_the_range)
{
	unsigned long long lo, hi, next_lo = 0, next_hi;
	unsigned int s;
	char name[64];

	for (s = 0; s < CT_HIST_SLOTS; s++) {
		snprintf(name, sizeof(name), "bounds of slot %u", s);
		ct_hist_bounds(s, &lo, &hi);
		ASSERT_EQ(lo, next_lo, name);		/* no gap, no overlap */
		ASSERT_EQ(ct_log2_slot(lo), s, name);
		if (s == LAST_SLOT) {
			ASSERT_EQ(hi, ULLONG_MAX, name);
			break;
		}
		ASSERT_EQ(hi, 2ULL << s, name);
		ASSERT_EQ(ct_log2_slot(hi - 1), s, name);
		ASSERT_EQ(ct_log2_slot(hi), s + 1, name);
		next_lo = hi;
	}
	ct_hist_bounds(1000, &lo, &next_hi);
	ct_hist_bounds(LAST_SLOT, &next_lo, &hi);
	ASSERT_EQ(lo, next_lo, "slot beyond the last clamps (lo)");
	ASSERT_EQ(next_hi, hi, "slot beyond the last clamps (hi)");
}

CT_TEST(hist_total)
{
	unsigned long long slots[CT_HIST_SLOTS] = { 1, 2, 3, [LAST_SLOT] = 4 };

	ASSERT_EQ(ct_hist_total(slots, CT_HIST_SLOTS), 10, "total");
	ASSERT_EQ(ct_hist_total(slots, 2), 3, "total of 2 slots");
	ASSERT_EQ(ct_hist_total(slots, 0), 0, "total of none");
}

CT_TEST(hist_percentile_known_data)
{
	unsigned long long slots[CT_HIST_SLOTS] = { 0 };
	unsigned long long v;

	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.5), 0, 0, "empty");

	slots[3] = 10;					/* ten values in [8, 16) */
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0), 8, 1e-12, "one slot p0");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.25), 10, 1e-12, "one slot p25");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.5), 12, 1e-12, "one slot p50");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 1), 16, 1e-12, "one slot p100");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, -1), 8, 1e-12, "p < 0 clamps");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 2), 16, 1e-12, "p > 1 clamps");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, NAN), 8, 1e-12, "p NaN is p0");

	memset(slots, 0, sizeof(slots));
	slots[0] = 2;					/* [0, 2) */
	slots[2] = 2;					/* [4, 8) */
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0), 0, 1e-12, "two slots p0");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.5), 2, 1e-12, "two slots p50");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.75), 6, 1e-12, "two slots p75");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 1), 8, 1e-12, "two slots p100");

	memset(slots, 0, sizeof(slots));
	slots[LAST_SLOT] = 4;				/* open-ended: taken as [2^k, 2^(k+1)) */
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.5), 1.5 * (1ULL << LAST_SLOT), 1e-3,
		    "last slot p50");

	/* The values 1..1000: the median 500 is in slot 8 after 255 smaller values. */
	memset(slots, 0, sizeof(slots));
	for (v = 1; v <= 1000; v++)
		slots[ct_log2_slot(v)]++;
	ASSERT_EQ(slots[8], 256, "1..1000 slot 8");
	ASSERT_EQ(slots[9], 489, "1..1000 slot 9");
	ASSERT_NEAR(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.5), 256 + 256 * 245 / 256.0, 1e-9,
		    "1..1000 p50");
	ASSERT_EQ(ct_log2_slot(ct_hist_percentile(slots, CT_HIST_SLOTS, 0.99)), ct_log2_slot(990),
		  "1..1000 p99 in the slot of 990");
}

/* What ct_hist_print() writes for @slots, malloc'd. */
static char *print_hist(const unsigned long long *slots, const char *unit, int width)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	ct_hist_print(f, slots, CT_HIST_SLOTS, unit, width);
	fclose(f);
	return buf;
}

/* slots 1, 2 and 4 at 3, 12 and 6: bars of 10, 40 and 20 stars. */
static const char golden_usecs[] =
	"     usecs               : count    distribution\n"
	"         2 -> 3          : 3        |**********                              |\n"
	"         4 -> 7          : 12       |****************************************|\n"
	"         8 -> 15         : 0        |                                        |\n"
	"        16 -> 31         : 6        |********************                    |\n";

CT_TEST(hist_print_golden)
{
	unsigned long long slots[CT_HIST_SLOTS] = { 0 };
	char *out;

	out = print_hist(slots, "usecs", 0);
	ASSERT_STREQ(out, "", "empty prints nothing");
	free(out);

	slots[1] = 3;
	slots[2] = 12;
	slots[4] = 6;
	out = print_hist(slots, "usecs", 0);
	ASSERT_STREQ(out, golden_usecs, "bcc shape, first to last non-empty slot");
	free(out);

	memset(slots, 0, sizeof(slots));
	slots[0] = 5;
	out = print_hist(slots, "nsecs", 5);
	ASSERT_STREQ(out,
		     "     nsecs               : count    distribution\n"
		     "         0 -> 1          : 5        |*****|\n", "slot 0, width 5");
	free(out);

	memset(slots, 0, sizeof(slots));
	slots[LAST_SLOT - 1] = 1;
	slots[LAST_SLOT] = 2;
	out = print_hist(slots, "usecs", 10);
	ASSERT_STREQ(out,
		     "     usecs               : count    distribution\n"
		     "1073741824 -> 2147483647 : 1        |*****     |\n"
		     "2147483648 -> inf        : 2        |**********|\n", "top slots, width 10");
	free(out);
}

CT_TEST(hist_print_fits_80_columns)
{
	unsigned long long slots[CT_HIST_SLOTS];
	char *out, *line, *save;
	int i, lines = 0;

	for (i = 0; i < CT_HIST_SLOTS; i++)
		slots[i] = 99999999ULL - i;		/* 8-digit counts in every slot */
	out = print_hist(slots, "usecs", -1);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines++;
		if (!ASSERT_TRUE(strlen(line) <= 80, line))
			break;
	}
	ASSERT_EQ(lines, CT_HIST_SLOTS + 1, "header and one line per slot");
	free(out);
}
