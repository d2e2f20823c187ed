#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Ring buffer overrun, forced and deterministic: the test-only knob
# CONCTRACE_TEST_RINGBUF_BYTES=4096 shrinks the events ring to one page (room for about 18 exit
# records), and
# CONCTRACE_TEST_PAUSE=trace stops conctrace (SIGSTOP) just after the probes are live and the
# command released, so nothing drains the ring while fx_churn ends 1,000 threads (200 us of work
# each, so that the CPU totals compared are not tiny) and exits; then conctrace is continued.
# The report must count the loss (dropped.ringbuf > 0) and stay consistent: dropped.total the
# sum of the counters, and every thread the fixture created in threads[] or counted dropped, none
# twice, on_cpu vs getrusage() (check_churn_report in lib.sh, against the fixture's figures).
# A bad knob value is refused in one line.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_harden.sh"
require_tracing fx_churn

CONCTRACE_TEST_RINGBUF_BYTES=4096 CONCTRACE_TEST_PAUSE=trace bg_start "$CONCTRACE" trace \
	--format json -o "$TMP/small.json" -- "$FIXTURES/fx_churn" --threads 1000 --batch 64 \
	--work-us 200 --max-ms 10000 >"$TMP/small.out" 2>"$TMP/small.err"
tracer=$BG_PID
wait_stopped "$tracer"
for _ in $(seq 200); do		# the fixture prints its figures as it ends
	[ -s "$TMP/small.out" ] && break
	sleep 0.05
done
[ -s "$TMP/small.out" ] || fail "fx_churn did not finish within 10 s while conctrace was stopped"
kill -CONT "$tracer"
bg_wait "$tracer"
[ "$rc" -eq 0 ] || fail "conctrace exited $rc: $(tail -n 3 "$TMP/small.err")"
check_report "$TMP/small.json"
check_churn_report small
assert_eq "$created" 1000 "threads the fixture created"
jset rb "$TMP/small.json" .dropped.ringbuf
assert_cmp "$rb" ">" 0 "dropped.ringbuf with a one-page ring nobody drained"

CONCTRACE_TEST_RINGBUF_BYTES=5000 run_ct badknob trace -o /dev/null -- true
assert_eq "$rc" 1 "exit status with a ring size that is not a power of 2"
assert_eq "$(nr_lines "$TMP/badknob.err")" 1 "stderr lines for a bad ring size"
