#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exit status of trace -- CMD: the command's own status (exit 7 -> 7), 128+N when it is killed by
# signal N (SIGTERM -> 143), 127 with one line on stderr when it cannot be found.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2119 # needs no fixture
require_tracing

# run_status NAME COMMAND...: $rc = conctrace's exit status tracing COMMAND.
run_status()
{
	local name=$1

	shift
	run_ct "$name" trace --format json -o "$TMP/$name.json" -- "$@"
}

run_status exit7 sh -c 'exit 7'
assert_eq "$rc" 7 "exit status of sh -c 'exit 7'"
check_report "$TMP/exit7.json"
jset st "$TMP/exit7.json" .target.exit_status
assert_eq "$st" 7 "target.exit_status"

run_status term sh -c 'kill -TERM $$'
assert_eq "$rc" 143 "exit status of a command killed by SIGTERM"
check_report "$TMP/term.json"
jset st "$TMP/term.json" .target.exit_status
assert_eq "$st" 143 "target.exit_status"

run_status missing /nonexistent/cmd
assert_eq "$rc" 127 "exit status of a command that does not exist"
assert_eq "$(nr_lines "$TMP/missing.err")" 1 "stderr lines for a missing command"
grep -q /nonexistent/cmd "$TMP/missing.err" ||
	fail "the message does not name the command: $(cat "$TMP/missing.err")"
note "stderr: $(cat "$TMP/missing.err")"
[ ! -s "$TMP/missing.out" ] || fail "stdout not empty: $(head -c 200 "$TMP/missing.out")"
