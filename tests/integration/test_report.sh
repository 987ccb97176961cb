#!/bin/bash
# stationctl report daily on a generated store (500 residents over 30 days, written by
# tests/tools/gen_station through the store API): every figure of the CSV checked against
# sqlite3 CLI queries written here independently (audit log for departures, nearest-rank
# percentiles by OFFSET, day N by date arithmetic); the HTML self-contained; badges add
# with the PIN from stdin; export of any table.
# shellcheck disable=SC2016,SC2034
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
REPO=$PWD
CTL="$REPO/$SAN_BIN/stationctl"
GEN="$REPO/$BUILD/san/tools/gen_station"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
cd "$TMP" || exit 1
DB="$TMP/station.db"
q() { sqlite3 "$DB" "$1"; }

ok_if "gen_station: 500 residents over 30 days" \
	eval '"$GEN" "$DB" 500 30 7 2026-11-01 >gen.out && grep -qF "500 residents" gen.out'
ok_if "generated: 500 check-ins, some released, some transferred" \
	eval '[ "$(q "SELECT count(*) FROM checkins")" = 500 ] &&
	      [ "$(q "SELECT count(*) FROM audit_log WHERE action = '\''release'\''")" -gt 50 ]'

DAY=2026-11-25
S=$(date -u -d "$DAY 00:00 +0800" +%s)
E=$((S + 86400))
ok_if "report daily --date $DAY --format csv" \
	eval '"$CTL" --db "$DB" report daily --date $DAY --format csv --out r.csv'
ok_if "CSV: UTF-8 BOM" eval '[ "$(head -c3 r.csv | od -An -tx1 | tr -d " ")" = efbbbf ]'
ok_if "CSV: every line ends CRLF" eval '[ "$(grep -c $'\''\r$'\'' r.csv)" = "$(wc -l <r.csv)" ]'
tr -d '\r' <r.csv | sed '1s/^\xEF\xBB\xBF//' >r.txt
val() { awk -F, -v k="$1" '$1 == k { print $2; exit }' r.txt; }

ok_if "date" eval '[ "$(val date)" = $DAY ]'
want=$(q "SELECT count(*) FROM checkins WHERE at >= $S AND at < $E")
ok_if "arrivals = $want" eval '[ "$(val arrivals)" = "$want" ] && [ "$want" -gt 5 ]'
n=$(q "SELECT count(*) FROM checkins WHERE at >= $S AND at < $E AND total_ms >= 0")
rank() { echo $(((n * $1 + 99) / 100 - 1)); }
med=$(q "SELECT total_ms FROM checkins WHERE at >= $S AND at < $E AND total_ms >= 0 ORDER BY total_ms LIMIT 1 OFFSET $(rank 50)")
p90=$(q "SELECT total_ms FROM checkins WHERE at >= $S AND at < $E AND total_ms >= 0 ORDER BY total_ms LIMIT 1 OFFSET $(rank 90)")
ok_if "intake median $med ms, 90th percentile $p90 ms" \
	eval '[ "$(val intake_timed)" = "$n" ] && [ "$(val intake_median_ms)" = "$med" ] && [ "$(val intake_p90_ms)" = "$p90" ] && [ "$p90" -gt "$med" ]'
want=$(q "SELECT count(*) FROM audit_log WHERE action = 'release' AND at >= $S AND at < $E")
ok_if "releases = $want (from the audit log)" eval '[ "$(val releases)" = "$want" ] && [ "$want" -gt 0 ]'
want=$(q "SELECT count(*) FROM audit_log WHERE action = 'transfer' AND at >= $S AND at < $E")
ok_if "transfers = $want" eval '[ "$(val transfers)" = "$want" ]'
HOUSE="FROM occupancy o JOIN checkins c ON c.id = o.checkin_id WHERE o.since < $E AND (o.until IS NULL OR o.until >= $E)"
want=$(q "SELECT count(*) $HOUSE")
ok_if "occupancy = $want" eval '[ "$(val occupancy)" = "$want" ] && [ "$want" -gt 100 ]'
want=$(q "SELECT count(DISTINCT o.room) $HOUSE")
ok_if "rooms in use = $want of 300" eval '[ "$(val rooms_in_use)" = "$want" ] && [ "$(val rooms_total)" = 300 ]'
# colour at the end of the day: the newest change since check-in and before the end
risk_sql="WITH h AS (SELECT o.arrival_id AS id, c.at AS at, c.risk AS risk $HOUSE),
  ch AS (SELECT x.arrival_id AS id, x.risk AS risk, ROW_NUMBER() OVER (PARTITION BY x.arrival_id ORDER BY x.at DESC, x.id DESC) AS k
         FROM risk_changes x JOIN h ON h.id = x.arrival_id WHERE x.at >= h.at AND x.at < $E)
  SELECT count(*) FROM h LEFT JOIN ch ON ch.id = h.id AND ch.k = 1 WHERE COALESCE(ch.risk, h.risk) = "
for colour in green yellow orange red; do
	want=$(q "$risk_sql'$colour'")
	ok_if "risk $colour = $want" eval '[ "$(val risk_$colour)" = "$want" ]'
done
ok_if "colours add up to the occupancy" \
	eval '[ $(($(val risk_green) + $(val risk_yellow) + $(val risk_orange) + $(val risk_red))) = "$(val occupancy)" ]'
# day N: day 1 is the arrival day before noon (China time), else the next day
dayn="julianday('$DAY') - julianday(date(c.at + 28800, 'unixepoch')) + 1 - (CAST(strftime('%H', c.at + 28800, 'unixepoch') AS INTEGER) >= 12)"
want=$(q "SELECT count(*) $HOUSE AND CAST($dayn AS INTEGER) IN (1, 4, 7, 10, 14, 21)")
ok_if "tests due = $want (day N in 1,4,7,10,14,21)" eval '[ "$(val tests_due)" = "$want" ] && [ "$want" -gt 0 ]'
"$CTL" --db "$DB" report daily --date $DAY --test-days 2,3 --out r23.csv
want=$(q "SELECT count(*) $HOUSE AND CAST($dayn AS INTEGER) IN (2, 3)")
ok_if "tests due with --test-days 2,3 = $want" \
	eval 'tr -d "\r" <r23.csv | grep -qx "tests_due,$want"'
want=$(q "SELECT count(*) FROM scans WHERE at >= $S AND at < $E")
flag=$(q "SELECT count(*) FROM scans WHERE at >= $S AND at < $E AND colour <> 'green'")
ok_if "scans = $want, flagged = $flag" eval '[ "$(val scans)" = "$want" ] && [ "$(val scans_flagged)" = "$flag" ] && [ "$flag" -gt 0 ]'
# the 14-day series
series_ok() {
	local i d s e line
	for i in $(seq 13 -1 0); do
		d=$(date -u -d "$DAY - $i days" +%F)
		s=$(date -u -d "$d 00:00 +0800" +%s)
		e=$((s + 86400))
		line="$d,$(q "SELECT count(*) FROM checkins WHERE at >= $s AND at < $e"),$(q "SELECT count(*) FROM occupancy WHERE since < $e AND (until IS NULL OR until >= $e)"),$(q "SELECT count(*) FROM audit_log WHERE action = 'release' AND at >= $s AND at < $e")"
		grep -qx -- "$line" r.txt || { echo "# missing: $line" >&2; return 1; }
	done
}
ok_if "14 days of arrivals, residents and releases" series_ok

ok_if "report --format html" \
	eval '"$CTL" --db "$DB" report daily --date $DAY --format html --out r.html'
ok_if "HTML: a whole page" eval 'head -1 r.html | grep -qx "<!DOCTYPE html>" && tail -1 r.html | grep -qx "</html>"'
ok_if "HTML: self-contained (no script, no external reference)" \
	eval '! grep -qiE "<script|<link|src=|href=|@import|url\(" r.html && [ "$(grep -oE "https?://[^\"]*" r.html | sort -u)" = "http://www.w3.org/2000/svg" ]'
ok_if "HTML: inline SVG chart with 14 bars and a 14-point line" \
	eval '[ "$(grep -c "<rect class=\"arr\"" r.html)" = 14 ] && [ "$(grep -o "points=\"[^\"]*\"" r.html | tr " " "\n" | grep -c ,)" = 14 ]'
ok_if "HTML: the same figures" \
	eval 'grep -qF "<tr><th>Arrivals</th><td>$(val arrivals)</td></tr>" r.html && grep -qF "<tr><th>Tests due</th><td>$(val tests_due)</td></tr>" r.html'
ok_if "HTML: well-formed XML" eval 'python3 -c "import sys, xml.dom.minidom as m; m.parse(\"r.html\")" 2>/dev/null || xmllint --noout r.html 2>/dev/null'
exit_code() { "$@" >/dev/null 2>&1 </dev/null; echo $?; }
ok_if "report: a date that does not exist: exit 2" \
	eval '[ "$(exit_code "$CTL" --db "$DB" report daily --date 2026-02-30)" = 2 ]'
ok_if "report: an unknown format: exit 2" \
	eval '[ "$(exit_code "$CTL" --db "$DB" report daily --format pdf)" = 2 ]'
ok_if "report --help" eval '"$CTL" report --help | grep -q "Usage: stationctl report daily"'

# badges: the PIN comes from stdin and is stored salted and slow
ok_if "badges add staff-9 --role doctor (PIN on stdin)" \
	eval 'printf "%s\n" 730156 | "$CTL" --db "$DB" badges add staff-9 --role doctor 2>/dev/null'
ok_if "badge stored as a PBKDF2 hash, not the PIN" \
	eval 'h=$(q "SELECT pin_hash FROM badges WHERE badge_id = '\''staff-9'\''"); [[ $h == pbkdf2-sha256\$200000\$* ]] && [[ $h != *730156* ]]'
ok_if "badges add: the PIN on the command line is refused (exit 2)" \
	eval '[ "$(exit_code "$CTL" --db "$DB" badges add staff-8 --role staff 1234)" = 2 ] && [ "$(q "SELECT count(*) FROM badges WHERE badge_id = '\''staff-8'\''")" = 0 ]'
ok_if "badges add: a bad PIN or role refused" \
	eval '! (echo 12 | "$CTL" --db "$DB" badges add b1 --role staff 2>/dev/null) && ! (echo 1234 | "$CTL" --db "$DB" badges add b2 --role king 2>/dev/null)'

# export of any table
ok_if "export rooms: BOM, CRLF, header and 300 rows" \
	eval '"$CTL" --db "$DB" export rooms -o rooms.csv 2>/dev/null && [ "$(head -c3 rooms.csv | od -An -tx1 | tr -d " ")" = efbbbf ] && [ "$(grep -c $'\''\r$'\'' rooms.csv)" = 301 ] && head -1 rooms.csv | grep -q "number,floor,capacity,state"'
ok_if "export arrivals keeps Chinese text" \
	eval '"$CTL" --db "$DB" export arrivals 2>/dev/null | grep -q "测试00042"'
# what Excel on a Chinese Windows machine needs besides the BOM and CRLF: separators, quotes
# and line breaks inside a cell quoted (RFC 4180), a cell that would start a formula defused
q "UPDATE arrivals SET notes = '行动不便, 需要\"轮椅\"' || char(10) || '二楼', dietary = '=1+2' WHERE id = 42"
excel_ok() {
	"$CTL" --db "$DB" export arrivals -o arr.csv 2>/dev/null &&
		python3 - arr.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
r = next(x for x in rows if x["id"] == "42")
assert r["notes"] == '行动不便, 需要"轮椅"\r\n二楼' or r["notes"] == '行动不便, 需要"轮椅"\n二楼', r["notes"]
assert r["dietary"] == "'=1+2", r["dietary"]
assert len(rows) >= 500, len(rows)
PY
}
ok_if "export: commas, quotes and line breaks quoted; a formula defused (read back by Python's csv)" excel_ok
ok_if "export of an unknown table or the schema: refused" \
	eval '! "$CTL" --db "$DB" export nosuch 2>/dev/null && ! "$CTL" --db "$DB" export sqlite_schema 2>/dev/null'
finish
