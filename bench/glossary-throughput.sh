#!/usr/bin/env bash
# How fast is the glossary pipeline next to a plain decode + NFC pass?
#
# Builds a Ukrainian text of at least SIZE_MB (default 20) from material on the machine — the
# Ukrainian man pages of Debian's manpages-uk, rendered to text, and the OBOZ.UA sample — and
# times, in one run and pinned to one core:
#   xlate run --plugin glossary --format jsonl      (decode, NFC, segment, glossary, JSONL)
#   iconv -f utf-8 -t utf-8 | uconv -x any-nfc      (the anchor: validate and normalize only)
# then prints the MB/s of each and their ratio. Target: the glossary pipeline at >= 10 MB/s.
#
# Usage: bench/glossary-throughput.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
#   The corpus is cached in ${BENCH_CACHE:-/tmp/xlate-bench} and rebuilt when missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-20}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
corpus=$cache/uk-$size_mb.txt

die() { echo "glossary-throughput: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools iconv uconv man col taskset

uk_corpus "$size_mb" > /dev/null
bytes=$(stat -c %s "$corpus")
distinct=$(LC_ALL=C.UTF-8 grep -oP "(*UCP)\\w+(['’ʼ]\\w+)*" "$corpus" | sort -u | wc -l)

run_glossary() {
  taskset -c 0 "$xlate" run --plugin glossary --from uk --to en --format jsonl -o "$cache/out.jsonl" "$corpus"
}
run_anchor() {
  taskset -c 0 bash -c 'iconv -f utf-8 -t utf-8 "$1" | uconv -x any-nfc > /dev/null' _ "$corpus"
}

read -r wall_glossary cpu_glossary < <(timed run_glossary)
read -r wall_anchor cpu_anchor < <(timed run_anchor)
segments=$(wc -l < "$cache/out.jsonl")
terms=$(grep -o '{"source":' "$cache/out.jsonl" | wc -l)

awk -v b="$bytes" -v d="$distinct" -v s="$segments" -v t="$terms" \
    -v wg="$wall_glossary" -v cg="$cpu_glossary" -v wa="$wall_anchor" -v ca="$cpu_anchor" 'BEGIN {
  mb = b / 1e6
  printf "corpus: %.1f MB of Ukrainian text, %d distinct words\n", mb, d
  printf "%-44s %7s %9s %8s %10s\n", "", "wall s", "wall MB/s", "cpu s", "cpu MB/s"
  printf "%-44s %7.2f %9.1f %8.2f %10.1f   (%d segments, %d terms)\n", \
    "xlate run --plugin glossary --format jsonl", wg, mb / wg, cg, mb / cg, s, t
  printf "%-44s %7.2f %9.1f %8.2f %10.1f\n", "iconv | uconv -x any-nfc", wa, mb / wa, ca, mb / ca
  printf "ratio glossary/anchor (cpu MB/s): %.2f\n", (mb / cg) / (mb / ca)
  printf "target, glossary >= 10 MB/s on one core (cpu): %s\n", (mb / cg >= 10 ? "met" : "NOT met")
}'

# The ratio once more, one machine-readable line and last, for bench/table.sh.
awk -v cg="$cpu_glossary" -v ca="$cpu_anchor" 'BEGIN { printf "RESULT name=glossary value=%.2f target=1.5 better=higher\n", ca / cg }'
