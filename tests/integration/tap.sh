# Sourced by integration tests: a tiny TAP writer, and a scratch directory removed on exit.
#   ok_if NAME COMMAND...   runs COMMAND, prints "ok N - NAME" or "not ok N - NAME"
#   finish                  prints the plan line; call it last
#   xvfb_start WxHxD        starts an Xvfb of its own on a free display, exports DISPLAY;
#                           it is stopped on exit (or earlier with xvfb_stop)
set -u
BUILD=${BUILD:-build}
SAN_BIN="$BUILD/san/bin"
tap_n=0
tap_failed=0
TMP=$(mktemp -d)
xvfb_pid=
xvfb_stop() {
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
	xvfb_pid=
	return 0
}
trap 'xvfb_stop; rm -rf "$TMP"' EXIT
xvfb_start() {
	local n try
	for try in 0 1 2 3 4 5 6 7; do
		# a display number unlikely to clash with other runs on the same machine
		n=$((200 + ($$ + try * 41) % 700))
		[ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
		Xvfb ":$n" -screen 0 "$1" -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
		xvfb_pid=$!
		for _ in $(seq 100); do
			[ -e "/tmp/.X11-unix/X$n" ] && { DISPLAY=":$n"; export DISPLAY; return 0; }
			kill -0 "$xvfb_pid" 2>/dev/null || break
			sleep 0.05
		done
		xvfb_stop
	done
	return 1
}
ok_if() {
	local name=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $name"
	else
		echo "not ok $tap_n - $name"
		tap_failed=$((tap_failed + 1))
	fi
}
finish() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# The names and document numbers of the demo and test stations, whole or masked
# ("4403**********1235"): none may reach a log. Not a bare "4403" or "1101": wristband ids
# are random digits and may hold either.
PERSONAL_DATA='张|李|王|陈|刘|赵|SMITH|Alex|(4403|1101)[0-9]*[*]|110105194910010015|440305198001011235|440305198203154568|44030519900101123X|E22345678|E52345678|E99887766|P1234567'
# no_personal_data FILE...: true when none of the files holds any of them
no_personal_data() { ! grep -qE "$PERSONAL_DATA" "$@"; }

# station_day [FORMAT]: today at the station (date(1) FORMAT, default %F). Its days are China
# Standard Time (UTC+8, app/core/policy.c tz_offset_s), not this machine's: from 16:00 UTC the
# station is already a day ahead.
station_day() { date -u -d '+8 hours' "+${1:-%F}"; }
