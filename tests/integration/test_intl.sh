#!/bin/bash
# International credentials on a real store through stationctl: `keys import` of an EU DCC
# signer (PEM) and of the SMART example issuer's JWKS, then `verify-code` of a DCC case and
# a SMART example at their validation times: genuine, format named, the latest event in
# "intl", and the kiosk's answer E_EVIDENCE_ONLY (supporting evidence; the health code is
# still required). Bad lists are refused whole. Reads ../shared/testdata (or $HK_TESTDATA)
# at run time; skips with a message when it is absent.
# shellcheck disable=SC2016,SC1091
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
REPO=$PWD
CTL="$REPO/$SAN_BIN/stationctl"
DATA=${HK_TESTDATA:-$REPO/../shared/testdata}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
unset HK_STATION_DB
if [ ! -f "$DATA/README.md" ]; then
	echo "1..0 # SKIP public test suites not found at $DATA (set HK_TESTDATA)"
	exit 0
fi
cd "$TMP" || exit 1
DB="$TMP/station.db"
SHC_ISS=https://spec.smarthealth.cards/examples/issuer

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
ctl() { "$CTL" --db "$DB" "$@"; }

# the case's signer certificate as PEM, and its QR text (the data stays outside the repo)
python3 - "$DATA/dgc/common/2DCode/raw/CO1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["TESTCTX"]["CERTIFICATE"]
open("dsc.pem", "w").write("-----BEGIN CERTIFICATE-----\n" +
    "\n".join(c[i:i + 64] for i in range(0, len(c), 64)) + "\n-----END CERTIFICATE-----\n")
open("dcc.txt", "w").write(d["PREFIX"])
PY
echo '{"keys":[{"kty":"EC","crv":"P-256","kid":"wrong","x":"AA","y":"AA"}]}' >bad.jwks

ok_if "init" exits 0 ctl init --station sz-01
ok_if "keys import --help" eval 'exits 0 ctl keys import --help && out_has "--shc-issuer"'
ok_if "keys import: a DCC signer certificate" \
	eval 'exits 0 ctl keys import dsc.pem && out_has "added DCC signer key Mk0jdOOrzrU="'
ok_if "keys import again: already trusted" \
	eval 'exits 0 ctl keys import dsc.pem && out_has "already trusted: DCC signer key Mk0jdOOrzrU="'
ok_if "keys import --shc-issuer: the SMART example issuer's JWKS" \
	eval 'exits 0 ctl keys import --shc-issuer "$SHC_ISS" "$DATA/shc/examples/issuer/.well-known/jwks.json" && out_has "added SMART key 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"'
ok_if "a bad JWKS is refused, nothing added" \
	eval 'exits 1 ctl keys import --shc-issuer "$SHC_ISS" bad.jwks && [ "$(sqlite3 "$DB" "SELECT count(*) FROM issuer_keys")" = 3 ]'
dcc_ok() {
	exits 0 ctl verify-code --at 1620064800 - <dcc.txt &&
		out_has '"format":"EU-DCC"' && out_has '"verdict":"valid"' &&
		out_has '"kind":"vaccination","day":"2021-02-18","country":"AT"' &&
		out_has '"answer":"E_EVIDENCE_ONLY"' && ! out_has Musterfrau
}
ok_if "verify-code: the DCC at its validation clock is genuine, evidence only" dcc_ok
ok_if "verify-code: the DCC two months later is expired" \
	eval 'exits 1 ctl verify-code --at 1625000000 - <dcc.txt && out_has "\"reason\":\"E_EXPIRED\""'
shc_ok() {
	exits 0 ctl verify-code --at 1687450800 - <"$DATA/shc/examples/example-00-f-qr-code-numeric-value-0.txt" &&
		out_has '"format":"SMART"' && out_has '"kind":"vaccination"' &&
		out_has '"answer":"E_EVIDENCE_ONLY"' && ! out_has Anyperson
}
ok_if "verify-code: SMART example 00 is genuine, evidence only" shc_ok
ok_if "verify-code: a chunked SMART card is refused with its own reason" \
	eval 'exits 1 ctl verify-code --at 1687450800 - <"$DATA/shc/examples/example-02-f-qr-code-numeric-value-0.txt" && out_has "\"reason\":\"E_CHUNKED_CODE\""'
finish
