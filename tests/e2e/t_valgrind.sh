#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# conctrace (the normal build, not the sanitizer one) is valgrind-clean on a short trace: no
# invalid access, no use of uninitialised memory, no definite or possible leak
# (--error-exitcode=1 --leak-check=full). tests/valgrind.supp suppresses only valgrind's
# imprecise bpf(2) checks inside libbpf (see its comment). The report must still be right.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2119 # needs no fixture
require_tracing
require_cmd valgrind
if nm -D "$CONCTRACE" 2>/dev/null | grep -q __asan_init; then
	skip "$CONCTRACE is built with AddressSanitizer, which valgrind cannot run"
fi

rc=0
valgrind --error-exitcode=99 --leak-check=full --suppressions=tests/valgrind.supp -q \
	"$CONCTRACE" trace -f json -o "$TMP/vg.json" -- sh -c 'exit 5' \
	>"$TMP/vg.out" 2>"$TMP/vg.err" || rc=$?
grep -v 'WARNING: unhandled eBPF command' "$TMP/vg.err" | head -n 40 | sed 's/^/  | /'
[ "$rc" -ne 99 ] || fail "valgrind found errors (above)"
assert_eq "$rc" 5 "exit status under valgrind (the command's)"
check_report "$TMP/vg.json"
jset st "$TMP/vg.json" .target.exit_status
assert_eq "$st" 5 "target.exit_status under valgrind"
