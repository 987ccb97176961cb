#!/bin/bash
# tests/integration/test_sync.sh: the real stationd and device clients on 127.0.0.1:
# authentication and roles, malformed and oversized bodies, exactly-once pushes (repeated,
# reordered, server killed mid-batch), a client that waits for a server that is down,
# conflicts, room leases, clean shutdown, integrity. Uses $BUILD/san/{bin,tools}.
# shellcheck source=tests/integration/tap.sh disable=SC1091
. "$(dirname "$0")/tap.sh"
SAN_TOOLS="$BUILD/san/tools"
ADMIN="$SAN_TOOLS/sync_admin"
DEVICE="$SAN_TOOLS/sync_device"
DB="$TMP/station.db"
LOG="$TMP/stationd.log"
PID=
PORT=

cat >"$TMP/stationd.ini" <<EOF
[http]
listen = 127.0.0.1:0
max_body = 1048576
[store]
path = $DB
[station]
id = test-station
[sync]
lease_ttl = 3600
EOF

# Start stationd; PORT from its "listening on" line (the config asks for port 0), or the
# previous port when $1 is given (a restart must keep the address the devices know).
start_station() {
	local listen=${1:-0}
	sed -i "s/^listen = .*/listen = 127.0.0.1:$listen/" "$TMP/stationd.ini"
	: >"$LOG.new"
	"$SAN_BIN/stationd" --config "$TMP/stationd.ini" 2>>"$LOG.new" &
	PID=$!
	for _ in $(seq 100); do
		PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$LOG.new" | head -1)
		[ -n "$PORT" ] && break
		sleep 0.05
	done
	cat "$LOG.new" >>"$LOG"
	[ -n "$PORT" ]
}
stop_station() {
	kill -TERM "$PID" 2>/dev/null
	wait "$PID"
}
url() { echo "http://127.0.0.1:$PORT$1"; }

# code METHOD PATH TOKEN [BODY-FILE]: prints the HTTP status
code() {
	local args=(-s -o "$TMP/reply" -w '%{http_code}' -X "$1")
	[ -n "$3" ] && args+=(-H "Authorization: Bearer $3")
	[ -n "${4:-}" ] && args+=(--data-binary "@$4" -H 'Content-Type: application/json')
	curl "${args[@]}" "$(url "$2")"
}
counts() { "$ADMIN" "$DB" counts; }
records() { counts | sed -n 's/^records=\([0-9]*\).*/\1/p'; }
body() { printf '%s' "$2" >"$TMP/$1.json"; }

start_station || { echo "Bail out! stationd did not start"; cat "$LOG"; exit 1; }
CTL="$SAN_BIN/stationctl --db $DB"
K1=$($CTL devices add kiosk-1 --role entrance)
K2=$("$ADMIN" "$DB" device-add kiosk-2 entrance)
SEC=$($CTL devices add post-1 --role security)
OLD=$($CTL devices add kiosk-old --role entrance)
$CTL devices revoke kiosk-old
"$ADMIN" "$DB" rooms-add 1201 1205 2

ok_if "health answers without a credential" \
	bash -c "[ \"\$(curl -s $(url /v1/health))\" = '{\"v\":1,\"status\":\"ok\",\"station\":\"test-station\"}' ]"
ok_if "stationctl devices: a taken id, a bad role and a bad id are refused; list shows roles" \
	bash -c "! $CTL devices add kiosk-1 --role entrance 2>/dev/null && ! $CTL devices add k9 --role station 2>/dev/null && ! $CTL devices add 'a b' --role entrance 2>/dev/null && $CTL devices list | grep -qE '^kiosk-old +entrance +revoked' && $CTL devices list | grep -qE '^post-1 +security +active'"
ok_if "the credential is DEVICEID.SECRET, and only a hash is stored" \
	bash -c "[[ '$K1' =~ ^kiosk-1\.[0-9a-f]{64}$ ]] && ! sqlite3 '$DB' 'SELECT credential_hash FROM devices' | grep -q '${K1#kiosk-1.}' && sqlite3 '$DB' \"SELECT credential_hash FROM devices WHERE id = 'kiosk-1'\" | grep -qE '^sha256:[0-9a-f]{64}$'"

body rec1 '{"v":1,"device":"kiosk-1","records":[{"seq":1,"kind":"scan","at":1795000000,"body":{"n":1}}]}'
FORGED="kiosk-1.$(printf '%064d' 0)"
ok_if "no credential: 401" [ "$(code POST /v1/push '' "$TMP/rec1.json")" = 401 ]
ok_if "forged secret: 401" [ "$(code POST /v1/push "$FORGED" "$TMP/rec1.json")" = 401 ]
ok_if "unknown device: 401" [ "$(code POST /v1/push "nobody.${K1#kiosk-1.}" "$TMP/rec1.json")" = 401 ]
body old1 '{"v":1,"device":"kiosk-old","records":[{"seq":1,"kind":"scan","at":1,"body":{}}]}'
ok_if "revoked device: 401" [ "$(code POST /v1/push "$OLD" "$TMP/old1.json")" = 401 ]
ok_if "pull without credential: 401" [ "$(code GET '/v1/pull?since=0' '')" = 401 ]
body sec1 '{"v":1,"device":"post-1","records":[{"seq":1,"kind":"scan","at":1,"body":{}},{"seq":2,"kind":"checkin","at":1,"body":{"arrival_id":1,"room":"1201"}}]}'
ok_if "a security post may not assign rooms: 403" [ "$(code POST /v1/push "$SEC" "$TMP/sec1.json")" = 403 ]
body lease0 '{"v":1,"want":2}'
ok_if "a security post may not hold leases: 403" [ "$(code POST /v1/leases "$SEC" "$TMP/lease0.json")" = 403 ]
ok_if "a device may not push another device's records: 403" [ "$(code POST /v1/push "$K2" "$TMP/rec1.json")" = 403 ]
ok_if "nothing was written by refused requests" [ "$(records)" = 0 ]

bad=0
for b in '' 'not json' '[]' '{"v":1}' '{"v":2,"device":"kiosk-1","records":[{"seq":1,"kind":"scan","at":1,"body":{}}]}' \
	'{"v":1,"device":"kiosk-1","records":[{"seq":0,"kind":"scan","at":1,"body":{}}]}' \
	'{"v":1,"device":"kiosk-1","records":[{"seq":1,"kind":"scan","at":1,"body":"x"}]}' \
	'{"v":1,"device":"kiosk-1","records":[{"seq":1,"kind":"checkin","at":1,"body":{"room":"1201"}}]}' \
	'{"v":1,"device":"kiosk-1","records":[{"seq":1,"kind":"scan","at":1,"body":{}}],"x":1}'; do
	body bad "$b"
	[ "$(code POST /v1/push "$K1" "$TMP/bad.json")" = 400 ] || bad=$((bad + 1))
done
ok_if "malformed pushes: 400 each" [ "$bad" = 0 ]
ok_if "malformed pull query: 400" [ "$(code GET '/v1/pull?since=-1' "$K1")" = 400 ]
ok_if "malformed bodies are logged with the device" grep -q 'push from kiosk-1: 400' "$LOG.new"
ok_if "nothing was written by malformed requests" [ "$(records)" = 0 ]
head -c 2000000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
ok_if "a body over the limit: 413" [ "$(code POST /v1/push "$K1" "$TMP/big.json")" = 413 ]
ok_if "unknown path 404, wrong method 405" \
	bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $(url /v1/nothing))\" = 404 ] && [ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST $(url /v1/health))\" = 405 ]"

# Exactly once: a batch, the same batch again, the same records reordered with a new one.
body b1 '{"v":1,"device":"kiosk-1","records":[{"seq":1,"kind":"scan","at":1,"body":{"n":1}},{"seq":2,"kind":"scan","at":1,"body":{"n":2}},{"seq":3,"kind":"scan","at":1,"body":{"n":3}}]}'
body b2 '{"v":1,"device":"kiosk-1","records":[{"seq":5,"kind":"scan","at":1,"body":{"n":5}},{"seq":3,"kind":"scan","at":1,"body":{"n":"changed"}},{"seq":1,"kind":"scan","at":1,"body":{"n":1}}]}'
ok_if "a batch is stored" bash -c "[ \"\$(curl -s -H 'Authorization: Bearer $K1' --data-binary @$TMP/b1.json $(url /v1/push))\" = '{\"v\":1,\"results\":[{\"seq\":1,\"status\":\"stored\"},{\"seq\":2,\"status\":\"stored\"},{\"seq\":3,\"status\":\"stored\"}],\"held_through\":3}' ]"
ok_if "the same batch again changes nothing" bash -c "curl -s -H 'Authorization: Bearer $K1' --data-binary @$TMP/b1.json $(url /v1/push) | grep -q '\"seq\":3,\"status\":\"duplicate\"' && [ \"\$('$ADMIN' '$DB' counts | cut -d' ' -f1)\" = records=3 ]"
ok_if "a reordered batch keeps the held records and adds only the new one" \
	bash -c "curl -s -H 'Authorization: Bearer $K1' --data-binary @$TMP/b2.json $(url /v1/push) | grep -q '\"held_through\":3' && [ \"\$(sqlite3 '$DB' \"SELECT group_concat(device_seq || ':' || body, ' ') FROM (SELECT * FROM sync_records WHERE device_id = 'kiosk-1' ORDER BY device_seq)\")\" = '1:{\"n\":1} 2:{\"n\":2} 3:{\"n\":3} 5:{\"n\":5}' ]"

# Conflicts: the same person at two kiosks; more people than a room holds.
body c1 '{"v":1,"device":"kiosk-1","records":[{"seq":6,"kind":"checkin","at":1,"body":{"arrival_id":100,"room":"1201"}},{"seq":7,"kind":"checkin","at":1,"body":{"arrival_id":101,"room":"1201"}},{"seq":8,"kind":"checkin","at":1,"body":{"arrival_id":102,"room":"1201"}}]}'
body c2 '{"v":1,"device":"kiosk-2","records":[{"seq":1,"kind":"checkin","at":1,"body":{"arrival_id":100,"room":"1202"}}]}'
ok_if "a third person into a room for two is a conflict" bash -c "curl -s -H 'Authorization: Bearer $K1' --data-binary @$TMP/c1.json $(url /v1/push) | grep -q '\"seq\":8,\"status\":\"conflict\"'"
ok_if "the same person checked in at a second kiosk is a conflict" bash -c "curl -s -H 'Authorization: Bearer $K2' --data-binary @$TMP/c2.json $(url /v1/push) | grep -q '\"seq\":1,\"status\":\"conflict\"'"
ok_if "conflicts are published for the front desk with the winner" \
	bash -c "curl -s -H 'Authorization: Bearer $SEC' '$(url '/v1/pull?since=0&limit=1000')' | grep -q '\"kind\":\"conflict\",\"key\":\"kiosk-2/1\",\"body\":{\"reason\":\"E_ALREADY_CHECKED_IN\",\"kind\":\"checkin\",\"record_key\":\"kiosk-2/1\",\"record\":{\"arrival_id\":100,\"room\":\"1202\"},\"winner\":\"kiosk-1/6\"}'"
ok_if "no room holds more people than its capacity" [ "$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT room, count(*) n FROM sync_records WHERE kind = 'checkin' AND status = 'stored' GROUP BY room) o JOIN rooms r ON r.number = o.room WHERE o.n > r.capacity")" = 0 ]

# Leases: two kiosks never hold the same room; returns and renewals.
body l3 '{"v":1,"want":3}'
curl -s -H "Authorization: Bearer $K1" --data-binary @"$TMP/l3.json" "$(url /v1/leases)" >"$TMP/lease1"
curl -s -H "Authorization: Bearer $K2" --data-binary @"$TMP/l3.json" "$(url /v1/leases)" >"$TMP/lease2"
ok_if "leases: kiosk-1 gets 3 free rooms, kiosk-2 the one left (1201 is full)" \
	bash -c "grep -o '\"room\":\"[0-9]*\"' $TMP/lease1 | wc -l | grep -qx 3 && grep -o '\"room\":\"[0-9]*\"' $TMP/lease2 | wc -l | grep -qx 1 && ! grep -q 1201 $TMP/lease1 $TMP/lease2"
ok_if "leases: no room leased twice" [ "$(cat "$TMP/lease1" "$TMP/lease2" | grep -o '"room":"[0-9]*"' | sort | uniq -d | wc -l)" = 0 ]
ret=$(grep -o '"room":"[0-9]*"' "$TMP/lease1" | head -1 | cut -d'"' -f4)
body lr "{\"v\":1,\"want\":0,\"return\":[\"$ret\"]}"
ok_if "a returned room can be leased by the other kiosk" \
	bash -c "curl -s -H 'Authorization: Bearer $K1' --data-binary @$TMP/lr.json $(url /v1/leases) | grep -q '\"leases\":\\[{' && curl -s -H 'Authorization: Bearer $K2' --data-binary @$TMP/l3.json $(url /v1/leases) | grep -q '\"room\":\"$ret\"'"

# Two entrance kiosks lease rooms, go offline, check in 50 people each into their leased
# rooms, reconnect: no conflicts, and no room holds more people than its capacity.
"$ADMIN" "$DB" rooms-add 2001 2050 2
KA=$("$ADMIN" "$DB" device-add kiosk-a entrance)
KB=$("$ADMIN" "$DB" device-add kiosk-b entrance)
body l25 '{"v":1,"want":25}'
offline_checkins() { # KIOSK TOKEN FIRST-ARRIVAL: lease 25 rooms, fill each with 2 people
	curl -s -H "Authorization: Bearer $2" --data-binary @"$TMP/l25.json" "$(url /v1/leases)" |
		grep -o '"room":"[0-9]*"' | cut -d'"' -f4 >"$TMP/$1.rooms"
	local a=$3
	while read -r room; do
		echo "$a $room"
		echo "$((a + 1)) $room"
		a=$((a + 2))
	done <"$TMP/$1.rooms" >"$TMP/$1.people"
	"$DEVICE" "$TMP/$1.db" "$1" checkins "$TMP/$1.people"
}
offline_checkins kiosk-a "$KA" 5000
offline_checkins kiosk-b "$KB" 6000
ok_if "two kiosks leased 25 rooms each, none twice" \
	bash -c "[ \$(cat $TMP/kiosk-a.rooms $TMP/kiosk-b.rooms | sort -u | wc -l) = 50 ] && [ \$('$DEVICE' '$TMP/kiosk-a.db' kiosk-a pending) = 50 ] && [ \$('$DEVICE' '$TMP/kiosk-b.db' kiosk-b pending) = 50 ]"
"$DEVICE" "$TMP/kiosk-a.db" kiosk-a round "$(url '')" "$KA" >/dev/null &
"$DEVICE" "$TMP/kiosk-b.db" kiosk-b round "$(url '')" "$KB" >/dev/null
wait $!
ok_if "after reconnecting: 100 check-ins stored, no conflict, no room over capacity" \
	bash -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*), sum(status = 'conflict') FROM sync_records WHERE device_id IN ('kiosk-a', 'kiosk-b')\")\" = '100|0' ] && [ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM (SELECT room, count(*) n FROM sync_records WHERE kind = 'checkin' AND status = 'stored' GROUP BY room) o JOIN rooms r ON r.number = o.room WHERE o.n > r.capacity\")\" = 0 ]"

# Devices with the real client: records kept while the station is down, delivered later.
stop_station
DOWN_PORT=$PORT
"$DEVICE" "$TMP/k3.db" kiosk-3 add 300 >/dev/null
K3=$("$ADMIN" "$DB" device-add kiosk-3 entrance)
"$DEVICE" "$TMP/k3.db" kiosk-3 sync "http://127.0.0.1:$DOWN_PORT" "$K3" 30 50 >"$TMP/k3.out" &
CLIENT=$!
sleep 1.5
ok_if "with the station down the device keeps every record" [ "$("$DEVICE" "$TMP/k3.db" kiosk-3 pending)" = 300 ]
start_station "$DOWN_PORT"
wait "$CLIENT"
ok_if "when the station comes up they are delivered" bash -c "grep -q '^waiting=0 delivered=300' $TMP/k3.out && [ \"\$('$ADMIN' '$DB' held kiosk-3)\" = 'records=300 held_through=300' ]"
ok_if "the device pulled the station's changes" bash -c "'$DEVICE' '$TMP/k3.db' kiosk-3 replica room 1203 | grep -q capacity"
ok_if "a manifest imported by stationctl reaches the device's replica" \
	bash -c "$CTL import-manifest tests/fixtures/manifest-sample.csv >/dev/null && sleep 1.1 && '$DEVICE' '$TMP/k3.db' kiosk-3 round '$(url '')' '$K3' >/dev/null && '$DEVICE' '$TMP/k3.db' kiosk-3 replica arrival 1 | grep -q '\"doc_type\":\"id_card\"'"

# A device whose store is recreated (a corrupt store moved aside, a reinstall with the same
# credential) numbers from 1 again: the station answers `reused` for seqs it holds with
# other bodies, the device renumbers after them; the new records are not lost as duplicates.
K9=$("$ADMIN" "$DB" device-add kiosk-9 security)
"$DEVICE" "$TMP/k9.db" kiosk-9 add 30 scan 0 >/dev/null
"$DEVICE" "$TMP/k9.db" kiosk-9 round "$(url '')" "$K9" >"$TMP/k9.out" 2>&1
rm -f "$TMP/k9.db" "$TMP/k9.db-wal" "$TMP/k9.db-shm"
"$DEVICE" "$TMP/k9.db" kiosk-9 add 20 scan 30 >/dev/null
"$DEVICE" "$TMP/k9.db" kiosk-9 round "$(url '')" "$K9" >>"$TMP/k9.out" 2>&1
"$DEVICE" "$TMP/k9.db" kiosk-9 add 1 scan 50 >/dev/null
"$DEVICE" "$TMP/k9.db" kiosk-9 round "$(url '')" "$K9" >>"$TMP/k9.out" 2>&1
ok_if "a recreated device store: every record held exactly once, none lost" \
	bash -c "[ \"\$('$ADMIN' '$DB' held kiosk-9)\" = 'records=51 held_through=51' ] && [ \"\$(sqlite3 '$DB' \"SELECT count(DISTINCT json_extract(body, '\$.n')), min(json_extract(body, '\$.n')), max(json_extract(body, '\$.n')) FROM sync_records WHERE device_id = 'kiosk-9'\")\" = '51|0|50' ] && [ \"\$('$DEVICE' '$TMP/k9.db' kiosk-9 pending)\" = 0 ]"
ok_if "the station logged the reused seqs, the device its renumbering" \
	bash -c "grep -q 'kiosk-9 sent other records under 20 held seqs (1..20;' '$LOG.new' && grep -q 'renumbered from seq 31' '$TMP/k9.out'"

# Pushed records reach the store's own tables: two kiosks check in with full bodies (as their
# outboxes write them), the same person at both; one kiosk reprints a band it issued.
"$ADMIN" "$DB" rooms-add 3001 3002 1
K7=$("$ADMIN" "$DB" device-add kiosk-7 entrance)
K8=$("$ADMIN" "$DB" device-add kiosk-8 entrance)
ci() { # SEQ ARRIVAL ROOM SERIAL DEVICE: a check-in record as store_checkin_commit writes it
	printf '{"seq":%d,"kind":"checkin","at":%d,"body":{"arrival_id":%d,"at":%d,"briefing_hash":"sha256:ab","briefing_lang":"zh-CN","code_reason":"OK","code_result":"green","device_id":"%s","device_seq":%d,"planned_release":"2026-12-13","risk":"green","risk_set_by":"kiosk","room":"%s","timings":{"briefing_ms":30000,"confirm_ms":2000,"total_ms":60000,"verify_ms":1000},"wristband_serial":"%s","wristband_token":"T-%s"}}' \
		"$1" "$((1795000000 + $2))" "$2" "$((1795000000 + $2))" "$5" "$1" "$3" "$4" "$4"
}
body a7 "{\"v\":1,\"device\":\"kiosk-7\",\"records\":[$(ci 1 1 3001 S5-1 kiosk-7),$(ci 2 2 3002 S5-2 kiosk-7),{\"seq\":3,\"kind\":\"wristband_void\",\"at\":1795000500,\"body\":{\"at\":1795000500,\"serial\":\"S5-1\",\"state\":\"replaced\",\"reason\":\"damaged\",\"actor\":\"B-1\",\"arrival_id\":1,\"room\":\"3001\",\"replaced_by\":\"S5-1b\",\"token\":\"T-S5-1b\",\"device_id\":\"kiosk-7\",\"device_seq\":3}}]}"
body a8 "{\"v\":1,\"device\":\"kiosk-8\",\"records\":[$(ci 1 1 3002 S6-1 kiosk-8),$(ci 2 3 3001 S6-3 kiosk-8)]}"
push7() { curl -s -H "Authorization: Bearer $K7" --data-binary @"$TMP/a7.json" "$(url /v1/push)"; }
push8() { curl -s -H "Authorization: Bearer $K8" --data-binary @"$TMP/a8.json" "$(url /v1/push)"; }
R7=$(push7)
R8=$(push8)
push7 >/dev/null # both again: nothing changes
push8 >/dev/null
ok_if "an entrance kiosk's check-ins and the reprint of its own band are accepted" \
	[ "$R7" = '{"v":1,"results":[{"seq":1,"status":"stored"},{"seq":2,"status":"stored"},{"seq":3,"status":"stored"}],"held_through":3}' ]
ok_if "the same person from the second kiosk and a full room: two conflicts" \
	[ "$R8" = '{"v":1,"results":[{"seq":1,"status":"conflict"},{"seq":2,"status":"conflict"}],"held_through":2}' ]
$CTL export checkins >"$TMP/checkins.csv" 2>/dev/null
ok_if "stationctl export checkins: each pushed check-in exactly once; the reprint's band is active" \
	bash -c "[ \$(grep -c ',kiosk-7,' $TMP/checkins.csv) = 2 ] && ! grep -q ',kiosk-8,' $TMP/checkins.csv && [ \"\$(sqlite3 '$DB' \"SELECT group_concat(serial || ':' || state, ' ') FROM (SELECT * FROM wristbands WHERE arrival_id = 1 ORDER BY serial)\")\" = 'S5-1:replaced S5-1b:active' ]"
ok_if "stationctl report daily counts them" \
	bash -c "$CTL report daily --date 2026-11-18 | tr -d '\r' | grep -qx 'arrivals,2' && $CTL report daily --date 2026-11-18 | tr -d '\r' | grep -qx 'intake_timed,2'"
ok_if "stationctl conflicts lists the double check-in with its winner, and the full room" \
	bash -c "$CTL conflicts 2>/dev/null | grep -qP '\tkiosk-8/1\tcheckin\tE_ALREADY_CHECKED_IN\t1\t3002\tkiosk-7/1$' && $CTL conflicts 2>/dev/null | grep -qP '\tkiosk-8/2\tcheckin\tE_NO_ROOM\t3\t3001\t$'"
ok_if "the store's rooms: none over capacity, 3001 and 3002 occupied" \
	bash -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM rooms r WHERE (SELECT count(*) FROM occupancy o WHERE o.room = r.number AND o.until IS NULL) > r.capacity\")\" = 0 ] && [ \"\$(sqlite3 '$DB' \"SELECT group_concat(state) FROM rooms WHERE number IN ('3001', '3002') ORDER BY number\")\" = 'occupied,occupied' ]"
body v8 '{"v":1,"device":"kiosk-8","records":[{"seq":3,"kind":"wristband_void","at":1795000600,"body":{"at":1795000600,"serial":"S5-2","state":"replaced","reason":"lost","actor":"B-1","arrival_id":2,"room":"3002","replaced_by":"S6-9","token":"T"}}]}'
ok_if "a kiosk reprinting another kiosk's band: accepted as a conflict, the band unchanged" \
	bash -c "curl -s -H 'Authorization: Bearer $K8' --data-binary @$TMP/v8.json $(url /v1/push) | grep -q '\"seq\":3,\"status\":\"conflict\"' && [ \"\$(sqlite3 '$DB' \"SELECT state FROM wristbands WHERE serial = 'S5-2'\")\" = active ] && $CTL conflicts 2>/dev/null | grep -q 'E_NOT_ISSUER'"
printf '请在房间内等候检测。\n' >"$TMP/brief.txt"
ok_if "stationctl briefing add: the text reaches the device's replica" \
	bash -c "$CTL briefing add zh-CN $TMP/brief.txt | grep -q '^briefing zh-CN version 1 sha256:' && sleep 1.1 && '$DEVICE' '$TMP/k3.db' kiosk-3 round '$(url '')' '$K3' >/dev/null && '$DEVICE' '$TMP/k3.db' kiosk-3 replica briefing zh-CN | grep -q '请在房间内等候检测'"

# The station killed (SIGKILL) while batches arrive; the device resends; exactly once.
K4=$("$ADMIN" "$DB" device-add kiosk-4 entrance)
"$DEVICE" "$TMP/k4.db" kiosk-4 add 3000 >/dev/null
"$DEVICE" "$TMP/k4.db" kiosk-4 sync "$(url '')" "$K4" 40 100 >"$TMP/k4.out" &
CLIENT=$!
for _ in $(seq 200); do
	n=$(sqlite3 "$DB" "SELECT count(*) FROM sync_records WHERE device_id = 'kiosk-4'" 2>/dev/null)
	[ "${n:-0}" -gt 200 ] && break
	sleep 0.02
done
kill -KILL "$PID"
wait "$PID" 2>/dev/null
killed_at=$(sqlite3 "$DB" "SELECT count(*) FROM sync_records WHERE device_id = 'kiosk-4'")
sleep 0.5
start_station "$PORT"
wait "$CLIENT"
ok_if "killed mid-push ($killed_at of 3000 held), restarted: every record exactly once" \
	bash -c "[ $killed_at -lt 3000 ] && grep -q '^waiting=0' $TMP/k4.out && [ \"\$('$ADMIN' '$DB' held kiosk-4)\" = 'records=3000 held_through=3000' ] && [ \"\$(sqlite3 '$DB' \"SELECT count(DISTINCT device_seq) FROM sync_records WHERE device_id = 'kiosk-4'\")\" = 3000 ]"

stop_station
rc=$?
ok_if "SIGTERM: stationd drains and exits 0" [ "$rc" = 0 ]
ok_if "stationd logged no personal data and no crash" bash -c "! grep -qiE 'sanitizer|runtime error' '$LOG'"
ok_if "PRAGMA integrity_check is ok" bash -c "[ \"\$(sqlite3 '$DB' 'PRAGMA integrity_check')\" = ok ] && '$ADMIN' '$DB' integrity"
# HTTPS with the station's own certificate, trusted by the device through its ca_file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=station \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/tls.key" -out "$TMP/tls.crt" 2>/dev/null
printf '[http]\nlisten = 127.0.0.1:0\ntls_cert = %s\ntls_key = %s\n[store]\npath = %s\n' \
	"$TMP/tls.crt" "$TMP/tls.key" "$DB" >"$TMP/tls.ini"
"$SAN_BIN/stationd" --config "$TMP/tls.ini" 2>"$TMP/tls.log" &
TLS_PID=$!
for _ in $(seq 100); do
	TLS_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\) (https).*/\1/p' "$TMP/tls.log")
	[ -n "$TLS_PORT" ] && break
	sleep 0.05
done
"$DEVICE" "$TMP/k5.db" kiosk-5 add 20 >/dev/null
K5=$($CTL devices add kiosk-5 --role security)
ok_if "HTTPS: health with the pinned certificate; refused without it" \
	bash -c "curl -sf --cacert '$TMP/tls.crt' https://127.0.0.1:$TLS_PORT/v1/health | grep -q ok && ! curl -sf https://127.0.0.1:$TLS_PORT/v1/health >/dev/null 2>&1"
ok_if "HTTPS: a device delivers its records over TLS" \
	bash -c "SYNC_CA_FILE='$TMP/tls.crt' '$DEVICE' '$TMP/k5.db' kiosk-5 round https://127.0.0.1:$TLS_PORT '$K5' | grep -q '^waiting=0 delivered=20'"
kill -TERM "$TLS_PID"
wait "$TLS_PID"
printf '[http]\nlisten = 127.0.0.1:0\n' >"$TMP/bad.ini"
ok_if "a missing [store] path is refused clearly" \
	bash -c "! '$SAN_BIN/stationd' --config '$TMP/bad.ini' 2>'$TMP/bad.err' && grep -q 'path is required' '$TMP/bad.err'"
finish
