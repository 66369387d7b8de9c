#!/usr/bin/env bash
# A learning batch killed with SIGKILL in the middle: the memory's database opens and passes
# PRAGMA integrity_check, and `xlate batch --resume` finishes with every document in the output
# once, the outputs those of an uninterrupted batch, and each unit in the memory once.
#
# The middle is found by evidence, not by a clock: the engine (tests/tm/engine.py) stops answering
# at the first sentence of document 20, so that document stands still while the others finish:
# the twenty before it learned and journaled, those after it learned but not journaled (the journal
# keeps the input's order), document 20 half translated, until the batch is killed.
. "$SRC_ROOT/tests/cli/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
# The engine's timeout is long, so that a held engine stalls the batch rather than failing its
# documents before the kill lands (the option is the same in every run, as --resume requires).
ENGINE="exec:cmd=python3 -u $SRC_ROOT/tests/tm/engine.py,timeout=600"
NDOCS=40
cd "$TMP" || exit 1
python3 "$SRC_ROOT/tests/tm/docs.py" docs $NDOCS
# 40 documents of 5 sentences of their own and one shared line.
UNITS=$((NDOCS * 5 + 1))

batch() { # DB OUTPUT [ARGS...]
  local db=$1 out=$2; shift 2
  "$XLATE" batch -j 2 --from uk --to en --format tsv \
    --plugin "tm:db=$TMP/$db,learn=yes" --plugin "$ENGINE" "$@" docs -o "$out"
}
# Counted without a process started, so that the wait below is quick on a loaded machine.
lines_of() { local l=(); [ -f "$1" ] && mapfile -t l < "$1"; echo ${#l[@]}; }
export_units() { "$XLATE" tm export --db "$1" --from uk --to en --format tsv -o "$2" && tail -n +2 "$2" | LC_ALL=C sort; }

# --- the uninterrupted batch, for comparison ---------------------------------------------------
export TM_ENGINE_LOG=$TMP/calls-ref
expect_status 0 "uninterrupted learning batch" -- batch ref.db out-ref
ref_units=$(export_units ref.db ref.tsv)
expect_eq "$(printf '%s\n' "$ref_units" | wc -l)" $UNITS "uninterrupted: every unit learned once"

# --- killed in the middle ------------------------------------------------------------------
HOLD_AT=$(sed -n '1s/\([.]\) .*/\1/p' docs/news-020.txt)
export TM_ENGINE_LOG=$TMP/calls-k9 TM_ENGINE_HOLD_AT=$HOLD_AT
: > calls-k9
# Started as xlate itself, not through a function (a subshell), so that $! is xlate's id.
"$XLATE" batch -j 2 --from uk --to en --format tsv \
  --plugin "tm:db=$TMP/k9.db,learn=yes" --plugin "$ENGINE" docs -o out-k9 2> k9.err &
pid=$!
# The engine holds at document 20; the twenty before it are journaled. Both pieces of evidence,
# then the kill.
journal=out-k9/.xlate-state/all/journal
for _ in $(seq 1 12000); do
  [ -e calls-k9.held ] && [ "$(lines_of $journal)" -ge 20 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.01
done
checks=$((checks + 1)); kill -0 $pid 2>/dev/null || fail "the batch ended before it was killed: $(cat k9.err)"
kill -KILL $pid
wait $pid 2>/dev/null
unset TM_ENGINE_HOLD_AT
done_k9=$(find out-k9 -name '*.uk-en.tsv' | wc -l)
checks=$((checks + 1)); [ "$done_k9" -ge 3 ] && [ "$done_k9" -lt $NDOCS ] && [ ! -e out-k9/report.json ] \
  || fail "the kill did not land mid-batch ($done_k9 of $NDOCS documents done)"

# --- the database after the kill -----------------------------------------------------------------
expect_status 0 "sqlite3 opens the database" -- sqlite3 k9.db 'PRAGMA integrity_check'
expect_eq "$(cat "$TMP/out")" "ok" "PRAGMA integrity_check says ok"
expect_status 0 "tm stats opens the database" -- "$XLATE" tm stats --db k9.db
learned=$(export_units k9.db k9-before.tsv | wc -l)
checks=$((checks + 1)); [ "$learned" -gt 0 ] && [ "$learned" -lt $UNITS ] \
  || fail "the kill did not land mid-learning ($learned of $UNITS units learned)"
expect_eq "$(tail -n +2 k9-before.tsv | LC_ALL=C sort -u | wc -l)" "$learned" "after the kill: no unit twice"
# Every unit a journaled document learned is in the memory: a document is done only once learned.
checks=$((checks + 1)); grep -qvP '^\S+\tok\t' $journal && fail "a document failed before the kill: $(cat $journal)"
journaled_missing=$(for f in $(cut -f1 $journal | sed 's/\.rec$/.tsv/'); do tail -n +2 "out-k9/$f" | cut -f2; done \
  | LC_ALL=C sort -u | LC_ALL=C comm -23 - <(tail -n +2 k9-before.tsv | cut -f1 | LC_ALL=C sort -u))
expect_eq "$journaled_missing" "" "the finished documents' units are in the memory"

# --- resume ----------------------------------------------------------------------------------
expect_status 0 "resume after kill -9" -- batch k9.db out-k9 --resume
expect_in "$TMP/err" "resumed" "the summary counts resumed documents"
checks=$((checks + 1)); grep -q ' 0 resumed' "$TMP/err" && fail "resume did nothing"
expect_eq "$(find out-k9 -name '*.uk-en.tsv' | wc -l)" $NDOCS "every document in the output"
expect_status 0 "resumed outputs = uninterrupted outputs" -- diff -r -x report.json -x .xlate-state out-ref out-k9
expect_status 0 "integrity after the resume" -- sqlite3 k9.db 'PRAGMA integrity_check'
expect_eq "$(cat "$TMP/out")" "ok" "PRAGMA integrity_check says ok after the resume"
expect_eq "$(export_units k9.db k9-after.tsv)" "$ref_units" "the memory holds each unit once, as the uninterrupted one"
# The same asked of the database itself (the store's schema: plugins/tm/tm_store.c).
expect_status 0 "count the stored units" -- sqlite3 k9.db \
  "SELECT count(*), count(DISTINCT pair || char(9) || source) FROM tm_unit"
expect_eq "$(cat "$TMP/out")" "$UNITS|$UNITS" "the database holds $UNITS units, no source twice"
# The resumed run asked the engine only for what the memory did not know.
expect_eq "$(cut -f2 calls-k9 | LC_ALL=C sort | uniq -d | grep -vxF 'Підписуйтеся на наш канал у Telegram, щоб першими дізнаватися головні новини.' \
  | LC_ALL=C comm -12 - <(tail -n +2 k9-before.tsv | cut -f1 | LC_ALL=C sort -u))" "" \
  "resume: no sentence the memory held went to the engine again"
finish
