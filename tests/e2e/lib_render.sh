# SPDX-License-Identifier: GPL-2.0
# Helpers of the report-format tests (sourced after lib.sh): the external tools that read our
# formats (Debian's chromium and golang-go, installed when missing) and a headless page load.

RENDER_TEST=${RENDER_TEST:-.output/tests/tools/render-test}

require_render_test()
{
	[ -x "$RENDER_TEST" ] || fail "$RENDER_TEST not built (make)"
}

# apt_install PKG CMD: make CMD available from Debian package PKG, or skip saying why.
apt_install()
{
	command -v "$2" >/dev/null 2>&1 && return 0
	[ "$(id -u)" -eq 0 ] || skip "$2 missing and not root to install $1"
	note "installing $1 (apt-get)"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y "$1" \
		>"$TMP/apt-$1.log" 2>&1 ||
		skip "$1 could not be installed: $(tail -n 1 "$TMP/apt-$1.log")"
	command -v "$2" >/dev/null 2>&1 || skip "$1 installed but no $2"
}

require_go() { apt_install golang-go go; export GOCACHE="$TMP/gocache" HOME="${HOME:-/root}"; }
require_chromium() { apt_install chromium chromium; }

# Headless Chromium without the browser's own background traffic, so that the net log holds
# only what the page asked for.
CHROMIUM_FLAGS=(--headless --disable-gpu --no-sandbox --disable-background-networking
	--disable-component-update --disable-sync --no-first-run --disable-default-apps
	--disable-extensions --hide-scrollbars)

# chromium_load FILE NAME: load FILE; the DOM after load in $TMP/NAME.dom, console messages
# (Chromium's CONSOLE log lines: script errors, CSP violations, console.*) in $TMP/NAME.console,
# URLs the page itself requested (not file: or data:) in $TMP/NAME.requests.
chromium_load()
{
	local file=$1 name=$2

	timeout 90 chromium "${CHROMIUM_FLAGS[@]}" --user-data-dir="$TMP/chromium-$name" \
		--enable-logging=stderr --v=0 --log-net-log="$TMP/$name.netlog" \
		--dump-dom "file://$(realpath "$file")" >"$TMP/$name.dom" 2>"$TMP/$name.chromium" ||
		fail "chromium could not load $file: $(tail -n 2 "$TMP/$name.chromium")"
	grep 'CONSOLE' "$TMP/$name.chromium" >"$TMP/$name.console"
	python3 - "$TMP/$name.netlog" >"$TMP/$name.requests" <<'PY' ||
import json, sys

# A request the page made carries the file:// page in its network isolation key; the
# browser's own (update checks, accounts) carry none.
try:
    log = json.load(open(sys.argv[1]))
except ValueError:
    # the log of a killed browser lacks its closing brackets
    text = open(sys.argv[1]).read().rstrip().rstrip(",")
    log = json.loads(text + "]}")
seen = set()
for e in log["events"]:
    p = e.get("params") or {}
    url, nik = p.get("url", ""), p.get("network_isolation_key", "")
    if "file://" in nik and not url.startswith(("file:", "data:")) and url not in seen:
        seen.add(url)
        print(url)
PY
		fail "cannot read chromium's net log $TMP/$name.netlog"
}

# chromium_screenshot FILE PNG WIDTH HEIGHT
chromium_screenshot()
{
	timeout 90 chromium "${CHROMIUM_FLAGS[@]}" --user-data-dir="$TMP/chromium-shot" \
		--window-size="$3,$4" --screenshot="$(realpath -m "$2")" \
		"file://$(realpath "$1")" >/dev/null 2>&1 || fail "chromium could not screenshot $1"
	[ -s "$2" ] || fail "no screenshot written to $2"
}

# check_html_page FILE NAME IDS...: the page loads with no console message and no request of
# its own, and its DOM holds an <svg> with each of the ids.
check_html_page()
{
	local file=$1 name=$2 id

	shift 2
	chromium_load "$file" "$name"
	assert_eq "$(nr_lines "$TMP/$name.console")" 0 \
		"$name: console messages ($(head -c 300 "$TMP/$name.console"))"
	assert_eq "$(nr_lines "$TMP/$name.requests")" 0 \
		"$name: requests by the page ($(head -c 300 "$TMP/$name.requests"))"
	for id in "$@"; do
		grep -q "<svg[^>]* id=\"$id\"" "$TMP/$name.dom" ||
			soft_fail "$name: no <svg id=\"$id\"> in the loaded page"
	done
	! grep -q $'\033' "$file" || soft_fail "$name: ANSI escape in the HTML"
}
