#!/usr/bin/env python3
"""Reads the answers of bench/tm.sh's lookups and prints one figure.

    tm-answers.py exact QUERIES LOOKUP_OUT   "N/M": queries whose best match scores 100
    tm-answers.py near NEAR.TSV LOOKUP_OUT   "P% (N/M; ties T)": near misses whose best match is the
                                             unit they were made from (ties: another unit with the
                                             same score came first, a match a person could pick too)
    tm-answers.py po NEAR.TSV PRETRANSLATED.PO   the same share for Translate Toolkit's pretranslate,
                                             by the target it filled in

LOOKUP_OUT is what `xlate tm lookup` prints: for each text, the text on a line of its own, then each
match as "  SCORE KIND SOURCE" and its target on the next, indented, line (or "  no match ...").
"""
import re
import sys

MATCH = re.compile(r"^  +(\d+) (exact|repaired|fuzzy) +(.*)$")


def lookup_answers(path):
    """[(query, [(score, source, target), ...]), ...] in the order asked."""
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if line.startswith("  "):
            sys.exit("tm-answers.py: %s:%d: a match with no query before it" % (path, i + 1))
        matches = []
        i += 1
        while i < len(lines) and lines[i].startswith("  "):
            m = MATCH.match(lines[i])
            if m:
                matches.append((int(m.group(1)), m.group(3), lines[i + 1].strip()))
                i += 2
            else:
                i += 1
        out.append((line, matches))
    return out


def share(good, ties, total):
    return "%.1f%% (%d/%d; ties %d)" % (100.0 * good / total if total else 0, good, total, ties)


def main():
    mode, ref, answers = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "exact":
        queries = open(ref, encoding="utf-8").read().split("\n")[:-1]
        got = lookup_answers(answers)
        if len(got) != len(queries):
            sys.exit("tm-answers.py: %d answers to %d queries" % (len(got), len(queries)))
        print("%d/%d" % (sum(1 for _, ms in got if ms and ms[0][0] == 100), len(queries)))
        return
    near = [l.split("\t") for l in open(ref, encoding="utf-8").read().split("\n") if l]
    if mode == "near":
        got = lookup_answers(answers)
        if len(got) != len(near):
            sys.exit("tm-answers.py: %d answers to %d queries" % (len(got), len(near)))
        good = ties = 0
        for (q, src, tgt), (_, ms) in zip(near, got):
            if ms and ms[0][1] == src:
                good += 1
            elif ms and any(s == src and score == ms[0][0] for score, s, _ in ms):
                ties += 1
        print(share(good, ties, len(near)))
    elif mode == "po":
        sys.path.insert(0, "/usr/lib/python3/dist-packages")
        from translate.storage import po
        store = po.pofile.parsefile(answers)
        want = {q: tgt for q, _, tgt in near}
        units = [u for u in store.units if not u.isheader()]
        good = sum(1 for u in units if u.target and want.get(u.source) == u.target)
        print(share(good, 0, len(units)))
    else:
        sys.exit("tm-answers.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
