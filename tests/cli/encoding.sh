#!/usr/bin/env bash
# `xlate detect` and `xlate normalize`: the encoding front end as a user meets it — reports per
# file (text and JSON), decoding legacy and broken files, output in another encoding, and the
# messages and exit statuses of bad input and bad options.
. "$(dirname "$0")/lib.sh"
CORPUS=$SRC_ROOT/tests/encoding
FILES=$CORPUS/files

# --- detect
expect_status 0 "detect --help" -- "$XLATE" detect --help
expect_in "$TMP/out" "--json" "detect --help documents --json"
expect_status 0 "detect on KOI8-U, CP1125, mojibake" -- "$XLATE" detect \
  "$FILES/uk-long.koi8-u.txt" "$FILES/uk-short.cp1125.txt" "$FILES/uk-long.mojibake-cp1251-cp1252.txt"
expect_in "$TMP/out" "uk-long.koi8-u.txt: KOI8-U" "KOI8-U is not taken for KOI8-R"
expect_in "$TMP/out" "uk-short.cp1125.txt: CP1125" "CP1125 is not taken for IBM866"
expect_in "$TMP/out" "repaired (2 rounds)" "double mojibake is reported repaired"
expect_in "$TMP/out" "language uk" "language guess"
expect_status 0 "detect --json" -- "$XLATE" detect --json "$FILES/ru-long.mac-cyrillic.txt" "$FILES/en-short.utf-16le-bom.txt"
checks=$((checks + 1))
python3 - "$TMP/out" <<'PY' || fail "detect --json: not the expected JSON"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert [x["encoding"] for x in r] == ["x-mac-cyrillic", "UTF-16LE"], r
assert r[0]["language"] == "ru" and r[1]["language"] == "en" and r[1]["bom"] is True, r
assert all(0 < x["confidence"] <= 1 and x["mojibake_rounds"] == 0 for x in r), r
PY
expect_status 1 "detect on a missing file" -- "$XLATE" detect "$TMP/missing.txt"
expect_in "$TMP/err" "missing.txt" "missing file is named"
expect_status 2 "detect without files" -- "$XLATE" detect

# --- normalize: every corpus file of 200 bytes or more comes back as its original text
checks=$((checks + 1))
bad=0
while IFS=$'\t' read -r file _ expected _; do
  [ "$file" = file ] && continue
  [ "$(stat -c %s "$FILES/$file")" -ge 200 ] || continue
  "$XLATE" normalize --normalize=none --keep-apostrophes --no-homoglyphs "$FILES/$file" > "$TMP/n.txt" 2>&1 &&
    cmp -s "$TMP/n.txt" "$CORPUS/$expected" || { echo "    normalize $file differs" >&2; bad=$((bad + 1)); }
done < "$CORPUS/manifest.tsv"
[ "$bad" -eq 0 ] || fail "normalize: $bad corpus files did not decode to their text"

# an explicit encoding wins over detection: UTF-8 read as cp1251 on purpose
printf 'Київ' > "$TMP/kyiv.txt"
expect_status 0 "--encoding cp1251 on UTF-8" -- "$XLATE" normalize --encoding cp1251 "$TMP/kyiv.txt"
expect_eq "$(cat "$TMP/out")" "РљРёС—РІ" "explicit encoding is obeyed"
# normalization defaults: NFC, apostrophe, look-alikes, NBSP, CR LF
printf 'Хapків, м'"'"'ясо, и\xcc\x86\xc2\xa0ok\r\n' > "$TMP/dirty.txt"
expect_status 0 "normalize defaults" -- "$XLATE" normalize "$TMP/dirty.txt"
expect_eq "$(cat "$TMP/out")" "Харків, мʼясо, й ok" "default normalization"
expect_status 0 "--apostrophe=right-quote" -- "$XLATE" normalize --apostrophe=right-quote "$TMP/dirty.txt"
expect_in "$TMP/out" "м’ясо" "apostrophe form chosen"
# output in another encoding, and a character that does not fit
expect_status 0 "--to-encoding koi8-u" -- "$XLATE" normalize --to-encoding koi8-u "$FILES/uk-short.cp1251.txt"
checks=$((checks + 1))
iconv -f koi8-u -t utf-8 "$TMP/out" | cmp -s - "$CORPUS/texts/uk-short.txt" || fail "--to-encoding koi8-u: wrong bytes"
expect_status 1 "--to-encoding koi8-r on Ukrainian" -- "$XLATE" normalize --to-encoding koi8-r "$FILES/uk-short.cp1251.txt"
expect_in "$TMP/err" "U+0456" "unmappable character is named"
expect_in "$TMP/err" "line 1, column" "its place is given"
expect_status 0 "--output-replace" -- "$XLATE" normalize --to-encoding koi8-r --output-replace "$FILES/uk-short.cp1251.txt"
expect_in "$TMP/out" "?" "replacement written"
# invalid bytes
printf 'Привіт \xff світ, як справи у Києві?\n' > "$TMP/broken.txt"
expect_status 1 "invalid UTF-8" -- "$XLATE" normalize "$TMP/broken.txt"
expect_in "$TMP/err" "broken.txt" "invalid UTF-8: file named"
expect_in "$TMP/err" "byte offset 13" "invalid UTF-8: offset given"
expect_in "$TMP/err" "[ff]" "invalid UTF-8: bytes shown"
expect_status 0 "--on-invalid=replace" -- "$XLATE" normalize --on-invalid=replace "$TMP/broken.txt"
expect_in "$TMP/out" "Привіт � світ" "replacement character"
expect_status 0 "--on-invalid=skip" -- "$XLATE" normalize --on-invalid=skip "$TMP/broken.txt"
expect_in "$TMP/out" "Привіт  світ" "bad byte skipped"
# empty input, usage errors
: > "$TMP/empty.txt"
expect_status 0 "empty input" -- "$XLATE" normalize "$TMP/empty.txt"
expect_eq "$(wc -c < "$TMP/out")" "0" "empty input gives empty output"
expect_status 2 "unknown --encoding" -- "$XLATE" normalize --encoding klingon-8 "$TMP/empty.txt"
expect_in "$TMP/err" "klingon-8" "unknown encoding named"
expect_status 2 "bad --on-invalid" -- "$XLATE" normalize --on-invalid=ignore "$TMP/empty.txt"
expect_status 2 "bad --normalize" -- "$XLATE" normalize --normalize=nfd "$TMP/empty.txt"
expect_status 2 "bad --apostrophe" -- "$XLATE" normalize --apostrophe=x "$TMP/empty.txt"

finish
