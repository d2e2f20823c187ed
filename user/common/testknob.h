/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only knobs, read from the environment so that tests/e2e can reach every path
 * deterministically, and harmless otherwise (README, "Test-only knobs").
 */
#ifndef CT_TESTKNOB_H
#define CT_TESTKNOB_H

#include <stdbool.h>

/* CONCTRACE_TEST_MISSING lists @feature: act as if the kernel lacked it. */
bool ct_test_missing(const char *feature);

/*
 * Test-only: stop the process with SIGSTOP when the environment has CONCTRACE_TEST_PAUSE=@phase
 * ("load": BPF object loaded, nothing attached; "attach": attached, not yet enabled; "trace":
 * tracing, the command released, nothing consumed from the ring buffer yet; "write":
 * the report is in its temp file, not yet renamed), so that a test can deliver a signal in
 * exactly that phase and then SIGCONT.
 */
void ct_test_pause(const char *phase);

#endif
