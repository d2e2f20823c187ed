#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kernel features probed at start, each missing one faked with the test-only knob
# CONCTRACE_TEST_MISSING. A required one (BTF, tp_btf, bpf_task_pt_regs, ring buffer): exit 3,
# exactly one stderr line naming it, the command never run, no report written. An optional one
# (perf events, uprobes): one warning line naming it and what is off, and the trace goes on
# (exit 0, a report). With nothing faked, no warning at all on this kernel (which has them all:
# the uprobe PMU is listed in sysfs, perf_event_open works).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2119 # needs no fixture
require_tracing

marker=$TMP/ran

# required FEATURE PATTERN: faking FEATURE missing fails as described, message matching PATTERN.
required()
{
	rm -f "$marker"
	CONCTRACE_TEST_MISSING=$1 run_ct "$1" trace -f json -o "$TMP/$1.json" -- touch "$marker"
	note "$1: exit $rc, stderr: $(cat "$TMP/$1.err")"
	assert_eq "$rc" 3 "exit status with $1 missing"
	assert_eq "$(nr_lines "$TMP/$1.err")" 1 "stderr lines with $1 missing"
	grep -Eq "$2" "$TMP/$1.err" || soft_fail "$1: the message does not match /$2/"
	[ ! -e "$marker" ] || soft_fail "$1: the command ran"
	[ ! -e "$TMP/$1.json" ] || soft_fail "$1: a report was written"
}

required btf 'BTF'
required tp_btf 'tp_btf'
required task_pt_regs 'bpf_task_pt_regs'
required ringbuf 'ring buffer'

# optional FEATURE PATTERN: a warning matching PATTERN, and the trace runs.
optional()
{
	CONCTRACE_TEST_MISSING=$1 run_ct "$1" trace -f json -o "$TMP/$1.json" -- true
	note "$1: exit $rc, stderr: $(cat "$TMP/$1.err")"
	assert_eq "$rc" 0 "exit status with $1 missing"
	assert_eq "$(nr_lines "$TMP/$1.err")" 1 "stderr lines with $1 missing"
	grep -Eq "$2" "$TMP/$1.err" || soft_fail "$1: the warning does not match /$2/"
	check_report "$TMP/$1.json"
}

optional perf 'perf events.*sampling is off'
optional uprobes 'uprobes unavailable.*needs them'

run_ct none trace -f json -o "$TMP/none.json" -- true
assert_eq "$rc" 0 "exit status with every feature present"
assert_eq "$(nr_lines "$TMP/none.err")" 0 "stderr lines with every feature present"
