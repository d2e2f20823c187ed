#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: unit tests (no root needed), then end-to-end tests against real kernel tracing.
# Prints one summary line "N passed, N failed, N skipped" over both; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

out=$(mktemp)
trap 'rm -f "$out"' EXIT

sum() { # the counts from a runner's last "N passed, N failed[, N skipped]" line
	grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1
}

echo "== unit tests"
.output/tests/unit/run | tee "$out"
read -r up _ uf _ < <(sum | tr -d ',')
: "${up:=0}" "${uf:=1}"

echo "== end-to-end tests"
if [ "$(id -u)" -ne 0 ]; then
	echo "end-to-end tests need root (sudo make test): not run" >&2
	ep=0 ef=1 es=0
else
	CONCTRACE=./conctrace FIXTURES=.output/tests/fixtures tests/e2e/run.sh | tee "$out"
	read -r ep _ ef _ es _ < <(sum | tr -d ',')
	: "${ep:=0}" "${ef:=1}" "${es:=0}"
fi

# The same unit tests, and the end-to-end tests that exercise conctrace's own code paths
# (options, launch, signals, attach, reports, run), with conctrace built under AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer: any finding aborts the binary and fails the test.
echo "== under sanitizers (make asan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	.output/asan/tests/unit/run | tee "$out"
read -r ap _ af _ < <(sum | tr -d ',')
: "${ap:=0}" "${af:=1}"
sp=0 sf=0 ss=0
if [ "$(id -u)" -eq 0 ]; then
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	CONCTRACE=.output/asan/conctrace FIXTURES=.output/tests/fixtures tests/e2e/run.sh \
		t_bad_input t_exit_status t_fork_follow t_mutex_wait t_no_leak t_no_syscalls \
		t_pid_attach t_run_cli t_user t_user_option t_output_file t_signals \
		t_features t_lock_attribution t_gil t_cpu_samples t_hostile_names | tee "$out"
	read -r sp _ sf _ ss _ < <(sum | tr -d ',')
	: "${sp:=0}" "${sf:=1}" "${ss:=0}"
fi

# Every libFuzzer target (tests/fuzz/fuzz_*.c, built by make fuzz-build) for FUZZ_SECONDS each
# on a scratch copy of its seed corpus; one result line per target. `make fuzz` runs them long.
echo "== fuzzing (${FUZZ_SECONDS:=20} s per target)"
targets=()
for src in tests/fuzz/fuzz_*.c; do	# the binaries, not the .d files beside them
	n=${src##*/}
	targets+=(".output/fuzz/${n%.c}")
done
tools/fuzz.sh "$FUZZ_SECONDS" "${targets[@]}" | tee "$out"
read -r fp _ ff _ fs _ < <(sum | tr -d ',')
: "${fp:=0}" "${ff:=1}" "${fs:=0}"

# cppcheck and clang-tidy at the level tools/lint.sh documents: one result line.
echo "== lint (make lint)"
OUTPUT=.output tools/lint.sh | tee "$out"
read -r lp _ lf _ lk _ < <(sum | tr -d ',')
: "${lp:=0}" "${lf:=1}" "${lk:=0}"
echo
passed=$((up + ep + ap + sp + fp + lp)) failed=$((uf + ef + af + sf + ff + lf))
echo "$passed passed, $failed failed, $((es + ss + fs + lk)) skipped"
[ "$failed" -eq 0 ]
