#!/usr/bin/env bash
# `xlate run`, `xlate plugins` and the top-level command: exit statuses, messages on bad input,
# empty and huge input, failed segments kept in every format, plugin discovery and refusal.
. "$(dirname "$0")/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}
DTD=$SRC_ROOT/tests/schemas/tmx14.dtd

# --- the command itself
expect_status 0 "--version" -- "$XLATE" --version
expect_in "$TMP/out" "xlate " "--version prints the version"
expect_status 0 "--help" -- "$XLATE" --help
expect_in "$TMP/out" "Exit status" "--help documents exit statuses"
expect_status 0 "run --help" -- "$XLATE" run --help
expect_in "$TMP/out" "--plugin NAME" "run --help lists --plugin"
expect_status 2 "unknown command" -- "$XLATE" frobnicate
expect_status 2 "no command" -- "$XLATE"
expect_status 2 "unknown run option" -- "$XLATE" run --no-such-flag
expect_in "$TMP/err" "--no-such-flag" "unknown option is named"
expect_status 2 "bad --format" -- "$XLATE" run --format xml /dev/null
expect_in "$TMP/err" "tsv, jsonl, tmx, review, doc, xliff or xliff2" "bad --format lists the formats"

# --- plugins
expect_status 2 "unknown plugin" -- "$XLATE" run --plugin nosuch /dev/null
expect_in "$TMP/err" "unknown plugin 'nosuch'" "unknown plugin is named"
expect_in "$TMP/err" "glossary" "unknown plugin message lists the plugins that exist"
expect_status 2 "unknown plugin option" -- "$XLATE" run --plugin glossary:colour=red /dev/null
expect_in "$TMP/err" "no option 'colour'" "bad plugin option is named"
for broken in wrong_abi no_entry not_a_plugin bad_descriptor; do
  expect_status 1 "broken plugin $broken" -- "$XLATE" run --plugin "$PLUGIN_DIR/$broken.so" /dev/null
  expect_in "$TMP/err" "$PLUGIN_DIR/$broken.so" "broken plugin $broken: message names the file"
done
expect_in "$TMP/err" "process is NULL" "bad descriptor: the reason"
expect_status 1 "plugin whose create fails" -- "$XLATE" run --plugin "$PLUGIN_DIR/create_fails.so" /dev/null
expect_in "$TMP/err" "could not start: cannot open /nonexistent/model.bin" "create failure message"

expect_status 0 "plugins --json" -- "$XLATE" plugins --json --plugin-path "$PLUGIN_DIR"
checks=$((checks + 1))
python3 - "$TMP/out" <<'PY' || fail "plugins --json: not the expected JSON"
import json, sys
plugins = {p["name"]: p for p in json.load(open(sys.argv[1], encoding="utf-8"))}
assert "glossary" in plugins and "testtrans" in plugins, plugins.keys()
t = plugins["testtrans"]
assert t["kind"] == "translator" and t["version"] == "1.0.0", t
assert {"source": "*", "target": "*"} in t["pairs"], t["pairs"]
assert any(o["name"] == "fail_word" for o in t["options"]), t["options"]
assert plugins["glossary"]["kind"] == "glossary"
PY
expect_status 0 "plugins (text)" -- "$XLATE" plugins --plugin-path "$PLUGIN_DIR"
expect_in "$TMP/out" "testtrans" "plugins lists the test plugin"
expect_in "$TMP/err" "wrong_abi.so" "plugins reports a plugin it skipped"

# --- bad input
expect_status 1 "unreadable file" -- "$XLATE" run --plugin glossary "$TMP/does-not-exist.txt"
expect_in "$TMP/err" "$TMP/does-not-exist.txt" "unreadable file is named"
printf 'Добрий день.\nДругий рядок \xff\xfe тут.\n' > "$TMP/bad.txt"
expect_status 1 "invalid UTF-8" -- "$XLATE" run --plugin glossary --encoding utf-8 "$TMP/bad.txt"
expect_in "$TMP/err" "$TMP/bad.txt" "invalid UTF-8: file named"
expect_in "$TMP/err" "offset 47" "invalid UTF-8: byte offset of the first bad byte"
expect_status 0 "invalid UTF-8 replaced" -- "$XLATE" run --plugin glossary --encoding utf-8 --on-invalid=replace --format jsonl "$TMP/bad.txt"
expect_in "$TMP/out" "рядок �" "replace goes on with U+FFFD"

# --- empty input: empty, valid output in every format
: > "$TMP/empty.txt"
expect_status 0 "empty input (tsv)" -- "$XLATE" run --plugin glossary "$TMP/empty.txt"
expect_eq "$(cat "$TMP/out")" "$(printf 'id\tsource\ttarget\tstatus\tmessage')" "empty input gives the TSV header only"
expect_status 0 "empty input (jsonl)" -- "$XLATE" run --plugin glossary --format jsonl "$TMP/empty.txt"
expect_eq "$(wc -c < "$TMP/out")" "0" "empty input gives empty JSONL"
expect_status 0 "empty input (tmx)" -- "$XLATE" run --plugin glossary --format tmx -o "$TMP/empty.tmx" "$TMP/empty.txt"
expect_status 0 "empty TMX valid against the DTD" -- xmllint --noout --dtdvalid "$DTD" "$TMP/empty.tmx"

# --- a 10 MB line with no newline is processed whole
python3 -c "import sys; sys.stdout.write('слово ' * 953251)" > "$TMP/huge.txt"
size=$(wc -c < "$TMP/huge.txt")
expect_status 0 "10 MB line" -- "$XLATE" run --format jsonl "$TMP/huge.txt"
checks=$((checks + 1))
python3 - "$TMP/out" "$size" <<'PY' || fail "10 MB line: segments do not cover the whole text"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
total = sum(len(r["source"].encode()) for r in recs)
assert total == int(sys.argv[2]) - 1, (total, sys.argv[2])  # only the final space is trimmed
PY

# --- stdin and several files: ids run on across documents
printf 'Перше речення. Друге речення.\n' > "$TMP/a.txt"
printf 'Третє речення.\n' > "$TMP/b.txt"
expect_status 0 "two files" -- "$XLATE" run --format jsonl "$TMP/a.txt" "$TMP/b.txt"
expect_in "$TMP/out" '"id":3' "ids continue across files"
expect_status 0 "stdin" -- sh -c "printf 'Речення зі стандартного входу.\n' | '$XLATE' run --format tsv"
expect_in "$TMP/out" "Речення зі стандартного входу." "stdin is read"

# --- a segment that fails is kept, marked, in every format; exit status 1
printf 'A good sentence. A bad sentence. Another good one.\n' > "$TMP/fail.txt"
for fmt in tsv jsonl tmx; do
  expect_status 1 "failed segment ($fmt)" -- "$XLATE" run --from en --to es --plugin-path "$PLUGIN_DIR" \
    --plugin testtrans:fail_word=bad --format $fmt -o "$TMP/fail.$fmt" "$TMP/fail.txt"
  expect_in "$TMP/fail.$fmt" "A bad sentence." "failed segment keeps its source ($fmt)"
  expect_in "$TMP/fail.$fmt" "ANOTHER GOOD ONE." "segments after the failure are translated ($fmt)"
done
expect_in "$TMP/err" "1 of 3 segments failed" "the run says how many segments failed"
expect_in "$TMP/fail.tsv" "$(printf 'failed\ttesttrans: this segment contains the fail word')" "TSV marks the failed segment and says why"
expect_in "$TMP/fail.jsonl" '"status":"failed"' "JSONL marks the failed segment"
expect_status 0 "TMX with a failed segment valid against the DTD" -- xmllint --noout --dtdvalid "$DTD" "$TMP/fail.tmx"

# --- -o never leaves a half-written file: a run that cannot write leaves nothing
expect_status 1 "output folder missing" -- "$XLATE" run -o "$TMP/no/such/dir/out.tsv" "$TMP/a.txt"
expect_in "$TMP/err" "$TMP/no/such/dir/out.tsv" "unwritable output is named"

finish
