#!/bin/bash
# stationctl and health codes on a real store: demo init (key file 0600, keys marked demo,
# idempotent), import-manifest giving arrivals subject ids, demo issue-code (text and a QR
# PNG zbar reads back), verify-code passing for a manifest person and failing (exit 1,
# reason in the JSON) for demo-not-allowed, expired, forged, revoked code, revoked key and
# unknown issuer; walk-in and already-checked-in matches; keys add/list/revoke, with private
# keys refused and subject keys never printed; --help everywhere, usage errors exit 2.
# shellcheck disable=SC2016,SC2034,SC1091
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
REPO=$PWD
CTL="$REPO/$SAN_BIN/stationctl"
HC="$REPO/$BUILD/san/tools/hcgen"
SEED="$REPO/$BUILD/san/tools/store_checkin"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
unset HK_STATION_DB
cd "$TMP" || exit 1
DB="$TMP/var/station.db"
NOW=1795939200 # 2026-11-29 16:00 in Shenzhen, the manifest's day
AT=$((NOW + 600))

run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
exits() { # exits CODE CMD...
	local want=$1
	shift
	run "$@"
	[ "$rc" -eq "$want" ] || { echo "# exit $rc, wanted $want: $*" >&2; cat "$TMP/err" "$TMP/out" >&2; return 1; }
}
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
q() { sqlite3 "$DB" "$1"; }
ctl() { "$CTL" --db "$DB" "$@"; }
json() { # json FIELD: a string or number field of the JSON line in $TMP/out
	sed -nE "s/.*\"$1\":\"?([^\",}]*)\"?[,}].*/\\1/p" "$TMP/out"
}
zbar() { zbarimg -q --raw -Sdisable -Sqrcode.enable "$1" 2>/dev/null; }

help_ok() { exits 0 "$@" && out_has "Usage:" && [ ! -s "$TMP/err" ]; }
for c in "keys --help" "keys add --help" "keys list --help" "keys revoke --help" \
	"revoke-code --help" "verify-code --help" "demo --help" "demo init --help" \
	"demo issue-code --help" "import-manifest --help"; do
	# shellcheck disable=SC2086
	ok_if "stationctl $c" help_ok "$CTL" --db "$DB" $c
done
ok_if "help lists the new commands" \
	eval 'help_ok "$CTL" help && out_has keys && out_has revoke-code && out_has verify-code && out_has demo'
ok_if "usage errors exit 2" \
	eval 'exits 2 "$CTL" --db "$DB" keys && exits 2 "$CTL" --db "$DB" keys add && exits 2 "$CTL" --db "$DB" verify-code a b && exits 2 "$CTL" --db "$DB" demo issue-code --name X && exits 2 "$CTL" --db "$DB" revoke-code demo.hc && exits 2 "$CTL" --db "$DB" verify-code --at yesterday x'

cat >manifest.csv <<'EOF'
batch,name,doc_type,doc_number,category,term,group_id,arrival_day,child
B1,张伟,id_card,440305198001011235,inbound,14+7,F001,2026-11-29,
B1,李娜,passport,E12345678,inbound,14+7,F001,2026-11-29,
B1,王芳,passport,E32345678,close_contact,21+7,,2026-11-29,
EOF

ok_if "init" exits 0 "$CTL" --db "$DB" init --station sz-01
demo_init() {
	exits 0 ctl demo init && out_has "demo issuer demo.hc" &&
		[ "$(stat -c %a var/demo/demo-issuer.pem)" = 600 ] &&
		[ "$(q "SELECT count(*) FROM issuer_keys WHERE demo = 1")" = 2 ]
}
ok_if "demo init: private key 0600 beside the store, signing and subject key demo" demo_init
kid=$(q "SELECT kid FROM issuer_keys WHERE alg = 'ES256'")
ok_if "demo init again keeps the key" \
	eval 'exits 0 ctl demo init && out_has "$kid" && out_has "already trusted" && [ "$(q "SELECT count(*) FROM issuer_keys")" = 2 ]'
ok_if "import-manifest sets a subject id on every arrival" \
	eval 'exits 0 ctl import-manifest manifest.csv && out_has "subject ids set for 3 arrivals" && [ "$(q "SELECT count(*) FROM arrivals WHERE length(subject_id) = 22")" = 3 ]'

issue_ok() {
	exits 0 ctl demo issue-code --arrival 2 --at "$NOW" --out code.txt --png code.png &&
		grep -q '^SZHC1:' code.txt && [ "$(zbar code.png)" = "$(cat code.txt)" ]
}
ok_if "demo issue-code writes the code and a QR PNG zbar reads back" issue_ok
ok_if "the PNG decodes through hcgen's verifier too" \
	eval '"$HC" verify --jwks <(q "SELECT public_key FROM issuer_keys WHERE alg = '\''ES256'\''" | sed "s/^/{\"keys\":[/; s/$/]}/") --demo --now $AT "$(zbar code.png)" >/dev/null'
found_ok() {
	exits 0 ctl verify-code --demo --at "$AT" "$(cat code.txt)" &&
		[ "$(json verdict)" = valid ] && [ "$(json manifest)" = found ] &&
		[ "$(json arrival_id)" = 2 ] && [ "$(json answer)" = OK ] &&
		! out_has 李娜 && ! out_has E12345678 && ! out_has "$(q "SELECT subject_id FROM arrivals WHERE id = 2")"
}
ok_if "verify-code: a manifest person passes (found, no name, no subject)" found_ok
ok_if "verify-code reads stdin" \
	eval 'exits 0 ctl verify-code --demo --at "$AT" <code.txt && [ "$(json manifest)" = found ]'
ok_if "verify-code: demo key refused outside demo mode" \
	eval 'exits 1 ctl verify-code --at "$AT" "$(cat code.txt)" && [ "$(json reason)" = E_DEMO_KEY ] && [ "$(json verdict)" = refused ]'
ok_if "verify-code --at: the same code a week later is expired" \
	eval 'exits 1 ctl verify-code --demo --at $((NOW + 7 * 86400)) "$(cat code.txt)" && [ "$(json reason)" = E_EXPIRED ]'
ok_if "verify-code: an --expired code fails with E_EXPIRED" \
	eval 'ctl demo issue-code --arrival 2 --at "$NOW" --expired >old.txt 2>/dev/null && exits 1 ctl verify-code --demo --at "$AT" "$(cat old.txt)" && [ "$(json reason)" = E_EXPIRED ]'
forged() {
	local code p c
	code=$(cat code.txt)
	p=$((${#code} / 2))
	c=${code:$p:1}
	[ "$c" = A ] && c=B || c=A
	exits 1 ctl verify-code --demo --at "$AT" "${code:0:$p}$c${code:$((p + 1))}" &&
		case $(json reason) in E_BAD_SIGNATURE | E_MALFORMED) true ;; *) false ;; esac
}
ok_if "verify-code: a forged code fails (bad signature)" forged
ok_if "verify-code: not a health code" \
	eval 'exits 1 ctl verify-code "hello" && [ "$(json reason)" = E_NOT_HEALTH_CODE ]'

# another issuer's key, not trusted yet; then trusted with keys add
"$HC" keygen --issuer gd.hc --key gd.pem --jwk gd.jwk --subject-key gd-sub.jwk >/dev/null 2>&1
sub2=$(q "SELECT subject_id FROM arrivals WHERE id = 2")
"$HC" issue --key gd.pem --iss gd.hc --sub "$sub2" --name 李娜 --iat "$NOW" --valid 86400 >gd.txt 2>/dev/null
ok_if "verify-code: unknown issuer" \
	eval 'exits 1 ctl verify-code --at "$AT" "$(cat gd.txt)" && [ "$(json reason)" = E_UNKNOWN_ISSUER ]'
ok_if "keys add: a JWK; its codes then pass without demo mode" \
	eval 'exits 0 ctl keys add gd.jwk && out_has "added signing key" && exits 0 ctl verify-code --at "$AT" "$(cat gd.txt)" && [ "$(json manifest)" = found ]'
ok_if "keys add: the same key again is harmless" \
	eval 'exits 0 ctl keys add gd.jwk && out_has "already trusted"'
privkey() {
	local before
	before=$(q "SELECT count(*) FROM issuer_keys")
	sed 's/}$/,"d":"AAAA"}/' gd.jwk >priv.jwk
	exits 1 ctl keys add priv.jwk && err_has "private" &&
		exits 1 ctl keys add gd.pem && err_has "private" &&
		[ "$(q "SELECT count(*) FROM issuer_keys")" = "$before" ]
}
ok_if "keys add refuses private keys (JWK with d, PEM) and adds nothing" privkey
ok_if "keys add --demo of a JWK Set with a subject key" \
	eval '"$HC" jwks gd-sub.jwk >set.jwks && exits 0 ctl keys add --demo set.jwks && out_has "added subject key"'
list_ok() {
	local k
	exits 0 ctl keys list || return 1
	out_has "$kid" && out_has "4 keys, 4 in force" || return 1
	for k in $(q "SELECT public_key FROM issuer_keys WHERE alg = 'hcsub'" | sed -nE 's/.*"k":"([^"]+)".*/\1/p'); do
		out_has "$k" && return 1
	done
	! out_has '"k"'
}
ok_if "keys list shows every key and never a subject key's secret" list_ok
ok_if "import-manifest refuses to guess between two issuers' subject keys" \
	eval 'exits 1 ctl import-manifest manifest.csv && err_has "--issuer"'

ok_if "verify-code: a walk-in (not on the manifest)" \
	eval 'ctl demo issue-code --doc-type passport --doc-number G1234567 --name "Jo DOE" --at "$NOW" >walk.txt 2>/dev/null && exits 0 ctl verify-code --demo --at "$AT" <walk.txt && [ "$(json manifest)" = walk_in ] && [ "$(json answer)" = E_NOT_ON_MANIFEST ] && [ "$(json arrival_id)" = 0 ]'
ok_if "verify-code: already checked in" \
	eval 'ctl rooms add 1201 --capacity 2 >/dev/null && "$SEED" "$DB" 3 1201 77 "$NOW" 2026-12-20 >/dev/null && ctl demo issue-code --arrival 3 --at "$NOW" >ci.txt 2>/dev/null && exits 0 ctl verify-code --demo --at "$AT" <ci.txt && [ "$(json manifest)" = checked_in ] && [ "$(json answer)" = E_ALREADY_CHECKED_IN ]'

revoke_code() {
	ctl demo issue-code --arrival 1 --at "$NOW" --jti rev-001 >rev.txt 2>/dev/null &&
		exits 0 ctl verify-code --demo --at "$AT" <rev.txt &&
		exits 0 ctl revoke-code demo.hc rev-001 --reason "reported lost" &&
		exits 1 ctl verify-code --demo --at "$AT" <rev.txt && [ "$(json reason)" = E_REVOKED ] &&
		exits 0 ctl verify-code --demo --at "$AT" "$(cat code.txt)"
}
ok_if "revoke-code: that code fails with E_REVOKED, others pass" revoke_code
revoke_key() {
	exits 0 ctl keys revoke "$kid" && exits 1 ctl verify-code --demo --at "$AT" "$(cat code.txt)" &&
		[ "$(json reason)" = E_REVOKED ] && exits 0 ctl keys list && out_has "4 keys, 3 in force" &&
		exits 1 ctl keys revoke "$kid" && exits 1 ctl demo issue-code --arrival 2
}
ok_if "keys revoke: the key's codes fail, issuing with it stops" revoke_key
finish
