#!/usr/bin/env bash
# `xlate detect` and `xlate normalize`: the encoding front end as a user meets it — reports per
# file (text and JSON), decoding legacy and broken files, binary input refused alike by run,
# detect, normalize and segment, output in another encoding, and the messages and exit statuses
# of bad input and bad options.
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

# --- binary input: one rule, one message, exit 1, in every command
# The first bytes of an x86-64 executable, with the NULs, the string table and the code bytes of a
# real one (made here: a test reads nothing outside the repository).
python3 - "$TMP/prog" <<'PY'
import struct, sys
head = b'\x7fELF\x02\x01\x01\x00' + bytes(8) + struct.pack('<HHIQQQIHHHHHH', 2, 62, 1, 0x401000,
       64, 0, 0, 64, 56, 1, 64, 0, 0)
strings = b'\0.text\0.data\0GLIBC_2.34\0main\0Usage: prog [FILE]\n\0'
code = bytes.fromhex('4883ec08488b05e52f00004885c07402ffd04883c408c3') * 40
open(sys.argv[1], 'wb').write(head + strings + code)
PY
printf 'Text, then a control character \001 that no text has.\n' > "$TMP/ctl.txt"
for cmd in run detect normalize segment; do
  expect_status 1 "$cmd on an executable" -- "$XLATE" $cmd "$TMP/prog"
  [ $cmd = detect ] && where=$TMP/out || where=$TMP/err
  expect_in "$where" "$TMP/prog: binary data (control character 0x7f at offset 0), not text" \
    "$cmd names the file, the sign of binary data and its offset"
  expect_status 1 "$cmd on a control character" -- "$XLATE" $cmd "$TMP/ctl.txt"
  [ $cmd = detect ] && where=$TMP/out || where=$TMP/err
  expect_in "$where" "$TMP/ctl.txt: binary data (control character 0x01 at offset 31), not text" \
    "$cmd: one control character no text has is enough"
done
printf 'Hello\0world\n' > "$TMP/nul.txt"
expect_status 1 "a NUL byte, even with --on-invalid=replace" -- \
  "$XLATE" normalize --on-invalid=replace "$TMP/nul.txt"
expect_in "$TMP/err" "nul.txt: binary data (a NUL byte at offset 5), not text" "NUL byte named"
expect_in "$TMP/err" "--encoding" "a NUL byte: says what to do for UTF-16/32 without a BOM"
expect_status 1 "detect --json on binary and text" -- \
  "$XLATE" detect --json "$TMP/prog" "$FILES/uk-short.utf-16be.txt"
checks=$((checks + 1))
python3 - "$TMP/out" <<'PY' || fail "detect --json: binary not reported as binary"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert r[0]["binary"] is True and r[0]["offset"] == 0, r
assert r[0]["reason"] == "control character 0x7f at offset 0" and "encoding" not in r[0], r
assert r[1]["binary"] is False and r[1]["encoding"] == "UTF-16BE", r
PY
# Text has tabs, form feeds, nroff's overstrike (BS), a terminal's colours (ESC) and, after old DOS
# editors, a ^Z at the end; none of it is binary, and the ^Z is no part of the text.
printf 'B\bBo\bold\tand \033[1mbright\033[0m\f\r\n\032' > "$TMP/legacy.txt"
expect_status 0 "legacy control characters are text" -- "$XLATE" normalize --normalize=none "$TMP/legacy.txt"
mv "$TMP/out" "$TMP/legacy.got"
printf 'B\bBo\bold\tand \033[1mbright\033[0m\f\n' > "$TMP/legacy.want"
expect_status 0 "text kept, CR LF made LF, the DOS end mark dropped" -- \
  cmp "$TMP/legacy.want" "$TMP/legacy.got"

# UTF-16 and UTF-32 without a byte order mark are text everywhere: run translates them as it
# translates the same text in UTF-8.
expect_status 0 "run on UTF-8" -- "$XLATE" run --plugin glossary "$CORPUS/texts/uk-short.txt"
cp "$TMP/out" "$TMP/run-utf8.tsv"
for enc in utf-16be utf-16le utf-32be; do
  expect_status 0 "run on $enc without BOM" -- "$XLATE" run --plugin glossary "$FILES/uk-short.$enc.txt"
  mv "$TMP/out" "$TMP/run-$enc.tsv"
  expect_status 0 "$enc: the same records as UTF-8" -- cmp "$TMP/run-$enc.tsv" "$TMP/run-utf8.tsv"
done
checks=$((checks + 1)); [ "$(wc -l < "$TMP/run-utf8.tsv")" -gt 2 ] || fail "run on UTF-8 gave no records"

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
