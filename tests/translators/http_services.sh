#!/usr/bin/env bash
# The http plugin's DeepL, Google (v2), Microsoft (v3) and ModernMT connectors through `xlate run`
# and `xlate batch`, each against a stand-in on loopback (services_standin.py) that checks every
# request as strictly as the service's documentation (auth header, fields, language codes, batch
# limits) and answers as documented. For each service: the Ukrainian sample with the glossary in
# front translated, its terms kept; requests as large as the service allows; a 429 with
# Retry-After waited out; a quota error ending the run with what was done kept; a malformed answer
# failing only its segments; a refused key failing at once, naming the variable; a dry run that
# sends nothing and counts what the real run sent; and the key in no output, log or report.
# One service a run: http_services.sh deepl|google|microsoft|modernmt (a test each).
. "$SRC_ROOT/tests/cli/lib.sh"
api=${1:?give the service: deepl, google, microsoft or modernmt}
HERE=$SRC_ROOT/tests/translators
SAMPLE=$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# Three copies of the sample: 72 segments, so two host batches (64 + 8) of one or more requests.
for i in 1 2 3; do cat "$SAMPLE"; echo; done >"$TMP/three.txt"
checks=$((checks + 1))
n_three=$("$XLATE" run "$TMP/three.txt" 2>/dev/null | tail -n +2 | wc -l)
[ "$n_three" = 72 ] || fail "the three-copy document has $n_three segments, not 72"

# log_field LOG EXPR: a Python expression over `reqs`, the stand-in's request records in order.
log_field() { python3 -c 'import json,sys; reqs=[json.loads(l) for l in open(sys.argv[1])]; print(eval(sys.argv[2]))' "$1" "$2"; }
count_status() { python3 "$HERE/check_jsonl.py" count "$1" "$2"; }

# start NAME API KEY [ARGS...]: a stand-in whose port lands in $port, its log in $TMP/NAME.log.
start() {
  local name=$1 api=$2 key=$3; shift 3
  rm -f "$TMP/$name.log" "$TMP/$name.port"
  python3 "$HERE/services_standin.py" --api "$api" --key "$key" --port-file "$TMP/$name.port" \
    --log "$TMP/$name.log" "$@" 2>"$TMP/$name.stderr" &
  servers+=($!)
  checks=$((checks + 1))
  port=$(python3 "$HERE/ports.py" written "$TMP/$name.port" "${servers[-1]}") ||
    { fail "the $api stand-in did not start"; cat "$TMP/$name.stderr" >&2; }
  : >>"$TMP/$name.log"
}

# case NAME [SCRIPT]: a new case on the running stand-in, its requests logged to $TMP/NAME.log.
case_on() {
  local name=$1 script=${2:-}
  : >"$TMP/$name.log"
  checks=$((checks + 1))
  curl -sf -X POST --data-binary "{\"script\": \"$script\", \"log\": \"$TMP/$name.log\"}" \
    "http://127.0.0.1:$port/standin/reset" >/dev/null || fail "the stand-in did not take case $name"
}

# no_key KEY WHAT FILES...: the key is in none of the files.
no_key() {
  local key=$1 what=$2; shift 2
  checks=$((checks + 1))
  if grep -rlF -- "$key" "$@" >/dev/null 2>&1; then
    fail "$what: the key is in $(grep -rlF -- "$key" "$@" | head -3 | tr '\n' ' ')"
  fi
}

case $api in
  deepl) var=DEEPL_AUTH_KEY; limit=50; extra=""; quota_status=456 ;;
  google) var=GOOGLE_API_KEY; limit=128; extra=""; quota_status=403 ;;
  microsoft) var=AZURE_TRANSLATOR_KEY; limit=1000; extra=",region=westeurope"; quota_status=403 ;;
  modernmt) var=MODERNMT_API_KEY; limit=128; extra=""; quota_status=402 ;;
  *) fail "no such service: $api"; finish; exit 1 ;;
esac
key="sk-$api-7f3e9a1c5b-SECRET"
region_args=()
[ "$api" = microsoft ] && region_args=(--region westeurope)
# A host batch is 64 segments: a request carries at most that many, or the service's limit.
per_request=$(( limit < 64 ? limit : 64 ))
all_files=()

# --- the sample, glossary in front: every segment translated, every term in its place ------
start "$api" "$api" "$key" "${region_args[@]}"
plugin="http:api=$api,url=http://127.0.0.1:$port$extra"
expect_status 0 "$api: the sample" -- env "$var=$key" "$XLATE" run --plugin glossary \
  --plugin "$plugin" --format jsonl -o "$TMP/$api.jsonl" "$SAMPLE"
cp "$TMP/err" "$TMP/$api.err"
all_files+=("$TMP/$api.jsonl" "$TMP/$api.err" "$TMP/$api.log")
checks=$((checks + 1))
terms=$(python3 "$HERE/check_jsonl.py" kept "$TMP/$api.jsonl" "[$api] ") ||
  fail "$api: the sample's records are not all translated with their terms in place"
expect_eq "$terms" 74 "$api: the glossary's 74 terms of the sample are in the targets"
expect_eq "$(log_field "$TMP/$api.log" 'len(reqs), sum(r["texts"] for r in reqs), {r["status"] for r in reqs}')" \
  "(1, 24, {200})" "$api: the 24 segments went in one request"
sent_chars=$(log_field "$TMP/$api.log" 'sum(r["chars"] for r in reqs)')
expect_in "$TMP/$api.err" "$(printf '  %-16s %12s %14s' "$api" 1 "$sent_chars")" \
  "$api: the usage table says what the stand-in received"

# --- a dry run: nothing sent, no key needed, the same count ------------------------------
expect_status 0 "$api: dry run" -- env -u "$var" "$XLATE" run --dry-run --plugin glossary \
  --plugin "$plugin" --format jsonl -o "$TMP/$api-dry.jsonl" "$SAMPLE"
expect_in "$TMP/err" "$(printf '  %-16s %12s %14s' "$api" 1 "$sent_chars")" \
  "$api: the dry run counts what the real run sent"
expect_eq "$(log_field "$TMP/$api.log" 'len(reqs)')" 1 "$api: the dry run sent nothing"
[ -e "$TMP/$api-dry.jsonl" ] && fail "$api: the dry run wrote its output"

# --- requests as large as allowed, through batch with two workers ------------------------
case_on "$api-big"
mkdir -p "$TMP/in-$api"
cp "$TMP/three.txt" "$TMP/in-$api/a.txt"
cp "$SAMPLE" "$TMP/in-$api/b.txt"
expect_status 0 "$api: batch" -- env "$var=$key" "$XLATE" batch -j 2 --plugin glossary \
  --plugin "$plugin" --format jsonl "$TMP/in-$api" -o "$TMP/out-$api"
cp "$TMP/err" "$TMP/$api-batch.err"
all_files+=("$TMP/out-$api" "$TMP/$api-batch.err" "$TMP/$api-big.log")
expect_eq "$(log_field "$TMP/$api-big.log" 'max(r["texts"] for r in reqs), sum(r["texts"] for r in reqs)')" \
  "($per_request, 96)" "$api: requests carry $per_request texts, every segment once"
expect_eq "$(python3 -c 'import json,sys; u=json.load(open(sys.argv[1]))["usage"][sys.argv[2]]; print(u["requests"], u["characters"])' \
  "$TMP/out-$api/report.json" "$api")" \
  "$(log_field "$TMP/$api-big.log" '"%d %d" % (len(reqs), sum(r["chars"] for r in reqs))')" \
  "$api: report.json's usage is what the stand-in received"

# --- --batch-size: the host hands the plugin as many segments as the service takes ----------
# A document longer than one full request (the sample 45 times: 1,080 segments) in calls of the
# service's limit: requests carry more than the default 64 segments where the service takes more
# (as many as its character limit lets: Microsoft's 50,000 and ModernMT's 10,000 characters come
# before their text counts), never more than it takes, every segment once.
case_on "$api-full"
for i in $(seq 45); do cat "$SAMPLE"; echo; done >"$TMP/long-$api.txt"
expect_status 0 "$api: --batch-size $limit" -- env "$var=$key" "$XLATE" run --batch-size "$limit" \
  --plugin "$plugin" --format jsonl -o "$TMP/$api-full.jsonl" "$TMP/long-$api.txt"
expect_eq "$(log_field "$TMP/$api-full.log" 'min(max(r["texts"] for r in reqs), 65) == min('"$limit"', 65), max(r["texts"] for r in reqs) <= '"$limit"', sum(r["texts"] for r in reqs)')" \
  "(True, True, 1080)" "$api: with --batch-size $limit requests fill past 64 texts up to the service's limit, every segment once"
expect_eq "$(count_status "$TMP/$api-full.jsonl" ok)" 1080 "$api: every segment of the long document translated"
all_files+=("$TMP/$api-full.jsonl" "$TMP/$api-full.log")

# --- 429 with Retry-After (seconds, or an HTTP date), then the same request again ----------
how=429; [ "$api" = deepl ] || [ "$api" = microsoft ] && how=429date
case_on "$api-429" "1:$how"
expect_status 0 "$api: a 429 waited out" -- env "$var=$key" "$XLATE" run \
  --plugin "http:api=$api,url=http://127.0.0.1:$port$extra" --format jsonl -o "$TMP/$api-429.jsonl" "$SAMPLE"
expect_eq "$(log_field "$TMP/$api-429.log" '[(r["status"], r["texts"]) for r in reqs]')" \
  "[(429, 24), (200, 24)]" "$api: the request answered 429 came again, whole"
# The retry came no earlier than Retry-After allowed: a lower bound, whatever the machine's speed.
expect_eq "$(log_field "$TMP/$api-429.log" 'reqs[1]["t"] - reqs[0]["t"] >= 0.9')" True \
  "$api: the retry waited for Retry-After ($how)"
expect_eq "$(count_status "$TMP/$api-429.jsonl" ok)" 24 "$api: every segment translated after the 429"

# --- quota used up on the second request: what was done is kept, nothing more is sent -------
case_on "$api-quota" "2:quota"
expect_status 1 "$api: quota exceeded" -- env "$var=$key" "$XLATE" run \
  --plugin "http:api=$api,url=http://127.0.0.1:$port$extra,parallel=1" --format jsonl \
  -o "$TMP/$api-quota.jsonl" "$TMP/three.txt"
cp "$TMP/err" "$TMP/$api-quota.err"
all_files+=("$TMP/$api-quota.jsonl" "$TMP/$api-quota.err")
expect_in "$TMP/$api-quota.err" "quota of the key in $var is used up" "$api: the quota is named on stderr"
expect_eq "$(log_field "$TMP/$api-quota.log" '[r["status"] for r in reqs]')" "[200, $quota_status]" \
  "$api: nothing was sent after the quota error"
expect_eq "$(count_status "$TMP/$api-quota.jsonl" ok) $(count_status "$TMP/$api-quota.jsonl" failed)" \
  "$per_request $((72 - per_request))" "$api: the first request's segments kept, the rest failed"
checks=$((checks + 1))
python3 "$HERE/check_jsonl.py" failed "$TMP/$api-quota.jsonl" "is used up" ||
  fail "$api: each unsent segment says why"

# --- a malformed answer (not JSON), and one bad entry: only their segments fail -------------
case_on "$api-bad" "1:malformed,2:badentry"
expect_status 1 "$api: malformed answers" -- env "$var=$key" "$XLATE" run \
  --plugin "http:api=$api,url=http://127.0.0.1:$port$extra,parallel=1" --format jsonl \
  -o "$TMP/$api-bad.jsonl" "$TMP/three.txt"
first=$(log_field "$TMP/$api-bad.log" 'reqs[0]["texts"]')
expect_eq "$(count_status "$TMP/$api-bad.jsonl" failed)" "$((first + 1))" \
  "$api: the malformed answer's $first segments and the bad entry's one failed"
expect_eq "$(count_status "$TMP/$api-bad.jsonl" ok)" "$((72 - first - 1))" "$api: the others are translated"
expect_in "$TMP/$api-bad.jsonl" "answer cannot be used: the answer is not JSON" "$api: the malformed answer is described"

# --- a refused key: fails at once (no retry), names the variable, sends nothing more --------
case_on "$api-auth"
expect_status 1 "$api: a wrong key" -- env "$var=wrong-$key" "$XLATE" run \
  --plugin "http:api=$api,url=http://127.0.0.1:$port$extra,parallel=1" --format jsonl \
  -o "$TMP/$api-auth.jsonl" "$TMP/three.txt"
cp "$TMP/err" "$TMP/$api-auth.err"
all_files+=("$TMP/$api-auth.jsonl" "$TMP/$api-auth.err")
expect_in "$TMP/$api-auth.err" "refused the key in $var" "$api: the refused key's variable is named"
expect_eq "$(count_status "$TMP/$api-auth.jsonl" failed)" 72 "$api: every segment failed"
# DeepL's first host batch is two requests (50 + 14), sent before the first answer is read.
first_batch=1
[ "$api" = deepl ] && first_batch=2
expect_eq "$(log_field "$TMP/$api-auth.log" 'len(reqs)')" "$first_batch" \
  "$api: no retry, and nothing sent after the first batch's requests"
no_key "wrong-$key" "$api: the wrong key" "$TMP/$api-auth.jsonl" "$TMP/$api-auth.err"

# --- no key at all, and key= on the command line: usage errors naming key_env -------------
expect_status 2 "$api: no key" -- env -u "$var" "$XLATE" run --plugin "$plugin" "$SAMPLE"
expect_in "$TMP/err" "put it in the environment variable $var" "$api: a missing key names the variable"
expect_status 2 "$api: key= refused" -- "$XLATE" run --plugin "$plugin,key=$key" "$SAMPLE"
expect_in "$TMP/err" "key= is not taken" "$api: key= is refused"
expect_in "$TMP/err" "key_env=" "$api: the message says to use key_env"
all_files+=("$TMP/err")
expect_status 2 "$api: batch above the service's limit" -- env "$var=$key" "$XLATE" run \
  --plugin "$plugin,batch=$((limit + 1))" "$SAMPLE"
expect_in "$TMP/err" "batch=$((limit + 1)) is out of range; give 1 to $limit (the limit of the" \
  "$api: the limit is named"

no_key "$key" "$api: every output, log and report" "${all_files[@]}"

case $api in
  microsoft)
    # A regional resource: without region= the header is missing, and the stand-in refuses.
    case_on ms-region
    expect_status 1 "microsoft without its region" -- env "$var=$key" \
      "$XLATE" run --plugin "http:api=microsoft,url=http://127.0.0.1:$port" --format jsonl "$SAMPLE"
    expect_in "$TMP/$api.stderr" "Ocp-Apim-Subscription-Region is missing" "the stand-in checks the region header" ;;
  deepl)
    # Language codes as DeepL names them: en-US is EN-US (the stand-in checks the pair).
    start deepl-us deepl "$key" --target EN-US
    expect_status 0 "deepl to en-US" -- env "$var=$key" "$XLATE" run --to en-US \
      --plugin "http:api=deepl,url=http://127.0.0.1:$port" "$SAMPLE" ;;
  google)
    start google-tw google "$key" --target zh-TW
    expect_status 0 "google to zh-Hant" -- env "$var=$key" "$XLATE" run --to zh-Hant \
      --plugin "http:api=google,url=http://127.0.0.1:$port" "$SAMPLE" ;;
esac
finish
