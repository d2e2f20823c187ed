#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make lint`, layout part: user/ is grouped by stage (user/README.md) and data flows one way.

Checks, over every #include "..." of user/*/*.[ch] (and of the folders named on the command line,
for the circle check alone):
  - an include names a header that exists: "stage/name.h" for another stage, a plain "name.h"
    for the same folder; the shared headers outside user/ are the ABI (bpf/ct_abi.h), the
    generated skeleton (collect/ only) and the generated syscall names (model/ only);
  - an include never runs up a stage: each stage may include only the stages listed in STAGES;
  - no circles between modules (a module is a .c and its .h): A -> B when A.c or A.h includes
    B.h; any cycle is printed with its members.
Usage: check-layout.py [--root DIR] [FOLDER...] (DIR: the checkout, default this script's ../).
Prints "ok   layout" or one line per finding; exits 1 on any finding.
"""
import os
import re
import sys

# stage -> the stages it may include besides itself (lower stages only)
STAGES = {
    "common": [],
    "model": ["common"],
    "sym": ["common"],
    "collect": ["common", "model", "sym"],
    "analysis": ["common", "model"],
    "render": ["common", "model", "analysis"],
    "lab": ["common", "model", "sym", "collect", "analysis", "render"],
    "cli": ["common", "model", "sym", "collect", "analysis", "render", "lab"],
}
# headers outside user/, and which stages may include them (None: every stage)
EXTERNAL = {
    "ct_abi.h": None,
    "conctrace.skel.h": ["collect"],
    "syscall_names.h": ["model"],
    "wl_names.h": ["model"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return INCLUDE.findall(f.read())


def module(path):
    return os.path.splitext(path)[0]


def check_user(root, findings, edges):
    user = os.path.join(root, "user")
    for stage in sorted(os.listdir(user)):
        d = os.path.join(user, stage)
        if not os.path.isdir(d):
            continue
        if stage not in STAGES:
            findings.append(f"user/{stage}/: not a stage of user/README.md ({', '.join(STAGES)})")
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"user/{stage}/{name}"
            for inc in includes(os.path.join(d, name)):
                if "/" not in inc:
                    if inc in EXTERNAL:
                        allowed = EXTERNAL[inc]
                        if allowed is not None and stage not in allowed:
                            findings.append(f"{rel}: includes {inc}, which only "
                                            f"{' and '.join(allowed)}/ may include")
                        continue
                    target = f"user/{stage}/{inc}"
                    if not os.path.exists(os.path.join(root, target)):
                        findings.append(f"{rel}: includes \"{inc}\", not in user/{stage}/ (another "
                                        f"stage's header is included as \"stage/{inc}\")")
                        continue
                else:
                    tstage = inc.split("/", 1)[0]
                    target = f"user/{inc}"
                    if tstage not in STAGES or not os.path.exists(os.path.join(root, target)):
                        findings.append(f"{rel}: includes \"{inc}\", which does not exist")
                        continue
                    if tstage == stage:
                        findings.append(f"{rel}: includes \"{inc}\" of its own folder by a "
                                        f"stage path; write \"{inc.split('/', 1)[1]}\"")
                    elif tstage not in STAGES[stage]:
                        findings.append(f"{rel}: includes \"{inc}\": {stage}/ may not include "
                                        f"{tstage}/ (a lower stage never includes a higher "
                                        f"one; see user/README.md)")
                if module(target) != module(rel):
                    edges.setdefault(module(rel), set()).add(module(target))


def check_folder(root, folder, edges):
    d = os.path.join(root, folder)
    for name in sorted(os.listdir(d)):
        if not name.endswith((".c", ".h")):
            continue
        rel = f"{folder}/{name}"
        for inc in includes(os.path.join(d, name)):
            target = os.path.normpath(f"{folder}/{inc}")
            if os.path.exists(os.path.join(root, target)) and module(target) != module(rel):
                edges.setdefault(module(rel), set()).add(module(target))


def circles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    args = sys.argv[1:]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    if args[:1] == ["--root"] and len(args) >= 2:
        root, args = args[1], args[2:]
    findings, edges = [], {}
    check_user(root, findings, edges)
    for folder in args:
        check_folder(root, folder.rstrip("/"), edges)
    for comp in circles(edges):
        findings.append("include circle: " + " -> ".join(comp) + " -> " + comp[0] +
                        " (each includes a header of the next, or of one further on)")
    if findings:
        for f in findings:
            print("FAIL layout: " + f)
        return 1
    print("ok   layout (" + ", ".join(STAGES) + "; no circles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
