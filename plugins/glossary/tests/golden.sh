#!/usr/bin/env bash
# End-to-end checks of `xlate run --plugin glossary`: the OBOZ.UA sample against its golden
# outputs (samples/oboz/*.glossary.{jsonl,tsv}), every term span pointing at its source text,
# inflected forms in a text the map was not written from, and a malformed map's message.
# Usage: golden.sh XLATE SOURCE_ROOT   (meson passes both)
set -u
XLATE=$1
cd "$2" || exit 1
fails=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

sample=samples/oboz/oboz-stoltenberg.uk.txt
for fmt in jsonl tsv; do
  golden=samples/oboz/oboz-stoltenberg.glossary.$fmt
  if ! "$XLATE" run --plugin glossary --from uk --to en --format $fmt "$sample" > "$TMP/out.$fmt"; then
    fail "xlate run --format $fmt exited with $?"
  elif ! diff -u "$golden" "$TMP/out.$fmt" >&2; then
    fail "$fmt output differs from $golden (regenerate it only after checking every term)"
  fi
done

# Each span's bytes are the term's source text; every segment with terms has a target.
python3 - "$TMP/out.jsonl" <<'PY' || fail "term spans of the sample"
import json, sys
spans = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    src = r["source"].encode()
    for t in r["terms"]:
        assert src[t["start"]:t["end"]].decode() == t["source"], (r["id"], t)
        spans += 1
    assert not r["terms"] or r["target"], r["id"]
assert spans >= 60, spans
PY

# News text the map was not written from: inflected names, places, institutions.
cat > "$TMP/unseen.txt" <<'TXT'
Володимир Зеленський провів телефонну розмову з Олафом Шольцом.

Окупанти вкотре обстріляли Херсонщину, а в Запорізькій області через атаку шахедів знеструмлено кілька сіл.

Міністр оборони Рустем Умєров зустрівся в Брюсселі з Генеральним секретарем НАТО.
TXT
"$XLATE" run --plugin glossary --from uk --to en --format jsonl "$TMP/unseen.txt" > "$TMP/unseen.jsonl" \
  || fail "xlate run on the unseen text"
python3 - "$TMP/unseen.jsonl" <<'PY' || fail "terms of the unseen text"
import json, sys
found = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    src = r["source"].encode()
    for t in r["terms"]:
        assert src[t["start"]:t["end"]].decode() == t["source"], t
        found[t["source"]] = t["target"]
want = {
    "Володимир Зеленський": "Volodymyr Zelensky",
    "Олафом Шольцом": "Olaf Scholz",
    "Окупанти": "occupiers",
    "Херсонщину": "Kherson region",
    "Запорізькій області": "Zaporizhzhia region",
    "атаку": "attack",
    "шахедів": "Shahed drones",
    "Міністр оборони": "Minister of Defense",
    "Рустем Умєров": "Rustem Umerov",
    "Брюсселі": "Brussels",
    "Генеральним секретарем НАТО": "NATO Secretary-General",
}
missing = {k: v for k, v in want.items() if found.get(k) != v}
assert not missing, ("missing or wrong", missing, "found", found)
PY

# A malformed map stops the run with its file and line.
printf 'source\ttarget\nКиїв\tKyiv\nХарків\n' > "$TMP/bad.tsv"
"$XLATE" run --plugin "glossary:file=$TMP/bad.tsv" "$sample" > /dev/null 2> "$TMP/err"
status=$?
[ $status -eq 1 ] || fail "malformed map: exit status $status, want 1"
grep -q "$TMP/bad.tsv:3:" "$TMP/err" || fail "malformed map: message lacks file:line: $(cat "$TMP/err")"

[ $fails -eq 0 ] && echo "glossary end-to-end: all checks passed"
exit $((fails > 0))
