#!/bin/bash
# stationctl print-jobs: the desk sees the jobs that did not print (uncertain, failed,
# queued) with their reasons, and retries or cancels them with an audited badge.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
ctl() { "$SAN_BIN/stationctl" --db "$TMP/s.db" "$@"; }
ctl init --station SZ01 --device desk-1 >/dev/null
now=$(date +%s)
sqlite3 "$TMP/s.db" "INSERT INTO print_jobs (kind, ref, payload, state, attempts, reason,
  created_at, queued_at, updated_at) VALUES
  ('wristband', '1111', '{}', 'uncertain', 1, 'E_PRINT_UNCERTAIN', $now, $now - 600, $now),
  ('wristband', '2222', '{}', 'failed', 5, 'E_PAPER_OUT', $now, $now - 120, $now),
  ('door', '1203', '{}', 'done', 1, '', $now, $now, $now)"
ctl print-jobs >"$TMP/list"
ok_if "list shows the uncertain and the failed job, not the printed one" \
	test "$(grep -cE '^[0-9]+ +(wristband|door)' "$TMP/list")" -eq 2
ok_if "with their reasons" grep -q 'E_PAPER_OUT' "$TMP/list"
ok_if "and how long they waited" grep -qE 'uncertain .* 10 min' "$TMP/list"
ok_if "retry queues the uncertain job again" ctl print-jobs retry 1 --badge STAFF01
ok_if "its state is queued" test "$(sqlite3 "$TMP/s.db" "SELECT state FROM print_jobs WHERE id = 1")" = queued
ok_if "cancel withdraws the failed one" ctl print-jobs cancel 2 --badge STAFF01
ok_if "both decisions are in the audit log with the badge" \
	test "$(sqlite3 "$TMP/s.db" "SELECT count(*) FROM audit_log WHERE actor = 'STAFF01'")" -eq 2
refused() { ! ctl print-jobs retry 3 --badge STAFF01 2>/dev/null; }
ok_if "a printed job cannot be retried" refused
usage() {
	ctl print-jobs retry 1 >/dev/null 2>&1
	[ $? -eq 2 ]
}
ok_if "a decision needs a badge (usage error)" usage
ok_if "--help" sh -c "'$SAN_BIN/stationctl' print-jobs --help | grep -q 'Usage: stationctl print-jobs'"
finish
