#!/usr/bin/env bash
# The apertium plugin through `xlate run`: English→Spanish with the glossary's terms carried
# through the engine, Ukrainian→Russian where the installed pair's tagger crashes on many
# sentences (failed segments keep their source and Apertium's message, the others are
# translated), a pipeline stage killed with SIGKILL in mid-run, and a stage that hangs.
. "$SRC_ROOT/tests/cli/lib.sh"
# meson test sets MALLOC_PERTURB_, which the engines inherit: with it, the ukr-rus tagger's bad
# reads hang instead of crashing (the hang path is tested below on its own).
unset MALLOC_PERTURB_
HERE=$SRC_ROOT/tests/translators
EN=$SRC_ROOT/samples/oboz/oboz-stoltenberg.en.txt
UK=$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt
TERMS=$SRC_ROOT/samples/en-es-terms.tsv
check() { checks=$((checks + 1)); "$@" || fail "$HERE/check_jsonl.py ${*:2}"; }

# --- pairs come from the installed mode files
expect_status 0 "xlate plugins" -- "$XLATE" plugins
expect_in "$TMP/out" "en→es" "apertium declares the installed eng-spa pair"
expect_in "$TMP/out" "uk→ru" "apertium declares the installed ukr-rus pair"

# --- English→Spanish, glossary terms through Apertium's superblanks
expect_status 0 "en→es with glossary" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin apertium --from en --to es --format jsonl -o "$TMP/en-es.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" terms "$TMP/en-es.jsonl" "$TERMS"
expect_in "$TMP/en-es.jsonl" "región de Járkov" "Kharkiv region comes out as región de Járkov"
expect_in "$TMP/en-es.jsonl" '"target":"OTAN"' "NATO is recorded with its target OTAN"
expect_in "$TMP/en-es.jsonl" "el uso de las armas" "the text around the terms is Spanish"
# pair= names the pair whatever --from/--to say; the same translation comes out
expect_status 0 "pair=eng-spa" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin apertium:pair=eng-spa --from en --to es --format jsonl -o "$TMP/pair.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" same "$TMP/en-es.jsonl" "$TMP/pair.jsonl"

# --- a pair that is not installed: a run error naming what is installed
expect_status 1 "pair not installed" -- "$XLATE" run --plugin apertium --from en --to fr "$EN"
expect_in "$TMP/err" "eng-fra is not installed" "missing pair is named"
expect_in "$TMP/err" "eng-spa" "the message lists the installed pairs"

# --- Ukrainian→Russian: the tagger of apertium-rus-ukr crashes on many sentences
# the first three sentences: the tagger crashes on two, takes the third
head -c 374 "$UK" > "$TMP/uk.txt"
expect_status 1 "uk→ru with crashing tagger" -- "$XLATE" run --plugin apertium --from uk --to ru \
  --format jsonl -o "$TMP/uk-ru.jsonl" "$TMP/uk.txt"
expect_in "$TMP/err" "failed" "the run says segments failed"
check python3 "$HERE/check_jsonl.py" failed "$TMP/uk-ru.jsonl" "apertium-tagger"
expect_in "$TMP/uk-ru.jsonl" "Источник: пресслужба НАТО" "a sentence the tagger takes is translated"
expect_in "$TMP/uk-ru.jsonl" '"status":"failed"' "a sentence the tagger crashes on is failed"
expect_status 0 "uk segments without a translator" -- "$XLATE" run --from uk --to ru --format jsonl \
  -o "$TMP/uk-none.jsonl" "$TMP/uk.txt"
expect_eq "$(wc -l < "$TMP/uk-ru.jsonl")" "$(wc -l < "$TMP/uk-none.jsonl")" "no segment is lost"

# --- SIGKILL of a pipeline stage in mid-run: the run goes on and loses nothing
# The eng-spa pipeline with a gate stage last (gate_stage.py): the gate holds the unit that
# carries XGATEX, in the middle of the document, and says so in a file. Only then is a stage
# killed, so the kill lands mid-run however fast the machine is; the gate opens after the kill.
mkdir -p "$TMP/gate-modes" "$TMP/gate-ref" "$TMP/gate"
printf "%s | '%s' '%s'\n" "$(cat /usr/share/apertium/modes/eng-spa.mode)" "$HERE/gate_stage.py" \
  "$TMP/gate" > "$TMP/gate-modes/eng-gat.mode"
sed "s|$TMP/gate'|$TMP/gate-ref'|" "$TMP/gate-modes/eng-gat.mode" > "$TMP/gate-modes/eng-ref.mode"
touch "$TMP/gate-ref/open"
{ for i in $(seq 1 10); do cat "$EN"; echo; done
  printf 'The gate sentence XGATEX stays here.\n\n'
  for i in $(seq 1 10); do cat "$EN"; echo; done; } > "$TMP/long.txt"
expect_status 0 "uninterrupted long run" -- "$XLATE" run \
  --plugin "apertium:pair=eng-ref,modes=$TMP/gate-modes" --from en --to es --format jsonl \
  -o "$TMP/long-ref.jsonl" "$TMP/long.txt"
"$XLATE" run --plugin "apertium:pair=eng-gat,modes=$TMP/gate-modes" --from en --to es \
  --format jsonl -o "$TMP/long-killed.jsonl" "$TMP/long.txt" 2>"$TMP/killed.err" &
run_pid=$!
# Bounded only so that a broken build cannot wait for ever: the gate's file is the evidence.
for i in $(seq 1 2400); do
  [ -e "$TMP/gate/reached" ] || ! kill -0 "$run_pid" 2>/dev/null && break
  sleep 0.05
done
victim=$(pgrep -P "$run_pid" -f 'apertium-transfer -z -b' | head -1)
checks=$((checks + 1))
if [ -e "$TMP/gate/reached" ] && [ -n "$victim" ] && kill -0 "$run_pid" 2>/dev/null; then
  kill -9 "$victim"
else
  fail "the run did not reach the gate with its pipeline running (reached: $(ls "$TMP/gate"))"
fi
touch "$TMP/gate/open"
wait "$run_pid"
expect_eq "$?" 0 "the run survives kill -9 of a pipeline stage"
check python3 "$HERE/check_jsonl.py" same "$TMP/long-ref.jsonl" "$TMP/long-killed.jsonl"
expect_in "$TMP/long-killed.jsonl" "XGATEX" "the held segment is in the output"

# --- a stage that hangs: the segment fails after the timeout, the others go through
mkdir -p "$TMP/modes"
printf "'%s'\n" "$HERE/hang_stage.py" > "$TMP/modes/eng-xxx.mode"
printf 'First sentence here.\n\nThis one will HANG the engine.\n\nThird sentence here.\n' > "$TMP/hang.txt"
expect_status 1 "hanging stage" -- "$XLATE" run --plugin "apertium:pair=eng-xxx,modes=$TMP/modes,timeout=2" \
  --from en --to es --format jsonl -o "$TMP/hang.jsonl" "$TMP/hang.txt"
check python3 "$HERE/check_jsonl.py" failed "$TMP/hang.jsonl" "no answer from the engine within 2 s"
expect_eq "$(python3 "$HERE/check_jsonl.py" count "$TMP/hang.jsonl" ok)" 2 "the other two segments went through"
expect_in "$TMP/hang.jsonl" '"target":"Third sentence here."' "the pipeline restarted after the hang"

finish
