#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Forked children are followed: fx_fork forks 3 children that each burn 300 ms of their own CPU
# time. processes_seen must count them all, and time_s.on_cpu must match the CPU time the kernel
# charged them (getrusage(RUSAGE_CHILDREN)) plus the parent's own, within 3 % + 10 ms.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_fork

children=3
trace_cmd fork -- "$FIXTURES/fx_fork" --children "$children" --cpu-ms 300
R=$TMP/fork.json F=$TMP/fork.out

jset procs "$R" .processes_seen
jset threads "$R" .threads_seen
assert_cmp "$procs" ">=" $((children + 1)) "processes_seen (the fixture and its children)"
assert_cmp "$threads" ">=" $((children + 1)) "threads_seen"

# Every child PID the fixture printed appears in threads[] (a child's only thread has its PID).
jset missing "$R" "[p for p in $(jq_get "$F" .pids) if p not in [t['pid'] for t in r['threads']]]"
assert_eq "$missing" "[]" "children missing from threads[]"

jset on_cpu "$R" .time_s.on_cpu
jset ru_children "$F" .rusage_children_s
jset self_cpu "$F" .self_cpu_s
jset measured "$F" .children_cpu_s
note "children measured $measured s of CPU themselves;" \
	"rusage: children $ru_children s, parent $self_cpu s"
assert_near "$on_cpu" "$(calc "$ru_children + $self_cpu")" 0.03 0.01 \
	"time_s.on_cpu vs getrusage CPU of the fixture and its children"
