#!/bin/bash
# tests/bench/bench_camera.sh: the camera pipeline against zbar as zbarimg runs it and
# against ZXing-cpp alone, side by side on the framegen corpus: read rate per distortion
# class, median CPU per frame per resolution, the cost of an empty frame, callgrind
# instruction counts on a fixed sample. Prints the table and writes it into
# docs/performance.md (between the camera markers). Needs $BUILD/tools/{framegen,scanbench}
# (make all). Usage: tests/bench/bench_camera.sh [PER_CLASS_AND_RESOLUTION (default 7)]
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
per=${1:-7}
seed=1
out="$BUILD/bench/camera"
corpus="$out/corpus-s$seed-n$per"
mkdir -p "$out"
for t in framegen scanbench; do
	[ -x "$BUILD/tools/$t" ] || {
		echo "bench_camera: $BUILD/tools/$t missing: run make all" >&2
		exit 1
	}
done

if [ ! -s "$corpus/manifest.tsv" ]; then
	echo "bench_camera: generating the corpus ($per frames per class and resolution, seed $seed)" >&2
	rm -rf "$corpus.tmp"
	"$BUILD/tools/framegen" -s "$seed" -n "$per" "$corpus.tmp"
	mv "$corpus.tmp" "$corpus"
fi
mapfile -t files < <(cut -f1 "$corpus/manifest.tsv" | sed "s|^|$corpus/|")

echo "bench_camera: decoding ${#files[@]} frames with each engine" >&2
"$BUILD/tools/scanbench" -e pipeline "${files[@]}" >"$out/pipeline.tsv"
"$BUILD/tools/scanbench" -e pipeline-zbar "${files[@]}" >"$out/pipeline-zbar.tsv"
"$BUILD/tools/scanbench" -e zbar-default "${files[@]}" >"$out/zbar-default.tsv"
zxing=""
if /usr/bin/python3 -c 'import zxingcpp' 2>/dev/null; then
	/usr/bin/python3 tests/bench/zxing_scan.py "${files[@]}" >"$out/zxing.tsv"
	zxing="$out/zxing.tsv"
else
	echo "bench_camera: python3-zxing-cpp not installed: no ZXing-cpp column" >&2
fi

# zbarimg itself on one frame per class at 1280x720: does the in-process "zbar default"
# read what the real command reads?
: >"$out/zbarimg.tsv"
if command -v zbarimg >/dev/null; then
	for f in "$corpus"/1280x720-*-00.pgm; do
		text=$(zbarimg -q --raw "$f" 2>/dev/null | head -n 1) || true
		printf '%s\t%s\n' "$f" "$text" >>"$out/zbarimg.tsv"
	done
fi

# Instruction counts (callgrind) for one decode, on a fixed sample at 1280x720; only the
# decode is counted (--toggle-collect), not loading the file.
: >"$out/callgrind.tsv"
if command -v valgrind >/dev/null; then
	for cls in clean empty persp-strong low-contrast; do
		f="$corpus/1280x720-$cls-00.pgm"
		for eng in pipeline zbar-default; do
			fn=qr_decode
			[ "$eng" = zbar-default ] && fn=zbar_scan_image
			valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
				--toggle-collect="$fn" "$BUILD/tools/scanbench" -e "$eng" -q "$f" \
				>/dev/null 2>&1
			ir=$(awk '/^summary:/ { print $2 }' "$out/cg.out")
			printf '%s\t%s\t%s\n' "$cls" "$eng" "$ir" >>"$out/callgrind.tsv"
		done
		if [ -n "$zxing" ]; then
			valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
				'--toggle-collect=ZXing::ReadBarcodes*' /usr/bin/python3 \
				tests/bench/zxing_scan.py "$f" >/dev/null 2>&1
			ir=$(awk '/^summary:/ { print $2 }' "$out/cg.out")
			printf '%s\t%s\t%s\n' "$cls" zxing "$ir" >>"$out/callgrind.tsv"
		fi
		rm -f "$out/cg.out"
	done
fi

/usr/bin/python3 tests/bench/camera_table.py --manifest "$corpus/manifest.tsv" \
	--pipeline "$out/pipeline.tsv" --pipeline-zbar "$out/pipeline-zbar.tsv" \
	--zbar "$out/zbar-default.tsv" ${zxing:+--zxing "$zxing"} \
	--zbarimg "$out/zbarimg.tsv" --callgrind "$out/callgrind.tsv" \
	--seed "$seed" --per "$per" --doc docs/performance.md
