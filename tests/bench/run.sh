#!/bin/bash
# tests/bench/run.sh: run every benchmark program $BUILD/tools/bench_* (built by `make`),
# print their lines, and write them with the machine's description to docs/benchmarks.md.
# A benchmark is a program tests/tools/bench_NAME.c printing one line per figure.
# Usage: BUILD=build tests/bench/run.sh [SECONDS per benchmark, default 2]
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
seconds=${1:-2}
out=docs/benchmarks.md
lines=()
status=0
for b in "$BUILD"/tools/bench_*; do
	[ -x "$b" ] || continue
	if result=$("$b" "$seconds"); then
		while IFS= read -r line; do
			echo "$line"
			lines+=("$line")
		done <<<"$result"
	else
		echo "$(basename "$b"): FAILED" >&2
		status=1
	fi
done
if [ ${#lines[@]} -eq 0 ]; then
	echo "no benchmarks in $BUILD/tools/bench_*" >&2
	exit 1
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mkdir -p docs
{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` (tests/bench/run.sh); do not edit by hand."
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "- machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sm)"
	echo "- build: $BUILD (release flags from the Makefile)"
	echo
	echo '```'
	printf '%s\n' "${lines[@]}"
	echo '```'
} >"$out"
echo "written to $out"
exit $status
