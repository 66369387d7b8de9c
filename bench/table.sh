#!/usr/bin/env bash
# The speed-and-scale table in one command: each bench that measures xlate and its anchor in one
# run, run RUNS times (default 3), and per figure the best and the worst of those runs against
# its target, with the load average before each run.
#
#   batch -j 2 / -j 1          bench/batch.sh (ONLY=news): 10,000 news documents, the glossary;
#                              beside it the machine's ceiling (two independent -j 1 processes on
#                              the two halves against one on the whole) and the share of it -j 2
#                              reaches, since a shared or throttled machine may not give two cores,
#                              and the same speed-up counted in instructions per thread
#                              (callgrind), which the machine cannot move
#   segment / plain ICU        bench/segment.sh: xlate segment against ICU break iteration
#   glossary / iconv | uconv   bench/glossary-throughput.sh: the glossary pipeline, 20 MB
#   peak RSS of a big tar      bench/batch.sh (ONLY=big, BIG_MB="250 1100"): -j 2, the glossary
#
# Before each batch run, bench/machine.sh measures the machine itself (a fixed job alone and on
# both cores at once): on a shared virtual machine it tells whether two cores were there to give.
#
# Each bench ends with one line per figure, `RESULT name=N value=V target=T better=higher|lower`
# (the peak RSS adds flat=yes|no and sizes=MB:RSS,...); only those lines are read, so the benches'
# human-readable output may change freely. A figure is met when its worst run meets the target
# (the issue asks for it "in every run"); the peak RSS must also be flat in every run.
#
# Usage: bench/table.sh [XLATE]
#   RUNS=3          runs of each bench
#   BIG_MB="250 1100"  the archive sizes of the peak-RSS row, smallest first
#   ONLY="segment glossary batch rss"  the rows to measure (default: all)
# The benches' whole output goes to ${TABLE_OUT:-bench/out}/table-BENCH-RUN.log (bench/out is
# not part of the repository); their inputs are cached where each bench caches them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
runs=${RUNS:-3}
big_mb=${BIG_MB:-250 1100}
only=${ONLY:-segment glossary batch rss}
logs=${TABLE_OUT:-$root/bench/out}

die() { echo "table.sh: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$runs'"
mkdir -p "$logs"
export XLATE=$xlate

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# run_bench ROW RUN COMMAND...: runs one bench, its output to its log; appends its RESULT lines
# to $results as "ROW RUN LOAD RESULT ...". A bench that fails or prints no RESULT line stops
# the table: a row left out would read as a figure not measured.
run_bench() {
  local row=$1 run=$2 log load
  shift 2
  log=$logs/table-$row-$run.log
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "  $row, run $run of $runs (load $load) ..." >&2
  "$@" > "$log" 2>&1 || die "$row run $run failed; see $log"
  grep '^RESULT ' "$log" | sed "s/^/$row $run $load /" >> "$results"
  grep -q '^RESULT ' "$log" || die "$row run $run printed no RESULT line; see $log"
}

wanted() { [[ " $only " == *" $1 "* ]]; }

echo "Measuring: $runs run(s) of each bench; $(nproc) cores; logs in $logs" >&2
for run in $(seq 1 "$runs"); do
  if wanted batch; then
    run_bench machine "$run" "$root/bench/machine.sh"
    run_bench batch "$run" env ONLY=news "$root/bench/batch.sh" "$xlate"
  fi
  if wanted segment; then run_bench segment "$run" "$root/bench/segment.sh" "$xlate"; fi
  if wanted glossary; then run_bench glossary "$run" "$root/bench/glossary-throughput.sh" "$xlate"; fi
  if wanted rss; then run_bench rss "$run" env ONLY=big BIG_MB="$big_mb" "$root/bench/batch.sh" "$xlate"; fi
done

# The table: one row per RESULT name, in the order the issue lists them.
awk -v runs="$runs" '
function field(key,   i, kv) {
  for (i = 5; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return substr($i, length(key) + 2) }
  return ""
}
{
  name = field("name"); v = field("value") + 0
  if (!(name in n)) { order[++rows] = name; n[name] = 0; flat[name] = "" }
  n[name]++
  target[name] = field("target") + 0; better[name] = field("better")
  loads[name] = loads[name] (loads[name] == "" ? "" : ", ") $3
  f = field("flat"); if (f != "") flat[name] = (flat[name] == "no" || f == "no") ? "no" : "yes"
  if (field("sizes") != "") sizes = sizes sprintf("  run %s: %s\n", $2, field("sizes"))
  higher = better[name] == "higher"
  # numbers compared as numbers, shown as the bench printed them
  if (n[name] == 1 || (higher ? v > best[name] : v < best[name])) { best[name] = v; best_s[name] = field("value") }
  if (n[name] == 1 || (higher ? v < worst[name] : v > worst[name])) { worst[name] = v; worst_s[name] = field("value") }
}
END {
  work["batch-j2"] = "batch -j 2 / -j 1, 10,000 news documents, glossary (speed-up)"
  work["batch-j2-instructions"] = "  the same counted in instructions (callgrind): -j 2 / -j 1 on free cores of equal speed"
  work["batch-ceiling"] = "  two independent -j 1 processes / one: what this machine gives two cores"
  work["batch-j2-of-ceiling"] = "  batch -j 2 speed-up / that ceiling"
  work["segment"] = "xlate segment / plain ICU break iteration (CPU time)"
  work["glossary"] = "run --plugin glossary --format jsonl / iconv \\| uconv -x any-nfc (CPU time)"
  work["batch-rss"] = "peak RSS, big tar through the glossary, -j 2 (MB)"
  work["machine-pair"] = "the machine: a fixed job on both cores at once / alone (bench/machine.sh)"
  work["machine-spread"] = "  the machine: slowest / fastest CPU time of that job alone"
  printf "| work | best | worst of %d | target | met? | load (1 min) at each run |\n", runs
  printf "| --- | --- | --- | --- | --- | --- |\n"
  for (i = 1; i <= rows; i++) {
    k = order[i]
    higher = better[k] == "higher"
    met = higher ? worst[k] >= target[k] : worst[k] < target[k]
    goal = (higher ? ">= " : "< ") target[k]
    if (flat[k] != "") { goal = goal ", flat"; met = met && flat[k] == "yes" }
    label = (k in work) ? work[k] : k
    if (n[k] != runs) label = label sprintf(" (%d of %d runs)", n[k], runs)
    printf "| %s | %s | %s | %s | %s | %s |\n", label, best_s[k], worst_s[k], goal, met ? "met" : "NOT met", loads[k]
  }
  if (sizes != "") printf "\npeak RSS by archive size (MB of tar: MB resident), each run:\n%s", sizes
}' "$results"
