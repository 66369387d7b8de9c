#!/usr/bin/env bash
# What a run is told to do, checked before it starts: --from/--to as BCP 47 tags in every command
# that takes them, a term map made for other languages, a chain with no translator, the repository
# paths --help shows, and the words a boolean plugin option (the glossary's stem=) takes.
. "$(dirname "$0")/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}

printf 'NATO defence ministers met in Brussels today.\n' > "$TMP/en.txt"
printf 'Столтенберг прибув до Харківської області.\n' > "$TMP/uk.txt"
mkdir -p "$TMP/in"
for i in 1 2 3 4 5 6; do printf 'NATO ministers met on day %s.\n' "$i" > "$TMP/in/$i.txt"; done

# --- --from/--to: real tags pass, in their canonical form; anything else is a usage error ---------
for tag in uk en en-GB pt-BR zh-Hant sr-Latn es-419 haw; do
  expect_status 0 "run --from $tag" -- "$XLATE" run --from "$tag" --to "$tag" "$TMP/en.txt"
  expect_status 0 "segment --from $tag" -- "$XLATE" segment --from "$tag" "$TMP/en.txt"
done
expect_status 0 "run --from EN-gb" -- "$XLATE" run --from EN-gb --to ukr --format tmx "$TMP/en.txt"
expect_in "$TMP/out" 'srclang="en-GB"' "the run uses the canonical tag (TMX srclang)"
expect_in "$TMP/out" 'xml:lang="en-GB"' "the canonical tag reaches the segments"
expect_not_in "$TMP/out" 'EN-gb' "the tag as typed does not reach the output"

valid_looks="such as uk, en, en-GB, pt-BR, zh-Hant or sr-Latn"
refuse() {  # refuse WHAT MESSAGE -- COMMAND...: exit 2, MESSAGE on stderr, nothing on stdout
  local what=$1 message=$2; shift 3
  expect_status 2 "$what" -- "$@"
  expect_in "$TMP/err" "$message" "$what: the message"
  expect_eq "$(wc -c < "$TMP/out")" 0 "$what: nothing written"
}
refuse "run --from xx" "--from xx: xx is not an ISO 639 language code; give a BCP 47 language tag" -- \
  "$XLATE" run --from xx "$TMP/en.txt"
expect_in "$TMP/err" "$valid_looks" "run --from xx: what a valid tag looks like"
refuse "run --from english" "--from english: a language's name, not a BCP 47 language tag: write en" -- \
  "$XLATE" run --from english "$TMP/en.txt"
refuse "run --to en_GB" "--to en_GB: subtags are joined with '-' in BCP 47: write en-GB" -- \
  "$XLATE" run --to en_GB "$TMP/en.txt"
refuse "run --to en-XX" "--to en-XX: XX is not a region code" -- "$XLATE" run --to en-XX "$TMP/en.txt"
refuse "run --from ''" "--from : an empty language tag" -- "$XLATE" run --from '' "$TMP/en.txt"
refuse "batch --from xx" "--from xx: xx is not an ISO 639 language code" -- \
  "$XLATE" batch --from xx "$TMP/in" -o "$TMP/never"
checks=$((checks + 1)); [ ! -e "$TMP/never" ] || fail "batch --from xx made its output folder"
refuse "batch --to english" "--to english: a language's name" -- \
  "$XLATE" batch --to english "$TMP/in" -o "$TMP/never"
refuse "segment --from xx" "segment: --from xx: xx is not an ISO 639 language code" -- \
  "$XLATE" segment --from xx "$TMP/en.txt"
expect_in "$TMP/err" "$valid_looks" "segment --from xx: what a valid tag looks like"
refuse "plugin check --to xx" "plugin check: --to xx: xx is not an ISO 639 language code" -- \
  "$XLATE" plugin check --to xx "$PLUGIN_DIR/testtrans.so"

# --- a term map for other languages than the run's: one warning, the run goes on --------------------
other_pair="is for uk→en (its line 5), but this run is en→es"
expect_status 0 "built-in uk→en map in an en→es run" -- \
  "$XLATE" run --from en --to es --plugin glossary "$TMP/en.txt"
expect_in "$TMP/err" "glossary: warning: the term map oboz-uk-en.tsv (built in) $other_pair" \
  "the warning names the map and both pairs"
expect_eq "$(grep -c 'term map' "$TMP/err")" 1 "run: the warning is said once"
expect_status 0 "batch -j 2 with the map for other languages" -- \
  "$XLATE" batch -j 2 --from en --to es --plugin glossary "$TMP/in" -o "$TMP/out-batch"
expect_eq "$(grep -c 'term map' "$TMP/err")" 1 "batch -j 2: the warning is said once, not once a worker"
expect_status 0 "the map's own pair" -- "$XLATE" run --from uk --to en --plugin glossary "$TMP/uk.txt"
expect_not_in "$TMP/err" "term map" "no warning when the languages agree"
expect_status 0 "en-GB→es with an en→es map" -- \
  "$XLATE" run --from en-GB --to es --plugin "glossary:file=$SRC_ROOT/samples/en-es-terms.tsv" "$TMP/en.txt"
expect_not_in "$TMP/err" "term map" "a map for en serves en-GB"
expect_in "$TMP/out" "OTAN" "the en→es map is used"
grep -v '^# languages:' "$SRC_ROOT/samples/en-es-terms.tsv" > "$TMP/terms.en-fr.tsv"
expect_status 0 "a map named for en→fr in an en→es run" -- \
  "$XLATE" run --from en --to es --plugin "glossary:file=$TMP/terms.en-fr.tsv" "$TMP/en.txt"
expect_in "$TMP/err" "the term map $TMP/terms.en-fr.tsv is for en→fr (by its file name), but this run is en→es" \
  "the file name gives the map's languages"
{ printf '# languages: en\n'; cat "$TMP/terms.en-fr.tsv"; } > "$TMP/half.tsv"
expect_status 1 "a languages line with one language" -- \
  "$XLATE" run --from en --to es --plugin "glossary:file=$TMP/half.tsv" "$TMP/en.txt"
expect_in "$TMP/err" "$TMP/half.tsv:1: the languages line needs a source and a target" \
  "a bad languages line is named by file and line"

# --- a chain with no translator says once what its targets are -------------------------------------
note="xlate: no translator in the chain"
expect_status 0 "no plugin" -- "$XLATE" run --format jsonl "$TMP/en.txt" "$TMP/en.txt"
expect_in "$TMP/err" "$note: the targets are empty (JSONL null, no target in TMX)" "no plugin: the note"
expect_eq "$(grep -c "$note" "$TMP/err")" 1 "no plugin: said once for two documents"
expect_in "$TMP/out" '"target":null' "no plugin: the targets are indeed null"
expect_status 0 "glossary only" -- "$XLATE" run --plugin glossary "$TMP/uk.txt"
expect_in "$TMP/err" "$note: the targets are the sources with the glossary's terms in place" \
  "glossary only: the note"
expect_in "$TMP/out" "Stoltenberg" "glossary only: the target is the source with the term in place"
expect_in "$TMP/out" "прибув до" "glossary only: the rest of the target is the source"
expect_status 0 "with a translator" -- "$XLATE" run --plugin-path "$PLUGIN_DIR" --plugin testtrans "$TMP/en.txt"
expect_not_in "$TMP/err" "$note" "a chain with a translator says nothing"
expect_status 0 "batch, progress json" -- "$XLATE" batch --progress json "$TMP/in" -o "$TMP/out-json"
expect_not_in "$TMP/err" "$note" "no plain line among the JSON progress events"
expect_status 0 "batch -q" -- "$XLATE" batch -q "$TMP/in" -o "$TMP/out-quiet"
expect_eq "$(wc -c < "$TMP/err")" 0 "batch -q: nothing on stderr"

# --- every repository path a --help shows exists ---------------------------------------------------
: > "$TMP/help.txt"
for cmd in "" run batch detect normalize segment plugins plugin; do
  "$XLATE" $cmd --help >> "$TMP/help.txt" 2>&1
done
"$XLATE" plugins >> "$TMP/help.txt" 2>/dev/null
grep -oE "(^|[ (\`'\"])(samples|docs|core|plugins|tests|scripts|bench|include)/[A-Za-z0-9_./-]*[A-Za-z0-9_]" \
  "$TMP/help.txt" | sed -E "s/^[ (\`'\"]//" | sort -u > "$TMP/help-paths.txt"
checks=$((checks + 1))
[ "$(wc -l < "$TMP/help-paths.txt")" -ge 3 ] || fail "--help shows fewer repository paths than the sample, the rules and the guide"
while read -r path; do
  checks=$((checks + 1))
  [ -e "$SRC_ROOT/$path" ] || fail "--help shows $path, which is not in the repository"
done < "$TMP/help-paths.txt"
# The example at the end of run --help, run from the repository as a user would.
example=$("$XLATE" run --help | sed -n 's/^Example: xlate run //p')
checks=$((checks + 1)); [ -n "$example" ] || fail "run --help has no example"
expect_status 0 "the run --help example works: $example" -- sh -c "cd '$SRC_ROOT' && '$XLATE' run $example"
expect_in "$TMP/out" '"target":"Jens Stoltenberg' "the run --help example puts the sample's terms in place"

# --- stem= takes the words its help names ----------------------------------------------------------
expect_status 0 "plugin info glossary" -- "$XLATE" plugin info glossary
expect_in "$TMP/out" "on: match inflected forms through the dictionary's stems; off: written forms only" \
  "the help says what on and off do"
printf 'Харківській області. ХАРКІВСЬКА ОБЛАСТЬ.\n' > "$TMP/stem.txt"
for word in on yes true 1 ON Yes; do
  expect_status 0 "stem=$word" -- "$XLATE" run --plugin "glossary:stem=$word" "$TMP/stem.txt"
  expect_eq "$(grep -c 'Kharkiv region' "$TMP/out")" 2 "stem=$word: the inflected and the written form match"
done
for word in off no false 0 OFF No; do
  expect_status 0 "stem=$word" -- "$XLATE" run --plugin "glossary:stem=$word,dict=$TMP/no-such-dict" "$TMP/stem.txt"
  expect_eq "$(grep -c 'Kharkiv region' "$TMP/out")" 1 "stem=$word: only the written form matches, in any case"
done
expect_status 2 "stem=maybe" -- "$XLATE" run --plugin glossary:stem=maybe "$TMP/stem.txt"
expect_in "$TMP/err" "option 'stem' must be on or off (or yes/no, true/false, 1/0), not 'maybe'" \
  "a bad stem= value: the words it takes"

finish
