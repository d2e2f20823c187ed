#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Context switches, CPU time and run-queue time against the kernel's own per-thread counters:
# fx_sched reads /proc/self/task/*/{status,stat,schedstat} of all its threads at its very end.
#   voluntary, involuntary switches: within 2 % + the few switches after the fixture's read
#     (its after_read_max_switches) and before the probes are live (LAUNCH_SWITCHES);
#   time_s.on_cpu: within 3 % of utime+stime (+ one clock tick per thread) and of sum_exec_runtime;
#   time_s.runqueue: within 10 % of schedstat's run_delay.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_sched

trace_cmd sched -- "$FIXTURES/fx_sched" --spinners 4 --spin-ms 1500 --pingpong 5000
R=$TMP/sched.json F=$TMP/sched.out

jset fx_threads "$F" .threads
jset after "$F" .after_read_max_switches
slack=$((after + LAUNCH_SWITCHES))
tick=$(calc "1 / $(getconf CLK_TCK)")

jset vol "$R" .context_switches.voluntary
jset invol "$R" .context_switches.involuntary
jset fx_vol "$F" .totals.voluntary
jset fx_invol "$F" .totals.involuntary
assert_near "$vol" "$fx_vol" 0.02 "$slack" \
	"context_switches.voluntary vs /proc voluntary_ctxt_switches"
assert_near "$invol" "$fx_invol" 0.02 "$slack" \
	"context_switches.involuntary vs /proc nonvoluntary_ctxt_switches"

# threads[] must add up to the totals (every thread of the fixture is listed: it has 7).
jset nthreads "$R" 'len(r["threads"])'
assert_cmp "$nthreads" ">=" "$fx_threads" "threads[] entries vs the fixture's live threads"
jset tvol "$R" 'sum(t["voluntary"] for t in r["threads"])'
jset tinvol "$R" 'sum(t["involuntary"] for t in r["threads"])'
assert_eq "$tvol" "$vol" "sum of threads[].voluntary"
assert_eq "$tinvol" "$invol" "sum of threads[].involuntary"

jset on_cpu "$R" .time_s.on_cpu
jset fx_ut "$F" .totals.utime_stime_s
jset fx_exec "$F" .totals.exec_runtime_s
assert_near "$on_cpu" "$fx_ut" 0.03 "$(calc "$fx_threads * $tick")" \
	"time_s.on_cpu vs /proc utime+stime"
assert_near "$on_cpu" "$fx_exec" 0.03 0 "time_s.on_cpu vs schedstat sum_exec_runtime"

jset rq "$R" .time_s.runqueue
jset fx_delay "$F" .totals.run_delay_s
assert_near "$rq" "$fx_delay" 0.10 0 "time_s.runqueue vs schedstat run_delay"
