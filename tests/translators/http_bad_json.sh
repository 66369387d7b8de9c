#!/usr/bin/env bash
# The http plugin against servers whose JSON is wrong in one field (bad_json_standin.py): null, a
# number, or nothing where the plugin expects text, at each endpoint of each API it speaks. The
# list of pairs read at start stops the run (exit 1) with a message naming the server, the
# endpoint, the field and what was expected; a wrong translation answer fails its segments with
# such a message, and they stay in the output. Never a crash, never a sanitizer report.
. "$SRC_ROOT/tests/cli/lib.sh"
HERE=$SRC_ROOT/tests/translators
server=
trap '[ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }; rm -rf "$TMP"' EXIT

python3 "$HERE/bad_json_standin.py" --port-file "$TMP/port" 2>"$TMP/standin.log" &
server=$!
port=$(python3 "$HERE/ports.py" written "$TMP/port" "$server") || { fail "the stand-in did not start"; cat "$TMP/standin.log" >&2; finish; exit 1; }
base=http://127.0.0.1:$port

printf 'The first sentence.\n\nThe second sentence.\n\nThe third sentence.\n' >"$TMP/in.txt"
SEGMENTS=3

# run API CASE WANT_STATUS: xlate run against that case, records in $TMP/API-CASE.jsonl.
run() {
  out=$TMP/$1-$2.jsonl
  url=$base/$1/$2
  expect_status "$3" "$1 $2" -- "$XLATE" run --plugin "http:api=$1,url=$url,retries=0" \
    --from en --to es --format jsonl -o "$out" "$TMP/in.txt"
  expect_not_in "$TMP/err" "Sanitizer" "$1 $2: no sanitizer report"
  expect_not_in "$TMP/err" "runtime error" "$1 $2: no undefined behaviour"
}

# all_failed_with TEXT: every segment of the last run is in its output, failed, with TEXT.
all_failed_with() {
  expect_eq "$(python3 "$HERE/check_jsonl.py" count "$out" failed)" "$SEGMENTS" \
    "$(basename "$out"): every segment failed"
  checks=$((checks + 1))
  python3 "$HERE/check_jsonl.py" failed "$out" "$1" || fail "$(basename "$out"): messages say '$1'"
}

phrase() { case $1 in null) echo null ;; number) echo "a number" ;; missing) echo missing ;; esac; }

# Controls: the same stand-in with right answers translates every segment, so the failures below
# come from the one wrong field.
for api in apy libretranslate; do
  run "$api" good 0
  expect_eq "$(python3 "$HERE/check_jsonl.py" count "$out" ok)" "$SEGMENTS" "$api good: every segment ok"
  expect_in "$out" '"target":"es:The second sentence."' "$api good: the stand-in's translation"
done

for flaw in null number missing; do
  is=$(phrase "$flaw")

  # --- at start: the list of pairs
  run apy "pairs-$flaw" 1
  expect_in "$TMP/err" "the apy server's /listPairs answer ($base/apy/pairs-$flaw/listPairs) cannot be used: responseData[0].sourceLanguage is $is; a string was expected" \
    "apy pairs-$flaw: the message names the endpoint, the field and what was expected"
  run libretranslate "pairs-$flaw" 1
  expect_in "$TMP/err" "the libretranslate server's /languages answer ($base/libretranslate/pairs-$flaw/languages) cannot be used: [0].code is $is; a string was expected" \
    "libretranslate pairs-$flaw: the message names the endpoint, the field and what was expected"

  # --- the translations
  run apy "translate-$flaw" 1
  all_failed_with "http apy $base/apy/translate-$flaw: the /translate answer cannot be used: responseData.translatedText is $is; a string was expected"
  run libretranslate "translate-$flaw" 1
  if [ "$flaw" = missing ]; then
    all_failed_with "http libretranslate $base/libretranslate/translate-$flaw: the /translate answer cannot be used: translatedText is missing; an array was expected"
  else
    for i in 0 1 2; do
      expect_in "$out" "the /translate answer cannot be used: translatedText[$i] is $is; a string was expected" \
        "libretranslate translate-$flaw: segment $((i + 1)) names its own entry"
    done
    all_failed_with "the /translate answer cannot be used: translatedText["
  fi
done

# One entry of LibreTranslate's array wrong: that segment fails, the others are translated.
run libretranslate translate-second-null 1
expect_eq "$(python3 "$HERE/check_jsonl.py" count "$out" failed)" 1 "second-null: one segment failed"
checks=$((checks + 1))
python3 "$HERE/check_jsonl.py" failed "$out" "translatedText[1] is null; a string was expected" ||
  fail "second-null: the failed segment names translatedText[1]"
expect_in "$out" '"target":"es:The third sentence."' "second-null: the others are translated"

# A page where JSON was expected.
for api in apy libretranslate; do
  run "$api" translate-html 1
  all_failed_with "the /translate answer cannot be used: the answer is not JSON: unexpected character at byte 0"
done

# An error answer whose message field is null: the segments fail with what else there is.
run apy error-null 1
all_failed_with "HTTP 400: Bad Request"
run libretranslate error-null 1
all_failed_with 'HTTP 400: {"error": null}'

finish
