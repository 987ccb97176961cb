#!/bin/bash
# The entrance flow's screens through the real window: entrance_shots drives the real flow to
# every state and overlay (and the security post's flow to each of its screens) and draws
# screen_entrance_build()'s (screen_security_build()'s) list in zh-CN and en at 800x480
# and 1920x1080 under Xvfb; each screenshot must exist, have the right size and not be blank,
# and no text may overflow its box. Screenshots are kept in $BUILD/test-artifacts/entrance/.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh

out="$BUILD/test-artifacts/entrance"
rm -rf "$out" && mkdir -p "$out"
shots="$BUILD/san/tools/entrance_shots"
check="$BUILD/san/tools/pngcheck"
log="$TMP/shots.log"

ok_if "Xvfb started" xvfb_start 1920x1920x24
# X11 and fontconfig keep caches until exit; LeakSanitizer would report those, not ours.
rc=0
ASAN_OPTIONS=detect_leaks=0 "$shots" --out "$out" --size 800x480 --size 1920x1080 \
	>"$log" 2>"$TMP/shots.err" || rc=$?
grep -E '^(OVERFLOW|overflows)' "$log" | sed 's/^/# /'
grep -vE 'XDG_RUNTIME_DIR' "$TMP/shots.err" | sed 's/^/# stderr: /'
ok_if "entrance_shots reached every stop and every text fits (exit $rc)" [ "$rc" -eq 0 ]

stops="attract attract-queue verifying identity countdown family family3 family-notice
	member-verifying briefing briefing-wait briefing-ready checking-in printing done done-desk
	refused-red refused-amber approval fault reprinting call pin pin-check staff staff-idle
	after-end family6 evidence identity-evidence family-evidence sec-ready-never sec-ready sec-looking sec-green sec-amber sec-amber-band
	sec-red-place sec-red-forged"
nstops=$(echo $stops | wc -w)
shots_ok() {
	local size=$1 w=${1%x*} h=${1#*x} bad=0 pw ph colours
	for s in $stops; do
		for lang in zh en; do
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
	local size=$1 n want=$((nstops * 2))
	n=$(grep -cE "^screen .*-$size\.png overflows 0$" "$log")
	[ "$n" -eq "$want" ] || { echo "# $size: $n of $want screens fit"; grep "^OVERFLOW .*-$size" "$log" | sed 's/^/# /'; return 1; }
}
for size in 800x480 1920x1080; do
	ok_if "screenshots at $size: every stop in zh and en, right size, not blank" shots_ok "$size"
	ok_if "no text overflows at $size ($nstops screens x zh, en)" no_overflow_at "$size"
done
# A verdict fills the screen: the refusal is mostly red, the fault mostly amber.
colour_share() { # FILE R G B -> permille of pixels of that colour
	convert-im6.q16 "$1" -fill black +opaque "rgb($2,$3,$4)" -fill white -opaque "rgb($2,$3,$4)" \
		-colorspace gray -format '%[fx:int(mean*1000)]' info:
}
verdicts_fill() {
	local red amber
	red=$(colour_share "$out/refused-red-en-1920x1080.png" 179 38 30) || return 1
	amber=$(colour_share "$out/fault-zh-800x480.png" 138 83 0) || return 1
	echo "# red $red permille, amber $amber permille"
	[ "$red" -ge 600 ] && [ "$amber" -ge 600 ]
}
ok_if "the refusal and the fault screens are one colour from edge to edge" verdicts_fill
post_verdicts_fill() {
	local green red
	green=$(colour_share "$out/sec-green-zh-1920x1080.png" 27 127 59) || return 1
	red=$(colour_share "$out/sec-red-forged-en-800x480.png" 179 38 30) || return 1
	echo "# post: green $green permille, red $red permille"
	[ "$green" -ge 450 ] && [ "$red" -ge 600 ]
}
ok_if "the security post's verdicts fill the screen with their colour" post_verdicts_fill
finish
