#!/bin/bash
# Every libFuzzer harness in tests/fuzz/ built with clang and run briefly on its seed corpus
# (tests/fuzz/run.sh short: SHORT_BUDGET=40 s of fuzzing in all, two harnesses at a time, plus
# building the harnesses that changed). TAP, one line per harness.
# Longer runs: make fuzz.
cd "$(dirname "$0")/../.." || exit 1
exec tests/fuzz/run.sh short
