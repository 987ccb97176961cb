#!/bin/sh
# Benchmark and soak of station sync: records/s pushed to one stationd by one device and by
# 50 devices at once, then 10,000 records pushed through injected faults (station killed and
# stalled, batches resent and reordered, devices restarted, clocks hours off), checked held
# exactly once with PRAGMA integrity_check ok. Release build; run from anywhere.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
exec "$BUILD/tools/bench_sync" "${1:-2}"
