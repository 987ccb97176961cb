#!/bin/bash
# tests/bench/run.sh (make bench): every benchmark in one go: the programs
# $BUILD/tools/bench_* (built by `make`, one line per figure), bench_printer.sh,
# bench_ui.sh (UI frame times, start-up against a bare SDL window, peak memory; own Xvfb)
# and bench_camera.sh (writes its own section of docs/performance.md). Prints one summary
# block and writes it with the machine's description to docs/benchmarks.md.
# Usage: BUILD=build tests/bench/run.sh [SECONDS per benchmark, default 2]
# HK_BENCH_CAMERA=0 leaves out the camera benchmark (3-5 minutes of the 10); CRASH_COUNT=0
# the crash-consistency run (100 check-in attempts by default, about 6 minutes).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
seconds=${1:-2}
out=docs/benchmarks.md
log="$BUILD/bench"
mkdir -p "$log"
lines=()
failed=()
started=$SECONDS

# run NAME CMD...: run one benchmark, keep its stdout lines for the summary
run() {
	local name=$1 result t0=$SECONDS
	shift
	echo "== $name" >&2
	if result=$("$@"); then
		while IFS= read -r line; do
			[[ -n $line ]] && lines+=("$line")
		done <<<"$result"
		printf '%s\n' "$result"
	else
		printf '%s\n' "$result"
		echo "$name: FAILED" >&2
		failed+=("$name")
	fi
	echo "== $name: $((SECONDS - t0)) s" >&2
}

for b in "$BUILD"/tools/bench_*; do
	[[ -x $b ]] || continue
	case $(basename "$b") in
	bench_printer | bench_ui) continue ;; # through their scripts below
	esac
	run "$(basename "$b")" "$b" "$seconds"
done
run bench_printer tests/bench/bench_printer.sh
run bench_ui tests/bench/bench_ui.sh "$seconds"
if [[ ${HK_BENCH_CAMERA:-1} != 0 ]]; then
	# the full tables go to docs/performance.md; the summary keeps the key rows
	camera_summary() {
		BUILD=$BUILD tests/bench/bench_camera.sh >"$log/camera.txt" || return 1
		awk -F' *\\| *' '
			{ gsub(/\*\*/, "") }
			/^\| all codes \|/ { printf "camera_read_rate: %s pipeline (kiosk), %s zbar default (zbarimg), %s ZXing-cpp alone (all distortion classes)\n", $3, $5, $6 }
			/^\| 1280x720 \|/ { printf "camera_cpu_1280x720: %s ms pipeline, %s ms zbar default: %s (median CPU per frame holding a code)\n", $3, $5, $7 }
			/^Measured for an empty 1280x720 frame/ { sub(/^Measured for an empty 1280x720 frame: /, ""); gsub(/\*/, ""); print "camera_empty_frame_1280x720: " $0 }
		' "$log/camera.txt"
	}
	run bench_camera camera_summary
fi
# The long crash-consistency run (tests/crash/run.sh) on the release programs: CRASH_COUNT
# check-in attempts (make bench COUNT=N), CRASH_SEED to repeat a run; 0 leaves it out.
if [[ ${CRASH_COUNT:-100} != 0 ]]; then
	crash_summary() {
		tests/crash/run.sh -n "${CRASH_COUNT:-100}" ${CRASH_SEED:+-s "$CRASH_SEED"} \
			-b "$BUILD/bin" -o "$log/crash" >"$log/crash.txt" 2>&1
		local rc=$?
		sed -n 's/^summary: /crash_consistency: /p' "$log/crash.txt"
		return "$rc"
	}
	run crash_consistency crash_summary
fi

if [[ ${#lines[@]} -eq 0 ]]; then
	echo "no benchmark figures" >&2
	exit 1
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "==== make bench summary ($((SECONDS - started)) s; load average $load) ===="
printf '%s\n' "${lines[@]}"
[[ ${#failed[@]} -eq 0 ]] || echo "FAILED: ${failed[*]}"
echo "===="
mkdir -p docs
{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` (tests/bench/run.sh); do not edit by hand. Every figure is a"
	echo "measurement on the machine below, most as a ratio against a baseline run side by side"
	echo "(README: speed is measured, not hoped for; \`make test\` times nothing). How each is"
	echo "measured: [performance.md](performance.md) (camera, UI) and the header comment of each"
	echo "program in tests/tools/bench_*.c and script in tests/bench/."
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "- machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sm); load average at the end: $load"
	echo "- build: $BUILD (release flags from the Makefile)"
	echo "- whole run: $((SECONDS - started)) s"
	[[ ${#failed[@]} -eq 0 ]] || echo "- FAILED: ${failed[*]}"
	echo
	echo '```'
	printf '%s\n' "${lines[@]}"
	echo '```'
} >"$out"
echo "written to $out"
[[ ${#failed[@]} -eq 0 ]]
