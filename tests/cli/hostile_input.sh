#!/usr/bin/env bash
# Input written to make xlate hang or misread it: a million blank lines and other long runs of
# white space (segmented in time linear in the input), SRX rules that backtrack without end
# (refused with the rule and the file named), documents above --max-doc-size (refused by run, the
# other files go on), and numbers in every form strtoull would take but a user did not mean
# ("+5", " 5", "0x10", "-1", a value that wraps) in flags, plugin options and the environment.
# Meson's timeout (far above the honest time, well under a second a case) is the only deadline:
# nothing here measures time.
. "$(dirname "$0")/lib.sh"

# --- white space: each run of it walked once --------------------------------------------------
# gen FILE PYTHON-EXPRESSION: the text the expression makes, in UTF-8.
gen() { python3 -c "import sys; sys.stdout.write($2)" > "$1"; }
gen "$TMP/blank.txt" "'First line.\n' + '\n' * 1000000 + 'Last line.\n'"
gen "$TMP/crlf.txt" "'First line.\r\n' + '\r\n' * 1000000 + 'Last line.\r\n'"
gen "$TMP/ls.txt" "'First line.' + '\u2028' * 1000000 + 'Last line.\n'"
gen "$TMP/ps.txt" "'First line.' + '\u2029' * 1000000 + 'Last line.\n'"
gen "$TMP/mixed.txt" "'First line.' + ' \t\n\u00a0\u2003\r\n\u2028\x0b\x0c\u3000 ' * 100000 + 'Last line.\n'"
gen "$TMP/spaces.txt" "'First line.' + ' ' * 1000000 + 'Last line.\n'"
gen "$TMP/nbsp.txt" "'First line.' + '\u00a0' * 1000000 + 'Last line.\n'"
for kind in blank crlf ls ps mixed spaces nbsp; do
  expect_status 0 "segment: 1M units of white space ($kind)" -- "$XLATE" segment --from en "$TMP/$kind.txt"
  expect_eq "$(grep -c . "$TMP/out")" 2 "segment ($kind): the two sentences and nothing else"
  expect_in "$TMP/out" "Last line." "segment ($kind): the text after the white space"
  expect_status 0 "run: 1M units of white space ($kind)" -- "$XLATE" run --from en "$TMP/$kind.txt"
  expect_eq "$(grep -c '	ok	' "$TMP/out")" 2 "run ($kind): two segments"
done
# Blank lines between them make paragraphs: one per sentence here.
expect_status 0 "segment --format jsonl: 1M blank lines" -- "$XLATE" segment --from en --format jsonl "$TMP/blank.txt"
expect_in "$TMP/out" '"paragraph":1' "the sentence after the blank lines starts a paragraph"
# Words on lines of their own, a million lines: every line a segment.
gen "$TMP/words.txt" "'Word.\n' * 300000"
expect_status 0 "segment: 300k one-word lines" -- "$XLATE" segment --from en "$TMP/words.txt"
expect_eq "$(grep -c . "$TMP/out")" 300000 "every line a segment"

# --- SRX rules that backtrack without end -------------------------------------------------------
# srx FILE BREAK BEFORE AFTER: a rule file whose first rule is the one given.
srx() {
  cat > "$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Any">
        <rule break="$2">
          <beforebreak>$3</beforebreak>
          <afterbreak>$4</afterbreak>
        </rule>
        <rule break="yes">
          <beforebreak>\.</beforebreak>
          <afterbreak>\s</afterbreak>
        </rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern=".*" languagerulename="Any"/>
    </maprules>
  </body>
</srx>
EOF
}
# The line of the report: 206 bytes.
gen "$TMP/line.txt" "('First sentence. ' + 'a' * 170 + '. And more text here.')[:205] + '\n'"
expect_eq "$(wc -c < "$TMP/line.txt")" 206 "the hostile line is 206 bytes"
srx "$TMP/nested.srx" yes '(.*a){12}x' '\s'
for cmd in segment run; do
  expect_status 1 "$cmd --srx with (.*a){12}x" -- "$XLATE" "$cmd" --srx "$TMP/nested.srx" "$TMP/line.txt"
  expect_in "$TMP/err" "$TMP/line.txt: $TMP/nested.srx:7: a rule of \"Any\" (before-break \"(.*a){12}x\", after-break \"\\s\")" \
    "$cmd: the message names the document, the rule file, its line and the rule"
  expect_in "$TMP/err" "rewrite it without nested repetition" "$cmd: the message says what to do"
done
# In a batch every worker copies the compiled rules: each copy fails the same way, and the
# document the rule cannot take is failed in the report while the others are done.
mkdir -p "$TMP/srx-in"
cp "$TMP/line.txt" "$TMP/srx-in/a.txt"
cp "$TMP/line.txt" "$TMP/srx-in/b.txt"
printf 'Short. Fine.\n' > "$TMP/srx-in/c.txt"
expect_status 1 "batch -j 2 --srx with (.*a){12}x" -- \
  "$XLATE" batch -q -j 2 --srx "$TMP/nested.srx" "$TMP/srx-in" -o "$TMP/srx-out"
for doc in a b; do
  expect_in "$TMP/srx-out/report.json" "\"error\":\"$doc.txt: $TMP/nested.srx:7: a rule of \\\"Any\\\"" \
    "batch -j 2: $doc.txt failed with the message naming the rule"
done
expect_in "$TMP/srx-out/report.json" '"path":"c.txt","status":"ok"' "batch -j 2: the other document is done"
# A no-break rule with no bounded length runs in a window before each place: refused the same way.
srx "$TMP/window.srx" no '(.*a){30}\.' '\s'
gen "$TMP/a29.txt" "'First sentence. ' + 'a' * 29 + '. And more text here.\n'"
expect_status 1 "segment --srx: an unbounded no-break rule that backtracks" -- \
  "$XLATE" segment --srx "$TMP/window.srx" "$TMP/a29.txt"
expect_in "$TMP/err" "$TMP/window.srx:7: a rule of \"Any\" (before-break \"(.*a){30}\\.\"" "the window rule is named"
# Honest rules that run over a long line, greedy .* included, stay well inside the budget.
srx "$TMP/greedy.srx" yes '[^.]*\.' '\s+\p{Lu}'
gen "$TMP/long.txt" "'Some words here and there. ' * 100000 + '\n'"
expect_status 0 "segment --srx: greedy honest rules on a 2.7 MB line" -- \
  "$XLATE" segment --srx "$TMP/greedy.srx" "$TMP/long.txt"
expect_eq "$(grep -c . "$TMP/out")" 100000 "the greedy rules break every sentence"
srx "$TMP/nobreak.srx" no '\b(?:Mr|Dr)\.' '\s'
gen "$TMP/mr.txt" "'Mr. Smith came. Dr. Who left. ' * 20000 + '\n'"
expect_status 0 "segment --srx: honest no-break rules" -- "$XLATE" segment --srx "$TMP/nobreak.srx" "$TMP/mr.txt"
expect_eq "$(grep -c . "$TMP/out")" 40000 "the no-break rules keep Mr. and Dr. inside"

# --- --max-doc-size on run ------------------------------------------------------------------------
printf 'A short document.\n' > "$TMP/small.txt"
gen "$TMP/big.txt" "'A sentence of the larger document. ' * 100 + '\n'"
big=$(wc -c < "$TMP/big.txt")
expect_status 1 "run --max-doc-size 1K: a larger document is refused" -- \
  "$XLATE" run --max-doc-size 1K "$TMP/big.txt" "$TMP/small.txt"
expect_in "$TMP/err" "$TMP/big.txt: too large: 3.4 KiB ($big bytes), the limit is 1.0 KiB (raise it with --max-doc-size)" \
  "the message names the document, its size and the limit"
expect_in "$TMP/out" "A short document." "the other document is still translated"
expect_not_in "$TMP/out" "larger document" "nothing of the refused one is written"
expect_status 1 "run --max-doc-size 1K: standard input is refused past the limit" -- \
  sh -c "cat '$TMP/big.txt' | '$XLATE' run --max-doc-size 1K -"
expect_in "$TMP/err" "-: too large: more than 1.0 KiB, the limit (raise it with --max-doc-size)" "stdin: the message"
expect_status 0 "run --max-doc-size 4K: the document fits" -- "$XLATE" run --max-doc-size 4K "$TMP/big.txt"
expect_status 0 "run --max-doc-size ${big}: exactly the limit fits" -- "$XLATE" run --max-doc-size "$big" "$TMP/big.txt"
expect_status 1 "run --max-doc-size $((big - 1)): one byte over" -- "$XLATE" run --max-doc-size "$((big - 1))" "$TMP/big.txt"

# --- strict numbers: flags ----------------------------------------------------------------------
for v in '+5' '-1' ' 5' '5 ' '0x10' '1.5M' '0' '' '5MM' '18446744073709551616' '17179869184G' '1e3'; do
  expect_status 2 "run --max-doc-size '$v'" -- "$XLATE" run --max-doc-size "$v" "$TMP/small.txt"
  expect_in "$TMP/err" "--max-doc-size $v: give a whole number of bytes" "--max-doc-size '$v': the message"
done
mkdir -p "$TMP/in" && cp "$TMP/small.txt" "$TMP/in/"
for v in '+2' '-1' ' 2' '2 ' '0' '1025' '0x2' '4294967297' '2.0'; do
  expect_status 2 "batch -j '$v'" -- "$XLATE" batch -j "$v" "$TMP/in" -o "$TMP/out-j"
  expect_in "$TMP/err" "-j $v: give a number of workers from 1 to 1024" "-j '$v': the message"
done
for v in '+5' 'inf' 'nan' '0x10' ' 5' '5 ' '0.5' '1e10' '.5' '5.'; do
  expect_status 2 "batch --max-ratio '$v'" -- "$XLATE" batch --max-ratio "$v" "$TMP/in" -o "$TMP/out-r"
  expect_in "$TMP/err" "--max-ratio $v: give a decimal number from 1 to 1e9" "--max-ratio '$v': the message"
done
for v in '+0/2' '0/+2' ' 0/2' '0/2 ' '-1/2' '0x0/2' '0/4294967298' '2/2' '0/0' '0/'; do
  expect_status 2 "batch --shard '$v'" -- "$XLATE" batch --shard "$v" "$TMP/in" -o "$TMP/out-s"
  expect_in "$TMP/err" "--shard $v: give K/N" "--shard '$v': the message"
done
expect_status 0 "batch -j 2 --max-ratio 50.5 --shard 0/1: plain numbers pass" -- \
  "$XLATE" batch -q -j 2 --max-ratio 50.5 --shard 0/1 --max-doc-size 1M "$TMP/in" -o "$TMP/out-ok"

# --- strict numbers: the environment --------------------------------------------------------------
for v in '+5' '-1' ' 5' '5 ' '1e9' '0x10' '99999999999999999999' 'now'; do
  expect_status 2 "SOURCE_DATE_EPOCH='$v'" -- env SOURCE_DATE_EPOCH="$v" "$XLATE" batch -q "$TMP/in" -o "$TMP/out-e.tar"
  expect_in "$TMP/err" "SOURCE_DATE_EPOCH='$v' is not a time" "SOURCE_DATE_EPOCH='$v': the message"
done
expect_status 0 "SOURCE_DATE_EPOCH=1700000000 stamps the archive" -- \
  env SOURCE_DATE_EPOCH=1700000000 "$XLATE" batch -q "$TMP/in" -o "$TMP/out-e.tar"
TZ=UTC tar -tvf "$TMP/out-e.tar" > "$TMP/list" 2>&1
expect_in "$TMP/list" "2023-11-14 22:13" "the entries carry the time given"

# --- strict numbers: plugin options -------------------------------------------------------------
for v in '+5' ' 5' '5 ' '0x10' '5.0' '1e3' '--5' '-'; do
  expect_status 2 "exec timeout='$v'" -- "$XLATE" run --plugin "exec:cmd=cat,timeout=$v" "$TMP/small.txt"
  expect_in "$TMP/err" "option 'timeout' must be a whole number, not '$v'" "timeout='$v': the message"
done
expect_status 2 "exec timeout=99999999999999999999" -- \
  "$XLATE" run --plugin "exec:cmd=cat,timeout=99999999999999999999" "$TMP/small.txt"
expect_in "$TMP/err" "option 'timeout' is out of range: '99999999999999999999'" "a value past long long: out of range"
expect_status 2 "exec timeout=-1: the plugin checks its own range" -- \
  "$XLATE" run --plugin "exec:cmd=cat,timeout=-1" "$TMP/small.txt"
expect_in "$TMP/err" "timeout=-1 is out of range" "the plugin's message"

finish
