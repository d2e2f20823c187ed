#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: unit tests (no root needed), then end-to-end tests against real kernel tracing.
# Prints one summary line "N passed, N failed, N skipped" over both; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

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
echo
echo "$((up + ep)) passed, $((uf + ef)) failed, ${es} skipped"
[ $((uf + ef)) -eq 0 ]
