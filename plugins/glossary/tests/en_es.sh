#!/usr/bin/env bash
# The English seed article (samples/oboz/oboz-stoltenberg.en.txt) and sentences with the forms a
# written-form match misses (NATO's, air defences, Secretary General for Secretary-General, terms
# at a sentence's start) through the en→es TBX map samples/en-es-terms.tbx: by the glossary alone
# and before Apertium eng-spa. Every term is found, each target holds its term targets, a term at a
# sentence's start has its capital and the word after it none, no double space is left beside a
# term, and the TSV map finds the same spans as the TBX one. A TBX entry without a term for the
# pair is passed over with a warning; a map with none for the pair stops the run.
# Usage: en_es.sh XLATE SOURCE_ROOT   (meson passes both)
set -u
XLATE=$1
cd "$2" || exit 1
fails=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XLATE_CACHE_DIR=${XLATE_CACHE_DIR-$TMP/cache}

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

[ -f /usr/share/hunspell/en_GB.dic ] || { echo "FAIL: hunspell-en-gb is not installed; run scripts/bootstrap" >&2; exit 1; }
[ -f /usr/share/apertium/modes/eng-spa.mode ] || { echo "FAIL: apertium-eng-spa is not installed; run scripts/bootstrap" >&2; exit 1; }

cat samples/oboz/oboz-stoltenberg.en.txt > "$TMP/in.txt"
cat >> "$TMP/in.txt" <<'TXT'

NATO's allies must send more air defences to Kyiv, said the Secretary General.

Ground troops will not be sent. Kyiv has the right to defend itself.

"Ground troops are not an option," the Secretary\u2011General said of NATO's plans.
TXT
# the no-break hyphen written as the character itself
sed -i 's/\\u2011/\xe2\x80\x91/' "$TMP/in.txt"

run() { # run OUT MAP [PLUGIN...]
  local out=$1 map=$2
  shift 2
  "$XLATE" run --from en --to es --plugin "glossary:file=$map" "$@" --format jsonl -o "$out" \
    "$TMP/in.txt" 2> "$TMP/err" || { fail "xlate run with $map $*: $(cat "$TMP/err")"; return 1; }
}

run "$TMP/tbx.jsonl" samples/en-es-terms.tbx
run "$TMP/tsv.jsonl" samples/en-es-terms.tsv
run "$TMP/apertium.jsonl" samples/en-es-terms.tbx --plugin apertium:pair=eng-spa

python3 - "$TMP/tbx.jsonl" "$TMP/tsv.jsonl" "$TMP/apertium.jsonl" <<'PY' || fail "terms of the en→es run"
import json, sys

def records(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]

tbx, tsv, apertium = (records(p) for p in sys.argv[1:4])
problems = []

# Every span points at its source text; collect what was found, as the text writes it.
found = {}
for r in tbx:
    src = r["source"].encode()
    for t in r["terms"]:
        if src[t["start"]:t["end"]].decode() != t["source"]:
            problems.append(f"span {t} does not point at its source text in {r['id']}")
        found.setdefault(t["source"], set()).add(t["target"])

# The seed's terms, and the forms a written-form match misses.
want = {
    "NATO": "OTAN",
    "NATO Press Service": "Servicio de Prensa de la OTAN",
    "Secretary-General": "secretario general",
    "Jens Stoltenberg": "Jens Stoltenberg",
    "The Economist": "The Economist",
    "Ukrainian Defense Forces": "Fuerzas de Defensa de Ucrania",
    "Kharkiv region": "región de Járkov",
    "Kyiv": "Kiev",
    "ground troops": "tropas terrestres",
    "Secretary of State": "secretario de Estado",
    "Telegram": "Telegram",
    "NATO's": "OTAN",                      # possessive
    "air defences": "defensa antiaérea",   # plural, through the en_GB dictionary
    "Secretary General": "secretario general",  # a space for the hyphen
    "Secretary\u2011General": "secretario general",
    "Ground troops": "Tropas terrestres",  # a sentence's start: the target's capital too
}
for span, target in want.items():
    if target not in found.get(span, set()):
        problems.append(f"{span!r} → {target!r} not found (found: {sorted(found.get(span, []))})")

# The TSV map is the same map: the same spans and targets.
def spans(recs):
    return [(r["id"], t["start"], t["end"], t["target"]) for r in recs for t in r["terms"]]
if spans(tbx) != spans(tsv):
    problems.append("the TSV map found other spans than the TBX map")

# Glossary alone: the target is the source with the terms in place.
by_source = {r["source"]: r for r in tbx}
for source, start in {
        "Ground troops will not be sent.": "Tropas terrestres will",
        "\"Ground troops are not an option,\" the Secretary\u2011General said of NATO's plans.":
            "\"Tropas terrestres are not an option,\" the secretario general said of OTAN plans.",
        # inside a sentence the target stays as the map writes it
        "The Secretary-General also emphasized that the task is to \"prevent this war from "
        "turning into a full-fledged war between Russia and NATO in Europe.\"":
            "The secretario general also"}.items():
    got = (by_source.get(source) or {}).get("target") or ""
    if not got.startswith(start):
        problems.append(f"glossary alone: {source!r} → {got!r}, wanted it to start {start!r}")

# Through Apertium: every term's target in the translation, no term lost, no double space
# beside a term, the word after a sentence-initial term not capitalised.
for r in apertium:
    target = r.get("target") or ""
    if r["status"] != "ok":
        problems.append(f"segment {r['id']} is {r['status']}: {r.get('message')}")
    for t in r["terms"]:
        if t["target"] not in target:
            problems.append(f"segment {r['id']}: {t['target']!r} not in {target!r}")
    for t in r["terms"]:
        if "target_start" in t:
            around = target[max(0, t["target_start"] - 2):t["target_end"] + 2]
            if "  " in around:
                problems.append(f"segment {r['id']}: a double space beside {t['target']!r}: {target!r}")
by_source = {r["source"]: r for r in apertium}
checks = {
    "Ground troops will not be sent.": "Tropas terrestres no ",
    "Kyiv has the right to defend itself.": "Kiev tiene ",
    "NATO's allies must send more air defences to Kyiv, said the Secretary General.": "De la OTAN los aliados",
}
for source, start in checks.items():
    got = (by_source.get(source) or {}).get("target") or ""
    if not got.startswith(start):
        problems.append(f"{source!r} → {got!r}, wanted it to start {start!r}")

for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# A TBX entry without a Spanish term is passed over with a warning that counts it, not in silence;
# a map with none for the pair stops the run, naming the languages it has.
cat > "$TMP/part.tbx" <<'TBX'
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry><langSet xml:lang="en"><tig><term>NATO</term></tig></langSet>
<langSet xml:lang="es"><tig><term>OTAN</term></tig></langSet></termEntry>
<termEntry><langSet xml:lang="en"><tig><term>Kyiv</term></tig></langSet>
<langSet xml:lang="de"><tig><term>Kiew</term></tig></langSet></termEntry>
</body></text></martif>
TBX
printf 'NATO met in Kyiv.\n' > "$TMP/short.txt"
"$XLATE" run --from en --to es --plugin "glossary:file=$TMP/part.tbx" "$TMP/short.txt" \
  > "$TMP/out" 2> "$TMP/err" || fail "a TBX map with an entry lacking es: $(cat "$TMP/err")"
grep -q "1 term entry of $TMP/part.tbx (the first on line 5) has no term in en" "$TMP/err" ||
  fail "no warning for the entry without es: $(cat "$TMP/err")"
grep -q "OTAN met in Kyiv" "$TMP/out" || fail "the entry with es is used: $(cat "$TMP/out")"
"$XLATE" run --from en --to fr --plugin "glossary:file=$TMP/part.tbx" "$TMP/short.txt" \
  > "$TMP/out" 2> "$TMP/err"
[ $? -eq 1 ] || fail "a TBX map without fr: exit status 1 wanted"
grep -q "part.tbx: none of the 2 term entries has terms for both en and fr (the file's languages: en, es, de)" "$TMP/err" ||
  fail "the message for a map without the pair: $(cat "$TMP/err")"

# A language without a hunspell dictionary (Klingon) matches written forms, with a warning.
printf 'source\ttarget\nQapla\tsuccess\n' > "$TMP/tlh.tsv"
printf 'Qapla batlh.\n' > "$TMP/tlh.txt"
DICPATH=$TMP "$XLATE" run --from tlh --to en --plugin "glossary:file=$TMP/tlh.tsv" "$TMP/tlh.txt" \
  > "$TMP/out" 2> "$TMP/err" || fail "a run without a dictionary: $(cat "$TMP/err")"
grep -q "no hunspell dictionary for tlh in $TMP:/usr/share/hunspell" "$TMP/err" &&
  grep -q "hunspell-tlh" "$TMP/err" || fail "the warning for a language without a dictionary: $(cat "$TMP/err")"
grep -q "Success batlh" "$TMP/out" || fail "written forms still match: $(cat "$TMP/out")"

[ "$fails" -eq 0 ] && echo "en_es: all checks passed" && exit 0
echo "en_es: $fails check(s) failed" >&2
exit 1
