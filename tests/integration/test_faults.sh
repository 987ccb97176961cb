#!/bin/bash
# Faults the entrance kiosk meets in service, each on the real (sanitized) kiosk under Xvfb
# driven as people would (tests/demo/drive.sh): a full disk (a file size limit, which works
# as root and not) found at the commit, a nearly full disk refused at the scan, the printer unplugged in the middle of a job, the store file corrupt at
# boot, and the clock jumping backwards. Each checks what the person sees, what staff are
# told and what is kept (docs/reliability.md, "Faults").
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
. tests/lib/station.sh
export ASAN_OPTIONS=detect_leaks=0 # X11 and fontconfig keep caches until exit
F="$TMP"
DB="$F/kiosk.db"
q() { sqlite3 "$DB" "$1"; }
ctl() { "$BUILD/bin/stationctl" --db "$DB" "$@"; }
mkdir -p "$F/codes" "$F/sink" "$F/logs"
{
	echo "batch,name,doc_type,doc_number,nationality,phone,category,term,group_id,arrival_day,elderly,child,pregnant,dietary,notes"
	names=(甲 乙 丙 丁 戊 己 庚 辛)
	for i in 1 2 3 4 5 6 7 8; do
		printf 'FAULT-1,测试%s,passport,E%08d,CHN,,inbound,14,,%s,,,,,\n' \
			"${names[i - 1]}" $((71000000 + i)) "$(date +%F)"
	done
} >"$F/manifest.csv"
ctl init --station SZ01 --device entrance-1 >/dev/null
ctl rooms add 2001-2010 --floor 20 --capacity 2 >/dev/null
ctl import-manifest "$F/manifest.csv" >/dev/null || {
	echo "Bail out! the manifest was not imported"
	exit 1
}
ctl band-key init "$F/band.key" >/dev/null
ctl demo init --key "$F/issuer.pem" >/dev/null
for i in 1 2 3 4 5 6 7 8; do
	ctl demo issue-code --arrival "$i" --key "$F/issuer.pem" --out "$F/codes/$i.txt" >/dev/null
done
"$BUILD/tools/print_sink" "$F/sink" "$F/sink.port" &
SINK_PID=$!
for _ in $(seq 100); do [ -s "$F/sink.port" ] && break; sleep 0.05; done
PRINTER="zpl+tcp://127.0.0.1:$(cat "$F/sink.port")?status=off&native_qr=1&timeout_ms=2000"
write_conf() { # PRINTER-SPEC
	entrance_conf "$F/kiosk.conf" "$DB" "$1" "$F/band.key" en <<EOF
[ui]
briefing_min_read_s = 1
[flow]
done_s = 30
refusal_s = 30
EOF
}
write_conf "$PRINTER"

n=170
while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
KIOSK_PID=
stop_all() {
	kill "$KIOSK_PID" "$SINK_PID" "$XVFB_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap stop_all EXIT
export DISPLAY=":$n"
for _ in $(seq 100); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.05; done
KSTATE="$BUILD/tools/kstate"
STATE="$F/state.json"
SCREEN_W=800
SCREEN_H=480
WAIT_S=30
export KSTATE STATE SCREEN_W SCREEN_H
. tests/demo/drive.sh

# start_kiosk NAME [PREFIX...]: the kiosk, its log in $F/logs/NAME.log through a pipe (so a
# file size limit applies to the kiosk's own files only); waits for the attract screen.
start_kiosk() {
	local name=$1
	shift
	rm -f "$STATE"
	"$@" "$SAN_BIN/kiosk" --config "$F/kiosk.conf" --windowed --size 800x480 \
		--state-file "$STATE" 2> >(cat >"$F/logs/$name.log") 7>&- &
	KIOSK_PID=$!
	WIN=$(timeout 30 xdotool search --sync --onlyvisible --class kiosk | head -n 1)
	[ -n "$WIN" ] && xdotool windowfocus --sync "$WIN"
	export WIN
	wait_state ATTRACT >/dev/null
}
stop_kiosk() {
	kill "$KIOSK_PID" 2>/dev/null
	wait "$KIOSK_PID" 2>/dev/null
	local rc=$?
	KIOSK_PID=
	return "$rc"
}
# checkin ARRIVAL: scan, confirm, read, acknowledge; prints the screen it ends on
checkin() {
	scan_wedge "$(cat "$F/codes/$1.txt")"
	local st
	st=$(wait_state IDENTITY REFUSED FAULT) || return 1
	if [ "$st" = IDENTITY ]; then
		click THIS_IS_ME || return 1
		wait_state BRIEFING FAMILY >/dev/null || return 1
		[ "$(wait_state BRIEFING FAMILY)" = FAMILY ] && click ADD_DONE
		wait_state BRIEFING >/dev/null || return 1
		read_briefing || return 1
		click ACK || return 1
		st=$(wait_state DONE FAULT REFUSED) || return 1
	fi
	echo "$st"
}
field() { "$KSTATE" "$STATE" field "$1"; }

# ---- disk full: the kiosk's files may not grow past a limit (RLIMIT_FSIZE) ----
start_kiosk normal
ok_if "a check-in before the disk fills" test "$(checkin 1)" = DONE
click DISMISS
wait_state ATTRACT >/dev/null
stop_kiosk
before=$(q "SELECT count(*) FROM checkins")
limit_kb=40 # the -shm (32 KiB) and a few WAL pages fit, a check-in does not
start_kiosk diskfull bash -c "ulimit -f $limit_kb && exec \"\$0\" \"\$@\""
st=$(checkin 2)
echo "# disk full (limit $limit_kb KiB): screen $st, reason $(field reason)"
sed 's/^/# /' "$F/logs/diskfull.log" | tail -5
ok_if "disk full: the check-in is refused on the fault screen (not a crash)" \
	test "$st" = FAULT -a "$(field reason)" = E_STORE_FAILED
ok_if "disk full: the kiosk is still running" kill -0 "$KIOSK_PID"
ok_if "disk full: staff are told why in the log (the store's own words)" grep -qE "check-in not stored: (disk I/O error|database or disk is full)" "$F/logs/diskfull.log"
stop_kiosk # the fault screen calls staff; it has no button for the person
ok_if "disk full: nothing stored is lost, the store is intact" \
	test "$(q "SELECT count(*) FROM checkins")" = "$before" -a "$(q 'PRAGMA integrity_check')" = ok
ok_if "disk full: no wristband was printed for the refused check-in" \
	test "$(find "$F/sink" -name '*.bin' | wc -l)" -eq 1
start_kiosk after
ok_if "disk freed: the next check-in goes through" test "$(checkin 2)" = DONE
click DISMISS
wait_state ATTRACT >/dev/null
stop_kiosk

# ---- the store's disk nearly full (store.min_free_mb above the space left): refused at the
# scan, before the person reads the briefing; the commit-time refusal above stays behind it ----
avail_mb=$(df -Pm "$F" | awk 'NR == 2 {print $4}')
sed -i "/^path = /a min_free_mb = $((avail_mb + 1024))" "$F/kiosk.conf"
before=$(q "SELECT count(*) FROM checkins")
bands_before=$(find "$F/sink" -name '*.bin' | wc -l)
start_kiosk lowdisk
scan_wedge "$(cat "$F/codes/7.txt")"
st=$(wait_state REFUSED IDENTITY FAMILY BRIEFING FAULT)
echo "# disk nearly full (${avail_mb} MB free, minimum $((avail_mb + 1024)) MB): screen $st, reason $(field reason)"
sed 's/^/# /' "$F/logs/lowdisk.log" | grep -i "disk" | tail -3
ok_if "disk nearly full: refused at the scan with E_STORAGE_LOW, before the briefing" \
	test "$st" = REFUSED -a "$(field reason)" = E_STORAGE_LOW -a "$(field storage_low)" = true
ok_if "disk nearly full: the code was not even verified (nothing of the person read)" \
	bash -c "! grep -q 'verified:' '$F/logs/lowdisk.log'"
ok_if "disk nearly full: staff are told in the log, at start and at the refusal" \
	bash -c "grep -q 'store disk nearly full: [0-9]* MB free' '$F/logs/lowdisk.log' &&
		grep -q 'check-in refused before the briefing' '$F/logs/lowdisk.log'"
click DISMISS
wait_state ATTRACT >/dev/null
stop_kiosk
ok_if "disk nearly full: nothing stored or printed, nothing lost, the store intact" \
	test "$(q "SELECT count(*) FROM checkins")" = "$before" -a "$(q 'PRAGMA integrity_check')" = ok -a \
	"$(find "$F/sink" -name '*.bin' | wc -l)" -eq "$bands_before"
write_conf "$PRINTER"
start_kiosk lowdisk-after
ok_if "disk space back: the same person checks in" test "$(checkin 7)" = DONE
ok_if "disk space back: the check-in is stored" test "$(q "SELECT count(*) FROM checkins")" -eq $((before + 1))
click DISMISS
wait_state ATTRACT >/dev/null
stop_kiosk

# ---- the printer unplugged in the middle of a job: it closes with the job half read ----
kill "$SINK_PID"
wait "$SINK_PID" 2>/dev/null
rm -f "$F/sink.port"
mkdir -p "$F/sink2"
"$BUILD/tools/print_sink" "$F/sink2" "$F/sink.port" 4000 &
SINK_PID=$!
for _ in $(seq 100); do [ -s "$F/sink.port" ] && break; sleep 0.05; done
write_conf "zpl+tcp://127.0.0.1:$(cat "$F/sink.port")?status=off&native_qr=1&timeout_ms=2000"
start_kiosk printer
st=$(checkin 3)
for _ in $(seq 100); do # the done screen, then the print's outcome
	[ "$(field reason)" != OK ] && break
	sleep 0.05
done
echo "# printer cut mid-job: screen $st, reason $(field reason); jobs $(q "SELECT group_concat(state || ':' || coalesce(reason, ''), ' ') FROM print_jobs")"
ok_if "printer cut mid-job: the person is checked in and told to collect the band at the desk" \
	test "$st" = DONE -a "$(field reason)" = E_PRINTER_FAILED
ok_if "printer cut mid-job: the job is uncertain for staff (may have printed), not resent" \
	test "$(q "SELECT state FROM print_jobs ORDER BY id DESC LIMIT 1")" = uncertain -a \
	"$(find "$F/sink2" -name '*.cut' | wc -l)" -eq 1
ok_if "printer cut mid-job: staff see it in stationctl print-jobs" \
	bash -c "'$BUILD/bin/stationctl' --db '$DB' print-jobs | grep -q uncertain"
click DISMISS
wait_state ATTRACT >/dev/null
ok_if "printer back: the next band prints whole" test "$(checkin 4)" = DONE
for _ in $(seq 300); do
	[ "$(find "$F/sink2" -name '*.bin' | wc -l)" -ge 1 ] && break
	sleep 0.05
done
echo "# printer back: jobs $(q "SELECT group_concat(state || ':' || coalesce(reason, ''), ' ') FROM print_jobs"); sink $(ls "$F/sink2" | tr '\n' ' ')"
ok_if "printer back: the printer received it" test "$(find "$F/sink2" -name '*.bin' | wc -l)" -eq 1
click DISMISS
wait_state ATTRACT >/dev/null
stop_kiosk

# ---- the camera (files: folder) removed and put back; the serial scanner unplugged ----
write_conf "$PRINTER"
ctl demo issue-code --arrival 5 --key "$F/issuer.pem" --out "$F/codes/5.txt" --png "$F/codes/5.png" >/dev/null
ctl demo issue-code --arrival 6 --key "$F/issuer.pem" --out "$F/codes/6.txt" --png "$F/codes/6.png" >/dev/null
mkdir -p "$F/camera"
sed -i "s|^spec = wedge|spec = serial:$F/scanner|" "$F/kiosk.conf"
printf '[camera]\nspec = files:%s\n' "$F/camera" >>"$F/kiosk.conf"
mkfifo "$F/codes.fifo"
"$BUILD/tools/ptyscan" "$F/scanner" <"$F/codes.fifo" &
PTY_PID=$!
exec 7>"$F/codes.fifo"
for _ in $(seq 100); do [ -e "$F/scanner" ] && break; sleep 0.05; done
start_kiosk devices
rm -rf "$F/camera"
sleep 1.5
mkdir "$F/camera"
cp "$F/codes/5.png" "$F/camera/.a.png" && mv "$F/camera/.a.png" "$F/camera/a.png"
on_identity() { wait_state IDENTITY >/dev/null; }
ok_if "camera folder removed and back: the next code shown is read" on_identity
stop_kiosk
rm -f "$F/camera/"*
start_kiosk devices
kill "$PTY_PID" # the scanner box unplugged: its pty closes
wait "$PTY_PID" 2>/dev/null
exec 7>&-
sleep 1.5
mkfifo "$F/codes2.fifo"
"$BUILD/tools/ptyscan" "$F/scanner" <"$F/codes2.fifo" &
PTY_PID=$!
exec 8>"$F/codes2.fifo"
sleep 1.5 # the kiosk tries to reopen the scanner once a second
cat "$F/codes/6.txt" >&8
echo >&8
ok_if "serial scanner unplugged and back: the next scan is read" on_identity
ok_if "the unplugged scanner is in the log for staff" grep -q "scanner .* unplugged; reopening" "$F/logs/devices.log"
exec 8>&-
kill "$PTY_PID" 2>/dev/null
wait "$PTY_PID" 2>/dev/null
stop_kiosk
write_conf "$PRINTER"

# ---- the store file corrupt at boot ----
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
unsent=$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
page=$(q "SELECT pageno FROM dbstat WHERE name = 'arrivals' AND pagetype = 'leaf' LIMIT 1")
head -c 64 /dev/zero | tr '\0' '\377' | dd of="$DB" bs=1 seek=$(((page - 1) * 4096)) conv=notrunc 2>/dev/null
sum=$(sha256sum <"$DB")
timeout 60 "$SAN_BIN/kiosk" --config "$F/kiosk.conf" --windowed --size 800x480 2>"$F/logs/corrupt.log" 7>&-
rc=$?
aside=$(ls "$DB".corrupt-* 2>/dev/null | head -1)
echo "# corrupt store: kiosk exit $rc, aside ${aside:-none}, $unsent unsent records before"
ok_if "corrupt store: moved aside whole (same bytes), not deleted" \
	test -n "$aside" -a "$(sha256sum <"${aside:-/dev/null}")" = "$sum" -a ! -e "$DB"
ok_if "corrupt store: the unsynced outbox is kept in it, readable for staff" \
	test "$unsent" -ge 4 -a "$(sqlite3 "$aside" "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" = "$unsent"
ok_if "corrupt store: the log names the moved-aside file" grep -qF "moved aside to $aside" "$F/logs/corrupt.log"
ok_if "corrupt store: the kiosk stops with an error (systemd restarts it)" test "$rc" -ne 0 -a "$rc" -ne 124
start_kiosk fresh
ok_if "corrupt store: the restart serves on a new, empty store (no manifest: nobody admitted)" \
	bash -c "[ \"\$(sqlite3 '$DB' 'PRAGMA integrity_check')\" = ok ] && [ \"\$(sqlite3 '$DB' 'SELECT count(*) FROM arrivals')\" = 0 ]"
stop_kiosk

# ---- the clock jumping backwards: every timeout runs on the monotonic clock ----
# (a wall-clock change cannot be made here without root and without disturbing the machine;
# the property is in the code: the flows step on clock_mono_ms(), every timed wait of a
# thread on a CLOCK_MONOTONIC condition variable or poll timeout)
mono_only() {
	grep -q 'flow_entrance_step(&e->flow, ev, now' app/kiosk/entrance.c &&
		grep -q 'int64_t now = clock_mono_ms();' app/kiosk/entrance.c &&
		grep -q 'flow_security_step(&p->flow, ev, clock_mono_ms()' app/kiosk/security.c &&
		[ "$(grep -l pthread_cond_timedwait app/kiosk/*.c app/service/*.c app/sync/client.c drivers/*/*.c |
			xargs -r grep -L 'pthread_condattr_setclock(&[a-z]*, CLOCK_MONOTONIC)')" = "" ] &&
		! grep -n 'clock_unix_ms\|clock_unix_s' drivers/scanner/*.c drivers/camera/*.c app/kiosk/common.c
}
ok_if "clock backwards: timeouts, scanner gaps and waits use the monotonic clock" mono_only

finish
