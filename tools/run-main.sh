#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make run`: the main job. Runs the workload lab (every built-in workload under every model,
# traced) and prints the side-by-side report. Must run as root (sudo make run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
	echo "make run: tracing needs root: run 'sudo make run'" >&2
	exit 1
fi
exec ./conctrace run "$@"
