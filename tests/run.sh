#!/bin/bash
# Run every test suite and end with one line: "N passed, N failed".
#   unit suites:        $BUILD/san/tests/test_*   (cmocka, ASan+UBSan, TAP output)
#   integration suites: tests/integration/test_*.sh (TAP: "ok N - ..." / "not ok N - ...")
#   appliance suites:   tests/rootfs/test_*.sh, as root only (debootstrap, chroot)
# A suite that crashes, times out or runs fewer tests than its plan counts the missing ones
# as failed. Logs of every suite go to $BUILD/test-logs/. Usage: tests/run.sh [FILTER]
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
filter=${1:-}
logs="$BUILD/test-logs"
rm -rf "$logs" && mkdir -p "$logs"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
failed_names=()

run_suite() {
	local name=$1 limit=$2
	shift 2
	local log="$logs/$name.log" rc=0
	timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1 || rc=$?
	local ok notok plan
	# cmocka prints a skipped test as "not ok N # SKIP": a skip, as TAP means it
	ok=$(grep -cE '^ok [0-9]+|^not ok [0-9]+ # SKIP' "$log")
	notok=$(grep -E '^not ok [0-9]+' "$log" | grep -cv '^not ok [0-9]* # SKIP')
	plan=$(grep -m1 -oE '^1\.\.[0-9]+' "$log" | cut -d. -f3)
	plan=${plan:-0}
	local missing=$((plan - ok - notok))
	[ "$missing" -lt 0 ] && missing=0
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ] && [ "$missing" -eq 0 ]; then
		missing=1 # crashed or failed outside any test
	fi
	passed=$((passed + ok))
	failed=$((failed + notok + missing))
	if [ $((notok + missing)) -gt 0 ]; then
		failed_names+=("$name")
		printf '%-28s FAIL (%d ok, %d failed, exit %d) log: %s\n' "$name" "$ok" $((notok + missing)) "$rc" "$log"
		grep -E '^not ok|ERROR|runtime error|Sanitizer|FAIL' "$log" | head -20 | sed 's/^/    /'
	else
		printf '%-28s ok (%d)\n' "$name" "$ok"
	fi
}

for t in "$BUILD"/san/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ -n "$filter" ] && [[ $name != *$filter* ]] && continue
	run_suite "$name" 300 "$t"
done
for t in tests/integration/test_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	[ -n "$filter" ] && [[ $name != *$filter* ]] && continue
	run_suite "$name" 900 bash "$t"
done

# The appliance install into debootstrapped Debian 12 roots needs root and the Debian
# mirror (CI runs as root); elsewhere `make test-rootfs` runs it on its own.
for t in tests/rootfs/test_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	[ -n "$filter" ] && [[ $name != *$filter* ]] && continue
	if [ "$(id -u)" -ne 0 ]; then
		echo "$name: not run (needs root; run make test-rootfs as root)"
		continue
	fi
	run_suite "$name" 1200 bash "$t"
done

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed suites: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
