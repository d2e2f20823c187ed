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

# held_ids PID: "prog ID" and "link ID" lines for the BPF objects PID holds fds to.
held_ids()
{
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '$1 == "prog_id:" { print "prog", $2 } $1 == "link_id:" { print "link", $2 }' |
		sort -u
}

# watch_ids PID: wait (up to 10 s) until PID holds a BPF link, then $ids = what it holds.
watch_ids()
{
	local _

	ids=
	for _ in $(seq 100); do
		ids=$(held_ids "$1")
		grep -q '^link ' <<<"$ids" && break
		kill -0 "$1" 2>/dev/null || fail "conctrace exited before attaching"
		sleep 0.1
	done
	grep -q '^link ' <<<"$ids" || fail "conctrace holds no BPF link 10 s after starting"
	note "held while tracing: $(grep -c '^prog ' <<<"$ids") programs," \
		"$(grep -c '^link ' <<<"$ids") links"
}

# gone WHEN: none of $ids is still known to bpftool. The kernel frees a detached program after an
# RCU grace period, which can take a while after the last fd closed: allow 10 s.
gone()
{
	local kind id left _

	for _ in $(seq 50); do
		left=
		while read -r kind id; do
			bpftool "$kind" show id "$id" >/dev/null 2>&1 && left+=" $kind $id"
		done <<<"$ids"
		[ -z "$left" ] && break
		sleep 0.2
	done
	[ -z "$left" ] || fail "still loaded 10 s $1:$left"
	note "all gone $1"
}

# 1. trace -- CMD to its end; the command lists its own fds first.
# shellcheck disable=SC2016 # $$, $0 and $1 are the traced shell's own
bg_start "$CONCTRACE" trace --format json -o "$TMP/normal.json" -- sh -c \
	'ls -l /proc/$$/fd >"$0"; exec "$1" --spinners 1 --spin-ms 1500' \
	"$TMP/fds" "$FIXTURES/fx_sched" >"$TMP/normal.out" 2>"$TMP/normal.err"
tracer=$BG_PID
watch_ids "$tracer"
bg_wait "$tracer"
[ "$rc" -eq 0 ] || fail "trace -- fx_sched exited $rc: $(tail -n 3 "$TMP/normal.err")"
check_report "$TMP/normal.json"
if grep -q 'anon_inode:\[\?bpf' "$TMP/fds"; then
	fail "the traced command inherited BPF fds: $(grep bpf "$TMP/fds" | xargs)"
fi
note "the traced command holds no BPF fd"
gone "after trace -- CMD"

# 2. trace -p of a sleeper, stopped with SIGINT.
bg_start sleep 60
sleeper=$BG_PID
bg_start "$CONCTRACE" trace -p "$sleeper" --format json -o "$TMP/int.json" 2>"$TMP/int.err"
tracer=$BG_PID
watch_ids "$tracer"
sleep 0.5
kill -INT "$tracer"
bg_wait "$tracer"
assert_eq "$rc" 0 "exit status of trace -p after SIGINT"
check_report "$TMP/int.json"
jset pids "$TMP/int.json" .target.pids
assert_eq "$pids" "[$sleeper]" "target.pids of the interrupted trace"
gone "after SIGINT"
