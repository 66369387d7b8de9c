#!/usr/bin/env bash
# What plugin isolation costs: the glossary pipeline with and without --isolate, on the same
# Ukrainian corpus as bench/glossary-throughput.sh (Debian's Ukrainian man pages and the OBOZ.UA
# sample, repeated to at least SIZE_MB, default 20), in one run and pinned to one core, so that the
# host and the plugin's child share it as the in-process run has it alone:
#   xlate run --plugin glossary --format jsonl
#   xlate run --isolate --plugin glossary --format jsonl
# Prints the MB/s of each, checks that both wrote the same records, and prints the throughput
# ratio isolated/in-process (1.00 = free).
#
# Usage: bench/isolate.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
#   The corpus is cached in ${BENCH_CACHE:-/tmp/xlate-bench} and rebuilt when missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-20}
cache=${BENCH_CACHE:-/tmp/xlate-bench}

die() { echo "isolate: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools man col taskset cmp

# The same corpus as glossary-throughput.sh (and the same cache file).
corpus=$(uk_corpus "$size_mb")
bytes=$(stat -c %s "$corpus")

run_plain() {
  taskset -c 0 "$xlate" run --plugin glossary --from uk --to en --format jsonl -o "$cache/plain.jsonl" "$corpus"
}
run_isolated() {
  taskset -c 0 "$xlate" run --isolate --plugin glossary --from uk --to en --format jsonl -o "$cache/isolated.jsonl" "$corpus"
}

read -r wall_plain cpu_plain < <(timed run_plain)
read -r wall_iso cpu_iso < <(timed run_isolated)
cmp -s "$cache/plain.jsonl" "$cache/isolated.jsonl" || die "the isolated run wrote other records than the in-process run"
segments=$(wc -l < "$cache/plain.jsonl")

awk -v b="$bytes" -v s="$segments" -v wp="$wall_plain" -v cp="$cpu_plain" -v wi="$wall_iso" -v ci="$cpu_iso" 'BEGIN {
  mb = b / 1e6
  printf "corpus: %.1f MB of Ukrainian text, %d segments (same records with and without --isolate)\n", mb, s
  printf "%-54s %7s %9s %8s %10s\n", "", "wall s", "wall MB/s", "cpu s", "cpu MB/s"
  printf "%-54s %7.2f %9.1f %8.2f %10.1f\n", "xlate run --plugin glossary --format jsonl", wp, mb / wp, cp, mb / cp
  printf "%-54s %7.2f %9.1f %8.2f %10.1f\n", "xlate run --isolate --plugin glossary --format jsonl", wi, mb / wi, ci, mb / ci
  printf "throughput ratio isolated/in-process: %.2f (wall), %.2f (cpu)\n", wp / wi, cp / ci
}'
