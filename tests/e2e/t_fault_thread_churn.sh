#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Thread churn: fx_churn creates and joins short-lived threads (2 at a time, each spinning 300 us)
# for 2 s, thousands per second, and counts them. Every thread must be accounted or counted as
# dropped (threads_seen >= created + the main thread - dropped.threads - dropped.ringbuf, and no
# more than that exist), each listed once and marked exited, and time_s.on_cpu within 3 % of the
# CPU time the kernel charged the process (getrusage(RUSAGE_SELF), exited threads included) plus
# EXIT_TAIL_S per thread (check_churn_report in lib.sh).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_churn

trace_cmd churn -- "$FIXTURES/fx_churn" --threads 100000000 --batch 2 --work-us 300 --max-ms 2000
check_churn_report churn
jset rate "$TMP/churn.out" .rate_per_s
assert_cmp "$rate" ">=" 1000 "the fixture's thread creation rate (a precondition)"
