#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# SIGINT, SIGTERM and SIGHUP in every phase end conctrace cleanly, as `conctrace trace -h` says.
# conctrace is stopped at a phase with the test-only knob CONCTRACE_TEST_PAUSE (raise(SIGSTOP)),
# sent the signal, then SIGCONT, so each phase is hit exactly, not by racing sleeps.
#  - load (object loaded, nothing attached) and attach (attached, not enabled): exit 128+N, no
#    report file and no temp file, and the launched command never ran (its marker file absent).
#  - tracing (the probes live, per conctrace's own fdinfo; the command running): the signal,
#    sent with kill(2), is passed on to the command, which dies of it: conctrace exits with its
#    status 128+N and writes the report with target.exit_status 128+N. A command that ignores
#    the signal is given 2 s, left running, and conctrace exits 128+N with a report.
#    trace -p ended by SIGTERM: exit 0 and a report.
#  - write (report complete in its temp file, not yet renamed): the report is still written
#    whole and valid, exit status the command's.
# Every BPF object conctrace held (from /proc/PID/fdinfo while it ran or stood paused) is gone
# afterwards, and no new conctrace-named program, map or link is left held by nobody (bpftool
# before/after, ignoring what other tracers on the machine hold).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154,SC2034,SC2016
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_harden.sh"
# shellcheck disable=SC2119 # needs no fixture
require_tracing
require_cmd bpftool

bpf_ct_objects >"$TMP/before"
declare -A signo=([INT]=2 [TERM]=15 [HUP]=1)

# paused PHASE SIG: trace -- a command that would leave a marker, stopped at PHASE, sent SIG.
paused()
{
	local phase=$1 sig=$2 name="$1-$2" tracer

	rm -f "$TMP/marker"
	CONCTRACE_TEST_PAUSE=$phase bg_start "$CONCTRACE" trace -f json \
		-o "$TMP/out/$name.json" -- sh -c 'touch "$0"; sleep 20' "$TMP/marker" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
	tracer=$BG_PID
	wait_stopped "$tracer"
	held=$(held_ids "$tracer")
	kill -"$sig" "$tracer"
	kill -CONT "$tracer"
	bg_wait "$tracer"
	sleep 0.2
	note "$phase, SIG$sig: exit $rc, stderr: $(head -c 200 "$TMP/$name.err")"
	assert_eq "$rc" $((128 + signo[$sig])) "exit status after SIG$sig at $phase"
	[ ! -e "$TMP/out/$name.json" ] || soft_fail "$name: a report was written"
	[ ! -e "$TMP/marker" ] || soft_fail "$name: the command ran"
	no_temp_files "$TMP/out" "after SIG$sig at $phase"
	ids_gone "after SIG$sig at $phase"
}

mkdir -p "$TMP/out"
for sig in INT TERM HUP; do
	paused load "$sig"
	paused attach "$sig"
done

# Tracing: the signal is passed on to the command, which dies of it.
for sig in INT HUP; do
	name=trace-$sig
	bg_start "$CONCTRACE" trace -f json -o "$TMP/out/$name.json" -- sleep 20 \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
	tracer=$BG_PID
	bpf_watch_ids "$tracer"
	held=$(held_ids "$tracer")
	kill -"$sig" "$tracer"
	bg_wait "$tracer"
	want=$((128 + signo[$sig]))
	assert_eq "$rc" "$want" "exit status after SIG$sig while tracing (the command's)"
	check_report "$TMP/out/$name.json"
	jset st "$TMP/out/$name.json" .target.exit_status
	assert_eq "$st" "$want" "target.exit_status after SIG$sig was passed on"
	no_temp_files "$TMP/out" "after SIG$sig while tracing"
	ids_gone "after SIG$sig while tracing"
done

# A command that ignores SIGTERM is left running after 2 s; conctrace exits 143 with a report.
name=trace-ignored
bg_start "$CONCTRACE" trace -f json -o "$TMP/out/$name.json" -- \
	sh -c 'trap "" TERM; echo $$ >"$0"; sleep 6' "$TMP/ignorer" \
	>"$TMP/$name.out" 2>"$TMP/$name.err"
tracer=$BG_PID
bpf_watch_ids "$tracer"
held=$(held_ids "$tracer")
t0=$(date +%s.%N)
kill -TERM "$tracer"
bg_wait "$tracer"
waited=$(calc "$(date +%s.%N) - $t0")
assert_eq "$rc" 143 "exit status after SIGTERM while tracing a command that ignores it"
assert_cmp "$waited" ">=" 1.9 "seconds conctrace gave the command"
assert_cmp "$waited" "<" 5 "seconds conctrace gave the command"
check_report "$TMP/out/$name.json"
jset st "$TMP/out/$name.json" .target.exit_status
assert_eq "$st" null "target.exit_status of a command still running"
ign=$(cat "$TMP/ignorer")
[ -d "/proc/$ign" ] || soft_fail "the command that ignored SIGTERM is not running any more"
kill -KILL "$ign" 2>/dev/null
ids_gone "after SIGTERM with the command left running"

# trace -p ended by SIGTERM: exit 0, report written.
bg_start sleep 20
sleeper=$BG_PID
bg_start "$CONCTRACE" trace -p "$sleeper" -f json -o "$TMP/out/p.json" 2>"$TMP/p.err"
tracer=$BG_PID
bpf_watch_ids "$tracer"
held=$(held_ids "$tracer")
kill -TERM "$tracer"
bg_wait "$tracer"
assert_eq "$rc" 0 "exit status of trace -p after SIGTERM"
check_report "$TMP/out/p.json"
[ -d "/proc/$sleeper" ] || soft_fail "trace -p's target was touched by the signal"
ids_gone "after SIGTERM to trace -p"

# Write: the report is complete in its temp file when the signal comes; it is still renamed.
for sig in TERM HUP; do
	name=write-$sig
	CONCTRACE_TEST_PAUSE="write" bg_start "$CONCTRACE" trace -f json -o "$TMP/out/$name.json" -- \
		sh -c 'exit 3' >"$TMP/$name.out" 2>"$TMP/$name.err"
	tracer=$BG_PID
	wait_stopped "$tracer"
	[ ! -e "$TMP/out/$name.json" ] ||
		soft_fail "$name: the report is in place before the rename"
	kill -"$sig" "$tracer"
	kill -CONT "$tracer"
	bg_wait "$tracer"
	assert_eq "$rc" 3 "exit status after SIG$sig while writing (the command's)"
	check_report "$TMP/out/$name.json"
	jset st "$TMP/out/$name.json" .target.exit_status
	assert_eq "$st" 3 "target.exit_status in the report written under SIG$sig"
	no_temp_files "$TMP/out" "after SIG$sig while writing"
done

bpf_no_ct_leak "$TMP/before" "after every phase"
