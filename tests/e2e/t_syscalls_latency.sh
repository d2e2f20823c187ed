#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Per-syscall latency: fx_syslat times each of its N nanosleeps (1..5 ms) around the call. The
# report's nanosleep count is N, its time_s and max_s at most the fixture's (which enclose them)
# and at least those minus 100 us per call; getpid's count is N. getpid and nanosleep displace each
# other in the tracer's per-task slot at every call, so this also checks that path.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_syslat

N=200
trace_cmd lat -- "$FIXTURES/fx_syslat" "$N"
O=$TMP/lat.out R=$TMP/lat.json
jset ns_nr "$O" .nanosleep_nr
jset gp_nr "$O" .getpid_nr
jset fx_total "$O" .total_s
jset fx_max "$O" .max_s
row() { echo "next((s for s in r[\"syscalls\"][\"top\"] if s[\"nr\"] == $1), {}).get(\"$2\", -1)"; }
jset ns_count "$R" "$(row "$ns_nr" count)"
jset ns_time "$R" "$(row "$ns_nr" time_s)"
jset ns_max "$R" "$(row "$ns_nr" max_s)"
jset gp_count "$R" "$(row "$gp_nr" count)"
assert_eq "$ns_count" "$N" "nanosleep count"
assert_eq "$gp_count" "$N" "getpid count"
assert_cmp "$ns_time" "<=" "$fx_total" "nanosleep time_s <= the fixture's own total"
assert_cmp "$ns_time" ">=" "$(calc "$fx_total - $N * 0.0001")" \
	"nanosleep time_s >= the fixture's total - 100 us per call"
assert_cmp "$ns_max" "<=" "$fx_max" "nanosleep max_s <= the fixture's own max"
assert_cmp "$ns_max" ">=" "$(calc "$fx_max - 0.0001")" "nanosleep max_s >= the fixture's max - 100 us"
