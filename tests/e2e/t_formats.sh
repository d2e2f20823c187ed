#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The report formats on a real trace of fx_mutex (a contended lock, an idle condvar, a join).
#  1. One profile in every format (render-test trace: the renderers on one ct_trace()): the
#     Markdown tables carry the JSON report's numbers (times by cause, per-thread rows, syscall
#     counts, lock waits, dropped counts); the Perfetto file parses as JSON and has a name for
#     every thread and process of the JSON report, and (no --timeline) per-thread counters equal
#     to its per-thread times; folded carries the dropped/unsymbolized pseudo-stacks with the
#     JSON's counts; `go tool pprof` reads the pprof file; headless Chromium loads the HTML with
#     no console message and no request of its own, and the SVG charts are in the DOM. A control
#     page (one image URL, one console.error) shows those two checks can fail.
#  2. `conctrace --color=always trace --format F -o FILE -- fx_mutex` for each new format:
#     exit 0, the file in the right shape, no ANSI escape in md or html.
#  3. `conctrace run -w cpu -m serial,threads --format html`: loads cleanly, chart and table.
# Set SCREENSHOT=path.png to also save a screenshot of the HTML report.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/lib_render.sh
. "$(dirname "$0")/lib_render.sh"
require_tracing fx_mutex
require_render_test
FX=("$FIXTURES/fx_mutex" --threads 2 --iters 200 --idle-cond-ms 200)

# --- 1. one profile, every format ---
A=$TMP/all
mkdir -p "$A"
"$RENDER_TEST" trace "$A" -- "${FX[@]}" >"$TMP/all.out" 2>"$TMP/all.err" ||
	fail "render-test trace failed: $(tail -n 3 "$TMP/all.err")"
check_report "$A/report.json"
for f in md html perfetto pprof folded text; do
	[ -s "$A/report.$f" ] || fail "render-test wrote no $f report"
done

python3 - "$A/report.json" "$A/report.md" "$A/report.perfetto" "$A/report.folded" \
	>"$TMP/cmp.txt" <<'PY'
import json, re, sys

r = json.load(open(sys.argv[1]))
md = open(sys.argv[2]).read()
bad = []
def near(a, b, what, tol=0.0005001):
    if abs(float(a) - float(b)) > tol:
        bad.append("%s: md %s json %s" % (what, a, b))
def eq(a, b, what):
    if str(a) != str(b):
        bad.append("%s: %s vs json %s" % (what, a, b))

# the pipe tables under each heading, as lists of cells
def table(title):
    m = re.search(r"^###+ " + re.escape(title) + r".*?\n((?:.*\n)*?)(?=^#|\Z)", md, re.M)
    if not m:
        bad.append("no section " + title)
        return []
    rows = [l for l in m.group(1).splitlines() if l.startswith("|")]
    return [[c.strip() for c in l.strip("|").split(" | ")] for l in rows[2:]]

t = {row[0]: row[1] for row in table("Where the threads' time went")}
keys = {"on CPU": "on_cpu", "run queue": "runqueue", "lock wait": "lock_wait",
        "cond wait": "cond_wait", "join wait": "join_wait", "sleep": "sleep",
        "other blocked": "other_blocked", "poll wait": "poll_wait"}
for label, key in keys.items():
    near(t.get(label, "nan"), r["time_s"][key], "time " + label)
near(float(t["I/O wait"]) + float(t["poll wait"]), r["time_s"]["io_wait"], "time I/O + poll")
print("time rows", len(t))

threads = {int(x["tid"]): x for x in r["threads"]}
rows = table("Threads")
for row in rows:
    tid = int(row[0].split()[0])
    j = threads[tid]
    eq(row[2].replace("\\", ""), j["comm"], "comm of %d" % tid)
    for i, k in [(3, "on_cpu_s"), (4, "runqueue_s"), (5, "lock_wait_s"), (6, "cond_wait_s"),
                 (7, "join_wait_s"), (8, "io_wait_s"), (9, "sleep_s"), (10, "other_s")]:
        near(row[i], j[k], "thread %d %s" % (tid, k))
    eq(row[11], j["voluntary"], "thread %d voluntary" % tid)
    eq(row[12], j["involuntary"], "thread %d involuntary" % tid)
eq(len(rows), min(10, len(r["threads"])), "thread rows")
print("thread rows", len(rows))

sc = {row[0]: row for row in table("Syscalls")}
for s in r["syscalls"]["top"]:
    eq(sc[s["name"]][1], s["count"], "syscall %s count" % s["name"])
    if s["timed"]:
        near(sc[s["name"]][2], s["time_s"], "syscall %s time" % s["name"])
    else:
        eq(sc[s["name"]][2:4], ["-", "-"], "syscall %s untimed" % s["name"])
eq(len(sc), len(r["syscalls"]["top"]), "syscall rows")
print("syscall rows", len(sc))

mdl = sorted((int(x[2]), int(x[3]), round(float(x[4]), 3), int(x[6]))
             for x in table("Locks"))
jl = sorted((x["pid"], x["waits"], round(x["wait_s"], 3), x["waiters"])
            for x in r["locks"]["top"])
eq(mdl, jl, "lock rows (pid, waits, wait s, waiters)")
print("lock rows", len(mdl))

q = {row[0]: row[1] for row in table("Data quality")}
for k, v in r["dropped"].items():
    eq(q["dropped in all" if k == "total" else "dropped " + k], v, "dropped " + k)

# Perfetto
p = json.load(open(sys.argv[3]))
ev = p["traceEvents"]
names = {(e["pid"], e["tid"]) for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
procs = {e["pid"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
for tid, j in threads.items():
    if (j["pid"], tid) not in names:
        bad.append("perfetto: no thread_name for %d" % tid)
    cs = [e for e in ev if e["ph"] == "C" and e["tid"] == tid]
    eq(len(cs), 2, "perfetto counters of %d" % tid)
    if cs:
        eq(cs[-1]["args"]["on_cpu"], j["on_cpu_s"], "perfetto on_cpu of %d" % tid)
        eq(cs[-1]["args"]["lock"], j["lock_wait_s"], "perfetto lock of %d" % tid)
for pid in {j["pid"] for j in threads.values()}:
    if pid not in procs:
        bad.append("perfetto: no process_name for %d" % pid)
eq(p["otherData"]["dropped"], r["dropped"], "perfetto otherData.dropped")
print("perfetto events", len(ev))

# folded
fq = {}
for line in open(sys.argv[4]).read().splitlines():
    m = re.match(r"^(.+) (\d+)$", line)
    if not m or "\n" in line:
        bad.append("folded: bad line %r" % line)
        continue
    fr = m.group(1).split(";")
    if fr[0] == "[conctrace]":
        fq[fr[1]] = int(m.group(2))
eq(fq.get("[dropped samples]"), r["dropped"]["samples"], "folded [dropped samples]")
eq(fq.get("[dropped events]"), r["dropped"]["total"] - r["dropped"]["samples"],
   "folded [dropped events]")
if "[unsymbolized frames]" not in fq:
    bad.append("folded: no [unsymbolized frames] line")
for b in bad:
    print("BAD", b)
PY
sed 's/^/  /' "$TMP/cmp.txt"
grep -q '^BAD' "$TMP/cmp.txt" && soft_fail "formats disagree with the JSON report (BAD lines above)"
grep -q '^thread rows [1-9]' "$TMP/cmp.txt" || soft_fail "no thread rows compared"
grep -q '^lock rows [1-9]' "$TMP/cmp.txt" || soft_fail "no lock rows compared"

if command -v go >/dev/null 2>&1 || [ "$(id -u)" -eq 0 ]; then
	( require_go >/dev/null
	  timeout 120 go tool pprof -raw "$A/report.pprof" >"$TMP/pprof.raw" 2>&1 ) ||
		soft_fail "go tool pprof could not read the trace's pprof: $(tail -n 2 "$TMP/pprof.raw")"
	grep -q '^Comment: dropped samples: ' "$TMP/pprof.raw" ||
		soft_fail "pprof: no dropped-samples comment"
fi

require_chromium
check_html_page "$A/report.html" report chart-threads chart-runqueue
grep -q '<table id="locks">' "$TMP/report.dom" || soft_fail "html: no lock table"
grep -q '<table id="syscalls">' "$TMP/report.dom" || soft_fail "html: no syscall table"
grep -q 'id="diagnosis"' "$TMP/report.dom" || soft_fail "html: no diagnosis"
# the control: a page that fetches and logs must be caught by the same checks
printf '<!DOCTYPE html><html><body><img src="http://192.0.2.1/x.png">%s</body></html>\n' \
	'<script>console.error("control")</script>' >"$TMP/control.html"
chromium_load "$TMP/control.html" control
assert_eq "$(nr_lines "$TMP/control.requests")" 1 "control page: requests seen"
assert_cmp "$(nr_lines "$TMP/control.console")" ">=" 1 "control page: console messages seen"
[ -z "${SCREENSHOT:-}" ] || chromium_screenshot "$A/report.html" "$SCREENSHOT" 1100 2600

# --- 2. the CLI, one trace per format ---
for f in md html perfetto folded pprof; do
	run_ct "cli-$f" --color=always trace --format "$f" -o "$TMP/cli.$f" -- "${FX[@]}"
	assert_eq "$rc" 0 "conctrace trace --format $f exit status ($(tail -n 1 "$TMP/cli-$f.err"))"
	[ -s "$TMP/cli.$f" ] || { soft_fail "trace --format $f wrote nothing"; continue; }
	case $f in
	md)	grep -q '^| lock | kind | PID | waits' "$TMP/cli.$f" || soft_fail "md: no lock table" ;;
	html)	grep -q '<svg[^>]* id="chart-threads"' "$TMP/cli.$f" || soft_fail "html: no chart" ;;
	perfetto) jq_get "$TMP/cli.$f" 'len(r["traceEvents"])' >/dev/null ||
			soft_fail "perfetto: not JSON" ;;
	folded)	grep -vqE '^.+ [0-9]+$' "$TMP/cli.$f" && soft_fail "folded: a malformed line" ;;
	pprof)	[ "$(head -c 2 "$TMP/cli.$f" | od -An -tx1 | tr -d ' ')" = 1f8b ] ||
			soft_fail "pprof: not gzip" ;;
	esac
	case $f in md|html) ! grep -q $'\033' "$TMP/cli.$f" ||
		soft_fail "$f under --color=always has ANSI escapes" ;;
	esac
done
note "formats written by the CLI: $(cd "$TMP" && ls -s cli.* | xargs)"

# --- 3. the lab's page: models x workloads chart and the workload's table ---
run_ct lab --color=always run --scale small -w cpu -m serial,threads --format html \
	-o "$TMP/lab.html"
assert_eq "$rc" 0 "conctrace run --format html exit status ($(tail -n 1 "$TMP/lab.err"))"
check_html_page "$TMP/lab.html" lab chart-lab
grep -q '<table class="lab" id="wl-cpu">' "$TMP/lab.dom" || soft_fail "lab html: no cpu table"
grep -q '&#9733;\|★' "$TMP/lab.dom" || soft_fail "lab html: no winner mark"
