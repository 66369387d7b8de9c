#!/usr/bin/env bash
# xlate tm import, export and lookup against other tools' files: a TMX that translate-toolkit's
# po2tmx makes from a PO (tests/tm/ui.en-uk.po), a TMX with every element a CAT tool writes
# (tests/tm/cat-tool.tmx: header and unit props and notes, three languages, bpt/ept/ph/it/hi), a
# malformed TMX (refused with its file and line, nothing of it imported), a TSV with a bad line;
# the export read back by translate-toolkit and checked against the TMX 1.4 DTD.
. "$SRC_ROOT/tests/cli/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
D=$SRC_ROOT/tests/tm
DTD=$SRC_ROOT/tests/schemas/tmx14.dtd
cd "$TMP" || exit 1
# translate-toolkit is Debian's python3-translate: the system python3 has it.
PY=/usr/bin/python3

# tsv_units FILE: the export's units, header line left out, sorted.
tsv_units() { tail -n +2 "$1" | LC_ALL=C sort; }

# --- a TMX made by translate-toolkit ----------------------------------------------------------
expect_status 0 "po2tmx makes the TMX" -- po2tmx -l uk --source-language en "$D/ui.en-uk.po" -o po.tmx
expect_status 0 "import po2tmx's TMX" -- "$XLATE" tm import --db po.db --from en --to uk po.tmx
checks=$((checks + 1)); grep -qw 6 "$TMP/out" "$TMP/err" || fail "import does not say it imported 6 units"
expect_status 0 "export po.db" -- "$XLATE" tm export --db po.db --from en --to uk --format tsv -o po.tsv
expect_eq "$(tsv_units po.tsv)" "$(LC_ALL=C sort <<'TSV'
Open file	Відкрити файл
Save changes before closing?	Зберегти зміни перед закриттям?
The file could not be read.	Не вдалося прочитати файл.
Cancel	Скасувати
Check your "network" settings & try again.	Перевірте налаштування «мережі» і спробуйте ще раз.
Connection lost. Reconnecting in 5 seconds.	З'єднання втрачено. Повторне з'єднання через 5 секунд.
TSV
)" "po2tmx TMX: the six translated entries, nothing else"
expect_eq "$(head -1 po.tsv)" "$(printf 'source\ttarget')" "the TSV export starts with its header"
expect_status 0 "lookup, exact" -- "$XLATE" tm lookup --db po.db --from en --to uk "Open file"
expect_in "$TMP/out" "Відкрити файл" "lookup shows the target"
expect_in "$TMP/out" "100" "lookup shows the exact match's score"
expect_status 0 "lookup, numbers changed" -- "$XLATE" tm lookup --db po.db --from en --to uk \
  "Connection lost. Reconnecting in 15 seconds."
expect_in "$TMP/out" "Повторне з'єднання через 15 секунд." "lookup repairs the number"
expect_in "$TMP/out" "99" "a repaired match scores 99"
expect_status 0 "lookup, no match" -- "$XLATE" tm lookup --db po.db --from en --to uk "Completely unrelated words here"
expect_not_in "$TMP/out" "Відкрити" "no match: nothing offered"

# --- a TMX with every element a CAT tool writes ----------------------------------------------------
expect_status 0 "import the CAT tool's TMX, en-US to uk-UA" -- \
  "$XLATE" tm import --db cat.db --from en-US --to uk-UA "$D/cat-tool.tmx"
checks=$((checks + 1)); grep -qw 6 "$TMP/out" "$TMP/err" || fail "CAT TMX: does not say it imported 6 units"
# tu 106 has no uk-UA variant: skipped, and said so.
checks=$((checks + 1)); grep -qiw "skipped" "$TMP/out" "$TMP/err" && grep -qw 1 "$TMP/out" "$TMP/err" \
  || fail "CAT TMX: the unit without uk-UA is not reported skipped: $(cat "$TMP/out" "$TMP/err")"
expect_status 0 "import the CAT tool's TMX, en-US to de-DE" -- \
  "$XLATE" tm import --db cat.db --from en-US --to de-DE "$D/cat-tool.tmx"
checks=$((checks + 1)); grep -qw 4 "$TMP/out" "$TMP/err" || fail "CAT TMX de-DE: does not say it imported 4 units"
expect_status 0 "stats of a two-pair memory" -- "$XLATE" tm stats --db cat.db
# Language tags are case-insensitive (BCP 47): uk-UA and uk-ua name one language.
checks=$((checks + 1)); grep -qi "uk-UA" "$TMP/out" || fail "stats: the uk-UA pair missing: $(cat "$TMP/out")"
checks=$((checks + 1)); grep -qi "de-DE" "$TMP/out" || fail "stats: the de-DE pair missing: $(cat "$TMP/out")"
expect_status 0 "export en-US to uk-UA" -- "$XLATE" tm export --db cat.db --from en-US --to uk-UA --format tsv -o cat.tsv
expect_eq "$(tail -n +2 cat.tsv | wc -l)" 6 "export: the six uk-UA units"
expect_in cat.tsv "Брандмауер блокує з’єднання." "hi: the highlighted unit's target"
expect_in cat.tsv "The firewall blocks the connection." "hi: its text kept, the element gone"
expect_in cat.tsv "Fish & chips cost <10 euros." "entities read as characters"
expect_in cat.tsv "Ваш сеанс завершився." "a plain unit"
expect_not_in cat.tsv "Restart the application." "the unit without uk-UA is not in the uk-UA pair"
expect_not_in cat.tsv "Checked by the reviewer" "notes are not text"
expect_not_in cat.tsv "News" "props are not text"
expect_not_in cat.tsv "Speichern" "the German variant is not in the uk-UA pair"
# Inline codes: the text around them is the unit's, whatever form the codes keep.
for t in Press Save "to keep your changes." Натисніть Зберегти "Click " "to open the menu." "Клацніть" \
         "and the settings are kept." "і налаштування зберігаються."; do
  expect_in cat.tsv "$t" "inline codes: '$t' kept"
done
expect_status 0 "lookup through bpt/ept" -- "$XLATE" tm lookup --db cat.db --from en-US --to uk-UA "Press Save to keep your changes."
expect_in "$TMP/out" "Зберегти" "bpt/ept unit found by its text"
expect_status 0 "lookup in the de-DE pair" -- "$XLATE" tm lookup --db cat.db --from en-US --to de-DE "Restart the application."
expect_in "$TMP/out" "Starten Sie die Anwendung neu." "the de-DE pair answers"
expect_in "$TMP/out" "100" "the de-DE pair's exact score"
# A run's "en" -> "uk" finds the memory's en-US -> uk-UA (the same primary subtags), and says so.
expect_status 0 "lookup en to uk in an en-US to uk-UA memory" -- "$XLATE" tm lookup --db cat.db --from en --to uk "Your session has expired."
expect_in "$TMP/out" "Ваш сеанс завершився." "en to uk finds the en-US to uk-UA units"
expect_in "$TMP/err" "using en-us → uk-ua" "the lookup says which pair it chose"
printf 'Your session has expired.\n' > session.txt
expect_status 0 "a run --from en --to uk on the en-US memory" -- "$XLATE" run --from en --to uk --format jsonl \
  --plugin tm:db=cat.db -o session.jsonl session.txt
expect_in session.jsonl "Ваш сеанс завершився." "the run's segment is the en-US to uk-UA unit's target"
expect_status 0 "lookup en to de in a memory of en-US" -- "$XLATE" tm lookup --db cat.db --from en --to de "Restart the application."
expect_in "$TMP/out" "Starten Sie die Anwendung neu." "en to de finds en-US to de-DE, not the uk-UA pair"

# --- export read back by translate-toolkit ---------------------------------------------------------
expect_status 0 "export po.db as TMX" -- "$XLATE" tm export --db po.db --from en --to uk --format tmx -o po-out.tmx
expect_status 0 "exported TMX valid against tmx14.dtd" -- xmllint --noout --dtdvalid "$DTD" po-out.tmx
read_tmx() {
  $PY - "$1" <<'PY'
import sys
from translate.storage import tmx
store = tmx.tmxfile.parsefile(sys.argv[1])
for u in store.units:
    print("%s\t%s" % (u.source, u.target))
PY
}
expect_eq "$(read_tmx po-out.tmx | LC_ALL=C sort)" "$(tsv_units po.tsv)" \
  "translate-toolkit reads the exported TMX: the same six units"
expect_status 0 "export cat.db as TMX" -- "$XLATE" tm export --db cat.db --from en-US --to uk-UA --format tmx -o cat-out.tmx
expect_status 0 "exported CAT TMX valid against tmx14.dtd" -- xmllint --noout --dtdvalid "$DTD" cat-out.tmx
expect_eq "$(read_tmx cat-out.tmx | wc -l)" 6 "translate-toolkit reads six units from the CAT export"
checks=$((checks + 1)); grep -qi 'xml:lang="uk-UA"' cat-out.tmx || fail "export does not name the target language"
checks=$((checks + 1)); grep -qi '<header[^>]*srclang="en-US"' cat-out.tmx || fail "export header does not name the source language"
# The export imports again: a round trip adds nothing.
expect_status 0 "re-import the export" -- "$XLATE" tm import --db po.db --from en --to uk po-out.tmx
expect_status 0 "export after the round trip" -- "$XLATE" tm export --db po.db --from en --to uk --format tsv -o po2.tsv
expect_status 0 "a round trip doubles nothing" -- cmp po.tsv po2.tsv

# --- a malformed TMX: the file and line, nothing of it imported -------------------------------------
python3 - "$D/cat-tool.tmx" <<'PY'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
# Unit 107's source <seg> loses its end tag, after six good units.
i = next(n for n, l in enumerate(lines) if 'Your session has expired.' in l)
lines[i] = lines[i].replace('</seg>', '')
open('bad.tmx', 'w', encoding='utf-8').write('\n'.join(lines))
PY
xml_line=$(xmllint --noout bad.tmx 2>&1 | sed -n 's/^bad\.tmx:\([0-9]*\): parser error.*/\1/p' | head -1)
checks=$((checks + 1)); [ -n "$xml_line" ] || fail "bad.tmx is not malformed for libxml2"
cp po.db bad.db
expect_status 1 "import a malformed TMX" -- "$XLATE" tm import --db bad.db --from en-US --to uk-UA bad.tmx
expect_in "$TMP/err" "bad.tmx:$xml_line" "the error names the file and the line"
expect_status 0 "stats after the refused import" -- "$XLATE" tm stats --db bad.db
expect_not_in "$TMP/out" "uk-UA" "nothing of the malformed file imported (no en-US to uk-UA units)"
expect_status 0 "export after the refused import" -- "$XLATE" tm export --db bad.db --from en --to uk --format tsv -o bad.tsv
expect_status 0 "the memory's other units untouched" -- cmp po.tsv bad.tsv
# A good file beside the bad one is imported whole: one transaction a file.
expect_status 1 "import a good and a malformed TMX" -- "$XLATE" tm import --db mixed.db --from en --to uk po.tmx bad.tmx
expect_in "$TMP/err" "bad.tmx:$xml_line" "mixed: the bad file named"
expect_status 0 "export after the mixed import" -- "$XLATE" tm export --db mixed.db --from en --to uk --format tsv -o mixed.tsv
expect_status 0 "mixed: the good file's units all in" -- cmp po.tsv mixed.tsv

# --- TSV: a line without a tab is malformed: the file refused whole, the line named ---------------------
printf 'source\ttarget\nGood morning\tДоброго ранку\nno tab on this line\nGood night\tНа добраніч\n' > two.tsv
printf 'source\ttarget\nGood evening\tДобрий вечір\n' > one.tsv
expect_status 1 "import a TSV with a bad line" -- "$XLATE" tm import --db tsv.db --from en --to uk one.tsv two.tsv
expect_in "$TMP/err" "two.tsv:3" "TSV: the bad line named"
expect_status 0 "TSV export" -- "$XLATE" tm export --db tsv.db --from en --to uk --format tsv -o tsv.tsv
expect_eq "$(tail -n +2 tsv.tsv)" "$(printf 'Good evening\tДобрий вечір')" "TSV: the good file in, nothing of the bad one"

# --- usage ---------------------------------------------------------------------------------------
expect_status 2 "import without --db" -- "$XLATE" tm import po.tmx
expect_status 2 "an unknown tm command" -- "$XLATE" tm frobnicate --db po.db
expect_status 1 "import a file that is not there" -- "$XLATE" tm import --db po.db --from en --to uk missing.tmx
expect_in "$TMP/err" "missing.tmx" "a missing file named"
finish
