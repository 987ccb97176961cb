#!/bin/bash
# tests/bench/bench_ui.sh: the kiosk's UI figures under our own Xvfb, software renderer as
# the kiosk uses under X11: frame times of the attract screen ($BUILD/tools/bench_ui), the
# kiosk's process start to first frame side by side with a bare SDL window program
# ($BUILD/tools/bare_sdl), runs alternating, medians compared; the kiosk's peak memory over
# the demo batch (tests/demo/run.sh in $BUILD/bench/demo). Prints one line per figure.
# Needs make all. Usage: tests/bench/bench_ui.sh [SECONDS per frame case (2)] [RUNS (15)]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
seconds=${1:-2}
runs=${2:-15}
size=800x480
HK_BENCH_MACHINE="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
export HK_BENCH_MACHINE
out="$BUILD/bench/ui"
demo="$BUILD/bench/demo"
mkdir -p "$out"
for t in tools/bench_ui tools/bare_sdl bin/kiosk bin/stationctl tools/kstate; do
	[[ -x $BUILD/$t ]] || {
		echo "bench_ui: $BUILD/$t missing: run make all" >&2
		exit 1
	}
done

# The demo batch first (it runs its own Xvfb): the kiosk logs its peak RSS when it stops.
echo "bench_ui: running the demo batch for the kiosk's peak memory" >&2
# xdotool's typing can stall on a loaded machine past the wedge's gap: one more try then.
batch_ok=0
for _ in 1 2; do
	if HK_HEADLESS=1 HK_DEMO_DIR="$demo" BUILD="$BUILD" tests/demo/run.sh >"$out/demo.txt" 2>&1; then
		batch_ok=1
		break
	fi
	echo "bench_ui: the demo batch failed (see $out/demo.txt)" >&2
done
batch_kb=$(grep -o 'peak-rss-kb=[0-9]*' "$demo/kiosk.log" | tail -n 1 | cut -d= -f2 || true)
arrivals=$(grep -cE '[0-9]+\.[0-9] s$' "$demo/summary.txt" || true)

n=90
while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null' EXIT
export DISPLAY=":$n"
for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X$n ]] && break; sleep 0.05; done

"$BUILD/tools/bench_ui" "$seconds" | tee "$out/lines.txt"

# Start to first frame: the time from just before the fork to the program's own clock
# reading after its first frame is on screen, CLOCK_REALTIME in microseconds on both sides.
kiosk=("$BUILD/bin/kiosk" --config "$demo/kiosk.conf" --windowed --size "$size"
	--exit-after-first-frame)
bare=("$BUILD/tools/bare_sdl" "${size%x*}" "${size#*x}")
# one NAME CMD...: one run; appends the start-up time (us) to $out/NAME.us, the RSS to NAME.kb.
# Each run starts on a quiet machine and X server: without the pause, the X server still
# tears down the previous program's window while the next one starts, which lengthened
# whichever program ran second (the bare window, after the kiosk) and flattered the ratio.
one() {
	local name=$1 t0 text ff kb
	shift
	sleep 0.3
	t0=$EPOCHREALTIME
	text=$("$@" 2>&1) || {
		echo "bench_ui: $name failed: $text" >&2
		return 1
	}
	ff=$(grep -o 'first-frame-realtime-us=[0-9]*' <<<"$text" | cut -d= -f2 || true)
	kb=$(grep -o 'peak-rss-kb=[0-9]*' <<<"$text" | tail -n 1 | cut -d= -f2 || true)
	[[ -n $ff ]] || {
		echo "bench_ui: $name printed no first-frame time" >&2
		return 1
	}
	echo $((ff - ${t0/./})) >>"$out/$name.us"
	echo "${kb:-0}" >>"$out/$name.kb"
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rm -f "$out"/{kiosk,bare}.{us,kb}
one kiosk "${kiosk[@]}" && one bare "${bare[@]}" # warm-up: page cache, fonts, X server
rm -f "$out"/{kiosk,bare}.{us,kb}
for ((i = 0; i < runs; i++)); do
	one bare "${bare[@]}"
	one kiosk "${kiosk[@]}"
done
k_us=$(median "$out/kiosk.us")
b_us=$(median "$out/bare.us")
k_kb=$(median "$out/kiosk.kb")
b_kb=$(median "$out/bare.kb")
{
awk -v k="$k_us" -v b="$b_us" -v n="$runs" -v s="$size" 'BEGIN {
	printf "startup_first_frame: kiosk %.1f ms, bare SDL window %.1f ms: %.2fx (target <= 1.5x; " \
	       "medians of %d runs each, alternating; exec to first frame on screen, %s, Xvfb, " \
	       "software renderer)\n", k / 1000, b / 1000, k / b, n, s }'
awk -v ok="$batch_ok" -v batch="${batch_kb:-0}" -v first="$k_kb" -v bare="$b_kb" -v n="$arrivals" -v s="$size" 'BEGIN {
	if (!ok || batch == 0) {
		printf "peak_memory_kiosk: over the demo batch NOT MEASURED (the batch failed: " \
		       "build/bench/ui/demo.txt); %.1f MiB at its first frame; bare SDL window " \
		       "%.1f MiB: %.1fx\n", first / 1024, bare / 1024, first / bare
		exit
	}
	printf "peak_memory_kiosk: %.1f MiB over the demo batch (%d arrivals, %s; ru_maxrss = VmHWM " \
	       "when it stops), %.1f MiB at its first frame; bare SDL window %.1f MiB: %.1fx\n",
	       batch / 1024, n, s, first / 1024, bare / 1024, batch / bare }'
} | tee -a "$out/lines.txt"

# The figures into docs/performance.md, between the ui markers (the rest stays as it is).
doc=docs/performance.md
HK_BENCH_LOAD=$(cut -d" " -f1 /proc/loadavg)
export HK_BENCH_LOAD
if grep -q '^<!-- ui:begin' "$doc" && grep -q '^<!-- ui:end -->' "$doc"; then
	awk -v lines="$out/lines.txt" -v when="$(date -u +%Y-%m-%d)" '
		/^<!-- ui:begin/ { print; skip = 1
			print "Measured " when " by `make bench` on " ENVIRON["HK_BENCH_MACHINE"] " (load average " ENVIRON["HK_BENCH_LOAD"] " at the end; medians):"
			print ""; print "```"
			while ((getline l < lines) > 0) print l
			print "```"; next }
		/^<!-- ui:end -->/ { skip = 0 }
		!skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
fi
