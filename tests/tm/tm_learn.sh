#!/usr/bin/env bash
# The translation memory learning from a run and answering the next (plugin tm, learn=yes, before
# a counting command-line engine, tests/tm/engine.py): the same article twice (the second run asks
# the engine nothing and gives the same output), a copy with two numbers changed (repaired
# matches, score 99, the new numbers in the target), a copy with quotes, apostrophes and spaces
# written another way (exact matches), a copy with one word changed (a fuzzy match offered as a
# candidate with the score a person expects, or filled in with a warning under fuzzy=fill).
. "$SRC_ROOT/tests/cli/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
J="python3 $SRC_ROOT/tests/tm/jsonl.py"
ENGINE="exec:cmd=python3 -u $SRC_ROOT/tests/tm/engine.py"
export TM_ENGINE_LOG=$TMP/calls
cd "$TMP" || exit 1
cp "$SRC_ROOT/tests/tm/article.uk.txt" article.txt
: > calls

calls() { wc -l < calls | tr -d ' '; }
# run NAME TM_OPTIONS: the article copy NAME.txt through tm and the engine, into NAME.jsonl;
# the engine's calls of this run in $TMP/NAME.calls.
run() {
  local before; before=$(calls)
  expect_status 0 "$1: tm:$2 before the engine" -- "$XLATE" run --from uk --to en --format jsonl \
    --plugin "tm:db=$TMP/tm.db,$2" --plugin "$ENGINE" -o "$1.jsonl" "$1.txt"
  tail -n +$((before + 1)) calls > "$1.calls"
}
ncalls() { wc -l < "$1.calls" | tr -d ' '; }

# --- first run: the engine translates, the memory learns ---------------------------------------
run article learn=yes
checks=$((checks + 1)); [ "$(ncalls article)" -gt 0 ] || fail "first run: the engine was never called"
nsegs=$(wc -l < article.jsonl)
checks=$((checks + 1)); [ "$nsegs" -ge 20 ] || fail "the article has $nsegs segments, want 20 or more"
expect_eq "$($J article.jsonl romanized)" "" "first run: every target is the engine's"
expect_eq "$($J article.jsonl texts | cut -f4 | sort -u)" "ok" "first run: every segment ok"
distinct=$($J article.jsonl texts | cut -f2 | sort -u | wc -l)
checks=$((checks + 1)); [ "$distinct" -lt "$nsegs" ] || fail "the article repeats no boilerplate line"
expect_status 0 "tm stats" -- "$XLATE" tm stats --db tm.db
expect_in "$TMP/out" "uk" "stats name the source language"
expect_in "$TMP/out" "en" "stats name the target language"
checks=$((checks + 1)); grep -qw -- "$distinct" "$TMP/out" \
  || fail "stats: the memory does not hold $distinct units (one a distinct source): $(cat "$TMP/out")"
expect_status 0 "tm export" -- "$XLATE" tm export --db tm.db --format tsv -o learned.tsv
expect_eq "$(tail -n +2 learned.tsv | wc -l)" "$distinct" "export: each distinct segment learned once"

# --- second run: everything from the memory, the engine never asked ----------------------------
run article learn=yes
mv article.jsonl again.jsonl
expect_eq "$(ncalls article)" 0 "second run: the engine is called 0 times"
run article learn=yes
expect_eq "$(ncalls article)" 0 "third run: still 0 calls"
mv again.jsonl article2.jsonl
$J article.jsonl texts > first.texts 2>&1
$J article2.jsonl texts > second.texts 2>&1
expect_status 0 "second run: the same output as the first" -- cmp first.texts second.texts
bad=$(python3 - article2.jsonl <<'PY'
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    if r.get('origin') != 'tm' or r.get('score') != 100 or r.get('match_source') != r['source']:
        print(r['source'], r.get('origin'), r.get('score'), r.get('match_source'))
PY
)
expect_eq "$bad" "" "second run: every segment from tm, score 100, the matched source its own"
expect_status 0 "tm stats after the second run" -- "$XLATE" tm stats --db tm.db
checks=$((checks + 1)); grep -qw -- "$distinct" "$TMP/out" || fail "relearning doubled units: $(cat "$TMP/out")"

# --- two numbers changed: repaired ----------------------------------------------------------------
OLD_NUM="У четвер, 14 березня, ціни на пальне в Україні зросли на 3 відсотки."
NEW_NUM="У четвер, 21 березня, ціни на пальне в Україні зросли на 4 відсотки."
sed "s/$OLD_NUM/$NEW_NUM/" article.txt > numbers.txt
checks=$((checks + 1)); grep -qF "$NEW_NUM" numbers.txt || fail "numbers copy not made"
run numbers learn=no
expect_eq "$(ncalls numbers)" 0 "numbers changed: the engine is not called"
expect_eq "$($J numbers.jsonl origin "$NEW_NUM")" "$(printf 'tm\t99')" "numbers changed: repaired, score 99"
expect_eq "$($J numbers.jsonl field "$NEW_NUM" target)" "\"$($J - romanize "$NEW_NUM")\"" \
  "numbers changed: the new numbers in the target"
expect_eq "$($J numbers.jsonl field "$NEW_NUM" match_source)" "\"$OLD_NUM\"" \
  "numbers changed: the matched source is the one in the memory"
expect_eq "$($J numbers.jsonl texts | cut -f4 | sort -u)" "ok" "numbers changed: a repair is ok, no warning"
expect_eq "$($J numbers.jsonl romanized)" "" "numbers changed: every target as the engine would give"
run numbers "learn=no,repair=no"
expect_eq "$(ncalls numbers)" 1 "repair=no: the engine translates the changed sentence"
expect_eq "$(cut -f2 numbers.calls)" "$NEW_NUM" "repair=no: and only it"

# --- quotes, apostrophes and spaces written another way: still exact ------------------------------
OLD_Q="Голова області заявив: «Ми пам’ятаємо про кожного, хто захищав місто»."
NEW_Q="Голова області  заявив: \"Ми пам'ятаємо про кожного, хто захищав місто\"."
python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); assert sys.argv[2] in t
open(sys.argv[4], "w", encoding="utf-8").write(t.replace(sys.argv[2], sys.argv[3]))' \
  article.txt "$OLD_Q" "$NEW_Q" quotes.txt
run quotes learn=no
expect_eq "$(ncalls quotes)" 0 "quote style and spaces: the engine is not called"
expect_eq "$($J quotes.jsonl origin "$NEW_Q")" "$(printf 'tm\t100')" "quote style and spaces: an exact match"
expect_eq "$($J quotes.jsonl field "$NEW_Q" target)" "\"$($J - romanize "$OLD_Q")\"" \
  "quote style and spaces: the memory's target"

# --- one word of eleven changed: a fuzzy match ----------------------------------------------------
OLD_W="Мешканці столиці скаржаться на довгі черги біля пунктів видачі гуманітарної допомоги."
NEW_W="Мешканці столиці скаржаться на великі черги біля пунктів видачі гуманітарної допомоги."
sed "s/$OLD_W/$NEW_W/" article.txt > word.txt
checks=$((checks + 1)); grep -qF "$NEW_W" word.txt || fail "word copy not made"
# fuzzy=offer (the default): a candidate; the engine translates the sentence.
run word learn=no
expect_eq "$(ncalls word)" 1 "one word changed, fuzzy=offer: the engine translates one segment"
expect_eq "$(cut -f2 word.calls)" "$NEW_W" "fuzzy=offer: the changed sentence"
expect_eq "$($J word.jsonl field "$NEW_W" target)" "\"$($J - romanize "$NEW_W")\"" \
  "fuzzy=offer: the target is the engine's"
$J word.jsonl candidates "$NEW_W" > cand.txt 2>&1
expect_eq "$(wc -l < cand.txt | tr -d ' ')" 1 "fuzzy=offer: one candidate"
expect_eq "$(cut -f2,3 cand.txt)" "$(printf '%s\t%s' "$OLD_W" "$($J - romanize "$OLD_W")")" \
  "fuzzy=offer: the candidate is the remembered sentence and its translation"
score=$(cut -f1 cand.txt)
# One word of eleven replaced: a person says about 90 (word edit distance 1 - 1/11 = 91; a
# character measure lands near it too).
checks=$((checks + 1))
python3 -c 'import sys; s = float(sys.argv[1]); sys.exit(not 85 <= s <= 95)' "$score" 2>/dev/null \
  || fail "fuzzy=offer: score '$score', want about 90 (85..95) for one word of eleven"
run word "learn=no,threshold=96"
expect_eq "$($J word.jsonl candidates "$NEW_W")" "" "threshold=96: a match of about 90 is not offered"
expect_eq "$(ncalls word)" 1 "threshold=96: the engine translates the sentence"
# fuzzy=fill: the remembered translation becomes the target, with a warning naming the score.
run word "learn=no,fuzzy=fill"
expect_eq "$(ncalls word)" 0 "fuzzy=fill: the engine is not called"
expect_eq "$($J word.jsonl field "$NEW_W" target)" "\"$($J - romanize "$OLD_W")\"" \
  "fuzzy=fill: the target is the remembered translation"
expect_eq "$($J word.jsonl field "$NEW_W" status)" '"warning"' "fuzzy=fill: status warning"
expect_eq "$($J word.jsonl origin "$NEW_W")" "$(printf 'tm\t%s' "$score")" "fuzzy=fill: origin tm, the same score"
expect_eq "$($J word.jsonl field "$NEW_W" messages | python3 -c '
import json, sys
ms = json.load(sys.stdin) or []
print(sum(1 for m in ms if m.get("code") == "tm_fuzzy" and sys.argv[1].split(".")[0] in m.get("text", "")))' "$score")" \
  1 "fuzzy=fill: one tm_fuzzy warning with the score in its text"
# fill does not teach the memory a fuzzy guess, even with learn=yes: the segment is not ok.
run word "learn=yes,fuzzy=fill"
expect_status 0 "tm export after fuzzy=fill" -- "$XLATE" tm export --db tm.db --format tsv -o after-fill.tsv
expect_not_in after-fill.tsv "$NEW_W" "a filled fuzzy match (status warning) is not learned"

# Only what ended the chain ok is learned (ABI 1.4 segment_status): a translation another plugin
# warned about, or failed, is not. testusage translates "[net] SOURCE" and marks on words.
printf 'Перше речення тут.\nДруге речення з попередженням.\nТретє речення з помилкою.\n' >status.txt
expect_status 1 "learning beside warnings and failures" -- "$XLATE" run --plugin-path "$PLUGIN_DIR" \
  --plugin "tm:db=$TMP/status.db,learn=yes" --plugin "testusage:warn_word=попередженням,fail_word=помилкою" \
  -o status.tsv status.txt
expect_status 0 "tm export of the memory" -- "$XLATE" tm export --db status.db --format tsv -o status-mem.tsv
expect_in status-mem.tsv "[net] Перше речення тут." "an ok translation is learned"
expect_not_in status-mem.tsv "попередженням" "a warned translation is not learned"
expect_not_in status-mem.tsv "помилкою" "a failed translation is not learned"

# --- usage -------------------------------------------------------------------------------------
expect_status 2 "tm without db" -- "$XLATE" run --plugin tm article.txt
expect_in "$TMP/err" "db" "tm without db= names the option"
finish
