#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# CPython's GIL, on the stock Debian interpreter (/usr/bin/python3, stripped, GIL in the exported
# _PyRuntime): two threads running pure-Python CPU loops must be diagnosed serialized by the GIL,
# each worker must show GIL wait, and the recommendation must be processes. The independent check
# is the interpreter's own clock: the script measures its wall time and each thread's CPU time
# (time.thread_time), whose sum stays near the wall time when the GIL serializes them.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no Debian python3 at $PY"

cat >"$TMP/gil.py" <<'EOF_PY'
import json, threading, time

cpu = {}

def spin(name, n=6_000_000):
    t0 = time.thread_time()
    x = 0
    for i in range(n):
        x += i * i
    cpu[name] = time.thread_time() - t0

t0 = time.monotonic()
ts = [threading.Thread(target=spin, args=("w%d" % k,)) for k in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
wall = time.monotonic() - t0
print(json.dumps({"wall_s": wall, "cpu_s": sum(cpu.values())}))
EOF_PY

trace_cmd gil -- "$PY" "$TMP/gil.py"
R=$TMP/gil.json
jset wall "$TMP/gil.out" .wall_s
jset cpu "$TMP/gil.out" .cpu_s
note "the interpreter measured: wall $wall s, threads' CPU $cpu s"
assert_cmp "$cpu" "<" "$(calc "1.3 * $wall")" "the interpreter's own clocks say serialized (cpu / wall < 1.3)"
jset python "$R" .diagnosis.python
jset gil "$R" .diagnosis.gil
jset ser "$R" .diagnosis.serialized
jset rec "$R" .recommendation.model
assert_eq "$python" true "diagnosis.python"
assert_eq "$gil" true "diagnosis.gil"
assert_eq "$ser" true "diagnosis.serialized"
assert_eq "$rec" processes "recommendation"
jset gil_type "$R" "[l['lock_type'] for l in r['locks']['top']][:3]"
note "lock types of the top locks: $gil_type"
jset has_gil "$R" "any(l['lock_type'] == 'gil' for l in r['locks']['top'])"
assert_eq "$has_gil" true "a lock of type gil in locks.top"
# the two workers: the threads with the most CPU
jset waits "$R" "[t['gil_wait_s'] for t in sorted(r['threads'], key=lambda t: -t['on_cpu_s'])[:2]]"
note "workers' gil_wait_s: $waits"
jset minwait "$R" "min(t['gil_wait_s'] for t in sorted(r['threads'], key=lambda t: -t['on_cpu_s'])[:2])"
assert_cmp "$minwait" ">" 0.05 "each worker waited for the GIL"
jset reasons "$R" .recommendation.reasons
note "reasons: $reasons"
