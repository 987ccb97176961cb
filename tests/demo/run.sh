#!/bin/bash
# make run: a demo station in var/demo/: a store with rooms, a manifest of sample arrivals
# (a family with a child, an elderly person, a foreign traveller, a close contact with a red
# code, an expired code, a walk-in), the demo health-code issuer, QR codes of everyone,
# wristbands printed to PNG files. With a display the kiosk opens in a window for you to
# use (scan with a USB scanner box, or show var/demo/codes/*.png to the camera folder).
# Without one (HK_HEADLESS=1, or no $DISPLAY) the real kiosk runs under Xvfb through a
# scripted batch of arrivals driven through its real input paths, and writes screenshots of
# every screen (var/demo/screens/), the wristbands as printed (var/demo/prints/) and a
# summary (var/demo/summary.txt) with the time each arrival spent at the kiosk.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${HK_BIN:-$BUILD/bin} # the tests run the sanitizer build's programs
D=${HK_DEMO_DIR:-var/demo}
SIZE=${HK_DEMO_SIZE:-800x480}
SCREEN_W=${SIZE%x*}
SCREEN_H=${SIZE#*x}
export SCREEN_W SCREEN_H
ctl() { "$BIN/stationctl" --db "$D/station.db" "$@"; }
PIN=2468

setup_station() {
	rm -rf "$D"
	mkdir -p "$D/screens" "$D/prints" "$D/codes" "$D/camera"
	ctl init --station SZ01 --device entrance-1 >/dev/null
	ctl rooms add 1201-1220 --floor 12 --capacity 2 >/dev/null
	ctl rooms add 1301-1306 --floor 13 --capacity 1 >/dev/null
	ctl band-key init "$D/band.key" >/dev/null
	ctl demo init --key "$D/demo-issuer.pem" >/dev/null
	sed "s/@TODAY@/$(date +%F)/" tests/demo/manifest.csv.in >"$D/manifest.csv"
	ctl import-manifest "$D/manifest.csv" >/dev/null
	printf '%s\n' "$PIN" | ctl badges add STAFF01 --role staff >/dev/null
	local id
	for id in 1 2 3 4 5 7; do
		ctl demo issue-code --arrival "$id" --key "$D/demo-issuer.pem" \
			--out "$D/codes/$id.txt" --png "$D/codes/$id.png" >/dev/null
	done
	ctl demo issue-code --arrival 6 --colour red --key "$D/demo-issuer.pem" \
		--out "$D/codes/6.txt" --png "$D/codes/6.png" >/dev/null
	ctl demo issue-code --arrival 7 --expired --key "$D/demo-issuer.pem" \
		--out "$D/codes/7-expired.txt" --png "$D/codes/7-expired.png" >/dev/null
	ctl demo issue-code --doc-type passport --doc-number E99887766 --name 赵六 \
		--key "$D/demo-issuer.pem" --out "$D/codes/walk-in.txt" \
		--png "$D/codes/walk-in.png" >/dev/null
	cat >"$D/kiosk.conf" <<EOF
# The demo station's entrance kiosk (tests/demo/run.sh writes this file).
[device]
role = entrance
station = SZ01
[store]
path = $D/station.db
[scanner]
spec = wedge
# xdotool under a loaded X server is less regular than a scanner box
max_gap_ms = 400
[camera]
spec = files:$D/camera
[printer]
spec = png:$D/prints
[keys]
band_key = $D/band.key
[healthcode]
demo = yes
[ui]
language = zh
fullscreen = no
assets = assets
idle_timeout_s = 60
briefing_min_read_s = 3
[flow]
# red codes: the station's policy decides (close contacts go to the designated floor)
red = allow
done_s = 8
refusal_s = 8
[rooms]
designated_floors = 13
EOF
}

# One arrival at the kiosk: prints "NAME OUTCOME ROOM SECONDS".
visit() {
	local who=$1 t0 t1 st room=""
	shift
	t0=$(date +%s%N)
	wait_state ATTRACT >/dev/null
	"$@"
	st=$(wait_state DONE REFUSED APPROVAL FAULT)
	if [[ $st == DONE ]]; then
		room=$(sqlite3 "$D/station.db" "SELECT room FROM checkins ORDER BY id DESC LIMIT 1")
	fi
	t1=$(date +%s%N)
	printf '%-28s %-9s %-6s %5.1f s\n' "$who" "$st" "${room:--}" "$(((t1 - t0) / 1000000))e-3"
	case $st in
	DONE | REFUSED) click DISMISS 2>/dev/null || true ;;
	esac
}

family() {
	scan_from_attract "$(cat "$D/codes/1.txt")"
	wait_state IDENTITY >/dev/null
	click THIS_IS_ME
	finish_checkin "$D/codes/2.txt" "$D/codes/3.txt"
}
elderly_by_camera() {
	scan_camera "$D/codes/4.png"
	wait_state IDENTITY >/dev/null
	click THIS_IS_ME
	finish_checkin
}
traveller_in_english() {
	click LANGUAGE
	scan_from_attract "$(cat "$D/codes/5.txt")"
	wait_state IDENTITY >/dev/null
	click THIS_IS_ME
	finish_checkin
}
red_code() {
	scan_from_attract "$(cat "$D/codes/6.txt")"
	wait_state IDENTITY >/dev/null
	click THIS_IS_ME
	finish_checkin
}
expired_code() { scan_from_attract "$(cat "$D/codes/7-expired.txt")"; }
walk_in() {
	scan_from_attract "$(cat "$D/codes/walk-in.txt")"
	wait_state APPROVAL >/dev/null
	staff_approve STAFF01 "$PIN"
	wait_state IDENTITY >/dev/null
	click THIS_IS_ME
	finish_checkin
}
second_scan() { scan_from_attract "$(cat "$D/codes/1.txt")"; }
renewed_code() {
	scan_from_attract "$(cat "$D/codes/7.txt")"
	wait_state IDENTITY >/dev/null
	click THIS_IS_ME
	finish_checkin
}

start_kiosk() {
	STATE="$D/kiosk-state.json"
	"$BIN/kiosk" --config "$D/kiosk.conf" --windowed --size "$SIZE" \
		--screenshots "$D/screens" --state-file "$STATE" 2>"$D/kiosk.log" &
	KIOSK_PID=$!
	WIN=$(timeout 20 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
	xdotool windowfocus --sync "$WIN"
	export STATE WIN
}

setup_station
echo "demo station ready in $D (rooms, manifest, codes in $D/codes/)"
if [[ -n ${DISPLAY:-} && -z ${HK_HEADLESS:-} ]]; then
	echo "starting the kiosk in a window: scan $D/codes/*.txt with a scanner box, or copy"
	echo "$D/codes/*.png into $D/camera/; staff badge HKSTAFF1:STAFF01, PIN $PIN"
	exec "$BIN/kiosk" --config "$D/kiosk.conf" --windowed --size "$SIZE"
fi

# Headless: our own X server, the real kiosk, a scripted bus batch.
n=90
while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
stop_all() {
	local rc=$?
	kill "${KIOSK_PID:-}" "$XVFB_PID" 2>/dev/null
	wait 2>/dev/null
	exit "$rc"
}
trap stop_all EXIT
trap "exit 143" TERM INT # so that a timeout still stops the kiosk and Xvfb
export DISPLAY=":$n"
for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X$n ]] && break; sleep 0.05; done
KSTATE="$BUILD/tools/kstate"
CAMDIR="$D/camera"
CAM_N=0
export KSTATE CAMDIR
# shellcheck source=tests/demo/drive.sh
. tests/demo/drive.sh
start_kiosk

{
	echo "healthkiosk demo batch, $(date -u +%FT%TZ), screen $SIZE"
	printf '%-28s %-9s %-6s %s\n' "arrival" "screen" "room" "time at the kiosk"
	visit "family of three (child)" family
	visit "elderly, by camera" elderly_by_camera
	visit "foreign traveller (English)" traveller_in_english
	visit "close contact, red code" red_code
	visit "expired health code" expired_code
	visit "walk-in, staff approves" walk_in
	visit "family father scans again" second_scan
	visit "renewed code after refusal" renewed_code
	echo
	echo "check-ins in the store:"
	sqlite3 -header -column "$D/station.db" \
		"SELECT c.room, c.risk, c.planned_release, c.briefing_lang AS lang,
		        c.total_ms / 1000.0 AS kiosk_s, w.serial AS band
		   FROM checkins c JOIN wristbands w ON w.arrival_id = c.arrival_id
		  ORDER BY c.id"
	echo
	echo "wristbands printed: $(find "$D/prints" -name '*.png' | wc -l) (in $D/prints/)"
	echo "screens captured:   $(find "$D/screens" -name '*.png' | wc -l) (in $D/screens/)"
} | tee "$D/summary.txt"
for f in "$D"/prints/*.png; do
	[[ -e $f ]] || continue
	case $f in */wristband-*) ;; *) mv "$f" "$D/prints/wristband-$(basename "$f")" ;; esac
done
kill "$KIOSK_PID"
wait "$KIOSK_PID" 2>/dev/null || true
echo "summary: $D/summary.txt"
