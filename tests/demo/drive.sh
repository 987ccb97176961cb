# shellcheck shell=bash
# tests/demo/drive.sh: drive the real kiosk window as people and staff would, through the
# real input paths: xdotool types a code as a keyboard-wedge scanner box does, clicks the
# buttons where the kiosk drew them, turns the mouse wheel over the briefing; the camera
# path gets a QR image dropped into its folder. Sourced by tests/demo/run.sh (make run) and
# tests/integration/test_kiosk.sh. Needs: KSTATE (the kstate tool), STATE (the kiosk's state
# file), WIN (the window id), CAMDIR (the files: camera folder, optional).

# Wait until the screen is one of the given states ("IDENTITY", "ATTRACT/PIN", ...);
# prints it. Fails after ${WAIT_S:-20} seconds.
wait_state() {
	local want=" $* " st i
	for ((i = 0; i < ${WAIT_S:-20} * 20; i++)); do
		st=$("$KSTATE" "$STATE" state 2>/dev/null) || st=""
		if [[ -n $st && $want == *" $st "* ]]; then
			echo "$st"
			return 0
		fi
		sleep 0.05
	done
	echo "timeout waiting for [$*], screen is ${st:-unknown}" >&2
	return 1
}

# Click the button the kiosk calls NAME (with ARG for keypad digits and list entries).
click() {
	local xy i
	for ((i = 0; i < 40; i++)); do
		xy=$("$KSTATE" "$STATE" button "$@" 2>/dev/null) && break
		sleep 0.05
	done
	if [[ -z $xy ]]; then
		echo "no button $* on screen $("$KSTATE" "$STATE" state 2>/dev/null)" >&2
		return 1
	fi
	# shellcheck disable=SC2086 # "X Y"
	xdotool mousemove --window "$WIN" $xy click 1
	sleep 0.15
}

# Scan a code with the keyboard-wedge scanner box: a fast burst of keys, then Enter.
scan_wedge() {
	xdotool type --window "$WIN" --delay 2 -- "$1"
	xdotool key --window "$WIN" Return
}

# Scan at the attract screen and wait for the kiosk to answer. Like a person whose scan did
# not register, or came out broken (the kiosk says "damaged, scan again"), scan once more,
# at most twice, and say so on stderr (the demo keeps it in its log).
scan_from_attract() {
	local i try st reason
	for ((try = 0; try < 3; try++)); do
		scan_wedge "$1"
		st=ATTRACT
		for ((i = 0; i < 160; i++)); do
			st=$("$KSTATE" "$STATE" state 2>/dev/null) || st=ATTRACT
			[[ $st != ATTRACT && $st != VERIFYING ]] && break
			sleep 0.05
		done
		reason=$("$KSTATE" "$STATE" field reason 2>/dev/null)
		if [[ $st == REFUSED && ($reason == E_MALFORMED || $reason == E_NOT_HEALTH_CODE) ]]; then
			echo "scan came out broken ($reason): scanning again" >&2
			click DISMISS && wait_state ATTRACT >/dev/null
		elif [[ $st == ATTRACT ]]; then
			echo "scan not answered within 8 s: scanning again" >&2
		else
			return 0
		fi
	done
}

# Show a QR image to the camera (files: camera): appears atomically in its folder.
scan_camera() {
	local name
	name=$(printf '%06d-%s' "$((++CAM_N))" "$(basename "$1")")
	cp "$1" "$CAMDIR/.$name" && mv "$CAMDIR/.$name" "$CAMDIR/$name"
}

# Read the briefing to its end: wheel turns over the text until the acknowledgement is
# enabled (the minimum reading time and the scroll to the end).
read_briefing() {
	local i
	xdotool mousemove --window "$WIN" "$((${SCREEN_W:-800} / 2))" "$((${SCREEN_H:-480} / 2))"
	for ((i = 0; i < 200; i++)); do
		xdotool click --repeat 5 --delay 10 5
		[[ $("$KSTATE" "$STATE" field ack_enabled) == true ]] && return 0
		sleep 0.1
	done
	echo "the acknowledgement never became enabled" >&2
	return 1
}

# A staff member approves what the kiosk waits for: badge scan, PIN on the keypad, approve.
staff_approve() {
	local badge=$1 pin=$2 d
	scan_wedge "HKSTAFF1:$badge"
	wait_state "APPROVAL/PIN" "IDENTITY/PIN" "REFUSED/PIN" "ATTRACT/PIN" >/dev/null || return 1
	for ((d = 0; d < ${#pin}; d++)); do
		click PIN_DIGIT "${pin:d:1}" || return 1
	done
	click PIN_ENTER || return 1
	wait_state "APPROVAL/STAFF" "REFUSED/STAFF" "IDENTITY/STAFF" >/dev/null || return 1
	click STAFF_APPROVE
}

# From a confirmed identity to the done screen: family members (their code files), the
# briefing, the wristband. Prints the room the done screen shows.
finish_checkin() {
	local f st
	st=$(wait_state FAMILY BRIEFING) || return 1
	if [[ $st == FAMILY ]]; then
		local want i
		for f in "$@"; do
			want=$(($("$KSTATE" "$STATE" field people) + 1))
			scan_wedge "$(cat "$f")"
			for ((i = 0; i < 400; i++)); do # until the member is on the list
				[[ $("$KSTATE" "$STATE" field people 2>/dev/null) == "$want" ]] && break
				sleep 0.05
			done
			wait_state FAMILY >/dev/null || return 1
		done
		click ADD_DONE || return 1
		wait_state BRIEFING >/dev/null || return 1
	fi
	read_briefing || return 1
	click ACK || return 1
	wait_state DONE >/dev/null || return 1
}
