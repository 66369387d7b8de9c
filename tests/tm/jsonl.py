#!/usr/bin/env python3
"""Reads xlate's JSONL output for the translation memory tests: small queries a shell test asks,
each printing one answer line (or exiting 1 with why), so that the test's checks stay one line.

    jsonl.py FILE texts                  id<TAB>source<TAB>target<TAB>status, one a segment
    jsonl.py FILE origin SOURCE          origin<TAB>score of the segment with that source
    jsonl.py FILE field SOURCE KEY       the segment's KEY as JSON
    jsonl.py FILE candidates SOURCE      score<TAB>match source<TAB>target, one a candidate
    jsonl.py FILE romanized              sources whose target is not their romanization
    jsonl.py - romanize TEXT             what the test engine answers for TEXT
"""
import importlib.util
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))


def romanizer():
    spec = importlib.util.spec_from_file_location(
        "uk_latin", os.path.join(here, "..", "..", "samples", "engines", "uk-latin.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.romanize


def records(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def loose(text):
    """xlate's normalization writes the Ukrainian apostrophe as U+02BC: a test names a segment by
    the text it wrote, whichever apostrophe that has."""
    return text.replace("\u2019", "'").replace("\u02bc", "'")


def find(recs, source):
    hits = [r for r in recs if r["source"] == source] or \
        [r for r in recs if loose(r["source"]) == loose(source)]
    if len(hits) != 1:
        sys.exit("jsonl.py: %d segments with source %r" % (len(hits), source))
    return hits[0]


def candidate_fields(c):
    """A candidate as {score, match_source, target}, whatever the spelling of its keys."""
    src = c.get("match_source", c.get("source"))
    return c.get("score"), src, c.get("target")


def main():
    path, query, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if query == "romanize":
        print(romanizer()(args[0]))
        return
    recs = records(path)
    if query == "texts":
        for r in recs:
            print("%s\t%s\t%s\t%s" % (r["id"], r["source"], r["target"], r["status"]))
    elif query == "origin":
        r = find(recs, args[0])
        print("%s\t%s" % (r.get("origin"), r.get("score")))
    elif query == "field":
        print(json.dumps(find(recs, args[0]).get(args[1]), ensure_ascii=False))
    elif query == "candidates":
        for c in find(recs, args[0]).get("candidates") or []:
            print("%s\t%s\t%s" % candidate_fields(c))
    elif query == "romanized":
        romanize = romanizer()
        for r in recs:
            if r["target"] != romanize(r["source"]):
                print(r["source"])
    else:
        sys.exit("jsonl.py: unknown query " + query)


if __name__ == "__main__":
    main()
