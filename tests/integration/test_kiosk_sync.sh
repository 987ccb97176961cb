#!/bin/bash
# tests/integration/test_kiosk_sync.sh: the real entrance kiosk (under Xvfb, driven by
# tests/demo/drive.sh) synced with a real stationd on 127.0.0.1: the kiosk's store is filled
# from the station (manifest, rooms, issuer keys, badges), a check-in while the station is
# reachable, two while it is stopped (from the rooms leased before), a third out of leased
# rooms approved by staff without a room, the staff panel saying offline with the records
# waiting (screenshot kept in $BUILD/test-artifacts/kiosk-sync/), then the station back: every
# check-in held there exactly once, rooms only ever from the kiosk's own leases. A security
# post's data age across a restart; a front desk whose risk colour reaches the station and
# whose occupancy view shows the sync status, and whose release of a resident frees the room
# in the entrance kiosk's own store: leased to the kiosk again, it is kept and filled.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
. tests/lib/station.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
D="$TMP/ks"
SDB="$D/station.db"
KDB="$D/kiosk.db"
LOG="$D/stationd.log"
PIN=2468
mkdir -p "$D/prints" "$D/screens" "$D/codes" "$D/camera"
ctl() { "$SAN_BIN/stationctl" --db "$SDB" "$@"; }
sq() { sqlite3 "$SDB" "$1"; }
kq() { sqlite3 "$KDB" "$1"; }

ctl init --station SZ01 --device station-desk >/dev/null
ctl rooms add 1201-1206 --floor 12 --capacity 1 >/dev/null
ctl band-key init "$D/band.key" >/dev/null
ctl demo init --key "$D/demo-issuer.pem" >/dev/null
sed "s/@TODAY@/$(date +%F)/" tests/demo/manifest.csv.in >"$D/manifest.csv"
ctl import-manifest "$D/manifest.csv" >/dev/null
printf '%s\n' "$PIN" | ctl badges add STAFF01 --role staff >/dev/null
for id in 2 4 5 7; do
	ctl demo issue-code --arrival "$id" --key "$D/demo-issuer.pem" --out "$D/codes/$id.txt" >/dev/null
done
K1=$(ctl devices add kiosk-1 --role entrance)
K2=$(ctl devices add kiosk-2 --role entrance)

stationd_conf "$D/stationd.ini" "$SDB"
PID=
PORT=
start_station() { # [PORT]
	stationd_start "$SAN_BIN/stationd" "$D/stationd.ini" "$LOG" "${1:-0}"
	local rc=$?
	PID=$STATIOND_PID PORT=$STATIOND_PORT
	return $rc
}
start_station || { echo "Bail out! stationd did not start"; exit 1; }

# kiosk-2, another entrance, holds two rooms: kiosk-1 must never use them
curl -s -H "Authorization: Bearer $K2" --data-binary '{"v":1,"want":2}' \
	"http://127.0.0.1:$PORT/v1/leases" | grep -o '"room":"[0-9]*"' | cut -d'"' -f4 | sort >"$D/k2.rooms"
ok_if "another kiosk holds two leased rooms" test "$(wc -l <"$D/k2.rooms")" -eq 2

printf '%s\n' "$K1" >"$D/k1.token"
chmod 600 "$D/k1.token"
entrance_conf "$D/kiosk.conf" "$KDB" "png:$D/prints" "$D/band.key" zh <<EOF
[camera]
spec = files:$D/camera
[ui]
idle_timeout_s = 60
briefing_min_read_s = 3
[flow]
done_s = 8
refusal_s = 8
[sync]
url = http://127.0.0.1:$PORT
token_file = $D/k1.token
lease_want = 2
interval = 1
EOF

n=150
while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
export DISPLAY=":$n"
for _ in $(seq 100); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.05; done
KIOSK=
cleanup() {
	kill "$KIOSK" "$PID" "$XVFB" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

# a credential others may read is refused before anything opens
chmod 644 "$D/k1.token"
timeout 20 "$SAN_BIN/kiosk" --config "$D/kiosk.conf" --windowed --size 800x480 2>"$D/refused.log"
rc=$?
ok_if "a sync token readable by others stops the kiosk" \
	bash -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q 'chmod 600' '$D/refused.log'"
chmod 600 "$D/k1.token"
rm -f "$KDB" "$KDB"-*

KSTATE="$BUILD/tools/kstate"
STATE="$D/state.json"
CAMDIR="$D/camera"
SCREEN_W=800 SCREEN_H=480
export KSTATE STATE CAMDIR SCREEN_W SCREEN_H
# shellcheck source=tests/demo/drive.sh
. tests/demo/drive.sh
"$SAN_BIN/kiosk" --config "$D/kiosk.conf" --windowed --size 800x480 \
	--screenshots "$D/screens" --state-file "$STATE" 2>"$D/kiosk.log" &
KIOSK=$!
WIN=$(timeout 20 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
xdotool windowfocus --sync "$WIN"
export WIN

# wait until SQL $2 on $1 prints $3 (at most $4 seconds, 20 by default)
until_is() {
	local i
	for ((i = 0; i < ${4:-20} * 10; i++)); do
		[ "$(sqlite3 "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
FREE_LEASED="SELECT count(*) FROM room_leases l WHERE NOT EXISTS (SELECT 1 FROM occupancy o
  WHERE o.room = l.room AND o.until IS NULL)"
ok_if "the kiosk's store is filled from the station (manifest, rooms, badge) and holds two leases" \
	bash -c "$(declare -f until_is); until_is '$KDB' 'SELECT count(*) FROM arrivals' 7 &&
	  until_is '$KDB' 'SELECT count(*) FROM rooms' 6 && until_is '$KDB' \"SELECT count(*) FROM badges WHERE badge_id = 'STAFF01'\" 1 &&
	  until_is '$KDB' '$FREE_LEASED' 2"

checkin_person() {
	scan_from_attract "$(cat "$D/codes/$1.txt")"
	wait_state IDENTITY >/dev/null || return 1
	click THIS_IS_ME
	finish_checkin
}
# A new briefing text published at the station reaches the kiosk's screen: the next person
# reads it, and the check-in records that text's version.
{ cat assets/briefing/zh-CN.md; printf '\n本站补充规定：每日两次测量体温。\n'; } >"$D/briefing-v2.md"
ctl briefing add zh-CN "$D/briefing-v2.md" >/dev/null
NEW_BRIEFING=$(sha256sum "$D/briefing-v2.md" | cut -d' ' -f1)
ok_if "a briefing text added at the station reaches the kiosk's store" \
	until_is "$KDB" "SELECT count(*) FROM briefings WHERE lang = 'zh-CN' AND hash = 'sha256:$NEW_BRIEFING'" 1
sleep 6 # the kiosk takes a new text between visits, checking every 5 s
ok_if "online: a person checks in" checkin_person 4
click DISMISS
ok_if "the check-in records the version of the station's new briefing text" \
	test "$(kq "SELECT briefing_hash FROM checkins WHERE arrival_id = 4")" = "$NEW_BRIEFING"
ok_if "online: the station holds the check-in within seconds" \
	until_is "$SDB" "SELECT count(*) FROM checkins WHERE arrival_id = 4" 1
ok_if "the used room goes back and the kiosk again holds two free leased rooms" \
	until_is "$KDB" "$FREE_LEASED" 2
kq "SELECT room FROM room_leases ORDER BY room" >"$D/k1.before-offline"

kill -TERM "$PID"
wait "$PID"
ok_if "offline: a person checks in" checkin_person 5
click DISMISS
ok_if "offline: a second person checks in" checkin_person 7
click DISMISS
offline_rooms_leased() {
	local r
	for r in $(kq "SELECT room FROM checkins WHERE arrival_id IN (5, 7)"); do
		grep -qx "$r" "$D/k1.before-offline" || return 1
	done
	[ "$(kq "SELECT count(DISTINCT room) FROM checkins WHERE arrival_id IN (5, 7)")" = 2 ]
}
ok_if "offline: both rooms are ones leased to this kiosk before the station went away" offline_rooms_leased
ok_if "offline: the records wait in the kiosk's outbox" \
	test "$(kq "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND kind = 'checkin'")" -eq 2

# out of leased rooms: the person waits for staff, staff record the check-in without a room
scan_from_attract "$(cat "$D/codes/2.txt")"
wait_state IDENTITY >/dev/null && click THIS_IS_ME
st=$(wait_state FAMILY BRIEFING)
[ "$st" = FAMILY ] && click ADD_DONE && wait_state BRIEFING >/dev/null
read_briefing && click ACK
ok_if "out of leased rooms: the person is asked to wait for staff" \
	bash -c "$(declare -f wait_state); KSTATE='$KSTATE' STATE='$STATE' wait_state FAULT >/dev/null && [ \"\$('$KSTATE' '$STATE' field reason)\" = E_NO_LEASED_ROOM ]"
scan_wedge "HKSTAFF1:STAFF01"
wait_state "FAULT/PIN" >/dev/null
for ((d = 0; d < ${#PIN}; d++)); do click PIN_DIGIT "${PIN:d:1}"; done
click PIN_ENTER
ok_if "staff sign in on the fault screen" wait_state "FAULT/STAFF"
for _ in $(seq 50); do # the screenshot follows the state file
	for f in "$D"/screens/*FAULT-STAFF*.png; do [ -s "$f" ] && cp "$f" "$D/staff-panel.png"; done
	[ -s "$D/staff-panel.png" ] && break
	sleep 0.1
done
ok_if "the staff panel was drawn (screenshot kept)" test -s "$D/staff-panel.png"
click STAFF_APPROVE
ok_if "approved: the visit ends without a room or a band" \
	bash -c "$(declare -f wait_state); KSTATE='$KSTATE' STATE='$STATE' wait_state DONE >/dev/null"
ok_if "the room-less check-in waits in the outbox with its acknowledged briefing" \
	test "$(kq "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND kind = 'checkin' AND json_extract(payload, '$.room') = '' AND json_extract(payload, '$.arrival_id') = 2 AND length(json_extract(payload, '$.briefing_hash')) >= 64")" -eq 1
click DISMISS

start_station "$PORT" || echo "# stationd did not restart"
# the kiosk's next round comes after its back-off (at most 60 s, app/sync/client.c)
ok_if "station back: every record arrives (nothing waits on the kiosk)" \
	until_is "$KDB" "SELECT count(*) FROM outbox WHERE sent_at IS NULL" 0 65
ok_if "the station holds the three check-ins with rooms, each exactly once" \
	bash -c "[ \"\$('$SAN_BIN/stationctl' --db '$SDB' export checkins | grep -c kiosk-1)\" = 3 ] &&
	  [ \"\$(sqlite3 '$SDB' 'SELECT count(*), count(DISTINCT arrival_id) FROM checkins')\" = '3|3' ]"
ok_if "the room-less check-in is held at the station for the front desk" \
	test "$(sq "SELECT count(*) FROM sync_records WHERE device_id = 'kiosk-1' AND kind = 'checkin' AND room = '' AND arrival_id = 2")" -eq 1
ok_if "four check-in records from the kiosk, none twice" \
	test "$(sq "SELECT count(*), count(DISTINCT device_seq) FROM sync_records WHERE device_id = 'kiosk-1' AND kind = 'checkin'")" = "4|4"
not_kiosk2_rooms() {
	local r
	for r in $(sq "SELECT room FROM checkins"); do
		grep -qx "$r" "$D/k2.rooms" && return 1
	done
	return 0
}
ok_if "no check-in is in a room leased to the other kiosk" not_kiosk2_rooms
ok_if "no room at the station holds more than its bed" \
	test "$(sq "SELECT count(*) FROM rooms r WHERE (SELECT count(*) FROM occupancy o WHERE o.room = r.number AND o.until IS NULL) > r.capacity")" -eq 0
ok_if "no conflicts at the station" test "$(sq "SELECT count(*) FROM conflicts")" -eq 0
ok_if "the station's store is intact" test "$(sq 'PRAGMA integrity_check')" = ok
kill "$KIOSK"
wait "$KIOSK"
ok_if "SIGTERM stops the synced kiosk cleanly" test $? -eq 0
KIOSK=

# A security post: its replica's age is the store's last successful pull, kept across a
# restart while the station is away (not "never synced").
POST=$(ctl devices add post-1 --role security)
printf '%s\n' "$POST" >"$D/post.token"
chmod 600 "$D/post.token"
sed -e 's/^role = entrance/role = security/' -e "s|^path = .*kiosk.db|path = $D/post.db|" \
	-e "s|^token_file = .*|token_file = $D/post.token|" "$D/kiosk.conf" >"$D/post.conf"
printf '[checkpoint]\nname = F12-corridor\nband_public_key = %s\n' "$D/band.key.pub" >>"$D/post.conf"
PSTATE="$D/post-state.json"
run_post() {
	"$SAN_BIN/kiosk" --config "$D/post.conf" --windowed --size 800x480 --state-file "$PSTATE" \
		2>>"$D/post.log" &
	KIOSK=$!
}
post_age() { "$KSTATE" "$PSTATE" field data_age_s 2>/dev/null; }
until_age() {
	local i a
	for ((i = 0; i < 200; i++)); do
		a=$(post_age)
		[ -n "$a" ] && [ "$a" != -1 ] && [ "$a" -ge 0 ] && [ "$a" -le "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
run_post
ok_if "security post: the replica's age comes from its first pull" until_age 5
ok_if "security post: pulled check-ins and bands are in its store" \
	until_is "$D/post.db" "SELECT count(*) FROM wristbands" 3
kill "$KIOSK"
wait "$KIOSK"
kill -TERM "$PID"
wait "$PID"
rm -f "$PSTATE"
run_post
ok_if "security post restarted offline: the age of its data survives (not never synced)" until_age 120
kill "$KIOSK"
wait "$KIOSK"
KIOSK=
# The front desk syncs too: a risk colour set at the desk reaches the station; its occupancy
# view shows the sync client's status (online with nothing waiting, then offline).
start_station "$PORT" || echo "# stationd did not restart"
DESK=$(ctl devices add desk-1 --role frontdesk)
printf '%s\n' "$DESK" >"$D/desk.token"
chmod 600 "$D/desk.token"
sed -e 's/^role = entrance/role = frontdesk/' -e "s|^path = .*kiosk.db|path = $D/desk.db|" \
	-e "s|^token_file = .*|token_file = $D/desk.token|" -e "s|files:$D/camera|files:$D/deskcam|" \
	"$D/kiosk.conf" >"$D/desk.conf"
mkdir -p "$D/deskcam" "$D/desk-screens"
STATE="$D/desk-state.json"
"$SAN_BIN/kiosk" --config "$D/desk.conf" --windowed --size 800x480 --state-file "$STATE" \
	--screenshots "$D/desk-screens" 2>"$D/desk.log" &
KIOSK=$!
WIN=$(timeout 20 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
xdotool windowfocus --sync "$WIN" 2>/dev/null
desk_field() { "$KSTATE" "$STATE" field "$1" 2>/dev/null; }
desk_until() { # FIELD VALUE, at most 20 s
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(desk_field "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
ok_if "front desk: its store is filled from the station (check-ins, badge)" \
	bash -c "$(declare -f until_is); until_is '$D/desk.db' 'SELECT count(*) FROM checkins' 3 &&
	  until_is '$D/desk.db' \"SELECT count(*) FROM badges WHERE badge_id = 'STAFF01'\" 1"
wait_state SIGNED_OUT >/dev/null
scan_wedge "HKSTAFF1:STAFF01"
wait_state PIN >/dev/null
for ((d = 0; d < ${#PIN}; d++)); do click PIN_DIGIT "${PIN:d:1}"; done
click PIN_ENTER
ok_if "front desk: staff sign in with the badge and PIN pulled from the station" wait_state HOME
room=$(sq "SELECT room FROM checkins WHERE arrival_id = 4")
click BY 0
for ((d = 0; d < ${#room}; d++)); do
	c=${room:d:1}
	case $c in 0) click KEY 9 ;; *) click KEY $((c - 1)) ;; esac
done
click SEARCH
ok_if "front desk: the card of room $room (one resident) opens" desk_until room "$room"
click TAB 2
click ACT 5
desk_until form set_risk
click RISK 3
click PRESET 0
click CONTINUE
wait_state CONFIRM >/dev/null
click CONFIRM
ok_if "front desk: risk colour red set on the card" desk_until risk red
ok_if "front desk: the station holds the desk's risk change within seconds" \
	until_is "$SDB" "SELECT count(*) FROM risk_changes WHERE arrival_id = 4 AND risk = 'red' AND set_by = 'STAFF01'" 1
ok_if "  pushed by desk-1 once" \
	test "$(sq "SELECT count(*) FROM sync_records WHERE device_id = 'desk-1' AND kind = 'risk_change'")" -eq 1
# The resident of $room leaves: released at the desk, the release reaches the station, which
# publishes the end of the kiosk's check-in; staff clean the room and set it free.
click ACT 6
wait_state CONFIRM >/dev/null
click CONFIRM
ok_if "front desk: the resident of $room is released" desk_until status released
ok_if "  the station ends the check-in the entrance kiosk made" \
	until_is "$SDB" "SELECT outcome FROM checkins WHERE arrival_id = 4" released
# published when a device next pulls (the station copies its tables at most once a second)
ok_if "  and publishes which check-in ended, in which room" \
	until_is "$SDB" "SELECT count(*) FROM sync_changes c JOIN checkins k ON c.key = k.device_id || '/' || k.device_seq WHERE c.kind = 'checkin_end' AND k.arrival_id = 4 AND k.device_id = 'kiosk-1' AND json_extract(c.body, '$.room') = '$room' AND json_extract(c.body, '$.outcome') = 'released'" 1
ctl rooms state "$room" free >/dev/null
ok_if "front desk: nothing waits in its outbox" until_is "$D/desk.db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL" 0
for _ in 1 2 3; do [ "$(desk_field state)" = HOME ] && break; click BACK; sleep 0.3; done
click OCCUPANCY
wait_state OCCUPANCY >/dev/null
online=$(jq -r '.strings."sync.online"."zh-CN"' assets/strings/ui.json | sed 's/{n}/0/')
ok_if "front desk: the occupancy view says online, nothing waiting ($(desk_field sync))" \
	desk_until sync "$online"
kill -TERM "$PID"
wait "$PID"
ok_if "front desk: station stopped, the occupancy view says offline (in red)" \
	bash -c "$(declare -f desk_field desk_until); KSTATE='$KSTATE' STATE='$STATE' desk_until sync_warn true"
for f in "$D"/desk-screens/*OCCUPANCY*.png; do [ -e "$f" ] && cp "$f" "$D/desk-occupancy.png"; done
kill "$KIOSK"
wait "$KIOSK"
ok_if "SIGTERM stops the synced front desk cleanly" test $? -eq 0
KIOSK=

# The entrance kiosk back: the released person no longer counts in $room there, so when the
# station leases $room to it again it keeps the lease and the next person is put there.
start_station "$PORT" || echo "# stationd did not restart"
ctl demo issue-code --arrival 1 --key "$D/demo-issuer.pem" --out "$D/codes/1.txt" >/dev/null
STATE="$D/state.json"
"$SAN_BIN/kiosk" --config "$D/kiosk.conf" --windowed --size 800x480 --state-file "$STATE" \
	2>>"$D/kiosk.log" &
KIOSK=$!
WIN=$(timeout 20 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
xdotool windowfocus --sync "$WIN" 2>/dev/null
ok_if "entrance: the release ends the check-in in the kiosk's own store" \
	until_is "$KDB" "SELECT count(*) FROM occupancy WHERE room = '$room' AND until IS NULL" 0
ok_if "entrance: $room is leased to the kiosk again, free there, and kept (not given back)" \
	bash -c "$(declare -f until_is); until_is '$KDB' \"SELECT count(*) FROM room_leases l JOIN rooms r ON r.number = l.room WHERE l.room = '$room' AND l.give_back = 0 AND r.state = 'free'\" 1 && sleep 3 &&
	  until_is '$KDB' \"SELECT count(*) FROM room_leases WHERE room = '$room' AND give_back = 0\" 1 1"
ok_if "entrance: the next person checks in" checkin_person 1
click DISMISS
ok_if "  into $room, freed by the release" test "$(kq "SELECT room FROM checkins WHERE arrival_id = 1")" = "$room"
ok_if "  the station holds that check-in in $room, no conflict" \
	bash -c "$(declare -f until_is); until_is '$SDB' \"SELECT room FROM checkins WHERE arrival_id = 1 AND state = 'active'\" '$room' &&
	  [ \"\$(sqlite3 '$SDB' 'SELECT count(*) FROM conflicts')\" = 0 ]"
kill "$KIOSK"
wait "$KIOSK"
KIOSK=
ok_if "the desk's log holds no name and no document number" \
	no_personal_data "$D/desk.log"
ok_if "the kiosk's log holds no name and no document number" \
	no_personal_data "$D/kiosk.log"
art="$BUILD/test-artifacts/kiosk-sync"
rm -rf "$art" && mkdir -p "$art" && cp -r "$D/screens" "$D/desk-screens" "$D"/*.png "$D/kiosk.log" "$LOG" "$art/" 2>/dev/null
finish
