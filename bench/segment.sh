#!/usr/bin/env bash
# How good and how fast is xlate's sentence segmentation next to plain ICU?
#
# In one run:
#  1. On the gold corpus (tests/segment/{uk,ru,en}.txt, one gold sentence a line), boundary
#     precision, recall and F1 of
#       - ICU's sentence break iterator alone (bench/icu-only.srx: no rules, ICU as the only rule),
#       - xlate's built-in rules (core/segment/rules/default.srx),
#       - an SRX file written for another tool: OmegaT's default rules (defaultRules.srx, GPL-3),
#         taken at bench time from Debian's omegat package (downloaded, unpacked into the cache,
#         never installed and never part of this tree).
#     Boundaries are counted inside lines only: every line end is a boundary for all of them.
#  2. On a Ukrainian news-style text of at least SIZE_MB (default 20) built from the gold corpus
#     and the OBOZ.UA sample, the throughput (CPU seconds, one core) of
#       - `xlate segment` (decode, normalize, segment with the rules, write),
#       - `xlate segment --srx bench/icu-only.srx` (the same pipeline, ICU alone),
#       - plain ICU break iteration (bench/icu_sentences.c: read, UTF-16, ICU, write),
#     printing MB/s and the ratios. Target: xlate at no less than three quarters of ICU's speed.
#     With PERF=1, `xlate segment` on that text is also recorded with `perf record --call-graph
#     dwarf` and its flame graph written to ${FLAME_OUT:-bench/out}/segment.svg (folded stacks
#     beside it, by bench/stackcollapse.py; bench/out is not part of the repository).
#
# Usage: bench/segment.sh [XLATE] [SIZE_MB]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate)
#   RUNS     (environment) timed runs of each command, the fastest counts (default 3)
#   PERF=1   (environment) the flame graph of xlate segment, as above
#   The corpus and the ICU tool are cached in ${BENCH_CACHE:-/tmp/xlate-bench}.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
size_mb=${2:-20}
cache=${BENCH_CACHE:-/tmp/xlate-bench}
corpus=$cache/segment-uk-$size_mb.txt
icu_tool=$cache/icu_sentences

die() { echo "segment.sh: $*" >&2; exit 1; }
. "$root/bench/lib.sh"
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
for tool in python3 cc pkg-config taskset; do
  command -v $tool > /dev/null || die "$tool not found; run scripts/bootstrap"
done
mkdir -p "$cache"

# --------------------------------------------------------------------- 1. F1 on the gold corpus
score() { # LANG SRX-OR-EMPTY
  python3 - "$xlate" "$root/tests/segment/$1.txt" "$1" "$2" "$cache" <<'PY'
import json, re, subprocess, sys
xlate, gold_path, lang, srx, cache = sys.argv[1:6]
FINAL = re.compile(r'[.!?…][»"”“’\')\]]*$')

# The text: a paragraph's sentences on one line, a headline (no final punctuation) on a line of
# its own, paragraphs apart by a blank line. Gold boundaries: (line, non-space characters before).
lines, gold, cur, count = [], set(), [], 0
def flush():
    global cur
    if cur:
        lines.append(' '.join(cur))
        cur = []
paragraphs = open(gold_path, encoding='utf-8').read().split('\n\n')
for p in paragraphs:
    sentences = [s.strip() for s in p.split('\n') if s.strip()]
    for i, s in enumerate(sentences):
        cur.append(s)
        if FINAL.search(s) and i + 1 < len(sentences):
            gold.add((len(lines), sum(len(x.replace(' ', '')) for x in cur)))
        else:
            flush()
    flush()
    lines.append('')
text = '\n'.join(lines)
src = f'{cache}/gold-{lang}.txt'
open(src, 'w', encoding='utf-8').write(text)

args = [xlate, 'segment', '--from', lang, '--format', 'jsonl', src]
if srx:
    args[2:2] = ['--srx', srx]
segs = [json.loads(l) for l in subprocess.run(args, check=True, capture_output=True).stdout.splitlines()]
norm = subprocess.run([xlate, 'normalize', src], check=True, capture_output=True).stdout
found = set()
for s in segs:
    end = s['end']
    rest = norm[end:norm.find(b'\n', end) if b'\n' in norm[end:] else len(norm)]
    if not rest.strip():
        continue  # a line end
    line = norm.count(b'\n', 0, end)
    start = norm.rfind(b'\n', 0, end) + 1
    found.add((line, len(re.sub(r'\s', '', norm[start:end].decode('utf-8')))))
tp = len(found & gold)
p = tp / len(found) if found else 1.0
r = tp / len(gold) if gold else 1.0
f1 = 2 * p * r / (p + r) if p + r else 0.0
print(f'{p:.4f} {r:.4f} {f1:.4f} {len(gold)}')
PY
}

# OmegaT's default segmentation rules, from the Debian package's OmegaT.jar; prints the path.
omegat_rules() {
  local dir=$cache/omegat srx=$cache/omegat/org/omegat/core/segmentation/defaultRules.srx
  if [ ! -s "$srx" ]; then
    mkdir -p "$dir"
    (cd "$dir" && apt-get download omegat > /dev/null 2>&1) || die "cannot download Debian's omegat package (apt-get update first?)"
    dpkg-deb -x "$dir"/omegat_*.deb "$dir/pkg"
    unzip -o -q "$dir/pkg/usr/share/omegat/OmegaT.jar" org/omegat/core/segmentation/defaultRules.srx -d "$dir"
  fi
  echo "$srx"
}

echo "Sentence boundaries inside lines, against tests/segment/LANG.txt:"
printf '  %-4s %-34s %9s %9s %9s\n' lang segmenter precision recall F1
for lang in uk ru en; do
  for variant in icu xlate omegat; do
    case $variant in
      icu) srx=$root/bench/icu-only.srx; name="ICU alone" ;;
      xlate) srx=""; name="xlate (core/segment/rules/default.srx)" ;;
      omegat) srx=$(omegat_rules); name="xlate running OmegaT's default SRX" ;;
    esac
    read -r p r f n < <(score "$lang" "$srx")
    printf '  %-4s %-34s %9s %9s %9s   (%s gold boundaries)\n' "$lang" "$name" "$p" "$r" "$f" "$n"
  done
done

# --------------------------------------------------------------------- 2. throughput
build_corpus() {
  local want=$((size_mb * 1000 * 1000)) tmp=$corpus.tmp
  # News-style text: the gold corpus as prose (the file score() wrote) and the sample article.
  : > "$tmp"
  while [ "$(stat -c %s "$tmp")" -lt "$want" ]; do
    cat "$cache/gold-uk.txt" >> "$tmp"
    for f in "$root"/samples/oboz/*.uk.txt; do [ -f "$f" ] && cat "$f" >> "$tmp"; echo >> "$tmp"; done
  done
  mv "$tmp" "$corpus"
}
[ -s "$corpus" ] || build_corpus
if [ ! -x "$icu_tool" ] || [ "$root/bench/icu_sentences.c" -nt "$icu_tool" ]; then
  # shellcheck disable=SC2046
  cc -O2 -o "$icu_tool" "$root/bench/icu_sentences.c" $(pkg-config --cflags --libs icu-uc icu-i18n) \
    || die "cannot build the ICU tool; is libicu-dev installed?"
fi
bytes=$(stat -c %s "$corpus")

# CPU seconds (user + system) of a command pinned to one core, the fastest of ${RUNS:-3} runs:
# the fair figure on a shared box, where other work only ever slows a run down.
cpu_seconds() {
  local TIMEFORMAT='%U %S' t best="" i
  for ((i = 0; i < ${RUNS:-3}; i++)); do
    t=$( { time taskset -c 0 "$@" > /dev/null 2>&1; } 2>&1 ) || die "failed: $*"
    t=$(awk '{ printf "%.3f", $1 + $2 }' <<< "$t")
    best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
  done
  echo "$best"
}
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }

t_xlate=$(cpu_seconds "$xlate" segment --from uk "$corpus")
t_xlate_icu=$(cpu_seconds "$xlate" segment --from uk --srx "$root/bench/icu-only.srx" "$corpus")
t_icu=$(cpu_seconds "$icu_tool" uk "$corpus")
segs=$("$xlate" segment --from uk "$corpus" | grep -c .)

echo
echo "Throughput on $corpus ($(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $segs segments):"
printf '  %-48s %7ss %8s MB/s\n' "xlate segment (rules)" "$t_xlate" "$(mbps "$t_xlate")"
printf '  %-48s %7ss %8s MB/s\n' "xlate segment --srx bench/icu-only.srx" "$t_xlate_icu" "$(mbps "$t_xlate_icu")"
printf '  %-48s %7ss %8s MB/s\n' "plain ICU break iteration (bench/icu_sentences.c)" "$t_icu" "$(mbps "$t_icu")"
awk -v a="$t_xlate" -v b="$t_icu" -v c="$t_xlate_icu" 'BEGIN {
  printf "  ratio xlate / plain ICU:                 %.2f (target >= 0.75)\n", b / a
  printf "  ratio xlate / same pipeline, ICU alone:  %.2f (what the rules cost)\n", c / a
}'

if [ "${PERF:-}" = 1 ]; then
  svg=$(flame_graph segment \
    "xlate segment --from uk, $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB of news prose" \
    2999 taskset -c 0 "$xlate" segment --from uk "$corpus")
  echo "  flame graph of xlate segment: $svg"
fi

# The ratio once more, one machine-readable line and last, for bench/table.sh.
awk -v a="$t_xlate" -v b="$t_icu" 'BEGIN { printf "RESULT name=segment value=%.2f target=0.75 better=higher\n", b / a }'
