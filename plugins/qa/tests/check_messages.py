#!/usr/bin/env python3
"""Compares the qa warnings of a JSONL run with what each segment must get.

Usage: check_messages.py RUN.jsonl EXPECTED [SKIPPED_CODES]
EXPECTED has "id<TAB>codes" lines (codes separated by ",", "-" for none); codes listed in
SKIPPED_CODES (comma-separated) are expected nowhere. Each qa message must be a warning with its
code and a text; a segment with one has status "warning". Prints what differs; exit status 1 then.
"""
import json
import sys


def main():
    run, expected_path = sys.argv[1], sys.argv[2]
    skipped = set(sys.argv[3].split(",")) if len(sys.argv) > 3 and sys.argv[3] else set()
    want = {}
    with open(expected_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            sid, codes = line.rstrip("\n").split("\t")
            want[int(sid)] = set() if codes == "-" else set(codes.split(",")) - skipped
    problems = []
    seen = set()
    with open(run, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            sid = record["id"]
            seen.add(sid)
            qa = [m for m in record.get("messages", []) if m["plugin"] == "qa"]
            got = {m.get("code") for m in qa}
            for m in qa:
                if m["level"] != "warning" or not m["text"]:
                    problems.append(f"segment {sid}: qa message {m} is not a warning with a text")
            if qa and record["status"] != "warning":
                problems.append(f"segment {sid}: status {record['status']} with qa warnings")
            if got != want.get(sid, set()):
                problems.append(f"segment {sid}: qa codes {sorted(got)}, want "
                                f"{sorted(want.get(sid, set()))}: {[m['text'] for m in qa]}")
    if seen != set(want):
        problems.append(f"segments {sorted(seen)}, want {sorted(want)}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
