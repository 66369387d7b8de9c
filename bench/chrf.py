#!/usr/bin/env python3
"""Corpus chrF of a translation against a reference, as sacrebleu computes its default CHRF
(chrF2: character n-grams of orders 1 to 6, whitespace removed, no word n-grams, beta 2): the
n-gram counts of every line pair are summed over the corpus, precision and recall are averaged
over the orders that have n-grams on both sides, and combined into an F-score with beta 2.
Debian 12 has no python3-sacrebleu; this is the same definition in a few lines.

  chrf.py HYP.txt REF.txt     one segment a line in each, the same number of lines
Prints the score (0-100) with two decimals. Exits 2 on unequal line counts.
"""
import sys
from collections import Counter

ORDER = 6
BETA = 2


def ngrams(text, n):
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def line_stats(hyp, ref):
    hyp = ''.join(hyp.split())
    ref = ''.join(ref.split())
    stats = []
    for n in range(1, ORDER + 1):
        h, r = ngrams(hyp, n), ngrams(ref, n)
        stats += [sum(h.values()), sum(r.values()), sum((h & r).values())]
    return stats


def corpus_chrf(hyps, refs):
    total = [0] * (3 * ORDER)
    for hyp, ref in zip(hyps, refs):
        for i, v in enumerate(line_stats(hyp, ref)):
            total[i] += v
    prec = rec = 0.0
    orders = 0
    for n in range(ORDER):
        h, r, m = total[3 * n:3 * n + 3]
        if h > 0 and r > 0:
            prec += m / h
            rec += m / r
            orders += 1
    if orders == 0:
        return 0.0
    prec /= orders
    rec /= orders
    if prec + rec == 0:
        return 0.0
    b2 = BETA * BETA
    return 100 * (1 + b2) * prec * rec / (b2 * prec + rec)


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return f.read().splitlines()


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    hyps, refs = read_lines(argv[1]), read_lines(argv[2])
    if len(hyps) != len(refs):
        print('chrf.py: %s has %d lines, %s has %d; they must match line for line' %
              (argv[1], len(hyps), argv[2], len(refs)), file=sys.stderr)
        return 2
    print('%.2f' % corpus_chrf(hyps, refs))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
