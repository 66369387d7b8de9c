#!/usr/bin/env python3
"""Builds the translation memory of bench/tm.sh from real sentences: the Ukrainian man pages
(rendered, their wrapped lines joined into paragraphs, cut into sentences by `xlate segment`) and
the OBOZ.UA sample. Targets are each source's romanization by the sample engine
(samples/engines/uk-latin.py, the engine tests/tm/engine.py wraps): real text of the right length,
not a translation.

There are about 20,000 distinct sentences; the memory's 1,000,000 units are those sentences and
then pairs of them ("S_i S_j", j running over fixed strides), each pair a distinct unit, as
documents that put two known sentences side by side. Sentences with a tab, a backslash or a
control character are left out (TSV escapes them; the comparison is about matching, not escaping).

    tm-corpus.py SEGMENTS OUTDIR UNITS
writes OUTDIR/units.tsv (header "source<TAB>target"), units.tmx (TMX 1.4b, uk to en),
exact.txt (10,000 sources of the memory, one a line), near.tsv (1,000 near misses: query<TAB>
the source it was made from<TAB>its target; one word replaced by another word of the memory),
tt-10000.tmx and tt-100000.tmx (parts of the memory holding every near miss's own unit, for
Translate Toolkit) and near.po (the first 100 near misses, untranslated, for pretranslate).
"""
import importlib.util
import os
import random
import re
import sys
from xml.sax.saxutils import escape

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
spec = importlib.util.spec_from_file_location("uk_latin", os.path.join(root, "samples", "engines", "uk-latin.py"))
uk_latin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(uk_latin)

WORD = re.compile(r"^[^\W\d_]{4,}$")
BAD = re.compile(r"[\t\\\x00-\x1f\x7f]")


def sentences(path):
    seen, out = set(), []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if not s or BAD.search(s) or s in seen or not 4 <= len(s.split()) <= 40:
                continue
            seen.add(s)
            out.append(s)
    return out


def build_units(sents, want):
    n = len(sents)
    lat = [uk_latin.romanize(s) for s in sents]
    units = list(zip(sents, lat))
    seen = set(sents)
    stride = 1
    while len(units) < want:
        for i in range(n):
            j = (i * 7919 + stride * 104729) % n
            if j == i:
                continue
            src = sents[i] + " " + sents[j]
            if src in seen:
                continue
            seen.add(src)
            units.append((src, lat[i] + " " + lat[j]))
            if len(units) == want:
                break
        stride += 1
    return units


def write_tsv(path, units):
    with open(path, "w", encoding="utf-8") as f:
        f.write("source\ttarget\n")
        for s, t in units:
            f.write("%s\t%s\n" % (s, t))


def write_tmx(path, units):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '  <header creationtool="xlate-bench" creationtoolversion="1" segtype="sentence" '
                'o-tmf="tsv" adminlang="en" srclang="uk" datatype="plaintext"/>\n  <body>\n')
        for s, t in units:
            f.write('    <tu><tuv xml:lang="uk"><seg>%s</seg></tuv><tuv xml:lang="en"><seg>%s</seg></tuv></tu>\n'
                    % (escape(s), escape(t)))
        f.write("  </body>\n</tmx>\n")


def near_miss(rng, src, vocab):
    words = src.split(" ")
    slots = [k for k, w in enumerate(words) if WORD.match(w)]
    k = rng.choice(slots)
    while True:
        w = rng.choice(vocab)
        if w != words[k] and w not in words:
            break
    words[k] = w
    return " ".join(words)


def po_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    seg_path, outdir, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(15)
    units = build_units(sentences(seg_path), want)
    write_tsv(os.path.join(outdir, "units.tsv"), units)
    write_tmx(os.path.join(outdir, "units.tmx"), units)
    with open(os.path.join(outdir, "exact.txt"), "w", encoding="utf-8") as f:
        for s, _ in rng.sample(units, 10000):
            f.write(s + "\n")
    vocab = sorted({w for s, _ in units[:50000] for w in s.split(" ") if WORD.match(w)})
    sources = {s for s, _ in units}
    picks, near = [], []
    for idx in rng.sample(range(len(units)), 5000):
        s, t = units[idx]
        if not 6 <= len(s.split(" ")) <= 40 or not any(WORD.match(w) for w in s.split(" ")):
            continue
        q = near_miss(rng, s, vocab)
        if q in sources:
            continue
        picks.append(idx)
        near.append((q, s, t))
        if len(near) == 1000:
            break
    with open(os.path.join(outdir, "near.tsv"), "w", encoding="utf-8") as f:
        for row in near:
            f.write("%s\t%s\t%s\n" % row)
    with open(os.path.join(outdir, "near.po"), "w", encoding="utf-8") as f:
        f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        for q, _, _ in near[:100]:
            f.write("msgid %s\nmsgstr \"\"\n\n" % po_quote(q))
    for size in (10000, 100000):
        own = set(picks[:100])
        rest = [i for i in rng.sample(range(len(units)), size + 100) if i not in own][:size - len(own)]
        write_tmx(os.path.join(outdir, "tt-%d.tmx" % size), [units[i] for i in sorted(own | set(rest))])


if __name__ == "__main__":
    main()
