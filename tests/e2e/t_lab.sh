#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The workload lab at --scale small against what issue 3 says this 2-core machine must show. The
# independent truth is each workload's own stopwatch (its throughput, measured inside
# conctrace-workload); the verdicts come from the kernel traces. Each check prints its figures.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing
[ -x ./conctrace-workload ] || fail "conctrace-workload not built (make)"
[ "$(nproc)" -ge 2 ] || skip "the lab's expectations are for 2 or more cores"

# Median of three runs per cell: a single small-scale cell lasts a fraction of a second, and a
# noisy neighbour on a VM can halve one run.
run_ct lab run --scale small --repeat 3 --format json -o "$TMP/lab.json"
[ "$rc" -eq 0 ] || fail "conctrace run exited $rc: $(cat "$TMP/lab.err")"

python3 - "$TMP/lab.json" <<'PY' || E2E_FAILS=$((E2E_FAILS + 1))
import json, sys

lab = json.load(open(sys.argv[1]))
bad = 0

def check(ok, what):
    global bad
    # "FAIL: " lines are what the runner quotes as the reason
    print("  %s: ok" % what if ok else "FAIL: %s" % what)
    bad += not ok

assert lab["schema"] == "conctrace.run/1"
wl = {w["name"]: w for w in lab["workloads"]}
cell = lambda w, m: next(c for c in wl[w]["cells"] if c["model"] == m)
check(set(wl) >= {"cpu", "io-fast", "io-slow", "shared-state", "ipc-heavy", "mixed"},
      "every workload ran")
for w in wl.values():
    for c in w["cells"]:
        check(c["ok"] and c["errors"] == 0 and c["report"]["schema"] == "conctrace.report/1",
              "%s/%s ran cleanly (exit %d, %d errors)" % (w["name"], c["model"],
                                                           c["exit_status"], c["errors"]))

# cpu: processes and threads scale, the GIL does not, and its trace is diagnosed serialized.
for m in ("processes", "threads"):
    s = cell("cpu", m)["speedup"]
    check(s >= 1.7, "cpu: %s %.2fx serial >= 1.7x" % (m, s))
g = cell("cpu", "gil")
check(g["speedup"] <= 1.1, "cpu: gil %.2fx serial <= 1.1x" % g["speedup"])
check(g["report"]["diagnosis"]["serialized"], "cpu: the gil trace is diagnosed serialized")

# io-slow: async and threads far ahead; async on one thread with the fewest context switches.
a, t = cell("io-slow", "async"), cell("io-slow", "threads")
check(a["speedup"] >= 5 and t["speedup"] >= 5,
      "io-slow: async %.1fx and threads %.1fx serial >= 5x" % (a["speedup"], t["speedup"]))
check(a["report"]["diagnosis"]["active_threads"] == 1,
      "io-slow: async used %d active thread(s)" % a["report"]["diagnosis"]["active_threads"])
csw = lambda c: sum(c["report"]["context_switches"].values())
check(csw(a) <= min(csw(c) for c in wl["io-slow"]["cells"] if c["model"] != "serial"),
      "io-slow: async has the fewest context switches of the concurrent models (%d)" % csw(a))
check(wl["io-slow"]["recommendation"]["model"] == "async",
      "io-slow: recommendation %s" % wl["io-slow"]["recommendation"]["model"])

# io-fast (one persistent loopback connection per worker, the server answering at once): the rule
# of thumb says threads for fast I/O with few connections; on loopback the event loop often wins,
# since every blocking round trip costs a thread two context switches and the loop none. So
# either model may be right on a given machine, and that is exactly what is accepted here: the
# recommendation is threads or async and comes with reasons; which of the two it must be is the
# stopwatch's call, checked with every workload at the end (the recommended cell within 10% of
# the measured winner), so a recommendation the measurement refutes fails.
best = max(c["throughput"] for c in wl["io-fast"]["cells"])
rec = wl["io-fast"]["recommendation"]["model"]
thr = cell("io-fast", "threads")["throughput"]
print("  io-fast: threads %.0f/s = %.2f of the best %.0f/s; recommended %s" %
      (thr, thr / best, best, rec))
check(rec in ("threads", "async") and wl["io-fast"]["recommendation"]["reasons"],
      "io-fast: recommendation %s, with reasons" % rec)

# ipc-heavy: processes slower than threads, and the trace says why (IPC-bound).
p, t = cell("ipc-heavy", "processes"), cell("ipc-heavy", "threads")
check(p["throughput"] < t["throughput"],
      "ipc-heavy: processes %.0f/s slower than threads %.0f/s" % (p["throughput"], t["throughput"]))
check(p["bytes_moved"] > 0 and p["report"]["diagnosis"]["bound"] == "ipc",
      "ipc-heavy: processes moved %d bytes, diagnosed %s-bound" %
      (p["bytes_moved"], p["report"]["diagnosis"]["bound"]))

# shared-state: lock wait is the largest wait of the threaded cell's workers (the threads that ran;
# the main thread idles on a condition until the results are in).
rep = cell("shared-state", "threads")["report"]
workers = [t for t in rep["threads"] if t["on_cpu_s"] >= 0.05 * rep["duration_s"]]
keys = ("runqueue_s", "lock_wait_s", "cond_wait_s", "join_wait_s", "io_wait_s", "sleep_s",
        "other_s")
waits = {k: sum(t[k] for t in workers) for k in keys}
check(len(workers) >= 2 and max(waits, key=waits.get) == "lock_wait_s",
      "shared-state/threads: the largest wait of %d workers is %s (%s)" %
      (len(workers), max(waits, key=waits.get), waits))

# The kernel evidence agrees with the stopwatch everywhere.
for w in wl.values():
    win = max(c["throughput"] for c in w["cells"])
    rec = [c for c in w["cells"] if c["model"] == w["recommendation"]["model"]]
    ok = w["agrees"] and rec and rec[0]["throughput"] >= 0.9 * win
    check(ok, "%s: recommended %s is within 10%% of the winner %s" %
          (w["name"], w["recommendation"]["model"], w["winner"]))
sys.exit(1 if bad else 0)
PY
