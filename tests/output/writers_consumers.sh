#!/usr/bin/env bash
# writers_consumers: the writers' output read back by the tools users feed it to. TMX is validated
# against tmx14.dtd with xmllint and read with translate-toolkit's TMX reader; JSONL is parsed with
# Python's json module and must be byte-identical to what json.dumps prints for the same data; TSV
# is split and unescaped. All three must agree on every segment's source and target.
#
# A page whose segments have inline codes (HTML markup) is checked the same way: TMX's
# bpt/ept/it/ph read back by translate-toolkit give the same text, markup included, as JSONL's and
# TSV's inline markup, and JSONL's "codes" name the markup found there.
#
# Segments a translation memory matched: the TMX with its x-xlate-* props is valid against the
# DTD and translate-toolkit reads the same targets; JSONL's origin keys and candidates come after
# the documented keys, only on the records that have matches.
#
# Usage: writers_consumers.sh TEST_WRITER TMX_DTD
set -euo pipefail

test_writer=$1
dtd=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "writers_consumers: $*" >&2; exit 1; }

[ -r "$dtd" ] || fail "cannot read the TMX DTD at $dtd"
command -v xmllint >/dev/null || fail "xmllint is missing: run scripts/bootstrap (libxml2-utils)"

# translate-toolkit is a Debian package, so the system python3 has it even when another python3
# comes first in PATH.
python=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import translate.storage.tmx' 2>/dev/null; then python=$p; break; fi
done
[ -n "$python" ] || fail "translate-toolkit is missing: run scripts/bootstrap (translate-toolkit)"

for f in tsv jsonl tmx; do
  "$test_writer" emit "$f" > "$work/full.$f"
  "$test_writer" emit-empty "$f" > "$work/empty.$f"
  "$test_writer" emit-codes "$f" > "$work/codes.$f"
  "$test_writer" emit-matches "$f" > "$work/matches.$f"
done

# --path lets xmllint resolve the document's own SYSTEM "tmx14.dtd" too, so it has no warning
# to print: any output at all is a failure.
for t in full empty codes matches; do
  if ! out=$(xmllint --noout --path "$(dirname "$dtd")" --dtdvalid "$dtd" "$work/$t.tmx" 2>&1) ||
     [ -n "$out" ]; then
    fail "$t.tmx is not valid against $dtd: $out"
  fi
done

[ "$(cat "$work/empty.tsv")" = "$(printf 'id\tsource\ttarget\tstatus\tmessage')" ] ||
  fail "empty document: TSV should be the header line only"
[ ! -s "$work/empty.jsonl" ] || fail "empty document: JSONL should be empty"

"$python" - "$work" <<'EOF'
import json, re, sys
from translate.storage import tmx

work = sys.argv[1]
problems = []

def expect(cond, what):
    if not cond:
        problems.append(what)

# JSONL: valid JSON, keys in the documented order, escaped exactly as json.dumps escapes.
records = []
with open(f"{work}/full.jsonl", encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        rec = json.loads(line)
        records.append(rec)
        again = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
        expect(again == line, f"jsonl line {n}: differs from json.dumps:\n  {line!r}\n  {again!r}")
        keys = [k for k in rec]
        want = ["id", "doc", "paragraph", "start", "end", "source", "target", "status"]
        want += ["message", "messages"] if "message" in rec else []
        want += ["terms"]
        expect(keys == want, f"jsonl line {n}: keys {keys}, want {want}")
        src = rec["source"].encode("utf-8")
        for t in rec["terms"]:
            expect(src[t["start"]:t["end"]].decode("utf-8") == t["source"],
                   f"jsonl line {n}: term {t} does not match its byte span")
            if "target_start" in t:
                tgt = rec["target"].encode("utf-8")
                expect(tgt[t["target_start"]:t["target_end"]].decode("utf-8") == t["target"],
                       f"jsonl line {n}: term {t} does not match its target span")
        if rec["status"] in ("failed", "filtered"):
            expect(rec["target"] is None and rec.get("message"),
                   f"jsonl line {n}: a {rec['status']} segment needs a null target and a message")
expect([r["id"] for r in records] == list(range(1, len(records) + 1)),
       "jsonl: ids must run 1..N across the documents")
expect(len(records) == 6, f"jsonl: {len(records)} records, want 6")
expect(len({r["doc"] for r in records}) == 2, "jsonl: want records of two documents")

# TMX through translate-toolkit: one unit per record, same sources and targets, except the
# control characters XML cannot carry, which the writer turned into U+FFFD.
def xml_safe(s):
    return None if s is None else re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", s)

# TSV's message column and TMX's note: JSONL's messages, each after its plugin's name (not the
# host's own, "xlate", nor a plugin's that starts with its name), joined by "; "; the texts alone,
# joined the same way, are JSONL's "message".
def joined(rec):
    parts = []
    for m in rec.get("messages", []):
        named = m["text"].startswith(m["plugin"] + ":") or m["text"].startswith(f"plugin '{m['plugin']}'")
        parts.append(m["text"] if m["plugin"] == "xlate" or named else f"{m['plugin']}: {m['text']}")
    expect("; ".join(m["text"] for m in rec.get("messages", [])) == rec.get("message", ""),
           f"jsonl {rec['id']}: message is not the messages' texts joined")
    return "; ".join(parts)

store = tmx.tmxfile.parsefile(f"{work}/full.tmx")
units = store.units
expect(len(units) == len(records), f"tmx: {len(units)} units, want {len(records)}")
for u, r in zip(units, records):
    expect(u.getid() == str(r["id"]), f"tmx: tuid {u.getid()}, want {r['id']}")
    expect(u.source == xml_safe(r["source"]), f"tmx unit {r['id']}: source {u.source!r}")
    expect((u.target or None) == xml_safe(r["target"]), f"tmx unit {r['id']}: target {u.target!r}")
    if r.get("message") and r["status"] != "ok":
        expect(joined(r) in u.getnotes(), f"tmx unit {r['id']}: note {u.getnotes()!r}")
expect(len(tmx.tmxfile.parsefile(f"{work}/empty.tmx").units) == 0, "empty.tmx: want no units")

# TSV: a header and one line per record, five fields, escapes undone giving the same text.
def unescape(field):
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[m.group(1)],
                  field)

with open(f"{work}/full.tsv", encoding="utf-8", newline="") as f:
    lines = f.read().split("\n")
expect(lines[0] == "id\tsource\ttarget\tstatus\tmessage", f"tsv header {lines[0]!r}")
expect(lines[-1] == "", "tsv: the last line must end with a newline")
rows = [l.split("\t") for l in lines[1:-1]]
expect(len(rows) == len(records), f"tsv: {len(rows)} rows, want {len(records)}")
for row, r in zip(rows, records):
    expect(len(row) == 5, f"tsv row {row!r}: want 5 fields")
    if len(row) != 5:
        continue
    expect(row[0] == str(r["id"]), f"tsv row {r['id']}: id {row[0]}")
    expect(unescape(row[1]) == r["source"], f"tsv row {r['id']}: source {row[1]!r}")
    expect(unescape(row[2]) == (r["target"] or ""), f"tsv row {r['id']}: target {row[2]!r}")
    expect(row[3] == r["status"], f"tsv row {r['id']}: status {row[3]!r}")
    expect(unescape(row[4]) == joined(r), f"tsv row {r['id']}: message {row[4]!r}")

# The page with inline codes: the three formats agree on source and target, markup included.
with open(f"{work}/codes.jsonl", encoding="utf-8") as f:
    code_records = [json.loads(line) for line in f]
code_units = tmx.tmxfile.parsefile(f"{work}/codes.tmx").units
with open(f"{work}/codes.tsv", encoding="utf-8", newline="") as f:
    code_rows = [l.split("\t") for l in f.read().split("\n")[1:-1]]
expect(len(code_records) == 3 and len(code_units) == 3 and len(code_rows) == 3,
       f"codes: {len(code_records)} records, {len(code_units)} units, {len(code_rows)} rows, want 3")
for r, u, row in zip(code_records, code_units, code_rows):
    expect(r.get("codes"), f"codes jsonl {r['id']}: no codes listed")
    for c in r.get("codes", []):
        expect(c["kind"] in ("open", "close", "standalone") and
               c["data"] in r["source"] and (r["target"] is None or c["data"] in r["target"]),
               f"codes jsonl {r['id']}: code {c} is not in the source and target")
    expect(u.source == r["source"], f"codes tmx unit {r['id']}: source {u.source!r}")
    expect((u.target or None) == r["target"], f"codes tmx unit {r['id']}: target {u.target!r}")
    expect(unescape(row[1]) == r["source"] and unescape(row[2]) == (r["target"] or ""),
           f"codes tsv row {r['id']}: {row!r}")

# Matches: origin keys only where the memory's match is the target; candidates only where there
# are others; TMX props carry the same origin, and translate-toolkit the same targets.
with open(f"{work}/matches.jsonl", encoding="utf-8") as f:
    match_records = [json.loads(line) for line in f]
match_units = tmx.tmxfile.parsefile(f"{work}/matches.tmx").units
expect(len(match_records) == 3 and len(match_units) == 3,
       f"matches: {len(match_records)} records, {len(match_units)} units, want 3")
for r, u in zip(match_records, match_units):
    keys = list(r)
    base = ["id", "doc", "paragraph", "start", "end", "source", "target", "status", "terms"]
    extra = (["origin", "score", "match_source"] if "origin" in r else []) + \
            (["candidates"] if "candidates" in r else [])
    expect(keys == base + extra, f"matches jsonl {r['id']}: keys {keys}")
    expect((u.target or None) == r["target"], f"matches tmx unit {r['id']}: target {u.target!r}")
    for c in r.get("candidates", []):
        expect(list(c) == ["plugin", "score", "source", "target"] and 0 <= c["score"] <= 100,
               f"matches jsonl {r['id']}: candidate {c}")
expect([("origin" in r, "candidates" in r) for r in match_records] ==
       [(True, True), (False, True), (False, False)],
       "matches jsonl: origin on the first record only, candidates on the first two")
tmx_text = open(f"{work}/matches.tmx", encoding="utf-8").read()
expect(tmx_text.count('<prop type="x-xlate-origin">tm</prop>') == 1 and
       tmx_text.count('<prop type="x-xlate-score">100</prop>') == 1 and
       tmx_text.count('type="x-xlate-match-source"') == 1,
       "matches tmx: want the origin props once, on the unit whose target the memory set")

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"{len(records)} segments agree across TSV, JSONL and TMX, and {len(code_records)} with inline codes")
EOF
