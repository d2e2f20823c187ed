#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Syscall counts: fx_syscalls makes exactly N getppid calls; conctrace's count for getppid must
# match N within 0.1 %, and so must strace -f -c's count of a separate run (cross-check).
# getppid cannot block: it is counted at entry, untimed ("timed": false, no time).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_syscalls

N=200000
trace_cmd sc -- "$FIXTURES/fx_syscalls" "$N"
jset fx_count "$TMP/sc.out" .count
jset fx_nr "$TMP/sc.out" .nr
assert_eq "$fx_count" "$N" "fixture's own count"

jset got "$TMP/sc.json" 'sum(s["count"] for s in r["syscalls"]["top"] if s["name"] == "getppid")'
jset nr "$TMP/sc.json" 'next((s["nr"] for s in r["syscalls"]["top"] if s["name"] == "getppid"), -1)'
jset total "$TMP/sc.json" .syscalls.total
assert_eq "$nr" "$fx_nr" "syscalls.top[getppid].nr"
assert_near "$got" "$N" 0.001 0 "syscalls.top[getppid].count vs the fixture's N"
assert_cmp "$total" ">=" "$got" "syscalls.total >= getppid count"
jset timed "$TMP/sc.json" 'next((s["timed"] or s["time_s"] != 0 for s in r["syscalls"]["top"] if s["name"] == "getppid"), -1)'
assert_eq "$timed" false "syscalls.top[getppid] untimed, time_s 0"

command -v strace >/dev/null 2>&1 || skip "strace not installed (conctrace's count matched N)"
strace -f -c -o "$TMP/strace.txt" "$FIXTURES/fx_syscalls" "$N" >/dev/null ||
	fail "strace -f -c fx_syscalls failed"
st_count=$(awk '$NF == "getppid" { print $4 }' "$TMP/strace.txt")
[ -n "$st_count" ] || fail "no getppid line in strace -c output: $(cat "$TMP/strace.txt")"
assert_near "$got" "$st_count" 0.001 0 "syscalls.top[getppid].count vs strace -f -c"
