#!/bin/bash
# The screens through the real window: uidemo draws every sample entrance screen in Chinese
# and English at 800x480, 1920x1080 and 1080x1920 under Xvfb; each screenshot must exist, have
# the right size and not be blank, and no text may overflow its box. Screenshots are kept in
# $BUILD/test-artifacts/screens/ to be looked at.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh

out="$BUILD/test-artifacts/screens"
rm -rf "$out" && mkdir -p "$out"
demo="$BUILD/san/tools/uidemo"
check="$BUILD/san/tools/pngcheck"
log="$TMP/uidemo.log"

ok_if "Xvfb started" xvfb_start 1920x1920x24
# X11 and fontconfig keep caches until exit; LeakSanitizer would report those, not ours
# (test_ui, the unit test on SDL's dummy driver, runs with leak checks on).
rc=0
ASAN_OPTIONS=detect_leaks=0 "$demo" --out "$out" --size 800x480 --size 1920x1080 \
	--size 1080x1920 >"$log" 2>"$TMP/uidemo.err" || rc=$?
grep -E '^(OVERFLOW|size|briefing|overflows)' "$log" | sed 's/^/# /'
grep -vE 'XDG_RUNTIME_DIR' "$TMP/uidemo.err" | sed 's/^/# stderr: /'
ok_if "uidemo ran, every text fits and unchanged frames render nothing (exit $rc)" [ "$rc" -eq 0 ]

screens="attract attract-camera verdict-valid verdict-attention identity family briefing
	briefing-end room-printing room-done room-desk refusal call-staff staff-pin countdown"
shots_ok() {
	local size=$1 w=${1%x*} h=${1#*x} bad=0 pw ph colours
	for s in $screens; do
		for lang in zh-CN en; do
			local f="$out/$s-$lang-$size.png" info
			info=$("$check" "$f" 2>/dev/null) || { echo "# missing or unreadable: $f"; bad=1; continue; }
			read -r pw ph colours <<<"$info"
			if [ "$pw" != "$w" ] || [ "$ph" != "$h" ]; then
				echo "# $f is ${pw}x$ph"; bad=1
			fi
			if [ "$colours" -lt 8 ]; then
				echo "# $f looks blank ($colours colours)"; bad=1
			fi
		done
	done
	return $bad
}
no_overflow_at() {
	local size=$1 n
	n=$(grep -cE "^screen .*-$size\.png overflows 0$" "$log")
	[ "$n" -eq 30 ] || { echo "# $size: $n of 30 screens fit"; grep "^OVERFLOW .*-$size" "$log" | sed 's/^/# /'; return 1; }
}
for size in 800x480 1920x1080 1080x1920; do
	ok_if "screenshots at $size: all 30, right size, not blank" shots_ok "$size"
	ok_if "no text overflows at $size (15 screens x zh-CN, en)" no_overflow_at "$size"
done
# The checker itself can tell a blank picture.
blank_is_caught() {
	local info pw ph colours
	info=$("$check" "$out/attract-zh-CN-800x480.png") || return 1
	read -r pw ph colours <<<"$info"
	[ "$pw" -eq 800 ] && [ "$ph" -eq 480 ] && [ "$colours" -ge 8 ] || return 1
	! "$check" /dev/null >/dev/null 2>&1
}
ok_if "pngcheck counts colours and rejects a non-PNG" blank_is_caught
finish
