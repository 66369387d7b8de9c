#!/usr/bin/env bash
# How fast is the translation memory (plugin tm, `xlate tm`) at 1,000,000 units, and how does its
# fuzzy search compare with Translate Toolkit's pretranslate?
#
# Builds (bench/tm-corpus.py, cached) a memory of UNITS (default 1,000,000) units from real
# sentences: the Ukrainian man pages of Debian's manpages-uk and the OBOZ.UA sample, cut into
# sentences by `xlate segment`, then pairs of those sentences; targets are the sources'
# romanization by the sample engine (samples/engines/uk-latin.py, as tests/tm/engine.py). Then, in
# one run, pinned to one core (taskset -c 0; figures from the commands' cpu time):
#   import        xlate tm import of the memory as TSV, and again as TMX: units/s
#   exact         10,000 sources of the memory through `xlate tm lookup`: lookups/s
#   fuzzy         1,000 near misses (one word of a unit replaced by another word) through
#                 `xlate tm lookup --threshold 75`: lookups/s, and the share whose best match is
#                 the unit the near miss was made from (the match a person would pick)
#   size          the database file
#   pretranslate  Translate Toolkit's pretranslate (python3-levenshtein) on the first 100 near
#                 misses against 10,000- and 100,000-unit TMX parts of the memory holding their
#                 units: lookups/s, share, and the ratio xlate/pretranslate.
# pretranslate is given the same untranslated PO as its template (-t): without one, this version
# (translate-toolkit 3.8) stops at its exact-match step ('NoneType' object has no attribute
# 'findunit') and fills nothing.
# The lookups go through one `xlate tm lookup --queries FILE` (one process, one connection, as the
# tm plugin holds one through a run), so the figures are the store's plus one process start.
# They are measured again 1,000 to a call (TEXT arguments through xargs), the way a script that
# does not know --queries would call it: each call then also pays a process start (xlate, then
# the xlate-tm it execs: about 30 ms of cpu together on the 2-core VM this was tuned on, mostly
# dynamic linking and page faults) and a cold page cache.
# The imports go into new memories: `xlate tm import` writes an empty memory with a rollback
# journal (plugins/tm/README.md, "The file"), a memory that has units through its WAL.
# Where the time goes (perf on this VM): a lookup's cost is the pages it touches — a pread and,
# for each page of fresh heap a larger cache would take, a page fault, each some microseconds
# here; so reading connections keep a 1 MB cache, and fuzzy lookups drop candidates by their
# word signatures before reading their words (about 14 of 129 a near miss finds are read).
# Targets: import >= 50,000 units/s, exact >= 20,000/s, fuzzy >= 1,000/s at 1,000,000 units;
# the import target counts for both formats (the slower of the two is held to it).
# Each import and each lookup set runs ROUNDS times (default 3), the kinds taking turns, and
# keeps its fastest CPU time: on a shared virtual machine other work only ever slows a run down,
# and the same fixed job's CPU time was seen to vary by 1.4-1.8x between rounds minutes apart
# (bench/machine.sh, whose summary ends this bench's output).
#
# Usage: bench/tm.sh [XLATE] [UNITS]
#   XLATE    the xlate binary (default: $XLATE, else build/core/xlate); xlate-tm beside it
#   ROUNDS=3 runs of each measurement, the fastest kept
#   The corpus is cached in ${BENCH_CACHE:-/tmp/xlate-bench}/tm-UNITS and rebuilt when missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
units=${2:-1000000}
rounds=${ROUNDS:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "tm bench: ROUNDS must be a positive number, not '$rounds'" >&2; exit 1; }
cache=${BENCH_CACHE:-/tmp/xlate-bench}
dir=$cache/tm-$units
PY=/usr/bin/python3   # Debian's python3-translate and python3-levenshtein

die() { echo "tm bench: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
. "$root/bench/lib.sh"
require_tools man col taskset pretranslate sqlite3
$PY -c 'import translate, Levenshtein' 2> /dev/null || die "python3-translate and python3-levenshtein needed; run scripts/bootstrap"

# --- the memory ----------------------------------------------------------------------------------
mkdir -p "$dir"
# The corpus is whole only with every file tm-corpus.py writes (a cache trimmed by hand, or a run
# stopped halfway, leaves some out): rebuilt when any is missing.
corpus_whole() {
  local f
  for f in sentences.txt units.tsv units.tmx exact.txt near.tsv near.po tt-10000.tmx tt-100000.tmx; do
    [ -s "$dir/$f" ] || return 1
  done
}
if ! corpus_whole; then
  man_text=$(uk_man_text)
  # Rendered man pages wrap their lines: join each paragraph's lines so that sentences are whole.
  cat "$man_text" "$root"/samples/oboz/*.uk.txt | $PY -c '
import re, sys
paras, cur = [], []
for line in sys.stdin:
    s = line.strip()
    if s:
        cur.append(re.sub(r"\s+", " ", s))
    elif cur:
        paras.append(" ".join(cur)); cur = []
if cur:
    paras.append(" ".join(cur))
sys.stdout.write("\n\n".join(paras) + "\n")' > "$dir/paragraphs.txt"
  "$xlate" segment "$dir/paragraphs.txt" -o "$dir/sentences.txt"
  $PY "$root/bench/tm-corpus.py" "$dir/sentences.txt" "$dir" "$units"
fi
sentences=$(grep -c . "$dir/sentences.txt")

# lookups FILE DB [ARGS...]: every line of FILE through one `xlate tm lookup --queries`; the
# answers in FILE.out. lookups_by_calls: the same, 1,000 TEXT arguments to a call (after "--":
# man pages have sentences that begin with "-"); the answers in FILE.calls.out.
lookups() {
  local file=$1 db=$2; shift 2
  taskset -c 0 "$xlate" tm lookup --db "$db" --from uk --to en "$@" --queries "$file" > "$file.out"
}
lookups_by_calls() {
  local file=$1 db=$2; shift 2
  tr '\n' '\0' < "$file" | taskset -c 0 xargs -0 -n 1000 "$xlate" tm lookup --db "$db" --from uk --to en "$@" -- > "$file.calls.out"
}

rm -f "$dir"/tsv.db* "$dir"/tmx.db*
import_tsv() { taskset -c 0 "$xlate" tm import --db "$dir/tsv.db" --from uk --to en "$dir/units.tsv"; }
import_tmx() { taskset -c 0 "$xlate" tm import --db "$dir/tmx.db" --from uk --to en "$dir/units.tmx"; }
# fastest NAME COMMAND...: runs COMMAND once more and keeps in wall_NAME / cpu_NAME the run
# with the fewest CPU seconds so far.
fastest() {
  local name=$1 w c; shift
  read -r w c < <(timed "$@")
  local kept="cpu_$name"
  if [ -z "${!kept:-}" ] || awk -v a="$c" -v b="${!kept}" 'BEGIN { exit !(a < b) }'; then
    printf -v "wall_$name" '%s' "$w"
    printf -v "cpu_$name" '%s' "$c"
  fi
}
for r in $(seq 1 "$rounds"); do
  rm -f "$dir"/tsv.db* "$dir"/tmx.db*
  fastest tsv import_tsv
  fastest tmx import_tmx
done
db_units=$("$xlate" tm export --db "$dir/tsv.db" --from uk --to en --format tsv | tail -n +2 | wc -l)
[ "$db_units" -eq "$units" ] || die "the memory holds $db_units units, $units were imported"
db_bytes=$(( $(stat -c %s "$dir/tsv.db") + $(stat -c %s "$dir/tsv.db-wal" 2> /dev/null || echo 0) ))

cut -f1 "$dir/near.tsv" > "$dir/near.txt"
exact() { lookups "$dir/exact.txt" "$dir/tsv.db" --limit 1; }
fuzzy() { lookups "$dir/near.txt" "$dir/tsv.db" --limit 3 --threshold 75; }
exact_calls() { lookups_by_calls "$dir/exact.txt" "$dir/tsv.db" --limit 1; }
fuzzy_calls() { lookups_by_calls "$dir/near.txt" "$dir/tsv.db" --limit 3 --threshold 75; }
for r in $(seq 1 "$rounds"); do
  fastest exact exact
  fastest fuzzy fuzzy
  fastest exact_calls exact_calls
  fastest fuzzy_calls fuzzy_calls
done
for f in exact near; do
  cmp -s "$dir/$f.txt.out" "$dir/$f.txt.calls.out" || die "$f lookups: --queries and TEXT arguments answered differently (diff $dir/$f.txt.out $dir/$f.txt.calls.out)"
done
exact_found=$($PY "$root/bench/tm-answers.py" exact "$dir/exact.txt" "$dir/exact.txt.out")
fuzzy_share=$($PY "$root/bench/tm-answers.py" near "$dir/near.tsv" "$dir/near.txt.out")

# --- Translate Toolkit -----------------------------------------------------------------------------
tt() { taskset -c 0 pretranslate --progress=none --tm "$dir/tt-$1.tmx" -s 75 -t "$dir/near.po" -i "$dir/near.po" -o "$dir/tt-$1.po"; }
read -r wall_tt10 cpu_tt10 < <(timed tt 10000)
read -r wall_tt100 cpu_tt100 < <(timed tt 100000)
for n in 10000 100000; do
  [ -s "$dir/tt-$n.po" ] || die "pretranslate wrote nothing against the $n-unit TMX (run it by hand: see tt() above)"
done
tt10_share=$($PY "$root/bench/tm-answers.py" po "$dir/near.tsv" "$dir/tt-10000.po")
tt100_share=$($PY "$root/bench/tm-answers.py" po "$dir/near.tsv" "$dir/tt-100000.po")

awk -v u="$units" -v s="$sentences" -v ct="$cpu_tsv" -v wt="$wall_tsv" -v cx="$cpu_tmx" -v wx="$wall_tmx" \
    -v ce="$cpu_exact" -v we="$wall_exact" -v cf="$cpu_fuzzy" -v wf="$wall_fuzzy" -v b="$db_bytes" \
    -v ef="$exact_found" -v fs="$fuzzy_share" -v c10="$cpu_tt10" -v c100="$cpu_tt100" \
    -v s10="$tt10_share" -v s100="$tt100_share" -v cec="$cpu_exact_calls" -v wec="$wall_exact_calls" \
    -v cfc="$cpu_fuzzy_calls" -v wfc="$wall_fuzzy_calls" -v rounds="$rounds" 'BEGIN {
  printf "memory: %d units from %d distinct sentences (man pages, OBOZ.UA sample); one core; fastest of %d rounds\n", u, s, rounds
  printf "%-40s %8s %8s %14s\n", "", "wall s", "cpu s", "rate (cpu)"
  printf "%-40s %8.2f %8.2f %10.0f u/s\n", "import TSV", wt, ct, u / ct
  printf "%-40s %8.2f %8.2f %10.0f u/s\n", "import TMX", wx, cx, u / cx
  printf "%-40s %8.2f %8.2f %10.0f /s   (%s found at 100)\n", "exact lookups (10,000, --queries)", we, ce, 10000 / ce, ef
  printf "%-40s %8.2f %8.2f %10.0f /s   (best = own unit: %s)\n", "fuzzy lookups, 75 (1,000, --queries)", wf, cf, 1000 / cf, fs
  printf "%-40s %8.2f %8.2f %10.0f /s\n", "  exact, 1,000 TEXT arguments a call", wec, cec, 10000 / cec
  printf "%-40s %8.2f %8.2f %10.0f /s\n", "  fuzzy, 1,000 TEXT arguments a call", wfc, cfc, 1000 / cfc
  printf "database size: %.1f MB (%.0f bytes a unit)\n", b / 1e6, b / u
  printf "%-40s %8s %8.2f %10.2f /s   (best = own unit: %s)\n", "pretranslate, 100 near misses, 10,000 u", "", c10, 100 / c10, s10
  printf "%-40s %8s %8.2f %10.2f /s   (best = own unit: %s)\n", "pretranslate, 100 near misses, 100,000 u", "", c100, 100 / c100, s100
  printf "fuzzy ratio xlate at %d units / pretranslate at 10,000: %.0fx; at 100,000: %.0fx\n", u, (1000 / cf) / (100 / c10), (1000 / cf) / (100 / c100)
  printf "targets at 1,000,000 units: import >= 50,000/s %s; exact >= 20,000/s %s; fuzzy >= 1,000/s %s\n", \
    (u / (ct > cx ? ct : cx) >= 50000 ? "met" : "NOT met"), (10000 / ce >= 20000 ? "met" : "NOT met"), (1000 / cf >= 1000 ? "met" : "NOT met")
}'
echo "the machine meanwhile (bench/machine.sh):"
ROUNDS=3 MB=100 "$root/bench/machine.sh" | grep -v '^RESULT' | sed 's/^/  /'
