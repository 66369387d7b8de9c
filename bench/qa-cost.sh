#!/usr/bin/env bash
# What does the qa check plugin add to a glossary run?
#
# On the Ukrainian text of glossary-throughput.sh (at least SIZE_MB, default 20: the Ukrainian man
# pages and the OBOZ.UA sample), times in one run, pinned to one core, the glossary run after a
# translator with and without qa:
#   xlate run --plugin glossary --plugin TRANSLATOR [--plugin qa] --format jsonl
# for two translators that copy or lightly change the text:
#   copy     testtrans (tests/plugins/testtrans.c): the source, ASCII letters upper-cased, terms
#            put in. Most segments come back as they were: qa warns `untranslated` on them, and
#            the host's work on those warnings (kept, counted, written to JSONL) is in the cost.
#   prefix   bench/qa-translator.c (built here): "T: " and the source, terms put in. No target is
#            a copy, so qa checks every pair whole and warns on next to none.
# Each run is made ROUNDS times (default 3), alternating with and without qa, and the least CPU
# time (user + system) of each is kept, the fair figure on a machine shared with other work.
# Prints the times, qa's cost as a fraction of the glossary run, the warnings per check, and
# whether the target (qa <= 10% of the glossary run) is met.
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
prefix_so=$cache/qa-translator.so

die() { echo "qa-cost: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass the build folder"
[ -f "$testtrans" ] || die "no test translator at $testtrans; build first (ninja -C build)"
[ -f "$build/plugins/qa/qa.so" ] || die "no qa plugin in $build/plugins/qa; build first"
. "$root/bench/lib.sh"
require_tools man col taskset cc
corpus=$(uk_corpus "$size_mb")
bytes=$(stat -c %s "$corpus")
cc -O2 -shared -fPIC -I "$root/include" -o "$prefix_so" "$root/bench/qa-translator.c" ||
  die "cannot build bench/qa-translator.c"

run_chain() { # run_chain TRANSLATOR OUT [--plugin qa]
  local translator=$1 out=$2; shift 2
  taskset -c 0 env XLATE_PLUGIN_PATH="$build/plugins" "$xlate" run --plugin glossary \
    --plugin "$translator" "$@" --from uk --to en --format jsonl -o "$out" "$corpus"
}

least() { awk -v a="$1" -v b="${2:-$1}" 'BEGIN { print (a < b ? a : b) }'; }

echo "corpus: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of Ukrainian text; least CPU time of $rounds runs each"
printf "%-10s %14s %14s %9s %10s  %s\n" translator "glossary cpu s" "+ qa cpu s" "qa cost" "qa warned" "target <= 10%"
for name in copy prefix; do
  translator=$testtrans
  [ "$name" = prefix ] && translator=$prefix_so
  plain=; checked=
  for _ in $(seq "$rounds"); do
    read -r _ cpu < <(timed run_chain "$translator" "$cache/qa-cost-plain.jsonl")
    plain=$(least "$cpu" "$plain")
    read -r _ cpu < <(timed run_chain "$translator" "$cache/qa-cost-qa.jsonl" --plugin qa)
    checked=$(least "$cpu" "$checked")
  done
  segments=$(wc -l < "$cache/qa-cost-qa.jsonl")
  [ "$segments" -eq "$(wc -l < "$cache/qa-cost-plain.jsonl")" ] || die "the runs wrote different segment counts"
  warned=$(grep -c '"plugin":"qa"' "$cache/qa-cost-qa.jsonl" || true)
  awk -v n="$name" -v p="$plain" -v q="$checked" -v w="$warned" -v s="$segments" 'BEGIN {
    cost = (q - p) / p
    printf "%-10s %14.2f %14.2f %8.1f%% %4d/%-6d  %s\n", n, p, q, cost * 100, w, s, \
      (cost <= 0.10 ? "met" : "NOT met")
  }'
  grep -o '"plugin":"qa","level":"warning","code":"[a-z-]*"' "$cache/qa-cost-qa.jsonl" |
    sed 's/.*"code":"//; s/"$//' | sort | uniq -c | sort -rn | awk '{ printf "    %s %s\n", $1, $2 }'
done
