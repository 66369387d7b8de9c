#!/usr/bin/env bash
# Precision and recall of each qa check on the labelled set (qa-set.tsv beside this script):
# runs the checks on every pair, prints a table (rows, true/false positives, false negatives,
# precision, recall per check) and the rows where a check fired unexpectedly or missed. Exit
# status 1 when any check is below 1.0 or has no row of its own, 2 when the set cannot be read.
#
# Usage: plugins/qa/tests/eval.sh [-v] [BUILD_DIR [SET.tsv]]
#   -v         print every finding's message too
#   BUILD_DIR  the meson build folder (default: build/ in the repository)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
verbose=()
if [ "${1:-}" = -v ]; then verbose=(-v); shift; fi
build=${1:-$root/build}
set_file=${2:-$here/qa-set.tsv}
eval_bin=$build/plugins/qa/qa_eval
[ -x "$eval_bin" ] || { echo "eval.sh: no $eval_bin; build first (ninja -C $build)" >&2; exit 2; }
exec "$eval_bin" "${verbose[@]}" "$set_file"
