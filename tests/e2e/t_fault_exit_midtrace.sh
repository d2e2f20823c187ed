#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Targets that go away mid-trace.
# 1. trace -p PID -d 3 of fx_exec, whose 2 threads spin 1.5 s and then the process exits: exit 0,
#    target.exited_early true, the trace ends once the target is gone (README: exited_early means
#    every traced process exited before -d; the loop checks every 100 ms), so before 3 s; every
#    TID the fixture printed is in threads[] marked exited, each once (its parent, a Python
#    Popen, leaves it a zombie until after conctrace ends: a zombie's main thread must not be
#    listed again from /proc); time_s.on_cpu
#    at most the fixture's own CPU time (CLOCK_PROCESS_CPUTIME_ID) + 2 % + 30 us per involuntary
#    switch (the kernel's figure is low by the resched IPI's latency per preemption in a VM,
#    README), and at least 90 % of its share over duration_s less one poll.
# 2. trace -- fx_exec --fork 1: a child spins 0.5 s on 2 threads, then execs /bin/sleep 0.5, from
#    its main thread (2a) or from one of its other threads (2b: the kernel kills the rest and the
#    exec'ing thread takes the main thread's TID). The child keeps its PID; in threads[] its
#    PID's entry is named "sleep" and holds the sleep (both phases accounted); every entry of
#    the child is marked exited; the child's on_cpu is at least the CPU the fixture measured
#    before the exec, and within 3 % + 20 ms of what the kernel charged the child in all
#    (getrusage(RUSAGE_CHILDREN) of the fixture's parent process).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_exec

# 1. -p of a process that exits after 1.5 s.
threads=2
# shellcheck disable=SC2016 # Python, not shell
bg_start python3 -c 'import subprocess, sys, time
p = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "w"))
print(p.pid, flush=True)
time.sleep(5)
sys.exit(p.wait())' "$TMP/p.fx" "$FIXTURES/fx_exec" --threads "$threads" --spin-ms 1500 \
	>"$TMP/p.pid"
parent=$BG_PID
for _ in $(seq 100); do
	[ -s "$TMP/p.pid" ] && break
	sleep 0.02
done
fx=$(cat "$TMP/p.pid")
[ -n "$fx" ] || fail "the fixture's parent printed no PID"
t0=$(date +%s.%N)
run_ct p trace -p "$fx" -d 3 --format json -o "$TMP/p.json"
elapsed=$(calc "$(date +%s.%N) - $t0")
R=$TMP/p.json F=$TMP/p.fx
check_report "$R"
jset early "$R" .target.exited_early
jset duration "$R" .duration_s
assert_eq "$early" true "target.exited_early (the target exits after 1.5 s, -d 3)"
assert_cmp "$elapsed" "<" 3 "seconds conctrace ran (the target exited after 1.5)"
assert_cmp "$duration" "<" 3 "duration_s"
jset tids "$F" .tids
jset missing "$R" "[x for x in $tids + [$fx] if x not in [t['tid'] for t in r['threads']]]"
jset live "$R" "[t['tid'] for t in r['threads'] if t['pid'] == $fx and not t['exited']]"
assert_eq "$missing" "[]" "the fixture's TIDs missing from threads[]"
assert_eq "$live" "[]" "threads[] entries of the fixture not marked exited"
jset seen "$R" .threads_seen
jset dups "$R" "[x for x in set(t['tid'] for t in r['threads'])
	if [t['tid'] for t in r['threads']].count(x) > 1]"
assert_eq "$dups" "[]" "TIDs listed more than once in threads[]"
assert_cmp "$seen" "<=" $((threads + 1)) "threads_seen vs the fixture's threads"
jset on_cpu "$R" .time_s.on_cpu
jset fx_cpu "$F" .pre_exec_cpu_s
jset run_s "$F" .run_s
jset invol "$R" .context_switches.involuntary
note "fixture: $fx_cpu s of CPU in $run_s s; traced $duration s (conctrace ran $elapsed s)," \
	"$invol involuntary switches"
assert_cmp "$on_cpu" "<=" "$(calc "1.02 * $fx_cpu + $invol * 0.00003")" \
	"time_s.on_cpu <= the fixture's CPU + 2 % + 30 us per involuntary switch"
# The stop lags the exit by up to one 100 ms poll (and /proc's zombie window).
assert_cmp "$on_cpu" ">=" "$(calc "0.9 * $fx_cpu * ($duration - 0.2) / $run_s")" \
	"time_s.on_cpu vs the fixture's CPU share over duration_s - 0.2 s"

bg_wait "$parent"
[ "$rc" -eq 0 ] || soft_fail "fx_exec exited $rc"

# 2. exec mid-trace, from the main thread and from another thread. An exec from another thread
# (--from-thread 1) makes that thread take the main thread's TID (exchange_tids() in de_thread()),
# while the old leader may still switch out dead under the other TID: each account carries its
# task's start time, and the exec moves the account with the TID (sched.bpf.c exec_move()).
for from in 0 1; do
	name=exec$from
	# Two JSON lines (child, parent) on stdout: not trace_cmd, which wants one document.
	run_ct "$name" trace --format json -o "$TMP/$name.json" -- "$FIXTURES/fx_exec" \
		--threads 2 --spin-ms 500 --sleep-ms 500 --fork 1 --from-thread "$from"
	[ "$rc" -eq 0 ] || fail "$name: conctrace exited $rc: $(tail -n 3 "$TMP/$name.err")"
	R=$TMP/$name.json
	check_report "$R"
	json_line "$TMP/$name.out" 1 "$TMP/$name.child"
	json_line "$TMP/$name.out" 2 "$TMP/$name.parent"
	jset child "$TMP/$name.parent" .child
	jset status "$TMP/$name.parent" .status
	jset ru "$TMP/$name.parent" .rusage_children_s
	jset pre "$TMP/$name.child" .pre_exec_cpu_s
	assert_eq "$status" 0 "$name: the child's exit status"
	T="[t for t in r['threads'] if t['pid'] == $child]"
	jset entries "$R" "[(t['tid'], t['comm'], t['exited'], t['on_cpu_s']) for t in $T]"
	note "$name: child $child: CPU $pre s before the exec, $ru s in all;" \
		"threads[] (tid, comm, exited, on_cpu_s): $entries"
	jset comm "$R" "next((t['comm'] for t in $T if t['tid'] == $child), None)"
	jset sleep_s "$R" "sum(t['sleep_s'] for t in $T)"
	jset live "$R" "[t['tid'] for t in $T if not t['exited']]"
	jset cpu "$R" "sum(t['on_cpu_s'] for t in $T)"
	assert_eq "$comm" sleep "$name: comm of the child's PID after the exec"
	assert_cmp "$sleep_s" ">=" 0.45 "$name: the child's sleep_s (after the exec)"
	assert_eq "$live" "[]" "$name: the child's threads[] entries not marked exited"
	assert_cmp "$cpu" ">=" "$(calc "0.97 * $pre")" "$name: the child's on_cpu vs its CPU before exec"
	assert_near "$cpu" "$ru" 0.03 0.02 "$name: the child's on_cpu vs getrusage(RUSAGE_CHILDREN)"
done
