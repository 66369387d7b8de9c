#!/usr/bin/env bash
# How fast does `xlate normalize` turn a legacy-encoded file into clean UTF-8, next to the classic
# pipeline of iconv and uconv?
#
# Builds a windows-1251 Ukrainian text of at least SIZE_MB (default 20) from the Ukrainian man
# pages of Debian's manpages-uk (rendered to text, characters cp1251 lacks dropped) and times, in
# one run and pinned to one core:
#   xlate normalize FILE                                  (detect, decode, repair check, NFC, ...)
#   xlate normalize --encoding cp1251 FILE                (the same with the encoding named)
#   iconv -f cp1251 -t utf-8 FILE | uconv -x any-nfc      (the anchor)
#   xlate normalize UTF8 and uconv -x any-nfc UTF8        (the anchor's UTF-8 output as input: the
#                                                          path of every UTF-8 document; MB/s of
#                                                          the windows-1251 size throughout)
# checks that the outputs agree, and prints MB/s of each and the ratio. Target: xlate >= 3x the
# anchor. ICU's quick check is what makes NFC nearly free on text that is already NFC.
#
# Usage: bench/normalize-speed.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
#   The input is cached in ${BENCH_CACHE:-/tmp/xlate-bench} and rebuilt when missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-${SIZE_MB:-20}}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
input=$cache/uk-cp1251-$size_mb.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "normalize-speed: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools iconv uconv man col taskset cmp

build_input() {
  mkdir -p "$cache"
  local man_text
  man_text=$(uk_man_text)
  # -c drops what cp1251 cannot hold (box drawing, ʼ), so the file is clean windows-1251
  local once=$work/once.cp1251 want=$((size_mb * 1000 * 1000)) tmp=$input.tmp
  iconv -c -f utf-8 -t cp1251 "$man_text" > "$once" || true
  [ -s "$once" ] || die "could not build the cp1251 text"
  : > "$tmp"
  while [ "$(stat -c %s "$tmp")" -lt "$want" ]; do cat "$once" >> "$tmp"; done
  mv "$tmp" "$input"
}

[ -s "$input" ] || build_input
bytes=$(stat -c %s "$input")

run_xlate_auto() { taskset -c 0 "$xlate" normalize -o "$work/auto.txt" "$input"; }
run_xlate_named() { taskset -c 0 "$xlate" normalize --encoding cp1251 -o "$work/named.txt" "$input"; }
run_anchor() {
  taskset -c 0 bash -c 'iconv -f cp1251 -t utf-8 "$1" | uconv -x any-nfc > "$2"' _ "$input" \
    "$work/anchor.txt"
}

run_xlate_utf8() { taskset -c 0 "$xlate" normalize -o "$work/utf8.txt" "$work/anchor.txt"; }
run_uconv_utf8() {
  taskset -c 0 uconv -x any-nfc -f utf-8 -t utf-8 -o "$work/uconv-utf8.txt" "$work/anchor.txt"
}

read -r wall_auto cpu_auto < <(timed run_xlate_auto)
read -r wall_named cpu_named < <(timed run_xlate_named)
read -r wall_anchor cpu_anchor < <(timed run_anchor)
read -r wall_utf8 cpu_utf8 < <(timed run_xlate_utf8)
read -r wall_uconv cpu_uconv < <(timed run_uconv_utf8)

# With xlate's own repairs off, the same text must come out as from the anchor; with them on
# (the timed run), count the lines they changed: apostrophes unified inside Ukrainian words,
# Latin look-alike letters inside Cyrillic words.
same=yes
"$xlate" normalize --keep-apostrophes --no-homoglyphs -o "$work/plain.txt" "$input"
cmp -s "$work/plain.txt" "$work/anchor.txt" || same="NO: outputs differ beyond xlate's repairs"
cmp -s "$work/named.txt" "$work/auto.txt" || same="NO: auto-detection and --encoding cp1251 differ"
cmp -s "$work/utf8.txt" "$work/auto.txt" || same="NO: the UTF-8 input does not give the same text"
repaired_lines=$(diff "$work/plain.txt" "$work/auto.txt" | grep -c '^>' || true)

awk -v b="$bytes" -v wx="$wall_auto" -v cx="$cpu_auto" -v wn="$wall_named" -v cn="$cpu_named" \
    -v wa="$wall_anchor" -v ca="$cpu_anchor" -v wu="$wall_utf8" -v cu="$cpu_utf8" \
    -v wc="$wall_uconv" -v cc="$cpu_uconv" -v same="$same" -v rl="$repaired_lines" 'BEGIN {
  mb = b / 1e6
  printf "input: %.1f MB of windows-1251 Ukrainian text\n", mb
  printf "%-48s %7s %9s %7s %9s\n", "", "wall s", "wall MB/s", "cpu s", "cpu MB/s"
  printf "%-48s %7.2f %9.1f %7.2f %9.1f\n", "xlate normalize (auto-detect)", wx, mb / wx, cx, mb / cx
  printf "%-48s %7.2f %9.1f %7.2f %9.1f\n", "xlate normalize --encoding cp1251", wn, mb / wn, cn, mb / cn
  printf "%-48s %7.2f %9.1f %7.2f %9.1f\n", "iconv -f cp1251 -t utf-8 | uconv -x any-nfc", wa, mb / wa, ca, mb / ca
  printf "%-48s %7.2f %9.1f %7.2f %9.1f\n", "xlate normalize, the same text in UTF-8", wu, mb / wu, cu, mb / cu
  printf "%-48s %7.2f %9.1f %7.2f %9.1f\n", "uconv -x any-nfc, the same text in UTF-8", wc, mb / wc, cc, mb / cc
  printf "same output as the anchor (xlate repairs off): %s\n", same
  printf "lines changed by the repairs on: %d (apostrophes, look-alike letters)\n", rl
  printf "ratio, anchor / xlate auto: %.1fx cpu, %.1fx wall (target >= 3x)\n", ca / cx, wa / wx
  printf "ratio on UTF-8, uconv / xlate: %.1fx cpu\n", cc / cu
}'
