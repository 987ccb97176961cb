#!/bin/bash
# The libraries the programs open late, seen from outside: the ZXing plugin beside the
# programs (lib/healthkiosk/zxing.so) reads frames zbar alone misses, and a program without
# it says so once and goes on with zbar; SDL2_ttf, libcurl and libcups are not loaded at
# exec (docs/performance.md), yet the kiosk still draws, the sync client still talks and the
# printer still prints (test_ui, test_kiosk_sync, test_cups).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh
TOOLS="$BUILD/san/tools"

"$TOOLS/framegen" -n 4 -r 640x480 -f png "$TMP/frames" >/dev/null 2>&1
frames=("$TMP"/frames/*.png)
# the steps that ended each frame (zbar, zxing, none, ...), one per line
steps() { "$1" "${frames[@]}" 2>"$2" | awk -F'\t' '{ print $3 }'; }
decoded() { grep -cvE '^(none|no-finder)$'; }

steps "$TOOLS/scanbench" "$TMP/with.log" >"$TMP/with.steps"
mkdir -p "$TMP/bin"
cp "$TOOLS/scanbench" "$TMP/bin/" # a copy with no lib/healthkiosk beside it
steps "$TMP/bin/scanbench" "$TMP/without.log" >"$TMP/without.steps"

if [ -e "$BUILD/san/lib/healthkiosk/zxing.so" ]; then
	ok_if "with the plugin, ZXing reads frames zbar missed" grep -qx zxing "$TMP/with.steps"
	ok_if "with the plugin, nothing says zbar alone" bash -c "! grep -q 'zbar alone' '$TMP/with.log'"
	ok_if "without it, fewer frames read" test "$(decoded <"$TMP/without.steps")" -lt "$(decoded <"$TMP/with.steps")"
else
	for t in 1 2 3; do echo "ok $((tap_n + 1)) - ZXing plugin check $t # SKIP built with ZXING=0"; tap_n=$((tap_n + 1)); done
fi
ok_if "without the plugin: logged once, with the path looked for" \
	test "$(grep -c 'camera: zbar alone (.*lib/healthkiosk/zxing.so' "$TMP/without.log")" -eq 1
ok_if "without the plugin: zbar still reads the clean frames" grep -qx zbar "$TMP/without.steps"
ok_if "without the plugin: no frame ended by ZXing" bash -c "! grep -qx zxing '$TMP/without.steps'"

# what the kiosk loads at exec (the release build, as installed)
needed=$(readelf -d "$BUILD/bin/kiosk" | awk '/NEEDED/ { print $5 }')
for lib in SDL2_ttf curl cups ZXing stdc++; do
	ok_if "kiosk does not load lib$lib at exec" bash -c "! grep -q 'lib$lib' <<<'$needed'"
done
finish
