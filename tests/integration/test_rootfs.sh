#!/bin/bash
# The appliance files (rootfs/) without a Pi and without the network, in seconds:
# Checked here: shellcheck on every script; systemd-analyze verify on every unit (in a scratch root with
# the helpers installed and stand-ins for programs not built yet); the udev rules' shape;
# the DRM probe on fake sysfs trees; the input check as an unprivileged user; install.sh
# into scratch roots for a kiosk and a station role, run twice (the second run changes
# nothing); the support bundle on a fake root (integrity checked, secrets absent).
# The same install into a real Debian 12 root with apt: tests/rootfs/test_chroot.sh.
# shellcheck disable=SC2016 # eval '...' in ok_if: expanded when the check runs
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
src=$PWD

# --- shellcheck -------------------------------------------------------------------------
scripts=(rootfs/install.sh rootfs/install-deps.sh rootfs/bin/* tests/integration/test_rootfs.sh
	tests/rootfs/*.sh)
ok_if "shellcheck clean: ${scripts[*]}" shellcheck -x "${scripts[@]}"

# --- install.sh into a scratch root ------------------------------------------------------
# A root with the account files of this machine (useradd/usermod work on them with --root)
# and the Pi's cmdline.txt.
new_root() { # DIR
	mkdir -p "$1/etc" "$1/boot/firmware"
	cp /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/login.defs "$1/etc/"
	# As on Raspberry Pi OS: a blanking default the installer must replace.
	echo "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait consoleblank=600 quiet" \
		>"$1/boot/firmware/cmdline.txt"
}
# Every file of a root with its mode, owner, size, mtime and checksum.
manifest() { # DIR
	(cd "$1" && find . -path ./usr/lib/systemd -prune -o -printf '%p %y %m %u:%g %s %T@ %l\n' | sort) || return 1
	(cd "$1" && find . -path ./usr/lib/systemd -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) || return 1
}
in_group() { # ROOT GROUP USER
	awk -F: -v g="$2" -v u="$3" '$1 == g { n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) f = 1 } END { exit !f }' "$1/etc/group"
}
mode_owner() { # ROOT PATH -> "MODE USER:GROUP" with the names of that root
	local s uid gid
	s=$(stat -c '%a %u %g' "$1$2") || return 1
	read -r m uid gid <<<"$s"
	echo "$m $(awk -F: -v i="$uid" '$3 == i { print $1; exit }' "$1/etc/passwd"):$(awk -F: -v i="$gid" '$3 == i { print $1; exit }' "$1/etc/group")"
}

K=$TMP/kiosk-root
new_root "$K"
rootfs/install.sh --role security --root "$K" --no-packages >"$TMP/k1.out" 2>&1
rc=$?
ok_if "install.sh --role security --root: completes" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/k1.out"
manifest "$K" >"$TMP/k1.manifest"
sleep 1.1 # a rewrite would now show in the mtimes
rootfs/install.sh --role security --root "$K" --no-packages >"$TMP/k2.out" 2>&1
ok_if "second run reports 0 changes" grep -q 'done, 0 changes$' "$TMP/k2.out"
manifest "$K" >"$TMP/k2.manifest"
ok_if "second run leaves every file, mode, owner, mtime and checksum as it was" \
	cmp -s "$TMP/k1.manifest" "$TMP/k2.manifest"
ok_if "user kiosk exists once, system account, no login shell" \
	test "$(grep -c '^kiosk:' "$K/etc/passwd")" = 1 -a "$(awk -F: '$1 == "kiosk" { print $7 }' "$K/etc/passwd")" = /usr/sbin/nologin
all_groups() { for g in video render input dialout lp healthkiosk; do in_group "$K" "$g" kiosk || return 1; done; }
ok_if "kiosk is in groups video render input dialout lp (and healthkiosk, the data group)" all_groups
ok_if "no duplicate group members or groups" \
	test "$(cut -d: -f1 "$K/etc/group" | sort | uniq -d | wc -l)" = 0 -a "$(grep -c ',kiosk,.*kiosk\|kiosk,kiosk' "$K/etc/group")" = 0
ok_if "/etc/healthkiosk 0750 root:healthkiosk, kiosk.conf 0640 root:kiosk" \
	test "$(mode_owner "$K" /etc/healthkiosk) $(mode_owner "$K" /etc/healthkiosk/kiosk.conf)" = "750 root:healthkiosk 640 root:kiosk"
ok_if "/var/lib/healthkiosk 1770 root:healthkiosk (sticky, the services' group)" \
	test "$(mode_owner "$K" /var/lib/healthkiosk)" = "1770 root:healthkiosk"
ok_if "kiosk.conf names the role" grep -qx 'role = security' "$K/etc/healthkiosk/kiosk.conf"
ok_if "the service runs the role" grep -qx 'Environment=HEALTHKIOSK_MODE=security' \
	"$K/etc/systemd/system/healthkiosk.service.d/role.conf"
files_present() {
	local f
	for f in /etc/systemd/system/healthkiosk.service /etc/pam.d/healthkiosk \
		/etc/udev/rules.d/69-healthkiosk-ids.rules /etc/udev/rules.d/70-healthkiosk.rules \
		/etc/sysctl.d/90-healthkiosk.conf /etc/systemd/logind.conf.d/healthkiosk.conf \
		/etc/apt/apt.conf.d/99healthkiosk-no-auto-updates /usr/local/bin/healthkiosk-support \
		/usr/local/lib/healthkiosk/healthkiosk-drm-probe /usr/local/lib/healthkiosk/healthkiosk-check-input \
		/usr/local/share/doc/healthkiosk/appliance.md /usr/local/share/doc/healthkiosk/kiosk.conf.example; do
		[ -f "$K$f" ] || { echo "# missing $f"; return 1; }
	done
}
ok_if "units, PAM, udev, sysctl, logind, apt, helpers and docs land where documented" files_present
masked() { for u in getty@tty1.service ctrl-alt-del.target apt-daily.timer apt-daily-upgrade.timer; do [ "$(readlink "$K/etc/systemd/system/$u")" = /dev/null ] || return 1; done; }
ok_if "getty@tty1, ctrl-alt-del and the apt timers are masked" masked
ok_if "sysctl: kernel.sysrq = 0" grep -qx 'kernel.sysrq = 0' "$K/etc/sysctl.d/90-healthkiosk.conf"
ok_if "cmdline.txt: one line, blanking and cursor off, other parameters kept in order" \
	test "$(cat "$K/boot/firmware/cmdline.txt")" = "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet consoleblank=0 vt.global_cursor_default=0"
ok_if "units use the prefix" grep -q '^ExecStart=/usr/local/lib/healthkiosk/healthkiosk-drm-probe /usr/local/bin/kiosk ' \
	"$K/etc/systemd/system/healthkiosk.service"
if [ -x "$BUILD/bin/kiosk" ] || [ -d app/kiosk ]; then
	ok_if "kiosk installed and healthkiosk.service enabled" \
		test -x "$K/usr/local/bin/kiosk" -a -L "$K/etc/systemd/system/multi-user.target.wants/healthkiosk.service"
else
	ok_if "kiosk not in the source yet: service installed, not enabled, and said so" \
		eval 'test ! -e "$K/etc/systemd/system/multi-user.target.wants/healthkiosk.service" && grep -q "not built: kiosk" "$TMP/k1.out"'
fi

# The technician's files are theirs: an edited config and ids file survive a rerun; a
# credential with loose permissions is tightened; a different --role is applied to the unit.
echo "# edited" >>"$K/etc/healthkiosk/kiosk.conf"
echo "# my ids" >>"$K/etc/udev/rules.d/69-healthkiosk-ids.rules"
echo "not-a-real-credential" >"$K/etc/healthkiosk/device.credential"
chmod 0644 "$K/etc/healthkiosk/device.credential"
rootfs/install.sh --role entrance --root "$K" --no-packages >"$TMP/k3.out" 2>&1
ok_if "a rerun keeps the edited kiosk.conf and ids rules" \
	eval 'tail -n1 "$K/etc/healthkiosk/kiosk.conf" | grep -qx "# edited" && tail -n1 "$K/etc/udev/rules.d/69-healthkiosk-ids.rules" | grep -qx "# my ids"'
ok_if "the device credential is made 0600 kiosk:kiosk" \
	test "$(mode_owner "$K" /etc/healthkiosk/device.credential)" = "600 kiosk:kiosk"
ok_if "a new --role changes the service's mode and warns about kiosk.conf" \
	eval 'grep -qx "Environment=HEALTHKIOSK_MODE=entrance" "$K/etc/systemd/system/healthkiosk.service.d/role.conf" && grep -q "names another role" "$TMP/k3.out"'

S=$TMP/station-root
new_root "$S"
rootfs/install.sh --role station --root "$S" --prefix /opt/healthkiosk --no-packages >"$TMP/s1.out" 2>&1
ok_if "install.sh --role station --prefix /opt/healthkiosk: completes" test $? -eq 0
manifest "$S" >"$TMP/s1.manifest"
rootfs/install.sh --role station --root "$S" --prefix /opt/healthkiosk --no-packages >"$TMP/s2.out" 2>&1
manifest "$S" >"$TMP/s2.manifest"
ok_if "station: second run changes nothing" \
	eval 'grep -q "done, 0 changes$" "$TMP/s2.out" && cmp -s "$TMP/s1.manifest" "$TMP/s2.manifest"'
ok_if "station: user healthkiosk without device groups, stationd.conf, unit with the prefix" \
	eval 'grep -q "^healthkiosk:" "$S/etc/passwd" && ! grep -q "^kiosk:" "$S/etc/passwd" && ! in_group "$S" input healthkiosk &&
		test -f "$S/etc/healthkiosk/stationd.conf" && grep -q "^ExecStart=/opt/healthkiosk/bin/stationd " "$S/etc/systemd/system/healthkiosk-stationd.service"'
ok_if "station: no kiosk lockdown (tty1 getty, udev rules, cmdline untouched)" \
	eval 'test ! -e "$S/etc/systemd/system/getty@tty1.service" -a ! -e "$S/etc/udev/rules.d/70-healthkiosk.rules" && grep -q "consoleblank=600" "$S/boot/firmware/cmdline.txt"'
ok_if "a bad role is refused" eval '! rootfs/install.sh --role lobby --root "$S" --no-packages 2>/dev/null'

# Real errors are not hidden: a source whose build fails, or whose program directory exists
# but produced no program, stops the installation with an error.
fake_src() { # DIR MAKEFILE-BODY
	mkdir -p "$1/rootfs" "$1/docs" "$1/app/kiosk"
	cp -r rootfs/. "$1/rootfs/"
	cp docs/appliance.md "$1/docs/"
	printf '%b' "$2" >"$1/Makefile"
}
fake_src "$TMP/src-broken" 'all:\n\t@echo "app/kiosk/main.c:1: error: expected declaration" >&2; exit 1\ninstall:\n\t@true\n'
new_root "$TMP/r-broken"
ok_if "a failing build stops install.sh (exit non-zero, the compiler's error shown)" \
	eval '! "$TMP/src-broken/rootfs/install.sh" --role entrance --root "$TMP/r-broken" --no-packages >"$TMP/b.out" 2>&1 && grep -q "main.c:1: error" "$TMP/b.out"'
fake_src "$TMP/src-empty" 'all:\n\t@true\ninstall:\n\tinstall -d $(DESTDIR)$(PREFIX)/bin\n'
ok_if "app/kiosk present but no kiosk installed: an error, not a warning" \
	eval '! "$TMP/src-empty/rootfs/install.sh" --role entrance --root "$TMP/r-broken" --no-packages >"$TMP/b2.out" 2>&1 && grep -q "app/kiosk exists but" "$TMP/b2.out"'

# A front-desk Pi that is also the station server: both roles into one root, in turn.
C=$TMP/both-root
new_root "$C"
rootfs/install.sh --role frontdesk --root "$C" --no-packages >"$TMP/c1.out" 2>&1 &&
	rootfs/install.sh --role station --root "$C" --no-packages >"$TMP/c2.out" 2>&1
ok_if "frontdesk + station on one machine: both complete" test $? -eq 0
echo "station-signing-key" >"$C/etc/healthkiosk/station.key"
rootfs/install.sh --role station --root "$C" --no-packages >/dev/null 2>&1
manifest "$C" >"$TMP/c1.manifest"
rootfs/install.sh --role frontdesk --root "$C" --no-packages >"$TMP/c3.out" 2>&1 &&
	rootfs/install.sh --role station --root "$C" --no-packages >"$TMP/c4.out" 2>&1
manifest "$C" >"$TMP/c2.manifest"
ok_if "frontdesk + station: rerunning both changes nothing (no ownership tug of war)" \
	eval 'grep -q "done, 0 changes$" "$TMP/c3.out" && grep -q "done, 0 changes$" "$TMP/c4.out" && cmp -s "$TMP/c1.manifest" "$TMP/c2.manifest"'
ok_if "frontdesk + station: each config readable by its user only, the signing key by stationd only" \
	test "$(mode_owner "$C" /etc/healthkiosk/kiosk.conf) $(mode_owner "$C" /etc/healthkiosk/stationd.conf) $(mode_owner "$C" /etc/healthkiosk/station.key)" = "640 root:kiosk 640 root:healthkiosk 600 healthkiosk:healthkiosk"
ok_if "frontdesk + station: kiosk and healthkiosk share the data group; stationd has no device group" \
	eval 'in_group "$C" healthkiosk kiosk && ! in_group "$C" input healthkiosk && ! in_group "$C" video healthkiosk'

# --- systemd-analyze verify ---------------------------------------------------------------
# In a root holding this machine's systemd units, the installed helpers, and stand-ins for
# the programs not built yet (verify checks that every Exec*= is executable).
show() { printf '# %s\n' "$@"; }
verify_unit() { # ROOT UNIT
	local out
	mkdir -p "$1/usr/lib/systemd" && cp -a /usr/lib/systemd/system "$1/usr/lib/systemd/" || return 1
	out=$(systemd-analyze verify --root="$1" "/etc/systemd/system/$2" 2>&1) || {
		show "$out"
		return 1
	}
	[ -z "$out" ] || {
		show "$out"
		return 1
	}
}
standin() { # ROOT PATH
	[ -x "$1$2" ] && return 0
	mkdir -p "$(dirname "$1$2")" && printf '#!/bin/sh\nexit 0\n' >"$1$2" && chmod 0755 "$1$2"
}
standin "$K" /usr/local/bin/kiosk
standin "$S" /opt/healthkiosk/bin/stationd
ok_if "systemd-analyze verify healthkiosk.service: clean" verify_unit "$K" healthkiosk.service
ok_if "systemd-analyze verify healthkiosk-stationd.service: clean" verify_unit "$S" healthkiosk-stationd.service
# systemd's own exposure score (0 = fully sandboxed, 10 = not at all): a regression guard.
security_ok() { # ROOT UNIT THRESHOLD(tenths)
	local out
	out=$(systemd-analyze security --offline=yes --threshold="$3" --root="$1" "/etc/systemd/system/$2" 2>&1)
	local rc=$?
	show "$(tail -n1 <<<"$out")"
	return "$rc"
}
ok_if "systemd-analyze security: healthkiosk.service exposure <= 2.0 (a kiosk with devices)" \
	security_ok "$K" healthkiosk.service 20
ok_if "systemd-analyze security: healthkiosk-stationd.service exposure <= 1.5" \
	security_ok "$S" healthkiosk-stationd.service 15
# verify is quiet about a misplaced key it still accepts; these must be where they work.
section_of() { # UNIT KEY -> the section holding KEY
	awk -v k="$2" '/^\[/ { s = $0 } index($0, k "=") == 1 { print s }' "$1" | sort -u
}
units_shape() {
	local u
	for u in rootfs/systemd/*.service; do
		[ "$(section_of "$u" StartLimitIntervalSec)" = "[Unit]" ] || return 1
		[ "$(section_of "$u" StartLimitBurst)" = "[Unit]" ] || return 1
		grep -qx 'Type=notify' "$u" && grep -qx 'NotifyAccess=main' "$u" && grep -q '^WatchdogSec=[1-9]' "$u" &&
			grep -qx 'Restart=always' "$u" && grep -qx 'ProtectSystem=strict' "$u" &&
			grep -qx 'ReadWritePaths=/var/lib/healthkiosk' "$u" && grep -qx 'NoNewPrivileges=yes' "$u" || return 1
	done
}
ok_if "units: StartLimit* in [Unit], notify + watchdog, restart always, strict file system" units_shape
kiosk_unit_shape() {
	local u=rootfs/systemd/healthkiosk.service k
	! grep -q '^PrivateDevices=' "$u" || return 1
	for k in 'Environment=SDL_VIDEODRIVER=kmsdrm' 'TTYPath=/dev/tty1' 'TTYReset=yes' 'TTYVHangup=yes' \
		'TTYVTDisallocate=yes' 'StandardInput=tty-fail' 'StandardError=journal' 'Conflicts=getty@tty1.service' \
		'PAMName=healthkiosk' 'User=kiosk' 'UtmpIdentifier=tty1' 'DevicePolicy=closed' \
		'DeviceAllow=char-drm rw' 'DeviceAllow=char-input r' 'DeviceAllow=char-video4linux rw' \
		'DeviceAllow=char-media rw' 'DeviceAllow=char-ttyACM rw' 'DeviceAllow=char-usb rw' \
		'DeviceAllow=char-usb_device rw' 'DeviceAllow=/dev/tty1 rw' 'PrivateTmp=yes' 'ProtectHome=yes'; do
		grep -qxF "$k" "$u" || { echo "# missing: $k"; return 1; }
	done
	grep -q '^After=.*getty@tty1.service' "$u" && grep -q '^After=.*systemd-user-sessions.service' "$u"
}
ok_if "kiosk unit: KMSDRM on tty1 in a logind session, devices allowed by class, no PrivateDevices" kiosk_unit_shape

# --- udev rules ------------------------------------------------------------------------------
# Shape of every rule line: comma-separated KEY OP "VALUE" with known keys and operators;
# every GOTO has its LABEL. (The real parser runs on them in tests/rootfs/test_chroot.sh.)
udev_shape() {
	awk '
		/^[ \t]*#/ || /^[ \t]*$/ { next }
		{
			line = $0; n = 0
			while (line != "") {
				if (!match(line, /^[A-Z_]+(\{[A-Za-z0-9_]+\})?(==|!=|\+=|-=|:=|=)"[^"]*"/)) { print FILENAME ":" FNR ": bad: " line; bad = 1; break }
				tok = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1)
				key = tok; sub(/[{=!+:-].*/, "", key)
				if (key !~ /^(ACTION|SUBSYSTEM|KERNEL|ATTRS|ENV|SYMLINK|OWNER|GROUP|MODE|GOTO|LABEL|TAG)$/) { print FILENAME ":" FNR ": unknown key " key; bad = 1 }
				if (tok ~ /^GOTO=/) { g = tok; gsub(/^GOTO="|"$/, "", g); gotos[g] = FILENAME }
				if (tok ~ /^LABEL=/) { l = tok; gsub(/^LABEL="|"$/, "", l); labels[l] = FILENAME }
				sub(/^, */, "", line)
				if (line ~ /^[ \t]+[^ \t]/) { print FILENAME ":" FNR ": missing comma"; bad = 1; break }
				sub(/^[ \t]+$/, "", line)
			}
		}
		END { for (g in gotos) if (labels[g] != gotos[g]) { print "GOTO without LABEL: " g; bad = 1 }; exit bad }
	' "$@"
}
ok_if "udev rules: well-formed KEY OP \"VALUE\" lists, GOTOs matched by LABELs" udev_shape rootfs/udev/*.rules
printf 'KERNEL=="event*" GROUP="kiosk"\n' >"$TMP/bad1.rules"
printf 'KERNEL=="event*", GOTO="nowhere"\n' >"$TMP/bad2.rules"
printf 'KERNEL=="event*", SYMLNK+="x"\n' >"$TMP/bad3.rules"
ok_if "udev shape check rejects a missing comma, a GOTO without LABEL, an unknown key" \
	eval '! udev_shape "$TMP/bad1.rules" >/dev/null && ! udev_shape "$TMP/bad2.rules" >/dev/null && ! udev_shape "$TMP/bad3.rules" >/dev/null'
ok_if "udev: stable names for scanner (event and tty) and printer, kiosk group" \
	eval 'grep -q "SYMLINK+=\"input/healthkiosk-scanner\"" rootfs/udev/70-healthkiosk.rules &&
		grep -q "SYMLINK+=\"healthkiosk-scanner\"" rootfs/udev/70-healthkiosk.rules &&
		test "$(grep -c "SYMLINK+=\"healthkiosk-printer\"" rootfs/udev/70-healthkiosk.rules)" = 2 &&
		grep -q "ENV{HEALTHKIOSK_DEVICE}=\"scanner\"" rootfs/udev/69-healthkiosk-ids.rules'

# --- healthkiosk-drm-probe on fake sysfs trees ----------------------------------------------
fake_drm() { # DIR CONNECTOR:STATUS...
	local d=$1 c
	shift
	mkdir -p "$d/class/drm/card0" "$d/class/drm/renderD128"
	for c in "$@"; do
		mkdir -p "$d/class/drm/${c%%:*}"
		echo "${c#*:}" >"$d/class/drm/${c%%:*}/status"
	done
}
probe() { HEALTHKIOSK_SYSFS=$1 rootfs/bin/healthkiosk-drm-probe --print 2>&1; }
# A Pi 5 boot where the display controller came up as card1 (card0: v3d, no connectors).
fake_drm "$TMP/pi5" card1-HDMI-A-1:connected card1-HDMI-A-2:disconnected card1-Writeback-1:unknown
ok_if "drm probe: the card with the connected HDMI (card1, not card0)" test "$(probe "$TMP/pi5")" = "1 HDMI-A-1"
fake_drm "$TMP/pi5b" card2-HDMI-A-1:disconnected card3-DSI-1:connected card3-HDMI-A-2:connected
ok_if "drm probe: DSI touchscreen first among connected; on card3 after a renumbering" \
	test "$(probe "$TMP/pi5b")" = "3 DSI-1"
ok_if "drm probe: HEALTHKIOSK_CONNECTOR picks the other display" \
	test "$(HEALTHKIOSK_CONNECTOR=HDMI-A-2 HEALTHKIOSK_SYSFS="$TMP/pi5b" rootfs/bin/healthkiosk-drm-probe --print)" = "3 HDMI-A-2"
fake_drm "$TMP/panel" card0-DSI-1:unknown card1-HDMI-A-1:disconnected
ok_if "drm probe: a panel that only says unknown is used when nothing says connected" \
	test "$(probe "$TMP/panel")" = "0 DSI-1"
fake_drm "$TMP/none" card1-HDMI-A-1:disconnected card1-Writeback-1:unknown
ok_if "drm probe: no display (only vc4's writeback connector, unknown): exit 1 with an error log line" \
	eval '! out=$(probe "$TMP/none") && echo "$out" | grep -q "^<3>healthkiosk-drm-probe: no connected display"'
ok_if "drm probe: execs the program with SDL_KMSDRM_DEVICE_INDEX in its environment (same PID)" \
	eval 'test "$(HEALTHKIOSK_SYSFS="$TMP/pi5" rootfs/bin/healthkiosk-drm-probe sh -c "echo \$SDL_KMSDRM_DEVICE_INDEX \$\$; exit 0" 2>/dev/null | cut -d" " -f1)" = 1'

# --- healthkiosk-check-input, as an unprivileged user -----------------------------------------
D=$TMP/dev
mkdir -p "$D/input"
for i in 0 1 2; do : >"$D/input/event$i"; done
chmod 0755 "$TMP"
cp rootfs/etc/kiosk.conf "$TMP/kiosk.conf"
sed -i 's|^spec = zpl:/dev/healthkiosk-printer|spec = zpl+tcp://192.0.2.10:9100|' "$TMP/kiosk.conf"
chmod 0644 "$TMP/kiosk.conf"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env HEALTHKIOSK_DEV="$D" "$@"; }
chmod 0644 "$D"/input/event*
ok_if "check-input: readable devices pass" as_nobody rootfs/bin/healthkiosk-check-input "$TMP/kiosk.conf"
chmod 0640 "$D/input/event1"
ok_if "check-input: an unreadable event device fails with one clear log line" \
	eval '! out=$(as_nobody rootfs/bin/healthkiosk-check-input "$TMP/kiosk.conf" 2>&1) && echo "$out" | grep -q "^<3>healthkiosk-check-input: input devices not readable by user nobody: event1 (is nobody in group input"'
chmod 0644 "$D/input/event1"
ln -s event2 "$D/input/healthkiosk-scanner"
: >"$D/video0"
chmod 0600 "$D/video0"
ok_if "check-input: a configured camera that is present but not accessible fails" \
	eval '! as_nobody rootfs/bin/healthkiosk-check-input "$TMP/kiosk.conf" 2>&1 | grep -q "<6>" && as_nobody rootfs/bin/healthkiosk-check-input "$TMP/kiosk.conf" 2>&1 | grep -q "camera device .*/video0 is not accessible"'
rm "$D/video0"
ok_if "check-input: an unplugged camera is only a warning" \
	eval 'as_nobody rootfs/bin/healthkiosk-check-input "$TMP/kiosk.conf" 2>&1 | grep -q "^<4>.*camera device .*/video0 is not present"'

# --- healthkiosk-support on a fake root ----------------------------------------------------------
F=$TMP/support-root
mkdir -p "$F/etc/healthkiosk" "$F/var/lib/healthkiosk" "$F/usr/local/lib/healthkiosk"
cp rootfs/etc/kiosk.conf "$F/etc/healthkiosk/kiosk.conf"
cat >>"$F/etc/healthkiosk/kiosk.conf" <<'EOF'
[sync]
api_token = tok-SECRET-1234
upstream = https://user:pw-SECRET-5678@hub.example/
EOF
echo "cred-SECRET-9999" >"$F/etc/healthkiosk/device.credential"
echo "v1.2-test" >"$F/usr/local/lib/healthkiosk/VERSION"
sqlite3 "$F/var/lib/healthkiosk/kiosk.db" "CREATE TABLE outbox (id INTEGER PRIMARY KEY, created_at INTEGER, sent_at INTEGER, payload TEXT);
	INSERT INTO outbox VALUES (1, 100, 150, 'name-PERSONAL'), (2, 200, NULL, 'x'), (3, 300, NULL, 'y');
	CREATE TABLE print_jobs (id INTEGER PRIMARY KEY, state TEXT); INSERT INTO print_jobs VALUES (1, 'done'), (2, 'failed');"
(cd "$TMP" && "$src/rootfs/bin/healthkiosk-support" --root "$F" --output "$TMP/bundle.tar.gz" >/dev/null 2>&1)
ok_if "support: writes a tar.gz" eval 'tar -xzf "$TMP/bundle.tar.gz" -C "$TMP" && test -d "$TMP"/healthkiosk-support-*/config'
B=$(echo "$TMP"/healthkiosk-support-*)
ok_if "support: versions and the store's integrity check" \
	eval 'grep -q "healthkiosk: v1.2-test" "$B/versions.txt" && grep -qx "integrity_check: ok " "$B/store-kiosk.db.txt"'
ok_if "support: outbox and print-job counts (sync and printer status)" \
	eval 'grep -qx "outbox pending: 2" "$B/store-kiosk.db.txt" && grep -qx "outbox last sent (unix time): 150" "$B/store-kiosk.db.txt" && grep -qx "  failed|1" "$B/store-kiosk.db.txt"'
ok_if "support: configuration kept, secret values redacted" \
	eval 'grep -qx "url = https://192.0.2.1:8443" "$B/config/kiosk.conf" && grep -qx "api_token = <redacted>" "$B/config/kiosk.conf" && grep -qx "token_file = <redacted>" "$B/config/kiosk.conf"'
ok_if "support: no secret and no row content anywhere in the bundle" \
	eval '! grep -rqE "SECRET|PERSONAL" "$B"'
ok_if "support: the credential file is listed by mode only" grep -q 'device.credential$' "$B/config/files.txt"
sqlite3 "$F/var/lib/healthkiosk/kiosk.db" "PRAGMA writable_schema=ON; UPDATE sqlite_master SET rootpage=99 WHERE name='print_jobs';" 2>/dev/null
rm -rf "$B"
(cd "$TMP" && "$src/rootfs/bin/healthkiosk-support" --root "$F" --output "$TMP/bundle2.tar.gz" >/dev/null 2>&1)
ok_if "support: a damaged store is reported, the bundle still written" \
	eval 'tar -xzOf "$TMP/bundle2.tar.gz" --wildcards "*/store-kiosk.db.txt" | grep "^integrity_check:" | grep -vq "integrity_check: ok"'

finish
