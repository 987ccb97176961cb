#!/bin/bash
# Every C file is formatted with the committed .clang-format (make format fixes it).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
formatted() {
	local out
	out=$(git ls-files '*.c' '*.h' '*.cpp' | xargs clang-format --dry-run --Werror 2>&1)
	[ -z "$out" ] || { printf '%s\n' "$out" | head -20 | sed 's/^/# /'; return 1; }
}
ok_if "clang-format: every C file as .clang-format says" formatted
finish
