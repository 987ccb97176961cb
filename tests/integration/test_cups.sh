#!/bin/bash
# CUPS transport against a real cupsd started here on a loopback port with its own
# configuration: a raw queue whose device is socket://127.0.0.1:PORT (tests/tools/print_sink
# listening); the job bytes must arrive unchanged, and a stopped queue must get nothing.
# Skips (TAP "# SKIP") only when cupsd is not installed.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
TOOLS="$BUILD/san/tools"
CUPSD=$(command -v cupsd || echo /usr/sbin/cupsd)
if [ ! -x "$CUPSD" ]; then
	echo "ok 1 - cups raw queue # SKIP cupsd not installed (apt-get install cups)"
	echo "1..1"
	exit 0
fi

C="$TMP/cups"
mkdir -p "$C/root" "$C/spool/tmp" "$C/cache" "$C/state" "$C/log" "$C/sink" "$C/direct"
chmod 0711 "$TMP" "$C" "$C/spool" "$C/spool/tmp"
cp /etc/cups/raw.convs /etc/cups/raw.types "$C/root/" 2>/dev/null ||
	cp /usr/share/cups/mime/raw.convs /usr/share/cups/mime/raw.types "$C/root/" 2>/dev/null

"$TOOLS/print_sink" "$C/sink" "$C/sink.port" &
sink_pid=$!
cupsd_pid=""
cleanup() {
	[ -n "$cupsd_pid" ] && kill "$cupsd_pid" 2>/dev/null
	kill "$sink_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# a loopback port nobody listens on, for cupsd
for _ in $(seq 20); do
	cport=$((20000 + RANDOM % 30000))
	(echo >"/dev/tcp/127.0.0.1/$cport") 2>/dev/null || break
done
cat >"$C/cupsd.conf" <<CONF
Listen 127.0.0.1:$cport
LogLevel warn
Browsing Off
DefaultAuthType None
WebInterface No
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
CONF
cat >"$C/cups-files.conf" <<CONF
ServerRoot $C/root
RequestRoot $C/spool
TempDir $C/spool/tmp
CacheDir $C/cache
StateDir $C/state
ErrorLog $C/log/error_log
AccessLog $C/log/access_log
PageLog $C/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
SystemGroup root
FileDevice No
Sandboxing Relaxed
CONF

export CUPS_SERVER="127.0.0.1:$cport"
for _ in $(seq 50); do [ -s "$C/sink.port" ] && break; sleep 0.1; done
sport=$(cat "$C/sink.port")

config_ok() { "$CUPSD" -t -c "$C/cupsd.conf" -s "$C/cups-files.conf" >"$C/log/check" 2>&1; }
ok_if "cupsd accepts the test configuration" config_ok
"$CUPSD" -f -c "$C/cupsd.conf" -s "$C/cups-files.conf" 2>"$C/log/stderr" &
cupsd_pid=$!
up() { lpstat -h "$CUPS_SERVER" -r 2>/dev/null | grep -q 'is running'; }
for _ in $(seq 100); do up && break; sleep 0.1; done
ok_if "cupsd runs on 127.0.0.1:$cport" up

lpadmin -h "$CUPS_SERVER" -p hk_raw -E -v "socket://127.0.0.1:$sport" -m raw >"$C/lpadmin.log" 2>&1
queue_ok() { lpstat -h "$CUPS_SERVER" -v hk_raw 2>&1 | grep -q "socket://127.0.0.1:$sport"; }
ok_if "raw queue with a socket:// device" queue_ok

TOKEN="HKW1.eyJyIjoiMTIwOCJ9.cups-test-token"
"$TOOLS/label_print" -l en -j 77 "zpl+cups://hk_raw" wristband "$TOKEN" >"$C/print.out" 2>&1
ok_if "label_print through CUPS reports OK" grep -qx OK "$C/print.out"
"$TOOLS/label_print" -l en -j 77 "zpl+dir:$C/direct" wristband "$TOKEN" >/dev/null 2>&1

arrived() { [ -f "$C/sink/001.bin" ]; }
for _ in $(seq 150); do arrived && break; sleep 0.1; done
same_bytes() { cmp -s "$C/sink/001.bin" "$C/direct/000001-job77.zpl"; }
ok_if "the job arrived at the socket device" arrived
ok_if "the bytes arrived unchanged" same_bytes

status_ready() { "$TOOLS/label_print" -S "escpos+cups://hk_raw" | grep -q 'known=1 offline=0 paper_out=0 head_open=0 paused=0'; }
ok_if "queue status reads ready" status_ready

cupsdisable -h "$CUPS_SERVER" hk_raw >>"$C/lpadmin.log" 2>&1
refused() {
	"$TOOLS/label_print" -l zh -j 78 "tspl+cups://hk_raw" meal "$TOKEN" >"$C/print2.out" 2>&1
	grep -qx E_PRINTER_PAUSED "$C/print2.out"
}
ok_if "a stopped queue refuses the job (E_PRINTER_PAUSED)" refused
no_second_job() { sleep 0.5; [ ! -e "$C/sink/002.bin" ] && [ -z "$(lpstat -h "$CUPS_SERVER" -o hk_raw 2>&1)" ]; }
ok_if "nothing reached the printer from the stopped queue" no_second_job
missing_queue() {
	"$TOOLS/label_print" -j 79 "zpl+cups://no_such_queue" wristband "$TOKEN" >"$C/print3.out" 2>&1
	! grep -qx OK "$C/print3.out"
}
ok_if "an unknown queue is an error" missing_queue
if [ "$tap_failed" -gt 0 ]; then
	sed 's/^/# /' "$C/log/check" "$C/log/error_log" "$C/log/stderr" "$C/lpadmin.log" "$C"/print*.out 2>/dev/null | tail -40
fi
finish
