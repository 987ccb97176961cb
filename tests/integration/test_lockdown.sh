#!/bin/bash
# The kiosk cannot be left from its keyboard: the real (sanitized) kiosk fullscreen under
# Xvfb, as on the appliance (no --windowed), gets the key combinations a resident with a
# USB keyboard would try, typed through XTEST as a real keyboard's keys arrive; it must
# still be running and drawing afterwards, and stop cleanly only on SIGTERM. (A window
# manager's close, SDL_WINDOWEVENT_CLOSE, is refused too: test_ui.c: test_lockdown.)
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
ctl() { "$BUILD/bin/stationctl" --db "$TMP/k.db" "$@"; }
ctl init --station SZ01 --device entrance-1 >/dev/null
ctl band-key init "$TMP/band.key" >/dev/null
cat >"$TMP/kiosk.conf" <<EOF
[device]
role = entrance
station = SZ01
[store]
path = $TMP/k.db
[scanner]
spec = wedge
[printer]
spec = png:$TMP/prints
[keys]
band_key = $TMP/band.key
[ui]
assets = assets
fullscreen = yes
EOF
mkdir -p "$TMP/prints"
n=190
while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 800x480x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=":$n"
for _ in $(seq 100); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.05; done
"$SAN_BIN/kiosk" --config "$TMP/kiosk.conf" --state-file "$TMP/state.json" 2>"$TMP/kiosk.log" &
KIOSK_PID=$!
WIN=$(timeout 30 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
ok_if "the kiosk opens fullscreen" test -n "$WIN"
xdotool windowfocus --sync "$WIN" 2>/dev/null
for _ in $(seq 100); do [ -s "$TMP/state.json" ] && break; sleep 0.05; done
for combo in Escape alt+F4 ctrl+q ctrl+w super+q ctrl+alt+BackSpace ctrl+alt+Delete \
	ctrl+alt+F1 ctrl+alt+F2 alt+Tab super+d ctrl+c ctrl+z ctrl+backslash; do
	xdotool key --clearmodifiers "$combo" 2>/dev/null
	sleep 0.2
done
sleep 1
ok_if "after Esc, Alt+F4, Ctrl+Q/W, Super+Q, Ctrl+Alt+Del/Backspace/Fn, Alt+Tab, Ctrl+C/Z/\\ it still runs" \
	kill -0 "$KIOSK_PID"
ok_if "and still shows its screen" test "$("$BUILD/tools/kstate" "$TMP/state.json" state)" = ATTRACT
kill "$KIOSK_PID"
wait "$KIOSK_PID"
ok_if "SIGTERM stops it cleanly" test $? -eq 0
kill "$XVFB_PID" 2>/dev/null
finish
