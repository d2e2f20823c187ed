// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: ct_maps__parse() on any bytes keeps its invariants and never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sym/procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_maps m;
	size_t i, plen;
	int n;

	n = ct_maps__parse((const char *)data, size, &m);
	if (n >= 0) {
		if ((size_t)n != m.n)
			abort();
		for (i = 0; i < m.n; i++) {
			const struct ct_map *e = &m.v[i];

			/* Sorted non-empty ranges; paths in the string block, no longer than a line. */
			if (e->start >= e->end || (i && m.v[i - 1].start > e->start))
				abort();
			if (e->prot & ~(__u32)(CT_MAP_R | CT_MAP_W | CT_MAP_X | CT_MAP_SHARED))
				abort();
			if (e->path < m.strs || e->path > m.strs + size)
				abort();
			plen = strlen(e->path);
			if (plen > CT_MAPS_MAX_LINE || e->path + plen > m.strs + size)
				abort();
			if (ct_maps__find(&m, e->start) != e || ct_maps__find(&m, e->end - 1) != e)
				abort();
		}
		if (m.n && ct_maps__find(&m, m.v[0].start - 1) && m.v[0].start)
			abort();
	}
	ct_maps__free(&m);
	return 0;
}
