#!/usr/bin/env bash
# Do glossary terms through Apertium help the translation, or hurt it? In one run: the English
# seed article (samples/oboz/oboz-stoltenberg.en.txt) through `apertium:pair=eng-spa` alone and
# through `glossary:file=samples/en-es-terms.tsv` + `apertium:pair=eng-spa`; chrF2 (bench/chrf.py,
# sacrebleu's definition) of each against the human reference
# samples/oboz/oboz-stoltenberg.es-reference.txt, one line per segment; the gain. Target: at least
# +3 chrF. Then the Brussels sentence with NATO → OTAN: the year, the dash and "ministros de
# defensa" must stay where Apertium alone puts them, and OTAN must be there.
#
# Usage: bench/terms-chrf.sh [XLATE]   (default build/core/xlate)
#   TERMS=FILE  another term map (samples/en-es-terms.tbx: the same map in TBX)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xlate=${1:-${XLATE:-$root/build/core/xlate}}
en=$root/samples/oboz/oboz-stoltenberg.en.txt
ref=$root/samples/oboz/oboz-stoltenberg.es-reference.txt
terms=${TERMS:-$root/samples/en-es-terms.tsv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "terms-chrf bench: $*" >&2; exit 1; }
[ -x "$xlate" ] || die "no xlate at $xlate; build first (ninja -C build) or pass its path"
[ -f /usr/share/apertium/modes/eng-spa.mode ] || die "apertium-eng-spa not installed; run scripts/bootstrap"

# targets JSONL OUT: the targets of a JSONL run, one line per segment (a failed one as empty).
targets() {
  python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    print((r.get("target") or "").replace("\n", " "))
' "$1" > "$2"
}

translate() { # translate OUT.jsonl INPUT [PLUGIN...]
  local out=$1 input=$2
  shift 2
  "$xlate" run "$@" --plugin apertium:pair=eng-spa --from en --to es --format jsonl \
    -o "$out" "$input" || die "xlate run failed on $input"
}

translate "$work/alone.jsonl" "$en"
translate "$work/terms.jsonl" "$en" --plugin "glossary:file=$terms"
targets "$work/alone.jsonl" "$work/alone.txt"
targets "$work/terms.jsonl" "$work/terms.txt"
[ "$(wc -l < "$work/alone.txt")" = "$(wc -l < "$ref")" ] ||
  die "$(wc -l < "$work/alone.txt") segments, but $ref has $(wc -l < "$ref") lines; the reference must follow 'xlate segment --from en' line for line"

alone=$(python3 "$root/bench/chrf.py" "$work/alone.txt" "$ref")
with=$(python3 "$root/bench/chrf.py" "$work/terms.txt" "$ref")
gain=$(awk "BEGIN { printf \"%+.2f\", $with - $alone }")
warned=$(grep -c '"status":"warning"' "$work/terms.jsonl" || true)
printf 'chrF2 against the human reference (%d segments):\n' "$(wc -l < "$ref")"
printf '   apertium eng-spa alone          %6.2f\n' "$alone"
printf '   glossary + apertium eng-spa     %6.2f   (%s; target >= +3.00)\n' "$with" "$gain"
printf '   segments with a term lost or doubled: %d\n' "$warned"
ok=$(awk "BEGIN { print ($with - $alone >= 3) }")

brussels='Brussels, 24 May 2024 - NATO defence ministers met today.'
printf '%s\n' "$brussels" > "$work/brussels.txt"
translate "$work/brussels.jsonl" "$work/brussels.txt" --plugin "glossary:file=$terms"
targets "$work/brussels.jsonl" "$work/brussels.out"
got=$(cat "$work/brussels.out")
printf 'Brussels sentence: %s\n' "$got"
for want in '2024 - ' 'ministros de defensa' 'OTAN'; do
  case "$got" in
    *"$want"*) ;;
    *) echo "   missing: '$want'" >&2; ok=0 ;;
  esac
done

[ "$ok" = 1 ] && echo "targets met" && exit 0
echo "targets not met" >&2
exit 1
