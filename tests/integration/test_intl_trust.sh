#!/bin/bash
# International trust lists at station scale through stationctl on a real store: a DCC signer
# list of 500 certificates imported at once (one transaction) and a DCC of one of them
# verified; SMART Health Card revocation by rid: `keys revoke-rid` and `keys import --shc-crl`
# store rids in the revocations table, verify-code refuses those cards (E_REVOKED), a rid
# with .TIME only cards issued before it, bad lists are refused whole, and the station's
# mirror publishes the rids to the devices like every revocation. Cards and signers are made
# here at run time (tests/integration/dccgen.py, shcgen.py): no test data needed.
# shellcheck disable=SC2016
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
REPO=$PWD
CTL="$REPO/$SAN_BIN/stationctl"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
unset HK_STATION_DB
cd "$TMP" || exit 1
DB="$TMP/station.db"
ISS=https://issuer.example/shc
A=MTIzNDU2Nzg B=YWJjZGVmZ2g C=cXdlcnR5dWk

run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
exits() {
	local want=$1
	shift
	run "$@"
	[ "$rc" -eq "$want" ] || { echo "# exit $rc, wanted $want: $*" >&2; cat "$TMP/err" "$TMP/out" >&2; return 1; }
}
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
ctl() { "$CTL" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

ok_if "init" exits 0 ctl init --station sz-01
ok_if "a signer list of 500 certificates and a DCC by one of them (made now)" \
	python3 "$REPO/tests/integration/dccgen.py" "$TMP" --signers 500
ok_if "keys import: all 500 signers at once" \
	eval 'exits 0 ctl keys import dsc.pem && [ "$(grep -c "^added DCC signer key" "$TMP/out")" -eq 500 ] &&
		[ "$(q "SELECT count(*) FROM issuer_keys WHERE alg = '"'DCC'"'")" -eq 500 ]'
ok_if "keys import again: 500 already trusted, nothing added" \
	eval 'exits 0 ctl keys import dsc.pem && [ "$(grep -c "^already trusted:" "$TMP/out")" -eq 500 ] &&
		[ "$(q "SELECT count(*) FROM issuer_keys")" -eq 500 ]'
ok_if "verify-code: the DCC of the 251st signer is genuine, evidence only" \
	eval 'exits 0 ctl verify-code - <dcc.txt && out_has "\"format\":\"EU-DCC\"" && out_has "\"answer\":\"E_EVIDENCE_ONLY\""'

ok_if "a SMART issuer and three cards with rids (made now)" \
	python3 "$REPO/tests/integration/shcgen.py" "$TMP" "$ISS" "$A" "$B" "$C"
KID=$(cat "$TMP/kid")
ok_if "keys import --shc-issuer" exits 0 ctl keys import --shc-issuer "$ISS" jwks.json
ok_if "verify-code: card A is genuine" \
	eval 'exits 0 ctl verify-code - <card-$A.txt && out_has "\"answer\":\"E_EVIDENCE_ONLY\""'
ok_if "keys revoke-rid KID A" eval 'exits 0 ctl keys revoke-rid "$KID" "$A" && out_has "revoked"'
ok_if "verify-code: card A is revoked, card B is not" \
	eval 'exits 1 ctl verify-code - <card-$A.txt && out_has "\"reason\":\"E_REVOKED\"" &&
		exits 0 ctl verify-code - <card-$B.txt'
ok_if "keys revoke-rid again: already revoked" \
	eval 'exits 0 ctl keys revoke-rid "$KID" "$A" && out_has "already"'
ok_if "keys revoke-rid: a rid that is no base64url, an unknown kid" \
	eval 'exits 1 ctl keys revoke-rid "$KID" "r1" && err_has "not a rid" &&
		exits 1 ctl keys revoke-rid nokey "$A" && err_has "no trusted SMART key"'
now=$(date +%s)
printf '{"kid":"%s","method":"rid","ctr":4,"rids":["%s","%s.%d","%s.%d"]}' \
	"$KID" "$A" "$B" $((now + 3600)) "$C" $((now - 86400)) >crl.json
ok_if "keys import --shc-crl: the issuer's list (one rid held, two new)" \
	eval 'exits 0 ctl keys import --shc-crl crl.json && out_has "2 added, 1 already held"'
ok_if "verify-code: B (issued before its time) revoked, C (issued after its time) not" \
	eval 'exits 1 ctl verify-code - <card-$B.txt && out_has "\"reason\":\"E_REVOKED\"" &&
		exits 0 ctl verify-code - <card-$C.txt'
printf '{"kid":"%s","method":"rid","ctr":5,"rids":["%s","%s"]}' "$KID" "$C" "$C" >dup.json
ok_if "a list with a duplicate rid is refused whole" \
	eval 'exits 1 ctl keys import --shc-crl dup.json && err_has "nothing added" &&
		exits 0 ctl verify-code - <card-$C.txt'
ok_if "the rids are revocations of the issuer, named by key" \
	test "$(q "SELECT count(*) FROM revocations WHERE issuer = '$ISS' AND credential_id LIKE 'shc-rid:$KID:%'")" -eq 3
ok_if "the station's mirror publishes them to the devices (kind revocation, key ISSUER/ID)" \
	eval '"$REPO/$BUILD/san/tools/sync_admin" "$DB" mirror >/dev/null &&
		[ "$(q "SELECT count(*) FROM sync_changes WHERE kind = '"'revocation'"' AND key LIKE '"'$ISS/shc-rid:$KID:%'"'")" -eq 3 ]'
finish
