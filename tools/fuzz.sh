#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run libFuzzer targets for a bounded time each, on a scratch copy of their seed corpus
# (tests/fuzz/corpus/NAME for fuzz_NAME; the repository is never written to). One line per
# target, "ok"/"FAIL", then "N passed, N failed, N skipped". A crash's input is kept under
# .output/fuzz/crashes/ and the fuzzer's report printed.
#   tools/fuzz.sh SECONDS FUZZER_BINARY...
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 1
secs=${1:?usage: tools/fuzz.sh SECONDS FUZZER...}
shift
passed=0 failed=0 skipped=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ct-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "skip $name: $bin not built (make fuzz-build)"
		skipped=$((skipped + 1))
		continue
	fi
	work=$scratch/$name
	mkdir -p "$work/corpus" "$work/crash"
	seeds=tests/fuzz/corpus/${name#fuzz_}
	[ -d "$seeds" ] && cp -r "$seeds/." "$work/corpus/"
	rc=0
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
		-print_final_stats=1 -artifact_prefix="$work/crash/" "$work/corpus" \
		>"$work/log" 2>&1 || rc=$?
	runs=$(grep -m1 '^stat::number_of_executed_units:' "$work/log" | awk '{ print $2 }')
	units=$(find "$work/corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $name (${runs:-?} inputs in ${secs}s, corpus $units)"
	else
		failed=$((failed + 1))
		mkdir -p .output/fuzz/crashes
		cp "$work"/crash/* .output/fuzz/crashes/ 2>/dev/null
		echo "FAIL $name: exit $rc; input kept in .output/fuzz/crashes/:" \
			"$(find "$work/crash" -type f -printf '%f ')"
		grep -E 'ERROR|runtime error|SUMMARY|fails for|==[0-9]+==' "$work/log" | head -n 15 |
			sed 's/^/    | /'
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
