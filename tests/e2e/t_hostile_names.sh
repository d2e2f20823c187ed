#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A traced program names itself: its comm and arguments reach every report. A command whose name
# and argument carry a terminal escape sequence must not put that sequence on the terminal (text
# report, --color=never: no ESC byte at all) nor unescaped into HTML or Markdown.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing

evil=$(printf 'ev\033[31mil')
ln -s /bin/true "$TMP/$evil" || fail "cannot create the hostile name"
for fmt in text md html; do
	run_ct "$fmt" --color=never trace -f "$fmt" -o "$TMP/r.$fmt" -- "$TMP/$evil" "$(printf 'a\033]0;x\007b')"
	[ "$rc" -eq 0 ] || fail "trace -f $fmt exited $rc: $(tail -n 2 "$TMP/$fmt.err")"
	n=$(tr -cd '\033\007' <"$TMP/r.$fmt" | wc -c)
	assert_eq "$n" 0 "ESC/BEL bytes in the $fmt report"
	grep -q "ev" "$TMP/r.$fmt" || soft_fail "$fmt report lacks the command's name"
done
