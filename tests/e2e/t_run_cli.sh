#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `conctrace run`'s command line: bad values exit 2 with one stderr line and nothing on stdout; a
# two-cell run writes a conctrace.run/1 document whose speedup is the ratio of the two cells'
# throughputs as the workload measured them, and whose cells embed complete reports.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing

for args in "--scale huge" "-w nope" "-m cpu" "--repeat 0" "-j 0" "--format xml" "stray" \
	"--record" "--user" "--no-syscalls=1" "--user no-such-user-$$"; do
	# shellcheck disable=SC2086
	run_ct bad run $args
	note "run $args: exit $rc, stderr: $(cat "$TMP/bad.err")"
	assert_eq "$rc" 2 "exit status of run $args"
	assert_eq "$(nr_lines "$TMP/bad.err")" 1 "stderr lines of run $args"
	[ ! -s "$TMP/bad.out" ] || soft_fail "run $args wrote to stdout"
done

run_ct small run --scale small -w cpu -m serial,threads -f json -o "$TMP/run.json"
assert_eq "$rc" 0 "exit status of a two-cell run"
jset schema "$TMP/run.json" .schema
assert_eq "$schema" conctrace.run/1 "schema"
jset ncells "$TMP/run.json" 'len(r["workloads"][0]["cells"])'
assert_eq "$ncells" 2 "cells"
jset ts "$TMP/run.json" '.workloads[0].cells[0].throughput'
jset tt "$TMP/run.json" '.workloads[0].cells[1].throughput'
jset sp "$TMP/run.json" '.workloads[0].cells[1].speedup'
assert_near "$sp" "$(calc "$tt / $ts")" 0.001 0 "threads speedup = throughput ratio"
jset rs "$TMP/run.json" '.workloads[0].cells[1].report.schema'
assert_eq "$rs" conctrace.report/1 "embedded report schema"
