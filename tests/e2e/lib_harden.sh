# SPDX-License-Identifier: GPL-2.0
# Helpers of the safety tests (issue 6), sourced after lib.sh: stopping conctrace at a phase
# (CONCTRACE_TEST_PAUSE), and BPF objects before/after, robust to other tracers on the machine.
# shellcheck shell=bash disable=SC2154,SC2034

# wait_stopped PID: wait (up to 10 s) until PID is stopped (state T), i.e. at its test pause.
wait_stopped()
{
	local st _

	for _ in $(seq 200); do
		st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) ||
			fail "process $1 exited before its pause"
		[ "$st" = T ] && return 0
		sleep 0.05
	done
	fail "process $1 did not stop at its test pause within 10 s"
}

# held_ids PID: "prog ID", "map ID", "link ID" lines for every BPF object PID holds an fd to.
held_ids()
{
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '$1 ~ /^(prog|map|link)_id:$/ { sub(/_id:$/, "", $1); print $1, $2 }' | sort -u
}

# ids_gone WHEN: none of the objects in $held (held_ids lines) is still known to bpftool,
# allowing 10 s for the kernel to free them after an RCU grace period (lib.sh's bpf_gone).
ids_gone()
{
	local ids=$held

	note "checking the $(grep -c . <<<"$held") BPF objects held by conctrace"
	bpf_gone "$1"
}

# bpf_ct_objects: conctrace's BPF objects by name, as "kind id" lines: programs named handle_*,
# their links, maps they use or named like ours (ct_bpf.*, the skeleton's map names), and for
# each whether any process still holds it (directly by fd, or through a held link or program).
# Other engineers' conctrace runs show up too; they are held by their processes.
bpf_ct_objects()
{
	python3 - <<'EOF'
import glob, json, re, subprocess

def show(kind):
    out = subprocess.run(["bpftool", "-j", kind, "show"], capture_output=True, text=True).stdout
    return json.loads(out or "[]")

held = set()
for path in glob.glob("/proc/[0-9]*/fdinfo/*"):
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"(prog|map|link)_id:\s+(\d+)", line)
                if m:
                    held.add((m.group(1), int(m.group(2))))
    except OSError:
        pass
names = {"targets", "threads", "futexes", "wakes", "syscalls", "hists", "events", "stacks"}
progs = {p["id"]: p for p in show("prog") if p.get("name", "").startswith("handle_")}
links = [l for l in show("link") if l.get("prog_id") in progs]
for l in links:
    if ("link", l["id"]) in held:
        held.add(("prog", l["prog_id"]))
maps = {}
for p in progs.values():
    for m in p.get("map_ids", []):
        maps[m] = ("prog", p["id"])
for m in show("map"):
    if m.get("name", "").startswith("ct_bpf.") or m.get("name") in names:
        maps.setdefault(m["id"], None)
for l in links:
    print("link", l["id"], "held" if ("link", l["id"]) in held else "free")
for i in progs:
    print("prog", i, "held" if ("prog", i) in held else "free")
for i, via in maps.items():
    print("map", i, "held" if ("map", i) in held or (via and via in held) else "free")
EOF
}

# bpf_no_ct_leak BEFORE WHEN: no conctrace-named BPF object that was not listed in the file
# BEFORE (bpf_ct_objects output) is left with nobody holding it (10 s allowed for RCU).
bpf_no_ct_leak()
{
	local leaks _

	for _ in $(seq 50); do
		# (FILENAME, not NR == FNR: BEFORE may well be empty)
		leaks=$(bpf_ct_objects | awk 'FILENAME == ARGV[1] { old[$1 " " $2] = 1; next }
			$3 == "free" && !old[$1 " " $2] { printf " %s %s", $1, $2 }' "$1" -)
		[ -z "$leaks" ] && break
		sleep 0.2
	done
	[ -z "$leaks" ] || fail "BPF objects left behind $2, held by no process (leaked or pinned):$leaks"
	note "no new conctrace BPF program, map or link left unheld $2" \
		"($(bpf_ct_objects | grep -c held) held by running tracers)"
}

# no_temp_files DIR WHEN: conctrace left no temp report file (.NAME.ct-*) in DIR.
no_temp_files()
{
	local left

	left=$(find "$1" -maxdepth 1 -name '.*.ct-*' -printf '%f ')
	[ -z "$left" ] || fail "temp report files left $2: $left"
}
