#!/usr/bin/env bash
# review_page: the review page (--format review) read by an HTML parser, libxml2's (xmllint
# --html), as a browser would read its markup: it parses without errors but the HTML5 element
# names libxml2's HTML 4 parser does not know; the parsed tree has one row per segment, the page's
# one script and no element the data tried to make (the hostile <script> and <img onerror> of
# test_writer_review's documents are text in their cells, as written).
#
# Usage: review_page.sh TEST_WRITER_REVIEW
set -euo pipefail

test_writer_review=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "review_page: $*" >&2; exit 1; }

command -v xmllint >/dev/null || fail "xmllint is missing: run scripts/bootstrap (libxml2-utils)"

"$test_writer_review" emit > "$work/page.html"

# Parser errors, less the HTML5 elements libxml2 does not know (it reads them as generic
# elements, which is all the checks below need).
xmllint --html --noout "$work/page.html" 2> "$work/errors" || true
grep -v -E 'HTML parser error : Tag (main|section|header|mark) invalid$' "$work/errors" |
  grep -E ' (parser )?error : ' > "$work/real-errors" || true
if [ -s "$work/real-errors" ]; then
  cat "$work/errors" >&2
  fail "xmllint --html finds errors in the page"
fi

xpath() { xmllint --html --xpath "$1" "$work/page.html" 2>/dev/null; }

[ "$(xpath 'count(//tbody/tr[@data-status])')" = 7 ] || fail "want 7 rows with data-status"
[ "$(xpath 'count(//tr[@data-status="failed"])')" = 1 ] || fail "want 1 failed row"
[ "$(xpath 'count(//tr[@data-status="warning"])')" = 1 ] || fail "want 1 warning row"
[ "$(xpath 'count(//script)')" = 1 ] || fail "the page has a <script> it did not write"
[ "$(xpath 'count(//img)')" = 0 ] || fail "the data made an <img> element"
[ "$(xpath 'count(//*[@onerror])')" = 0 ] || fail "the data made an onerror attribute"

# The hostile text is the cells' text, character for character.
src=$(xpath 'string(//tr[@id="s5"]/td[@class="src"])')
want_script="<script>document.title='pwned'</script>"
want_img="\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
[[ $src == *"$want_script"* ]] || fail "the <script> of segment 5 is not its source text: $src"
[[ $src == *"$want_img"* ]] || fail "the <img> of segment 5 is not its source text: $src"
note=$(xpath 'string(//tr[@id="s5"]/td[@class="src"]/mark/@title)')
[[ $note == *"$want_img"* ]] || fail "the term's note is not its text: $note"
code=$(xpath 'string(//tr[@id="s7"]//span[contains(@class,"code")][3]/@title)')
[ "$code" = "<img src=x onerror=\"document.title='code'\">" ] ||
  fail "the inline code's markup is not its title text: $code"

# Nothing the page names is fetched: no src, href or url() but the document's own fragments.
if grep -E -i '(src|href)=|url\(' "$work/page.html" | grep -v -E '&lt;img src=x' | grep -q .; then
  fail "the page names a resource to fetch"
fi
echo "review_page: the page parses, 7 rows, hostile text as text"
