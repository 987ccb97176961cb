#!/bin/bash
# Every libFuzzer harness in tests/fuzz/ built with clang and run briefly on its seed corpus
# (tests/fuzz/run.sh short: about SHORT_BUDGET=24 s in all). TAP, one line per harness.
# Longer runs: make fuzz.
cd "$(dirname "$0")/../.." || exit 1
exec tests/fuzz/run.sh short
