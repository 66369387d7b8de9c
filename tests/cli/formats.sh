#!/bin/sh
# Documents in their formats through `xlate run`: --format doc gives a text document back in its
# own encoding and layout with the translation in place, --input-format is checked, and
# `xlate formats` lists the modules.
. "$(dirname "$0")/lib.sh"
CORPUS="$SRC_ROOT/tests/format/corpus/text"
export XLATE_PLUGIN_PATH="$PLUGIN_DIR"

# The modules and their extensions.
expect_status 0 "formats lists" -- "$XLATE" formats
expect_in "$TMP/out" "text" "formats: the text module"
expect_in "$TMP/out" ".txt" "formats: its extension"
expect_status 2 "formats takes no argument" -- "$XLATE" formats extra
expect_in "$TMP/err" "takes no argument" "formats: the usage error says why"

# With no translator every paragraph stays as the document had it: the same bytes, whatever
# the encoding (UTF-8, UTF-8 with CR LF, windows-1251).
for doc in "$CORPUS"/*.txt; do
  expect_status 0 "run --format doc $(basename "$doc")" -- "$XLATE" run --format doc -o "$TMP/same.txt" "$doc"
  checks=$((checks + 1))
  cmp -s "$doc" "$TMP/same.txt" || fail "run --format doc $(basename "$doc"): not the input back"
done

# A translator's targets land in place; the text between paragraphs and the encoding stay.
expect_status 0 "doc through exec" -- "$XLATE" run --format doc --plugin 'exec:cmd=sed -u s/млин/mill/g' \
  -o "$TMP/story.txt" "$CORPUS/story-cp1251.txt"
iconv -f windows-1251 -t UTF-8 "$TMP/story.txt" >"$TMP/story.utf8" || fail "doc: not windows-1251 any more"
expect_in "$TMP/story.utf8" "Старий mill стояв на краю села" "doc: the translation in place"
expect_in "$TMP/story.utf8" "— Бо вода пішла" "doc: the other paragraphs kept"
checks=$((checks + 1))
[ "$(tr -cd '\r' <"$TMP/story.txt" | wc -c)" -eq "$(tr -cd '\r' <"$CORPUS/story-cp1251.txt" | wc -c)" ] ||
  fail "doc: the CR LF line ends are not all kept"

# Characters the original encoding lacks: the document is written in UTF-8, with a BOM saying so.
expect_status 0 "doc in UTF-8 when the encoding cannot hold it" -- "$XLATE" run --format doc \
  --plugin 'exec:cmd=sed -u s/млин/磨坊/g' -o "$TMP/story-zh.txt" "$CORPUS/story-cp1251.txt"
expect_in "$TMP/story-zh.txt" "Старий 磨坊 стояв" "doc: UTF-8 fallback"
checks=$((checks + 1))
[ "$(head -c 3 "$TMP/story-zh.txt" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "doc: UTF-8 fallback without a BOM"

# --format doc takes one document; records and a document format do not mix.
expect_status 2 "doc with two files" -- "$XLATE" run --format doc "$CORPUS/news-kyiv-metro.txt" "$CORPUS/notice-crlf.txt"
expect_in "$TMP/err" "give one FILE" "doc with two files: says why"
expect_status 2 "doc and tsv" -- "$XLATE" run --format doc --format tsv "$CORPUS/news-kyiv-metro.txt"
expect_status 2 "doc and --output-encoding" -- "$XLATE" run --format doc --output-encoding cp1251 "$CORPUS/news-kyiv-metro.txt"

# --input-format: a known name reads through its module; an unknown one is a usage error that
# names the choices.
expect_status 2 "unknown --input-format" -- "$XLATE" run --input-format docx "$CORPUS/news-kyiv-metro.txt"
expect_in "$TMP/err" "--input-format docx: unknown format" "unknown --input-format: named"
expect_in "$TMP/err" "xlate formats" "unknown --input-format: where to look"
expect_status 2 "--input-format without a value" -- "$XLATE" run --input-format
expect_status 0 "--input-format text, records" -- "$XLATE" run --input-format text --format jsonl "$CORPUS/news-kyiv-metro.txt"
expect_in "$TMP/out" '"source":"Київський метрополітен завершив ремонт вестибюля станції «Либідська».' "records of a text document"
expect_status 0 "--input-format auto" -- "$XLATE" run --input-format auto --format doc -o "$TMP/auto.txt" "$CORPUS/news-kyiv-metro.txt"
checks=$((checks + 1))
cmp -s "$CORPUS/news-kyiv-metro.txt" "$TMP/auto.txt" || fail "--input-format auto: not the input back"

# Standard input has no name: plain text unless the content says otherwise.
expect_status 0 "doc from standard input" -- sh -c "\"$XLATE\" run --format doc <\"$CORPUS/notice-crlf.txt\""
checks=$((checks + 1))
cmp -s "$CORPUS/notice-crlf.txt" "$TMP/out" || fail "doc from standard input: not the input back"

# A document that cannot be read: exit 1, the file named.
printf 'Текст \377\376 зіпсований.\n' >"$TMP/bad.txt"
expect_status 1 "undecodable document" -- "$XLATE" run --format doc --encoding utf-8 "$TMP/bad.txt"
expect_in "$TMP/err" "bad.txt" "undecodable document: named"

# batch writes documents or records, not both (batch_documents.sh tests its documents).
expect_status 2 "batch --format doc --format tsv" -- "$XLATE" batch --format doc --format tsv -o "$TMP/b" "$CORPUS"
expect_in "$TMP/err" "either records" "batch --format doc --format tsv: says why"
finish
