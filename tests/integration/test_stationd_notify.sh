#!/bin/bash
# stationd speaks the systemd notify protocol its unit (Type=notify, WatchdogSec=) expects:
# READY=1 once it listens, WATCHDOG=1 at half the interval, STOPPING=1 on SIGTERM.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
export ASAN_OPTIONS=detect_leaks=0
cat >"$TMP/stationd.conf" <<CONF
[http]
listen = 127.0.0.1:0
[store]
path = $TMP/station.db
CONF
"$BUILD/san/tools/notify_listen" "$TMP/notify" 6 >"$TMP/messages" &
listener=$!
for _ in $(seq 50); do [ -S "$TMP/notify" ] && break; sleep 0.05; done
NOTIFY_SOCKET="$TMP/notify" WATCHDOG_USEC=1000000 "$SAN_BIN/stationd" --config "$TMP/stationd.conf" 2>"$TMP/log" &
pid=$!
sleep 3
kill -TERM "$pid"
wait "$pid"
rc=$?
wait "$listener"
ok_if "stationd stops cleanly on SIGTERM" test "$rc" -eq 0
ok_if "READY=1 once listening" grep -qx 'READY=1' "$TMP/messages"
ok_if "WATCHDOG=1 heartbeats (about two a second)" test "$(grep -cx 'WATCHDOG=1' "$TMP/messages")" -ge 3
ok_if "STOPPING=1 on the way out" grep -qx 'STOPPING=1' "$TMP/messages"
ok_if "READY comes before the first heartbeat" test "$(head -n 1 "$TMP/messages")" = READY=1
finish
