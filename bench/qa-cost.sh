#!/usr/bin/env bash
# What does the qa check plugin add to a glossary run?
#
# On the Ukrainian text of glossary-throughput.sh (at least SIZE_MB, default 20: the Ukrainian man
# pages and the OBOZ.UA sample), times in one run and pinned to one core:
#   xlate run --plugin glossary --plugin testtrans --format jsonl              (the glossary run)
#   xlate run --plugin glossary --plugin testtrans --plugin qa --format jsonl  (the same, checked)
# testtrans (tests/plugins/testtrans.c) is the test translator: it carries the glossary's terms
# through as placeholders and upper-cases ASCII letters, so every segment has a target for qa to
# check, close to its source (most segments get `untranslated`: the warnings and their JSONL are in
# the cost). Each run is made ROUNDS times (default 3), alternating, and the least CPU time (user +
# system) of each is kept. Prints both, qa's cost as a fraction of the glossary run, the warnings
# per check, and whether the target (qa <= 10% of the glossary run) is met.
#
# Usage: bench/qa-cost.sh [BUILD_DIR] [SIZE_MB] [ROUNDS]
#   BUILD_DIR  the meson build folder (default: build/); xlate, the plugins and testtrans from it
#   The corpus is cached in ${BENCH_CACHE:-/tmp/xlate-bench} and rebuilt when missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
size_mb=${2:-20}
rounds=${3:-3}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
xlate=$build/core/xlate
testtrans=$build/tests/plugins/testtrans.so

die() { echo "qa-cost: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass the build folder"
[ -f "$testtrans" ] || die "no test translator at $testtrans; build first (ninja -C build)"
[ -f "$build/plugins/qa/qa.so" ] || die "no qa plugin in $build/plugins/qa; build first"
. "$root/bench/lib.sh"
require_tools man col taskset
corpus=$(uk_corpus "$size_mb")
bytes=$(stat -c %s "$corpus")

run_chain() { # run_chain OUT [--plugin qa]
  local out=$1; shift
  taskset -c 0 env XLATE_PLUGIN_PATH="$build/plugins" "$xlate" run --plugin glossary \
    --plugin "$testtrans" "$@" --from uk --to en --format jsonl -o "$out" "$corpus"
}
run_plain() { run_chain "$cache/qa-cost-plain.jsonl"; }
run_qa() { run_chain "$cache/qa-cost-qa.jsonl" --plugin qa; }

best_plain=; best_qa=
for _ in $(seq "$rounds"); do
  read -r _ cpu < <(timed run_plain)
  best_plain=$(awk -v a="$cpu" -v b="${best_plain:-$cpu}" 'BEGIN { print (a < b ? a : b) }')
  read -r _ cpu < <(timed run_qa)
  best_qa=$(awk -v a="$cpu" -v b="${best_qa:-$cpu}" 'BEGIN { print (a < b ? a : b) }')
done

segments=$(wc -l < "$cache/qa-cost-qa.jsonl")
[ "$segments" -eq "$(wc -l < "$cache/qa-cost-plain.jsonl")" ] || die "the two runs wrote different segment counts"
warned=$(grep -c '"plugin":"qa"' "$cache/qa-cost-qa.jsonl" || true)

echo "corpus: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of Ukrainian text, $segments segments, $warned with a qa warning"
echo "warnings per check:"
grep -o '"plugin":"qa","level":"warning","code":"[a-z-]*"' "$cache/qa-cost-qa.jsonl" |
  sed 's/.*"code":"//; s/"$//' | sort | uniq -c | sort -rn | sed 's/^/  /'
awk -v p="$best_plain" -v q="$best_qa" -v b="$bytes" -v r="$rounds" 'BEGIN {
  mb = b / 1e6
  printf "%-58s %8s %10s\n", "least of " r " runs", "cpu s", "cpu MB/s"
  printf "%-58s %8.2f %10.1f\n", "glossary + testtrans", p, mb / p
  printf "%-58s %8.2f %10.1f\n", "glossary + testtrans + qa", q, mb / q
  cost = (q - p) / p
  printf "qa cost: %.1f%% of the glossary run\n", cost * 100
  printf "target, qa <= 10%% of the glossary run (cpu): %s\n", (cost <= 0.10 ? "met" : "NOT met")
}'
