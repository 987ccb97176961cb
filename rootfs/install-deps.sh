#!/bin/sh
# Install the Debian packages that rootfs/packages.txt lists for the given roles
# (build, test, run, station), and only those not installed yet. Needs root or sudo
# when something is missing; does nothing (and asks for nothing) when all are present.
set -eu
here=$(dirname "$0")
list="$here/packages.txt"
[ "$#" -gt 0 ] || set -- build
want=""
for role in "$@"; do
	want="$want $(awk -v r="$role" '!/^#/ && NF >= 2 { n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == r) print $1 }' "$list")"
done
missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -n "$missing" ] || exit 0
echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps: missing packages:$missing; run this script as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo apt-get install -y -qq --no-install-recommends $missing
