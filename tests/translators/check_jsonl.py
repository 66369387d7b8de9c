#!/usr/bin/env python3
"""Checks on `xlate run --format jsonl` output for the translator tests.

  check_jsonl.py terms OUT.jsonl TERMS.tsv   every record ok and translated; every term a record
                                             lists stands in its target at target_start..target_end
                                             (byte offsets); every term of the map that occurs in
                                             the sources was found and carried into a target
  check_jsonl.py same OUT1.jsonl OUT2.jsonl  the same records (sources) with the same targets
  check_jsonl.py count OUT.jsonl STATUS      prints how many records have that status
  check_jsonl.py failed OUT.jsonl TEXT       every failed record has a message containing TEXT and
                                             an empty target; every ok record a non-empty target
  check_jsonl.py chars OUT.jsonl CHARS       every record ok with a non-empty target, which holds
                                             each of CHARS at least as often as its source does
  check_jsonl.py kept OUT.jsonl PREFIX       every record ok with a target that starts with PREFIX;
                                             every term a record lists stands in its target at
                                             target_start..target_end; prints how many terms
Exits 1 with the reasons on stderr when a check fails.
"""
import json
import sys


def records(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def load_terms(path):
    terms = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if cols[0] == 'source':
                continue
            terms.append((cols[0], cols[1]))
    return terms


def check_terms(out, terms_path):
    problems = []
    recs = records(out)
    if not recs:
        problems.append('no records')
    for r in recs:
        if r['status'] != 'ok' or not r.get('target'):
            problems.append('record %s: status %s, target %r' % (r['id'], r['status'], r.get('target')))
            continue
        target = r['target'].encode()
        for t in r['terms']:
            got = target[t['target_start']:t['target_end']].decode(errors='replace')
            if got != t['target']:
                problems.append('record %s: term %r: target bytes %d..%d hold %r' %
                                (r['id'], t['target'], t['target_start'], t['target_end'], got))
    carried = {(t['source'], t['target']) for r in recs for t in r['terms']}
    for source, target in load_terms(terms_path):
        if any(source in r['source'] for r in recs):
            if not any(ts == source and tt == target for ts, tt in carried):
                problems.append('term %r → %r occurs in the text but is in no record' % (source, target))
            elif not any(target in (r.get('target') or '') for r in recs):
                problems.append('term %r → %r: %r is in no target' % (source, target, target))
    return problems


def check_same(a, b):
    ra, rb = records(a), records(b)
    problems = []
    if len(ra) != len(rb):
        problems.append('%d records against %d' % (len(ra), len(rb)))
    for x, y in zip(ra, rb):
        if x['source'] != y['source']:
            problems.append('record %s: sources differ' % x['id'])
        elif x.get('target') != y.get('target'):
            problems.append('record %s:\n  %s: %r\n  %s: %r' % (x['id'], a, x.get('target'), b, y.get('target')))
    return problems


def check_failed(out, text):
    problems = []
    for r in records(out):
        if r['status'] == 'failed':
            if text not in (r.get('message') or ''):
                problems.append('record %s: message %r lacks %r' % (r['id'], r.get('message'), text))
            if r.get('target'):
                problems.append('record %s: failed but has target %r' % (r['id'], r['target']))
        elif r['status'] == 'ok' and not (r.get('target') or '').strip():
            problems.append('record %s: ok with an empty target' % r['id'])
    return problems


def check_chars(out, chars):
    problems = []
    for r in records(out):
        target = r.get('target') or ''
        if r['status'] != 'ok' or not target.strip():
            problems.append('record %s %r: status %s, target %r' % (r['id'], r['source'], r['status'], target))
            continue
        for c in set(chars):
            if target.count(c) < r['source'].count(c):
                problems.append('record %s: %r lost %r: %r' % (r['id'], r['source'], c, target))
    return problems


def check_kept(out, prefix):
    problems = []
    n_terms = 0
    for r in records(out):
        target = r.get('target') or ''
        if r['status'] != 'ok' or not target.startswith(prefix):
            problems.append('record %s: status %s, target %r' % (r['id'], r['status'], target))
            continue
        encoded = target.encode()
        for t in r['terms']:
            n_terms += 1
            got = encoded[t['target_start']:t['target_end']].decode(errors='replace')
            if got != t['target']:
                problems.append('record %s: term %r: target bytes %d..%d hold %r' %
                                (r['id'], t['target'], t['target_start'], t['target_end'], got))
    if not problems:
        print(n_terms)
    return problems


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == 'count':
        print(sum(1 for r in records(argv[2]) if r['status'] == argv[3]))
        return 0
    problems = {'terms': check_terms, 'same': check_same, 'failed': check_failed,
                'chars': check_chars, 'kept': check_kept}[cmd](argv[2], argv[3])
    for p in problems:
        print('check_jsonl %s: %s' % (cmd, p), file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
