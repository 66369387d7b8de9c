#!/usr/bin/env python3
"""Checks of an llm plugin run, from xlate's JSONL output and the model stand-in's request log.

  check_run.py targets OUT.jsonl TABLE.tsv       every `ok` segment's target is the table's
  check_run.py status OUT.jsonl ID STATUS [CODE] segment ID has STATUS (and a message with CODE)
  check_run.py target OUT.jsonl ID PREFIX        segment ID's target starts with PREFIX
  check_run.py terms OUT.jsonl LOG.jsonl         the terms each request's system message named
                                                 are the segment's term spans, and each term
                                                 whose target was found records its place
  check_run.py requests LOG.jsonl ID ROUNDS      segment ID was asked ROUNDS times (1 or 2)
  check_run.py posts LOG.jsonl N                 N requests went to chat/completions
  check_run.py context LOG.jsonl ID N            segment ID's context gave N translations
  check_run.py clean LOG.jsonl                   no request broke a rule of the stand-in
  check_run.py rate-limited LOG.jsonl            the first request was answered 429 and the
                                                 next was the same segment, answered 200

Several checks in one call are joined by `+`. Each prints what is wrong; the exit status is 1
when any failed.
"""
import csv
import json
import sys


def records(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def by_id(path):
    return {str(r['id']): r for r in records(path)}


def fail(msg):
    print(msg, file=sys.stderr)
    return 1


def targets(out, table):
    with open(table, newline='', encoding='utf-8') as f:
        want = {row['id']: row['target'] for row in csv.DictReader(f, delimiter='\t',
                                                                   quoting=csv.QUOTE_NONE)}
    bad = [(i, r['target'], want.get(i)) for i, r in by_id(out).items()
           if r['status'] == 'ok' and r['target'] != want.get(i)]
    return fail('targets differ: %r' % bad[:3]) if bad else 0


def status(out, rid, want, code=None):
    r = by_id(out).get(rid)
    if not r:
        return fail('no segment %s' % rid)
    if r['status'] != want:
        return fail('segment %s is %s (%s), want %s' % (rid, r['status'], r.get('message'), want))
    if code and not any(m.get('code') == code for m in r.get('messages', [])):
        return fail('segment %s has no message with code %s: %r' % (rid, code, r.get('messages')))
    return 0


def target(out, rid, prefix):
    t = by_id(out)[rid]['target'] or ''
    return 0 if t.startswith(prefix) else fail('segment %s target %r, want %r...' % (rid, t, prefix))


def terms(out, log):
    recs = records(out)
    seen = {}
    for e in records(log):
        if e.get('round') == 1:
            seen.setdefault(e['source'], e['terms'])
    placed = 0
    for r in recs:
        spans = [[t['source'], t['target']] for t in r.get('terms', [])]
        if r['source'] in seen and seen[r['source']] != spans:
            return fail('segment %s: the prompt named %r, the spans are %r'
                        % (r['id'], seen[r['source']], spans))
        for t in r.get('terms', []):
            if 'target_start' in t:
                if r['target'].encode()[t['target_start']:t['target_end']].decode() != t['target']:
                    return fail('segment %s: term %r recorded at the wrong place' % (r['id'], t))
                placed += 1
    return 0 if placed else fail('no term recorded its place in the target')


def posts(log, n):
    got = sum(1 for e in records(log) if 'get' not in e)
    return 0 if got == int(n) else fail('%d requests to chat/completions, want %s' % (got, n))


def requests(log, rid, rounds):
    got = sorted(e['round'] for e in records(log) if e.get('id') == rid)
    want = list(range(1, int(rounds) + 1))
    return 0 if got == want else fail('segment %s was asked in rounds %r, want %r' % (rid, got, want))


def context(log, rid, n):
    got = [e.get('context_translations') for e in records(log) if e.get('id') == rid]
    return 0 if got and all(g == int(n) for g in got) else fail(
        'segment %s had %r translated context segments, want %s' % (rid, got, n))


def clean(log):
    bad = [e['violation'] for e in records(log) if e.get('violation')]
    return fail('requests broke the rules: %r' % bad[:3]) if bad else 0


def rate_limited(log):
    e = [x for x in records(log) if 'get' not in x]
    if len(e) < 2 or e[0]['status'] != 429 or e[1]['status'] != 200 or e[0]['id'] != e[1]['id']:
        return fail('request order %r' % [(x.get('id'), x['status']) for x in e[:3]])
    return 0


COMMANDS = {'targets': targets, 'status': status, 'target': target, 'terms': terms,
            'requests': requests, 'clean': clean, 'rate-limited': rate_limited, 'posts': posts,
            'context': context}

def main(argv):
    groups = [[]]
    for arg in argv:
        if arg == '+':
            groups.append([])
        else:
            groups[-1].append(arg)
    status = 0
    for args in groups:
        if not args or args[0] not in COMMANDS:
            print(__doc__, file=sys.stderr)
            return 2
        status |= COMMANDS[args[0]](*args[1:])
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
