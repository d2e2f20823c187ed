#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Where the CPU goes, and the timeline: fx_burn burns 600 ms of its own CPU clock in burn_a(), then
# 200 ms in burn_b() (-O2 PIE without frame pointers). At 99 Hz the on-CPU samples must number
# about 0.8 s x 99 and split between the two functions as 3:1; with --timeline, the recording
# re-rendered as Perfetto JSON must hold the thread's running slices, summing to its on-CPU time.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_burn

trace_cmd burn -E 1000 --timeline --record "$TMP/burn.rec" -- "$FIXTURES/fx_burn"
run_ct perfetto report "$TMP/burn.rec" -f perfetto -o "$TMP/burn.pf.json"
[ "$rc" -eq 0 ] || fail "report -f perfetto exited $rc: $(cat "$TMP/perfetto.err")"
python3 - "$TMP/burn.json" "$TMP/burn.out" "$TMP/burn.pf.json" <<'PY' || E2E_FAILS=$((E2E_FAILS + 1))
import json, sys

rep, fx = json.load(open(sys.argv[1])), json.loads(open(sys.argv[2]).read())
pf = json.load(open(sys.argv[3]))
bad = 0

def check(ok, what):
    global bad
    print("  %s: ok" % what if ok else "FAIL: %s" % what)
    bad += not ok

st = rep["stacks"]
want = (fx["a_cpu_s"] + fx["b_cpu_s"]) * st["sample_hz"]
check(abs(st["cpu_samples"] - want) <= 0.15 * want + 3,
      "%d on-CPU samples for %.3f s of CPU at %d Hz (expected about %.0f)" %
      (st["cpu_samples"], fx["a_cpu_s"] + fx["b_cpu_s"], st["sample_hz"], want))
sites = st["on_cpu"]
# every on-CPU site (stacks.on_cpu lists the top rows only: ask for all of them with -E)
a = sum(s["samples"] for s in sites if any(f.startswith("burn_a (") for f in s["frames"] or []))
b = sum(s["samples"] for s in sites if any(f.startswith("burn_b (") for f in s["frames"] or []))
ratio = fx["a_cpu_s"] / fx["b_cpu_s"]
print("  samples in burn_a %d, burn_b %d; the fixture's CPU clock says %.2f:1" % (a, b, ratio))
check(b > 0 and 0.6 * ratio <= a / b <= 1.6 * ratio, "burn_a:burn_b samples near %.1f:1" % ratio)
check(a + b >= 0.9 * st["cpu_samples"], "%d of %d samples inside burn_a or burn_b" %
      (a + b, st["cpu_samples"]))

ev = pf["traceEvents"]
tid = fx["tid"]
run = sum(e["dur"] for e in ev if e.get("ph") == "X" and e.get("tid") == tid and
          e["name"] == "running") / 1e6
cpu = next(t["on_cpu_s"] for t in rep["threads"] if t["tid"] == tid)
check(abs(run - cpu) <= 0.01 * cpu + 0.002,
      "running slices of TID %d sum to %.4f s, its on_cpu_s %.4f s" % (tid, run, cpu))
check(rep["dropped"]["timeline"] == 0, "no timeline slices dropped")
sys.exit(1 if bad else 0)
PY

# The text report of the same recording fits 100 columns, stack sections included.
run_ct text report "$TMP/burn.rec" -f text -o "$TMP/burn.txt"
[ "$rc" -eq 0 ] || fail "report -f text exited $rc: $(cat "$TMP/text.err")"
grep -q "Where the CPU went" "$TMP/burn.txt" || soft_fail "text report lacks the on-CPU stacks"
width=$(awk '{ if (length > m) m = length } END { print m + 0 }' "$TMP/burn.txt")
assert_cmp "$width" "<=" 100 "widest line of the text report"
