#!/bin/bash
# stationctl band-key: the wristband signing key is created 0600 with its public half beside
# it, never overwritten, and --help works.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
ctl="$SAN_BIN/stationctl"

ok_if "band-key init creates the key pair" "$ctl" band-key init "$TMP/band.key"
ok_if "private key is owner-only" test "$(stat -c %a "$TMP/band.key")" = 600
ok_if "private key is 64 hex digits" grep -qxE '[0-9a-f]{64}' "$TMP/band.key"
ok_if "public key is 64 hex digits" grep -qxE '[0-9a-f]{64}' "$TMP/band.key.pub"
halves_differ() { ! cmp -s "$TMP/band.key" "$TMP/band.key.pub"; }
ok_if "the halves differ" halves_differ
sum=$(sha256sum "$TMP/band.key")
refuses_overwrite() {
	"$ctl" band-key init "$TMP/band.key" 2>/dev/null
	[ $? -eq 1 ] && [ "$(sha256sum "$TMP/band.key")" = "$sum" ]
}
ok_if "an existing key is never overwritten" refuses_overwrite
usage_error() {
	"$ctl" band-key 2>/dev/null
	[ $? -eq 2 ]
}
ok_if "missing arguments are a usage error" usage_error
ok_if "--help" sh -c "'$ctl' band-key --help | grep -q 'Usage: stationctl band-key'"
finish
