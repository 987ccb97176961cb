#!/bin/bash
# tests/crash/run.sh: crash consistency of the entrance kiosk and of stationd, proven on the
# real programs. The kiosk runs under Xvfb on a real store file, its printer a raw TCP 9100
# listener on 127.0.0.1 (tests/tools/print_sink, ZPL with the printer's own QR codes so the
# tokens can be read back); check-ins are driven through the keyboard-wedge scanner and
# clicks (tests/demo/drive.sh), and the kiosk is killed with SIGKILL at seeded moments
# (same seed, same kill plan), restarted, and after every kill the store is checked:
#   integrity    PRAGMA integrity_check is ok
#   confirmed    every check-in whose done screen (the room) was shown is stored
#   printed      every wristband the printer received belongs to a stored check-in
#   capacity     no room holds more people than its beds
#   outbox       every check-in has exactly one outbox record; sequence numbers 1..n
#   band         every check-in has exactly one active wristband
# Then the kiosk's outbox is pushed to a real stationd (tests/tools/sync_device, the real
# sync client, one record per round) while stationd is killed with SIGKILL at seeded
# moments; the station must hold each record exactly once.
# Prints "check NAME ok|FAIL ..." after every kill and one "summary:" line; exit 0 when no
# check failed.
# Usage: tests/crash/run.sh [-s SEED] [-n CHECKINS] [-t SECONDS] [-b BINDIR] [-o DIR]
#   -n stop after this many check-in attempts (default 400), -t or after this many seconds
#   of the kiosk phase (default 0: no limit); -b the programs (default $BUILD/bin)
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/station.sh
BUILD=${BUILD:-build}
SEED=${SEED:-$(((RANDOM << 15 | RANDOM) % 1000000))}
COUNT=${COUNT:-400}
BUDGET=0
BIN="$BUILD/bin"
D=
while getopts "s:n:t:b:o:" o; do
	case $o in
	s) SEED=$OPTARG ;;
	n) COUNT=$OPTARG ;;
	t) BUDGET=$OPTARG ;;
	b) BIN=$OPTARG ;;
	o) D=$OPTARG ;;
	*) exit 2 ;;
	esac
done
TOOLS="$BUILD/tools" # setup and reading tools: the release build is enough
[[ -n $D ]] || D=$(mktemp -d)
rm -rf "$D" && mkdir -p "$D/sink" "$D/logs"
D=$(cd "$D" && pwd)
KDB="$D/kiosk.db"
SDB="$D/station.db"
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
echo "crash consistency: seed $SEED, up to $COUNT check-ins${BUDGET:+ or $BUDGET s}, programs $BIN"
echo "reproduce: SEED=$SEED tests/crash/run.sh -n $COUNT -t $BUDGET -b $BIN"
RANDOM=$SEED
R=0
rnd() { R=$((RANDOM % $1)); } # never in a subshell: the sequence must be the seed's

ctl() { "$BUILD/bin/stationctl" --db "$KDB" "$@"; }
sctl() { "$BUILD/bin/stationctl" --db "$SDB" "$@"; }
q() { sqlite3 "$KDB" "$1"; }

# ---- the station the kiosk belongs to: rooms, a manifest of single travellers, codes ----
people=$((COUNT + 10))
rooms=$((people + 2)) # single travellers: one room each
setup_store() { # DB DEVICE
	"$BUILD/bin/stationctl" --db "$1" init --station SZ01 --device "$2" >/dev/null &&
		"$BUILD/bin/stationctl" --db "$1" rooms add "2001-$((2000 + rooms))" --floor 20 --capacity 2 >/dev/null &&
		"$BUILD/bin/stationctl" --db "$1" import-manifest "$D/manifest.csv" >/dev/null
}
surnames=(赵 钱 孙 李 周 吴 郑 王 冯 陈 褚 卫 蒋 沈 韩 杨)
given=(一 二 三 四 五 六 七 八 九 十 甲 乙 丙 丁 戊 己)
{
	echo "batch,name,doc_type,doc_number,nationality,phone,category,term,group_id,arrival_day,elderly,child,pregnant,dietary,notes"
	for ((i = 1; i <= people; i++)); do
		printf 'CRASH-1,%s%s%s,passport,E%08d,CHN,,inbound,14,,%s,,,,,\n' \
			"${surnames[i % 16]}" "${given[(i / 16) % 16]}" "${given[(i / 256) % 16]}" \
			$((70000000 + i)) "$(date +%F)"
	done
} >"$D/manifest.csv"
setup_store "$KDB" entrance-1 || {
	echo "setup failed"
	exit 1
}
ctl band-key init "$D/band.key" >/dev/null
ctl demo init --key "$D/issuer.pem" >/dev/null
mkdir -p "$D/codes"
for ((i = 1; i <= people; i++)); do
	ctl demo issue-code --arrival "$i" --key "$D/issuer.pem" --out "$D/codes/$i.txt" >/dev/null ||
		exit 1
done

"$TOOLS/print_sink" "$D/sink" "$D/sink.port" &
SINK_PID=$!
for _ in $(seq 100); do [[ -s $D/sink.port ]] && break; sleep 0.05; done
entrance_conf "$D/kiosk.conf" "$KDB" \
	"zpl+tcp://127.0.0.1:$(cat "$D/sink.port")?status=off&native_qr=1&timeout_ms=2000" \
	"$D/band.key" zh <<EOF
[ui]
idle_timeout_s = 60
briefing_min_read_s = 1
[flow]
done_s = 30
refusal_s = 30
EOF

n=150
while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
KIOSK_PID=
ST_PID=
CLIENT_PID=
stop_all() {
	local p
	for p in $KIOSK_PID $CLIENT_PID $ST_PID $SINK_PID $XVFB_PID; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
}
trap stop_all EXIT
trap "exit 143" TERM INT
export DISPLAY=":$n"
for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X$n ]] && break; sleep 0.05; done

KSTATE="$TOOLS/kstate"
STATE="$D/state.json"
SCREEN_W=800
SCREEN_H=480
WAIT_S=30
export KSTATE STATE SCREEN_W SCREEN_H
# shellcheck source=tests/demo/drive.sh
. tests/demo/drive.sh

starts=0
start_kiosk() {
	rm -f "$STATE"
	starts=$((starts + 1))
	"$BIN/kiosk" --config "$D/kiosk.conf" --windowed --size 800x480 --state-file "$STATE" \
		2>"$D/logs/kiosk-$starts.log" &
	KIOSK_PID=$!
	WIN=$(timeout 30 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
	[[ -n $WIN ]] && xdotool windowfocus --sync "$WIN"
	export WIN
	wait_state ATTRACT >/dev/null
}

# ---- the checks after every kill ----
declare -A confirmed=()
failures=0
check() { # NAME DETAIL-IF-FAILED (empty: ok)
	if [[ -z $2 ]]; then
		echo "check $1 ok"
	else
		echo "check $1 FAIL $2"
		failures=$((failures + 1))
	fi
}
# tokens the printer received: ZPL ^BQ field data "MA," (ECC letter, mode) + token, _XX escapes under ^FH_
sink_tokens() {
	local f
	for f in "$D"/sink/*.bin; do
		[[ -e $f ]] || continue
		grep -aoE '\^FD[LMQH]A,[^^]*' "$f" | sed -E 's/^\^FD[LMQH]A,//' |
			perl -pe 's/_([0-9A-Fa-f]{2})/chr(hex($1))/ge'
	done
}
check_store() {
	local bad a tok
	check integrity "$( [[ $(q 'PRAGMA integrity_check') == ok ]] || q 'PRAGMA integrity_check' | head -3 | tr '\n' ' ')"
	bad=""
	for a in "${!confirmed[@]}"; do
		[[ $(q "SELECT count(*) FROM checkins WHERE arrival_id = $a") == 1 ]] || bad+="$a "
	done
	check confirmed "${bad:+shown but not stored: $bad}"
	bad=""
	while IFS= read -r tok; do
		[[ -n $tok ]] || continue
		[[ $(q "SELECT count(*) FROM wristbands w JOIN checkins c ON c.arrival_id = w.arrival_id
		         WHERE w.token = '${tok//\'/}'") == 1 ]] || bad+="${tok:0:16}.. "
	done < <(sink_tokens | sort -u)
	check printed "${bad:+printed but not stored: $bad}"
	bad=$(q "SELECT group_concat(number) FROM rooms r WHERE (SELECT count(*) FROM checkins c
	           WHERE c.room = r.number AND c.state = 'active') > r.capacity")
	check capacity "${bad:+over capacity: $bad}"
	bad=$(q "SELECT group_concat(arrival_id) FROM checkins c WHERE (SELECT count(*) FROM outbox o
	           WHERE o.kind = 'checkin' AND json_extract(o.payload, '\$.arrival_id') = c.arrival_id) != 1")
	[[ -z $bad ]] && bad=$(q "SELECT CASE WHEN count(*) = coalesce(max(device_seq), 0) AND
	           (SELECT count(*) FROM outbox WHERE kind = 'checkin') = (SELECT count(*) FROM checkins)
	           THEN '' ELSE 'seq holes or stray records: ' || count(*) || ' rows, max seq ' || max(device_seq) END
	           FROM outbox WHERE device_id = 'entrance-1'")
	check outbox "$bad"
	bad=$(q "SELECT group_concat(arrival_id) FROM checkins c WHERE (SELECT count(*) FROM wristbands w
	           WHERE w.arrival_id = c.arrival_id AND w.state = 'active') != 1")
	check band "${bad:+not one active band: $bad}"
}

# ---- the kiosk phase ----
# The plan of attempt i is three draws of the seeded sequence, whatever happens: whether to
# kill (about one attempt in two), at which step, and how many ms after it.
steps=(SCAN IDENTITY ACK ACK ACK DONE DISMISS)
max_ms=(600 300 500 500 500 1500 300)
kills=0
attempts=0
arrival=1
plan_step=""
plan_ms=0
draw_plan() {
	rnd 100
	local k=$R
	rnd ${#steps[@]}
	local s=$R
	rnd "${max_ms[s]}"
	plan_ms=$R
	plan_step=""
	((k < 50)) && plan_step=${steps[s]}
	return 0
}
# At step NAME: when the plan says so, wait the planned ms and kill the kiosk; returns 1
# after a kill (the attempt is over).
maybe_kill() {
	[[ $plan_step == "$1" ]] || return 0
	sleep "$(printf '0.%03d' "$plan_ms")"
	[[ $("$KSTATE" "$STATE" state 2>/dev/null) == DONE ]] && confirmed[$arrival]=1
	kill -KILL "$KIOSK_PID"
	wait "$KIOSK_PID" 2>/dev/null
	kills=$((kills + 1))
	echo "kill $kills: attempt $attempts (arrival $arrival) at $1+${plan_ms}ms"
	check_store
	start_kiosk || {
		echo "check restart FAIL the kiosk did not come back"
		failures=$((failures + 1))
	}
	return 1
}
attempt() {
	local st reason
	maybe_kill START || return 0
	scan_wedge "$(cat "$D/codes/$arrival.txt")"
	maybe_kill SCAN || return 0
	st=$(wait_state IDENTITY REFUSED) || return 1
	if [[ $st == REFUSED ]]; then
		reason=$("$KSTATE" "$STATE" field reason)
		echo "attempt $attempts: arrival $arrival refused ($reason)"
		click DISMISS
		wait_state ATTRACT >/dev/null
		[[ $reason == E_ALREADY_CHECKED_IN ]] && arrival=$((arrival + 1))
		return 0
	fi
	click THIS_IS_ME || return 1
	maybe_kill IDENTITY || return 0
	st=$(wait_state FAMILY BRIEFING) || return 1
	[[ $st == FAMILY ]] && { click ADD_DONE || return 1; }
	wait_state BRIEFING >/dev/null || return 1
	read_briefing || return 1
	click ACK || return 1
	maybe_kill ACK || return 0
	wait_state DONE >/dev/null || return 1
	confirmed[$arrival]=1
	maybe_kill DONE || return 0
	click DISMISS || return 1
	maybe_kill DISMISS || return 0
	arrival=$((arrival + 1))
	wait_state ATTRACT >/dev/null
}

phase_start=$SECONDS
start_kiosk || {
	echo "check start FAIL the kiosk did not start"
	exit 1
}
stuck=0
while ((attempts < COUNT && arrival <= people)); do
	((BUDGET > 0 && SECONDS - phase_start >= BUDGET)) && break
	attempts=$((attempts + 1))
	draw_plan
	if ! attempt; then
		# the driver lost its way (a scan not taken, a slow screen): a person would try
		# again; a kill and a restart put the kiosk back at the start
		echo "attempt $attempts: driver lost (screen $("$KSTATE" "$STATE" state 2>/dev/null)), restarting"
		stuck=$((stuck + 1))
		plan_step=RESCUE
		plan_ms=0
		maybe_kill RESCUE
		((stuck > 5)) && break
	fi
	# an interrupted attempt whose check-in was stored anyway: the person is checked in
	[[ $(q "SELECT count(*) FROM checkins WHERE arrival_id = $arrival") == 1 ]] && arrival=$((arrival + 1))
done
kill -TERM "$KIOSK_PID"
wait "$KIOSK_PID"
clean_exit=$?
KIOSK_PID=
echo "final check, after a clean stop (exit $clean_exit)"
check_store
check clean_stop "$( ((clean_exit == 0)) || echo "kiosk exit $clean_exit")"
san=$(grep -lE 'runtime error|Sanitizer' "$D"/logs/kiosk-*.log 2>/dev/null | head -3 | tr '\n' ' ')
check sanitizers "${san:+reports in $san}"
checkins=$(q 'SELECT count(*) FROM checkins')
bands=$(sink_tokens | sort -u | wc -l)
jobs=$(find "$D/sink" -name '*.bin' | wc -l)
jobs_done=$(q "SELECT count(*) FROM print_jobs WHERE state = 'done'")
print_jobs=$(q "SELECT group_concat(state || '=' || n, ' ') FROM (SELECT state, count(*) n FROM print_jobs GROUP BY state)")
kiosk_s=$((SECONDS - phase_start))

# ---- the sync phase: the kiosk's outbox to a real stationd, killed at seeded moments ----
sync_start=$SECONDS
setup_store "$SDB" station-1 || exit 1
TOKEN=$(sctl devices add entrance-1 --role entrance)
stationd_conf "$D/stationd.ini" "$SDB"
PORT=
start_station() {
	stationd_start "$BIN/stationd" "$D/stationd.ini" "$D/logs/stationd.log" "$PORT"
	local rc=$?
	ST_PID=$STATIOND_PID PORT=$STATIOND_PORT
	return $rc
}
start_station || {
	echo "check stationd FAIL did not start"
	exit 1
}
records=$(q "SELECT count(*) FROM outbox WHERE device_id = 'entrance-1'")
# one record per round, so that the kills land inside the pushes
"$BUILD/tools/sync_device" "$KDB" entrance-1 sync "http://127.0.0.1:$PORT" "$TOKEN" 120 1 \
	>"$D/sync.out" 2>&1 &
CLIENT_PID=$!
st_kills=0
held() { sqlite3 "$SDB" "SELECT count(*) FROM sync_records WHERE device_id = 'entrance-1'" 2>/dev/null; }
while kill -0 "$CLIENT_PID" 2>/dev/null; do
	if ((st_kills == 0)); then
		# the first kill as soon as the station holds a record: on an idle machine the whole
		# outbox can go in less than the shortest random wait below, and no kill would land
		for ((i = 0; i < 2000 && $(held) < 1; i++)); do sleep 0.005; done
	else
		rnd 150 # after it listens: inside a round
		sleep "$(printf '0.%03d' $((R + 10)))"
	fi
	kill -0 "$CLIENT_PID" 2>/dev/null || break
	(($(held) >= records)) && continue # all delivered: let the client see a whole round
	kill -KILL "$ST_PID"
	wait "$ST_PID" 2>/dev/null
	st_kills=$((st_kills + 1))
	echo "stationd kill $st_kills: $(held) of $records held"
	check station_integrity "$( [[ $(sqlite3 "$SDB" 'PRAGMA integrity_check') == ok ]] || echo not ok)"
	rnd 300
	sleep "$(printf '0.%03d' "$R")"
	start_station || {
		echo "check stationd FAIL did not restart"
		failures=$((failures + 1))
		break
	}
done
wait "$CLIENT_PID"
sync_rc=$?
CLIENT_PID=
kill -TERM "$ST_PID"
wait "$ST_PID"
st_exit=$?
ST_PID=
check sync_done "$( ((sync_rc == 0)) || echo "client exit $sync_rc: $(cat "$D/sync.out")")"
got=$(sqlite3 "$SDB" "SELECT count(*) || ' ' || count(DISTINCT device_seq) || ' ' || coalesce(max(device_seq), 0)
                      FROM sync_records WHERE device_id = 'entrance-1'")
check station_once "$( [[ $got == "$records $records $records" ]] || echo "held (rows distinct max) $got, outbox $records")"
got=$(sqlite3 "$SDB" "SELECT count(*) FROM checkins")
check station_checkins "$( [[ $got == "$checkins" ]] || echo "station has $got check-ins, kiosk $checkins")"
check outbox_sent "$( [[ $(q 'SELECT count(*) FROM outbox WHERE sent_at IS NULL') == 0 ]] || echo 'records still waiting')"
check stationd_stop "$( ((st_exit == 0)) || echo "stationd exit $st_exit")"
san=$(grep -lE 'runtime error|Sanitizer' "$D"/logs/stationd.log 2>/dev/null)
check stationd_sanitizers "${san:+reports in $san}"

echo "summary: seed=$SEED kiosk_kills=$kills attempts=$attempts checkins=$checkins" \
	"confirmed=${#confirmed[@]} printer_jobs=$jobs bands_printed=$bands jobs_done=$jobs_done print_jobs=[$print_jobs]" \
	"kiosk_s=$kiosk_s records=$records station_kills=$st_kills sync_s=$((SECONDS - sync_start))" \
	"failures=$failures"
((failures == 0))
