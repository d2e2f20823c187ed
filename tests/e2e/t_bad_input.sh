#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage errors: each bad argument makes trace exit 2 before launching anything, with exactly one
# stderr line that names the problem and nothing on stdout.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_conctrace

# A PID with no process: the highest free one below pid_max (nothing can be created there
# between this check and the run but another process, which the check below would see).
pid_max=$(cat /proc/sys/kernel/pid_max)
dead=$((pid_max - 1))
while [ -e "/proc/$dead" ]; do
	dead=$((dead - 1))
done
marker=$TMP/launched

# bad NAME PATTERN ARGS...: trace ARGS must fail with status 2 and one stderr line matching
# PATTERN (an extended regex naming the bad value), no stdout, and never run its command.
bad()
{
	local name=$1 pat=$2 lines

	shift 2
	run_ct "$name" trace "$@"
	lines=$(nr_lines "$TMP/$name.err")
	note "$name: exit $rc, stderr: $(cat "$TMP/$name.err")"
	[ "$rc" -eq 2 ] || fail "$name: trace $* exited $rc, want 2"
	[ "$lines" -eq 1 ] || fail "$name: $lines lines on stderr, want 1"
	grep -Eq -- "$pat" "$TMP/$name.err" || fail "$name: stderr does not match /$pat/"
	[ ! -s "$TMP/$name.out" ] || fail "$name: stdout not empty: $(head -c 200 "$TMP/$name.out")"
	[ ! -e "$marker" ] || fail "$name: the command was launched"
}

bad unknown_flag 'bogus-flag' --bogus-flag -- touch "$marker"
bad pid_too_big '999999999' -p 999999999 -d 1
bad pid_not_number "'?abc'?" -p abc -d 1
bad pid_dead "$dead" -p "$dead" -d 1
bad duration_zero 'duration|-d' -d 0 -- touch "$marker"
bad duration_negative '-1' -d -1 -- touch "$marker"
bad format_xml 'xml' --format xml -- touch "$marker"
# Long-only options: missing their value, or given one they do not take.
bad record_no_value "option '--record' needs an argument" --record
bad user_no_value "option '--user' needs an argument" --user
bad pid_no_value "option '--pid' needs an argument" --pid
bad no_syscalls_value "option '--no-syscalls' takes no argument" --no-syscalls=1 -- touch "$marker"
bad letter_in_group "unknown option -Z" --format=json -Zx -- touch "$marker"
[ ! -e "/proc/$dead" ] || note "PID $dead appeared meanwhile (the pid_dead case may be moot)"
