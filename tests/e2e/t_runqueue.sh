#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run-queue time: twice as many spinners as cores must wait for a CPU about as long as they run
# (runqueue >= 30 % of on_cpu), one spinner hardly at all (<= 5 % + 20 ms). Both runs must also
# agree with the fixture's own schedstat run_delay within 10 % + 5 ms; when that shows the machine
# was too busy for a lone spinner to run undisturbed, only that comparison is made.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_sched

cores=$(nproc)
trace_cmd busy -- "$FIXTURES/fx_sched" --spinners $((2 * cores)) --spin-ms 1000
jset rq "$TMP/busy.json" .time_s.runqueue
jset on_cpu "$TMP/busy.json" .time_s.on_cpu
jset fx_delay "$TMP/busy.out" .totals.run_delay_s
jset fx_exec "$TMP/busy.out" .totals.exec_runtime_s
note "$((2 * cores)) spinners on $cores cores: runqueue $rq s, on_cpu $on_cpu s;" \
	"schedstat run_delay $fx_delay s, exec_runtime $fx_exec s"
assert_cmp "$rq" ">=" "$(calc "0.30 * $on_cpu")" "time_s.runqueue >= 30 % of on_cpu"
assert_near "$rq" "$fx_delay" 0.10 0 "time_s.runqueue vs schedstat run_delay (contended)"

trace_cmd idle -- "$FIXTURES/fx_sched" --spinners 1 --spin-ms 1000
jset rq "$TMP/idle.json" .time_s.runqueue
jset on_cpu "$TMP/idle.json" .time_s.on_cpu
jset fx_delay "$TMP/idle.out" .totals.run_delay_s
jset fx_exec "$TMP/idle.out" .totals.exec_runtime_s
note "1 spinner: runqueue $rq s, on_cpu $on_cpu s; schedstat run_delay $fx_delay s"
assert_near "$rq" "$fx_delay" 0.10 0.005 "time_s.runqueue vs schedstat run_delay (one spinner)"
if [ "$(calc "$fx_delay <= 0.05 * $fx_exec + 0.02")" = 1 ]; then
	assert_cmp "$rq" "<=" "$(calc "0.05 * $on_cpu + 0.02")" \
		"time_s.runqueue <= 5 % of on_cpu + 20 ms (one spinner)"
else
	note "machine busy (the lone spinner's own run_delay is $fx_delay s of $fx_exec s):" \
		"no <= 5 % check"
fi
