#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lock wait against a lock the program times itself: fx_mutex's two threads read CLOCK_MONOTONIC
# (and their run delay) around every pthread_mutex_lock(&big_lock). time_s.lock_wait must be
# within 5 % of the time those calls spent blocked (see check_mutex_report in lib.sh);
# the idle pthread_cond_wait (self-timed too) must be cond_wait, not lock wait; the main thread's
# pthread_join must be join_wait. In locks.top[], big_lock (the fixture prints its address) must
# be the first entry of kind "lock", with 2 waiters, at least as many waits as calls that blocked,
# and the same wait. (It need not be the top entry: the main thread's join lasts the whole run,
# which with two threads is always longer than their summed lock wait, and on a busy machine the
# lock is less contended than the idle condvar waits.)
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_mutex

trace_cmd mutex -- "$FIXTURES/fx_mutex" --threads 2 --iters 600 --idle-cond-ms 400
check_mutex_report mutex
R=$TMP/mutex.json F=$TMP/mutex.out

# big_lock's entry in locks.top[], found by the address the fixture printed.
jset addr "$F" .lock_addr
jset threads "$F" .threads
jset contended "$F" .contended_calls
L="next(l for l in r['locks']['top'] if int(l['addr'], 16) == $((addr)))"
jset entry "$R" "$L"
note "big_lock ($addr) in locks.top[]: $entry"
jset kind "$R" "${L}['kind']"
jset waiters "$R" "${L}['waiters']"
jset waits "$R" "${L}['waits']"
jset wait_s "$R" "${L}['wait_s']"
jset first_lock "$R" "next(l['addr'] for l in r['locks']['top'] if l['kind'] == 'lock')"
assert_eq "$kind" lock "big_lock's kind"
assert_eq "$((first_lock))" "$((addr))" "address of the first kind=lock entry of locks.top[]"
assert_eq "$waiters" "$threads" "big_lock's waiters (the fixture's lock threads)"
# A call blocks at least once, and more often when, woken, it finds the lock taken again.
assert_cmp "$waits" ">=" "$(calc "0.98 * $contended - 2")" \
	"big_lock's waits vs the fixture's blocking calls"
assert_near "$wait_s" "$fx_blocked" 0.05 0 "big_lock's wait_s vs self-timed blocked lock wait"
jset lw "$R" .locks.wait_s
assert_near "$lw" "$lock_wait" 0 0.000001 "locks.wait_s = time_s.lock_wait"
jset cw "$R" .locks.contended_waits
assert_cmp "$cw" ">=" "$waits" "locks.contended_waits vs big_lock's waits"
