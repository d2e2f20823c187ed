// SPDX-License-Identifier: GPL-2.0
/* Test-only knobs read from the environment (see testknob.h). */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "testknob.h"

/*
 * Test-only knobs (hidden; read from the environment so that tests/e2e can reach every path
 * deterministically, and harmless otherwise):
 *   CONCTRACE_TEST_MISSING=FEATURE[,FEATURE]  act as if the kernel lacked FEATURE (btf, tp_btf,
 *                                             task_pt_regs, ringbuf, perf, uprobes)
 *   CONCTRACE_TEST_PAUSE=PHASE                stop (SIGSTOP) at PHASE: load, attach, trace,
 *                                             write
 *   CONCTRACE_TEST_RINGBUF_BYTES=N            size of the events ring buffer (a power of 2,
 *                                             at least a page) instead of CT_RINGBUF_BYTES
 */
bool ct_test_missing(const char *feature)
{
	const char *v = getenv("CONCTRACE_TEST_MISSING"), *p;
	size_t n = strlen(feature);

	for (p = v; p && *p; p += strcspn(p, ",") + !!p[strcspn(p, ",")])
		if (!strncmp(p, feature, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

void ct_test_pause(const char *phase)
{
	const char *v = getenv("CONCTRACE_TEST_PAUSE");

	if (v && !strcmp(v, phase))
		raise(SIGSTOP);
}
