#!/bin/sh
# `--from auto` and `xlate detect` with language identification: each document's language is
# found from its text and used for segmentation and by the plugins (the glossary loads that
# language's dictionary); a segment in another language than its document's — a Russian quote in
# a Ukrainian article — says so in JSONL and TMX; detect --paragraphs reports each paragraph.
. "$(dirname "$0")/lib.sh"
export XLATE_PLUGIN_PATH="$PLUGIN_DIR"
LANGID="$SRC_ROOT/tests/input/langid"

# A Ukrainian article quoting a Russian official, and an English line.
cat >"$TMP/mixed.txt" <<'TXT'
Генеральний секретар НАТО заявив, що країни Альянсу мають зняти обмеження на використання зброї.

«Мы не допустим этого», — сказал журналистам представитель российского министерства иностранных дел.

Після цього засідання завершилося, а рішення відклали до наступного тижня.
TXT

# detect: the file's language, and each paragraph's.
expect_status 0 "detect a German file" -- "$XLATE" detect "$LANGID/de.txt"
expect_in "$TMP/out" "language de" "detect names German"
expect_status 0 "detect --paragraphs" -- "$XLATE" detect --paragraphs "$TMP/mixed.txt"
expect_in "$TMP/out" "language uk" "detect: the article is Ukrainian"
expect_in "$TMP/out" "line 3: ru (differs from the file's)" "detect: the quote's paragraph is Russian"
expect_in "$TMP/out" "line 5: uk" "detect: the last paragraph is Ukrainian"
expect_status 0 "detect --json --paragraphs" -- "$XLATE" detect --json --paragraphs "$TMP/mixed.txt"
python3 - "$TMP/out" <<'PY' || fail "detect --json: the languages as JSON"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))[0]
assert r["language"] == "uk" and r["language_reliable"] is True, r
assert [(p["line"], p["language"]) for p in r["paragraphs"]] == [(1, "uk"), (3, "ru"), (5, "uk")], r
PY
checks=$((checks + 1))

# run --from auto: the document's language on every record, the quote's own on its segment.
expect_status 0 "run --from auto, JSONL" -- "$XLATE" run --from auto --format jsonl "$TMP/mixed.txt"
expect_in "$TMP/err" "mixed.txt: source language uk (--from auto)" "run says the language it found"
python3 - "$TMP/out" <<'PY' || fail "run --from auto: each record's lang"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
langs = [r["lang"] for r in recs]
assert langs == ["uk", "ru", "uk"], langs
PY
checks=$((checks + 1))
# A quote far into a long document (past the first batch of 64 segments, written as the run
# streams): its record, and only its, has the quote's language.
{
  i=1
  while [ $i -le 80 ]; do
    echo "Депутати обговорили проєкт бюджету на наступний рік і відклали голосування до вівторка."
    i=$((i + 1))
  done
  echo "«Мы не допустим этого», — сказал журналистам представитель российского министерства иностранных дел."
  echo "Після цього засідання завершилося, а рішення відклали до наступного тижня."
} >"$TMP/long.txt"
expect_status 0 "run --from auto on a long document" -- "$XLATE" run --from auto --format jsonl "$TMP/long.txt"
python3 - "$TMP/out" <<'PY' || fail "run --from auto: the quote's lang past the first batch"
import json, sys
langs = [json.loads(l)["lang"] for l in open(sys.argv[1], encoding="utf-8")]
assert len(langs) == 82 and langs[80] == "ru" and langs.count("ru") == 1 and langs.count("uk") == 81, langs
PY
checks=$((checks + 1))

# Without auto nothing changes: no lang key.
expect_status 0 "run --from uk, JSONL" -- "$XLATE" run --from uk --format jsonl "$TMP/mixed.txt"
expect_not_in "$TMP/out" '"lang"' "a run given its language writes no lang"
# TMX: the source's xml:lang per segment, srclang *all* in the header.
expect_status 0 "run --from auto, TMX" -- "$XLATE" run --from auto --format tmx "$LANGID/de.txt" "$TMP/mixed.txt"
expect_in "$TMP/out" 'srclang="*all*"' "TMX: the header says the sources are in several languages"
expect_in "$TMP/out" '<tuv xml:lang="de">' "TMX: the German document's segments"
expect_in "$TMP/out" '<tuv xml:lang="ru">' "TMX: the quote's segment"
xmllint --noout --dtdvalid "$SRC_ROOT/tests/schemas/tmx14.dtd" "$TMP/out" 2>"$TMP/lint" ||
  { checks=$((checks + 1)); fail "TMX of --from auto is not valid: $(head -3 "$TMP/lint")"; }

# The plugins get the detected language: the glossary loads the Russian dictionary for a Russian
# document and matches an inflected form through it.
printf 'source\ttarget\nгенеральный секретарь\tSecretary General\n' >"$TMP/ru-terms.tsv"
printf 'Заявление генерального секретаря НАТО было опубликовано в четверг вечером на сайте.\n' >"$TMP/ru.txt"
XLATE_LOG=debug expect_status 0 "glossary under --from auto" -- \
  "$XLATE" run --from auto --plugin "glossary:file=$TMP/ru-terms.tsv" --format jsonl "$TMP/ru.txt"
expect_in "$TMP/err" "ru.txt: source language ru" "the Russian document is found Russian"
expect_in "$TMP/err" "dictionary file: /usr/share/hunspell/ru_RU" "the glossary loads the Russian dictionary"
expect_in "$TMP/out" "Заявление Secretary General НАТО" "the inflected term is matched"

# A translator that does not serve a document's language fails that document, not the run's others.
expect_status 1 "apertium with a German document" -- \
  "$XLATE" run --from auto --to en --plugin apertium "$LANGID/de.txt"
expect_in "$TMP/err" "de.txt: no translator in the chain serves de → en" "the document's language is named"

# The segmentation rules follow the language found: English rules keep "Mr. Smith" together,
# the Ukrainian ones (the default of --from) do not know the abbreviation.
printf 'Mr. Smith met the delegation in Washington on Monday morning. They talked for an hour about trade.\n' >"$TMP/en.txt"
expect_status 0 "segment --from auto" -- "$XLATE" segment --from auto "$TMP/en.txt"
expect_in "$TMP/err" "en.txt: language en (--from auto)" "segment says the language it found"
expect_in "$TMP/out" "Mr. Smith met the delegation" "segment: English rules for an English file"
expect_status 0 "run --from auto, TSV" -- "$XLATE" run --from auto "$TMP/en.txt"
expect_in "$TMP/out" "Mr. Smith met the delegation" "run: English rules for an English file"
expect_status 0 "segment --from uk" -- "$XLATE" segment --from uk "$TMP/en.txt"
expect_not_in "$TMP/out" "Mr. Smith met the delegation" "segment: the Ukrainian rules cut after Mr."

# Where one source language is part of the output's contract, auto is a usage error.
expect_status 2 "batch --from auto" -- "$XLATE" batch --from auto -o "$TMP/b" "$LANGID"
expect_in "$TMP/err" "--from auto" "batch: the refusal names the option"
expect_status 2 "extract --from auto" -- "$XLATE" extract --from auto "$TMP/mixed.txt"
expect_in "$TMP/err" "name it with --from" "extract: says what to do"
expect_status 2 "--from nonsense is still refused" -- "$XLATE" run --from automatic "$TMP/mixed.txt"

finish
