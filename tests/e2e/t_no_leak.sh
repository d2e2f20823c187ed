#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# No BPF program or link outlives conctrace. While a trace runs, the program and link ids it holds
# are read from its own /proc/PID/fdinfo (prog_id:, link_id:); after it exits, bpftool must not
# know any of them (other tracers on the machine do not disturb this, unlike a global before/after
# diff). Checked after a normal trace -- CMD, whose command must not inherit any BPF fd either,
# and after a trace -p of a sleeping process stopped by SIGINT, whose report must still be written.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_sched
require_cmd bpftool

# 1. trace -- CMD to its end; the command lists its own fds first.
# shellcheck disable=SC2016 # $$, $0 and $1 are the traced shell's own
bg_start "$CONCTRACE" trace --format json -o "$TMP/normal.json" -- sh -c \
	'ls -l /proc/$$/fd >"$0"; exec "$1" --spinners 1 --spin-ms 1500' \
	"$TMP/fds" "$FIXTURES/fx_sched" >"$TMP/normal.out" 2>"$TMP/normal.err"
tracer=$BG_PID
bpf_watch_ids "$tracer"
bg_wait "$tracer"
[ "$rc" -eq 0 ] || fail "trace -- fx_sched exited $rc: $(tail -n 3 "$TMP/normal.err")"
check_report "$TMP/normal.json"
if grep -q 'anon_inode:\[\?bpf' "$TMP/fds"; then
	fail "the traced command inherited BPF fds: $(grep bpf "$TMP/fds" | xargs)"
fi
note "the traced command holds no BPF fd"
bpf_gone "after trace -- CMD"

# 2. trace -p of a sleeper, stopped with SIGINT.
bg_start sleep 60
sleeper=$BG_PID
bg_start "$CONCTRACE" trace -p "$sleeper" --format json -o "$TMP/int.json" 2>"$TMP/int.err"
tracer=$BG_PID
bpf_watch_ids "$tracer"
sleep 0.5
kill -INT "$tracer"
bg_wait "$tracer"
assert_eq "$rc" 0 "exit status of trace -p after SIGINT"
check_report "$TMP/int.json"
jset pids "$TMP/int.json" .target.pids
assert_eq "$pids" "[$sleeper]" "target.pids of the interrupted trace"
bpf_gone "after SIGINT"
