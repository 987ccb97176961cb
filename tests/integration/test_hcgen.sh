#!/bin/bash
# The demo issuer end to end: hcgen makes keys, issues a code and its QR PNG; zbar reads the
# PNG back to the same text, also placed small in a 640x480 frame; the verifier accepts it
# only with the right trust list, in demo mode for demo keys, and inside its validity.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
HC="$BUILD/san/tools/hcgen"
cd "$TMP" || exit 1
OLDPWD_HC=$OLDPWD
case $HC in /*) ;; *) HC="$OLDPWD_HC/$HC" ;; esac

now=1795000000
"$HC" keygen --issuer gd.hc --key prod.pem --jwk prod.jwk --subject-key sub.jwk &&
	"$HC" keygen --issuer demo.hc --demo --key demo.pem --jwk demo.jwk &&
	"$HC" keygen --issuer gd.hc --key rogue.pem --jwk rogue.jwk &&
	"$HC" jwks prod.jwk demo.jwk sub.jwk >trust.jwks
issue() { # KEY ISS [extra args]
	local key=$1 iss=$2
	shift 2
	"$HC" issue --key "$key" --iss "$iss" --subject-key sub.jwk --doc P:E12345678 --name 张伟 \
		--port 深圳湾口岸 --entry $((now - 7200)) --nat 2026-11-17:neg --nat 2026-11-15:neg \
		--iat $((now - 3600)) --exp $((now + 72000)) "$@"
}
code=$(issue prod.pem gd.hc --png code.png --scale 4)
verify() { # expected-exit [verify args] CODE
	local want=$1
	shift
	"$HC" verify --jwks trust.jwks --now "$now" "$@" >out.json
	[ $? -eq "$want" ]
}

ok_if "keys and trust list written, private key not in the trust list" \
	bash -c '[ -s prod.pem ] && grep -q "\"demo\":true" demo.jwk && ! grep -q "\"d\"" trust.jwks'
ok_if "a code is issued with the SZHC1 prefix" bash -c "[[ '$code' == SZHC1:* ]]"
ok_if "the code verifies with the trust list" verify 0 "$code"
ok_if "the verdict JSON says valid and carries no name" \
	bash -c 'grep -q "\"verdict\":\"valid\"" out.json && ! grep -q 张伟 out.json'
ok_if "zbar reads the QR PNG back to the same text" \
	bash -c "[ \"\$(zbarimg -q --raw -Sdisable -Sqrcode.enable code.png 2>/dev/null)\" = '$code' ]"
ok_if "the QR fits: version <= 20 at ECC M" \
	bash -c "\"$HC\" qrinfo '$code' | awk '{split(\$2,v,\"=\"); exit !(v[2] <= 20)}'"
small_frame() {
	"$HC" issue --key prod.pem --iss gd.hc --sub s --name 张伟 --png small.png --scale 3 >small.txt &&
		convert-im6.q16 small.png -gravity center -background white -extent 640x480 frame.png &&
		[ "$(zbarimg -q --raw -Sdisable -Sqrcode.enable frame.png 2>/dev/null)" = "$(cat small.txt)" ]
}
ok_if "3 px per module in a 640x480 frame still reads" small_frame
ok_if "a demo code is refused outside demo mode" \
	bash -c "\"$HC\" verify --jwks trust.jwks --now $now '$(issue demo.pem demo.hc)' | grep -q E_DEMO_KEY"
ok_if "a demo code passes in demo mode" verify 0 --demo "$(issue demo.pem demo.hc)"
ok_if "a code from a key not on the trust list is refused" verify 1 "$(issue rogue.pem gd.hc)"
ok_if "an expired code is refused" verify 1 --now $((now + 72000 + 301)) "$code"
ok_if "a revoked subject is refused" \
	verify 1 --revoke "$("$HC" subject --subject-key sub.jwk P E12345678)" "$code"
ok_if "a yellow code exits 2 (attention)" verify 2 "$(issue prod.pem gd.hc --colour yellow)"
ok_if "the code is read from stdin too" bash -c "echo '$code' | \"$HC\" verify --jwks trust.jwks --now $now - >/dev/null"
finish
