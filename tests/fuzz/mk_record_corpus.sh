#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the seed corpus of fuzz_record (needs root and a build): real recordings of /bin/true,
# of fx_mutex and of a small lab, each also with its payload stored uncompressed (compression 0,
# which the parser accepts), so that the fuzzer's mutations reach the sections instead of zlib's
# checksum; and the unit test's synthetic profile (every table filled) and lab.
set -eu -o pipefail
cd "$(dirname "$0")/../.."
: "${CONCTRACE:=./conctrace}" "${FIXTURES:=.output/tests/fixtures}"
out=tests/fuzz/corpus/record
mkdir -p "$out"
"$CONCTRACE" -q trace -f record -o "$out/true.ctrec" -- /bin/true
"$CONCTRACE" -q trace -f record -o "$out/mutex.ctrec" -- \
	"$FIXTURES/fx_mutex" --threads 2 --iters 20 --idle-cond-ms 10 >/dev/null
"$CONCTRACE" -q run --scale small -w cpu -m serial,threads -f record -o "$out/lab.ctrec"
CT_RECORD_SEEDS=$out .output/tests/unit/run >/dev/null
for f in "$out/true.ctrec" "$out/mutex.ctrec" "$out/lab.ctrec"; do
	python3 - "$f" "${f%.ctrec}.stored.ctrec" <<'PY'
import sys, zlib
d = open(sys.argv[1], "rb").read()
raw = zlib.decompress(d[24:])
open(sys.argv[2], "wb").write(d[:14] + b"\0\0" + d[16:24] + raw)
PY
done
ls -l "$out"
