#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make lint's layout check (tools/check-layout.py) on copies of user/: the tree as it is passes;
# an include that runs up a stage (model/ including render/), a circle between two modules of one
# stage, and an include of another stage's header by a bare name each fail, naming the file.
# Needs no root.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

copy() { rm -rf "$TMP/$1" && mkdir -p "$TMP/$1" && cp -r user "$TMP/$1/"; }
check() { python3 tools/check-layout.py --root "$TMP/$1" >"$TMP/$1.out" 2>&1; }

copy clean
check clean || fail "the tree as it is fails: $(cat "$TMP/clean.out")"
note "$(cat "$TMP/clean.out")"

copy up
sed -i '0,/#include "profile.h"/s//#include "profile.h"\n#include "render\/render.h"/' "$TMP/up/user/model/profile.c"
if check up; then soft_fail "model/ including render/ passed"; fi
grep -q 'user/model/profile.c: includes "render/render.h": model/ may not include render/' \
	"$TMP/up.out" || soft_fail "no finding naming the upward include: $(cat "$TMP/up.out")"

copy circle
sed -i '0,/#include <stdio.h>/s//#include <stdio.h>\n#include "locks.h"/' "$TMP/circle/user/model/hist.h"
echo '#include "hist.h"' >>"$TMP/circle/user/model/locks.c"
if check circle; then soft_fail "a circle hist -> locks -> hist passed"; fi
grep -q 'include circle: user/model/hist -> user/model/locks' "$TMP/circle.out" ||
	soft_fail "no finding naming the circle: $(cat "$TMP/circle.out")"

copy bare
echo '#include "profile.h"' >>"$TMP/bare/user/render/svg.c"
if check bare; then soft_fail "a bare include of model/'s profile.h from render/ passed"; fi
grep -q 'user/render/svg.c: includes "profile.h", not in user/render/' "$TMP/bare.out" ||
	soft_fail "no finding naming the bare include: $(cat "$TMP/bare.out")"
