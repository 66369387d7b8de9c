#!/usr/bin/env bash
# The llm plugin through `xlate run`, against a stand-in for an OpenAI-compatible server that
# plays a model (model_server.py) and checks each request: the sample article through the
# glossary and the model, the terms in the prompt and in the answers, a model that drops a term,
# chats, or answers two segments in one (asked again once, then kept with a warning), a 429
# waited out, a malformed answer failing its segment alone, a dry run that sends nothing, and
# the key in no output or log.
. "$SRC_ROOT/tests/cli/lib.sh"
HERE=$SRC_ROOT/plugins/llm/tests
UK=$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt
# The model's translations: the glossary's own output for the sample, which holds every term.
TABLE=$SRC_ROOT/samples/oboz/oboz-stoltenberg.glossary.tsv
KEY='sk-t3st-9f8e7d6c5b4a'
C=(python3 "$HERE/check_run.py")
check() { checks=$((checks + 1)); "$@" || fail "check_run.py ${*:3}"; }

# One stand-in plays every model of the test, each under its own URL (http://…/CASE/v1).
mkdir "$TMP/logs"
python3 "$HERE/model_server.py" --table "$TABLE" --port-file "$TMP/port" --key "$KEY" \
  --log-dir "$TMP/logs" \
  --case obey --case isolated --case dry --case memory \
  --case drop1:mode=drop-term-once:victims=2+4 --case drop2:mode=drop-term-always:victims=2 \
  --case chat1:mode=chatter-once:victims=3 --case chat2:mode=chatter-always:victims=3 \
  --case merge1:mode=merge-once:victims=5 --case merge2:mode=merge-always:victims=5 \
  --case "codes:table=$HERE/codes.table.tsv:mode=drop-tag-once:victims=2" \
  --case limited:rate-limit-first=1 --case malformed:malformed=7 --case wrong \
  >"$TMP/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$TMP"' EXIT
port=$(python3 "$SRC_ROOT/tests/translators/ports.py" written "$TMP/port" $server) ||
  { fail "the stand-in did not start"; cat "$TMP/server.out" >&2; finish; exit 1; }
base=http://127.0.0.1:$port
L=$TMP/logs

# run_llm CASE WANT [,OPTIONS] [XLATE OPTIONS...]: the sample through the glossary and the llm
# plugin on the case's model, as JSONL in $TMP/CASE.jsonl, stderr in $TMP/CASE.err.
run_llm() {
  local name=$1 want=$2 opts=${3:-}; shift 3
  expect_status "$want" "$name" -- env LLM_TEST_KEY="$KEY" XLATE_LOG=debug "$XLATE" run "$@" \
    --plugin glossary --plugin "llm:url=$base/$name/v1,key_env=LLM_TEST_KEY$opts" \
    --format jsonl -o "$TMP/$name.jsonl" "$UK"
  cp "$TMP/err" "$TMP/$name.err"
}

# --- a model that obeys; the model's name from the server's /v1/models
run_llm obey 0 ""
segs=$(grep -c . "$TMP/obey.jsonl")
check "${C[@]}" targets "$TMP/obey.jsonl" "$TABLE" + terms "$TMP/obey.jsonl" "$L/obey.log" \
  + clean "$L/obey.log" + requests "$L/obey.log" 2 1 + posts "$L/obey.log" "$segs"
expect_in "$L/obey.log" '"get": "/obey/v1/models"' "the model was asked of the server"
expect_in "$TMP/obey.err" "xlate: sent to network services:" "the run counts what it sent"
usage=$(grep -E '^  llm-127-0-0-1 +[0-9]+ +[0-9]+$' "$TMP/obey.err")
expect_eq "$(echo "$usage" | awk '{print $2}')" "$segs" "one request a segment is counted"

# --- the same in a child process (--isolate): the same records, the usage passed on
run_llm isolated 0 "" --isolate
check "${C[@]}" targets "$TMP/isolated.jsonl" "$TABLE" + clean "$L/isolated.log"
expect_eq "$(cat "$TMP/isolated.jsonl")" "$(cat "$TMP/obey.jsonl")" "isolated, the same records"
expect_in "$TMP/isolated.err" "$usage" "an isolated instance's usage is counted"

# --- a translation memory in front: what it filled is not asked, and is context with its
# translation (the stand-in checks that translation against its table)
awk -F'\t' 'NR == 1 { print "source\ttarget" } NR == 4 { print $2 "\t" $3 }' "$TABLE" >"$TMP/mem.tsv"
expect_status 0 "tm import" -- "$XLATE" tm import --db "$TMP/news.tm" --from uk --to en "$TMP/mem.tsv"
run_llm memory 0 "" --plugin "tm:db=$TMP/news.tm"
check "${C[@]}" requests "$L/memory.log" 3 0 + status "$TMP/memory.jsonl" 3 ok \
  + targets "$TMP/memory.jsonl" "$TABLE" + context "$L/memory.log" 4 1 \
  + context "$L/memory.log" 5 1 + context "$L/memory.log" 2 0 + clean "$L/memory.log"
expect_in "$TMP/memory.jsonl" '"origin":"tm"' "the memory's target is its own"

# --- a document with inline codes: the masked source goes to the model, with the glossary's
# terms as tags too; a tag left out is asked again; the codes and terms come back in place
CODES=$HERE/codes.uk.html
expect_status 0 "codes" -- env LLM_TEST_KEY="$KEY" "$XLATE" run --plugin glossary \
  --plugin "llm:url=$base/codes/v1,key_env=LLM_TEST_KEY" --format doc -o "$TMP/codes.html" "$CODES"
expect_in "$TMP/codes.html" '<title>News of the day</title>' "a segment without codes, plain"
expect_in "$TMP/codes.html" '<p>Stoltenberg calls for <b>lifting</b> restrictions on the use of weapons.</p>' \
  "codes and terms back in place"
check "${C[@]}" requests "$L/codes.log" 2 2 + requests "$L/codes.log" 1 1 + clean "$L/codes.log"

# --- a dry run: the same count, nothing sent (not even the model list), nothing written
run_llm dry 0 "" --dry-run
expect_eq "$(wc -c <"$L/dry.log")" 0 "a dry run sends nothing"
expect_in "$TMP/dry.err" "dry run: nothing was sent" "the dry run says so"
expect_in "$TMP/dry.err" "$usage" "the dry run counts what the real run sent"
checks=$((checks + 1)); [ -e "$TMP/dry.jsonl" ] && fail "a dry run wrote its output"

# --- a model that leaves out a term: asked again with the term named, then right
run_llm drop1 0 ,parallel=2
check "${C[@]}" status "$TMP/drop1.jsonl" 2 ok + status "$TMP/drop1.jsonl" 4 ok \
  + requests "$L/drop1.log" 2 2 + requests "$L/drop1.log" 3 1 \
  + targets "$TMP/drop1.jsonl" "$TABLE" + clean "$L/drop1.log"
# ... and one that leaves it out again: kept, with a warning naming the term
run_llm drop2 0 ""
check "${C[@]}" status "$TMP/drop2.jsonl" 2 warning llm_term_missing \
  + target "$TMP/drop2.jsonl" 2 "it закликає" + clean "$L/drop2.log"
expect_in "$TMP/drop2.jsonl" 'You did not use the term «Stoltenberg» for «Столтенберг».' \
  "the warning names the term"

# --- chatter around the translation
run_llm chat1 0 ""
check "${C[@]}" status "$TMP/chat1.jsonl" 3 ok + requests "$L/chat1.log" 3 2 \
  + targets "$TMP/chat1.jsonl" "$TABLE" + clean "$L/chat1.log"
run_llm chat2 0 ""
check "${C[@]}" status "$TMP/chat2.jsonl" 3 warning llm_chatter \
  + target "$TMP/chat2.jsonl" 3 "Here is the translation: Джерело" + clean "$L/chat2.log"

# --- two segments answered in one
run_llm merge1 0 ""
check "${C[@]}" status "$TMP/merge1.jsonl" 5 ok + requests "$L/merge1.log" 5 2 \
  + targets "$TMP/merge1.jsonl" "$TABLE" + clean "$L/merge1.log"
run_llm merge2 0 ""
check "${C[@]}" status "$TMP/merge2.jsonl" 5 warning llm_merged + clean "$L/merge2.log"
expect_in "$TMP/merge2.jsonl" "it had 2 sentences where the segment has 1" "the warning says why"

# --- a 429 with Retry-After: every request waits, then the same one goes again (one in flight);
# the stand-in refuses a retry sent before Retry-After
run_llm limited 0 ,parallel=1
check "${C[@]}" rate-limited "$L/limited.log" + posts "$L/limited.log" $((segs + 1)) \
  + targets "$TMP/limited.jsonl" "$TABLE" + clean "$L/limited.log"

# --- a malformed answer fails its segment alone
run_llm malformed 1 ""
check "${C[@]}" status "$TMP/malformed.jsonl" 7 failed + status "$TMP/malformed.jsonl" 8 ok \
  + status "$TMP/malformed.jsonl" 6 ok
expect_in "$TMP/malformed.jsonl" "the answer cannot be used" "the failure says why"

# --- a wrong key stops the run, naming the variable, never the key
WRONG='sk-wr0ng-1a2b3c4d'
expect_status 1 "wrong key" -- env LLM_TEST_KEY="$WRONG" XLATE_LOG=debug "$XLATE" run \
  --plugin glossary --plugin "llm:url=$base/wrong/v1,key_env=LLM_TEST_KEY,model=test-model" \
  --format jsonl -o "$TMP/wrong.jsonl" "$UK"
expect_in "$TMP/err" 'refused the key in $LLM_TEST_KEY' "the variable is named"
expect_not_in "$TMP/err" "$WRONG" "the wrong key is not in the messages"
# a variable that is not set is a usage error
expect_status 2 "no key" -- env -u LLM_TEST_KEY "$XLATE" run \
  --plugin "llm:url=$base/obey/v1,key_env=LLM_TEST_KEY" "$UK"
expect_in "$TMP/err" "LLM_TEST_KEY is not set" "the missing variable is named"

# --- the key is in no output and no log line of any run above
checks=$((checks + 1))
if grep -rlF -- "$KEY" "$TMP"/*.jsonl "$TMP"/*.err "$L" "$TMP"/err "$TMP"/out; then
  fail "the key is in the files above"
fi

finish
