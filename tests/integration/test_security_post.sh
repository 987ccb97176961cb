#!/bin/bash
# The security post as staff meet it: tests/demo/run.sh's headless batch checks people in
# and prints their wristbands through the real printer path (PNG files); the real
# (sanitized) kiosk in --mode security, in a window under Xvfb, is shown those printed bands
# through its files: camera: the floor-12 resident passes green with the right room, the
# red-code resident of floor 13 is stopped (wrong place), the old band of a reprint is
# stopped (replaced), a band signed with another key is stopped (forged) and a plain QR is
# not a wristband. Every verdict is a scan row in the store (no personal data) and a
# screenshot, kept in $BUILD/test-artifacts/security/.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
D="$TMP/demo"
db="$D/station.db"
q() { sqlite3 "$db" "$1"; }

# The batch's last visits may time out under load; the bands this test needs are checked.
HK_HEADLESS=1 HK_DEMO_DIR="$D" HK_BIN="$SAN_BIN" BUILD="$BUILD" timeout 300 \
	bash tests/demo/run.sh >"$TMP/demo.out" 2>&1

# The printed wristband PNG of an arrival, found by decoding every print (zbarimg).
band_png() {
	local f tok
	for f in "$D"/prints/*.png; do
		tok=$(zbarimg --raw -q -Sdisable -Sqrcode.enable "$f" 2>/dev/null | head -n 1)
		[ -n "$tok" ] || continue
		if [ "$(q "SELECT arrival_id FROM wristbands WHERE token = '$tok'")" = "$1" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}
green_png=$(band_png 1)
red_png=$(band_png 6)
ok_if "the batch printed the wristbands of arrival 1 (floor 12) and 6 (red code, floor 13)" \
	test -n "$green_png" -a -n "$red_png"
[ -n "$green_png" ] && [ -n "$red_png" ] || {
	sed 's/^/# /' "$TMP/demo.out" | tail -20
	finish
	exit 1
}

art="$BUILD/test-artifacts/security"
rm -rf "$art" && mkdir -p "$art"
mkdir -p "$TMP/camera"
sed -e 's/^role = entrance/role = security/' -e "s|^spec = files:.*|spec = files:$TMP/camera|" \
	"$D/kiosk.conf" >"$TMP/security.conf"
cat >>"$TMP/security.conf" <<CONF
[checkpoint]
name = F12-corridor
exit = no
floors = 12
band_public_key = $D/band.key.pub
CONF

xvfb_start 1024x768x24 || echo "# Xvfb did not start"
STATE="$TMP/state.json"
"$SAN_BIN/kiosk" --config "$TMP/security.conf" --windowed --size 800x480 \
	--screenshots "$art" --state-file "$STATE" 2>"$TMP/security.log" &
kiosk=$!
field() { "$BUILD/tools/kstate" "$STATE" field "$1" 2>/dev/null; }
wait_ready() {
	local i
	for ((i = 0; i < 400; i++)); do
		[ "$(field state)" = READY ] && return 0
		sleep 0.05
	done
	return 1
}
ok_if "the security post starts and asks for a wristband" wait_ready
ok_if "it names its checkpoint" test "$(field checkpoint)" = F12-corridor

# Show PNG to the camera (hidden name, then renamed); wait for a new verdict screen.
cam_n=0
show() {
	local before i name
	before=$(field screens)
	cam_n=$((cam_n + 1))
	name=$(printf '%03d-%s' "$cam_n" "$(basename "$1")")
	cp "$1" "$TMP/camera/.$name" && mv "$TMP/camera/.$name" "$TMP/camera/$name"
	for ((i = 0; i < 200; i++)); do
		[ "$(field state)" = VERDICT ] && [ "$(field screens)" -gt "$before" ] && return 0
		sleep 0.05
	done
	return 1
}
verdict() { echo "$(field colour) $(field reason)"; }

green_room=$(q "SELECT room FROM checkins WHERE arrival_id = 1")
ok_if "the floor-12 resident's printed band is read by the camera" show "$green_png"
ok_if "  green, valid" test "$(verdict)" = "green OK"
ok_if "  with the resident's room $green_room" test "$(field room)" = "$green_room" -a "$(field has_resident)" = true
ok_if "  within the 200 ms budget from scan to verdict" test "$(field latency_ms)" -le 200

red_room=$(q "SELECT room FROM checkins WHERE arrival_id = 6")
ok_if "the red-code resident's band is read" show "$red_png"
ok_if "  red: a floor-13 resident at a floor-12 checkpoint is in the wrong place" \
	test "$(verdict)" = "red E_WRONG_PLACE" -a "$(field room)" = "$red_room"

reprint=$("$BUILD/tools/band_tool" reprint "$db" "$D/band.key" 1)
old_serial=${reprint% *}
ok_if "the front desk's reprint replaces arrival 1's band" \
	test "$(q "SELECT state FROM wristbands WHERE serial = '$old_serial'")" = replaced
ok_if "the old band is read again" show "$green_png"
ok_if "  red: replaced" test "$(verdict)" = "red E_BAND_REPLACED"

"$SAN_BIN/stationctl" --db "$TMP/other.db" band-key init "$TMP/other.key" >/dev/null
"$BUILD/tools/band_tool" forge "$TMP/other.key" SZ01 424242 "$green_room" "$TMP/forged.png"
ok_if "a band signed with another key is read" show "$TMP/forged.png"
ok_if "  red: forged" test "$(verdict)" = "red E_BAND_FORGED" -a "$(field token)" = bad_signature

"$BUILD/tools/band_tool" qr "https://example.com/menu" "$TMP/plain.png"
ok_if "a QR that is not a wristband is read" show "$TMP/plain.png"
ok_if "  not a wristband" test "$(field reason)" = E_NOT_WRISTBAND

kill "$kiosk"
wait "$kiosk"
ok_if "SIGTERM stops the post cleanly" test $? -eq 0
xvfb_stop

ok_if "five scans recorded at the checkpoint" \
	test "$(q "SELECT count(*) FROM scans WHERE checkpoint = 'F12-corridor'")" -eq 5
ok_if "the scan records carry the verdicts" \
	test "$(q "SELECT count(*) FROM scans WHERE result LIKE '%OK%'")" -ge 1 -a \
	"$(q "SELECT count(*) FROM scans WHERE result LIKE '%E_BAND_REPLACED%'")" -eq 1
ok_if "the scans are in the sync outbox" \
	test "$(q "SELECT count(*) FROM outbox WHERE kind = 'scan'")" -eq 5
ok_if "a screenshot of each verdict" \
	test "$(ls "$art" | grep -cE 'VERDICT-(green-OK|red-E_WRONG_PLACE|red-E_BAND_REPLACED|red-E_BAND_FORGED|.*-E_NOT_WRISTBAND)-')" -eq 5
ok_if "the post's log holds no name and no document number" \
	no_personal_data "$TMP/security.log"
[ "$tap_failed" -eq 0 ] || grep -v ALSA "$TMP/security.log" | tail -20 | sed 's/^/# /'
finish
