#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs as root, acts as the user: under sudo (SUDO_UID/SUDO_GID) the launched command runs as the
# invoking user, as the command itself reports with id(1), and the report file it writes is owned
# by that user (stat). A report path that is a symlink is refused and its target left untouched.
# Without root, one stderr line says to use sudo. With -d and --, conctrace returns after -d while
# the command keeps running (the kernel still lists its PID afterwards).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing
require_cmd setpriv

nobody=65534
dir=$TMP/user
mkdir -p "$dir" && chmod 0777 "$dir"

rc=0
SUDO_UID=$nobody SUDO_GID=$nobody "$CONCTRACE" trace -f json -o "$dir/r.json" -- \
	sh -c 'echo "$(id -u) $(id -g) $(id -G)"' >"$TMP/id.out" 2>"$TMP/id.err" || rc=$?
note "command saw: $(cat "$TMP/id.out"); conctrace exit $rc"
assert_eq "$rc" 0 "exit status under SUDO_UID"
assert_eq "$(cat "$TMP/id.out")" "$nobody $nobody $nobody" "uid gid groups of the command"
assert_eq "$(stat -c '%u:%g' "$dir/r.json")" "$nobody:$nobody" "owner of the report file"
check_report "$dir/r.json"

# A planted symlink is not followed.
echo precious >"$TMP/target"
ln -s "$TMP/target" "$dir/link.json"
run_ct symlink trace -o "$dir/link.json" -- true
note "symlink: exit $rc, stderr: $(cat "$TMP/symlink.err")"
assert_cmp "$rc" ">" 0 "exit status writing through a symlink"
assert_eq "$(cat "$TMP/target")" precious "the symlink's target is untouched"

# Not root: one line, naming sudo, exit below 128.
rc=0
setpriv --reuid=$nobody --regid=$nobody --clear-groups "$CONCTRACE" trace -- true \
	>"$TMP/noroot.out" 2>"$TMP/noroot.err" || rc=$?
note "not root: exit $rc, stderr: $(cat "$TMP/noroot.err")"
assert_cmp "$rc" ">" 0 "exit status without root"
assert_cmp "$rc" "<" 128 "exit status without root"
assert_eq "$(nr_lines "$TMP/noroot.err")" 1 "stderr lines without root"
grep -q sudo "$TMP/noroot.err" || soft_fail "the message does not mention sudo"

# -d with --: tracing stops, the command keeps running.
run_ct dur trace -d 0.5 -f json -o "$TMP/dur.json" -- sleep 3
jset pid "$TMP/dur.json" '.target.pids[0]'
jset status "$TMP/dur.json" .target.exit_status
assert_eq "$rc" 0 "exit status with -d while the command runs"
assert_eq "$status" null "target.exit_status while the command runs"
[ -d "/proc/$pid" ] || soft_fail "the command $pid did not keep running after -d"
kill "$pid" 2>/dev/null || true
