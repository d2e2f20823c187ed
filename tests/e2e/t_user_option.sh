#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# trace --user NAME -- CMD runs CMD as NAME, overriding SUDO_UID: the command's own id -u, id -g,
# id -G and HOME/USER/LOGNAME must equal what id(1) and getent(1) say of NAME: for nobody, and for
# a user this test creates with a primary group and two supplementary groups (removed at the
# end). It cannot get root back (setpriv would need it). An unknown user is a usage error:
# exit 2, one stderr line naming it, the command not run; --user with -p is refused the same way.
# run --user NAME runs the lab's workloads as NAME: a conctrace-workload wrapper beside a copy of
# conctrace reports its own id -u and id -g on stderr for every cell.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2119 # needs no fixture
require_tracing
require_cmd useradd
require_cmd getent
require_cmd setpriv

# as_user NAME: trace --user NAME (with SUDO_UID of another user) a shell printing who it is;
# compare with id(1) and getent(1) for NAME.
as_user()
{
	local u=$1 want home

	rc=0
	# shellcheck disable=SC2016 # expanded by the traced shell
	SUDO_UID=1 SUDO_GID=1 "$CONCTRACE" trace --user "$u" -f json -o "$TMP/$u.json" -- \
		sh -c 'echo "$(id -u) $(id -g) $(id -G | tr " " "\n" | sort -n | xargs)" \
			"$HOME $USER $LOGNAME"' \
		>"$TMP/$u.out" 2>"$TMP/$u.err" || rc=$?
	home=$(getent passwd "$u" | cut -d: -f6)
	want="$(id -u "$u") $(id -g "$u") $(id -G "$u" | tr ' ' '\n' | sort -n | xargs) $home $u $u"
	assert_eq "$rc" 0 "exit status of trace --user $u"
	assert_eq "$(cat "$TMP/$u.out")" "$want" \
		"uid gid groups HOME USER LOGNAME of the command as $u"
	check_report "$TMP/$u.json"
}

as_user nobody

# A user of our own with supplementary groups.
u=ctu$$
g1=ctg1$$ g2=ctg2$$
cleanup_user() { userdel "$u" 2>/dev/null; groupdel "$g1" 2>/dev/null; groupdel "$g2" 2>/dev/null; }
trap 'st=$?; cleanup_user; e2e_cleanup; [ "$E2E_FAILS" -eq 0 ] || exit 1; exit $st' EXIT
if ! groupadd "$g1" || ! groupadd "$g2" || ! useradd -M -d "/nonexistent/$u" -G "$g1,$g2" "$u"; then
	fail "cannot create test user $u"
fi
[ "$(id -G "$u" | wc -w)" -eq 3 ] || fail "test user $u does not have 3 groups: $(id "$u")"
as_user "$u"

# No way back to root from the command.
rc=0
"$CONCTRACE" trace --user "$u" -o /dev/null -- setpriv --reuid=0 true >/dev/null 2>&1 || rc=$?
note "setpriv --reuid=0 as $u: exit $rc"
[ "$rc" -ne 0 ] || soft_fail "the command run as $u became root again"

# Unknown user, and --user with -p: usage errors.
marker=$TMP/ran
run_ct unknown trace --user no-such-user-$$ -- touch "$marker"
note "unknown user: exit $rc, stderr: $(cat "$TMP/unknown.err")"
assert_eq "$rc" 2 "exit status for an unknown --user"
assert_eq "$(nr_lines "$TMP/unknown.err")" 1 "stderr lines for an unknown --user"
grep -q "no-such-user-$$" "$TMP/unknown.err" || soft_fail "the message does not name the user"
[ ! -e "$marker" ] || soft_fail "the command ran with an unknown --user"
bg_start sleep 10
run_ct withp trace --user nobody -p "$BG_PID" -d 1
assert_eq "$rc" 2 "exit status for --user with -p"
assert_eq "$(nr_lines "$TMP/withp.err")" 1 "stderr lines for --user with -p"

# run --user: every workload the lab starts runs as the user (the wrapper says who it is).
lab=$(mktemp -d /tmp/ct-lab-user.XXXXXX)
chmod 755 "$lab"
cp "$CONCTRACE" "$lab/conctrace"
cp ./conctrace-workload "$lab/conctrace-workload.real"
cat >"$lab/conctrace-workload" <<WRAPPER
#!/bin/sh
echo "workload-ids \$(id -u) \$(id -g)" >&2
exec "$lab/conctrace-workload.real" "\$@"
WRAPPER
chmod 755 "$lab/conctrace-workload"
rc=0
SUDO_UID=1 SUDO_GID=1 "$lab/conctrace" run --user "$u" --scale small -w cpu -m serial,threads \
	-f json -o "$TMP/lab.json" >"$TMP/lab.out" 2>"$TMP/lab.err" || rc=$?
rm -rf "$lab"
assert_eq "$rc" 0 "exit status of run --user $u"
assert_eq "$(grep -c '^workload-ids ' "$TMP/lab.err")" 2 "workloads started (one per cell)"
assert_eq "$(grep '^workload-ids ' "$TMP/lab.err" | sort -u)" \
	"workload-ids $(id -u "$u") $(id -g "$u")" "uid and gid of every workload of run --user $u"
run_ct rununknown run --user no-such-user-$$ -w cpu -m serial
assert_eq "$rc" 2 "exit status of run with an unknown --user"
assert_eq "$(nr_lines "$TMP/rununknown.err")" 1 "stderr lines of run with an unknown --user"
grep -q "no-such-user-$$" "$TMP/rununknown.err" || soft_fail "the message does not name the user"
