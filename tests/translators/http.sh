#!/usr/bin/env bash
# The http plugin through `xlate run`, against real servers on loopback ports: Apertium's APy
# (apertium-apy with the installed pairs) must give the apertium plugin's Spanish, and carry the
# glossary's terms (as markup, which APy keeps out of the sentence; the apertium plugin hands them
# to the engine in their sentence, so there the two differ); a LibreTranslate stand-in (LibreTranslate's API over the same Apertium pairs) checks
# the JSON protocol, the API key from the environment (never printed), retries on 429, and
# failures that keep their segments.
. "$SRC_ROOT/tests/cli/lib.sh"
HERE=$SRC_ROOT/tests/translators
EN=$SRC_ROOT/samples/oboz/oboz-stoltenberg.en.txt
TERMS=$SRC_ROOT/samples/en-es-terms.tsv
check() { checks=$((checks + 1)); "$@" || fail "$HERE/check_jsonl.py ${*:2}"; }
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# Every server listens on a port the kernel chose (port 0) and the test reads it back, so no other
# process can take the port between choosing it and listening on it (ports.py).

# --- APy: tornado binds port 0 but logs only "localhost:0"; the port is read from the server
# process's own listening socket, which also proves that the server answering there is ours.
apertium-apy -p 0 /usr/share/apertium/modes >"$TMP/apy.log" 2>&1 &
servers+=($!)
checks=$((checks + 1))
apy_port=$(python3 "$HERE/ports.py" listening "${servers[-1]}") ||
  { fail "apertium-apy did not start"; cat "$TMP/apy.log" >&2; finish; exit 1; }
apy="http:api=apy,url=http://127.0.0.1:$apy_port"

# Marks on for both: APy always runs Apertium's generator with marks and strips only '*'.
# One request at a time: APy's pipeline carries tagger state from one request to the next, so
# the order of requests must be the order of the segments.
expect_status 0 "apy with glossary" -- "$XLATE" run --plugin "glossary:file=$TERMS" \
  --plugin "$apy,mark_unknown=on,parallel=1" --from en --to es --format jsonl -o "$TMP/apy.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" terms "$TMP/apy.jsonl" "$TERMS"
expect_status 0 "apy" -- "$XLATE" run --plugin "$apy,mark_unknown=on,parallel=1" --from en --to es \
  --format jsonl -o "$TMP/apy-alone.jsonl" "$EN"
expect_status 0 "apertium" -- "$XLATE" run --plugin apertium:mark_unknown=on --from en --to es \
  --format jsonl -o "$TMP/apertium.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" same "$TMP/apertium.jsonl" "$TMP/apy-alone.jsonl"
# parallel requests: every segment still comes back, in its place
expect_status 0 "apy parallel" -- "$XLATE" run --plugin "$apy,parallel=8" --from en --to es \
  --format jsonl -o "$TMP/apy8.jsonl" "$EN"
expect_eq "$(python3 "$HERE/check_jsonl.py" count "$TMP/apy8.jsonl" ok)" \
  "$(wc -l < "$TMP/apy8.jsonl")" "every segment translated with 8 requests in flight"
expect_in "$TMP/apy8.jsonl" '"target":"Fuente: Servicio de Prensa DE LA OTAN"' "a segment has its own translation"
# a pair the server does not serve: a run error listing what it serves
expect_status 1 "apy pair not served" -- "$XLATE" run --plugin "$apy" --from en --to fr "$EN"
expect_in "$TMP/err" "does not serve eng|fra" "the missing pair is named"
expect_in "$TMP/err" "eng|spa" "the served pairs are listed"

# --- LibreTranslate's API (stand-in), key from the environment, first two requests answered 429
lt_port_file=$TMP/lt.port
python3 "$HERE/libretranslate_standin.py" --port-file "$lt_port_file" --api-key 'k3y-s3cr3t' \
  --fail-first 2 >"$TMP/lt.log" 2>&1 &
servers+=($!)
checks=$((checks + 1))
lt_port=$(python3 "$HERE/ports.py" written "$lt_port_file" "${servers[-1]}") ||
  { fail "the LibreTranslate stand-in did not start"; cat "$TMP/lt.log" >&2; finish; exit 1; }
lt="http:api=libretranslate,url=http://127.0.0.1:$lt_port"
expect_status 0 "libretranslate with retries" -- env XLATE_HTTP_KEY='k3y-s3cr3t' "$XLATE" run \
  --plugin "glossary:file=$TERMS" --plugin "$lt,batch=8" --from en --to es --format jsonl \
  -o "$TMP/lt.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" terms "$TMP/lt.jsonl" "$TERMS"
expect_in "$TMP/lt.jsonl" "el uso de las armas" "the stand-in's answers are Spanish"
# a wrong key: the segments fail with the server's message, and no key is printed
expect_status 1 "libretranslate wrong key" -- env XLATE_HTTP_KEY='wr0ng-k3y' "$XLATE" run \
  --plugin "$lt" --from en --to es --format jsonl -o "$TMP/lt-bad.jsonl" "$EN"
check python3 "$HERE/check_jsonl.py" failed "$TMP/lt-bad.jsonl" "HTTP 403: Invalid API key"
expect_not_in "$TMP/lt-bad.jsonl" "wr0ng-k3y" "the key is not in the output"
expect_not_in "$TMP/err" "wr0ng-k3y" "the key is not in the messages"
expect_eq "$(wc -l < "$TMP/lt-bad.jsonl")" "$(wc -l < "$TMP/lt.jsonl")" "failed segments stay in the output"

# --- no server: a run error that says so. The port is held, bound but never listening, for as
# long as the case runs: connections to it are refused, and no other server can appear on it.
python3 "$HERE/ports.py" closed "$TMP/closed.port" &
servers+=($!)
closed_port=$(python3 "$HERE/ports.py" written "$TMP/closed.port" "${servers[-1]}") ||
  fail "no port could be held closed"
expect_status 1 "no server" -- "$XLATE" run --plugin "http:api=apy,url=http://127.0.0.1:$closed_port" \
  --from en --to es "$EN"
expect_in "$TMP/err" "cannot reach the apy server" "an unreachable server is reported"

finish
