#!/bin/bash
# The entrance kiosk as people meet it: the real (sanitized) kiosk in a real window under
# Xvfb, driven through its real input paths by tests/demo/run.sh's scripted bus batch
# (wedge scanner keystrokes, clicks, wheel over the briefing, the files: camera), then the
# serial scanner through a pty. Checks the store's rows, the printed wristbands (decoded by
# zbarimg back to the stored tokens), the screenshots in both languages, and that the log
# holds no personal data. Screenshots and prints are kept in $BUILD/test-artifacts/kiosk/.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
D="$TMP/demo"
db="$D/station.db"
q() { sqlite3 "$db" "$1"; }

HK_HEADLESS=1 HK_DEMO_DIR="$D" HK_BIN="$SAN_BIN" BUILD="$BUILD" timeout 600 \
	bash tests/demo/run.sh >"$TMP/demo.out" 2>&1
rc=$?
ok_if "the scripted batch of arrivals completes" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/demo.out" | tail -20
art="$BUILD/test-artifacts/kiosk"
rm -rf "$art" && mkdir -p "$art" && cp -r "$D/screens" "$D/prints" "$D/summary.txt" "$D/kiosk.log" "$TMP/demo.out" "$art/" 2>/dev/null

ok_if "six visits end on the done screen, two are refused" \
	test "$(grep -c ' DONE ' "$D/summary.txt")" -eq 6 -a "$(grep -c ' REFUSED ' "$D/summary.txt")" -eq 2
ok_if "eight people checked in, each once" test "$(q 'SELECT count(DISTINCT arrival_id) FROM checkins')" -eq 8 -a "$(q 'SELECT count(*) FROM checkins')" -eq 8
over_capacity() {
	q "SELECT count(*) FROM rooms r WHERE (SELECT count(*) FROM checkins c
	     WHERE c.room = r.number AND c.state = 'active') > r.capacity"
}
ok_if "no room holds more people than its beds" test "$(over_capacity)" -eq 0
child_with_adult() {
	local child_room
	child_room=$(q "SELECT room FROM checkins WHERE arrival_id = 3")
	[ -n "$child_room" ] && [ "$(q "SELECT count(*) FROM checkins WHERE arrival_id IN (1, 2) AND room = '$child_room'")" -ge 1 ]
}
ok_if "the child shares a room with a parent" child_with_adult
ok_if "the red-code close contact is on the designated floor 13" \
	test "$(q 'SELECT substr(room, 1, 2) FROM checkins WHERE arrival_id = 6')" = 13
ok_if "the red code is recorded red" test "$(q 'SELECT risk FROM checkins WHERE arrival_id = 6')" = red
ok_if "the English visit recorded the English briefing" \
	test "$(q 'SELECT briefing_lang FROM checkins WHERE arrival_id = 5')" = en
ok_if "each check-in carries the briefing version it acknowledged" \
	test "$(q "SELECT count(*) FROM checkins WHERE length(briefing_hash) >= 64")" -eq 8
ok_if "intake times are recorded" test "$(q 'SELECT count(*) FROM checkins WHERE total_ms > 0 AND briefing_ms >= 3000')" -eq 8
ok_if "the walk-in became an arrival and its approval is audited" \
	test "$(q "SELECT count(*) FROM arrivals WHERE batch = 'walk-in'")" -eq 1 -a "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01'")" -ge 1
ok_if "every check-in has one active wristband" \
	test "$(q "SELECT count(*) FROM wristbands WHERE state = 'active'")" -eq 8
decodes_to_tokens() {
	local f tok n=0
	for f in "$D"/prints/*.png; do
		tok=$(zbarimg --raw -q -Sdisable -Sqrcode.enable "$f" | head -n 1)
		[ -n "$tok" ] || return 1
		[ "$(q "SELECT count(*) FROM wristbands WHERE token = '$tok'")" -eq 1 ] || return 1
		n=$((n + 1))
	done
	[ "$n" -eq 8 ]
}
ok_if "all eight printed wristbands decode (zbarimg) to their stored tokens" decodes_to_tokens
both_languages() {
	ls "$D"/screens/*-en.png >/dev/null 2>&1 && ls "$D"/screens/*-zh-CN.png >/dev/null 2>&1 &&
		ls "$D"/screens/*BRIEFING-en.png "$D"/screens/*BRIEFING-zh-CN.png >/dev/null 2>&1
}
ok_if "screens captured in both languages" both_languages
ok_if "the kiosk's log holds no name and no document number" no_personal_data "$D/kiosk.log"

# The serial scanner box, through a pty: the father's second scan is refused (no second room).
sed -i 's|^spec = wedge|spec = serial:'"$TMP"'/scanner|' "$D/kiosk.conf"
xvfb_start 1024x768x24 || echo "# Xvfb did not start"
mkfifo "$TMP/codes"
"$BUILD/san/tools/ptyscan" "$TMP/scanner" <"$TMP/codes" &
pty=$!
exec 7>"$TMP/codes"
for _ in $(seq 100); do [ -e "$TMP/scanner" ] && break; sleep 0.05; done
"$SAN_BIN/kiosk" --config "$D/kiosk.conf" --windowed --size 800x480 \
	--state-file "$TMP/serial-state.json" 2>"$TMP/serial.log" 7>&- &
kiosk=$!
wait_screen() {
	local i
	for ((i = 0; i < 400; i++)); do
		[ "$("$BUILD/tools/kstate" "$TMP/serial-state.json" state 2>/dev/null)" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
wait_screen ATTRACT
cat "$D/codes/1.txt" >&7
echo >&7
ok_if "a scan from the serial scanner box reaches the flow (already checked in)" wait_screen REFUSED
ok_if "the refusal names the reason" test "$("$BUILD/tools/kstate" "$TMP/serial-state.json" field reason)" = E_ALREADY_CHECKED_IN
exec 7>&-
wait "$pty"
kill "$kiosk"
wait "$kiosk"
ok_if "SIGTERM stops the kiosk cleanly" test $? -eq 0
xvfb_stop
ok_if "still eight check-ins after the second scan" test "$(q 'SELECT count(*) FROM checkins')" -eq 8
finish
