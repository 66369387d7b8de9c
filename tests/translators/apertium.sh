#!/usr/bin/env bash
# The apertium plugin through `xlate run`: English→Spanish with the glossary's terms carried
# through the engine, a term translated in its sentence, every printable ASCII character (the
# stream format's reserved ones among them), Ukrainian→Russian where the installed pair's tagger
# crashes on many sentences (failed segments keep their source and Apertium's message, the others
# are translated), a pipeline stage killed with SIGKILL in mid-run, a stage that hangs, and terms
# through a pipeline that cannot carry word-bound blanks.
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

# --- a term inside a sentence goes to Apertium as its words in a word-bound blank: the engine
# translates the sentence as it does without the glossary (the year and the dash stay where they
# were, "ministros de defensa"), and the term comes back as the glossary's OTAN
printf 'Brussels, 24 May 2024 - NATO defence ministers met today.\n' > "$TMP/brussels.txt"
expect_status 0 "term in its sentence" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin apertium:pair=eng-spa --from en --to es --format jsonl -o "$TMP/brussels.jsonl" "$TMP/brussels.txt"
check python3 "$HERE/check_jsonl.py" terms "$TMP/brussels.jsonl" "$TERMS"
expect_in "$TMP/brussels.jsonl" '24 mayo 2024 - ' "the year and the dash stay in place"
expect_in "$TMP/brussels.jsonl" 'ministros de defensa' "the words around the term are translated as one phrase"
expect_in "$TMP/brussels.jsonl" 'de la OTAN' "the term is the glossary's, with the preposition Apertium gives it"
expect_status 0 "the same sentence without the glossary" -- "$XLATE" run --plugin apertium:pair=eng-spa \
  --from en --to es --format jsonl -o "$TMP/brussels-alone.jsonl" "$TMP/brussels.txt"
lower_target() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["target"].lower())' "$1"; }
expect_eq "$(lower_target "$TMP/brussels.jsonl")" "$(lower_target "$TMP/brussels-alone.jsonl")" \
  "the term changes nothing else in the sentence (Apertium alone writes DE LA OTAN)"

# --- every printable ASCII character alone, doubled and inside a sentence, in one run, with the
# issue's examples: each segment comes back translated, with the characters Apertium's stream
# format reserves (and '~', the post-generator's mark) as they were. timeout=10 is a limit, not a
# speed test (the first answer waits for the engine to start, slow on a busy machine): a segment
# the engine never answers fails instead of holding the run for 30 s.
python3 -c '
for c in map(chr, range(33, 127)):
    print(c + "\n\n" + c + c + "\n\nThe " + c + " sign is here.\n")
print("^string1^string2^\n\n= += -= *= /= %= ^=")' > "$TMP/ascii.txt"
expect_status 0 "every ASCII character" -- "$XLATE" run --plugin apertium:pair=eng-spa,timeout=10 \
  --from en --to es --format jsonl -o "$TMP/ascii.jsonl" "$TMP/ascii.txt"
check python3 "$HERE/check_jsonl.py" chars "$TMP/ascii.jsonl" '\[]^$/@<>{}~'
expect_status 0 "ASCII segments without a translator" -- "$XLATE" run --from en --to es --format jsonl \
  -o "$TMP/ascii-none.jsonl" "$TMP/ascii.txt"
expect_eq "$(wc -l < "$TMP/ascii.jsonl")" "$(wc -l < "$TMP/ascii-none.jsonl")" "no ASCII segment is lost"
expect_in "$TMP/ascii.jsonl" '"target":"^string1^string2^"' "carets come back as they were"
expect_in "$TMP/ascii.jsonl" '"target":"= += -= *= /= %= ^="' "operators come back as they were"

# --- a pair that is not installed: the host refuses the run (usage error) and lists the pairs
# the plugin finds installed (its enumerate_pairs); with pair= the plugin says it itself
expect_status 2 "pair not installed" -- "$XLATE" run --plugin apertium --from en --to fr "$EN"
expect_in "$TMP/err" "no translator in the chain serves en → fr" "missing pair is named"
expect_in "$TMP/err" "en→es" "the message lists the installed pairs"
expect_status 1 "pair= not installed" -- "$XLATE" run --plugin apertium:pair=eng-fra --from en --to es "$EN"
expect_in "$TMP/err" "eng-fra is not installed" "the plugin names the missing pair"
expect_in "$TMP/err" "eng-spa" "and lists the installed ones"

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

# --- a stage that hangs: the segment fails after the timeout, the others go through. The timeout
# is far above the honest time of the other segments (a Python stage starting under a sanitizer on a
# loaded machine took over 2 s), and a hang waits it out whatever it is.
mkdir -p "$TMP/modes"
printf "'%s'\n" "$HERE/hang_stage.py" > "$TMP/modes/eng-xxx.mode"
printf 'First sentence here.\n\nThis one will HANG the engine.\n\nThird sentence here.\n' > "$TMP/hang.txt"
expect_status 1 "hanging stage" -- "$XLATE" run --plugin "apertium:pair=eng-xxx,modes=$TMP/modes,timeout=15" \
  --from en --to es --format jsonl -o "$TMP/hang.jsonl" "$TMP/hang.txt"
check python3 "$HERE/check_jsonl.py" failed "$TMP/hang.jsonl" "no answer from the engine within 15 s"
expect_eq "$(python3 "$HERE/check_jsonl.py" count "$TMP/hang.jsonl" ok)" 2 "the other two segments went through"
expect_in "$TMP/hang.jsonl" '"target":"Third sentence here."' "the pipeline restarted after the hang"

# --- a pipeline without an analyser and a generator (here the identity stage) gets no word-bound
# blank helpers: terms travel as superblanks and still come back as their targets
printf "'%s'\n" "$HERE/hang_stage.py" > "$TMP/modes/eng-yyy.mode"
printf 'NATO met in Kyiv today.\n' > "$TMP/identity.txt"
expect_status 0 "terms through superblanks" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin "apertium:pair=eng-yyy,modes=$TMP/modes" --from en --to es --format jsonl \
  -o "$TMP/identity.jsonl" "$TMP/identity.txt"
expect_in "$TMP/identity.jsonl" '"target":"OTAN met in Kiev today.","status":"ok"' "terms placed through superblanks"

# --- a modes folder of one's own serves pairs the installed ones do not: the host leaves the
# judgement to the plugin once it is given options, so en→fr runs through a private eng-fra mode
printf "'%s'\n" "$HERE/hang_stage.py" > "$TMP/modes/eng-fra.mode"
printf 'Bonjour from a private mode.\n' > "$TMP/private.txt"
expect_status 0 "a private modes folder" -- "$XLATE" run --plugin "apertium:modes=$TMP/modes" \
  --from en --to fr --format jsonl -o "$TMP/private.jsonl" "$TMP/private.txt"
expect_in "$TMP/private.jsonl" '"target":"Bonjour from a private mode.","status":"ok"' "the private mode translated"

finish
