#!/usr/bin/env bash
# Ukrainian against Russian on short text: CLD2 alone (libcld2, bench/langid-cld2.cc) and xlate's
# identification (CLD2 with the letters of the two alphabets, core/input/langid.cc, through
# `xlate detect --paragraphs`), on every sentence of 20+ characters of the Ukrainian and Russian
# man pages the machine has (manpages-uk; Russian pages of man-db, passwd, vim, ...). Prints the
# share right per language and length (20-49, 50-99, 100+ characters).
#
# Usage: bench/langid.sh [XLATE]   (default: $XLATE, else build/core/xlate)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "langid: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
for tool in g++ man col python3; do
  command -v $tool > /dev/null || die "$tool not found; run scripts/bootstrap"
done
g++ -O2 -o "$work/cld2" "$root/bench/langid-cld2.cc" -lcld2 || die "cannot build the CLD2 anchor"

for lang in uk ru; do
  ls /usr/share/man/$lang/man1/* > /dev/null 2>&1 || die "no man pages in /usr/share/man/$lang"
  for page in /usr/share/man/$lang/man1/*; do
    MANWIDTH=2000 man -E UTF-8 -l "$page" 2> /dev/null | col -bx
    echo
  done > "$work/$lang.txt"
  # sentences of Cyrillic prose, one a line, each once
  python3 - "$work/$lang.txt" > "$work/$lang.sents" <<'PY'
import re, sys
seen = set()
for para in re.split(r"\n\s*\n", open(sys.argv[1], encoding="utf-8").read()):
    for s in re.split(r"(?<=[.!?])\s+", " ".join(para.split())):
        letters = [c for c in s if c.isalpha()]
        cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
        if len(s) >= 20 and letters and cyr > 0.6 * len(letters) and s not in seen:
            seen.add(s)
            print(s)
PY
  "$work/cld2" < "$work/$lang.sents" > "$work/$lang.cld2"
  # each sentence a paragraph of its own for detect
  sed 's/$/\n/' "$work/$lang.sents" > "$work/$lang.paras"
  "$xlate" detect --json --paragraphs "$work/$lang.paras" > "$work/$lang.json"
done

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def bucket(n):
    return "20-49" if n < 50 else "50-99" if n < 100 else "100+"
print("%-4s %-7s %9s %12s %12s" % ("lang", "chars", "sentences", "CLD2 alone", "xlate"))
for lang in ("uk", "ru"):
    sents = open(os.path.join(work, lang + ".sents"), encoding="utf-8").read().splitlines()
    cld2 = open(os.path.join(work, lang + ".cld2")).read().split()
    found = {p["line"]: p["language"] for p in json.load(open(os.path.join(work, lang + ".json")))[0]["paragraphs"]}
    rows = {}
    for i, (s, c) in enumerate(zip(sents, cld2)):
        r = rows.setdefault(bucket(len(s)), [0, 0, 0])
        r[0] += 1
        r[1] += c == lang
        r[2] += found.get(2 * i + 1) == lang  # a paragraph not told counts as wrong
    for b in ("20-49", "50-99", "100+"):
        if b in rows:
            n, a, x = rows[b]
            print("%-4s %-7s %9d %11.1f%% %11.1f%%" % (lang, b, n, 100.0 * a / n, 100.0 * x / n))
PY
