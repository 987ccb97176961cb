#!/bin/bash
# tests/fuzz/run.sh: build every libFuzzer harness tests/fuzz/fuzz_NAME.c with clang into
# $BUILD/fuzz/ and run it on its seed corpus tests/fuzz/corpus/NAME/. Prints TAP, one line
# per harness; exits non-zero when a harness fails to build or finds a crash.
#
#   tests/fuzz/run.sh short [NAME...]   a short run: SHORT_BUDGET wall-clock seconds (default
#                                       40) shared by all harnesses run FUZZ_JOBS (2) at a
#                                       time, at least 3 s each (make test)
#   tests/fuzz/run.sh long [NAME...]    FUZZ_SECONDS per harness (default 600), FUZZ_JOBS (1)
#                                       at a time (make fuzz)
#
# A harness names what it needs in its opening comment (a key may repeat on further lines;
# keep each line short so clang-format leaves it alone):
#   fuzz-sources: app/core/a.c app/core/b.c      (project sources linked into the harness)
#   fuzz-pkgs: libcrypto jansson                  (pkg-config packages)
# New inputs found go to $BUILD/fuzz/corpus/NAME/ (the committed seeds stay untouched);
# crashes to $BUILD/fuzz/artifacts/NAME/. To keep a new seed, copy it into the committed
# corpus by hand. Override the compiler with CLANG=clang-14.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
CLANG=${CLANG:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
mode=${1:-}
shift || true
case $mode in
short | long) ;;
*)
	echo "usage: tests/fuzz/run.sh short|long [NAME...]" >&2
	exit 2
	;;
esac

all=()
for f in tests/fuzz/fuzz_*.c; do
	[ -f "$f" ] && all+=("$(basename "$f" .c | sed 's/^fuzz_//')")
done
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")
if [ ${#names[@]} -eq 0 ]; then
	echo "1..0 # no harnesses"
	exit 0
fi

# FUZZ_JOBS harnesses at a time: 2 for short runs, 1 for long ones unless told
jobs=${FUZZ_JOBS:-$([ "$mode" = short ] && echo 2 || echo 1)}
if [ -n "${FUZZ_SECONDS:-}" ]; then
	seconds=$FUZZ_SECONDS
elif [ "$mode" = short ]; then
	# wall-clock budget: all harnesses share it, $jobs of them at a time
	seconds=$((${SHORT_BUDGET:-40} * jobs / ${#all[@]}))
	[ "$seconds" -lt 3 ] && seconds=3
else
	seconds=600
fi

# The values of every "fuzz-KEY:" line in a harness, on one line.
header_field() {
	sed -n "s/^.*fuzz-$2:[[:space:]]*//p" "$1" | sed 's/[[:space:]]*\*\/.*$//' | tr '\n' ' '
}

# Build $BUILD/fuzz/fuzz_NAME unless it is newer than every file it is made of.
build_harness() {
	local name=$1 src="tests/fuzz/fuzz_$1.c" out="$BUILD/fuzz/fuzz_$1"
	local sources pkgs cflags libs
	read -ra sources <<<"$(header_field "$src" sources)"
	read -ra pkgs <<<"$(header_field "$src" pkgs)"
	local dirs
	mapfile -t dirs < <(for f in "${sources[@]}"; do dirname "$f"; done | sort -u)
	if [ -x "$out" ] && [ -z "$(find "$src" tests/fuzz/*.h "${dirs[@]}" app/core -newer "$out" \
		2>/dev/null)" ]; then
		return 0
	fi
	mkdir -p "$BUILD/fuzz"
	cflags=() libs=()
	if [ ${#pkgs[@]} -gt 0 ]; then
		read -ra cflags <<<"$("$PKG_CONFIG" --cflags "${pkgs[@]}")"
		read -ra libs <<<"$("$PKG_CONFIG" --libs "${pkgs[@]}")"
	fi
	"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-std=c11 -D_GNU_SOURCE -I. "${cflags[@]}" -o "$out" "$src" "${sources[@]}" "${libs[@]}" \
		>"$BUILD/fuzz/fuzz_$name.build.log" 2>&1
}

# Build and run one harness; its TAP line (without the number) and any notes go to
# $BUILD/fuzz/NAME.tap, its exit status is the result.
run_one() {
	local name=$1 out="$BUILD/fuzz/$1.tap"
	local src="tests/fuzz/fuzz_$name.c"
	if [ ! -f "$src" ] || ! build_harness "$name"; then
		{
			echo "not ok - fuzz_$name: build failed (log: $BUILD/fuzz/fuzz_$name.build.log)"
			sed 's/^/# /' "$BUILD/fuzz/fuzz_$name.build.log" 2>/dev/null | head -20
		} >"$out"
		return 1
	fi
	local work="$BUILD/fuzz/corpus/$name" artifacts="$BUILD/fuzz/artifacts/$name/"
	local log="$BUILD/fuzz/fuzz_$name.log" seeds="tests/fuzz/corpus/$name"
	mkdir -p "$work" "$artifacts"
	[ -d "$seeds" ] || seeds=""
	# shellcheck disable=SC2086
	"$BUILD/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$artifacts" "$work" $seeds >"$log" 2>&1
	local rc=$?
	local runs cov
	runs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "ok - fuzz_$name: ${runs:-?} runs in ${seconds}s, ${cov:-cov: ?}" >"$out"
		return 0
	fi
	{
		echo "not ok - fuzz_$name: exit $rc (log: $log, crash inputs: $artifacts)"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -10 | sed 's/^/# /'
	} >"$out"
	return 1
}

# The TAP lines come out in the order of the names.
mkdir -p "$BUILD/fuzz"
running=0
for name in "${names[@]}"; do
	rm -f "$BUILD/fuzz/$name.tap"
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_one "$name" &
	running=$((running + 1))
done
wait
n=0
failed=0
for name in "${names[@]}"; do
	n=$((n + 1))
	line=$(head -1 "$BUILD/fuzz/$name.tap" 2>/dev/null)
	[ -n "$line" ] || line="not ok - fuzz_$name: no result"
	case $line in
	ok*) echo "ok $n${line#ok}" ;;
	*)
		echo "not ok $n${line#not ok}"
		failed=$((failed + 1))
		;;
	esac
	tail -n +2 "$BUILD/fuzz/$name.tap" 2>/dev/null
done
echo "1..$n"
[ "$failed" -eq 0 ]
