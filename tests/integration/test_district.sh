#!/bin/bash
# tests/integration/test_district.sh: the district hub on a real PostgreSQL 15 cluster in a
# throwaway directory on 127.0.0.1: 20 station stores (gen_station, through the store API)
# forward at once while the server restarts and a station is killed mid-batch; the hub
# holds every record exactly once, row-level security confines each station's role, and
# the report's figures equal independent queries of the stations' own stores.
. "$(dirname "$0")/tap.sh"
TOOLS="$BUILD/san/tools"
PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/initdb" ] || [ "$(id -u)" -ne 0 ] || ! id postgres >/dev/null 2>&1; then
	echo "1..0 # SKIP PostgreSQL 15 (package postgresql) and root are needed"
	exit 0
fi
N=20
DAY=2026-11-14
PGDIR=$(mktemp -d /tmp/hk-pg.XXXXXX)
chmod 0755 "$PGDIR"
chown postgres "$PGDIR"
PORT=$((20000 + $$ % 20000))
stop_pg() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true; }
trap 'stop_pg; rm -rf "$PGDIR" "$TMP"' EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust --no-sync >/dev/null 2>&1
# TLS: a test CA and a server certificate for 127.0.0.1; stations and readers log in only
# over TLS with a SCRAM password; the administrator (postgres) keeps trust for the test.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=hk-test-ca \
	-keyout "$TMP/ca.key" -out "$TMP/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$PGDIR/server.key" \
	-out "$TMP/server.csr" >/dev/null 2>&1
printf 'subjectAltName = IP:127.0.0.1\n' >"$TMP/san.ext"
openssl x509 -req -in "$TMP/server.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" \
	-CAcreateserial -days 2 -extfile "$TMP/san.ext" -out "$PGDIR/server.crt" >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca \
	-keyout "$TMP/other.key" -out "$TMP/other.pem" >/dev/null 2>&1
chown postgres "$PGDIR/server.key" "$PGDIR/server.crt"
chmod 0600 "$PGDIR/server.key"
cat >"$PGDIR/data/pg_hba.conf" <<HBA
local   all all                  trust
host    all postgres 127.0.0.1/32 trust
hostssl all all      127.0.0.1/32 scram-sha-256
HBA
pg_start() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" start \
		-o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on $SSL_FILES" \
		>/dev/null
}
SSL_FILES="-c ssl_cert_file=$PGDIR/server.crt -c ssl_key_file=$PGDIR/server.key"
if ! pg_start; then
	echo "Bail out! PostgreSQL did not start: $(tail -3 "$PGDIR/log" 2>/dev/null)"
	exit 1
fi
ADMIN="host=127.0.0.1 port=$PORT user=postgres dbname=postgres"
PGPASS="$TMP/pgpass"
echo "127.0.0.1:$PORT:postgres:command:pw-cmd" >"$PGPASS"
for i in $(seq -w 1 $N); do echo "127.0.0.1:$PORT:postgres:st_s$i:pw-s$i" >>"$PGPASS"; done
chmod 0600 "$PGPASS"
TLS="sslmode=verify-full sslrootcert=$TMP/ca.pem passfile=$PGPASS"
login() { echo "host=127.0.0.1 port=$PORT user=$1 dbname=postgres $TLS"; }
psql_as() { local u=$1; shift; psql -X -q -A -t -v ON_ERROR_STOP=1 "$(login "$u")" "$@"; }
DCTL="$BUILD/san/bin/districtctl"

ok_if "migrate creates the hub schema (version 1)" \
	sh -c "'$DCTL' migrate --hub '$ADMIN' | grep -qx 'hub schema version 1'"
ok_if "migrate again is a no-op" \
	sh -c "'$DCTL' migrate --hub '$ADMIN' >/dev/null && [ \$(psql -X -A -t '$ADMIN' -c 'SELECT count(*) FROM hub.schema_version') = 1 ]"

roles_ok=0
for i in 01 02; do
	echo "pw-s$i" | "$DCTL" station-add "s$i" "st_s$i" --hub "$ADMIN" || roles_ok=1
done
echo "pw-cmd" | "$DCTL" reader-add command --hub "$ADMIN" || roles_ok=1
ok_if "station and reader roles added by districtctl" [ $roles_ok -eq 0 ]
# the other stations in one session, through the same function districtctl calls
for i in $(seq -w 3 $N); do echo "SELECT hub.station_add('s$i', 'st_s$i', 'pw-s$i');"; done |
	psql -X -q -v ON_ERROR_STOP=1 "$ADMIN" >/dev/null
ok_if "20 station roles mapped" [ "$(psql -X -A -t "$ADMIN" -c "SELECT count(*) FROM hub.stations")" -eq $N ]

# Station stores: through the store API, different sizes and seeds.
# five different stores, each copied to four stations (the hub keys records by station)
gen_ok=0
for i in 01 02 03 04 05; do
	"$BUILD/tools/gen_station" "$TMP/s$i.db" $((100 + 10#$i * 25)) 14 "$i" 2026-11-01 >/dev/null 2>&1 || gen_ok=1
done
for i in $(seq -w 6 $N); do cp "$TMP/s0$(((10#$i - 1) % 5 + 1)).db" "$TMP/s$i.db"; done
ok_if "20 station stores generated" [ $gen_ok -eq 0 ]

conn() { login "st_s$1"; }
# s01 and s02 forward through the real stationd ([district] upstream), the rest through the
# forwarder thread in district_push.
start_stationd() {
	local i=$1
	cat >"$TMP/s$i.conf" <<CONF
[http]
listen = 127.0.0.1:0
[store]
path = $TMP/s$i.db
[station]
id = s$i
[district]
upstream = $(conn "$i")
batch = $2
interval_ms = 100
backoff_min_ms = 100
backoff_max_ms = 800
CONF
	"$BUILD/san/bin/stationd" --config "$TMP/s$i.conf" 2>>"$TMP/stationd-s$i.log" &
	echo $! >"$TMP/stationd-s$i.pid"
}
# a security post of station s01 with 30 scans, pushed to stationd while the hub is down
POST1=$("$BUILD/san/bin/stationctl" --db "$TMP/s01.db" devices add post-1 --role security)
"$TOOLS/sync_device" "$TMP/post-1.db" post-1 add 30 scan >/dev/null
start_stationd 01 50
start_stationd 02 5
pids=""
for i in $(seq -w 3 $N); do
	# s20 sends one record per transaction, so it is surely still at work at the restart
	batch=40
	[ "$i" = 20 ] && batch=1
	"$TOOLS/district_push" "$TMP/s$i.db" "s$i" "$(conn "$i")" 50 $batch >"$TMP/push-s$i.out" 2>&1 &
	pids="$pids $!"
done
# station s02 killed in the middle of its forwarding, the server restarted under everyone
held_s02() { psql -X -A -t "$ADMIN" -c "SELECT count(*) FROM hub.records WHERE station_id = 's02'"; }
for _ in $(seq 1 200); do
	[ "$(held_s02)" -gt 0 ] && break
	sleep 0.02
done
kill -9 "$(cat "$TMP/stationd-s02.pid")" 2>/dev/null
wait "$(cat "$TMP/stationd-s02.pid")" 2>/dev/null
s02_at_kill=$(held_s02)
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null
s01_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/stationd-s01.log" | head -1)
push_post() { "$TOOLS/sync_device" "$TMP/post-1.db" post-1 round "http://127.0.0.1:$s01_port" "$POST1" >/dev/null; }
ok_if "with the hub down, stationd still takes a device's records" push_post
sleep 0.5
pg_start
start_stationd 02 5
push_ok=0
for p in $pids; do wait "$p" || push_ok=1; done
ok_if "18 forwarders caught up across the server restart" [ $push_ok -eq 0 ]
ok_if "the restart failed batches in flight (then retried)" \
	[ "$(cat "$TMP"/push-s*.out | grep -c 'failures=[1-9]')" -gt 0 ]
ok_if "stationd s02 was killed part way ($s02_at_kill of $(sqlite3 "$TMP/s02.db" 'SELECT count(*) FROM outbox') held)" \
	test "$s02_at_kill" -gt 0 -a "$s02_at_kill" -lt "$(sqlite3 "$TMP/s02.db" 'SELECT count(*) FROM outbox')"

# what a station's store accepted: its outbox and, on stationd, the devices' records
store_keys() {
	local q="SELECT device_id, device_seq, kind FROM outbox"
	if [ "$(sqlite3 "$1" "SELECT count(*) FROM sqlite_schema WHERE name = 'sync_records'")" = 1 ]; then
		q="$q UNION SELECT device_id, device_seq, kind FROM sync_records"
	fi
	sqlite3 -separator ' ' "$1" "$q" | LC_ALL=C sort
}
expected=0
for i in $(seq -w 1 $N); do
	c=$(store_keys "$TMP/s$i.db" | wc -l)
	expected=$((expected + c))
done
# the two stationd forward on their own; wait until the hub holds their stores too
held() { psql -X -A -t "$ADMIN" -c "SELECT count(*) FROM hub.records"; }
for _ in $(seq 1 150); do
	[ "$(held)" -ge "$expected" ] && break
	sleep 0.2
done
sleep 0.3
for i in 01 02; do kill -TERM "$(cat "$TMP/stationd-s$i.pid")"; wait "$(cat "$TMP/stationd-s$i.pid")" 2>/dev/null; done
ok_if "the hub holds every record ($expected)" [ "$(held)" -eq "$expected" ]
# exactly once: each station's (device, seq) set equals its store's outbox
for i in $(seq -w 1 $N); do store_keys "$TMP/s$i.db" | sed "s/^/s$i /"; done | LC_ALL=C sort >"$TMP/want"
psql -X -A -t -F ' ' "$ADMIN" -c "SELECT station_id, device_id, device_seq, kind FROM hub.records" |
	LC_ALL=C sort >"$TMP/got"
ok_if "every station's records are in the hub exactly once" cmp "$TMP/want" "$TMP/got"
ok_if "the post's 30 scans reached the hub after the outage" \
	[ "$(psql -X -A -t "$ADMIN" -c "SELECT count(*) FROM hub.records WHERE station_id = 's01' AND device_id = 'post-1' AND kind = 'scan'")" -eq 30 ]
ok_if "a resend changes nothing" sh -c "'$DCTL' forward --hub '$(conn 05)' --store '$TMP/s05.db' --station s05 >/dev/null && sqlite3 '$TMP/s05.db' 'DELETE FROM district_cursor' && '$DCTL' forward --hub '$(conn 05)' --store '$TMP/s05.db' --station s05 | grep -q 'forwarded [1-9]' && [ \$(psql -X -A -t '$ADMIN' -c 'SELECT count(*) FROM hub.records') = $expected ]"
ok_if "the stationd forwarder said it forwards" grep -q "forwarding to the district hub as station s02" "$TMP/stationd-s02.log"

# TLS and passwords
ok_if "a station's session runs over TLS" \
	[ "$(psql_as st_s04 -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" = t ]
ok_if "a station without TLS is refused" \
	sh -c "! psql -X -q 'host=127.0.0.1 port=$PORT user=st_s04 dbname=postgres sslmode=disable passfile=$PGPASS' -c 'SELECT 1' 2>/dev/null"
ok_if "a server certificate from another CA is refused" \
	sh -c "! '$DCTL' forward --hub 'host=127.0.0.1 port=$PORT user=st_s04 dbname=postgres sslmode=verify-full sslrootcert=$TMP/other.pem passfile=$PGPASS' --store '$TMP/s04.db' --station s04 2>/dev/null"
ok_if "a wrong password is refused" \
	sh -c "! psql -X -q 'host=127.0.0.1 port=$PORT user=st_s04 password=nope dbname=postgres sslmode=require' -c 'SELECT 1' 2>/dev/null"

# Row-level security
ok_if "a station reads only its own rows" \
	[ "$(psql_as st_s03 -c "SELECT count(DISTINCT station_id) || ':' || min(station_id) FROM hub.records")" = "1:s03" ]
ok_if "a station cannot change another station's rooms" \
	[ "$(psql_as st_s03 -c "UPDATE hub.rooms SET state = 'blocked' WHERE station_id = 's04' RETURNING 1" | wc -l)" -eq 0 ]
ok_if "a station cannot write rows as another station" \
	sh -c "! psql -X -q '$(login st_s03)' -c \"INSERT INTO hub.records (station_id, device_id, device_seq, kind, at, body) VALUES ('s04', 'x', 1, 'scan', 0, '{}')\" 2>/dev/null"
ok_if "a station cannot delete rows" \
	sh -c "! psql -X -q '$(login st_s03)' -c \"DELETE FROM hub.records\" 2>/dev/null"
ok_if "the district role reads every station" \
	[ "$(psql_as command -c "SELECT count(DISTINCT station_id) FROM hub.records")" -eq $N ]
ok_if "the district role changes nothing" \
	sh -c "! psql -X -q '$(login command)' -c \"UPDATE hub.rooms SET state = 'free'\" 2>/dev/null"

# The report against each station's own store (independent SQL on SQLite)
CMD=$(login command)
ok_if "report as CSV" "$DCTL" report --hub "$CMD" --day $DAY --format csv --out "$TMP/report.csv"
csv_form() {
	head -c 3 "$TMP/report.csv" | od -An -tx1 | grep -q 'ef bb bf' &&
		[ "$(grep -c $'\r$' "$TMP/report.csv")" -eq $((N + 2)) ] &&
		[ "$(wc -l <"$TMP/report.csv")" -eq $((N + 2)) ]
}
ok_if "CSV starts with a BOM and uses CRLF" csv_form
# figures_match DAY CSV: every station's row against sqlite3 queries of its own store
figures_match() {
	local day=$1 csv=$2 t0 t1 tomorrow figs=0 want got
	t0=$(psql -X -A -t "$ADMIN" -c "SELECT extract(epoch FROM '$day'::timestamp AT TIME ZONE 'Asia/Shanghai')::bigint")
	t1=$((t0 + 86400))
	tomorrow=$(date -d "$day + 1 day" +%F)
	for i in $(seq -w 1 $N); do
		want=$(sqlite3 -separator , "$TMP/s$i.db" "
		  SELECT (SELECT count(*) FROM rooms WHERE state = 'free'),
		         (SELECT count(*) FROM rooms WHERE state = 'occupied'),
		         (SELECT count(*) FROM rooms WHERE state = 'cleaning'),
		         (SELECT count(*) FROM rooms WHERE state = 'blocked'),
		         (SELECT coalesce(sum(capacity), 0) FROM rooms WHERE state = 'free'),
		         (SELECT count(*) FROM checkins WHERE state = 'active'),
		         (SELECT count(*) FROM checkins WHERE at >= $t0 AND at < $t1),
		         (SELECT count(*) FROM checkins WHERE state = 'active' AND planned_release = '$day'),
		         (SELECT count(*) FROM checkins WHERE state = 'active' AND planned_release = '$tomorrow');
		  WITH cur AS (
		    SELECT c.arrival_id, coalesce((SELECT r.risk FROM risk_changes r
		      WHERE r.arrival_id = c.arrival_id AND r.at >= c.at ORDER BY r.at DESC, r.id DESC LIMIT 1),
		      c.risk) AS colour FROM checkins c WHERE c.state = 'active')
		  SELECT sum(colour = 'green'), sum(colour = 'yellow'), sum(colour = 'orange'), sum(colour = 'red') FROM cur;" |
			tr '\n' ',' | sed 's/,$//')
		got=$(grep ",s$i," "$csv" | tr -d '\r' | cut -d, -f3-15)
		want=$(echo "$want" | sed 's/,,/,0,/g; s/,$/,0/')
		[ "$want" = "$got" ] || { figs=1; echo "# $day s$i want $want got $got"; }
	done
	return $figs
}
ok_if "every station's figures equal its own store's ($DAY)" figures_match $DAY "$TMP/report.csv"
# the day after the data ends: releases due today and tomorrow are not zero
"$DCTL" report --hub "$CMD" --day 2026-11-15 --out "$TMP/next.csv"
ok_if "releases due are counted (2026-11-15: $(grep ',TOTAL,' "$TMP/next.csv" | cut -d, -f10,11) today,tomorrow)" \
	sh -c "grep ',TOTAL,' '$TMP/next.csv' | cut -d, -f10,11 | grep -qv '^0,\|,0\$'"
ok_if "every station's figures equal its own store's (2026-11-15)" figures_match 2026-11-15 "$TMP/next.csv"
T0=$(psql -X -A -t "$ADMIN" -c "SELECT extract(epoch FROM '$DAY'::timestamp AT TIME ZONE 'Asia/Shanghai')::bigint")
T1=$((T0 + 86400))

med_ok=0
psql -X -A -t -F ' ' "$ADMIN" -c "SELECT station_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY total_ms) / 1000.0 FROM (SELECT station_id, (body->'timings'->>'total_ms')::int AS total_ms FROM hub.records WHERE kind = 'checkin' AND at >= $T0 AND at < $T1) t WHERE total_ms >= 0 GROUP BY 1" >"$TMP/medians"
[ "$(wc -l <"$TMP/medians")" -eq $N ] || med_ok=1
while read -r st med; do
	want=$(printf '%.1f' "$med")
	got=$(grep ",$st," "$TMP/report.csv" | tr -d '\r' | cut -d, -f16)
	[ "$want" = "$got" ] || { med_ok=1; echo "# $st median want $want got $got"; }
done <"$TMP/medians"
ok_if "median intake time equals an independent query" [ $med_ok -eq 0 ]
ok_if "stations ordered by free places for the next bus" \
	sh -c "tail -n +2 '$TMP/report.csv' | grep -v TOTAL | cut -d, -f7 | tr -d '\r' | sort -c -r -n"
ok_if "the total row adds up the free places" \
	[ "$(grep ',TOTAL,' "$TMP/report.csv" | cut -d, -f7)" -eq "$(psql -X -A -t "$ADMIN" -c "SELECT sum(capacity - occupants) FROM hub.rooms WHERE state = 'free'")" ]
ok_if "report as self-contained HTML with SVG charts" sh -c "'$DCTL' report --hub '$CMD' --day $DAY --format html --out '$TMP/r.html' && grep -c '<svg' '$TMP/r.html' | grep -qx 2 && ! grep -Eq '(src|href)=' '$TMP/r.html'"
ok_if "a station role's report shows only that station" \
	sh -c "'$DCTL' report --hub '$(conn 09)' --day $DAY | tr -d '\r' | grep -v TOTAL | tail -n +2 | cut -d, -f2 | grep -qx s09"
finish
