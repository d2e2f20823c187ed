#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Who holds the lock, on a binary built as Debian builds (-O2, PIE, no frame pointers): fx_locks
# contends two named global mutexes from two call sites (update_hot, update_warm) and times its
# own waits. The report must name the hottest lock hot_lock (at the address the fixture printed),
# its waiting call site update_hot, reached by unwinding through libc's lock code with the DWARF
# CFI (libc has no frame pointers), then warm_lock at update_warm; the order must agree with the
# fixture's own timing. The same program stripped (fx_locks_stripped) must give module+offset
# frames and lock names that fall where the unstripped binary's symbol table (nm) puts them.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing fx_locks fx_locks_stripped
require_cmd nm

check_locks()	# NAME BINARY: the python checks over $TMP/NAME.json and the fixture's output
{
	python3 - "$TMP/$1.json" "$TMP/$1.out" "$2" "$FIXTURES/fx_locks" <<'PY'
import json, subprocess, sys

rep = json.load(open(sys.argv[1]))
fx = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
binary, unstripped = sys.argv[3], sys.argv[4]
stripped = binary != unstripped
mod = binary.rsplit("/", 1)[-1]
bad = 0

def check(ok, what):
    global bad
    print("  %s: ok" % what if ok else "FAIL: %s" % what)
    bad += not ok

# The unstripped binary's symbols (name -> (address, size)), the independent truth.
syms = {}
for line in subprocess.run(["nm", "-S", unstripped], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) == 4:
        syms[f[3]] = (int(f[0], 16), int(f[1], 16))

def in_sym(frame, name):
    """frame "func (mod+0xoff)" or "mod+0xoff": is its offset inside symbol name?"""
    off = frame.rsplit("+0x", 1)
    if len(off) != 2:
        return False
    o = int(off[1].rstrip(")"), 16)
    a, n = syms[name]
    return a <= o < a + n

st = rep["stacks"]
print("  stacks: %d wait samples, %d frames, %d unsymbolized, %d truncated, %d not sampled" %
      (st["wait_samples"], st["frames"], st["unsymbolized_frames"], st["truncated_stacks"],
       st["waits_not_sampled"]))
check(st["wait_samples"] > 0, "wait stacks were sampled")
locks = [l for l in rep["locks"]["top"] if l["kind"] == "lock"]
by_addr = {int(l["addr"], 16): l for l in locks}
hot, warm = by_addr.get(int(fx["hot_addr"], 16)), by_addr.get(int(fx["warm_addr"], 16))
check(hot is not None and warm is not None, "both locks in locks.top (hot %s, warm %s)" %
      (fx["hot_addr"], fx["warm_addr"]))
if hot is None or warm is None:
    sys.exit(1)
print("  fixture timed: hot %.3f s, warm %.3f s; report: hot %.3f s, warm %.3f s" %
      (fx["hot_wait_s"], fx["warm_wait_s"], hot["wait_s"], warm["wait_s"]))
check(locks[0] is hot, "the hottest lock is hot_lock (first: %s)" % locks[0]["name"])
check(locks.index(warm) == 1, "the next lock is warm_lock (second: %s)" %
      (locks[1]["name"] if len(locks) > 1 else None))
check((hot["wait_s"] > warm["wait_s"]) == (fx["hot_wait_s"] > fx["warm_wait_s"]),
      "the order agrees with the fixture's own timing")
for l, name, site in ((hot, "hot_lock", "update_hot"), (warm, "warm_lock", "update_warm")):
    check(l["lock_type"] == "mutex", "%s: lock_type %s" % (name, l["lock_type"]))
    if stripped:
        # no symbol: module+offset, at the unstripped binary's address of the variable
        check(l["symbol"] is None and l["name"].startswith(mod + "+0x") and
              in_sym(l["name"], name), "%s named %s (nm: 0x%x)" % (name, l["name"], syms[name][0]))
    else:
        check(l["symbol"] == name, "%s named %s" % (name, l["symbol"]))
    check(len(l["stacks"]) > 0 and l["sampled_waits"] > 0,
          "%s: %d sampled waits with stacks" % (name, l["sampled_waits"]))
    if not l["stacks"]:
        continue
    frames = l["stacks"][0]["frames"]
    print("    " + "\n    ".join(frames[:10]))
    if stripped:
        at = [f for f in frames if f.startswith(mod + "+0x")]
        check(at and in_sym(at[0], site), "%s: first own frame %s inside %s (nm)" %
              (name, at[0] if at else None, site))
    else:
        check(any(f.startswith(site + " (") for f in frames), "%s: call site %s" % (name, site))
    libc = [f for f in frames if "libc.so" in f]
    check(any("mutex_lock" in f or "lll_lock" in f for f in libc),
          "%s: unwound through libc's lock code (%d libc frames)" % (name, len(libc)))
    # above the worker only libc's thread start (start_thread, clone3: not in stripped libc's
    # .dynsym, so shown as libc offsets), and the unwinder reached the outermost frame
    own = [i for i, f in enumerate(frames) if ("(%s+0x" % mod) in f or f.startswith(mod + "+0x")]
    outer = frames[own[-1] + 1:] if own else []
    check(outer and all("libc.so" in f for f in outer) and not l["stacks"][0]["truncated"],
          "%s: unwound to the thread's start in libc (%s), not truncated" % (name, outer))
sys.exit(1 if bad else 0)
PY
}

trace_cmd locks -- "$FIXTURES/fx_locks" --iters 1000
check_locks locks "$FIXTURES/fx_locks" || E2E_FAILS=$((E2E_FAILS + 1))
trace_cmd stripped -- "$FIXTURES/fx_locks_stripped" --iters 1000
check_locks stripped "$FIXTURES/fx_locks_stripped" || E2E_FAILS=$((E2E_FAILS + 1))
