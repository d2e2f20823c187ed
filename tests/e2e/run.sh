#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the end-to-end tests (tests/e2e/t_*.sh, or the names given) from the repository root, each
# under a timeout; print ok/FAIL/skip per test with its reason, then "N passed, N failed, N skipped"
# as the last line. Exit 1 if any test failed.
#   tests/e2e/run.sh [-v] [t_name...]   -v: print every test's log, not only failing ones'
# Environment: CONCTRACE, FIXTURES (see lib.sh), E2E_TIMEOUT (seconds per test, default 120).
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
export CONCTRACE="${CONCTRACE:-./conctrace}" FIXTURES="${FIXTURES:-.output/tests/fixtures}"
timeout_s=${E2E_TIMEOUT:-120}
verbose=0
if [ "${1:-}" = -v ]; then
	verbose=1
	shift
fi

tests=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		n=${n##*/}
		tests+=("tests/e2e/${n%.sh}.sh")
	done
else
	tests=(tests/e2e/t_*.sh)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0 skipped=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	start=$(date +%s.%N)
	rc=0
	timeout -k 10 "$timeout_s" bash "$t" >"$log" 2>&1 </dev/null || rc=$?
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	case $rc in
	0)
		passed=$((passed + 1))
		echo "ok   $name (${secs}s)"
		;;
	77)
		skipped=$((skipped + 1))
		echo "skip $name: $(grep -m1 '^SKIP: ' "$log" | cut -c7-)"
		;;
	*)
		failed=$((failed + 1))
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			reason="timed out after ${timeout_s}s"
		else
			reason=$(grep -m1 '^FAIL: ' "$log" | cut -c7-)
			more=$(($(grep -c '^FAIL: ' "$log") - 1))
			[ "$more" -le 0 ] || reason="$reason (and $more more)"
			[ -n "$reason" ] || reason="exit status $rc: $(tail -n 1 "$log")"
		fi
		echo "FAIL $name: $reason (${secs}s)"
		;;
	esac
	if [ "$verbose" -eq 1 ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; }; then
		sed 's/^/    | /' "$log"
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
