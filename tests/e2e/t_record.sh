#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Recordings: `trace --record` beside a direct report of the same trace, then `report` run as the
# unprivileged user nobody, must give byte for byte the same JSON and text (also with -p, and
# for a `run` lab matrix). Hostile recordings (every cut point of a small one, bit flips in its
# compressed and in its stored form, a wrong magic, a future version, an empty file, a
# directory, a missing file, zlib bombs) must each give one line on stderr naming the file and
# exit status 1, never a crash, on the normal build and on the ASan+UBSan build (make asan).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_mutex
require_cmd runuser
require_cmd python3

# The report is rendered by a copy of conctrace that nobody can reach, in a directory nobody reads.
chmod 755 "$TMP"
cp "$CONCTRACE" "$TMP/conctrace"
as_nobody() { runuser -u nobody -- "$@"; }
uid=$(as_nobody id -u)
[ "$uid" -ne 0 ] || fail "runuser -u nobody still runs as root"
note "report runs as uid $uid"

# same_report NAME DIRECT RECORDING FORMAT: `report RECORDING -f FORMAT` as nobody equals DIRECT.
same_report()
{
	local out=$TMP/$1.report

	chmod 644 "$3"
	rc=0
	as_nobody "$TMP/conctrace" report "$3" -f "$4" >"$out" 2>"$TMP/$1.report.err" || rc=$?
	[ "$rc" -eq 0 ] || fail "report $3 -f $4 exited $rc: $(head -n 3 "$TMP/$1.report.err")"
	if cmp -s "$2" "$out"; then
		note "$1: report of the recording = direct $4 report ($(wc -c <"$out") bytes)"
	else
		soft_fail "$1: report of the recording differs from the direct $4 report:"
		diff "$2" "$out" | head -n 20
	fi
}

FX=("$FIXTURES/fx_mutex" --threads 2 --iters 200 --idle-cond-ms 100)
run_ct mutex trace -f json -o "$TMP/direct.json" --record "$TMP/r.ctrec" -- "${FX[@]}"
[ "$rc" -eq 0 ] || fail "trace --record exited $rc: $(tail -n 3 "$TMP/mutex.err")"
check_report "$TMP/direct.json"
same_report json "$TMP/direct.json" "$TMP/r.ctrec" json

run_ct mutex_text trace -f text -o "$TMP/direct.txt" --record "$TMP/t.ctrec" -- "${FX[@]}"
[ "$rc" -eq 0 ] || fail "trace -f text --record exited $rc: $(tail -n 3 "$TMP/mutex_text.err")"
same_report text "$TMP/direct.txt" "$TMP/t.ctrec" text

# -p: a running process, for a fixed time.
bg_start "$FIXTURES/fx_mutex" --threads 2 --iters 3000 --idle-cond-ms 100 >/dev/null
sleep 0.2
run_ct pid trace -p "$BG_PID" -d 0.5 -f json -o "$TMP/pid.json" --record "$TMP/p.ctrec"
[ "$rc" -eq 0 ] || fail "trace -p --record exited $rc: $(tail -n 3 "$TMP/pid.err")"
kill "$BG_PID" 2>/dev/null
same_report pid "$TMP/pid.json" "$TMP/p.ctrec" json

# --format record: a small recording of /bin/true, what the kernel saw of it.
run_ct true trace -f record -o "$TMP/true.ctrec" -- /bin/true
[ "$rc" -eq 0 ] || fail "trace -f record exited $rc: $(tail -n 3 "$TMP/true.err")"
chmod 644 "$TMP/true.ctrec"
as_nobody "$TMP/conctrace" report "$TMP/true.ctrec" -f json >"$TMP/true.json" ||
	fail "report of the /bin/true recording failed"
jset cmd "$TMP/true.json" '.target.command'
jset st "$TMP/true.json" '.target.exit_status'
assert_eq "$cmd" '["/bin/true"]' "recorded command"
assert_eq "$st" 0 "recorded exit status"
note "/bin/true recording: $(wc -c <"$TMP/true.ctrec") bytes"

# A lab matrix.
run_ct lab run --scale small -w cpu -m serial,threads --record "$TMP/lab.ctrec" -f json \
	-o "$TMP/lab.json"
[ "$rc" -eq 0 ] || fail "run --record exited $rc: $(tail -n 3 "$TMP/lab.err")"
same_report lab "$TMP/lab.json" "$TMP/lab.ctrec" json
as_nobody "$TMP/conctrace" report "$TMP/lab.ctrec" -f html >/dev/null 2>"$TMP/labhtml.err"
rc=$?
assert_eq "$rc" 2 "report of a lab recording in html: usage error"
assert_eq "$(nr_lines "$TMP/labhtml.err")" 1 "lines of that error"

# Hostile recordings, made from the small one.
mkdir "$TMP/bad"
python3 - "$TMP/true.ctrec" "$TMP/bad" <<'EOF'
import os, struct, sys, zlib
src, d = sys.argv[1], sys.argv[2]
rec = open(src, "rb").read()
raw = zlib.decompress(rec[24:])
stored = rec[:14] + b"\0\0" + rec[16:24] + raw
def put(name, data):
    open(os.path.join(d, name), "wb").write(data)
for n in range(len(rec)):
    put("cut-%05d" % n, rec[:n])
for i in range(0, len(rec), 4):
    m = bytearray(rec); m[i] ^= 1 << (i // 4 % 8); put("flip-%05d" % i, bytes(m))
for i in range(0, len(stored), 16):
    m = bytearray(stored); m[i] ^= 1 << (i // 16 % 8); put("sflip-%05d" % i, bytes(m))
put("magic", b"GIF89a" + rec[6:])
put("version", rec[:8] + struct.pack("<I", 3) + rec[12:])
put("empty", b"")
bomb = zlib.compress(b"\0" * (16 << 20), 9)
put("bomb", rec[:16] + struct.pack("<Q", 1024) + bomb)
put("bomb-big", rec[:16] + struct.pack("<Q", 1 << 30) + bomb)
EOF
mkdir "$TMP/bad/dir"
chmod -R a+rX "$TMP/bad"
note "$(find "$TMP/bad" -type f | wc -l) hostile files"

# check_bad BIN: every hostile file is refused or (a flip that decodes to the same payload)
# renders the same report; never a crash or a sanitizer report.
check_bad()
{
	ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=exitcode=86:halt_on_error=1 python3 - "$1" \
		"$TMP/bad" "$TMP/true.json" <<'EOF'
import os, subprocess, sys
binary, d, good = sys.argv[1:]
good = open(good, "rb").read()
expect = {
    "magic": "not a conctrace recording (bad magic)",
    "version": "recording format version 3, this conctrace reads versions 1 to 2",
    "empty": "empty file",
    "dir": "is a directory",
    "missing": "No such file or directory",
    "bomb": "decompresses to more than the 1024 bytes its header declares",
    "bomb-big": "declares 1073741824 bytes uncompressed, over the limit",
}
names = sorted(os.listdir(d)) + ["missing"]
bad = refused = same = 0
for n in names:
    path = os.path.join(d, n)
    p = subprocess.run(["runuser", "-u", "nobody", "--", binary, "report", path, "-f", "json"],
                       capture_output=True)
    err = p.stderr.decode(errors="replace")
    lines = err.splitlines()
    why = None
    if p.returncode == 0 and not n.startswith("cut-") and n not in expect:
        if n.startswith("flip-") and p.stdout != good:
            why = "accepted a flip with a different report"
        same += 1
    elif p.returncode != 1:
        why = "exit status %d" % p.returncode
    elif len(lines) != 1 or not lines[0].startswith("conctrace: %s: " % path):
        why = "not one line naming the file"
    elif n in expect and expect[n] not in lines[0]:
        why = "message lacks '%s'" % expect[n]
    else:
        refused += 1
    if n in expect or n == "cut-00100":
        print("  %s: %s" % (n, lines[0] if lines else "(accepted)"))
    if why:
        bad += 1
        if bad <= 10:
            print("FAIL: %s: %s: %s" % (n, why, err[:400]))
print("  %s: %d refused, %d accepted (flips of counters, or decoding the same), %d wrong"
      % (binary, refused, same, bad))
sys.exit(1 if bad else 0)
EOF
}

check_bad "$TMP/conctrace" || soft_fail "hostile recordings on the normal build"
ASAN=${CONCTRACE_ASAN:-.output/asan/conctrace}
if [ -x "$ASAN" ]; then
	cp "$ASAN" "$TMP/conctrace-asan"
	check_bad "$TMP/conctrace-asan" || soft_fail "hostile recordings on the ASan build"
else
	soft_fail "no ASan build at $ASAN (make asan): hostile recordings not checked under ASan"
fi
