#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Report files (-o) as root: written to a temp file created O_EXCL|O_NOFOLLOW next to the
# destination and renamed over it whole, so nothing planted in the directory is written through.
#  - a symlink at the destination: refused with one line, exit 1, its target untouched
#  - a symlink or someone else's file planted under the temp name (the test-only knob
#    CONCTRACE_TEST_TMPNAME fixes the first temp name tried): left as they were, report written
#  - a hard link at the destination: the other name keeps its content (the name is replaced,
#    the inode is not written)
#  - under sudo a new report belongs to SUDO_UID:SUDO_GID; a replaced one keeps owner and mode
#  - a run that fails (a kernel feature missing: CONCTRACE_TEST_MISSING) or a command that is
#    not found leaves the old report in place and no temp file; /dev/null is written in place
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_harden.sh"
# shellcheck disable=SC2119 # needs no fixture
require_tracing
require_cmd strace

nobody=65534
d=$TMP/out
mkdir -p "$d" && chmod 0777 "$d"

# 1. A symlink at the destination.
echo precious >"$TMP/victim"
ln -s "$TMP/victim" "$d/link.json"
run_ct symlink trace -o "$d/link.json" -- true
note "symlink: exit $rc, stderr: $(cat "$TMP/symlink.err")"
assert_eq "$rc" 1 "exit status writing to a symlink"
assert_eq "$(nr_lines "$TMP/symlink.err")" 1 "stderr lines for a symlink"
grep -q "symbolic link" "$TMP/symlink.err" || soft_fail "the message does not say symbolic link"
assert_eq "$(cat "$TMP/victim")" precious "the symlink's target"
[ -L "$d/link.json" ] || soft_fail "the symlink was replaced"
no_temp_files "$d" "after refusing a symlink"

# 2. Planted temp names: a symlink to the victim, and a file of nobody's, mode 0666.
ln -s "$TMP/victim" "$d/.r1.json.ct-planted"
# (strace shows the planted name was tried, and refused by the kernel: EEXIST; LeakSanitizer,
# in an ASan build, cannot run under ptrace)
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 CONCTRACE_TEST_TMPNAME=planted \
	strace -qq -e trace=openat -o "$TMP/st" \
	"$CONCTRACE" trace -f json -o "$d/r1.json" -- true \
	>"$TMP/planted1.out" 2>"$TMP/planted1.err" || rc=$?
assert_eq "$rc" 0 "exit status with a symlink planted at the temp name"
grep -q 'r1.json.ct-planted".*O_EXCL.*EEXIST' "$TMP/st" ||
	soft_fail "no refused open of the planted temp name: $(grep ct-planted "$TMP/st")"
check_report "$d/r1.json"
assert_eq "$(cat "$TMP/victim")" precious "the planted symlink's target"
[ -L "$d/.r1.json.ct-planted" ] || soft_fail "the planted symlink was replaced"
echo theirs >"$d/.r2.json.ct-planted"
chown "$nobody:$nobody" "$d/.r2.json.ct-planted" && chmod 0666 "$d/.r2.json.ct-planted"
CONCTRACE_TEST_TMPNAME=planted run_ct planted2 trace -f json -o "$d/r2.json" -- true
assert_eq "$rc" 0 "exit status with a file planted at the temp name"
check_report "$d/r2.json"
assert_eq "$(cat "$d/.r2.json.ct-planted")" theirs "the planted file's content"
assert_eq "$(stat -c %u "$d/r2.json")" 0 "owner of the report (not the planted file's)"
rm -f "$d"/.r*.ct-planted

# 3. A hard link at the destination.
echo original >"$TMP/other-name"
ln "$TMP/other-name" "$d/hard.json"
run_ct hard trace -f json -o "$d/hard.json" -- true
assert_eq "$rc" 0 "exit status writing over a hard link"
check_report "$d/hard.json"
assert_eq "$(cat "$TMP/other-name")" original "the hard link's other name"

# 4. Ownership under sudo: a new file is SUDO_UID's; a replaced file keeps owner and mode.
SUDO_UID=$nobody SUDO_GID=$nobody run_ct sudo_new trace -f json -o "$d/new.json" -- true
assert_eq "$(stat -c '%u:%g' "$d/new.json")" "$nobody:$nobody" "owner of a new report under sudo"
assert_eq "$(stat -c '%a' "$d/new.json")" "$(printf '%o' $((0666 & ~$(umask))))" \
	"mode of a new report (0666 less the umask)"
echo old >"$d/kept.json"
chown 1:1 "$d/kept.json" && chmod 0640 "$d/kept.json"
SUDO_UID=$nobody SUDO_GID=$nobody run_ct sudo_old trace -f json -o "$d/kept.json" -- true
check_report "$d/kept.json"
assert_eq "$(stat -c '%u:%g %a' "$d/kept.json")" "1:1 640" "owner and mode of a replaced report"
no_temp_files "$d" "after the reports"

# 5. Failures leave the old report and no temp file.
echo '{"old": 1}' >"$d/keep.json"
CONCTRACE_TEST_MISSING=btf run_ct missing trace -f json -o "$d/keep.json" -- true
assert_eq "$rc" 3 "exit status with BTF missing"
assert_eq "$(cat "$d/keep.json")" '{"old": 1}' "the old report after a failed run"
run_ct notfound trace -f json -o "$d/keep.json" -- /nonexistent/cmd
assert_eq "$rc" 127 "exit status with the command not found"
assert_eq "$(cat "$d/keep.json")" '{"old": 1}' "the old report after a command not found"
no_temp_files "$d" "after failed runs"
run_ct devnull trace -f json -o /dev/null -- true
assert_eq "$rc" 0 "exit status writing to /dev/null"
[ -c /dev/null ] || fail "/dev/null is not a character device any more"
