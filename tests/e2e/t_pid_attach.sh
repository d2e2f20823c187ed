#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# trace -p: attach to a running spinner for 1 s. The report names that PID and no command, sees
# its threads, and its on_cpu matches the spinner's CPU share over the trace: the schedstat
# sum_exec_runtime the kernel charged its threads while conctrace ran, scaled from conctrace's
# whole run (which includes loading the probes) to duration_s, within 10 %. Then -p on a process
# that exits during the trace: target.exited_early, and the trace ends before -d elapses.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_sched

# Summed sum_exec_runtime (seconds) of every thread of process $1, from schedstat.
exec_runtime()
{
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
		awk '{ s += $1 } END { printf "%.9f", s / 1e9 }'
}

bg_start "$FIXTURES/fx_sched" --spinners 1 --spin-ms 20000 >/dev/null
spinner=$BG_PID
sleep 0.2
[ -d "/proc/$spinner" ] || fail "fx_sched did not start"
cpu0=$(exec_runtime "$spinner") t0=$(date +%s.%N)
run_ct attach trace -p "$spinner" -d 1 --format json -o "$TMP/attach.json"
cpu1=$(exec_runtime "$spinner") t1=$(date +%s.%N)
[ "$rc" -eq 0 ] || fail "trace -p $spinner -d 1 exited $rc: $(tail -n 3 "$TMP/attach.err")"
check_report "$TMP/attach.json"
R=$TMP/attach.json

jset pids "$R" .target.pids
jset cmd "$R" .target.command
jset early "$R" .target.exited_early
jset status "$R" .target.exit_status
jset threads "$R" .threads_seen
jset duration "$R" .duration_s
jset on_cpu "$R" .time_s.on_cpu
assert_eq "$pids" "[$spinner]" "target.pids"
assert_eq "$cmd" null "target.command"
assert_eq "$status" null "target.exit_status"
assert_eq "$early" false "target.exited_early (the spinner outlives the trace)"
assert_cmp "$threads" ">=" 1 "threads_seen"
assert_near "$duration" 1 0.05 0.02 "duration_s vs -d 1"
share=$(calc "($cpu1 - $cpu0) / ($t1 - $t0)")
note "spinner ran $(calc "$cpu1 - $cpu0") s of CPU in $(calc "$t1 - $t0") s of conctrace's run"
assert_near "$on_cpu" "$(calc "$share * $duration")" 0.10 0 \
	"time_s.on_cpu vs the spinner's schedstat CPU share x duration_s"

# A target that exits 2 s in, traced for up to 8 s.
bg_start sleep 2
sleeper=$BG_PID
t0=$(date +%s.%N)
run_ct early trace -p "$sleeper" -d 8 --format json -o "$TMP/early.json"
elapsed=$(calc "$(date +%s.%N) - $t0")
[ "$rc" -eq 0 ] || fail "trace -p $sleeper -d 8 exited $rc: $(tail -n 3 "$TMP/early.err")"
check_report "$TMP/early.json"
jset early "$TMP/early.json" .target.exited_early
jset pids "$TMP/early.json" .target.pids
assert_eq "$pids" "[$sleeper]" "target.pids"
assert_eq "$early" true "target.exited_early (sleep 2 traced with -d 8)"
assert_cmp "$elapsed" "<" 6 "seconds conctrace ran (the target exited after 2)"
