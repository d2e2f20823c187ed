#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# trace -p PID never traces an unrelated process that gets PID after the target exits.
# The PID is reused for real: after the target is reaped, /proc/sys/kernel/ns_last_pid is set to
# PID - 1 and a spinner (fx_sched) is forked, retried until it gets PID (other processes on the
# machine may take it first). This is done in the initial PID namespace on purpose: the probes
# see global PIDs, so a new namespace (unshare -p) would not make the kernel side meet the
# impostor.
# 1. The target exits and PID is reused while conctrace loads its probes (stopped there by the
#    test-only knob CONCTRACE_TEST_PAUSE=load): conctrace says the target exited before tracing
#    began, writes a report with target.exited_early and nothing traced (no thread, no CPU:
#    the impostor spins), and returns at once instead of tracing for -d.
# 2. The target exits mid-trace and PID is reused at once: the trace ends (exited_early) well
#    before -d, and the impostor's spinning is not in the report.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_harden.sh"
require_tracing fx_sched
[ -w /proc/sys/kernel/ns_last_pid ] || skip "no writable /proc/sys/kernel/ns_last_pid"

# reuse PID: start the impostor spinner as PID (its PID in $impostor), or skip.
reuse()
{
	local _

	for _ in $(seq 200); do
		echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid
		bg_start "$FIXTURES/fx_sched" --spinners 1 --spin-ms 6000 >/dev/null
		[ "$BG_PID" -eq "$1" ] && break
		kill "$BG_PID"
		wait "$BG_PID" 2>/dev/null
	done
	[ "$BG_PID" -eq "$1" ] || skip "could not get PID $1 again in 200 tries"
	impostor=$BG_PID
	note "PID $1 now belongs to an fx_sched spinner"
}

# 1. Exit and reuse while the probes load.
bg_start sleep 30
target=$BG_PID
t0=$(date +%s.%N)
CONCTRACE_TEST_PAUSE=load bg_start "$CONCTRACE" trace -p "$target" -d 5 -f json \
	-o "$TMP/load.json" 2>"$TMP/load.err"
tracer=$BG_PID
wait_stopped "$tracer"
kill "$target"
wait "$target" 2>/dev/null
reuse "$target"
kill -CONT "$tracer"
bg_wait "$tracer"
elapsed=$(calc "$(date +%s.%N) - $t0")
note "stderr: $(cat "$TMP/load.err")"
assert_eq "$rc" 0 "exit status"
check_report "$TMP/load.json"
jset early "$TMP/load.json" .target.exited_early
jset seen "$TMP/load.json" .threads_seen
jset on_cpu "$TMP/load.json" .time_s.on_cpu
assert_eq "$early" true "target.exited_early"
assert_eq "$seen" 0 "threads_seen (the impostor must not be traced)"
assert_eq "$on_cpu" 0 "time_s.on_cpu (the impostor spins)"
assert_cmp "$elapsed" "<" 3 "seconds conctrace ran (-d 5, nothing to trace)"
grep -q "PID $target exited before tracing began" "$TMP/load.err" ||
	soft_fail "no line saying the target exited before tracing began"
kill "$impostor"
wait "$impostor" 2>/dev/null

# 2. Exit and reuse mid-trace.
bg_start sleep 30
target=$BG_PID
t0=$(date +%s.%N)
bg_start "$CONCTRACE" trace -p "$target" -d 5 -f json -o "$TMP/mid.json" 2>"$TMP/mid.err"
tracer=$BG_PID
bpf_watch_ids "$tracer"
kill "$target"
wait "$target" 2>/dev/null
reuse "$target"
bg_wait "$tracer"
elapsed=$(calc "$(date +%s.%N) - $t0")
note "stderr: $(cat "$TMP/mid.err")"
assert_eq "$rc" 0 "exit status"
check_report "$TMP/mid.json"
jset early "$TMP/mid.json" .target.exited_early
jset on_cpu "$TMP/mid.json" .time_s.on_cpu
jset tids "$TMP/mid.json" "sorted(set(t[\"tid\"] for t in r[\"threads\"]))"
imp_tids="[$(find "/proc/$impostor/task" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n |
	paste -sd, | sed "s/,/, /g")]"
note "threads in the report: $tids; the impostor's: $imp_tids"
assert_eq "$tids" "[$target]" "TIDs in the report (the target's only)"
jset comms "$TMP/mid.json" 'sorted(set(t["comm"] for t in r["threads"]))'
assert_eq "$comms" '["sleep"]' "thread names in the report (no fx_sched)"
assert_eq "$early" true "target.exited_early"
assert_cmp "$on_cpu" "<" 0.05 "time_s.on_cpu (sleep's, not the impostor's spinning)"
assert_cmp "$elapsed" "<" 3 "seconds conctrace ran (-d 5, the target gone)"
