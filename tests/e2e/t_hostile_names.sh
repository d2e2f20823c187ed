#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A traced program names itself: its comm and arguments reach every report. A command whose name
# and argument carry a terminal escape sequence must not put that sequence on the terminal (text
# report, --color=never: no ESC byte at all) nor unescaped into HTML or Markdown. The name and the
# argument must still be there, each control byte shown as '?' (Markdown also backslashes the
# bracket): strings that no page head, table heading or fixed text of a report can contain.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"
require_tracing

evil=$(printf 'zq\033[31mxq')
ln -s /bin/true "$TMP/$evil" || fail "cannot create the hostile name"
for fmt in text md html; do
	run_ct "$fmt" --color=never trace -f "$fmt" -o "$TMP/r.$fmt" -- "$TMP/$evil" "$(printf 'a\033]0;x\007b')"
	[ "$rc" -eq 0 ] || fail "trace -f $fmt exited $rc: $(tail -n 2 "$TMP/$fmt.err")"
	n=$(tr -cd '\033\007' <"$TMP/r.$fmt" | wc -c)
	assert_eq "$n" 0 "ESC/BEL bytes in the $fmt report"
	name='zq?[31mxq' arg='a?]0;x?b'
	if [ "$fmt" = md ]; then name='zq?\[31mxq' arg='a?\]0;x?b'; fi
	grep -qF -- "$name" "$TMP/r.$fmt" || soft_fail "$fmt report lacks the command's name as $name"
	grep -qF -- "$arg" "$TMP/r.$fmt" || soft_fail "$fmt report lacks the argument as $arg"
done
