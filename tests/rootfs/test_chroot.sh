#!/bin/bash
# make test-rootfs: rootfs/install.sh for real, apt included, into Debian 12 roots made by
# `debootstrap --variant=minbase bookworm` (the base Raspberry Pi OS Lite is built on):
# the entrance role and the station role complete, the packages of the one list are
# installed, the user and files land where docs/appliance.md says, a second run changes
# nothing, the installed units verify against the root's own systemd, udev's own parser
# accepts the rules, the PAM modules exist, and the support bundle runs inside the root.
# Needs root and the network (the Debian mirror). The debootstrap result is cached in
# $BUILD/rootfs-cache/ (~1 min to create, seconds to unpack); each run takes 1-2 minutes.
# Prints TAP.
# shellcheck disable=SC2016 # eval '...' in ok_if: expanded when the check runs
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh

mounts=()
cleanup() {
	local m
	for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null; done
	rm -rf --one-file-system "$TMP"
}
trap cleanup EXIT
show() { printf '# %s\n' "$@"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "not ok 1 - must run as root (chroot, debootstrap)"
	echo "1..1"
	exit 1
fi

# --- the Debian 12 base, cached ------------------------------------------------------------
cache=$BUILD/rootfs-cache/bookworm-minbase.tar
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -s "$cache" ]; then
	mkdir -p "$(dirname "$cache")"
	show "creating $cache with debootstrap from $mirror (about a minute)"
	if debootstrap --variant=minbase bookworm "$TMP/base" "$mirror" >"$TMP/debootstrap.log" 2>&1 &&
		tar -C "$TMP/base" -cf "$cache.new" . && mv "$cache.new" "$cache"; then
		rm -rf --one-file-system "$TMP/base"
	else
		tail -20 "$TMP/debootstrap.log" | while read -r l; do show "$l"; done
	fi
fi
ok_if "a Debian 12 minbase root (debootstrap, cached in $cache)" test -s "$cache"
new_root() { # DIR: the base, plus the Pi's boot partition file the installer edits
	mkdir -p "$1" && tar -C "$1" -xf "$cache" || return 1
	mkdir -p "$1/boot/firmware"
	echo "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet" \
		>"$1/boot/firmware/cmdline.txt"
}
manifest() { # DIR: every file with mode, owner, size, mtime, link target, checksum
	(cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp -o -path ./run \) -prune -o \
		-printf '%p %y %m %u:%g %s %T@ %l\n' | sort) || return 1
	(cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp -o -path ./run \) -prune -o \
		-type f -print0 | sort -z | xargs -0 sha256sum) || return 1
}
pkgs_of_role() { awk -v r="$1" '!/^#/ && NF >= 2 { n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == r) print $1 }' rootfs/packages.txt; }
all_installed() { # ROOT ROLE
	local p bad=""
	for p in $(pkgs_of_role "$2"); do
		chroot "$1" dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || bad="$bad $p"
	done
	[ -z "$bad" ] || show "not installed:$bad"
	[ -z "$bad" ]
}

# --- entrance role ----------------------------------------------------------------------------
E=$TMP/entrance
new_root "$E"
start=$(date +%s)
rootfs/install.sh --role entrance --root "$E" >"$TMP/e1.out" 2>&1
rc=$?
ok_if "install.sh --role entrance into the Debian 12 root completes ($(($(date +%s) - start)) s, apt included)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -30 "$TMP/e1.out" | while read -r l; do show "$l"; done
ok_if "every package of the run role is installed in the root" all_installed "$E" run
ok_if "no trace of the installation left (policy-rc.d, copied package list)" \
	test ! -e "$E/usr/sbin/policy-rc.d" -a ! -e "$E/tmp/healthkiosk-deps"
ok_if "unattended-upgrades absent" eval '! chroot "$E" dpkg-query -W -f "\${Status}" unattended-upgrades 2>/dev/null | grep -q "ok installed"'
groups_ok() {
	local g have
	have=" $(chroot "$E" id -nG kiosk) "
	for g in kiosk video render input dialout lp healthkiosk; do
		[[ $have == *" $g "* ]] || { show "kiosk groups:$have"; return 1; }
	done
}
ok_if "user kiosk (the root's own id) is in video render input dialout lp healthkiosk" groups_ok
ok_if "groups input and render came from the root's udev, not invented by install.sh" \
	eval '! grep -Eq "created group (input|render)" "$TMP/e1.out"'
files_ok() {
	local f
	for f in /etc/healthkiosk/kiosk.conf /etc/systemd/system/healthkiosk.service \
		/etc/systemd/system/healthkiosk.service.d/role.conf /etc/pam.d/healthkiosk \
		/etc/udev/rules.d/69-healthkiosk-ids.rules /etc/udev/rules.d/70-healthkiosk.rules \
		/etc/sysctl.d/90-healthkiosk.conf /etc/systemd/logind.conf.d/healthkiosk.conf \
		/etc/systemd/system.conf.d/healthkiosk-watchdog.conf /etc/systemd/journald.conf.d/healthkiosk.conf \
		/etc/apt/apt.conf.d/99healthkiosk-no-auto-updates /usr/local/bin/healthkiosk-support \
		/usr/local/lib/healthkiosk/healthkiosk-drm-probe /usr/local/lib/healthkiosk/healthkiosk-check-input \
		/usr/local/lib/healthkiosk/VERSION /usr/local/lib/healthkiosk/zxing.so \
		/usr/local/share/doc/healthkiosk/appliance.md; do
		[ -f "$E$f" ] || { show "missing $f"; return 1; }
	done
	[ "$(stat -c '%a %u:%g' "$E/var/lib/healthkiosk")" = "1770 0:$(awk -F: '$1 == "healthkiosk" { print $3 }' "$E/etc/group")" ]
}
ok_if "files land where docs/appliance.md says; /var/lib/healthkiosk 1770 root:healthkiosk" files_ok
ok_if "getty@tty1 and the apt timers masked (systemctl of the root)" \
	eval 'test "$(systemctl --root="$E" is-enabled getty@tty1.service apt-daily.timer apt-daily-upgrade.timer ctrl-alt-del.target 2>&1 | sort -u)" = masked'
ok_if "cmdline.txt: consoleblank=0 vt.global_cursor_default=0 added once" \
	test "$(grep -o 'consoleblank=0 vt.global_cursor_default=0' "$E/boot/firmware/cmdline.txt" | wc -l)" = 1

manifest "$E" >"$TMP/e1.manifest"
sleep 1.1
rootfs/install.sh --role entrance --root "$E" >"$TMP/e2.out" 2>&1
ok_if "second run: exit 0 and 0 changes" grep -q 'done, 0 changes$' "$TMP/e2.out"
manifest "$E" >"$TMP/e2.manifest"
same_manifest() {
	cmp -s "$TMP/e1.manifest" "$TMP/e2.manifest" && return 0
	diff "$TMP/e1.manifest" "$TMP/e2.manifest" | head -10 | while read -r l; do show "$l"; done
	return 1
}
ok_if "second run: every file of the root (mode, owner, mtime, checksum) unchanged" same_manifest

# PAM: every module the kiosk's PAM service names exists in the root.
pam_ok() {
	local m mods
	mods=$(awk '!/^#/ && NF >= 3 { print $3 }' "$E/etc/pam.d/healthkiosk" | sort -u)
	[ -n "$mods" ] || return 1
	while read -r m; do
		compgen -G "$E/lib/*/security/$m" >/dev/null || compgen -G "$E/usr/lib/*/security/$m" >/dev/null ||
			{ show "no PAM module $m"; return 1; }
	done <<<"$mods"
}
ok_if "PAM service healthkiosk: every module exists in the root (pam_systemd from libpam-systemd)" pam_ok
# The PAM calls systemd makes for PAMName= (account, open and close session), through the
# root's own libpam, with pamtester (installed into the test root only).
pam_run() {
	local out rc
	chroot "$E" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pamtester \
		>"$TMP/pamtester-apt.log" 2>&1 || { show "pamtester not installable"; return 1; }
	mount --bind /proc "$E/proc" && mounts+=("$E/proc") || return 1
	out=$(chroot "$E" pamtester healthkiosk kiosk acct_mgmt open_session close_session 2>&1)
	rc=$?
	umount "$E/proc"
	mounts=()
	chroot "$E" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq pamtester >/dev/null 2>&1
	[ "$rc" -eq 0 ] || show "$out"
	return "$rc"
}
ok_if "PAM service healthkiosk: account and session succeed for user kiosk (pamtester)" pam_run

# The unit as installed, against the root's own systemd units. A stand-in kiosk only when
# the real one is not in the source tree yet.
if [ ! -x "$E/usr/local/bin/kiosk" ]; then
	show "kiosk not built yet: stand-in executable for systemd-analyze"
	printf '#!/bin/sh\nexit 0\n' >"$E/usr/local/bin/kiosk"
	chmod 0755 "$E/usr/local/bin/kiosk"
fi
verify_clean() { # ROOT UNIT
	local out
	out=$(systemd-analyze verify --root="$1" "/etc/systemd/system/$2" 2>&1) || { show "$out"; return 1; }
	[ -z "$out" ] || { show "$out"; return 1; }
}
ok_if "systemd-analyze verify --root: installed healthkiosk.service clean" verify_clean "$E" healthkiosk.service

# udev's own parser (udevadm test) reads the rules in the root: no line is reported.
udev_ok() {
	local dev out
	mount --bind /sys "$E/sys" && mounts+=("$E/sys") || return 1
	mount --bind /proc "$E/proc" && mounts+=("$E/proc") || return 1
	dev=/sys/class/tty/tty1
	[ -e "$dev" ] || dev=/sys/class/mem/null
	out=$(chroot "$E" udevadm test --action=add "$dev" 2>&1)
	umount "$E/proc" "$E/sys"
	mounts=()
	grep -q 'Reading rules file: /etc/udev/rules.d/70-healthkiosk.rules' <<<"$out" || { show "rules not read"; return 1; }
	grep -q 'Reading rules file: /etc/udev/rules.d/69-healthkiosk-ids.rules' <<<"$out" || return 1
	if grep -E 'healthkiosk[^ ]*\.rules:[0-9]+' <<<"$out"; then return 1; fi
}
ok_if "udevadm test (udev 252's parser) reads both rules files and reports no line" udev_ok
# The same check reports a broken rule (so the one above can fail).
udev_catches() {
	local out
	printf 'SUBSYSTEM=="tty", ATTRS{idVendor}="1eab", GROUP="kiosk"\n' >"$E/etc/udev/rules.d/71-broken.rules"
	mount --bind /sys "$E/sys" && mounts+=("$E/sys") || return 1
	out=$(chroot "$E" udevadm test --action=add /sys/class/mem/null 2>&1)
	umount "$E/sys"
	mounts=()
	rm -f "$E/etc/udev/rules.d/71-broken.rules"
	grep -q '71-broken.rules:1' <<<"$out"
}
ok_if "udevadm test reports a broken rule line" udev_catches

# The support bundle inside the root, with a real store made by the root's sqlite3.
support_ok() {
	chroot "$E" sqlite3 /var/lib/healthkiosk/kiosk.db \
		"CREATE TABLE outbox (id INTEGER PRIMARY KEY, created_at INTEGER, sent_at INTEGER); INSERT INTO outbox VALUES (1, 5, NULL);" || return 1
	chroot "$E" /bin/sh -c 'cd /tmp && /usr/local/bin/healthkiosk-support --output /tmp/bundle.tar.gz' >/dev/null 2>&1 || return 1
	tar -xzOf "$E/tmp/bundle.tar.gz" --wildcards '*/store-kiosk.db.txt' | grep -qx 'integrity_check: ok ' &&
		tar -xzOf "$E/tmp/bundle.tar.gz" --wildcards '*/config/kiosk.conf' | grep -qx 'role = entrance'
}
ok_if "healthkiosk-support runs inside the root: integrity ok, config collected" support_ok

# --- station role --------------------------------------------------------------------------------
S=$TMP/station
rm -rf --one-file-system "$E"
new_root "$S"
rootfs/install.sh --role station --root "$S" >"$TMP/s1.out" 2>&1
rc=$?
ok_if "install.sh --role station into a Debian 12 root completes" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -30 "$TMP/s1.out" | while read -r l; do show "$l"; done
ok_if "every package of the station role is installed" all_installed "$S" station
rootfs/install.sh --role station --root "$S" >"$TMP/s2.out" 2>&1
ok_if "station: second run 0 changes" grep -q 'done, 0 changes$' "$TMP/s2.out"
ok_if "station: user healthkiosk, no kiosk user, /etc/healthkiosk/stationd.conf 0640" \
	eval 'chroot "$S" id healthkiosk >/dev/null && ! chroot "$S" id kiosk >/dev/null 2>&1 &&
		test "$(stat -c %a "$S/etc/healthkiosk/stationd.conf")" = 640'
if [ ! -x "$S/usr/local/bin/stationd" ]; then
	show "stationd not built yet: stand-in executable for systemd-analyze"
	printf '#!/bin/sh\nexit 0\n' >"$S/usr/local/bin/stationd"
	chmod 0755 "$S/usr/local/bin/stationd"
fi
ok_if "systemd-analyze verify --root: installed healthkiosk-stationd.service clean" \
	verify_clean "$S" healthkiosk-stationd.service

finish
