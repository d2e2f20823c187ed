#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# pprof and folded stacks of a synthetic profile with known stacks and weights
# (tests/unit/synth_profile.c), read back by the real `go tool pprof -raw` (Debian's golang-go,
# installed when missing): the four sample types, each sample's values and its stack (leaf
# first: kernel frames, user frames, the "[cause wait: lock]" or "[on-cpu]" root), the mappings,
# the comments carrying the dropped and unsymbolized counts. Then the folded output of the same
# profile must hold the same stacks (outermost first) with the waits in microseconds.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/lib_render.sh
. "$(dirname "$0")/lib_render.sh"
require_render_test
require_go

"$RENDER_TEST" synth pprof >"$TMP/synth.pb.gz" || fail "render-test synth pprof failed"
"$RENDER_TEST" synth folded >"$TMP/synth.folded" || fail "render-test synth folded failed"
[ "$(head -c 2 "$TMP/synth.pb.gz" | od -An -tx1 | tr -d ' ')" = 1f8b ] ||
	fail "pprof output is not gzip"
timeout 120 go tool pprof -raw "$TMP/synth.pb.gz" >"$TMP/raw.txt" 2>"$TMP/raw.err" ||
	fail "go tool pprof -raw rejected the profile: $(tail -n 3 "$TMP/raw.err")"
note "go tool pprof -raw: $(grep -c . "$TMP/raw.txt") lines"

# Parse the -raw listing: samples (values, location ids, labels), locations -> function.
python3 - "$TMP/raw.txt" "$TMP/synth.folded" >"$TMP/check.txt" <<'PY'
import re, sys

raw = open(sys.argv[1]).read().splitlines()
sec, samples, locs, maps, comments, types = None, [], {}, [], [], None
for line in raw:
    if line.startswith("Comment: "):
        comments.append(line[9:])
    elif line in ("Samples:", "Locations", "Mappings"):
        sec = line
    elif sec == "Samples:" and types is None:
        types = line.split()
    elif sec == "Samples:" and ":" in line and re.match(r"\s+\d", line):
        vals, ids = line.split(":", 1)
        samples.append({"v": [int(x) for x in vals.split()], "ids": ids.split(), "labels": ""})
    elif sec == "Samples:" and samples:
        samples[-1]["labels"] += line.strip() + " "
    elif sec == "Locations":
        m = re.match(r"\s*(\d+): 0x[0-9a-f]+ (?:M=\d+ )?(.*) :\d+ s=\d+$", line)
        if m:
            locs[m.group(1)] = m.group(2)
    elif sec == "Mappings" and line.strip():
        maps.append(line.split()[2])
print("types", " ".join(types))
for c in comments:
    print("comment", c)
print("mappings", " ".join(sorted(maps)))
for s in samples:
    print("sample", " ".join(map(str, s["v"])), "|", ";".join(locs[i] for i in s["ids"]),
          "|", s["labels"].strip())

# Folded: each line's frames, reversed, are the sample's stack (pprof keeps the function part
# of "function (module+0xoff)" and drops the kernel " [k]"); waits weigh round(ns / 1000).
def fn(frame):
    frame = re.sub(r" \[k\]$", "", frame)
    m = re.match(r"(.*) \(([^()]*)\)$", frame)
    return m.group(1) if m else frame
for line in open(sys.argv[2]).read().splitlines():
    stack, w = line.rsplit(" ", 1)
    frames = stack.split(";")
    if frames[0] == "[conctrace]":
        print("folded-quality", frames[1], w)
        continue
    leaf_first = ";".join(fn(f) for f in reversed(frames[1:]))
    hits = [s for s in samples if ";".join(locs[i] for i in s["ids"]) == leaf_first]
    if len(hits) != 1:
        print("folded-unmatched", line)
        continue
    s = hits[0]
    want = (s["v"][1] + 500) // 1000 if s["v"][1] else s["v"][2]
    print("folded-match", "ok" if int(w) == want else "weight %s want %d" % (w, want), frames[0])
PY
cat "$TMP/check.txt" | sed 's/^/  /'
has() { grep -qxF -- "$1" "$TMP/check.txt" || soft_fail "pprof -raw: missing '$1'"; }
has "types waits/count wait_time/nanoseconds[dflt] samples/count cpu/nanoseconds"
has "mappings [kernel.kallsyms] libc.so.6 synth"
# The synthetic sites: 3 waits for 1.5 ms on big_lock, 1 wait of 2000499 ns on a heap
# condition (unsymbolized frames), 7 and 2 on-CPU samples at 100 Hz (10 ms each).
has "sample 3 1500000 0 0 | futex_wait;do_futex;__lll_lock_wait;worker;start_thread;[lock wait: big_lock] | thread:[work;er<&>] pid:[100] tid:[101]"
has "sample 1 2000499 0 0 | synth+0x3000;[unknown] 0x7f0000001000;[cond wait: heap condition at 0x5000] | thread:[synth] pid:[100] tid:[100]"
has "sample 0 0 7 70000000 | compute;main;[on-cpu] | thread:[synth] pid:[100] tid:[100]"
has "sample 0 0 2 20000000 | [on-cpu] | thread:[work;er<&>] pid:[100] tid:[101]"
assert_eq "$(grep -c '^sample ' "$TMP/check.txt")" 4 "pprof samples"
has "comment dropped samples: 4"
has "comment dropped events: 1"
has "comment unsymbolized frames: 2"
has "comment truncated stacks: 1"
has "comment waits not sampled: 5"
assert_eq "$(grep -c '^folded-match ok' "$TMP/check.txt")" 4 \
	"folded lines matching a pprof sample with the same weight"
assert_eq "$(grep -c '^folded-unmatched\|^folded-match [^o]' "$TMP/check.txt")" 0 \
	"folded lines without a matching pprof sample"
has "folded-quality [dropped samples] 4"
has "folded-quality [unsymbolized frames] 2"

# -top over wait time: __lll_lock_wait's cumulative is the 1.5 ms of its one site.
timeout 120 go tool pprof -top -cum -sample_index=wait_time "$TMP/synth.pb.gz" \
	>"$TMP/top.txt" 2>&1 || fail "go tool pprof -top failed: $(tail -n 3 "$TMP/top.txt")"
grep -E '__lll_lock_wait$' "$TMP/top.txt" | grep -q '1\.50ms' ||
	soft_fail "pprof -top: __lll_lock_wait is not 1.50ms cum: $(grep __lll "$TMP/top.txt")"
grep -q 'Total samples = 3.50ms' "$TMP/top.txt" ||
	soft_fail "pprof -top: total wait is not 3.50ms: $(grep Total "$TMP/top.txt")"
