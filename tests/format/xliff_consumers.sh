#!/usr/bin/env bash
# xliff_consumers: the XLIFF the exporter writes, read by the tools users feed it to. Every 1.2
# file goes through translate-toolkit's xliff2po and must give one PO entry per unit; every 2.1
# file must validate against the project's copy of the OASIS XLIFF 2.1 core schema (with the
# glossary and translation candidates modules), offline. The files are the exports test_xliff makes
# of a hand-built document and of every corpus file (test_xliff emit DIR), each with NAME.units
# saying how many units it has. The hand-built one carries a translation memory's matches: 1.2
# <alt-trans> that xliff2po must read past with the same unit count, 2.1 <mtc:matches> that the
# project's copy of the module's schema checks.
#
# Usage: xliff_consumers.sh TEST_XLIFF SCHEMA_DIR
set -euo pipefail

test_xliff=$1
schemas=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "xliff_consumers: $*" >&2; exit 1; }

command -v xmllint >/dev/null || fail "xmllint is missing: run scripts/bootstrap (libxml2-utils)"
xliff2po=$(command -v xliff2po || true)
[ -n "$xliff2po" ] || fail "xliff2po is missing: run scripts/bootstrap (translate-toolkit)"
schema=$schemas/xliff_core_2.1.xsd
[ -r "$schema" ] || fail "cannot read the schema at $schema"

mkdir "$work/out"
"$test_xliff" emit "$work/out" || fail "test_xliff emit failed"

grep -q '<alt-trans mid="2" match-quality="100" origin="tm">' "$work/out/sample.xlf" ||
  fail "sample.xlf holds no <alt-trans>: the matches are not exported"
grep -q '<mtc:match ref="#s2" similarity="100" origin="tm">' "$work/out/sample.xlf2" ||
  fail "sample.xlf2 holds no <mtc:match>: the matches are not exported"

n12=0
for f in "$work"/out/*.xlf; do
  want=$(cat "$f.units")
  po=$work/$(basename "$f").po
  "$xliff2po" --progress=none "$f" "$po" >"$work/log" 2>&1 || fail "xliff2po could not read $(basename "$f"): $(cat "$work/log")"
  # one entry a unit, besides the header
  got=$(( $(grep -c '^msgid ' "$po") - 1 ))
  [ "$got" -eq "$want" ] || fail "$(basename "$f"): xliff2po gave $got entries, the file has $want units"
  n12=$((n12 + 1))
done

n21=0
for f in "$work"/out/*.xlf2; do
  # The schema imports its neighbours by relative path: nothing is fetched.
  if ! out=$(xmllint --nonet --noout --schema "$schema" "$f" 2>&1); then
    fail "$(basename "$f") does not validate against the XLIFF 2.1 core schema: $out"
  fi
  n21=$((n21 + 1))
done

# The schema is no rubber stamp: a state the specification does not have is refused.
f=$(ls "$work"/out/*.xlf2 | head -1)
sed 's/state="translated"/state="done"/' "$f" > "$work/bad.xlf2"
grep -q 'state="done"' "$work/bad.xlf2" || fail "no translated segment in $(basename "$f") to spoil"
if xmllint --nonet --noout --schema "$schema" "$work/bad.xlf2" >/dev/null 2>&1; then
  fail "the schema accepts state=\"done\": it checks nothing"
fi

# Nor for the matches module: a similarity above 100, or a match that points at nothing.
sed 's/similarity="100"/similarity="100.5"/' "$work/out/sample.xlf2" > "$work/bad-score.xlf2"
sed 's/<mtc:match ref="#s2"/<mtc:match/' "$work/out/sample.xlf2" > "$work/bad-ref.xlf2"
for bad in bad-score bad-ref; do
  if xmllint --nonet --noout --schema "$schema" "$work/$bad.xlf2" >/dev/null 2>&1; then
    fail "the schema accepts $bad.xlf2: the matches module is not checked"
  fi
done

[ "$n12" -ge 9 ] && [ "$n21" -ge 9 ] || fail "expected at least 9 exports of each version, got $n12 and $n21"
echo "xliff_consumers: $n12 XLIFF 1.2 files read by xliff2po, $n21 XLIFF 2.1 files valid"
