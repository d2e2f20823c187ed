#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A full futex table: fx_futexes blocks once on each of 20,000 distinct futex words (raw
# FUTEX_WAIT: mutex-type) and counts and times the waits that blocked itself. The futexes map
# (8192 entries) and the wakes map (16384) fill; every wait must be in the table or counted as
# dropped (locks.contended_waits + dropped.futexes >= the fixture's blocked waits, and likewise
# for wakeups), while time_s.lock_wait, kept per thread, stays within 5 % of the fixture's
# self-timed blocked time, and locks.top[] still lists the fixture's words.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_futexes

words=20000
trace_cmd fut -- "$FIXTURES/fx_futexes" --words "$words" --hold-us 200
R=$TMP/fut.json F=$TMP/fut.out

jset blocked "$F" .blocked_waits
jset fx_blocked "$F" .blocked_s
jset fx_wait "$F" .wait_s
note "fixture: $blocked of $words waits blocked, $fx_blocked s blocked ($fx_wait s in the calls)"
[ "$blocked" -ge $((words * 9 / 10)) ] || skip "machine too busy: only $blocked waits blocked"
check_drops "$R"

jset d_fut "$R" .dropped.futexes
jset d_wake "$R" .dropped.wakeups
jset cw "$R" .locks.contended_waits
assert_cmp "$d_fut" ">" 0 "dropped.futexes (20,000 words, 8192 entries)"
assert_cmp "$((cw + d_fut))" ">=" "$blocked" \
	"locks.contended_waits + dropped.futexes vs the fixture's blocked waits"
assert_cmp "$d_wake" ">=" "$((blocked - 16384))" \
	"dropped.wakeups vs blocked waits beyond the wakes map's 16384 entries"

jset lock_wait "$R" .time_s.lock_wait
assert_near "$lock_wait" "$fx_blocked" 0.05 0 "time_s.lock_wait vs self-timed blocked time"
assert_cmp "$lock_wait" "<=" "$fx_wait" "time_s.lock_wait <= the wall time in the calls"

jset first "$F" .first_addr
jset last "$F" .last_addr
jset rows "$R" 'len(r["locks"]["top"])'
jset ours "$R" "sum($((first)) <= int(l['addr'], 16) <= $((last)) and l['kind'] == 'lock'
	for l in r['locks']['top'])"
assert_cmp "$rows" ">" 0 "locks.top[] entries"
assert_eq "$ours" "$rows" "locks.top[] entries that are the fixture's words, kind lock"
