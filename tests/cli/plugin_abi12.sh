#!/usr/bin/env bash
# Plugin ABI 1.2 as a user meets it: a check plugin's warnings (with its name and code) in every
# writer, checks running after the translators whatever the command line's order, the reasons
# host->last_error gives, language pairs enforced (private-use tags included), placeholders that
# neither collide with source text nor break when an engine changes their case, log lines that
# name the document and the output id, a plugin file named otherwise than its plugin, and the
# end-of-run table of warnings per plugin and code.
. "$(dirname "$0")/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}
DTD=$SRC_ROOT/tests/schemas/tmx14.dtd
run() { "$XLATE" run --plugin-path "$PLUGIN_DIR" "$@"; }

printf 'NATO met in room [T0] and [T1].\n\nThe NATO summit & "talks"\tended.\n' >"$TMP/in.txt"
UPPER=(--from en --to x-upper)

# --- a check plugin's warning, in every writer, with the plugin's name and code
expect_status 0 "check written before the translator (jsonl)" -- \
  run "${UPPER[@]}" --plugin testcheck --plugin testterms --plugin testcase --format jsonl "$TMP/in.txt"
cp "$TMP/out" "$TMP/check.jsonl"
expect_not_in "$TMP/check.jsonl" '"no_target"' "the check ran after the translator, not where it was written"
expect_in "$TMP/check.jsonl" '"status":"warning","message":"'"'"'NATO'"'"' is in the source but not in the target"' \
  "jsonl: the joined message keeps the plugin's text as before"
expect_in "$TMP/check.jsonl" '"messages":[{"plugin":"testcheck","level":"warning","code":"missing_word","text":"'"'"'NATO'"'"' is in the source but not in the target"}]' \
  "jsonl: messages carry plugin, level, code and text"
python3 - "$TMP/check.jsonl" <<'PY' || fail "jsonl: every line parses and has its two warnings"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(recs) == 2 and all(r["status"] == "warning" for r in recs), recs
assert recs[1]["target"] == 'THE OTAN SUMMIT & "TALKS"\tENDED.', recs[1]["target"]
PY
expect_status 0 "check before the translator (tsv)" -- \
  run "${UPPER[@]}" --plugin testcheck --plugin testterms --plugin testcase "$TMP/in.txt"
expect_in "$TMP/out" "$(printf 'warning\ttestcheck: '"'"'NATO'"'"' is in the source but not in the target')" \
  "tsv: the message column names the plugin"
expect_in "$TMP/out" "$(printf 'THE OTAN SUMMIT & "TALKS"\\tENDED.\twarning')" "tsv: the target keeps its escapes"
expect_status 0 "check before the translator (tmx)" -- \
  run "${UPPER[@]}" --plugin testcheck --plugin testterms --plugin testcase --format tmx "$TMP/in.txt"
cp "$TMP/out" "$TMP/check.tmx"
expect_in "$TMP/check.tmx" "<note>testcheck: 'NATO' is in the source but not in the target</note>" \
  "tmx: the note names the plugin"
expect_in "$TMP/check.tmx" '<prop type="x-status">warning</prop>' "tmx: the unit is marked warning"
if command -v xmllint >/dev/null; then
  checks=$((checks + 1))
  xmllint --noout --dtdvalid "$DTD" "$TMP/check.tmx" 2>"$TMP/xmllint" ||
    fail "tmx with messages is not valid TMX 1.4: $(head -3 "$TMP/xmllint")"
fi
# Without a translator the check sees no target, and says so: the order is the host's doing.
expect_status 0 "a check with no translator" -- run "${UPPER[@]}" --plugin testcheck --format jsonl "$TMP/in.txt"
expect_in "$TMP/out" '"code":"no_target"' "a check with no translator before it finds no target"

# --- messages add up: a lost term (the host's own message, as the translator's) and the check's
printf 'NATO talks.\n' >"$TMP/lost.txt"
expect_status 0 "two messages on one segment" -- \
  run --plugin testterms --plugin testtrans:placeholders=drop --plugin testcheck --format jsonl "$TMP/lost.txt"
expect_in "$TMP/out" '"messages":[{"plugin":"testtrans","level":"warning","code":"term_lost","text":"term '"'"'NATO'"'"' → '"'"'OTAN'"'"' was lost by the translator"},{"plugin":"testcheck","level":"warning","code":"missing_word"' \
  "both messages are kept, in order, each with its plugin and code"
expect_in "$TMP/err" "lost.txt, segment 1: term 'NATO' → 'OTAN' was lost" "the host's log line names the document and the output id"

# --- log lines name the document and the id the output gives, counted across documents
printf 'One NATO.\n\nTwo NATO.\n' >"$TMP/a.txt"
printf 'Three.\n\nFour NATO.\n' >"$TMP/b.txt"
expect_status 0 "two documents" -- env XLATE_LOG=info "$XLATE" run --plugin-path "$PLUGIN_DIR" \
  --plugin testterms --plugin testtrans --plugin testcheck:word=NATO "$TMP/a.txt" "$TMP/b.txt"
expect_in "$TMP/err" "testcheck: info: $TMP/b.txt, segment 4: missing_word" \
  "segment_output_id goes on across documents, document_name names the file"
expect_in "$TMP/out" "$(printf '4\tFour NATO.')" "the output gives that segment id 4"

# --- last_error: every refused host call says why
expect_status 0 "a plugin probing wrong calls" -- \
  run --plugin testtrans --plugin testcheck:probe=on "$TMP/a.txt"
for reason in \
  "probe option_int: option_int: 'nosuch' is not an option the descriptor declares" \
  "probe warn_index: rc=-3 segment_warn: segment index 4 is out of range: the batch has 2 segments (0 .. 1)" \
  "probe warn_code: rc=-3 segment_warn: segment 0: code 'Bad Code' is not of [a-z0-9_-]+" \
  "probe warn_utf8: rc=-3 segment_warn: segment 0: the message is not UTF-8 at byte 4" \
  "probe set_target_utf8: rc=-3 segment_set_target: segment 0: the target is not UTF-8 at byte 3 of 8" \
  "probe fail_index: rc=-3 segment_fail: segment index 2 is out of range" \
  "probe term_overlap: rc=-3 segment_add_term: segment 0: the span [0, 4) overlaps term 0 at [0, 9)" \
  "probe masked_format: rc=-3 segment_masked_source: segment 0: format '[%s]' must hold exactly one %u" \
  "probe after_success: rc=0 (no reason)"; do
  expect_in "$TMP/err" "$reason" "last_error: ${reason%%:*}"
done
printf 'Вітаю.\n' >"$TMP/uk.txt"
expect_status 0 "a span ending inside a character" -- run --plugin testcheck:probe=on "$TMP/uk.txt"
expect_in "$TMP/err" "probe term_inside: rc=-3 segment_add_term: segment 0: the span [0, 1) ends inside a character (byte 1 is in the middle of a UTF-8 sequence)" \
  "last_error: a term ending inside a character"
expect_status 0 "reasons at debug level" -- env XLATE_LOG=debug "$XLATE" run --plugin-path "$PLUGIN_DIR" \
  --plugin testcheck:probe=on "$TMP/uk.txt"
expect_in "$TMP/err" "testcheck: debug: segment_warn: segment 0: code 'Bad Code' is not of [a-z0-9_-]+" \
  "the host logs each reason at debug level"
expect_status 1 "a plugin passing a bare status on" -- \
  run --plugin testtrans --plugin testcheck:probe=on,pass_on=on "$TMP/a.txt"
expect_in "$TMP/out" "its process() failed without a message (the last host call that failed: segment_masked_source: segment 0: format '[%s]' must hold exactly one %u" \
  "the failure says which host call failed and why"
expect_not_in "$TMP/err" "failed without a message\"" "never a bare 'without a message'"

# --- a create() that says XLATE_OK but makes no instance is a failed start, not a crash
expect_status 1 "create gives no instance" -- run --plugin testtrans:null_instance=on "$TMP/a.txt"
expect_in "$TMP/err" "plugin 'testtrans' could not start: its create() returned XLATE_OK but no instance" \
  "the host says what the plugin did wrong"

# --- language pairs: refused when no translator declares them, private use accepted
expect_status 2 "a pair no translator declares" -- run --from en --to es --plugin testcase "$TMP/in.txt"
expect_in "$TMP/err" "no translator in the chain serves en → es" "the refusal names the pair"
expect_in "$TMP/err" "testcase: en→x-upper, en→x-lower" "and lists the pairs the translators declare"
expect_status 2 "the default uk → en with an en→x-upper translator" -- run --plugin testcase "$TMP/in.txt"
expect_in "$TMP/err" "serves uk → en" "the default languages are judged too"
expect_status 0 "x-upper, a private-use tag" -- run --from en-GB --to X-Upper --plugin testcase "$TMP/in.txt"
expect_in "$TMP/out" "$(printf '\tTHE NATO SUMMIT')" "en-GB → x-upper runs through the en → x-upper translator"
expect_status 0 "a check that does not declare the pair" -- \
  run --from en --to x-lower --plugin testcase --plugin testcheck "$TMP/in.txt"
expect_in "$TMP/err" "testcheck: warning: it declares no pair for en → x-lower (it declares: en→x-upper, uk→en)" \
  "a check or glossary that does not declare the pair is a warning"
expect_status 0 "testtrans serves any pair" -- run --from fr --to de --plugin testtrans "$TMP/in.txt"

expect_status 0 "plugin check takes a private-use pair" -- "$XLATE" plugin check "$PLUGIN_DIR/testcase.so" --from en --to x-upper
expect_not_in "$TMP/out" "problem:" "en → x-upper is a pair plugin check accepts, as a run does"

# --- placeholders: source text that looks like one, and an engine that changes case
expect_status 0 "look-alike placeholders, upper case" -- \
  run "${UPPER[@]}" --plugin testterms --plugin testcase --format jsonl "$TMP/in.txt"
expect_in "$TMP/out" '"target":"OTAN MET IN ROOM [T0] AND [T1]."' "the term is in its place, [T0] and [T1] stay"
expect_not_in "$TMP/out" "term_lost" "no term is lost"
expect_status 0 "look-alike placeholders, lower case" -- \
  run --from en --to x-lower --plugin testterms --plugin testcase --format jsonl "$TMP/in.txt"
expect_in "$TMP/out" '"target":"OTAN met in room [t0] and [t1]."' "placeholders survive an engine that lower-cases them"
expect_in "$TMP/out" '"status":"ok"' "and the segment is ok"
printf 'NATO: see [t2] and [T0].\n' >"$TMP/lower.txt"
expect_status 0 "look-alikes in another case" -- \
  run "${UPPER[@]}" --plugin testterms --plugin testcase --format jsonl "$TMP/lower.txt"
expect_in "$TMP/out" '"target":"OTAN: SEE [T2] AND [T0].","status":"ok"' "a look-alike in another case is not taken for a term either"

# --- a plugin file named otherwise than its plugin
expect_status 0 "plugins lists the file" -- "$XLATE" plugins --plugin-path "$PLUGIN_DIR"
expect_in "$TMP/out" "othercheck" "listed under its descriptor name"
expect_in "$TMP/out" "named_otherwise.so (use --plugin othercheck)" "the listing says which name --plugin takes"
expect_status 0 "--plugin with the listed name" -- run "${UPPER[@]}" --plugin testterms --plugin testcase --plugin othercheck "$TMP/in.txt"
expect_in "$TMP/out" "othercheck: 'NATO' is in the source" "the plugin runs under the name the listing gave"

# --- the summary table at the end of a run on a terminal; nothing when stderr is no terminal
expect_not_in "$TMP/err" "per plugin and code" "no table when stderr is not a terminal"
if command -v script >/dev/null; then
  script -qec "'$XLATE' run --plugin-path '$PLUGIN_DIR' --from en --to x-upper --plugin testcheck \
    --plugin testterms --plugin testtrans:placeholders=drop -o '$TMP/tty.tsv' '$TMP/in.txt' '$TMP/lost.txt'" \
    /dev/null >"$TMP/tty" </dev/null
  expect_in "$TMP/tty" "messages of the 3 segments, per plugin and code:" "the table shows on a terminal"
  checks=$((checks + 1))
  grep -Eq '^testcheck +missing_word +3 +0' "$TMP/tty" || fail "table row for testcheck: $(cat "$TMP/tty")"
  checks=$((checks + 1))
  grep -Eq '^testtrans +term_lost +3 +0' "$TMP/tty" || fail "table row for testtrans: $(cat "$TMP/tty")"
fi

# --- batch: the check runs last too, and the report counts per plugin and code
mkdir -p "$TMP/docs"
cp "$TMP/in.txt" "$TMP/docs/one.txt"
cp "$TMP/lost.txt" "$TMP/docs/two.txt"
expect_status 0 "batch with a check written first" -- "$XLATE" batch --plugin-path "$PLUGIN_DIR" \
  --from en --to x-upper --plugin testcheck --plugin testterms --plugin testcase -q "$TMP/docs" -o "$TMP/bout"
python3 - "$TMP/bout/report.json" <<'PY' || fail "batch report: counts per plugin and code"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
want = [{"plugin": "testcheck", "code": "missing_word", "warnings": 3, "failures": 0}]
assert r["summary"]["messages"] == want, r["summary"]
per_doc = {d["path"].split("/")[-1]: d["messages"] for d in r["documents"]}
assert per_doc["one.txt"][0]["warnings"] == 2 and per_doc["two.txt"][0]["warnings"] == 1, per_doc
PY
cp "$TMP/bout/report.json" "$TMP/report-first.json"
expect_status 0 "batch --resume with every document done" -- "$XLATE" batch --plugin-path "$PLUGIN_DIR" \
  --from en --to x-upper --plugin testcheck --plugin testterms --plugin testcase -q --resume "$TMP/docs" -o "$TMP/bout"
expect_status 0 "a resumed report counts the messages as the first run did" -- \
  cmp "$TMP/report-first.json" "$TMP/bout/report.json"
expect_in "$TMP/bout/one.en-x-upper.tsv" "testcheck: 'NATO' is in the source" "batch: the check's warning is in the output"
expect_not_in "$TMP/bout/one.en-x-upper.tsv" "no_target" "batch: the check ran after the translator"

# --- `plugin new --kind check` from the build tree, then `make`: built against the tree's
# uninstalled xlate, and the check it writes runs after the translator
if command -v make >/dev/null && command -v cc >/dev/null; then
  expect_status 0 "plugin new from the build tree" -- "$XLATE" plugin new treeplug --kind check --dir "$TMP/treeplug"
  expect_in "$TMP/out" "meson-uninstalled" "it says how meson finds the build tree"
  expect_status 0 "make in the new plugin's folder" -- env -u PKG_CONFIG_PATH make -C "$TMP/treeplug"
  expect_in "$TMP/out" "/include" "the compile line has the tree's include folder"
  printf 'NATO 2024.\n\nKyiv talks.\n' >"$TMP/same.txt"
  expect_status 0 "the check built there runs" -- run --plugin "$TMP/treeplug/treeplug.so" --plugin testtrans "$TMP/same.txt"
  expect_in "$TMP/out" "$(printf 'NATO 2024.\twarning\ttreeplug: the target is the source, untranslated')" \
    "the template's check warns with its name"
  expect_in "$TMP/out" "$(printf 'KYIV TALKS.\tok\t')" "and leaves translated segments alone"
  expect_status 0 "plugin info of a check" -- "$XLATE" plugin info "$TMP/treeplug/treeplug.so"
  expect_in "$TMP/out" "kind:        check" "info names the check kind"
fi
finish
