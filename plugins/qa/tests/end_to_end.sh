#!/usr/bin/env bash
# The qa plugin through `xlate run`: a stand-in engine (e2e-engine.py through the exec plugin)
# translates e2e.en.txt with one fault a segment, and qa, named first in the chain, runs after it
# and warns on each with its code (JSONL "messages", plugin "qa"); TSV shows the warnings with the
# plugin's name. Options turn checks off (numbers=no, skip=, checks=); terms=MAP adds the map's
# forbidden terms; a name that is no check, or a length tolerance that cannot be one, is a usage
# error.
. "$SRC_ROOT/tests/cli/lib.sh"
HERE=$SRC_ROOT/plugins/qa/tests
IN=$HERE/e2e.en.txt
ENGINE="exec:cmd=python3 -u $HERE/e2e-engine.py $HERE/e2e-table.tsv"
GLOSSARY="glossary:file=$HERE/e2e-terms.en-uk.tsv"
check() { checks=$((checks + 1)); "$@" > "$TMP/check.out" || { fail "check_messages ${*:3}"; sed 's/^/    /' "$TMP/check.out" >&2; }; }

run_qa() { # run_qa QA_SPEC OUT [FORMAT]: qa first, then the glossary and the engine
  "$XLATE" run --plugin "$1" --plugin "$GLOSSARY" --plugin "$ENGINE" --from en --to uk \
    --format "${3:-jsonl}" -o "$2" "$IN"
}

expect_status 0 "qa after the engine" -- run_qa qa "$TMP/qa.jsonl"
check python3 "$HERE/check_messages.py" "$TMP/qa.jsonl" "$HERE/e2e.expected"
expect_in "$TMP/qa.jsonl" '"plugin":"qa","level":"warning","code":"numbers","text":"number “12” missing from the target, which has “21” instead"' "the numbers warning names both numbers"

# named last, the same warnings in the same place
expect_status 0 "qa named last" -- "$XLATE" run --plugin "$GLOSSARY" --plugin "$ENGINE" \
  --plugin qa --from en --to uk --format jsonl -o "$TMP/last.jsonl" "$IN"
expect_eq "$(cmp -s "$TMP/qa.jsonl" "$TMP/last.jsonl" && echo same)" same "qa's place in the chain"

expect_status 0 "TSV" -- run_qa qa "$TMP/qa.tsv" tsv
expect_in "$TMP/qa.tsv" $'warning\tqa: the source ends with a question mark, the target with a full stop' "TSV names the plugin"

# checks switched off
expect_status 0 "numbers=no" -- run_qa qa:numbers=no "$TMP/off.jsonl"
check python3 "$HERE/check_messages.py" "$TMP/off.jsonl" "$HERE/e2e.expected" numbers
expect_status 0 "skip=" -- run_qa 'qa:skip=quotes+mixed-script' "$TMP/skip.jsonl"
check python3 "$HERE/check_messages.py" "$TMP/skip.jsonl" "$HERE/e2e.expected" quotes,mixed-script
expect_status 0 "checks=" -- run_qa 'qa:checks=numbers\,terms' "$TMP/only.jsonl"
check python3 "$HERE/check_messages.py" "$TMP/only.jsonl" "$HERE/e2e.expected" \
  untranslated,end-punct,emails,quotes,mixed-script,placeholders

# terms=: the map's forbidden target terms
expect_status 0 "terms=" -- run_qa "qa:terms=$HERE/e2e-terms.en-uk.tsv" "$TMP/forbidden.jsonl"
check python3 "$HERE/check_messages.py" "$TMP/forbidden.jsonl" "$HERE/e2e-forbidden.expected"
expect_in "$TMP/forbidden.jsonl" '"code":"forbidden","text":"forbidden term “блоку” in the target; use “альянс”"' "names the term and what to use"
expect_status 1 "terms= with no such file" -- run_qa "qa:terms=$TMP/none.tsv" "$TMP/bad.jsonl"
expect_in "$TMP/err" "terms=$TMP/none.tsv" "names the map"

# bad options: usage errors that say what is wrong
expect_status 2 "checks= with no such check" -- run_qa qa:checks=nums "$TMP/bad.jsonl"
expect_in "$TMP/err" "checks=nums: 'nums' is no check; the checks are numbers" "names the bad check"
expect_status 2 "length-tolerance below 1" -- run_qa qa:length-tolerance=0.5 "$TMP/bad.jsonl"
expect_in "$TMP/err" "length-tolerance=0.5: give a factor above 1" "says what to give"

finish
