#!/bin/bash
# rootfs/install.sh: turn Raspberry Pi OS Lite (Bookworm, Debian 12) into a locked-down
# healthkiosk device, or a Debian 12 machine into the station server. Idempotent: a second
# run with the same arguments changes nothing (it ends "0 changes").
#   install.sh --role entrance|security|frontdesk|station [--prefix /usr/local]
#              [--root DIR] [--source DIR] [--no-packages]
# --root DIR   install into an offline root (a chroot, a mounted SD card): packages are
#              installed with apt inside it (chroot), programs are built here and copied.
# --source DIR the healthkiosk source tree (default: the one this script is in).
# --no-packages skip apt (the packages are already there).
# Environment: BUILD (build directory, default build, relative to the source).
# What it installs and why: docs/appliance.md.
# shellcheck disable=SC2016 # '${Package}' and '${Status}' are dpkg-query formats
set -euo pipefail
me=install.sh
here=$(cd "$(dirname "$0")" && pwd)

role=""
prefix=/usr/local
root=""
source_dir=$(cd "$here/.." && pwd)
packages=1

die() {
	echo "$me: $*" >&2
	exit 1
}
warn() { echo "$me: warning: $*" >&2; }
usage() {
	echo "usage: $me --role entrance|security|frontdesk|station [--prefix DIR] [--root DIR] [--source DIR] [--no-packages]" >&2
	exit 2
}
while [ "$#" -gt 0 ]; do
	case $1 in
	--role) role=${2:-}; shift 2 || usage ;;
	--prefix) prefix=${2:-}; shift 2 || usage ;;
	--root) root=${2:-}; shift 2 || usage ;;
	--source) source_dir=${2:-}; shift 2 || usage ;;
	--no-packages) packages=0; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $role in
entrance | security | frontdesk) kind=kiosk ;;
station) kind=station ;;
*) usage ;;
esac
case $prefix in /*) prefix=${prefix%/} ;; *) die "--prefix must be an absolute path" ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 ...)"
if [ -n "$root" ]; then
	[ -d "$root" ] || die "--root $root: not a directory"
	root=$(cd "$root" && pwd)
	[ "$root" != / ] || root=""
fi
R=$root # every target path is "$R/path"
[ -f "$source_dir/Makefile" ] || die "--source $source_dir: no Makefile there"
source_dir=$(cd "$source_dir" && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) bindir=$BUILD/bin ;; *) bindir=$source_dir/$BUILD/bin ;; esac

if [ "$kind" = kiosk ]; then
	user=kiosk
	groups="video render input dialout lp healthkiosk"
	unit=healthkiosk.service
	programs="kiosk"
	conf=kiosk.conf
	secrets="device.credential"
else
	user=healthkiosk
	groups=""
	unit=healthkiosk-stationd.service
	programs="stationd stationctl"
	conf=stationd.conf
	secrets="station.key"
fi
libdir=$prefix/lib/healthkiosk
docdir=$prefix/share/doc/healthkiosk
changes=0
live=0
[ -n "$R" ] || [ ! -d /run/systemd/system ] || live=1
reload_units=0
reload_udev=0
reload_sysctl=0

stage=$(mktemp -d)
cleanup() {
	rm -rf "$stage"
	if [ -n "${policy_rc:-}" ]; then rm -f "$policy_rc"; fi
}
trap cleanup EXIT

changed() {
	changes=$((changes + 1))
	echo "$me: $*"
}

# The numeric id of a user or group of the target root.
uid_of() { awk -F: -v n="$1" '$1 == n { print $3 }' "$R/etc/passwd"; }
gid_of() { awk -F: -v n="$1" '$1 == n { print $3 }' "$R/etc/group"; }

# Install file SRC as DEST (a target path) with MODE and OWNER:GROUP (names of the target
# root), only when content, mode or owner differ: a rerun leaves mtimes alone.
put() { # SRC DEST MODE [OWNER GROUP]
	local src=$1 dest=$R$2 mode=$3 owner=${4:-root} group=${5:-root} uid gid
	uid=$(uid_of "$owner")
	gid=$(gid_of "$group")
	if [ -z "$uid" ] || [ -z "$gid" ]; then die "no user $owner or group $group in ${R:-/}"; fi
	if [ -f "$dest" ] && [ ! -L "$dest" ] && cmp -s "$src" "$dest"; then
		if [ "$(stat -c '%a %u %g' "$dest")" != "${mode#0} $uid $gid" ]; then
			chmod "$mode" "$dest"
			chown "$uid:$gid" "$dest"
			changed "fixed mode/owner of $2"
		fi
		return 0
	fi
	install -D -m "$mode" -o "$uid" -g "$gid" "$src" "$dest"
	changed "installed $2"
}

# Install a file only if absent (configuration that belongs to the technician).
put_once() { # SRC DEST MODE OWNER GROUP
	if [ -e "$R$2" ]; then
		return 0
	fi
	put "$@"
}

# A text file from a string.
put_text() { # TEXT DEST MODE
	printf '%s' "$1" >"$stage/text"
	put "$stage/text" "$2" "$3"
}

# A directory with MODE and owner, created or fixed.
dir() { # PATH MODE OWNER GROUP
	local d=$R$1 uid gid
	uid=$(uid_of "$3")
	gid=$(gid_of "$4")
	if [ ! -d "$d" ]; then
		install -d -m "$2" -o "$uid" -g "$gid" "$d"
		changed "created $1"
	elif [ "$(stat -c '%a %u %g' "$d")" != "${2#0} $uid $gid" ]; then
		chmod "$2" "$d"
		chown "$uid:$gid" "$d"
		changed "fixed mode/owner of $1"
	fi
}

# systemctl on the target root, offline (works in a chroot and on the running system).
sysctl_root() { systemctl --root="${R:-/}" --quiet "$@"; }
enable_unit() {
	if ! sysctl_root is-enabled "$1" >/dev/null 2>&1; then
		sysctl_root enable "$1"
		changed "enabled $1"
	fi
}
mask_unit() {
	local link=$R/etc/systemd/system/$1
	if [ "$(readlink "$link" 2>/dev/null)" != /dev/null ]; then
		sysctl_root mask "$1"
		changed "masked $1"
	fi
}

# 1. Packages, from the one list (rootfs/packages.txt) through rootfs/install-deps.sh.
apt_roles=$([ "$kind" = kiosk ] && echo run || echo station)
if [ "$packages" -eq 1 ]; then
	# Building on the device itself needs the build packages there too.
	if [ -z "$R" ]; then apt_roles="build $apt_roles"; fi
	if [ -z "$R" ]; then
		before=$(dpkg-query -W -f '${Package}\n' 2>/dev/null | wc -l)
		# shellcheck disable=SC2086 # one word per role
		"$here/install-deps.sh" $apt_roles
		after=$(dpkg-query -W -f '${Package}\n' 2>/dev/null | wc -l)
	else
		# Touch the root only when something is missing (install-deps.sh would find out too,
		# but copying it into the root already changes the root).
		want=""
		for r in $apt_roles; do
			want="$want $(awk -v r="$r" '!/^#/ && NF >= 2 { n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == r) print $1 }' "$here/packages.txt")"
		done
		missing_pkgs=""
		for p in $want; do
			chroot "$R" dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
				missing_pkgs="$missing_pkgs $p"
		done
		before=0
		after=0
		if [ -n "$missing_pkgs" ]; then
			# In a chroot: no service may start during package installation.
			if [ ! -e "$R/usr/sbin/policy-rc.d" ]; then
				policy_rc=$R/usr/sbin/policy-rc.d
				printf '#!/bin/sh\nexit 101\n' >"$policy_rc"
				chmod 0755 "$policy_rc"
			fi
			mkdir -p "$R/tmp/healthkiosk-deps"
			cp "$here/install-deps.sh" "$here/packages.txt" "$R/tmp/healthkiosk-deps/"
			before=$(chroot "$R" dpkg-query -W -f '${Package}\n' 2>/dev/null | wc -l)
			# shellcheck disable=SC2086 # one word per role
			chroot "$R" /bin/sh /tmp/healthkiosk-deps/install-deps.sh $apt_roles
			after=$(chroot "$R" dpkg-query -W -f '${Package}\n' 2>/dev/null | wc -l)
			rm -rf "$R/tmp/healthkiosk-deps"
			if [ -n "${policy_rc:-}" ]; then
				rm -f "$policy_rc"
				policy_rc=""
			fi
		fi
	fi
	[ "$before" = "$after" ] || changed "installed $((after - before)) packages (roles: $apt_roles)"
	# Automatic updates off: no unattended-upgrades on a device.
	in_root() { if [ -z "$R" ]; then "$@"; else chroot "$R" "$@"; fi; }
	if in_root dpkg-query -W -f '${Status}' unattended-upgrades 2>/dev/null | grep -q 'install ok installed'; then
		DEBIAN_FRONTEND=noninteractive in_root apt-get purge -y -qq unattended-upgrades
		changed "removed unattended-upgrades"
	fi
fi

# 2. Programs: make, then make install into a staging directory, copied with put() so that
# an unchanged program is not rewritten.
jobs=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -le 2 ] || jobs=2
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
	# Build as the user who called sudo: no root-owned files in their source tree.
	runuser -u "$SUDO_USER" -- make -C "$source_dir" -j"$jobs" -s BUILD="$BUILD" all >&2
else
	make -C "$source_dir" -j"$jobs" -s BUILD="$BUILD" all >&2
fi
make -C "$source_dir" --no-print-directory -s BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage/root" \
	install >/dev/null
missing=""
for p in $programs; do
	if [ ! -x "$stage/root$prefix/bin/$p" ]; then
		# A program of the final design whose source is not in this tree yet is a warning;
		# one whose source exists but did not build is an error (make failed above).
		[ ! -d "$source_dir/app/$p" ] || die "$p: app/$p exists but $bindir/$p was not built"
		missing="$missing $p"
	fi
done

# 3. Users and groups: the service user, in the groups of the devices it uses. Group
# healthkiosk owns /etc/healthkiosk and /var/lib/healthkiosk; the station user has it as its
# primary group, the kiosk user as a supplementary one, so both services can share one
# machine (a front-desk Pi that is also the station server).
for g in healthkiosk $groups; do
	if [ -z "$(gid_of "$g")" ]; then
		groupadd --root "${R:-/}" --system "$g"
		changed "created group $g"
	fi
done
if [ -z "$(uid_of "$user")" ]; then
	if [ "$user" = healthkiosk ]; then primary=(-g healthkiosk); else primary=(--user-group); fi
	useradd --root "${R:-/}" --system "${primary[@]}" --home-dir /var/lib/healthkiosk \
		--no-create-home --shell /usr/sbin/nologin --comment "healthkiosk $kind" "$user"
	changed "created user $user"
fi
for g in $groups; do
	if ! awk -F: -v g="$g" -v u="$user" '$1 == g { n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) f = 1 } END { exit !f }' "$R/etc/group"; then
		usermod --root "${R:-/}" -a -G "$g" "$user"
		changed "added $user to group $g"
	fi
done

# 4. Files: programs, helpers, documentation, configuration, data directory.
for f in "$stage/root$prefix"/bin/*; do
	[ -f "$f" ] || continue
	put "$f" "$prefix/bin/${f##*/}" 0755
done
# plugins the programs open at run time (the ZXing engine): $libdir is bin/../lib/healthkiosk
for f in "$stage/root$prefix"/lib/healthkiosk/*.so; do
	[ -f "$f" ] || continue
	put "$f" "$libdir/${f##*/}" 0644
done
if [ -d "$stage/root$prefix/share/healthkiosk" ]; then
	(cd "$stage/root$prefix/share/healthkiosk" && find . -type f) | sort | while read -r f; do
		put "$stage/root$prefix/share/healthkiosk/${f#./}" "$prefix/share/healthkiosk/${f#./}" 0644
	done
fi
put "$here/bin/healthkiosk-support" "$prefix/bin/healthkiosk-support" 0755
put "$here/bin/healthkiosk-drm-probe" "$libdir/healthkiosk-drm-probe" 0755
put "$here/bin/healthkiosk-check-input" "$libdir/healthkiosk-check-input" 0755
# (safe.directory: under sudo, root reads a tree owned by the technician's user)
version=$(git -c safe.directory="$source_dir" -C "$source_dir" describe --always --dirty 2>/dev/null || echo unknown)
put_text "$version
" "$libdir/VERSION" 0644
put "$source_dir/docs/appliance.md" "$docdir/appliance.md" 0644
put "$here/etc/$conf" "$docdir/$conf.example" 0644

dir /etc/healthkiosk 0750 root healthkiosk
if [ "$kind" = kiosk ]; then
	sed -E "s/^role = .*/role = $role/" "$here/etc/$conf" >"$stage/$conf"
else
	cp "$here/etc/$conf" "$stage/$conf"
fi
put_once "$stage/$conf" "/etc/healthkiosk/$conf" 0640 root "$user"
if [ "$kind" = kiosk ] && ! grep -Eq "^[[:space:]]*role[[:space:]]*=[[:space:]]*${role}[[:space:]]*$" "$R/etc/healthkiosk/$conf"; then
	warn "/etc/healthkiosk/$conf names another role than --role $role (the service runs --mode $role)"
fi
for s in $secrets; do
	f=$R/etc/healthkiosk/$s
	if [ -f "$f" ]; then
		if [ "$(stat -c '%a %u %g' "$f")" != "600 $(uid_of "$user") $(gid_of "$user")" ]; then
			chmod 0600 "$f"
			chown "$(uid_of "$user"):$(gid_of "$user")" "$f"
			changed "secured /etc/healthkiosk/$s (0600 $user)"
		fi
	else
		warn "/etc/healthkiosk/$s is missing: see docs/appliance.md, \"Enrol\""
	fi
done
# Group-writable for the services of this machine, sticky: each owns its own files (0600,
# UMask=0077) and none can remove the other's.
dir /var/lib/healthkiosk 1770 root healthkiosk

# 5. systemd: the unit (with this prefix), the role, enabling; lockdown drop-ins.
sed "s|/usr/local/|$prefix/|g" "$here/systemd/$unit" >"$stage/$unit"
before=$changes
put "$stage/$unit" "/etc/systemd/system/$unit" 0644
if [ "$kind" = kiosk ]; then
	put_text "# Written by rootfs/install.sh --role $role.
[Service]
Environment=HEALTHKIOSK_MODE=$role
" /etc/systemd/system/healthkiosk.service.d/role.conf 0644
	put "$here/pam/healthkiosk" /etc/pam.d/healthkiosk 0644
	put "$here/conf/logind-healthkiosk.conf" /etc/systemd/logind.conf.d/healthkiosk.conf 0644
	put "$here/conf/system-watchdog.conf" /etc/systemd/system.conf.d/healthkiosk-watchdog.conf 0644
fi
put "$here/conf/journald-healthkiosk.conf" /etc/systemd/journald.conf.d/healthkiosk.conf 0644
[ "$changes" -eq "$before" ] || reload_units=1
if [ -z "$missing" ]; then
	enable_unit "$unit"
else
	warn "not built:$missing (no app/ source yet): $unit installed but not enabled"
fi
if [ "$kind" = kiosk ]; then
	# No login prompt on the kiosk's screen, no reboot by Ctrl+Alt+Del.
	mask_unit getty@tty1.service
	mask_unit ctrl-alt-del.target
fi
# No automatic updates.
mask_unit apt-daily.timer
mask_unit apt-daily-upgrade.timer
put "$here/conf/apt-no-auto-updates.conf" /etc/apt/apt.conf.d/99healthkiosk-no-auto-updates 0644

# 6. udev names for the scanner box and the printer; kernel lockdown.
if [ "$kind" = kiosk ]; then
	before=$changes
	put_once "$here/udev/69-healthkiosk-ids.rules" /etc/udev/rules.d/69-healthkiosk-ids.rules 0644
	put "$here/udev/70-healthkiosk.rules" /etc/udev/rules.d/70-healthkiosk.rules 0644
	[ "$changes" -eq "$before" ] || reload_udev=1
	before=$changes
	put "$here/conf/sysctl-healthkiosk.conf" /etc/sysctl.d/90-healthkiosk.conf 0644
	[ "$changes" -eq "$before" ] || reload_sysctl=1

	# The Pi's kernel command line (one line): no console blanking, no console cursor.
	cmdline=$R/boot/firmware/cmdline.txt
	if [ -f "$cmdline" ]; then
		new=$(awk -v want="consoleblank=0 vt.global_cursor_default=0" '
			NR == 1 {
				n = split($0, w, /[ \t]+/); m = split(want, add, " ")
				out = ""
				for (i = 1; i <= n; i++) {
					if (w[i] == "") continue
					k = w[i]; sub(/=.*/, "", k); drop = 0
					for (j = 1; j <= m; j++) { a = add[j]; sub(/=.*/, "", a); if (k == a) drop = 1 }
					if (!drop) out = out (out == "" ? "" : " ") w[i]
				}
				print out (out == "" ? "" : " ") want
			}' "$cmdline")
		if [ "$new" != "$(head -n 1 "$cmdline")" ]; then
			printf '%s\n' "$new" >"$cmdline.healthkiosk-new"
			mv "$cmdline.healthkiosk-new" "$cmdline"
			changed "set consoleblank=0 vt.global_cursor_default=0 in /boot/firmware/cmdline.txt"
		fi
	fi
fi

# 7. On the running system, make the changes take effect (the kiosk itself starts at boot).
if [ "$live" -eq 1 ]; then
	[ "$reload_units" -eq 0 ] || systemctl daemon-reload
	[ "$reload_udev" -eq 0 ] || { udevadm control --reload && udevadm trigger --action=change; }
	[ "$reload_sysctl" -eq 0 ] || sysctl -q -p "$R/etc/sysctl.d/90-healthkiosk.conf"
fi

echo "$me: role $role into ${R:-/} done, $changes changes"
if [ "$changes" -gt 0 ] && [ -z "$R" ]; then
	echo "$me: reboot to start the $role $kind (sudo reboot)"
fi
