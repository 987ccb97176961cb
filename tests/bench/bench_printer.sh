#!/bin/sh
# Benchmark of drivers/printer: render and encode one wristband (target < 20 ms).
# Uses the release build ($BUILD/tools/bench_printer); run from the repository root.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
exec "$BUILD/tools/bench_printer" "${1:-50}" "${2:-20}"
