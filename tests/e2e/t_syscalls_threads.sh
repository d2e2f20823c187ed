#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Per-thread syscall counts and the in-kernel filter. (1) A thread that exits: fx_syscalls N's one
# thread's threads[].syscalls matches strace -f -c's total calls of a separate run within 0.1 %;
# fx_churn's 2000 short threads each have a count, summing to syscalls.total.
# (2) A thread alive when the trace stops (trace -p on fx_syscalls spinning, -d 1): its count is
# at least its getppid count and matches syscalls.total within 0.1 % + 2 (in-flight calls).
# (3) A bystander: an untraced fx_syscalls spinning all through a trace of `sleep` is never
# counted: no getppid row, no thread of its PID, while it really ran (its schedstat runtime rose
# during the trace). (4) A forked child of the target: its N getppid calls are counted.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_syscalls

N=200000
getppid_count='sum(s["count"] for s in r["syscalls"]["top"] if s["name"] == "getppid")'

# (1) exit path
trace_cmd ex -- "$FIXTURES/fx_syscalls" "$N"
R=$TMP/ex.json
jset nthreads "$R" 'len(r["threads"])'
jset th_sc "$R" 'sum(t["syscalls"] for t in r["threads"])'
jset exited "$R" 'all(t["exited"] for t in r["threads"])'
assert_eq "$nthreads" 1 "threads[] of a one-thread fixture"
assert_eq "$exited" true "threads[].exited"
assert_cmp "$th_sc" ">=" "$N" "threads[].syscalls >= the fixture's $N getppid calls"
if command -v strace >/dev/null 2>&1; then
	strace -f -c -o "$TMP/strace.txt" "$FIXTURES/fx_syscalls" "$N" >/dev/null ||
		fail "strace -f -c fx_syscalls failed"
	st_total=$(awk '$NF == "total" { print $4 }' "$TMP/strace.txt")
	[ -n "$st_total" ] || fail "no total line in strace -c output: $(cat "$TMP/strace.txt")"
	assert_near "$th_sc" "$st_total" 0.001 0 "threads[].syscalls vs strace -f -c total calls"
else
	note "strace not installed: the exit-path count is checked against N only"
fi

# (1b) many threads that exit: each one's count reaches its account, none twice
trace_cmd churn -- "$FIXTURES/fx_churn" --threads 2000 --batch 8
R=$TMP/churn.json
jset created "$TMP/churn.out" .created
jset nthreads "$R" 'len([t for t in r["threads"] if t["exited"]])'
jset th_sc "$R" 'sum(t["syscalls"] for t in r["threads"])'
jset zero "$R" 'len([t for t in r["threads"] if t["syscalls"] == 0])'
jset total "$R" .syscalls.total
assert_cmp "$nthreads" ">=" "$created" "exited threads[] vs the $created threads fx_churn created"
assert_eq "$zero" 0 "threads[] with no syscalls (every thread makes some: at least exit)"
assert_near "$th_sc" "$total" 0.001 0 "threads[].syscalls vs syscalls.total (all calls returned)"

# (2) live at stop: the counts still in task storage are flushed at the end
bg_start "$FIXTURES/fx_syscalls" 1000000000
spinner=$BG_PID
sleep 0.2
[ -d "/proc/$spinner" ] || fail "fx_syscalls did not start"
run_ct live trace -p "$spinner" -d 1 --format json -o "$TMP/live.json"
[ "$rc" -eq 0 ] || fail "trace -p $spinner -d 1 exited $rc: $(tail -n 3 "$TMP/live.err")"
check_report "$TMP/live.json"
R=$TMP/live.json
jset th_sc "$R" 'sum(t["syscalls"] for t in r["threads"] if t["pid"] == '"$spinner"')'
jset alive "$R" 'all(not t["exited"] for t in r["threads"])'
jset got "$R" "$getppid_count"
jset total "$R" .syscalls.total
assert_eq "$alive" true "threads[].exited (the spinner outlives the trace)"
assert_cmp "$got" ">" 100000 "getppid calls seen in 1 s of a spinner"
assert_cmp "$th_sc" ">=" "$got" "threads[].syscalls >= getppid count"
assert_near "$th_sc" "$total" 0.001 2 "threads[].syscalls vs syscalls.total"

# (3) bystander: the still-running spinner, while only `sleep 1` is traced
rt0=$(cut -d' ' -f1 "/proc/$spinner/schedstat")
run_ct by trace --format json -o "$TMP/by.json" -- sleep 1
rt1=$(cut -d' ' -f1 "/proc/$spinner/schedstat")
[ "$rc" -eq 0 ] || fail "trace -- sleep 1 exited $rc: $(tail -n 3 "$TMP/by.err")"
check_report "$TMP/by.json"
[ -d "/proc/$spinner" ] || fail "the bystander fx_syscalls exited during the trace"
R=$TMP/by.json
jset got "$R" "$getppid_count"
jset pids "$R" '[t["pid"] for t in r["threads"] if t["pid"] == '"$spinner"']'
note "bystander ran $(calc "($rt1 - $rt0) / 1e9") s of CPU during the trace"
assert_cmp "$(calc "($rt1 - $rt0) / 1e9")" ">" 0.2 "bystander CPU seconds during the trace"
assert_eq "$got" 0 "getppid calls counted while tracing sleep (bystander's not counted)"
assert_eq "$pids" "[]" "threads[] of the bystander"

# (4) a forked child of a target (sh forks fx_syscalls) is traced from its first syscall
run_ct fork trace --format json -o "$TMP/fork.json" -- sh -c "\"$FIXTURES/fx_syscalls\" $N; true"
[ "$rc" -eq 0 ] || fail "trace -- sh -c 'fx_syscalls $N; true' exited $rc: $(tail -n 3 "$TMP/fork.err")"
check_report "$TMP/fork.json"
jset got "$TMP/fork.json" "$getppid_count"
jset procs "$TMP/fork.json" 'len(set(t["pid"] for t in r["threads"]))'
assert_cmp "$procs" ">=" 2 "processes in threads[] (sh and its child)"
assert_near "$got" "$N" 0.001 0 "getppid count of the forked child vs its $N calls"
