#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make lint`: static checks of the user-space C (user/, tests/unit, tests/fuzz, workloads/), and
# of its layout (tools/check-layout.py: includes follow user/'s stages, no include circles).
# Prints one line "ok lint" or "FAIL lint: ..." with the findings, then "N passed, N failed,
# N skipped"; exits 1 on any finding.
#
# The level (see README, Safety), over user/, tests/unit and tests/fuzz (workloads/ is the
# lab's load generator, not part of the tracer):
#  - cppcheck --enable=warning,portability,performance (not style): every finding fails, except
#    internalAstError (cppcheck's own parser giving up on a GNU extension; not a finding about
#    the code) and the false positives listed in tools/cppcheck.supp with their reasons.
#  - clang-tidy: all clang-analyzer-* (the path-sensitive analyzer: leaks, NULL dereference,
#    use after free, uninitialised reads) and all bugprone-*, minus checks that only restate
#    this project's style or are known false positives here:
#      bugprone-easily-swappable-parameters, bugprone-reserved-identifier (kernel-style names),
#      bugprone-narrowing-conversions, bugprone-branch-clone, bugprone-suspicious-string-compare
#      (`!strcmp()` is the house style), bugprone-implicit-widening-of-multiplication-result,
#      clang-analyzer-security.insecureAPI.{strcpy,DeprecatedOrUnsafeBufferHandling} (Annex K
#      advice), clang-analyzer-valist.Uninitialized (clang 14 loses a va_list passed on to a
#      helper: a false positive in log.c and diagnose.c).
#    Headers are checked under user/ only: the bpftool-generated skeleton is not ours (the
#    analyzer reports a leak on an error path of its generated ct_bpf__create_skeleton(), where
#    bpf_object__destroy_skeleton() frees it), so reports located in $OUTPUT are dropped.
# Environment: OUTPUT (build dir holding the skeleton, default .output), LINT_JOBS (default 2).
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 1
: "${OUTPUT:=.output}" "${LINT_JOBS:=2}"

TIDY_CHECKS='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,'\
'-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-branch-clone,'\
'-bugprone-suspicious-string-compare,-bugprone-implicit-widening-of-multiplication-result,'\
'-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,'\
'-clang-analyzer-security.insecureAPI.strcpy,-clang-analyzer-valist.Uninitialized'
CFLAGS=(-std=gnu11 -D_GNU_SOURCE "-I$OUTPUT" -Ibpf -Iuser -Iworkloads '-DCT_VERSION="lint"')
files=(user/*/*.c tests/unit/*.c tests/fuzz/*.c)

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The layout first (no tools needed): includes follow user/'s stages, no include circles.
python3 tools/check-layout.py workloads bpf >"$out.layout" || grep -v '^ok' "$out.layout" >>"$out"
rm -f "$out.layout"
missing=()
command -v cppcheck >/dev/null || missing+=(cppcheck)
command -v clang-tidy >/dev/null || missing+=(clang-tidy)
report() {
	echo "FAIL lint: $(wc -l <"$out") findings"
	sort -u "$out" | sed 's/^/    | /'
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}
[ ${#missing[@]} -gt 0 ] && [ -s "$out" ] && report
if [ ${#missing[@]} -gt 0 ]; then
	echo "skip lint: ${missing[*]} not installed (tools/install-deps.sh)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

# LIBBPF_OPTS is a macro from <bpf/libbpf.h>, which cppcheck is not shown (system headers).
cppcheck --quiet --std=c11 -D_GNU_SOURCE -D__x86_64__ "-I$OUTPUT" -Ibpf -Iuser -Iworkloads \
	'-DLIBBPF_OPTS(TYPE,NAME,...)=struct TYPE NAME = { __VA_ARGS__ }' \
	--enable=warning,portability,performance --inline-suppr \
	--suppress=missingIncludeSystem --suppress=internalAstError \
	--suppressions-list=tools/cppcheck.supp --template='{file}:{line}: {severity}: {message} [{id}]' \
	"${files[@]}" 2>>"$out"

printf '%s\n' "${files[@]}" | xargs -P "$LINT_JOBS" -I{} \
	clang-tidy --quiet -header-filter='^user/' -checks="$TIDY_CHECKS" {} -- "${CFLAGS[@]}" \
	2>/dev/null | grep -E '(warning|error):' | grep -v "^$OUTPUT/" >>"$out"

[ -s "$out" ] && report
echo "ok   lint (layout; cppcheck, clang-tidy over ${#files[@]} files)"
echo "1 passed, 0 failed, 0 skipped"
