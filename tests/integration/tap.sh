# Sourced by integration tests: a tiny TAP writer, and a scratch directory removed on exit.
#   ok_if NAME COMMAND...   runs COMMAND, prints "ok N - NAME" or "not ok N - NAME"
#   finish                  prints the plan line; call it last
set -u
BUILD=${BUILD:-build}
SAN_BIN="$BUILD/san/bin"
tap_n=0
tap_failed=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
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
