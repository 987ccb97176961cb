#!/usr/bin/python3
# tests/bench/zxing_scan.py: ZXing-cpp (Debian's python3-zxing-cpp, the C++ library
# underneath) decoding image files, printed like scanbench: FILE <tab> CPU us <tab> - <tab> text.
# Only the decode call is timed (thread CPU time), QR only, ZXing's default options.
import sys
import time

import numpy
import zxingcpp


def load_gray(path):
    with open(path, "rb") as fp:
        data = fp.read()
    if not data.startswith(b"P5"):
        raise SystemExit("zxing_scan: only PGM files: " + path)
    fields, pos = [], 2
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[pos:end]))
        pos = end
    w, h, _ = fields
    pos += 1
    return numpy.frombuffer(data, dtype=numpy.uint8, count=w * h, offset=pos).reshape(h, w)


def main():
    repeat = 1
    args = sys.argv[1:]
    if args[:1] == ["-n"]:
        repeat = int(args[1])
        args = args[2:]
    for path in args:
        img = load_gray(path)
        times = []
        text = ""
        for _ in range(repeat):
            t0 = time.thread_time_ns()
            res = zxingcpp.read_barcodes(img, formats=zxingcpp.QRCode)
            times.append(time.thread_time_ns() - t0)
            text = res[0].text if res else ""
        times.sort()
        print("%s\t%d\t-\t%s" % (path, times[len(times) // 2] // 1000, text))


main()
