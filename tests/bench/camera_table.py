#!/usr/bin/python3
# tests/bench/camera_table.py: turn bench_camera.sh's raw results into the side-by-side
# table (stdout) and the camera section of docs/performance.md; checks issue 8's targets.
import argparse
import collections
import os
import statistics

CLASSES = ["clean", "rotated", "persp-mild", "persp-strong", "blurred", "noisy",
           "low-contrast", "glare", "small", "phone-screen", "empty"]
RES = ["640x480", "1280x720", "1920x1080"]
BEGIN = "<!-- camera:begin (tests/bench/bench_camera.sh writes this section) -->"
END = "<!-- camera:end -->"
# Pi 4 (Cortex-A72, 1.5 GHz): we count ~1 instruction per cycle for this kind of code
# (branchy, cache-missing); half a core at 30 fps is 25 M instructions per frame, and we
# budget half of that again for an idle camera, so the UI keeps its core.
PI_HZ = 1.5e9
PI_IPC = 1.0
FPS = 30
IDLE_SHARE = 0.25


def load_manifest(path):
    man = {}
    with open(path) as fp:
        for line in fp:
            name, cls, res, text = line.rstrip("\n").split("\t")
            man[name] = (cls, res, text)
    return man


def load_results(path):
    out = {}
    with open(path) as fp:
        for line in fp:
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (4 - len(parts))
            out[os.path.basename(parts[0])] = (int(parts[1]), parts[2], parts[3])
    return out


class Engine:
    def __init__(self, name, results, man):
        self.name = name
        self.reads = collections.Counter()
        self.frames = collections.Counter()
        self.misreads = 0
        self.cost = collections.defaultdict(list)
        self.empty_cost = collections.defaultdict(list)
        for f, (cls, res, text) in man.items():
            us, _, got = results[f]
            self.frames[cls] += 1
            if cls == "empty":
                self.reads[cls] += got == ""
                self.empty_cost[res].append(us)
            else:
                self.reads[cls] += got == text
                self.cost[res].append(us)
            if got and got != text:
                self.misreads += 1

    def rate(self, cls=None):
        if cls:
            return self.reads[cls] / self.frames[cls]
        codes = [c for c in self.frames if c != "empty"]
        return sum(self.reads[c] for c in codes) / sum(self.frames[c] for c in codes)

    def median_ms(self, res, empty=False):
        vals = (self.empty_cost if empty else self.cost)[res]
        return statistics.median(vals) / 1000.0 if vals else float("nan")


def pct(x):
    return "%.0f%%" % (100 * x)


def main():
    ap = argparse.ArgumentParser()
    for a in ["manifest", "pipeline", "pipeline-zbar", "zbar", "zxing", "zbarimg",
              "callgrind", "doc", "seed", "per"]:
        ap.add_argument("--" + a)
    args = ap.parse_args()
    man = load_manifest(args.manifest)
    eng = [Engine("pipeline (kiosk)", load_results(args.pipeline), man),
           Engine("pipeline, zbar only", load_results(args.pipeline_zbar), man),
           Engine("zbar default (zbarimg)", load_results(args.zbar), man)]
    zx = None
    if args.zxing:
        zx = Engine("ZXing-cpp alone", load_results(args.zxing), man)
        eng.append(zx)
    ours, zbar = eng[0], eng[2]
    lines = []
    lines.append("Corpus: `framegen -s %s -n %s`: %d frames, %s frames per class (%s per "
                 "resolution); 200-800-byte JWS-like payloads, QR level M."
                 % (args.seed, args.per, len(man), 3 * int(args.per), args.per))
    lines.append("")
    lines.append("### Read rate per distortion class (empty: frames correctly left unread)")
    lines.append("")
    lines.append("| class | " + " | ".join(e.name for e in eng) + " | target met |")
    lines.append("|---" * (len(eng) + 2) + "|")
    failures = []
    for cls in CLASSES:
        best_other = max(zbar.rate(cls), zx.rate(cls) if zx else 0)
        ok = ours.rate(cls) >= best_other
        if not ok:
            failures.append("class %s: %s < %s" % (cls, pct(ours.rate(cls)), pct(best_other)))
        lines.append("| %s | %s | %s |" % (cls, " | ".join(pct(e.rate(cls)) for e in eng),
                                           "yes" if ok else "**no**"))
    overall_ok = ours.rate() >= 0.9
    if not overall_ok:
        failures.append("overall read rate %s < 90%%" % pct(ours.rate()))
    lines.append("| **all codes** | %s | %s |" % (" | ".join("**%s**" % pct(e.rate()) for e in eng),
                                                  "yes (>= 90%)" if overall_ok else "**no**"))
    lines.append("| wrong text read | %s | |" % " | ".join(str(e.misreads) for e in eng))
    lines.append("")
    lines.append("### Median CPU per frame, ms (one core of this machine; frames holding a code)")
    lines.append("")
    lines.append("| resolution | " + " | ".join(e.name for e in eng) + " | ours / zbar default |")
    lines.append("|---" * (len(eng) + 2) + "|")
    for res in RES:
        ratio = ours.median_ms(res) / zbar.median_ms(res)
        lines.append("| %s | %s | 1/%.1f |" % (res, " | ".join("%.1f" % e.median_ms(res) for e in eng),
                                             1 / ratio))
    lines.append("| **empty frame**, 640x480 | %s | 1/%.0f |" % (
        " | ".join("%.1f" % e.median_ms("640x480", True) for e in eng),
        zbar.median_ms("640x480", True) / ours.median_ms("640x480", True)))
    for res in RES[1:]:
        lines.append("| **empty frame**, %s | %s | 1/%.0f |" % (
            res, " | ".join("%.1f" % e.median_ms(res, True) for e in eng),
            zbar.median_ms(res, True) / ours.median_ms(res, True)))
    r720 = ours.median_ms("1280x720") / zbar.median_ms("1280x720")
    e720 = ours.median_ms("1280x720", True) / zbar.median_ms("1280x720", True)
    if r720 > 1 / 3:
        failures.append("1280x720 median %.2f of zbar default's (target <= 1/3)" % r720)
    if e720 > 1 / 5:
        failures.append("empty 1280x720 frame %.2f of zbar default's (target <= 1/5)" % e720)
    lines.append("")

    # zbarimg confirms the in-process zbar default
    agree = total = 0
    if args.zbarimg and os.path.getsize(args.zbarimg) > 0:
        zres = load_results(args.zbar)
        with open(args.zbarimg) as fp:
            for line in fp:
                f, text = (line.rstrip("\n").split("\t") + [""])[:2]
                total += 1
                agree += zres[os.path.basename(f)][2] == text
        lines.append("The real `zbarimg` on one frame per class at 1280x720 read exactly what the "
                     "in-process zbar default read on %d of %d frames." % (agree, total))
        lines.append("")

    # callgrind
    cg = collections.defaultdict(dict)
    if args.callgrind and os.path.getsize(args.callgrind) > 0:
        with open(args.callgrind) as fp:
            for line in fp:
                cls, name, ir = line.rstrip("\n").split("\t")
                cg[cls][name] = int(ir) if ir else None
        names = ["pipeline", "zbar-default"] + (["zxing"] if zx else [])
        lines.append("### Instructions per decode (valgrind callgrind, 1280x720, frame 00 of each "
                     "class; noise-free)")
        lines.append("")
        lines.append("| frame | " + " | ".join(names) + " |")
        lines.append("|---" * (len(names) + 1) + "|")
        for cls in cg:
            lines.append("| %s | %s |" % (cls, " | ".join(
                "%.1f M" % (cg[cls][n] / 1e6) if cg[cls].get(n) else "-" for n in names)))
        lines.append("")
    budget = PI_HZ * PI_IPC * IDLE_SHARE / FPS
    lines.append("### Raspberry Pi 4 budget")
    lines.append("")
    lines.append("An idle kiosk decodes every camera frame (30 fps) while the scan screen is up. "
                 "A Pi 4 core (Cortex-A72, 1.5 GHz) runs about %.1f G instructions/s on this "
                 "kind of code; a quarter of a core (well under half) at 30 fps is **%.1f M "
                 "instructions per frame**." % (PI_HZ * PI_IPC / 1e9, budget / 1e6))
    if cg.get("empty", {}).get("pipeline"):
        e_ir = cg["empty"]["pipeline"]
        z_ir = cg["empty"].get("zbar-default") or 0
        lines.append("Measured for an empty 1280x720 frame: **%.1f M** instructions (%.1f%% of a "
                     "core at 30 fps), against %.0f M for zbar default (%.0f%% of a core, %s)."
                     % (e_ir / 1e6, 100 * e_ir * FPS / (PI_HZ * PI_IPC), z_ir / 1e6,
                        100 * z_ir * FPS / (PI_HZ * PI_IPC),
                        "more than the whole core" if z_ir * FPS > PI_HZ * PI_IPC else "under a core"))
        if e_ir > budget:
            failures.append("empty-frame instructions %.1f M over the %.1f M budget" % (e_ir / 1e6, budget / 1e6))
    lines.append("")
    lines.append("Targets (issue 8): " + ("all met." if not failures else "NOT met: " + "; ".join(failures)))
    table = "\n".join(lines)
    print(table)
    if args.doc:
        write_doc(args.doc, table)


def write_doc(path, table):
    try:
        with open(path) as fp:
            doc = fp.read()
    except FileNotFoundError:
        doc = "# Performance\n\n"
    section = BEGIN + "\n" + table + "\n" + END
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        doc = head + section + tail
    else:
        doc = doc.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as fp:
        fp.write(doc)


main()
