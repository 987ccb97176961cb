#!/bin/bash
# The short crash-consistency run (tests/crash/run.sh): the sanitized kiosk under Xvfb,
# killed with SIGKILL at seeded moments of about 45 s of check-ins and restarted, the store
# checked after every kill; then its outbox pushed to the sanitized stationd, itself killed
# during the pushes. CRASH_SEED=N repeats a run's kill plan (the seed is printed).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
seed=${CRASH_SEED:-$(((RANDOM << 15 | RANDOM) % 1000000))}
echo "# seed $seed (CRASH_SEED=$seed BUILD=$BUILD tests/run.sh test_crash repeats it)"
out="$TMP/crash.out"
timeout 300 tests/crash/run.sh -s "$seed" -n 25 -t "${CRASH_SECONDS:-45}" -b "$SAN_BIN" \
	-o "$TMP/run" >"$out" 2>&1
rc=$?
art="$BUILD/test-artifacts/crash"
rm -rf "$art" && mkdir -p "$art" && cp "$out" "$art/" && cp -r "$TMP/run/logs" "$art/"
grep -E '^(kill|stationd kill|summary|attempt)|FAIL' "$out" | sed 's/^/# /'
sum=$(grep '^summary:' "$out")
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$sum"; }

ok_if "the run completes and every check holds (exit 0)" test "$rc" -eq 0
ok_if "the kiosk was killed at least 3 times, with at least 6 check-ins" \
	test "$(field kiosk_kills)" -ge 3 -a "$(field checkins)" -ge 6
held_every_time() { # NAME: checked after every kill and at the end, never failed
	local n
	n=$(grep -c "^check $1 ok$" "$out")
	[ "$n" -ge "$(($(field kiosk_kills) + 1))" ] && ! grep -q "^check $1 FAIL" "$out"
}
ok_if "PRAGMA integrity_check ok after every kill" held_every_time integrity
ok_if "every check-in whose room was shown is stored" held_every_time confirmed
ok_if "every wristband the printer received belongs to a stored check-in" held_every_time printed
ok_if "no room over capacity after any kill" held_every_time capacity
ok_if "each check-in has exactly one outbox record, sequence numbers without holes" held_every_time outbox
ok_if "each check-in has exactly one active wristband" held_every_time band
ok_if "every job the store calls printed reached the printer, no band twice" \
	test "$(field bands_printed)" -ge "$(field jobs_done)" -a "$(field jobs_done)" -ge 1 -a \
	"$(field bands_printed)" -le "$(field checkins)"
ok_if "stationd was killed during the pushes" test "$(field station_kills)" -ge 1
ok_if "the station holds every record exactly once" grep -q '^check station_once ok$' "$out"
ok_if "and every check-in once in its own tables" grep -q '^check station_checkins ok$' "$out"
ok_if "no sanitizer report from the kiosk or stationd" \
	bash -c "grep -q '^check sanitizers ok$' '$out' && grep -q '^check stationd_sanitizers ok$' '$out'"
manifest_data_unlogged() { # the manifest's names and passport numbers never reach a log
	local names
	names=$(cut -d, -f2,4 "$TMP/run/manifest.csv" | tail -n +2 | tr ',' '\n' | paste -sd'|')
	! grep -qE "$names" "$TMP/run/logs/"*
}
ok_if "the kiosk's and stationd's logs hold no name and no passport number" manifest_data_unlogged
finish
