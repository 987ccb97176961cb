#!/bin/bash
# The entrance kiosk's staff PIN lockout survives a restart: the real (sanitized) kiosk under
# Xvfb, a staff badge scanned over a refusal and wrong PINs typed on the screen keypad until
# the lockout starts; the kiosk is killed (SIGKILL, as pulling the plug) and started again,
# and a badge still opens no keypad, so not even the correct PIN can be typed, until the
# lockout is over. A lockout saved far in the future (the wall clock set back while the
# kiosk was off) lasts one lockout from the start, no longer (docs/security.md).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
. tests/lib/station.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
F="$TMP"
DB="$F/kiosk.db"
LOCK_S=15
q() { sqlite3 "$DB" "$1"; }
ctl() { "$BUILD/bin/stationctl" --db "$DB" "$@"; }
ctl init --station SZ01 --device entrance-1 >/dev/null
ctl band-key init "$F/band.key" >/dev/null
ctl demo init --key "$F/issuer.pem" >/dev/null
printf '864213\n' | ctl badges add STAFF01 --role staff >/dev/null
mkdir -p "$F/prints" "$F/logs"
entrance_conf "$F/kiosk.conf" "$DB" "png:$F/prints" "$F/band.key" en <<EOF
[flow]
refusal_s = 300
pin_lockout_s = $LOCK_S
EOF

xvfb_start 1024x768x24 || echo "# Xvfb did not start"
KSTATE="$BUILD/tools/kstate"
STATE="$F/state.json"
SCREEN_W=800
SCREEN_H=480
WAIT_S=30
export KSTATE STATE SCREEN_W SCREEN_H
. tests/demo/drive.sh
KIOSK_PID=
trap '[ -n "$KIOSK_PID" ] && kill $KIOSK_PID 2>/dev/null && wait $KIOSK_PID 2>/dev/null; xvfb_stop; rm -rf "$TMP"' EXIT

start_kiosk() { # NAME: its log in $F/logs/NAME.log; waits for the attract screen
	rm -f "$STATE"
	"$SAN_BIN/kiosk" --config "$F/kiosk.conf" --windowed --size 800x480 \
		--state-file "$STATE" 2>"$F/logs/$1.log" &
	KIOSK_PID=$!
	WIN=$(timeout 30 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
	[ -n "$WIN" ] && xdotool windowfocus --sync "$WIN"
	export WIN
	wait_state ATTRACT >/dev/null
}
audits() { q "SELECT count(*) FROM audit_log WHERE action = '$1'"; }
wait_audits() { # ACTION N: until the audit log holds N of ACTION
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(audits "$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}
# a visit to decide about: staff badges do nothing on the attract screen
refused_visit() {
	scan_wedge "NOT-A-HEALTH-CODE"
	wait_state REFUSED >/dev/null
}
badge() { scan_wedge "HKSTAFF1:STAFF01"; }
type_pin() {
	local d
	for ((d = 0; d < ${#1}; d++)); do
		click PIN_DIGIT "${1:d:1}" || return 1
	done
	click PIN_ENTER
}
# a badge scanned during a lockout: refused unchecked (audited), no keypad
badge_refused() {
	local before
	before=$(audits AUDIT_STAFF_LOCKED_ATTEMPT)
	badge
	wait_audits AUDIT_STAFF_LOCKED_ATTEMPT $((before + 1)) && sleep 0.3 &&
		[ "$("$KSTATE" "$STATE" state)" = REFUSED ]
}
now_ms() { date +%s%3N; }

# ---- three wrong PINs lock staff sign-in; the kiosk killed during the lockout ----
start_kiosk first
refused_visit
badge
wait_state REFUSED/PIN >/dev/null
for i in 1 2 3; do
	type_pin 915731
	wait_audits AUDIT_STAFF_PIN_BAD "$i" || break
done
wait_state REFUSED >/dev/null
locked_at=$(now_ms)
row=$(q "SELECT bad || ' ' || locked_until_ms FROM pin_lockout WHERE scope = 'entrance'")
echo "# after three bad PINs: screen $("$KSTATE" "$STATE" state), stored lockout (bad, until) $row, now $locked_at"
ok_if "three bad PINs close the keypad and lock sign-in (audited)" \
	test "$(audits AUDIT_STAFF_PIN_BAD)" -eq 3 -a "$(audits AUDIT_STAFF_LOCKED_OUT)" -eq 1
ok_if "the lockout is in the store on the wall clock, about $LOCK_S s ahead" \
	test "${row%% *}" = 0 -a "${row##* }" -gt "$locked_at" -a "${row##* }" -le $((locked_at + LOCK_S * 1000))
kill -KILL "$KIOSK_PID"
wait "$KIOSK_PID" 2>/dev/null

start_kiosk restarted
ok_if "after the restart the kiosk says sign-in is still locked" \
	grep -q "staff sign-in still locked for [0-9]* s" "$F/logs/restarted.log"
refused_visit
ok_if "after the restart a staff badge is refused unchecked: no keypad for any PIN (audited)" badge_refused
ok_if "nobody signed in" test "$(audits AUDIT_STAFF_LOGIN)" -eq 0
wait_ms=$((locked_at + LOCK_S * 1000 + 500 - $(now_ms)))
echo "# waiting ${wait_ms} ms for the lockout to end"
[ "$wait_ms" -gt 0 ] && sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
signs_in() {
	badge
	wait_state REFUSED/PIN >/dev/null || return 1
	type_pin 864213
	wait_state REFUSED/STAFF >/dev/null && wait_audits AUDIT_STAFF_LOGIN "$1"
}
ok_if "once the lockout is over the correct PIN signs in" signs_in 1
click STAFF_RESUME
kill "$KIOSK_PID"
wait "$KIOSK_PID"
ok_if "after the sign-in no bad PIN counts and no lockout holds in the store" \
	test "$(q "SELECT bad = 0 AND locked_until_ms <= $(now_ms) FROM pin_lockout WHERE scope = 'entrance'")" = 1

# ---- a lockout saved 10 days ahead (the clock set back while the kiosk was off) ----
q "UPDATE pin_lockout SET locked_until_ms = $(($(now_ms) + 10 * 86400 * 1000)) WHERE scope = 'entrance'"
started=$(now_ms)
start_kiosk clock
refused_visit
ok_if "clock set back: the saved lockout still holds after the restart" badge_refused
wait_ms=$((started + LOCK_S * 1000 + 500 - $(now_ms)))
[ "$wait_ms" -gt 0 ] && sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
ok_if "clock set back: it lasts one lockout from the start, not 10 days" signs_in 2
kill "$KIOSK_PID"
wait "$KIOSK_PID"
ok_if "the kiosk stops cleanly" test $? -eq 0
KIOSK_PID=
no_pin_logged() { ! grep -q "864213\|915731" "$F"/logs/*.log; }
ok_if "no PIN in the logs" no_pin_logged
finish
