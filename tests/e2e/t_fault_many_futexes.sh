#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A full futex table: fx_futexes blocks once on each of 20,000 distinct futex words (raw
# FUTEX_WAIT: mutex-type) and counts and times the waits that blocked itself. The futexes map
# (8192 entries) and the wakes map (16384) fill; every wait must be in the table or counted as
# dropped (locks.contended_waits + dropped.futexes >= the fixture's blocked waits, and likewise
# for wakeups), while time_s.lock_wait, kept per thread, stays within 5 % of the fixture's
# self-timed blocked time, and locks.top[] still lists the fixture's words, ranked by wait.
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
# locks.top[] is the heaviest futexes by wait_s: the fixture's 20,000 words wait about as long
# each, so which of them make the list is chance, and another futex of the process (the join,
# glibc's own) may outrank some of them. What the design guarantees: the list holds fixture words,
# each a mutex-type wait (kind lock), and anything else listed waited at least as long as the
# last fixture word listed (the list is ordered by wait).
ours="[l for l in r['locks']['top'] if $((first)) <= int(l['addr'], 16) <= $((last))]"
jset rows "$R" 'len(r["locks"]["top"])'
jset nours "$R" "len($ours)"
jset ourkind "$R" "all(l['kind'] == 'lock' for l in $ours)"
jset floor "$R" "min([l['wait_s'] for l in $ours] or [0])"
jset others "$R" "sorted(l['wait_s'] for l in r['locks']['top'] if l not in $ours)"
jset beaten "$R" "sum(l['wait_s'] < min([o['wait_s'] for o in $ours] or [0]) for l in r['locks']['top']
	if l not in $ours)"
note "locks.top[]: $rows entries, $nours of them the fixture's words (least wait $floor s); others: $others"
assert_cmp "$nours" ">" 0 "locks.top[] entries that are the fixture's words"
assert_eq "$ourkind" true "the fixture's words listed are mutex-type waits (kind lock)"
assert_eq "$beaten" 0 "entries outside the fixture's words that waited less than its last listed word"
