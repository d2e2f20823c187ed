#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# --no-syscalls: no syscall accounting (syscalls.enabled false, total 0, no rows), while the block
# causes, which come from sched_switch, stay as accurate as with syscalls (same checks as
# t_mutex_wait against fx_mutex's self-timed waits).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_mutex

trace_cmd nosc --no-syscalls -- "$FIXTURES/fx_mutex" --threads 2 --iters 600 --idle-cond-ms 300
R=$TMP/nosc.json
jset enabled "$R" .syscalls.enabled
jset total "$R" .syscalls.total
jset rows "$R" 'len(r["syscalls"]["top"])'
jset thread_sc "$R" 'sum(t["syscalls"] for t in r["threads"])'
assert_eq "$enabled" false "syscalls.enabled"
assert_eq "$total" 0 "syscalls.total"
assert_eq "$rows" 0 "syscalls.top[] rows"
assert_eq "$thread_sc" 0 "sum of threads[].syscalls"

jset on_cpu "$R" .time_s.on_cpu
assert_cmp "$on_cpu" ">" 0 "time_s.on_cpu"
check_mutex_report nosc
