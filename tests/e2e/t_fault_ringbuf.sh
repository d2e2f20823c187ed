#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exit records faster than the ring buffer drains: fx_churn creates 20,000 threads 64 at a time,
# each exiting at once (tens of thousands of exits a second; each exit is a ~220-byte record in
# a 256 KiB buffer). Whether or not the buffer overruns, every thread the fixture created must be
# in threads[] (an exit whose record was dropped is read from the threads map at the end) or
# counted in dropped.threads/ringbuf, none twice, all marked exited; and time_s.on_cpu within 3 %
# + EXIT_TAIL_S per thread of getrusage(RUSAGE_SELF) (check_exit_tail_cpu in lib.sh).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_churn

trace_cmd rb -- "$FIXTURES/fx_churn" --threads 20000 --batch 64 --work-us 0 --max-ms 15000
check_churn_report rb
assert_eq "$created" 20000 "threads the fixture created"
