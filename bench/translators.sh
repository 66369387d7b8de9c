#!/usr/bin/env bash
# Does the apertium plugin cost anything over Apertium itself, and what does a persistent
# pipeline save over one `apertium` call per file?
#
# 1. At least MB (default 1) megabytes of English man pages (bench/lib.sh en_man_text: bash,
#    coreutils, grep, tar, dpkg ... as `man -P cat` renders them; they hold Apertium's reserved
#    characters, "^", "$", "[", "<", "@", "~", in every form) through `apertium eng-spa` alone and
#    through `xlate run --plugin apertium:pair=eng-spa`, alternately, ROUNDS (default 1) times
#    each; the best wall time of each, and the segments xlate failed. Targets: 0 failed, xlate
#    within 10% of apertium.
# 2. FILES (default 500) one-sentence files (the seed's sentences): one `xlate run` over all of them
#    (one persistent pipeline) against a shell loop calling `apertium eng-spa` once per file.
#    Target: xlate at least 20x faster. SAMPLE=N times only N of the per-file calls and scales
#    the time up to FILES (said so in the output); by default every call is made.
#
# Usage: bench/translators.sh [XLATE]   (default build/core/xlate)
#   MB=1 ROUNDS=1 FILES=500 SAMPLE= bench/translators.sh build-release/core/xlate
# The machine should be otherwise idle: both runs of part 1 use both cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
mb=${MB:-1}
rounds=${ROUNDS:-1}
files=${FILES:-500}
sample=${SAMPLE:-$files}
seed=$root/samples/oboz/oboz-stoltenberg.en.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "translators bench: $*" >&2; exit 1; }
cache=$work
. "$root/bench/lib.sh"
require_tools man col
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
command -v apertium >/dev/null || die "apertium not installed; run scripts/bootstrap"
[ -f /usr/share/apertium/modes/eng-spa.mode ] || die "apertium-eng-spa not installed; run scripts/bootstrap"

seconds() { # seconds COMMAND...: wall time of COMMAND, output discarded
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null || :  # a run with failed segments exits 1; they are counted below
  t1=$(date +%s.%N)
  calc "$t1 - $t0"
}
calc() { awk "BEGIN { print $1 }"; }
min() { if [ -z "$1" ] || [ "$(calc "$2 < $1")" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# --- 1. one big text
big=$(en_man_text "$mb")
bytes=$(stat -c %s "$big")
best_ap="" best_x=""
for r in $(seq 1 "$rounds"); do
  best_ap=$(min "$best_ap" "$(seconds apertium eng-spa "$big")")
  best_x=$(min "$best_x" "$(seconds "$xlate" run --plugin apertium:pair=eng-spa --from en --to es \
    --format jsonl -o "$work/big.jsonl" "$big")")
done
failed=$(grep -c '"status":"failed"' "$work/big.jsonl" || true)
segments=$(wc -l < "$work/big.jsonl")
ratio=$(calc "$best_x / $best_ap")
printf '1. %d bytes of English man pages, eng-spa, best of %d:\n' "$bytes" "$rounds"
printf '   apertium eng-spa              %7.2f s\n' "$best_ap"
printf '   xlate run --plugin apertium   %7.2f s   (%.3f x apertium; target <= 1.10)\n' "$best_x" "$ratio"
printf '   failed segments               %7d of %d (target 0)\n' "$failed" "$segments"
if [ "$failed" -gt 0 ]; then
  grep '"status":"failed"' "$work/big.jsonl" | head -5 | cut -c1-300 | sed 's/^/     /'
fi
ok1=$(calc "$ratio <= 1.10 && $failed == 0")

# --- 2. many one-sentence files
mkdir -p "$work/files"
python3 - "$seed" "$work/files" "$files" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
sentences = [s.strip() for s in re.split(r'(?<=[.!?])\s+|\n+', text) if len(s.strip()) > 20]
for i in range(int(sys.argv[3])):
    with open('%s/s%04d.txt' % (sys.argv[2], i), 'w', encoding='utf-8') as f:
        f.write(sentences[i % len(sentences)] + '\n')
EOF
list=("$work"/files/*.txt)
t_x=$(seconds "$xlate" run --plugin apertium:pair=eng-spa --from en --to es --format tsv "${list[@]}")
per_file() { for f in "${list[@]:0:$sample}"; do apertium eng-spa "$f"; done; }
t_loop=$(seconds per_file)
scaled=$(calc "$t_loop * $files / $sample")
speedup=$(calc "$scaled / $t_x")
printf '2. %d one-sentence files, eng-spa:\n' "$files"
if [ "$sample" -lt "$files" ]; then
  printf '   apertium eng-spa per file     %7.2f s   (%d calls timed: %.2f s, scaled to %d)\n' \
    "$scaled" "$sample" "$t_loop" "$files"
else
  printf '   apertium eng-spa per file     %7.2f s\n' "$scaled"
fi
printf '   xlate run (one pipeline)      %7.2f s   (%.1f x faster; target >= 20)\n' "$t_x" "$speedup"
ok2=$(calc "$speedup >= 20")

[ "$ok1" = 1 ] && [ "$ok2" = 1 ] && echo "targets met" && exit 0
echo "targets not met" >&2
exit 1
