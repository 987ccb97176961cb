#!/bin/bash
# The front desk as staff meet it: the real (sanitized) kiosk in --mode frontdesk, in a window
# under Xvfb, driven through its real input paths (a badge typed as the wedge scanner does,
# taps on the buttons where the kiosk drew them): a wrong PIN is refused and audited, the
# right one signs in; a search by room on the on-screen keyboard, a card, a door and a meal
# label printed through the spooler to PNG (their QR codes read back by zbarimg), a risk
# colour set with who and why, a wristband reprinted, a resident released; a sample-tube
# label, a term extended, a band voided, a resident transferred to hospital; the occupancy
# grid, sign-out. Then the proof of the issue: the OLD band of the reprint, shown to a
# security post (--mode security, files: camera), is stopped as replaced, and the band voided
# at the desk as void. Store rows checked with sqlite3; a screenshot of every screen kept in
# $BUILD/test-artifacts/frontdesk/.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
D="$TMP/desk"
db="$D/station.db"
q() { sqlite3 "$db" "$1"; }
ctl() { "$SAN_BIN/stationctl" --db "$db" "$@"; }
art="$BUILD/test-artifacts/frontdesk"
rm -rf "$art" && mkdir -p "$art/desk" "$art/security" "$D/prints" "$D/deskcam" "$D/seccam"

# A station like the demo's (tests/demo/run.sh), four residents checked in directly.
ctl init --station SZ01 --device desk-1 >/dev/null
ctl rooms add 1201-1210 --floor 12 --capacity 2 >/dev/null
ctl rooms add 1301-1303 --floor 13 --capacity 1 >/dev/null
ctl band-key init "$D/band.key" >/dev/null
sed "s/@TODAY@/$(date +%F)/" tests/demo/manifest.csv.in >"$D/manifest.csv"
ctl import-manifest "$D/manifest.csv" >/dev/null
printf '2468\n' | ctl badges add STAFF01 --role staff >/dev/null 2>&1
now=$(date +%s)
release=$(date -d '+14 days' +%F)
"$BUILD/tools/store_checkin" "$db" 1 1201 1001 "$now" "$release" yellow >/dev/null
"$BUILD/tools/store_checkin" "$db" 2 1201 1002 "$now" "$release" yellow >/dev/null
"$BUILD/tools/store_checkin" "$db" 4 1202 1004 "$now" "$release" green >/dev/null
"$BUILD/tools/store_checkin" "$db" 6 1301 1006 "$now" "$release" red >/dev/null
# arrival 1's band as it was printed at the entrance: signed with the station's key
"$BUILD/tools/band_tool" forge "$D/band.key" SZ01 1001 1201 "$D/old-band.png"
ok_if "four residents checked in; arrival 1 wears band 1001" \
	test "$(q "SELECT count(*) FROM wristbands WHERE state = 'active'")" -eq 4

cat >"$D/desk.conf" <<EOF
[device]
role = frontdesk
station = SZ01
[store]
path = $db
[scanner]
spec = wedge
max_gap_ms = 400
[camera]
spec = files:$D/deskcam
[printer]
spec = png:$D/prints
[keys]
band_key = $D/band.key
[ui]
language = zh
fullscreen = no
assets = assets
EOF
sed -e 's/^role = frontdesk/role = security/' -e "s|files:$D/deskcam|files:$D/seccam|" \
	"$D/desk.conf" >"$D/security.conf"
cat >>"$D/security.conf" <<EOF
[checkpoint]
name = F12-corridor
exit = no
floors = 12
band_public_key = $D/band.key.pub
EOF

xvfb_start 1024x768x24 || echo "# Xvfb did not start"
STATE="$D/desk-state.json"
"$SAN_BIN/kiosk" --config "$D/desk.conf" --windowed --size 800x480 --screenshots "$art/desk" \
	--state-file "$STATE" 2>"$D/desk.log" &
desk=$!
KSTATE="$BUILD/tools/kstate"
field() { "$KSTATE" "$STATE" field "$1" 2>/dev/null; }
WIN=$(timeout 30 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
xdotool windowfocus --sync "$WIN" 2>/dev/null
export STATE WIN KSTATE
# shellcheck source=tests/demo/drive.sh
. tests/demo/drive.sh
WAIT_S=15
at() { wait_state "$@" >/dev/null; }
# wait until field NAME of the state file reads VALUE
wait_field() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(field "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

ok_if "the front desk starts signed out" at SIGNED_OUT
scan_wedge "HKSTAFF1:STAFF01"
ok_if "a scanned staff badge asks for the PIN" at PIN
pin() {
	local d
	for ((d = 0; d < ${#1}; d++)); do click PIN_DIGIT "${1:d:1}" || return 1; done
	click PIN_ENTER
}
pin 1357
ok_if "a wrong PIN is refused" wait_field notice E_BAD_PIN
ok_if "  and audited" test "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01' AND action = 'staff_pin_bad'")" -eq 1
pin 2468
ok_if "the right PIN signs in" at HOME
ok_if "  audited as a login" test "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01' AND action = 'staff_login'")" -eq 1

# a wristband shown to the desk's camera opens its card
cp "$D/old-band.png" "$D/deskcam/.001.png" && mv "$D/deskcam/.001.png" "$D/deskcam/001.png"
ok_if "a scanned wristband opens its card" wait_field band 1001
for _ in 1 2 3; do [ "$(field state)" = HOME ] && break; click BACK; sleep 0.3; done
ok_if "back to the search" at HOME

# the digits page: 1 2 3 4 5 6 7 8 9 0 -
key() {
	local c=$1 i
	case $c in 0) i=9 ;; -) i=10 ;; *) i=$((c - 1)) ;; esac
	click KEY "$i"
}
click BY 0
for c in 1 2 0 1; do key "$c"; done
ok_if "room 1201 typed on the on-screen keyboard" test "$(field query)" = 1201
click SEARCH
ok_if "the search lists the residents of 1201" at RESULTS
ok_if "  both of them" test "$(field results)" = 2
click ROW 0
ok_if "a row opens the resident's card" at CARD
ok_if "  of room 1201" test "$(field room)" = 1201
band_before=$(field band)
arrival=$(q "SELECT arrival_id FROM wristbands WHERE serial = '$band_before'")
ok_if "  with the active band of the resident shown" test -n "$arrival"
click TAB 1
sleep 0.3
click TAB 2

# wait until the card is back with the outcome of an action
wait_done() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(field state)" = CARD ] && [ "$(field "done")" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
prints() { find "$D/prints" -name '*.png' | wc -l; }
wait_prints() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(prints)" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
decode() { zbarimg --raw -q -Sdisable -Sqrcode.enable "$1" 2>/dev/null | head -n 1; }
# shellcheck disable=SC2012 # our own file names: digits and dashes
newest() { ls -t "$D/prints"/*.png | head -n 1; }

click ACT 0
ok_if "door label: a confirmation first" at CONFIRM
click CONFIRM
ok_if "  confirmed, the label is queued" wait_done print_label
ok_if "  and printed to PNG" wait_prints 1
door=$(newest)
ok_if "  its QR names the room: $(decode "$door")" test "$(decode "$door")" = "HKROOM1:SZ01:1201"
cp "$door" "$art/door-label.png"

click ACT 1
at CONFIRM
click CONFIRM
ok_if "meal label printed" wait_prints 2
meal=$(newest)
ok_if "  its QR: the room and today" test "$(decode "$meal")" = "HKMEAL1:SZ01:1201:$(station_day)"
cp "$meal" "$art/meal-label.png"
ok_if "  both labels audited" test "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01' AND action = 'print_label'")" -eq 2
wait_done print_label >/dev/null

click ACT 5
ok_if "risk colour: the form opens" wait_field form set_risk
ok_if "  continue stays off until a colour and a reason are chosen" bash -c "! '$KSTATE' '$STATE' button CONTINUE >/dev/null"
click RISK 3
click PRESET 0
click CONTINUE
ok_if "  then a confirmation" at CONFIRM
click CONFIRM
ok_if "  set: the card shows red" wait_field risk red
ok_if "  stored with who and why" test "$(q "SELECT count(*) FROM risk_changes WHERE arrival_id = $arrival AND risk = 'red' AND set_by = 'STAFF01' AND why <> ''")" -eq 1

click ACT 3
at CONFIRM
click CONFIRM
ok_if "wristband reprinted" wait_done reprint_band
band_after=$(field band)
ok_if "  the card shows the new band ($band_before -> $band_after)" test -n "$band_after" -a "$band_after" != "$band_before"
ok_if "  the old band is replaced in the store" test "$(q "SELECT state FROM wristbands WHERE serial = '$band_before'")" = replaced
ok_if "  the new band printed" wait_prints 3
new_band=$(newest)
cp "$new_band" "$art/new-band.png"

click ACT 6
at CONFIRM
click CONFIRM
ok_if "resident released" wait_done release
ok_if "  the card says released" test "$(field status)" = released
ok_if "  the check-in ended as released" test "$(q "SELECT outcome FROM checkins WHERE arrival_id = $arrival")" = released
ok_if "  the actions are in the audit log" test "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01' AND action IN ('set_risk', 'reprint_band', 'mark_released')")" -eq 3

# the other actions, on the resident of 1202 (arrival 4, band 1004) and of 1301 (arrival 6)
home() {
	local i
	for ((i = 0; i < 4; i++)); do
		[ "$(field state)" = HOME ] && return 0
		click BACK
		sleep 0.3
	done
	at HOME
}
search() { # BY-tab digits...
	local c
	home
	click BY "$1"
	shift
	for c in "$@"; do key "$c"; done
	click SEARCH
}
search 0 1 2 0 2
ok_if "a room with one resident opens the card at once" wait_field room 1202
click TAB 2
click ACT 2
at CONFIRM
click CONFIRM
ok_if "sample-tube label printed" wait_prints 4
tube=$(newest)
ok_if "  its QR: station, date and arrival" test "$(decode "$tube")" = "SZ01-$(station_day %Y%m%d)-4"
cp "$tube" "$art/tube-label.png"
wait_done print_label >/dev/null

click ACT 8
ok_if "extension: the form opens" wait_field form extend
click DAYS_PLUS
click DAYS_PLUS
click PRESET 0
click CONTINUE
at CONFIRM
click CONFIRM
ok_if "  the term is extended by 9 days" wait_done extend
ok_if "  the planned release moved from $release to $(date -d "$release + 9 days" +%F)" \
	test "$(q "SELECT planned_release FROM checkins WHERE arrival_id = 4")" = "$(date -d "$release + 9 days" +%F)"

click ACT 4
ok_if "void band: the form opens" wait_field form void_band
click PRESET 0
click CONTINUE
at CONFIRM
click CONFIRM
ok_if "  the band is void" wait_done void_band
ok_if "  in the store, with the reason" test "$(q "SELECT state FROM wristbands WHERE serial = '1004'")" = void
ok_if "  the card has no active band" test "$(field band)" = 0
"$BUILD/tools/band_tool" forge "$D/band.key" SZ01 1004 1202 "$D/void-band.png"

search 3 1 0 0 6
ok_if "a search by band number opens the card of 1301" wait_field room 1301
click TAB 2
click ACT 7
ok_if "transfer to hospital: the form opens" wait_field form transfer
click PRESET 1
click CONTINUE
at CONFIRM
click CONFIRM
ok_if "  transferred" wait_done transfer
ok_if "  the card says so" test "$(field status)" = transferred
ok_if "  the check-in ended as transferred" test "$(q "SELECT outcome FROM checkins WHERE arrival_id = 6")" = transferred
ok_if "  every action audited by STAFF01" test "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01' AND action IN ('extend', 'void_band', 'mark_transferred')")" -eq 3

click OCCUPANCY
ok_if "the occupancy grid" at OCCUPANCY
ok_if "  counts the occupied rooms" test "$(field occupied)" -ge 2
click LANGUAGE
sleep 0.5
click BACK
at HOME
click SIGN_OUT
ok_if "sign-out" at SIGNED_OUT
ok_if "  audited" test "$(q "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01' AND action = 'staff_logout'")" -eq 1

# The proof: the old band at a security post.
SSTATE="$D/security-state.json"
"$SAN_BIN/kiosk" --config "$D/security.conf" --windowed --size 800x480 \
	--screenshots "$art/security" --state-file "$SSTATE" 2>"$D/security.log" &
post=$!
sfield() { "$KSTATE" "$SSTATE" field "$1" 2>/dev/null; }
cam_n=0
show() {
	local before i name
	for ((i = 0; i < 300; i++)); do [ "$(sfield state)" = READY ] && break; sleep 0.05; done
	before=$(sfield screens)
	cam_n=$((cam_n + 1))
	name=$(printf '%03d-%s' "$cam_n" "$(basename "$1")")
	cp "$1" "$D/seccam/.$name" && mv "$D/seccam/.$name" "$D/seccam/$name"
	for ((i = 0; i < 200; i++)); do
		[ "$(sfield state)" = VERDICT ] && [ "$(sfield screens)" -gt "$before" ] && return 0
		sleep 0.05
	done
	return 1
}
ok_if "the old band is shown to the security post's camera" show "$D/old-band.png"
ok_if "  red: the band was replaced (void)" test "$(sfield colour) $(sfield reason)" = "red E_BAND_REPLACED"
ok_if "the band voided at the desk is shown" show "$D/void-band.png"
ok_if "  red: void" test "$(sfield colour) $(sfield reason)" = "red E_BAND_VOID"
kill "$post"
wait "$post"
ok_if "the security post stops cleanly" test $? -eq 0

kill "$desk"
wait "$desk"
ok_if "SIGTERM stops the front desk cleanly" test $? -eq 0
xvfb_stop

ok_if "a screenshot of each screen" bash -c "cd '$art/desk' && ls | grep -q SIGNED_OUT && ls | grep -q PIN && ls | grep -q HOME && ls | grep -q RESULTS && ls | grep -q CARD-tab0 && ls | grep -q CARD-tab2 && ls | grep -q CARD-form-set_risk && ls | grep -q CARD-form-extend && ls | grep -q CARD-form-void_band && ls | grep -q CARD-form-transfer && ls | grep -q CONFIRM && ls | grep -q OCCUPANCY-zh && ls | grep -q OCCUPANCY-en"
ok_if "the desk's log holds no name and no document number" \
	no_personal_data "$D/desk.log"
[ "$tap_failed" -eq 0 ] || grep -v ALSA "$D/desk.log" | tail -20 | sed 's/^/# /'
finish
