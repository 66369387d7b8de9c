#!/usr/bin/env bash
# The exec plugin through `xlate run`: Apertium's eng-spa pipeline as a null-flush engine
# (protocol=nul, format=apertium) gives the same Spanish as the apertium plugin, glossary terms
# included; a line-oriented engine (protocol=lines) gets escaped lines; an engine that crashes or
# hangs on one segment fails that segment only; an engine that cannot start fails its segments;
# a placeholder the engine drops or doubles marks the segment "warning"; after a translation
# memory (the testmemory test plugin) the engine gets only what the memory did not know, unless
# force=yes, and the memory's batch_done sees the engine's targets.
. "$SRC_ROOT/tests/cli/lib.sh"
HERE=$SRC_ROOT/tests/translators
EN=$SRC_ROOT/samples/oboz/oboz-stoltenberg.en.txt
TERMS=$SRC_ROOT/samples/en-es-terms.tsv
check() { checks=$((checks + 1)); "$@" || fail "$HERE/check_jsonl.py ${*:2}"; }

# --- the eng-spa pair's own pipeline (its mode file, each stage with -z, as APy runs it) as the
# engine: format=apertium writes Apertium's stream format as the apertium plugin does, so without
# a glossary the Spanish must be the apertium plugin's, word for word; with one, the terms travel
# as superblanks and come back as their targets. (`apertium -z -f none eng-spa` holds back the
# last unit of each batch in this Apertium version: its gawk stage reads ahead.)
mode=$(sed -e 's/\$2//; s/\$1/-n/' /usr/share/apertium/modes/eng-spa.mode)
engine=$(printf '%s' "$mode" | sed -E 's/(^|\| *)([^ |]+)/\1\2 -z/g')
expect_status 0 "exec apertium with glossary" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin "exec:cmd=$engine,protocol=nul,format=apertium" \
  --from en --to es --format jsonl -o "$TMP/exec.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" terms "$TMP/exec.jsonl" "$TERMS"
expect_status 0 "exec apertium" -- "$XLATE" run --plugin "exec:cmd=$engine,protocol=nul,format=apertium" \
  --from en --to es --format jsonl -o "$TMP/exec-alone.jsonl" "$EN"
expect_status 0 "apertium" -- "$XLATE" run --plugin apertium --from en --to es --format jsonl \
  -o "$TMP/apertium.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" same "$TMP/apertium.jsonl" "$TMP/exec-alone.jsonl"

# --- protocol=lines: one segment a line; a backslash travels escaped and comes back as it was
printf 'Path C:\\temp\\new is here.\n\nsecond line\n' > "$TMP/lines.txt"
expect_status 0 "exec lines" -- "$XLATE" run --plugin "exec:cmd=sed -u -e s/^/T:/" \
  --from en --to es --format jsonl -o "$TMP/lines.jsonl" "$TMP/lines.txt"
expect_in "$TMP/lines.jsonl" '"target":"T:Path C:\\temp\\new is here."' "backslashes survive the lines protocol"
expect_in "$TMP/lines.jsonl" '"target":"T:second line"' "each segment gets its own answer"

# --- an engine that drops or doubles a glossary placeholder: the segment is marked "warning"
printf 'NATO met in Kyiv today.\n\nNo terms here.\n' > "$TMP/terms.txt"
expect_status 0 "engine drops a placeholder" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin "exec:cmd=sed -u -e 's/\[XT0\]//'" --from en --to es --format jsonl -o "$TMP/drop.jsonl" "$TMP/terms.txt"
expect_in "$TMP/drop.jsonl" '"status":"warning","message":"term '"'"'NATO'"'"' → '"'"'OTAN'"'"' was lost' "a lost term is a warning"
expect_in "$TMP/err" "was lost by the translator" "the lost term is reported"
expect_status 0 "engine doubles a placeholder" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin "exec:cmd=sed -u -e 's/\[XT1\]/&&/'" --from en --to es --format jsonl -o "$TMP/dup.jsonl" "$TMP/terms.txt"
expect_in "$TMP/dup.jsonl" "was duplicated by the translator" "a doubled term is a warning"
expect_in "$TMP/dup.jsonl" '"target":"No terms here.","status":"ok"' "a segment without terms is untouched"

# --- a crash and a hang on one segment each: those fail, the others are translated
printf 'alpha one.\n\nbeta CRASH two.\n\ngamma three.\n\ndelta HANG four.\n\nepsilon five.\n' > "$TMP/bad.txt"
awk_engine='awk '\''/CRASH/ { exit 3 } /HANG/ { system("sleep 60") } { print toupper($0); fflush() }'\'
expect_status 1 "engine crash and hang" -- "$XLATE" run --plugin "exec:cmd=$awk_engine,timeout=15" \
  --from en --to es --format jsonl -o "$TMP/bad.jsonl" "$TMP/bad.txt"
expect_eq "$(python3 "$HERE/check_jsonl.py" count "$TMP/bad.jsonl" ok)" 3 "three segments translated"
expect_eq "$(python3 "$HERE/check_jsonl.py" count "$TMP/bad.jsonl" failed)" 2 "two segments failed"
expect_in "$TMP/bad.jsonl" "exited with status 3" "the crash is reported with the engine's exit status"
expect_in "$TMP/bad.jsonl" "no answer from the engine within 15 s" "the hang is reported with the timeout"
expect_in "$TMP/bad.jsonl" '"target":"EPSILON FIVE."' "the engine was restarted after the hang"

# --- an engine that cannot run: every segment fails with the shell's message
expect_status 1 "engine not found" -- "$XLATE" run --plugin "exec:cmd=no-such-engine-xyz" \
  --from en --to es --format jsonl -o "$TMP/missing.jsonl" "$TMP/lines.txt"
check python3 "$HERE/check_jsonl.py" failed "$TMP/missing.jsonl" "no-such-engine-xyz: not found"

# --- option errors are usage errors... or run errors from create, with the reason
expect_status 2 "bad protocol" -- "$XLATE" run --plugin "exec:cmd=cat,protocol=json" "$TMP/lines.txt"
expect_in "$TMP/err" "protocol=json is not known" "bad protocol is named"
expect_status 2 "bad placeholder" -- "$XLATE" run --plugin "exec:cmd=cat,placeholder=[%s]" "$TMP/lines.txt"
expect_in "$TMP/err" "exactly one %u" "bad placeholder is explained"

# --- after a translation memory: segments it filled are left alone (the engine never sees them)
# unless force=yes; the memory's batch_done sees the final targets, the engine's included.
TP=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins}
printf 'TM: known sentence.\n\nA new sentence.\n\nTM: another known one.\n' > "$TMP/tm.txt"
counting_engine="awk -v F=$TMP/calls '{ print >> F; close(F); print toupper(\$0); fflush() }'"
: > "$TMP/calls"
expect_status 0 "exec after a memory" -- "$XLATE" run --plugin "$TP/testmemory.so:log=$TMP/tm.log" \
  --plugin "exec:cmd=$counting_engine" --from en --to es --format jsonl -o "$TMP/tm.jsonl" "$TMP/tm.txt"
expect_eq "$(cat "$TMP/calls")" "A new sentence." "the engine got only the segment the memory did not know"
expect_in "$TMP/tm.jsonl" '"target":"MEM known sentence.","status":"ok","terms":[],"origin":"testmemory","score":100,"match_source":"TM: known sentence.","candidates":[{"plugin":"testmemory","score":80,' \
  "a memory's target keeps its origin"
expect_in "$TMP/tm.jsonl" '"target":"A NEW SENTENCE.","status":"ok","terms":[]}' "the engine's target has no origin"
expect_in "$TMP/tm.log" "batch $TMP/tm.txt 2 active -1 A NEW SENTENCE." "batch_done sees the engine's target"
expect_in "$TMP/tm.log" "batch $TMP/tm.txt 3 active 100 MEM another known one." "batch_done sees the memory's target"
expect_eq "$(grep -c '^document ' "$TMP/tm.log")" 1 "document_done once for the document"

: > "$TMP/calls"
expect_status 0 "exec after a memory, force=yes" -- "$XLATE" run --plugin "$TP/testmemory.so" \
  --plugin "exec:cmd=$counting_engine,force=yes" --from en --to es --format jsonl -o "$TMP/force.jsonl" "$TMP/tm.txt"
expect_eq "$(wc -l < "$TMP/calls")" 3 "force=yes: the engine got every segment"
expect_in "$TMP/force.jsonl" '"target":"TM: KNOWN SENTENCE.","status":"ok","terms":[],"candidates":[{"plugin":"testmemory","score":100,' \
  "force=yes: the engine's target, the memory's matches only candidates"
expect_not_in "$TMP/force.jsonl" '"origin"' "force=yes: no target came from the memory"
expect_status 2 "force=maybe" -- "$XLATE" run --plugin "exec:cmd=cat,force=maybe" "$TMP/tm.txt"

finish
