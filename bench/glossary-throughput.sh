#!/usr/bin/env bash
# How fast is the glossary pipeline next to a plain decode + NFC pass?
#
# Builds a Ukrainian UTF-8 text of at least SIZE_MB (default 20; 22.7 MB) from material on the
# machine — the Ukrainian man pages of Debian's manpages-uk, rendered to text, and the OBOZ.UA
# sample — and measures, in one run, pinned to one core (taskset -c 0):
#   xlate run --plugin glossary --format jsonl          (read, decode, normalize, segment,
#                                                        glossary, JSONL written to stdout)
#   iconv -f utf-8 -t utf-8 | uconv -x any-nfc          (the anchor: validate and normalize only)
# Both read the same file from the page cache and write their output to /dev/null: what it costs
# the kernel to keep output depends on where it goes, not on the program (on a virtual machine
# fresh page-cache memory is dear, and xlate's JSONL, with sources, targets and terms, is three
# times the anchor's text), so the bench measures the programs' own work. The segment and term
# counts come from an untimed run that writes the JSONL to a file. The figure is CPU time (user +
# system of the command and its children, the anchor's two processes counted both), the fair
# measure on a machine shared with other work; wall time is shown beside it. The two commands
# alternate, RUNS times each (default 3), and the fastest run of each counts, so a burst of other
# work on the machine does not decide the ratio. Before the timed runs xlate runs once untimed: the glossary's first run on a machine
# filters the hunspell dictionary for the term map and caches the result (~/.cache/xlate), some
# 0.25 s of CPU that every later run skips; that first run is printed apart, from an empty cache
# folder, and is not in the ratio.
# Prints the MB/s of each and the ratio xlate/anchor of their CPU MB/s (above 1: xlate is
# faster). Target: >= 1.5, the whole pipeline faster than the anchor's bare normalization.
#
# Usage: bench/glossary-throughput.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
#   RUNS     (environment) timed runs of each command (default 3)
#   PERF=1   (environment) also records one xlate run with `perf record --call-graph dwarf` and
#            writes its flame graph to ${FLAME_OUT:-bench/out}/glossary-throughput.svg (folded
#            stacks beside it, by bench/stackcollapse.py; bench/out is not part of the repository)
#   The corpus is cached in ${BENCH_CACHE:-/tmp/xlate-bench} and rebuilt when missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-20}
runs=${RUNS:-3}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
corpus=$cache/uk-$size_mb.txt

die() { echo "glossary-throughput: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools iconv uconv man col taskset

uk_corpus "$size_mb" > /dev/null
bytes=$(stat -c %s "$corpus")
distinct=$(LC_ALL=C.UTF-8 grep -oP "(*UCP)\\w+(['’ʼ]\\w+)*" "$corpus" | sort -u | wc -l)
work=$(mktemp -d "$cache/glossary-throughput.XXXXXX")
trap 'rm -rf "$work"' EXIT

run_glossary() {
  taskset -c 0 "$xlate" run --plugin glossary --from uk --to en --format jsonl "$corpus"
}
run_anchor() {
  taskset -c 0 bash -c 'iconv -f utf-8 -t utf-8 "$1" | uconv -x any-nfc' _ "$corpus"
}

# The first run on a machine, from an empty dictionary cache; then the warm-up the timed runs
# start after, writing the JSONL that is counted (the cache written by it is the user's own, as
# any run's).
read -r wall_cold cpu_cold < <(XLATE_CACHE_DIR=$work/cold-cache timed run_glossary)
run_glossary > "$work/out.jsonl" 2> /dev/null || die "xlate run failed"

best_glossary="" best_anchor=""
faster() { [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
for ((r = 0; r < runs; r++)); do
  read -r wall cpu < <(timed run_glossary)
  if faster "$cpu" "${best_glossary#* }"; then best_glossary="$wall $cpu"; fi
  read -r wall cpu < <(timed run_anchor)
  if faster "$cpu" "${best_anchor#* }"; then best_anchor="$wall $cpu"; fi
done
read -r wall_glossary cpu_glossary <<< "$best_glossary"
read -r wall_anchor cpu_anchor <<< "$best_anchor"
segments=$(wc -l < "$work/out.jsonl")
terms=$(grep -o '{"source":' "$work/out.jsonl" | wc -l)

awk -v b="$bytes" -v d="$distinct" -v s="$segments" -v t="$terms" -v runs="$runs" \
    -v wg="$wall_glossary" -v cg="$cpu_glossary" -v wa="$wall_anchor" -v ca="$cpu_anchor" \
    -v wc="$wall_cold" -v cc="$cpu_cold" 'BEGIN {
  mb = b / 1e6
  printf "corpus: %.1f MB of Ukrainian text, %d distinct words; the fastest of %d runs each\n", mb, d, runs
  printf "%-44s %7s %9s %8s %10s\n", "", "wall s", "wall MB/s", "cpu s", "cpu MB/s"
  printf "%-44s %7.2f %9.1f %8.2f %10.1f   (%d segments, %d terms)\n", \
    "xlate run --plugin glossary --format jsonl", wg, mb / wg, cg, mb / cg, s, t
  printf "%-44s %7.2f %9.1f %8.2f %10.1f\n", "iconv | uconv -x any-nfc", wa, mb / wa, ca, mb / ca
  printf "%-44s %7.2f %9.1f %8.2f %10.1f   (once, not in the ratio)\n", \
    "  xlate, first run (empty dictionary cache)", wc, mb / wc, cc, mb / cc
  printf "ratio glossary/anchor (cpu MB/s): %.2f\n", (mb / cg) / (mb / ca)
  printf "target, glossary/anchor >= 1.5: %s\n", ((mb / cg) / (mb / ca) >= 1.5 ? "met" : "NOT met")
}'

if [ "${PERF:-}" = 1 ]; then
  svg=$(flame_graph glossary-throughput \
    "xlate run --plugin glossary --format jsonl, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of man pages" \
    999 taskset -c 0 "$xlate" run --plugin glossary --from uk --to en --format jsonl "$corpus")
  echo "flame graph: $svg"
fi

# The ratio once more, one machine-readable line and last, for bench/table.sh.
awk -v cg="$cpu_glossary" -v ca="$cpu_anchor" 'BEGIN { printf "RESULT name=glossary value=%.2f target=1.5 better=higher\n", ca / cg }'
