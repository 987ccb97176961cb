# tests/lib/station.sh: what the window and sync suites set up alike (sourced).
#   entrance_conf FILE DB PRINTER BAND_KEY LANG  < MORE
#       writes FILE: an entrance kiosk of station SZ01 with the store DB, the wedge scanner,
#       the printer spec PRINTER, the band key, the demo issuer trusted, a window (not
#       fullscreen) in LANG with this tree's assets; then MORE (standard input): further
#       sections, or keys again (a later line wins, app/core/config.h)
# A real stationd, on a loopback port it picks the first time and keeps across restarts:
#   stationd_conf FILE DB
#       writes FILE: listening on 127.0.0.1, station SZ01, the store DB, leases for an hour
#   stationd_start BIN CONF LOG [PORT]
#       starts BIN (a stationd) with CONF on PORT (empty or 0: any free port) and appends its
#       log to LOG; sets STATIOND_PID and STATIOND_PORT; false when it did not say it listens
#       within 10 s
stationd_conf() {
	cat >"$1" <<EOF
[http]
listen = 127.0.0.1:0
[store]
path = $2
[station]
id = SZ01
[sync]
lease_ttl = 3600
EOF
}
stationd_start() {
	local bin=$1 conf=$2 log=$3 port=${4:-0} i
	sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" "$conf"
	: >"$log.new"
	"$bin" --config "$conf" 2>>"$log.new" &
	STATIOND_PID=$!
	STATIOND_PORT=
	for ((i = 0; i < 200; i++)); do
		STATIOND_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log.new" | head -1)
		[ -n "$STATIOND_PORT" ] && break
		sleep 0.05
	done
	cat "$log.new" >>"$log"
	rm -f "$log.new"
	[ -n "$STATIOND_PORT" ]
}

entrance_conf() {
	{
		cat <<EOF
[device]
role = entrance
station = SZ01
[store]
path = $2
[scanner]
spec = wedge
max_gap_ms = 400
[printer]
spec = $3
[keys]
band_key = $4
[healthcode]
demo = yes
[ui]
language = $5
fullscreen = no
assets = assets
EOF
		cat
	} >"$1"
}
