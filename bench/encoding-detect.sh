#!/usr/bin/env bash
# Which detector reads the encoding corpus right: ICU's charset detector, uchardet, or xlate?
#
# For every file of tests/encoding/manifest.tsv (each text in every encoding that holds it, plus
# mojibake), each detector names an encoding; the file decoded with that name (iconv) must give
# exactly the original text. For xlate the text is what `xlate normalize --normalize=none
# --keep-apostrophes --no-homoglyphs` writes (detection, decoding and mojibake repair, no
# normalization). Prints the three accuracies side by side, by kind of file, for all files and
# for those of 200 bytes or more.
#
# Usage: bench/encoding-detect.sh [XLATE]   (default: $XLATE, else build/core/xlate)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "encoding-detect: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
for tool in cc pkg-config uchardet iconv python3; do
  command -v $tool > /dev/null || die "$tool not found; run scripts/bootstrap"
done
# shellcheck disable=SC2046
cc -O2 -o "$work/icu-detect" "$root/bench/icu-detect.c" $(pkg-config --cflags --libs icu-i18n icu-uc) ||
  die "cannot build bench/icu-detect.c (libicu-dev)"

python3 - "$root/tests/encoding" "$xlate" "$work/icu-detect" <<'PY'
import collections, os, subprocess, sys

base, xlate, icu_detect = sys.argv[1:4]
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(base, "manifest.tsv"), encoding="utf-8")][1:]
files = [os.path.join(base, "files", r[0]) for r in rows]

def names_from(cmd):
    out = subprocess.run(cmd + files, capture_output=True, text=True).stdout
    return dict(line.rsplit("\t", 1) if "\t" in line else line.rsplit(": ", 1)
                for line in out.splitlines())

icu = names_from([icu_detect])
uchardet = {}
for f in files:
    uchardet[f] = subprocess.run(["uchardet", f], capture_output=True, text=True).stdout.strip()

def decode_with(name, path):
    if not name or name.lower() in ("unknown", ""):
        return None
    if name.upper() == "ASCII":
        name = "UTF-8"
    r = subprocess.run(["iconv", "-f", name, "-t", "UTF-8", path], capture_output=True)
    if r.returncode != 0:
        return None
    return r.stdout.removeprefix(b"\xef\xbb\xbf")

def xlate_text(path):
    r = subprocess.run([xlate, "normalize", "--normalize=none", "--keep-apostrophes",
                        "--no-homoglyphs", path], capture_output=True)
    return r.stdout if r.returncode == 0 else None

def kind(name):
    k = name.split(".")[1]
    if k.startswith("utf"):
        return "utf-8/16/32"
    if k.startswith("mojibake"):
        return "mojibake"
    return k

tally = collections.defaultdict(lambda: [0, 0, 0, 0])  # files, icu, uchardet, xlate
misses = []
for row, path in zip(rows, files):
    want = open(os.path.join(base, row[2]), "rb").read()
    big = os.path.getsize(path) >= 200
    got = (decode_with(icu.get(path), path) == want,
           decode_with(uchardet.get(path), path) == want,
           xlate_text(path) == want)
    for key in (kind(row[0]), "all files", "files >= 200 bytes" if big else None):
        if key is None:
            continue
        t = tally[key]
        t[0] += 1
        for i in range(3):
            t[i + 1] += got[i]
    if not got[2]:
        misses.append(row[0])

print("%-22s %6s %14s %14s %14s" % ("files", "count", "ICU ucsdet", "uchardet", "xlate"))
order = sorted(k for k in tally if k not in ("all files", "files >= 200 bytes"))
for key in order + ["all files", "files >= 200 bytes"]:
    n, a, b, c = tally[key]
    if key == "all files":
        print("-" * 74)
    print("%-22s %6d %8d %4.0f%% %8d %4.0f%% %8d %4.0f%%" %
          (key, n, a, 100.0 * a / n, b, 100.0 * b / n, c, 100.0 * c / n))
if misses:
    print("xlate got wrong:", " ".join(misses))
PY
