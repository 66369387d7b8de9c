#!/usr/bin/env bash
# How much memory does `xlate run` take for a document that is one long line, and how long?
#
# Builds two single-line documents of SIZE_MB (default 200) megabytes and runs the plain pipeline
# (no plugin: decode, normalize, segment, writer) on each under /usr/bin/time -v:
#   - Ukrainian sentences: the gold corpus tests/segment/uk.txt, its line ends made spaces,
#     repeated (many segments a line);
#   - ASCII words, "word word ...": one segment of the whole size.
# Prints the peak resident set, its ratio to the document's size (the process's own baseline, a
# one-line run, taken off), and the wall and CPU time. Target: no more than 2x the size.
# tests/test_big_line.c checks the same on 20 MB in CI.
#
# Usage: bench/big-line.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
#   The documents are cached in ${BENCH_CACHE:-/tmp/xlate-bench}.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-${SIZE_MB:-200}}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
die() { echo "big-line.sh: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build it first (meson setup build && ninja -C build)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found; apt-get install time"
mkdir -p "$cache"

# line FILE UNIT-FILE: UNIT-FILE's text, its line ends made spaces, repeated to SIZE_MB as one line.
line() {
  [ -s "$1" ] && return
  python3 - "$1" "$2" "$size_mb" <<'PY'
import sys
out, unit, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(unit, 'rb').read().replace(b'\r', b' ').replace(b'\n', b' ')
want = mb * 1000 * 1000
with open(out, 'wb') as f:
    n = 0
    while n < want:
        f.write(text)
        n += len(text)
    f.write(b'\n')
PY
}

uk=$cache/line-uk-$size_mb.txt ascii=$cache/line-ascii-$size_mb.txt
line "$uk" "$root/tests/segment/uk.txt"
python3 -c "import sys; open(sys.argv[1], 'w').write(('word ' * ($size_mb * 200000)) + '\n')" \
  "$ascii.tmp" && mv "$ascii.tmp" "$ascii"
printf 'Tiny.\n' > "$cache/tiny.txt"

# peak FILE: "KIB WALL CPU" of `xlate run FILE` with its records discarded.
peak() {
  local log=$cache/big-line-time.log
  /usr/bin/time -v "$xlate" run --max-doc-size 64G "$1" -o /dev/null 2> "$log" ||
    { cat "$log" >&2; die "xlate run $1 failed"; }
  awk -F': ' '/Maximum resident/ {kib = $2} /Elapsed \(wall/ {wall = $2}
              /User time/ {cpu += $2} /System time/ {cpu += $2}
              END {printf "%d %s %.1f\n", kib, wall, cpu}' "$log"
}

read -r base _ _ <<< "$(peak "$cache/tiny.txt")"
echo "xlate: $xlate"
echo "baseline (a one-line run): $base KiB"
printf '%-28s %12s %12s %8s %10s %8s\n' document bytes "peak KiB" ratio wall "cpu s"
for doc in "$uk" "$ascii"; do
  bytes=$(stat -c %s "$doc")
  read -r kib wall cpu <<< "$(peak "$doc")"
  ratio=$(awk -v k="$kib" -v b="$base" -v n="$bytes" 'BEGIN {printf "%.2fx", (k - b) * 1024 / n}')
  printf '%-28s %12s %12s %8s %10s %8s\n' "$(basename "$doc")" "$bytes" "$kib" "$ratio" "$wall" "$cpu"
done
