#!/usr/bin/env bash
# What batching and parallel requests buy against a network translation service: 1,000 Ukrainian
# segments (the OBOZ.UA sample's sentences, repeated) through the http plugin's DeepL connector
# and a DeepL stand-in on loopback (tests/translators/services_standin.py) that answers every
# request after 50 ms, as a distant service would. Serially — one segment a request, one request at
# a time — the run would take at least 1,000 x 50 ms = 50 s of waiting. Measured:
#   xlate run --plugin http:api=deepl,url=...           (default: 50 texts a request, 4 in flight)
#   xlate run --plugin http:api=deepl,url=...,parallel=1  (batching alone)
# and, with --serial, the one-segment-a-request run itself (batch=1,parallel=1; about a minute).
# Prints each run's wall time, the requests the stand-in got, and serial/actual: how many times
# faster than the serial 50 s the run is.
#
# Usage: bench/http-services.sh [--serial] [XLATE]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
serial=0
if [ "${1:-}" = --serial ]; then serial=1; shift; fi
xlate=${1:-${XLATE:-$root/build/core/xlate}}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
die() { echo "http-services: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools python3

work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
delay=0.05
segments=1000

# 1,000 segments, one a line: the sample's sentences in turn.
"$xlate" segment "$root/samples/oboz/oboz-stoltenberg.uk.txt" | grep -v '^$' >"$work/sentences.txt"
python3 - "$work/sentences.txt" "$segments" >"$work/in.txt" <<'PY'
import sys
lines = [l.strip() for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
print('\n\n'.join(lines[i % len(lines)] for i in range(int(sys.argv[2]))))
PY
got=$("$xlate" run "$work/in.txt" 2>/dev/null | tail -n +2 | wc -l)
[ "$got" -eq "$segments" ] || die "the input has $got segments, not $segments"

python3 "$root/tests/translators/services_standin.py" --api deepl --key bench-key-0000 \
  --port-file "$work/port" --log "$work/requests.log" --delay "$delay" 2>"$work/server.err" &
server=$!
port=$(python3 "$root/tests/translators/ports.py" written "$work/port" "$server") || die "the stand-in did not start"

run() { # NAME OPTIONS
  : >"$work/requests.log"
  read -r wall cpu < <(timed env DEEPL_AUTH_KEY=bench-key-0000 "$xlate" run \
    --plugin "http:api=deepl,url=http://127.0.0.1:$port$2" --format jsonl -o "$work/$1.jsonl" "$work/in.txt")
  local ok requests
  ok=$(grep -c '"status":"ok"' "$work/$1.jsonl" || true)
  [ "$ok" -eq "$segments" ] || die "$1: $ok of $segments segments translated"
  requests=$(wc -l <"$work/requests.log")
  serial_s=$(awk -v n="$segments" -v d="$delay" 'BEGIN {printf "%.1f", n * d}')
  printf '%-32s %7.2f s wall  %4d requests  serial/actual %6.1f\n' "$1" "$wall" "$requests" \
    "$(awk -v s="$serial_s" -v w="$wall" 'BEGIN {printf "%.1f", s / w}')"
}

echo "$segments segments, $delay s a request; serial: $(awk -v n="$segments" -v d="$delay" 'BEGIN {printf "%.0f", n * d}') s"
run "batched, 4 in flight (default)" ""
run "batched, 1 in flight" ",parallel=1"
[ "$serial" = 1 ] && run "one a request, 1 in flight" ",batch=1,parallel=1"
exit 0
