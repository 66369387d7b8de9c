#!/bin/sh
# The review page through the command: `run --format review` writes one page for the documents
# of a run, a long document streamed in many batches still one table of all its rows; hostile
# text is escaped; the page is UTF-8 only. `batch --format review` writes a page a document and
# index.html linking them with their counts, the documents it skipped listed with why.
. "$(dirname "$0")/lib.sh"
export XLATE_PLUGIN_PATH="$PLUGIN_DIR"

# A check plugin warns on the sentences whose NATO the "translator" (sed) lost.
printf '#!/bin/sh\nexec sed -u s/NATO/OTAN/g\n' >"$TMP/engine.sh"
chmod +x "$TMP/engine.sh"
chain="--plugin exec:cmd=$TMP/engine.sh --plugin testcheck"
printf 'Рада NATO зібралася. Бюджет <script>document.title=1</script> прийнято.\n\n"><img src=x onerror=alert(1)> кінець.\n' >"$TMP/a.txt"
printf 'Друге.\n' >"$TMP/b.txt"

# shellcheck disable=SC2086 # the chain is words
expect_status 0 "run --format review" -- "$XLATE" run $chain --format review -o "$TMP/page.html" "$TMP/a.txt" "$TMP/b.txt"
# shellcheck disable=SC2086
expect_status 0 "the same run as JSONL" -- "$XLATE" run $chain --format jsonl -o "$TMP/page.jsonl" "$TMP/a.txt" "$TMP/b.txt"
checks=$((checks + 1))
[ "$(grep -c '<tr id="s' "$TMP/page.html")" -eq "$(wc -l <"$TMP/page.jsonl")" ] ||
  fail "run: not one row a segment (JSONL has $(wc -l <"$TMP/page.jsonl"))"
expect_in "$TMP/page.html" '<tr id="s1" data-status="warning"' "run: the lost term's warning"
expect_in "$TMP/page.html" '<code class="mcode">missing_word</code>' "run: the message's code"
expect_in "$TMP/page.html" '<span class="plugin">testcheck</span>' "run: the message's plugin"
expect_in "$TMP/page.html" '&lt;script&gt;document.title=1&lt;/script&gt;' "run: a <script> as text"
expect_in "$TMP/page.html" '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' "run: an <img> as text"
expect_not_in "$TMP/page.html" '<img' "run: no <img> element"
checks=$((checks + 1))
[ "$(grep -c '<script' "$TMP/page.html")" -eq 1 ] || fail "run: a <script> the page did not write"
checks=$((checks + 1))
[ "$(grep -c '<section class="doc">' "$TMP/page.html")" -eq 2 ] || fail "run: not a section a document"
expect_in "$TMP/page.html" '</html>' "run: the page is whole"

# 300 sentences go through the chain in several batches of 64: one document, one table.
i=0
while [ $i -lt 300 ]; do printf 'Речення номер %d. ' "$i"; i=$((i + 1)); done >"$TMP/long.txt"
expect_status 0 "run --format review, a long document" -- "$XLATE" run --format review -o "$TMP/long.html" "$TMP/long.txt"
checks=$((checks + 1))
[ "$(grep -c '<tr id="s' "$TMP/long.html")" -eq 300 ] || fail "long: want 300 rows"
checks=$((checks + 1))
[ "$(grep -c '<section class="doc">' "$TMP/long.html")" -eq 1 ] || fail "long: the document's rows are split"
expect_in "$TMP/long.html" '<p class="doc-counts"><b>300</b> segments:' "long: the document's count"

# The page says it is UTF-8: another output encoding is a usage error.
expect_status 2 "review with --output-encoding" -- "$XLATE" run --format review --output-encoding cp1251 "$TMP/b.txt"
expect_in "$TMP/err" "the review page is UTF-8" "review: why the encoding is refused"
expect_status 0 "review with --output-encoding utf-8" -- "$XLATE" run --format review --output-encoding utf-8 "$TMP/b.txt"

# batch: a page a document, index.html linking them; the binary file listed as skipped.
mkdir -p "$TMP/in/sub"
cp "$TMP/a.txt" "$TMP/in/a.txt"
cp "$TMP/b.txt" "$TMP/in/sub/b & c.txt"
printf 'x\000y' >"$TMP/in/bin.txt"
# shellcheck disable=SC2086
expect_status 0 "batch --format review" -- "$XLATE" batch $chain --format review --format tsv "$TMP/in" -o "$TMP/bout"
for f in a.uk-en.html "sub/b & c.uk-en.html" a.uk-en.tsv index.html report.json; do
  checks=$((checks + 1))
  [ -f "$TMP/bout/$f" ] || fail "batch: no $f"
done
expect_in "$TMP/bout/index.html" '<a href="a.uk-en.html">a.txt</a>' "index: the link to a page"
expect_in "$TMP/bout/index.html" '<a href="sub/b%20%26%20c.uk-en.html">sub/b &amp; c.txt</a>' "index: a name escaped in the link and the text"
expect_in "$TMP/bout/index.html" '<td class="num">3</td><td class="num">0</td><td class="num">1</td>' "index: a.txt's counts (3 segments, 1 warning)"
expect_in "$TMP/bout/index.html" '<tr data-status="skipped"><td>bin.txt</td>' "index: the skipped file"
expect_in "$TMP/bout/index.html" 'binary data' "index: why it was skipped"
expect_in "$TMP/bout/index.html" "script-src 'none'" "index: no script"
expect_in "$TMP/bout/report.json" '"formats": ["review","tsv"]' "report: the formats by name"
expect_in "$TMP/bout/a.uk-en.html" '<tr id="s1" data-status="warning"' "batch: the page's rows"
checks=$((checks + 1))
xmllint --html --noout "$TMP/bout/index.html" 2>"$TMP/xmllint" || true
if grep -E ' (parser )?error : ' "$TMP/xmllint" | grep -v -E 'Tag (main|section|header|mark) invalid$' | grep -q .; then
  fail "index: xmllint --html finds errors: $(cat "$TMP/xmllint")"
fi

# Resumed with the same options, the index still lists every document.
# shellcheck disable=SC2086
expect_status 0 "batch --resume" -- "$XLATE" batch $chain --format review --format tsv --resume "$TMP/in" -o "$TMP/bout"
expect_in "$TMP/bout/index.html" '<a href="a.uk-en.html">a.txt</a>' "index after --resume: a.txt"
expect_in "$TMP/bout/index.html" 'sub/b &amp; c.txt' "index after --resume: b & c.txt"

finish
