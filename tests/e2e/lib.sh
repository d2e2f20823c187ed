# SPDX-License-Identifier: GPL-2.0
# Helpers sourced by every tests/e2e/t_*.sh: skip/fail, a temp dir, JSON reads, tolerance asserts.
#
# A test sources this file, calls the require_* it needs, runs conctrace and a fixture, and
# compares conctrace's report with the fixture's own measurements. Exit 0 = pass, 1 = fail,
# 77 = skip; a line "FAIL: ..." or "SKIP: ..." says why. fail and skip end the test at once; a
# failed assert_* prints its FAIL line and the test goes on (so every figure gets printed), then
# fails at its end.
# Environment: CONCTRACE (default ./conctrace), FIXTURES (default .output/tests/fixtures), both
# relative to the repository root, which is the working directory of every test.

# Values reach the tests' variables through jset (printf -v), which shellcheck cannot follow.
# shellcheck disable=SC2034,SC2154
set -u -o pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
: "${CONCTRACE:=./conctrace}"
: "${FIXTURES:=.output/tests/fixtures}"

# Switches /proc counts for the launched command's main thread before conctrace's probes are
# live (fork, blocking on the launch cork, the release): the tests' absolute slack for them.
LAUNCH_SWITCHES=4

E2E_FAILS=0
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
soft_fail() { echo "FAIL: $*"; E2E_FAILS=$((E2E_FAILS + 1)); }
note() { echo "  $*"; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ct-e2e.XXXXXX") || exit 1
BG_PIDS=()

# Kill (by PID) what this test started in the background and is still running (a job the shell
# has reaped is not in `jobs -pr`, so a recycled PID is never hit), then remove the temp dir.
e2e_cleanup()
{
	local p running

	running=" $(jobs -pr | xargs) "
	for p in "${BG_PIDS[@]}"; do
		[[ $running == *" $p "* ]] && kill "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		[[ $running == *" $p "* ]] && wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap 'st=$?; e2e_cleanup; [ "$E2E_FAILS" -eq 0 ] || exit 1; exit $st' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Start "$@" in the background, remember its PID in $BG_PID for cleanup (and for the test).
bg_start()
{
	"$@" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# bg_wait PID: wait for a background job; its exit status in $rc.
bg_wait()
{
	rc=0
	wait "$1" || rc=$?
}

require_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }
require_btf() { [ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF at /sys/kernel/btf/vmlinux"; }
require_cmd() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"; }

require_conctrace()
{
	[ -x "$CONCTRACE" ] ||
		fail "conctrace binary '$CONCTRACE' not found (make, or set CONCTRACE)"
}

# Everything a tracing test needs, plus the fixtures named as arguments.
require_tracing()
{
	local f

	require_root
	require_btf
	require_conctrace
	for f in "$@"; do
		[ -x "$FIXTURES/$f" ] || fail "fixture $FIXTURES/$f not built (make)"
	done
}

# jq_get FILE EXPR: print one value of the JSON document in FILE. EXPR is a path like
# .time_s.on_cpu or .threads[0].tid, or a Python expression over the document `r`, e.g.
# 'sum(t["voluntary"] for t in r["threads"])'. Booleans and null print as in JSON, strings raw,
# lists and objects as JSON. Fails (status 1, message on stderr) on bad JSON or a missing key.
jq_get()
{
	python3 - "$1" "$2" <<'EOF'
import json, re, sys

path, expr = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        r = json.load(f)
except (OSError, ValueError) as e:
    sys.exit("jq_get: %s: not valid JSON: %s" % (path, e))
if expr.startswith("."):
    expr = "r" + re.sub(r"\.([A-Za-z_][A-Za-z0-9_]*)", r'["\1"]', expr)
try:
    v = eval(expr, {"r": r})
except Exception as e:
    sys.exit("jq_get: %s: %s: %s: %s" % (path, sys.argv[2], type(e).__name__, e))
if isinstance(v, bool) or v is None:
    print(json.dumps(v))
elif isinstance(v, (int, float, str)):
    print(v)
else:
    print(json.dumps(v))
EOF
}

# jset VAR FILE EXPR: VAR=$(jq_get FILE EXPR), failing the test if that fails.
jset()
{
	local v

	v=$(jq_get "$2" "$3") || fail "cannot read '$3' from $2"
	printf -v "$1" '%s' "$v"
}

# assert_near ACTUAL EXPECTED REL_TOL ABS_TOL NAME:
# pass when |ACTUAL - EXPECTED| <= REL_TOL * |EXPECTED| + ABS_TOL; print both values either way.
assert_near()
{
	local verdict

	verdict=$(awk -v a="$1" -v e="$2" -v r="$3" -v t="$4" 'BEGIN {
		d = a - e; if (d < 0) d = -d; m = e < 0 ? -e : e; tol = r * m + t
		printf "%s (diff %.6g, tolerance %.6g = %g%% + %g)", d <= tol ? "ok" : "bad", \
			d, tol, r * 100, t
	}')
	echo "  $5: actual $1, expected $2: $verdict"
	[ "${verdict%% *}" = ok ] || soft_fail "$5: actual $1, expected $2 ${verdict#bad }"
}

# assert_cmp ACTUAL OP BOUND NAME: numeric comparison (OP is one of < <= > >= ==).
assert_cmp()
{
	local ok

	ok=$(awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
		r = op == "<" ? a < b : op == "<=" ? a <= b : op == ">" ? a > b : \
		    op == ">=" ? a >= b : op == "==" ? a == b : -1
		print r
	}')
	[ "$ok" != -1 ] || fail "assert_cmp: bad operator $2"
	echo "  $4: $1 $2 $3: $([ "$ok" = 1 ] && echo ok || echo bad)"
	[ "$ok" = 1 ] || soft_fail "$4: want $1 $2 $3"
}

# assert_eq ACTUAL EXPECTED NAME: string equality.
assert_eq()
{
	echo "  $3: '$1' (want '$2')"
	[ "$1" = "$2" ] || soft_fail "$3: got '$1', want '$2'"
}

# calc EXPR: print the value of an awk arithmetic expression.
calc() { awk "BEGIN { printf \"%.9g\", ($1) }"; }

# check_report FILE: FILE holds one JSON object with schema conctrace.report/1.
check_report()
{
	local schema

	[ -s "$1" ] || fail "no report written to $1"
	schema=$(jq_get "$1" '.schema') || fail "report $1 is not valid JSON: $(head -c 300 "$1")"
	[ "$schema" = conctrace.report/1 ] || fail "report $1: schema '$schema'"
}

# run_ct NAME ARGS...: run conctrace ARGS with stdout in $TMP/NAME.out and stderr in
# $TMP/NAME.err; its exit status in $rc.
run_ct()
{
	local name=$1

	shift
	rc=0
	"$CONCTRACE" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
}

# trace_cmd NAME [TRACE_OPTS...] -- COMMAND [ARGS...]: run conctrace trace --format json on the
# command, which must exit 0. Report in $TMP/NAME.json, the command's stdout in $TMP/NAME.out,
# conctrace's stderr in $TMP/NAME.err; both the report and the command's output must be JSON.
trace_cmd()
{
	local name=$1

	shift
	run_ct "$name" trace --format json -o "$TMP/$name.json" "$@"
	[ "$rc" -eq 0 ] || fail "conctrace trace $* exited $rc: $(tail -n 3 "$TMP/$name.err")"
	check_report "$TMP/$name.json"
	jq_get "$TMP/$name.out" 'type(r).__name__' >/dev/null ||
		fail "the traced command did not print JSON: $(head -c 300 "$TMP/$name.out")"
}

# check_mutex_report NAME: $TMP/NAME.json traced fx_mutex --idle-cond-ms, whose output is in
# $TMP/NAME.out. time_s.lock_wait within 5 % of the time the fixture's lock calls spent blocked
# (their self-timed wait less the run delay they read from schedstat: a tracer counts the wait
# for a CPU after the wakeup as run-queue time), the idle condvar wait counted as cond_wait, some
# join wait. Sets fx_blocked, fx_wait, fx_cond, lock_wait, cond_wait, join_wait.
check_mutex_report()
{
	local R=$TMP/$1.json F=$TMP/$1.out fx_contended fx_calls fx_runq

	jset fx_wait "$F" .lock_wait_s
	jset fx_blocked "$F" .lock_blocked_s
	jset fx_runq "$F" .lock_runqueue_s
	jset fx_cond "$F" .cond_wait_s
	jset fx_calls "$F" .lock_calls
	jset fx_contended "$F" .contended_calls
	jset lock_wait "$R" .time_s.lock_wait
	jset cond_wait "$R" .time_s.cond_wait
	jset join_wait "$R" .time_s.join_wait
	note "fixture: $fx_contended of $fx_calls lock calls blocked; self-timed wait $fx_wait s," \
		"of which run delay $fx_runq s, blocked $fx_blocked s; idle cond wait $fx_cond s"
	[ "$fx_contended" -ge 100 ] ||
		skip "machine too busy: only $fx_contended lock calls blocked, for $fx_blocked s"
	assert_near "$lock_wait" "$fx_blocked" 0.05 0 \
		"time_s.lock_wait vs self-timed blocked lock wait"
	assert_cmp "$lock_wait" "<=" "$fx_wait" \
		"time_s.lock_wait <= the self-timed wall-clock lock wait"
	assert_cmp "$cond_wait" ">=" "$(calc "0.9 * $fx_cond")" \
		"time_s.cond_wait >= 90 % of the self-timed idle cond wait"
	assert_cmp "$join_wait" ">" 0 "time_s.join_wait"
}

# The line count of a file (0 for an empty one).
nr_lines() { wc -l <"$1" | tr -d ' '; }

# --- Helpers of the fault-injection tests (t_fault_*.sh) ---

# bpf_held_ids PID: "prog ID" and "link ID" lines for the BPF objects PID holds fds to.
bpf_held_ids()
{
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '$1 == "prog_id:" { print "prog", $2 } $1 == "link_id:" { print "link", $2 }' |
		sort -u
}

# bpf_watch_ids PID: wait (up to 10 s) until PID holds a BPF link, then $ids = what it holds.
bpf_watch_ids()
{
	local _

	ids=
	for _ in $(seq 100); do
		ids=$(bpf_held_ids "$1")
		grep -q '^link ' <<<"$ids" && break
		kill -0 "$1" 2>/dev/null || fail "conctrace exited before attaching"
		sleep 0.1
	done
	grep -q '^link ' <<<"$ids" || fail "conctrace holds no BPF link 10 s after starting"
	note "held while tracing: $(grep -c '^prog ' <<<"$ids") programs," \
		"$(grep -c '^link ' <<<"$ids") links"
}

# bpf_gone WHEN: none of $ids is still known to bpftool. The kernel frees a detached program
# after an RCU grace period, which can take a while after the last fd closed: allow 10 s.
bpf_gone()
{
	local kind id left _

	for _ in $(seq 50); do
		left=
		while read -r kind id; do
			[ -n "$kind" ] || continue
			bpftool "$kind" show id "$id" >/dev/null 2>&1 && left+=" $kind $id"
		done <<<"$ids"
		[ -z "$left" ] && break
		sleep 0.2
	done
	[ -z "$left" ] || fail "still loaded 10 s $1:$left"
	note "all gone $1"
}

# json_line FILE N OUT: line N of FILE (a fixture printing one JSON object per line) into OUT.
json_line() { sed -n "$2p" "$1" >"$3"; }

# check_drops FILE: dropped.total is the sum of the other dropped.* counters; print them.
check_drops()
{
	local d sum

	jset d "$1" .dropped
	jset sum "$1" 'sum(v for k, v in r["dropped"].items() if k != "total")'
	note "dropped: $d"
	jset total "$1" .dropped.total
	assert_eq "$total" "$sum" "dropped.total = the sum of the other dropped counters"
}

# Slack for comparing on_cpu with getrusage() when threads exit: the kernel folds a thread's
# runtime into its process in release_task(), before the thread's final switch, so RUSAGE_SELF
# misses each exiting thread's last microseconds (seen: 1-6 us per thread in a VM), which a
# tracer taking the final switch sees. Seconds per exited thread.
EXIT_TAIL_S=0.000010

# check_exit_tail_cpu ON_CPU RUSAGE_S THREADS INVOL: a trace's on_cpu vs the getrusage() CPU of a
# process that had THREADS threads exit and INVOL involuntary switches: not below 97 % of it
# (the tracer sees everything the kernel charged), not above 103 % + EXIT_TAIL_S per exited
# thread + 30 us per involuntary switch (per preemption the kernel's figure is low by the
# resched IPI's latency in a VM, README).
check_exit_tail_cpu()
{
	note "time_s.on_cpu $1 s, getrusage $2 s: $(calc "($1 - $2) * 1e6 / $3") us per thread" \
		"more; $4 involuntary switches"
	assert_cmp "$1" ">=" "$(calc "0.97 * $2")" "time_s.on_cpu >= 97 % of getrusage CPU"
	assert_cmp "$1" "<=" "$(calc "1.03 * $2 + $3 * $EXIT_TAIL_S + $4 * 0.00003")" \
		"time_s.on_cpu <= 103 % of getrusage CPU + $EXIT_TAIL_S s per thread + 30 us per preemption"
}

# check_churn_report NAME: $TMP/NAME.json traced fx_churn, whose output is in $TMP/NAME.out. Every
# thread it created (and its main thread) is in threads[] or counted in dropped.threads/ringbuf,
# no more than existed, each listed once and marked exited; on_cpu as check_exit_tail_cpu says.
# Sets created.
check_churn_report()
{
	local R=$TMP/$1.json F=$TMP/$1.out seen exited lost dup on_cpu ru_self invol

	jset created "$F" .created
	jset ru_self "$F" .rusage_self_s
	note "fixture: $created threads in $(jq_get "$F" .elapsed_s) s" \
		"($(jq_get "$F" .rate_per_s)/s), CPU $ru_self s"
	check_drops "$R"
	jset seen "$R" .threads_seen
	jset exited "$R" 'sum(t["exited"] for t in r["threads"])'
	jset lost "$R" 'r["dropped"]["threads"] + r["dropped"]["ringbuf"]'
	jset dup "$R" 'len(r["threads"]) - len(set((t["tid"], t["lifetime_s"]) for t in r["threads"]))'
	assert_cmp "$seen" ">=" "$((created + 1 - lost))" \
		"threads_seen vs created + main - dropped.threads - dropped.ringbuf"
	assert_cmp "$seen" "<=" "$((created + 1))" "threads_seen vs the threads that existed"
	assert_eq "$exited" "$seen" "threads[] entries marked exited (the main thread too)"
	assert_eq "$dup" 0 "threads[] entries listed twice"
	jset on_cpu "$R" .time_s.on_cpu
	jset invol "$R" .context_switches.involuntary
	check_exit_tail_cpu "$on_cpu" "$ru_self" "$created" "$invol"
}
