#!/bin/bash
# stationctl on real store files: --help everywhere, usage errors (exit 2), init at the
# default path, rooms add/list/state, manifest import in UTF-8, UTF-8+BOM+CRLF and GB18030,
# a bad manifest leaving the store byte-for-byte unchanged, and the Excel-ready CSV export.
# Checks are written as eval strings so that ok_if runs them whole; variables expand there.
# shellcheck disable=SC2016,SC2034
cd "$(dirname "$0")/../.." || exit 1
SCHEMA=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' app/store/store.h) # what init reports
. tests/integration/tap.sh
REPO=$PWD
CTL="$REPO/$SAN_BIN/stationctl"
SEED="$REPO/$BUILD/san/tools/store_checkin"
SAMPLE="$REPO/tests/fixtures/manifest-sample.csv"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
unset HK_STATION_DB
cd "$TMP" || exit 1
DB="$TMP/station.db"

# run CMD...: exit code in $rc, output in $TMP/out and $TMP/err
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
exits() { # exits CODE CMD...
	local want=$1
	shift
	run "$@"
	[ "$rc" -eq "$want" ] || { echo "# exit $rc, wanted $want: $*" >&2; cat "$TMP/err" >&2; return 1; }
}
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
q() { sqlite3 "$DB" "$1"; }

help_ok() {
	exits 0 "$@" && out_has "Usage:" && [ ! -s "$TMP/err" ]
}
ok_if "stationctl --help" help_ok "$CTL" --help
ok_if "stationctl help lists every command" \
	eval 'help_ok "$CTL" help && out_has init && out_has rooms && out_has import-manifest && out_has export'
for c in "init --help" "rooms --help" "rooms add --help" "rooms list --help" \
	"rooms state --help" "import-manifest --help" "export --help" "export checkins -h"; do
	# shellcheck disable=SC2086
	ok_if "stationctl $c" help_ok "$CTL" --db "$DB" $c
done
ok_if "--help touches no store" test ! -e "$DB"

ok_if "no command: exit 2" exits 2 "$CTL"
ok_if "unknown command: exit 2" eval 'exits 2 "$CTL" frobnicate && err_has "unknown command"'
ok_if "unknown option: exit 2" exits 2 "$CTL" --verbose init
ok_if "rooms without subcommand: exit 2" exits 2 "$CTL" --db "$DB" rooms
ok_if "rooms add without --capacity: exit 2" \
	eval 'exits 2 "$CTL" --db "$DB" rooms add 1201 && err_has "--capacity is required"'
ok_if "rooms add bad range: exit 2" exits 2 "$CTL" --db "$DB" rooms add 1240-1201 --capacity 2
ok_if "rooms add bad capacity: exit 2" exits 2 "$CTL" --db "$DB" rooms add 1201 --capacity 40
ok_if "import-manifest without file: exit 2" exits 2 "$CTL" --db "$DB" import-manifest
ok_if "export --format xlsx: exit 2" exits 2 "$CTL" --db "$DB" export checkins --format xlsx
ok_if "a command before init: exit 1, no file made" \
	eval 'exits 1 "$CTL" --db "$DB" rooms list && err_has "stationctl init" && test ! -e "$DB"'

# init at the default path (var/station.db, folder created) and through $HK_STATION_DB
ok_if "init creates var/station.db" \
	eval 'exits 0 "$CTL" init && test -s var/station.db && out_has "schema $SCHEMA"'
ok_if "HK_STATION_DB names the store" \
	eval 'HK_STATION_DB="$TMP/env.db" exits 0 "$CTL" init --station sz-07 && test -s "$TMP/env.db" && out_has "station sz-07"'
ok_if "init --db FILE" eval 'exits 0 "$CTL" --db "$DB" init --station sz-01 --device desk-1 && out_has "device desk-1"'
ok_if "init again keeps the identity" \
	eval 'exits 0 "$CTL" --db "$DB" init && out_has "station sz-01, device desk-1"'

# rooms
ok_if "rooms add 1201-1240 --floor 12 --capacity 2" \
	eval 'exits 0 "$CTL" --db "$DB" rooms add 1201-1240 --floor 12 --capacity 2 && out_has "added 40 rooms"'
ok_if "rooms add single and comma list, floor derived" \
	eval 'exits 0 "$CTL" --db "$DB" rooms add 901,903 1301 --capacity 1 && [ "$(q "SELECT floor FROM rooms WHERE number = '\''1301'\''")" = 13 ]'
ok_if "rooms add refuses a duplicate and adds none" \
	eval 'exits 1 "$CTL" --db "$DB" rooms add 1240-1242 --capacity 2 && err_has "room 1240 already exists" && [ "$(q "SELECT count(*) FROM rooms")" = 43 ]'
ok_if "rooms list shows every room" \
	eval 'exits 0 "$CTL" --db "$DB" rooms list && [ "$(grep -c "^12[0-4][0-9] " "$TMP/out")" = 40 ] && out_has "43 rooms: 43 free"'
ok_if "rooms state 1202 cleaning" \
	eval 'exits 0 "$CTL" --db "$DB" rooms state 1202 cleaning && [ "$(q "SELECT state FROM rooms WHERE number = '\''1202'\''")" = cleaning ]'
ok_if "rooms state of a missing room: exit 1" exits 1 "$CTL" --db "$DB" rooms state 9999 free

# manifests: UTF-8 as committed, UTF-8 with BOM and CRLF, GB18030 as Excel saves it
ok_if "import-manifest UTF-8 sample" \
	eval 'exits 0 "$CTL" --db "$DB" import-manifest "$SAMPLE" && out_has "imported 6 arrivals" && out_has "(UTF-8)" && out_has "inbound 4, close_contact 1, secondary_contact 1"'
{
	printf '\357\273\277'
	sed -e 's/2026-11-29/2026-12-02/; s#2026/11/29#2026-12-02#; s/2026-11-30/2026-12-03/' \
		-e 's/$/\r/' "$SAMPLE"
} >bom-crlf.csv
ok_if "import-manifest UTF-8 with BOM and CRLF" \
	eval 'exits 0 "$CTL" --db "$DB" import-manifest bom-crlf.csv && out_has "imported 6" && out_has "UTF-8 with BOM"'
sed -e 's/2026-11-29/2026-12-05/; s#2026/11/29#2026-12-05#; s/2026-11-30/2026-12-06/' "$SAMPLE" |
	iconv -f UTF-8 -t GB18030 >gb18030.csv
ok_if "the GB18030 copy is not UTF-8" eval '! iconv -f UTF-8 -t UTF-8 gb18030.csv >/dev/null 2>&1'
ok_if "import-manifest GB18030" \
	eval 'exits 0 "$CTL" --db "$DB" import-manifest gb18030.csv && out_has "(GB18030)" && out_has "imported 6"'
ok_if "GB18030 names and notes arrive as UTF-8" \
	eval '[ "$(q "SELECT name FROM arrivals WHERE expected_day = '\''2026-12-05'\'' AND doc_number = '\''110105194910010015'\''")" = "王秀英" ] &&
	      [ "$(q "SELECT notes FROM arrivals WHERE expected_day = '\''2026-12-05'\'' AND name = '\''王秀英'\''")" = "行动不便, \"需轮椅\"" ]'
ok_if "18 arrivals stored" eval '[ "$(q "SELECT count(*) FROM arrivals")" = 18 ]'

cat >bad.csv <<'CSV'
batch,name,doc_type,doc_number,category,term,arrival_day
CA1,Good One,passport,E1000001,inbound,14,2026-12-09
CA1,Bad Category,passport,E1000002,tourist,14,2026-12-09
CA1,Good Two,passport,E1000003,inbound,21+7,2026-12-09
CA1,Bad Date,passport,E1000004,inbound,14,2026-02-30
CA1,,passport,E1000005,inbound,14,2026-12-09
CA1,Bad Term,passport,E1000006,inbound,14days,2026-12-09
CSV
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
before=$(sha256sum "$DB" | cut -d' ' -f1)
ok_if "bad manifest: exit 1" exits 1 "$CTL" --db "$DB" import-manifest bad.csv
ok_if "bad manifest: every bad line reported" \
	eval 'err_has "bad.csv: line 3: category '\''tourist'\''" && err_has "bad.csv: line 5: arrival_day" && err_has "bad.csv: line 6: name is empty" && err_has "bad.csv: line 7: term" && err_has "4 bad rows"'
ok_if "bad manifest: good lines not reported" eval '! err_has "line 2:" && ! err_has "line 4:"'
ok_if "bad manifest: store unchanged, byte for byte" \
	eval '[ "$(q "SELECT count(*) FROM arrivals")" = 18 ] && [ "$(sha256sum "$DB" | cut -d" " -f1)" = "$before" ]'
ok_if "re-importing the sample is refused as already imported" \
	eval 'exits 1 "$CTL" --db "$DB" import-manifest "$SAMPLE" && err_has "line 2: this person and arrival_day are already in the store"'
ok_if "import-manifest of a missing file: exit 1" exits 1 "$CTL" --db "$DB" import-manifest nope.csv

# export: check two people in through the store API, then export
cat >odd.csv <<'CSV'
batch,name,doc_type,doc_number,category,term,arrival_day
=1+2,"Garcia, Maria",passport,E2000001,inbound,14,2026-12-10
CSV
ok_if "import names that need quoting" exits 0 "$CTL" --db "$DB" import-manifest odd.csv
odd_id=$(q "SELECT id FROM arrivals WHERE doc_number = 'E2000001'")
zhang_id=$(q "SELECT id FROM arrivals WHERE doc_number = '440305198001011235' AND expected_day = '2026-11-29'")
ok_if "check in two people" \
	eval '"$SEED" "$DB" "$zhang_id" 1201 S-0001 1796000000 2026-12-20 >/dev/null && "$SEED" "$DB" "$odd_id" 1201 S-0002 1796000100 2026-12-24 orange >/dev/null'
ok_if "a full room is refused" eval '! "$SEED" "$DB" 3 1201 S-0003 1796000200 2026-12-20 2>/dev/null'
ok_if "rooms list shows occupancy and release days" \
	eval 'exits 0 "$CTL" --db "$DB" rooms list && grep -qE "^1201 +12  occupied +2/2  2026-12-20 2026-12-24" "$TMP/out" && out_has "2 of "'
ok_if "export checkins --format csv -o FILE" \
	eval 'exits 0 "$CTL" --db "$DB" export checkins --format csv -o out.csv && err_has "exported 2 check-ins"'
ok_if "export starts with a UTF-8 BOM" eval '[ "$(head -c3 out.csv | od -An -tx1 | tr -d " ")" = efbbbf ]'
ok_if "export ends every line with CRLF" \
	eval '[ "$(wc -l <out.csv)" = 3 ] && [ "$(grep -c $'\''\r$'\'' out.csv)" = 3 ]'
ok_if "export header and rows" \
	eval 'head -1 out.csv | grep -q "checkin_id,checked_in_at,state,batch,name" && grep -q "张伟,id_card,440305198001011235,inbound,14+7,F001,1201,green" out.csv'
ok_if "export quotes a comma and defuses a formula" \
	eval 'grep -qF "\"'\''=1+2\",\"Garcia, Maria\"" out.csv && grep -qF ",orange," out.csv'
ok_if "export times in China time" eval 'grep -qF "2026-11-30T08:53:20+08:00" out.csv'
ok_if "export to stdout equals the file" \
	eval 'exits 0 "$CTL" --db "$DB" export checkins && cmp -s "$TMP/out" out.csv'

# the store never splices values into SQL
ok_if "store SQL is prepared, never formatted" \
	eval '! grep -nE "sqlite3_(mprintf|vmprintf|snprintf)|%q|%Q" "$REPO"/app/store/*.c && ! grep -nE "sqlite3_exec\(" "$REPO"/app/store/*.c | grep -vE "\"ROLLBACK\"|m->sql"'
finish
