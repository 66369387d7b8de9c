#!/usr/bin/env bash
# End-to-end checks of `xlate tm` (the xlate-tm program): import of a TMX that translate-toolkit's
# po2tmx wrote from a small PO, of one with every element a CAT tool writes (props, notes, inline
# codes, highlighting), of TSV and xlate's JSONL; a malformed TMX or TSV rejected whole, naming
# its line; export to TMX valid against the TMX 1.4 DTD and read back by translate-toolkit, and
# to TSV; stats and lookup as a person reads them; usage errors with status 2.
# Usage: tool.sh XLATE SOURCE_ROOT   (meson passes both)
set -u
XLATE=$1
SRC=$2
DATA=$SRC/plugins/tm/tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect STATUS DESCRIPTION -- COMMAND...: output in $TMP/out and $TMP/err.
expect() {
  local want=$1 what=$2; shift 3
  checks=$((checks + 1))
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit status $got, want $want"
    sed 's/^/    stderr: /' "$TMP/err" | head -5 >&2
    sed -n '/ERROR: [A-Za-z]*Sanitizer\|runtime error:/,$p' "$TMP/err" | head -40 >&2
  fi
}
expect_in() {
  checks=$((checks + 1))
  grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $(basename "$1")"; head -c 800 "$1" | sed 's/^/    /' >&2; }
}
expect_not_in() {
  checks=$((checks + 1))
  if grep -qF -- "$2" "$1"; then fail "$3: '$2' should not be in $(basename "$1")"; fi
}

DB=$TMP/news.db

# --- import -----------------------------------------------------------------------------------
# The TMX translate-toolkit writes from the PO (made again here when po2tmx is installed; the
# copy beside the PO is what it wrote): untranslated and fuzzy entries are not in it.
TT_TMX=$DATA/news.en-uk.po2tmx.tmx
if [ -x /usr/bin/po2tmx ] && /usr/bin/python3 /usr/bin/po2tmx -l uk "$DATA/news.en-uk.po" "$TMP/po2tmx.tmx" >/dev/null 2>&1; then
  TT_TMX=$TMP/po2tmx.tmx
fi
expect 0 "import of po2tmx's TMX" -- "$XLATE" tm import --db "$DB" "$TT_TMX"
expect_in "$TMP/out" "3 imported (3 new, 0 updated, 0 unchanged), 0 skipped" "po2tmx import counts"
# The first import into a new memory writes with a rollback journal (each page once); the memory
# is back in WAL when it ends, no journal left beside it.
expect 0 "journal mode after the first import" -- sqlite3 "$DB" 'PRAGMA journal_mode'
expect_in "$TMP/out" "wal" "the memory is in WAL after an import into a new memory"
checks=$((checks + 1)); [ -e "$DB-journal" ] && fail "a rollback journal is left beside the memory"
expect 0 "the same TMX again" -- "$XLATE" tm import --db "$DB" "$TT_TMX"
expect_in "$TMP/out" "3 imported (0 new, 0 updated, 3 unchanged)" "a second import adds nothing"

# An import into an empty memory builds the key indexes after its rows, at the commit: a key
# the file repeats (its spacing aside) is still found, the exact and repaired lookups use the
# indexes built, and a file rejected part-way leaves the empty memory with both indexes.
REP=$TMP/repeats.db
printf 'source\ttarget\nYear 2024 ends.\tРік 2024 закінчується.\nIt rains.\tДощ.\nIt  rains.\tДощ.\nIt rains.\tІде дощ.\n' >"$TMP/repeats.tsv"
expect 0 "import of repeated keys into an empty memory" -- "$XLATE" tm import --db "$REP" --from en --to uk "$TMP/repeats.tsv"
expect_in "$TMP/out" "4 imported (2 new, 1 updated, 1 unchanged), 0 skipped" "repeated keys within one file"
expect 0 "lookups after an import into an empty memory" -- "$XLATE" tm lookup --db "$REP" --from en --to uk "It rains." "Year 2025 ends."
expect_in "$TMP/out" "Іде дощ." "the repeated key's last target"
expect_in "$TMP/out" "Рік 2025 закінчується." "a repaired match through the number key's index"
expect 0 "integrity after an import into an empty memory" -- sqlite3 "$REP" 'PRAGMA integrity_check' \
  "SELECT count(*) || ' key indexes' FROM sqlite_master WHERE name IN ('tm_unit_key', 'tm_unit_nkey')"
expect_in "$TMP/out" "ok" "the indexes built at the commit agree with the units"
expect_in "$TMP/out" "2 key indexes" "the key indexes are there after an import into an empty memory"
printf 'source\ttarget\nIt rains.\tДощ.\nIt\tsnows.\tx\n' >"$TMP/bad-rows.tsv"
expect 1 "a malformed TSV into an empty memory" -- "$XLATE" tm import --db "$TMP/bad-rows.db" --from en --to uk "$TMP/bad-rows.tsv"
expect 0 "the empty memory after the malformed import" -- sqlite3 "$TMP/bad-rows.db" \
  "SELECT count(*) || ' units, ' || (SELECT count(*) FROM sqlite_master WHERE name IN ('tm_unit_key', 'tm_unit_nkey')) || ' key indexes' FROM tm_unit"
expect_in "$TMP/out" "0 units, 2 key indexes" "a rejected import leaves the memory and its indexes as they were"

# A CAT tool's TMX: en-US and uk-UA taken as en and uk, codes dropped from the text, <sub> too.
expect 0 "import of a CAT tool's TMX" -- "$XLATE" tm import --db "$DB" --from en --to uk "$DATA/cat-tool.tmx"
expect_in "$TMP/out" "3 imported (3 new, 0 updated, 0 unchanged), 2 skipped: no variant in the target language: 1; empty source or target: 1" "CAT TMX counts and reasons"
expect 0 "lookup of a unit with bpt/ept/hi" -- "$XLATE" tm lookup --db "$DB" --from en --to uk "The council approved the new budget."
expect_in "$TMP/out" "100 exact" "the inline-coded unit is an exact match"
expect_in "$TMP/out" "Рада затвердила новий бюджет." "its target as plain text"
expect 0 "lookup of a unit with ph and sub" -- "$XLATE" tm lookup --db "$DB" --from en --to uk "See the photo below."
expect_in "$TMP/out" "Дивіться фото нижче." "ph and the sub inside it dropped"
expect 0 "lookup of a unit with it and a TMX 1.1 lang" -- "$XLATE" tm lookup --db "$DB" --from en --to uk "Text cut by a tag that opens here."
expect_in "$TMP/out" "Текст, обрізаний тегом, що відкривається тут." "it dropped, lang read"

# Units with nothing in them are skipped with a reason, written <tu/> or <tu></tu> alike; text
# reads as XML gives it: &amp; as "&", a CDATA section as its characters.
expect 0 "import of empty units" -- "$XLATE" tm import --db "$TMP/empty-units.db" --from en --to uk "$DATA/empty-units.tmx"
expect_in "$TMP/out" "1 imported (1 new, 0 updated, 0 unchanged), 2 skipped: no variant in the source language: 2" "both empty units skipped, the third imported"
expect 0 "lookup of the unit with &amp; and CDATA" -- "$XLATE" tm lookup --db "$TMP/empty-units.db" --from en --to uk "Prices rose & wages <did not>."
expect_in "$TMP/out" "100 exact" "the text as XML reads it"
# Another XML vocabulary is refused by its root element, with the file and line.
expect 1 "an XLIFF file given as TMX" -- "$XLATE" tm import --db "$TMP/not-tmx.db" --from en --to uk "$DATA/not-tmx.tmx"
expect_in "$TMP/err" "not-tmx.tmx:2: the root element is <xliff>, not <tmx>" "names the root element and its line"

# A malformed TMX: its line named, nothing of it kept (its first unit was well formed).
expect 1 "a malformed TMX" -- "$XLATE" tm import --db "$DB" "$DATA/malformed.tmx"
expect_in "$TMP/err" "malformed.tmx:10: malformed XML" "the file and line of the error"
expect_in "$TMP/err" "nothing of this file was imported" "says nothing was imported"
expect 0 "lookup after the malformed import" -- "$XLATE" tm lookup --db "$DB" --from en --to uk "This unit is well formed."
expect_in "$TMP/out" "no match scoring 75 or more" "the well-formed unit before the error is not in the memory"
# The same into a new memory (the rollback-journal import): nothing kept, the file whole and in WAL.
expect 1 "a malformed TMX into a new memory" -- "$XLATE" tm import --db "$TMP/fresh.db" "$DATA/malformed.tmx"
expect_in "$TMP/err" "nothing of this file was imported" "says nothing was imported (new memory)"
expect 1 "lookup in the new memory" -- "$XLATE" tm lookup --db "$TMP/fresh.db" --from en --to uk "This unit is well formed."
expect_in "$TMP/err" "holds no en → uk units" "the new memory holds nothing of the malformed file"
expect 0 "the new memory after the failed import" -- sqlite3 "$TMP/fresh.db" 'PRAGMA integrity_check; PRAGMA journal_mode'
expect_in "$TMP/out" "ok" "the new memory passes integrity_check"
expect_in "$TMP/out" "wal" "the new memory is in WAL"

# Sources in NFD (e and a combining acute, Cyrillic и and a combining breve) are stored in NFC:
# a lookup of the composed text is exact.
printf 'source\ttarget\nCafe\xcc\x81 on the corner.\tКав\xe2\x80\x99ярня на розі.\nЧаи\xcc\x86 і кава.\tTea and coffee.\n' > "$TMP/nfd.tsv"
expect 0 "import of NFD text" -- "$XLATE" tm import --db "$TMP/nfd.db" --from en --to uk "$TMP/nfd.tsv"
expect 0 "lookup of the composed text" -- "$XLATE" tm lookup --db "$TMP/nfd.db" --from en --to uk "Café on the corner." "Чай і кава."
expect_in "$TMP/out" "100 exact" "a composed query finds the NFD source exactly"
checks=$((checks + 1)); [ "$(grep -c '100 exact' "$TMP/out")" -eq 2 ] || fail "both NFD sources found exactly: $(cat "$TMP/out")"

# TSV (escapes undone) and xlate's JSONL (only ok rows); a bad TSV line rejects its file whole.
expect 1 "TSV and JSONL, one bad TSV" -- "$XLATE" tm import --db "$DB" --from en --to uk "$DATA/news.tsv" "$DATA/bad.tsv" "$DATA/run.jsonl"
expect_in "$TMP/out" "news.tsv: 2 imported" "the good TSV"
expect_in "$TMP/err" "bad.tsv:3: 3 column(s), the header has 2" "the bad TSV's line"
expect_in "$TMP/out" "run.jsonl: 1 imported (1 new, 0 updated, 0 unchanged), 2 skipped: no target: 1; status is not ok: 1" "JSONL counts"
expect 0 "lookup of a TSV unit with a tab" -- "$XLATE" tm lookup --db "$DB" --from en --to uk "A line with a tab	here"
expect_in "$TMP/out" "Рядок із табуляцією	тут" "the escaped tab is a tab"
expect 0 "lookup of the bad TSV's good line" -- "$XLATE" tm lookup --db "$DB" --from en --to uk "Good line"
expect_in "$TMP/out" "no match" "nothing of the bad TSV is in the memory"

# --- stats and lookup --------------------------------------------------------------------------
expect 0 "stats" -- "$XLATE" tm stats --db "$DB"
expect_in "$TMP/out" "translation memory, schema 4" "stats names the schema"
expect_in "$TMP/out" "  en → uk: 9 units" "stats counts the pair"
expect_in "$TMP/out" "9 units in 1 language pair" "stats total"

expect 0 "lookup: repaired and fuzzy" -- "$XLATE" tm lookup --db "$DB" "The talks lasted 5 hours on 14.06.2025." "The council rejected the new budget for the next year."
expect_in "$TMP/out" " 99 repaired The talks lasted 3 hours on 12.05.2024." "repaired match with the memory's source"
expect_in "$TMP/out" "Переговори тривали 5 години 14.06.2025." "the new numbers in the target"
expect_in "$TMP/out" " 90 fuzzy    The council approved the new budget for the next year." "one word of ten: 90"
expect 0 "lookup above a threshold" -- "$XLATE" tm lookup --db "$DB" --threshold 95 "The council rejected the new budget for the next year."
expect_in "$TMP/out" "no match scoring 95 or more" "nothing above 95"

# --queries: every line of a file (or of standard input) looked up in one process, as the
# arguments would be; a line that is not UTF-8 is named by its line number.
printf 'The talks lasted 5 hours on 14.06.2025.\r\nThe council rejected the new budget for the next year.\n' > "$TMP/queries.txt"
expect 0 "lookup of a queries file" -- "$XLATE" tm lookup --db "$DB" --queries "$TMP/queries.txt"
cp "$TMP/out" "$TMP/queries.out"
"$XLATE" tm lookup --db "$DB" "The talks lasted 5 hours on 14.06.2025." "The council rejected the new budget for the next year." > "$TMP/args.out" 2>/dev/null
checks=$((checks + 1))
cmp -s "$TMP/queries.out" "$TMP/args.out" || fail "--queries answers differently from the same texts as arguments"
expect_in "$TMP/queries.out" " 90 fuzzy    The council approved the new budget for the next year." "a query line's fuzzy match"
printf 'See the photo below.\n\377 not UTF-8\n' > "$TMP/bad-queries.txt"
expect 1 "a queries file with a line that is not UTF-8" -- "$XLATE" tm lookup --db "$DB" --from en --to uk --queries - < "$TMP/bad-queries.txt"
expect_in "$TMP/err" "standard input, line 2, is not UTF-8" "names the line"
expect_in "$TMP/out" "See the photo below." "the lines before it are answered"
expect 1 "a missing queries file" -- "$XLATE" tm lookup --db "$DB" --queries "$TMP/none.txt"
expect_in "$TMP/err" "cannot read $TMP/none.txt" "names the file"

# --- export ------------------------------------------------------------------------------------
expect 0 "export TMX" -- "$XLATE" tm export --db "$DB" -o "$TMP/out.tmx"
checks=$((checks + 1))
xmllint --noout --dtdvalid "$SRC/tests/schemas/tmx14.dtd" "$TMP/out.tmx" 2>"$TMP/xmllint" ||
  { fail "the exported TMX is not valid TMX 1.4"; head -5 "$TMP/xmllint" >&2; }
if /usr/bin/python3 -c 'import translate.storage.tmx' 2>/dev/null; then
  checks=$((checks + 1))
  /usr/bin/python3 - "$TMP/out.tmx" >"$TMP/tt" 2>&1 <<'PY' || { fail "translate-toolkit cannot read the export"; cat "$TMP/tt" >&2; }
import sys
from translate.storage import tmx
store = tmx.tmxfile.parsefile(sys.argv[1])
units = [u for u in store.units if u.source]
print(len(units))
for u in units:
    print(u.source + " => " + u.target)
PY
  expect_in "$TMP/tt" "The council approved the new budget for the next year. => Рада затвердила новий бюджет на наступний рік." "translate-toolkit reads a unit back"
  checks=$((checks + 1))
  [ "$(head -1 "$TMP/tt")" = 9 ] || fail "translate-toolkit reads $(head -1 "$TMP/tt") units, want 9"
fi
expect 0 "export TSV" -- "$XLATE" tm export --db "$DB" --format tsv
checks=$((checks + 1))
[ "$(head -1 "$TMP/out")" = "source	target" ] || fail "the TSV export's header"
expect_in "$TMP/out" 'A line with a tab\there	Рядок із табуляцією\tтут' "TSV export escapes tabs"
# Round trip: the TSV export imported into a new memory gives the same units.
"$XLATE" tm export --db "$DB" --format tsv -o "$TMP/all.tsv" 2>/dev/null
expect 0 "import of the TSV export" -- "$XLATE" tm import --db "$TMP/copy.db" --from en --to uk "$TMP/all.tsv"
expect_in "$TMP/out" "9 imported (9 new" "the round trip keeps every unit"

# --- usage -------------------------------------------------------------------------------------
expect 2 "no --db" -- "$XLATE" tm stats
expect_in "$TMP/err" "--db FILE" "says to give --db"
expect 2 "unknown command" -- "$XLATE" tm frobnicate --db "$DB"
expect 2 "TSV without languages" -- "$XLATE" tm import --db "$DB" "$DATA/news.tsv"
expect_in "$TMP/err" "give --from and --to" "says to give the languages"
expect 2 "a bad threshold" -- "$XLATE" tm lookup --db "$DB" --threshold 120 "x"
expect 1 "stats of a missing memory" -- "$XLATE" tm stats --db "$TMP/missing.db"
expect 0 "help" -- "$XLATE" tm --help
expect_in "$TMP/out" "xlate tm import --db FILE" "help shows the usage lines"

echo "$(basename "$0"): $checks checks, $failures failed"
[ "$failures" -eq 0 ]
