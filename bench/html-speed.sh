#!/usr/bin/env bash
# How fast is HTML input through the glossary next to the same text as plain text?
#
# Builds, from the OBOZ.UA sample, two inputs holding the same Ukrainian text, each about SIZE_MB
# (default 5): the article text (samples/oboz/oboz-stoltenberg.uk.txt) repeated, and the article
# page (samples/oboz/oboz-stoltenberg.uk.html) with its <article> repeated as many times. Then, in
# one run and pinned to one core:
#   xlate run --plugin glossary --format tsv                       on the text
#   xlate run --input-format html --plugin glossary --format doc   on the page
# and prints the rate of each in MB of article text per CPU second (the same text goes through
# both, so the ratio is the cost of the HTML around it) and their ratio. Target: HTML at >= 0.5
# of the text rate. First, the HTML module alone (bench/html-module.c, built here against the
# build tree): read and write of the page, no plugin, no segmentation.
#
# Usage: bench/html-speed.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate); its build folder holds
#            core/libxlate_internal.a, which the module bench is linked against
#   Inputs are cached in ${BENCH_CACHE:-/tmp/xlate-bench}.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-5}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
build=$(cd "$(dirname "$xlate")/.." && pwd)

die() { echo "html-speed: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools taskset python3 cc pkg-config xml2-config

mkdir -p "$cache"
text=$cache/oboz-$size_mb.txt
page=$cache/oboz-$size_mb.html
python3 - "$root/samples/oboz/oboz-stoltenberg.uk.txt" "$root/samples/oboz/oboz-stoltenberg.uk.html" \
    "$size_mb" "$text" "$page" <<'PY'
import re, sys
txt_path, html_path, size_mb, text_out, page_out = sys.argv[1:]
text = open(txt_path, encoding="utf-8").read()
html = open(html_path, encoding="utf-8").read()
m = re.search(r'(?s)(<article\b.*?</article>)', html)
if not m:
    sys.exit("html-speed: no <article> in " + html_path)
n = max(1, int(float(size_mb) * 1e6 / len(m.group(1).encode("utf-8"))))
head, article, tail = html[:m.start()], m.group(1), html[m.end():]
# The article's paragraphs repeated n times, and the text repeated as often.
open(page_out, "w", encoding="utf-8").write(head + "\n".join([article] * n) + tail)
open(text_out, "w", encoding="utf-8").write("\n".join([text] * n))
print("article repeated %d times" % n)
PY
text_bytes=$(stat -c %s "$text")
page_bytes=$(stat -c %s "$page")

# The module alone.
[ -f "$build/core/libxlate_internal.a" ] || die "no $build/core/libxlate_internal.a"
incs=()
for d in base input segment host pipeline output format format/html; do incs+=(-I "$root/core/$d"); done
cc -O2 -D_GNU_SOURCE -o "$cache/html-module" "$root/bench/html-module.c" "${incs[@]}" -I "$root/include" \
  $(xml2-config --cflags) "$build/core/libxlate_internal.a" $(xml2-config --libs) \
  $(pkg-config --libs icu-i18n icu-uc libarchive nettle) -ldl -lpthread ||
  die "cannot build bench/html-module.c"
taskset -c 0 "$cache/html-module" "$page"
echo

run_text() {
  taskset -c 0 "$xlate" run --plugin glossary --from uk --to en --format tsv -o "$cache/oboz-out.tsv" "$text"
}
run_html() {
  taskset -c 0 "$xlate" run --input-format html --plugin glossary --from uk --to en --format doc \
    -o "$cache/oboz-out.html" "$page"
}
read -r wall_text cpu_text < <(timed run_text)
read -r wall_html cpu_html < <(timed run_html)

awk -v tb="$text_bytes" -v pb="$page_bytes" -v wt="$wall_text" -v ct="$cpu_text" \
    -v wh="$wall_html" -v ch="$cpu_html" 'BEGIN {
  mb = tb / 1e6
  printf "inputs: %.1f MB of article text; the page holding it %.1f MB\n", mb, pb / 1e6
  printf "%-58s %7s %8s %14s\n", "", "wall s", "cpu s", "text MB/cpu s"
  printf "%-58s %7.2f %8.2f %14.2f\n", "xlate run --plugin glossary --format tsv (text)", wt, ct, mb / ct
  printf "%-58s %7.2f %8.2f %14.2f\n", "xlate run --input-format html ... --format doc (page)", wh, ch, mb / ch
  printf "ratio html/text (text MB per cpu s): %.2f\n", ct / ch
  printf "target, html >= 0.5 of the text rate: %s\n", (ct / ch >= 0.5 ? "met" : "NOT met")
}'
