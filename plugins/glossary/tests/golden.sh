#!/usr/bin/env bash
# End-to-end checks of `xlate run --plugin glossary`: the OBOZ.UA sample against its golden
# outputs (samples/oboz/*.glossary.{jsonl,tsv}), every term span pointing at its source text,
# inflected forms in a text the map was not written from, the dictionary cache (cold and warm runs
# alike, damaged entries rewritten, no usable directory, another map), and a malformed map's
# message. Cache entries go to XLATE_CACHE_DIR (meson sets one in the build tree) or a temporary
# directory.
# Usage: golden.sh XLATE SOURCE_ROOT   (meson passes both)
set -u
XLATE=$1
cd "$2" || exit 1
fails=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XLATE_CACHE_DIR=${XLATE_CACHE_DIR-$TMP/default-cache}  # never the user's own cache

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

# The sample page (samples/oboz/oboz-stoltenberg.uk.html) translated in place, by the glossary alone
# and by the glossary before a command-line engine (samples/engines/uk-latin.py, through exec):
# the golden pages, every inline element and script of the page still there.
page=samples/oboz/oboz-stoltenberg.uk.html
for chain in glossary glossary-uk-latin; do
  golden=samples/oboz/oboz-stoltenberg.$chain.html
  engine=()
  [ $chain = glossary ] || engine=(--plugin "exec:cmd=python3 -u samples/engines/uk-latin.py")
  if ! "$XLATE" run --plugin glossary "${engine[@]}" --from uk --to en --format doc \
      -o "$TMP/$chain.html" "$page" 2> "$TMP/$chain.err"; then
    fail "xlate run --format doc ($chain) exited with $?: $(cat "$TMP/$chain.err")"
  elif ! diff -u "$golden" "$TMP/$chain.html" >&2; then
    fail "the page through $chain differs from $golden (regenerate it only after checking it)"
  fi
  python3 - "$page" "$TMP/$chain.html" <<'PY' || fail "$chain: the page lost markup"
import re, sys
a, b = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
for tag in ["<a ", "</a>", "<strong>", "<em>", "<b>", "<i>", "<img", "<span", "<li>", "<p"]:
    assert a.count(tag) == b.count(tag), (tag, a.count(tag), b.count(tag))
scripts = lambda t: re.findall(r"(?s)<script.*?</script>", t)
assert scripts(a) == scripts(b) and len(scripts(a)) == 4
assert '<html lang="en">' in b
PY
done
grep -q "Stoltenberg zaklykav NATO countries" "$TMP/glossary-uk-latin.html" ||
  fail "the engine's text is not in the page"

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
    "Окупанти": "Occupiers",  # at the start of the sentence
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

# The dictionary cache (dictcache.h): a cold run writes the entry, a warm run reads it, and both
# give the golden output byte for byte; a damaged entry is ignored and rewritten; a cache
# directory that cannot be made, or the cache turned off, changes nothing but the time; another
# term map is another entry.
cached_run() {  # cached_run CACHE_DIR NAME [PLUGIN]: the sample's JSONL and the debug log
  XLATE_CACHE_DIR=$1 XLATE_LOG=debug "$XLATE" run --plugin "${3:-glossary}" --from uk --to en \
    --format jsonl "$sample" > "$TMP/$2.jsonl" 2> "$TMP/$2.log" || fail "$2: exit status $?"
  cmp -s samples/oboz/oboz-stoltenberg.glossary.jsonl "$TMP/$2.jsonl" ||
    [ -n "${3:-}" ] || fail "$2: output differs from the golden JSONL"
}
origin_is() {  # origin_is NAME TEXT: the run's dictionary came from where TEXT says
  grep -q "dictionary: $2" "$TMP/$1.log" || fail "$1: dictionary not '$2': $(grep dictionary: "$TMP/$1.log")"
}
cache=$TMP/cache
cached_run "$cache" cold; origin_is cold "filtered; cached in $cache/glossary-"
entry=$(ls "$cache"/glossary-*.dict 2>/dev/null)
[ "$(echo "$entry" | wc -w)" -eq 1 ] || fail "one cache entry expected, found: $entry"
cached_run "$cache" warm; origin_is warm "from the cache, $entry"
cmp "$TMP/cold.jsonl" "$TMP/warm.jsonl" >&2 || fail "cold and warm runs differ"
for damage in truncate flip garbage; do
  case $damage in
    truncate) truncate -s -100 "$entry" ;;
    flip) printf X | dd of="$entry" bs=1 seek=$(($(stat -c %s "$entry") - 1000)) conv=notrunc status=none ;;
    garbage) head -c 4000 /dev/urandom > "$entry" ;;
  esac
  cached_run "$cache" "damaged-$damage"; origin_is "damaged-$damage" "filtered; cached in $entry"
  cached_run "$cache" "mended-$damage"; origin_is "mended-$damage" "from the cache, $entry"
done
printf 'not a directory\n' > "$TMP/a-file"
cached_run "$TMP/a-file/cache" unwritable; origin_is unwritable "filtered\$"
cached_run off off; origin_is off "filtered\$"
[ ! -e off ] || fail "XLATE_CACHE_DIR=off made a directory named off"
cp plugins/glossary/data/oboz-uk-en.tsv "$TMP/map.tsv"
cached_run "$cache" own-map "glossary:file=$TMP/map.tsv"; origin_is own-map "from the cache, $entry"
printf 'Столтенберг\tStoltenberg\n' > "$TMP/other.tsv"
sed -i '1i source\ttarget' "$TMP/other.tsv"
cached_run "$cache" other-map "glossary:file=$TMP/other.tsv"; origin_is other-map "filtered; cached in"
grep -q "dictionary: filtered; cached in $entry" "$TMP/other-map.log" &&
  fail "another term map used the same cache entry"
[ "$(ls "$cache"/glossary-*.dict | wc -l)" -eq 2 ] || fail "another term map should add an entry"
cached_run "$cache" other-map-warm "glossary:file=$TMP/other.tsv"
origin_is other-map-warm "from the cache"
cmp "$TMP/other-map.jsonl" "$TMP/other-map-warm.jsonl" >&2 || fail "cold and warm runs differ (other map)"

# A malformed map stops the run with its file and line.
printf 'source\ttarget\nКиїв\tKyiv\nХарків\n' > "$TMP/bad.tsv"
"$XLATE" run --plugin "glossary:file=$TMP/bad.tsv" "$sample" > /dev/null 2> "$TMP/err"
status=$?
[ $status -eq 1 ] || fail "malformed map: exit status $status, want 1"
grep -q "$TMP/bad.tsv:3:" "$TMP/err" || fail "malformed map: message lacks file:line: $(cat "$TMP/err")"

[ $fails -eq 0 ] && echo "glossary end-to-end: all checks passed"
exit $((fails > 0))
