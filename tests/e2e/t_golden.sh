#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Golden reports: recordings made by an earlier conctrace (tests/golden/v1/*.ctrec, recording
# format 1: real traces of fx_mutex, fx_locks, fx_fork with --timeline, /bin/true, two GIL-bound
# CPython threads, a small lab, and the unit tests' synthetic profile and lab) rendered by this
# conctrace in every format must be byte for byte what that conctrace rendered
# (tests/golden/v1/expected/NAME.FORMAT, made with `conctrace report NAME.ctrec -f FORMAT` at
# commit 68b665d, before user/ was regrouped by stage), except the version of the conctrace that
# renders. So a restructure that changes what any format says, or stops reading format-1 files,
# fails here. pprof files are compared after gunzip (the gzip header carries no time here, but the
# payload is what matters). Needs no root.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
require_conctrace
G=tests/golden/v1

# The version of the conctrace that renders, as each format writes it, made neutral.
norm()
{
	sed -E -e 's/"version": ?"[^"]*"/"version": "V"/g' \
		-e 's/^conctrace [0-9][^ :]*:/conctrace V:/' \
		-e 's/conctrace [0-9]+\.[0-9]+\.[0-9]+/conctrace V/g'
}

n=0
for exp in "$G"/expected/*; do
	base=${exp##*/}
	name=${base%.*}
	fmt=${base##*.}
	rec=$G/$name.ctrec
	[ -f "$rec" ] || fail "$exp has no recording $rec"
	out=$TMP/$base
	if ! "$CONCTRACE" report "$rec" -f "$fmt" -o "$out" 2>"$TMP/err"; then
		soft_fail "report $rec -f $fmt failed: $(head -c 300 "$TMP/err")"
		continue
	fi
	if [ "$fmt" = pprof ]; then
		gunzip -c "$exp" | norm >"$TMP/a" && gunzip -c "$out" | norm >"$TMP/b" ||
			{ soft_fail "$base: not gzip"; continue; }
	else
		norm <"$exp" >"$TMP/a"
		norm <"$out" >"$TMP/b"
	fi
	if ! cmp -s "$TMP/a" "$TMP/b"; then
		soft_fail "$name -f $fmt differs from $exp:"
		diff "$TMP/a" "$TMP/b" | head -20 | sed 's/^/    /'
		continue
	fi
	n=$((n + 1))
done
note "$n golden reports identical"
[ "$n" -ge 40 ] || soft_fail "only $n golden reports compared (expected every file of $G/expected)"
