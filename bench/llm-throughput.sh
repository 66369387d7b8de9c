#!/usr/bin/env bash
# How much do concurrent requests buy the llm plugin against a slow model?
#
# A stand-in for an OpenAI-compatible server (plugins/llm/tests/model_server.py) that answers
# every request after 50 ms, as a model on a GPU answers a short sentence, and a document of
# 1,000 one-sentence segments (each its own, so the stand-in checks every request's context as
# it does in the tests). Times in one run
#   xlate run --plugin llm:url=…,model=bench,parallel=1
#   xlate run --plugin llm:url=…,model=bench,parallel=8
# checks that both translate every segment, and prints the wall times, the serial floor
# (1,000 × 50 ms) and the ratio parallel=1 / parallel=8. One server thread a request, so the
# stand-in itself does not serialise them.
#
# Usage: bench/llm-throughput.sh [BUILD_DIR] [SEGMENTS] [DELAY_MS]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
segments=${2:-1000}
delay=${3:-50}
xlate=$build/core/xlate
die() { echo "llm-throughput: $*" >&2; exit 1; }
[ -x "$xlate" ] && [ -f "$build/plugins/llm/llm.so" ] || die "build xlate and plugins/llm first"

tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT

# The document and the model's table: segment N and its translation.
python3 - "$segments" "$tmp/doc.uk.txt" "$tmp/table.tsv" <<'PY'
import sys
n, doc, table = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(doc, 'w') as d, open(table, 'w') as t:
    t.write('id\tsource\ttarget\tstatus\tmessage\n')
    for i in range(1, n + 1):
        src = 'Речення номер %d про новини дня.' % i
        d.write(src + '\n\n')
        t.write('%d\t%s\tSentence number %d about the news of the day.\tok\t\n' % (i, src, i))
PY

mkdir "$tmp/logs"
python3 "$root/plugins/llm/tests/model_server.py" --table "$tmp/table.tsv" --model bench \
  --port-file "$tmp/port" --log-dir "$tmp/logs" --delay-ms "$delay" >"$tmp/server.out" 2>&1 &
server=$!
port=$(python3 "$root/tests/translators/ports.py" written "$tmp/port" "$server") ||
  die "the stand-in did not start: $(cat "$tmp/server.out")"

run() { # run PARALLEL: prints the wall time
  local TIMEFORMAT='%R' t
  t=$( { time XLATE_PLUGIN_PATH= "$xlate" run \
          --plugin "llm:url=http://127.0.0.1:$port/v1,model=bench,parallel=$1" \
          --format jsonl -o "$tmp/out$1.jsonl" "$tmp/doc.uk.txt" 2>"$tmp/err$1"; } 2>&1 ) ||
    die "parallel=$1 failed: $(tail -3 "$tmp/err$1")"
  local ok
  ok=$(grep -c '"status":"ok"' "$tmp/out$1.jsonl")
  [ "$ok" -eq "$segments" ] || die "parallel=$1: $ok of $segments segments ok"
  echo "$t"
}

t1=$(run 1)
t8=$(run 8)
grep -q '"violation": "' "$tmp/logs/default.log" && die "requests broke the stand-in's rules"
awk -v n="$segments" -v d="$delay" -v t1="$t1" -v t8="$t8" 'BEGIN {
  printf "segments %d, %d ms a request; serial floor %.1f s\n", n, d, n * d / 1000
  printf "parallel=1  %7.2f s  %6.1f segments/s\n", t1, n / t1
  printf "parallel=8  %7.2f s  %6.1f segments/s\n", t8, n / t8
  printf "ratio parallel=1 / parallel=8: %.2f\n", t1 / t8
}'
