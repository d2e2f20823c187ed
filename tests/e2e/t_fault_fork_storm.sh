#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A bounded fork storm: fx_forkstorm forks 300 children (at most 100 alive), each exiting at once
# with a status the parent checks, and exits 5 itself. conctrace must exit 5 with
# target.exit_status 5; processes_seen >= 301 - dropped.targets - dropped.ringbuf, and no more
# than existed; on_cpu within 5 % + 50 us per child of getrusage (RUSAGE_CHILDREN + RUSAGE_SELF:
# each fork's wakeup may preempt, and per preemption the kernel's figure shifts by the resched
# IPI's latency in a VM, README);
# and afterwards no BPF program or link conctrace held is left (as in t_no_leak).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_forkstorm
require_cmd bpftool

children=300
# The storm starts after 1 s, so the watcher sees conctrace's programs while it traces.
bg_start "$CONCTRACE" trace --format json -o "$TMP/fs.json" -- "$FIXTURES/fx_forkstorm" \
	--children "$children" --max-alive 100 --status 5 --delay-ms 1000 \
	>"$TMP/fs.out" 2>"$TMP/fs.err"
tracer=$BG_PID
bpf_watch_ids "$tracer"
bg_wait "$tracer"
R=$TMP/fs.json F=$TMP/fs.out
assert_eq "$rc" 5 "conctrace's exit status (the fixture's own)"
check_report "$R"
jset st "$R" .target.exit_status
assert_eq "$st" 5 "target.exit_status"
jset reaped "$F" .reaped
jset bad "$F" .bad_status
jset peak "$F" .max_alive
note "fixture: $reaped children reaped, $bad with a wrong status, at most $peak alive"
assert_eq "$reaped" "$children" "children the fixture reaped"
assert_eq "$bad" 0 "children reaped with a wrong status"
check_drops "$R"

jset procs "$R" .processes_seen
jset lost "$R" 'r["dropped"]["targets"] + r["dropped"]["ringbuf"]'
assert_cmp "$procs" ">=" "$((children + 1 - lost))" \
	"processes_seen vs children + parent - dropped.targets - dropped.ringbuf"
assert_cmp "$procs" "<=" "$((children + 1))" "processes_seen vs the processes that existed"

jset on_cpu "$R" .time_s.on_cpu
jset ru "$F" 'r["rusage_children_s"] + r["self_cpu_s"]'
assert_near "$on_cpu" "$ru" 0.05 "$(calc "$children * 0.00005")" \
	"time_s.on_cpu vs getrusage CPU of the fixture and its children"
bpf_gone "after the fork storm"
