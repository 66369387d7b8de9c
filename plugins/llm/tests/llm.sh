#!/usr/bin/env bash
# The llm plugin through `xlate run`, against a stand-in for an OpenAI-compatible server that
# plays a model (model_server.py) and checks each request: the sample article through the
# glossary and the model, the terms in the prompt and in the answers, a model that drops a term,
# chats, or answers two segments in one (asked again once, then kept with a warning), a 429
# waited out, a malformed answer failing its segment alone, and the key in no output or log.
. "$SRC_ROOT/tests/cli/lib.sh"
HERE=$SRC_ROOT/plugins/llm/tests
PORTS=$SRC_ROOT/tests/translators/ports.py
UK=$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt
# The model's translations: the glossary's own output for the sample, which holds every term.
TABLE=$SRC_ROOT/samples/oboz/oboz-stoltenberg.glossary.tsv
KEY='sk-t3st-9f8e7d6c5b4a'
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
check() { checks=$((checks + 1)); "$@" || fail "check_run.py ${*:3}"; }

# start_server NAME ARGS...: a stand-in with its log in $TMP/NAME.log; sets $url.
start_server() {
  local name=$1; shift
  python3 "$HERE/model_server.py" --table "$TABLE" --port-file "$TMP/$name.port" \
    --log "$TMP/$name.log" "$@" >"$TMP/$name.server" 2>&1 &
  servers+=($!)
  local port
  port=$(python3 "$PORTS" written "$TMP/$name.port" "${servers[-1]}") ||
    { fail "the $name stand-in did not start"; cat "$TMP/$name.server" >&2; finish; exit 1; }
  url="http://127.0.0.1:$port/v1"
}

# run_llm NAME WANT OPTIONS...: the sample through the glossary and the llm plugin, as JSONL.
run_llm() {
  local name=$1 want=$2; shift 2
  expect_status "$want" "$name" -- env LLM_TEST_KEY="$KEY" XLATE_LOG=debug "$XLATE" run \
    --plugin glossary --plugin "llm:url=$url,key_env=LLM_TEST_KEY$*" --format jsonl \
    -o "$TMP/$name.jsonl" "$UK"
  cp "$TMP/err" "$TMP/$name.err"
}
C="python3 $HERE/check_run.py"

# --- a model that obeys; the model's name from the server's /v1/models
start_server obey --key "$KEY"
run_llm obey 0
check $C targets "$TMP/obey.jsonl" "$TABLE"
check $C terms "$TMP/obey.jsonl" "$TMP/obey.log"
check $C clean "$TMP/obey.log"
check $C requests "$TMP/obey.log" 2 1
expect_eq "$(grep -c . "$TMP/obey.log")" "$(grep -c . "$TMP/obey.jsonl")" "one request a segment"

# --- a model that leaves out a term: asked again with the term named, then right
start_server drop1 --key "$KEY" --mode drop-term-once --victims 2,4
run_llm drop1 0 ,parallel=2
check $C status "$TMP/drop1.jsonl" 2 ok
check $C status "$TMP/drop1.jsonl" 4 ok
check $C requests "$TMP/drop1.log" 2 2
check $C requests "$TMP/drop1.log" 3 1
check $C targets "$TMP/drop1.jsonl" "$TABLE"
check $C clean "$TMP/drop1.log"
# ... and one that leaves it out again: kept, with a warning naming the term
start_server drop2 --key "$KEY" --mode drop-term-always --victims 2
run_llm drop2 0
check $C status "$TMP/drop2.jsonl" 2 warning llm_term_missing
check $C target "$TMP/drop2.jsonl" 2 "it закликає"
expect_in "$TMP/drop2.jsonl" 'You did not use the term «Stoltenberg» for «Столтенберг».' "the warning names the term"
check $C clean "$TMP/drop2.log"

# --- chatter around the translation
start_server chat1 --key "$KEY" --mode chatter-once --victims 3
run_llm chat1 0
check $C status "$TMP/chat1.jsonl" 3 ok
check $C requests "$TMP/chat1.log" 3 2
check $C targets "$TMP/chat1.jsonl" "$TABLE"
check $C clean "$TMP/chat1.log"
start_server chat2 --key "$KEY" --mode chatter-always --victims 3
run_llm chat2 0
check $C status "$TMP/chat2.jsonl" 3 warning llm_chatter
check $C target "$TMP/chat2.jsonl" 3 "Here is the translation: Джерело"
check $C clean "$TMP/chat2.log"

# --- two segments answered in one
start_server merge1 --key "$KEY" --mode merge-once --victims 5
run_llm merge1 0
check $C status "$TMP/merge1.jsonl" 5 ok
check $C requests "$TMP/merge1.log" 5 2
check $C targets "$TMP/merge1.jsonl" "$TABLE"
check $C clean "$TMP/merge1.log"
start_server merge2 --key "$KEY" --mode merge-always --victims 5
run_llm merge2 0
check $C status "$TMP/merge2.jsonl" 5 warning llm_merged
expect_in "$TMP/merge2.jsonl" "it had 2 sentences where the segment has 1" "the warning says why"
check $C clean "$TMP/merge2.log"

# --- a 429 with Retry-After: the same request again, after it (one request in flight)
start_server limited --key "$KEY" --rate-limit-first 1
run_llm limited 0 ,parallel=1
check $C rate-limited "$TMP/limited.log"
expect_eq "$(grep -c . "$TMP/limited.log")" "$(( $(grep -c . "$TMP/limited.jsonl") + 1 ))" \
  "one request more than segments"
check $C targets "$TMP/limited.jsonl" "$TABLE"

# --- a malformed answer fails its segment alone
start_server malformed --key "$KEY" --malformed 7
run_llm malformed 1
check $C status "$TMP/malformed.jsonl" 7 failed
expect_in "$TMP/malformed.jsonl" "the answer cannot be used" "the failure says why"
check $C status "$TMP/malformed.jsonl" 8 ok
check $C status "$TMP/malformed.jsonl" 6 ok

# --- a wrong key stops the run, naming the variable, never the key
WRONG='sk-wr0ng-1a2b3c4d'
expect_status 1 "wrong key" -- env LLM_TEST_KEY="$WRONG" XLATE_LOG=debug "$XLATE" run \
  --plugin glossary --plugin "llm:url=$url,key_env=LLM_TEST_KEY,model=test-model" \
  --format jsonl -o "$TMP/wrong.jsonl" "$UK"
expect_in "$TMP/err" 'refused the key in $LLM_TEST_KEY' "the variable is named"
expect_not_in "$TMP/err" "$WRONG" "the wrong key is not in the messages"
# a variable that is not set is a usage error
expect_status 2 "no key" -- env -u LLM_TEST_KEY "$XLATE" run \
  --plugin "llm:url=$url,key_env=LLM_TEST_KEY" "$UK"
expect_in "$TMP/err" "LLM_TEST_KEY is not set" "the missing variable is named"

# --- the key is in no output and no log line of any run above
checks=$((checks + 1))
if grep -rlF -- "$KEY" "$TMP"/*.jsonl "$TMP"/*.err "$TMP"/*.log "$TMP"/err "$TMP"/out; then
  fail "the key is in the files above"
fi

finish
