#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Ring buffer overrun, forced: the test-only knob CONCTRACE_TEST_RINGBUF_BYTES=4096 shrinks the
# events ring to one page (room for about 18 exit records) and fx_churn ends 3,000 threads 64 at
# a time, so records are lost for certain. The report must count them (dropped.ringbuf > 0) and
# stay consistent: dropped.total the sum of the counters, and every thread the fixture created
# in threads[] or counted dropped, none twice (check_churn_report in lib.sh, against the
# fixture's own count and getrusage()). A bad knob value is refused in one line.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_churn

CONCTRACE_TEST_RINGBUF_BYTES=4096 trace_cmd small -- \
	"$FIXTURES/fx_churn" --threads 3000 --batch 64 --work-us 0 --max-ms 10000
check_churn_report small
assert_eq "$created" 3000 "threads the fixture created"
jset rb "$TMP/small.json" .dropped.ringbuf
assert_cmp "$rb" ">" 0 "dropped.ringbuf with a one-page ring"

CONCTRACE_TEST_RINGBUF_BYTES=5000 run_ct badknob trace -o /dev/null -- true
assert_eq "$rc" 1 "exit status with a ring size that is not a power of 2"
assert_eq "$(nr_lines "$TMP/badknob.err")" 1 "stderr lines for a bad ring size"
