#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages conctrace builds, runs and tests with, when any is missing.
# Idempotent: does nothing (and needs no root) when everything is there.
#   tools/install-deps.sh          what `make run` needs (and the tests' tools)
#   tools/install-deps.sh --test   also the readers the format tests check our output with:
#                                  chromium (HTML) and golang-go (go tool pprof)
set -euo pipefail

# build: clang/llvm for BPF, bpftool for skeletons, libbpf/libelf/zlib for the loader;
# tests: strace and python3 (JSON checks), procps; peers for benchmarks come with `make bench`;
# safety checks: libclang-rt-14-dev (libFuzzer and the sanitizer runtimes for clang), valgrind,
# cppcheck, clang-tidy, passwd (useradd for the --user test).
packages=(make gcc clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev pkg-config
	  strace python3 procps libclang-rt-14-dev valgrind cppcheck clang-tidy passwd)
if [ "${1:-}" = --test ]; then
	packages+=(chromium golang-go)
fi

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run 'sudo make' or install them" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
