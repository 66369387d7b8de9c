#!/usr/bin/env bash
# How well and how fast does `xlate align` pair sentences, next to Gale and Church's length-only
# alignment?
#
# In one run:
#  1. On the gold set (tests/align/gold: 11 document pairs, uk-en and one ru-uk, with boilerplate
#     on one side, a paragraph missing, sentences merged), precision, recall and F1 of the links
#     (a bead of n source and m target sentences is n×m links; tests/align/score.sh) of
#       - Gale-Church as published (1993): character lengths, c = the pair's ratio, s² = 6.8,
#         priors 0.89 / 0.0099 / 0.089 / 0.011, full dynamic programme; written here in Python
#         on the sentences `xlate segment` gives, so that the baseline shares nothing with the
#         aligner but the segmentation,
#       - xlate align --length-only (the aligner's own length model, with no anchors),
#       - xlate align (anchors, names across scripts, paragraphs first),
#       - xlate align --dict (the glossary's built-in term map as dictionary).
#  2. On 10,000 and 20,000 sentence pairs made by repeating the uk-en gold documents with their
#     numbers changed in each copy (one file pair each), the wall time and peak RSS of xlate align:
#     twice the pairs should take about twice the time and memory.
#
# Usage: bench/align.sh [XLATE]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
gold=$root/tests/align/gold
score=$root/tests/align/score.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "align.sh: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
command -v python3 > /dev/null || die "python3 not found; run scripts/bootstrap"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"

# ----------------------------------------------------------- the Gale-Church baseline (Python)
cat > "$work/gale_church.py" <<'PY'
import json, math, sys
# gale_church.py SRC.jsonl TGT.jsonl: links in the gold format, from `xlate segment --format jsonl`
def sentences(path):
    return [len(json.loads(l)["text"]) for l in open(path, encoding="utf-8") if l.strip()]
src, tgt = sentences(sys.argv[1]), sentences(sys.argv[2])
c = sum(tgt) / max(1, sum(src))
s2 = 6.8
prior = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
         (2, 2): 0.011}
def length_cost(ls, lt):
    mean = max(1.0, (ls + lt / c) / 2)
    d = (lt - ls * c) / math.sqrt(mean * s2)
    p = math.erfc(abs(d) / math.sqrt(2))
    return -math.log(p) if p > 0 else 100.0
n, m = len(src), len(tgt)
INF = float("inf")
cost = [[INF] * (m + 1) for _ in range(n + 1)]
back = [[None] * (m + 1) for _ in range(n + 1)]
cost[0][0] = 0.0
for i in range(n + 1):
    for j in range(m + 1):
        for (di, dj), p in prior.items():
            if i < di or j < dj or cost[i - di][j - dj] == INF:
                continue
            v = cost[i - di][j - dj] - math.log(p)
            if di and dj:
                v += length_cost(sum(src[i - di:i]), sum(tgt[j - dj:j]))
            if v < cost[i][j]:
                cost[i][j], back[i][j] = v, (di, dj)
out, i, j = [], n, m
while i or j:
    di, dj = back[i][j]
    out.append((list(range(i - di + 1, i + 1)), list(range(j - dj + 1, j + 1))))
    i, j = i - di, j - dj
print("src\ttgt")
for s, t in reversed(out):
    print(",".join(map(str, s)) + "\t" + ",".join(map(str, t)))
PY

# ------------------------------------------------------------------------ 1. F1 on the gold set
prf() { # name: totals of $work/*.NAME.tsv against the gold links
  local g=0 p=0 c=0 kind=$1 label=$2
  for links in "$gold"/*.links; do
    local n; n=$(basename "$links" .links)
    set -- $("$score" "$links" "$work/$n.$kind.tsv")
    g=$((g + $1)) p=$((p + $2)) c=$((c + $3))
  done
  f1_line "$label" $g $p $c
}
f1_line() { # label gold pred right
  awk -v name="$1" -v g=$2 -v p=$3 -v c=$4 'BEGIN { P = c / p; R = c / g;
    printf "%-34s %5d %5d %5d   %.3f  %.3f  %.3f\n", name, g, p, c, P, R, 2 * P * R / (P + R) }'
}
for links in "$gold"/*.links; do
  n=$(basename "$links" .links)
  case $n in *ru-uk*) from=ru to=uk ;; *) from=uk to=en ;; esac
  s=$gold/$n.$from.txt t=$gold/$n.$to.txt
  "$xlate" segment --from $from --format jsonl "$s" > "$work/$n.s.jsonl"
  "$xlate" segment --from $to --format jsonl "$t" > "$work/$n.t.jsonl"
  python3 "$work/gale_church.py" "$work/$n.s.jsonl" "$work/$n.t.jsonl" > "$work/$n.gc.tsv"
  "$xlate" align --from $from --to $to --length-only -o "$work/$n.len.tsv" "$s" "$t"
  "$xlate" align --from $from --to $to -o "$work/$n.xlate.tsv" "$s" "$t"
  "$xlate" align --from $from --to $to --dict "$root/plugins/glossary/data/oboz-uk-en.tsv" \
    -o "$work/$n.dict.tsv" "$s" "$t"
done
echo "Gold set: $(ls "$gold"/*.links | wc -l) document pairs"
printf "%-34s %5s %5s %5s   %5s  %5s  %5s\n" aligner gold pred right P R F1
prf gc "Gale-Church (Python, bench)"
prf len "xlate align --length-only"
prf xlate "xlate align"
prf dict "xlate align --dict oboz-uk-en.tsv"

# ------------------------------------------------------------- 2. time and memory, 10k and 20k
make_pairs() { # N OUT_PREFIX: at least N sentence pairs of the uk-en gold documents, varied
  python3 - "$1" "$2" "$gold" <<'PY'
import glob, os, re, sys
want, out, gold = int(sys.argv[1]), sys.argv[2], sys.argv[3]
docs = []
for links in sorted(glob.glob(os.path.join(gold, "*.links"))):
    name = links[:-len(".links")]
    if not os.path.exists(name + ".en.txt"):
        continue
    rows = [l.rstrip("\n").split("\t") for l in open(links) if not l.startswith("#")]
    side = lambda r, i: [] if r[i] == "-" else [int(x) for x in r[i].split(",")]
    rows = [(side(r, 0), side(r, 1)) for r in rows]
    ns = max(x for r in rows for x in r[0]); nt = max(x for r in rows for x in r[1])
    pairs = sum(1 for r in rows if r[0] and r[1])
    docs.append((open(name + ".uk.txt", encoding="utf-8").read(), open(name + ".en.txt", encoding="utf-8").read(),
                 rows, ns, nt, pairs))
# documents one after another, a blank line between; the gold links follow them
uk, en, links, have, k, os_, ot = [], [], [], 0, 0, 0, 0
while have < want:
    a, b, rows, ns, nt, pairs = docs[k % len(docs)]
    vary = lambda text: re.sub(r"\d+", lambda m: str(int(m.group()) + k), text)
    uk.append(vary(a)); en.append(vary(b)); have += pairs; k += 1
    for s, t in rows:
        links.append((",".join(str(x + os_) for x in s) or "-") + "\t" + (",".join(str(x + ot) for x in t) or "-"))
    os_ += ns; ot += nt
open(out + ".uk.txt", "w", encoding="utf-8").write("\n".join(uk))
open(out + ".en.txt", "w", encoding="utf-8").write("\n".join(en))
open(out + ".links", "w").write("\n".join(links) + "\n")
print(have)
PY
}
echo
echo "Speed and memory (one file pair each; wall seconds and peak RSS of xlate align):"
for n in 10000 20000; do
  pairs=$(make_pairs $n "$work/big$n")
  /usr/bin/time -f "%e %M" -o "$work/time$n" "$xlate" align -o "$work/big$n.tsv" \
    "$work/big$n.uk.txt" "$work/big$n.en.txt"
  read -r secs kb < "$work/time$n"
  printf "  %6d sentence pairs (%s KB of Ukrainian): %5.2f s, peak RSS %6d KB\n" \
    "$pairs" $(( $(wc -c < "$work/big$n.uk.txt") / 1024 )) "$secs" "$kb"
  f1_line "    links of the $n:" $("$score" "$work/big$n.links" "$work/big$n.tsv")
done
