#!/usr/bin/env bash
# --dry-run and the usage table (ABI 1.4: dry_run, count_usage, segment_status), with testusage, a
# translator that counts what it would send to a "network" service: a real run prints what it
# sent per service; a dry run runs the chain, sends nothing, writes no output, and counts the
# same; the counts are summed over batch workers and isolated instances; batch's report has them
# as "usage"; segment_status gives what the chain made of each segment.
. "$SRC_ROOT/tests/cli/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}
SAMPLE="$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt"
CHAIN=(--plugin-path "$PLUGIN_DIR" --plugin glossary --plugin testusage)

# The characters the service would get: the code points of every segment's source.
chars=$("$XLATE" segment --format jsonl "$SAMPLE" | python3 -c '
import json, sys
print(sum(len(json.loads(l)["text"]) for l in sys.stdin))')
segs=$("$XLATE" segment --format jsonl "$SAMPLE" | wc -l)
[ "$chars" -gt 1000 ] || fail "the sample's characters were not counted ($chars)"
# 64 segments a batch: the requests of one document.
reqs=$(( (segs + 63) / 64 ))
row() { printf '  %-16s %12s %14s' "$1" "$2" "$3"; }

expect_status 0 "a real run" -- "$XLATE" run "${CHAIN[@]}" -o "$TMP/real.tsv" "$SAMPLE"
expect_in "$TMP/err" "xlate: sent to network services:" "a real run says what it sent"
expect_in "$TMP/err" "$(row testnet "$reqs" "$chars")" "requests and characters of the real run"
expect_eq "$(grep -c '\[net\]' "$TMP/real.tsv")" "$segs" "a real run translates every segment"

expect_status 0 "a dry run" -- "$XLATE" run --dry-run "${CHAIN[@]}" -o "$TMP/dry.tsv" "$SAMPLE"
expect_in "$TMP/err" "xlate: dry run: nothing was sent; the run would send, per service:" \
  "a dry run says nothing was sent"
expect_in "$TMP/err" "$(row testnet "$reqs" "$chars")" "the dry run counts what the real run sent"
expect_in "$TMP/err" "xlate: dry run: the output ($TMP/dry.tsv) was not written" \
  "a dry run says the output was not written"
[ -e "$TMP/dry.tsv" ] && fail "a dry run wrote its output file"
expect_status 0 "a dry run to standard output" -- "$XLATE" run --dry-run "${CHAIN[@]}" "$SAMPLE"
expect_eq "$(wc -c <"$TMP/out")" "0" "a dry run writes no records to standard output"

expect_status 0 "a dry run, isolated" -- "$XLATE" run --dry-run --isolate "${CHAIN[@]}" "$SAMPLE"
expect_in "$TMP/err" "$(row testnet "$reqs" "$chars")" "an isolated instance's counts reach the host"

expect_status 0 "a dry run without a network plugin" -- \
  "$XLATE" run --dry-run --plugin glossary -o "$TMP/g.tsv" "$SAMPLE"
expect_in "$TMP/err" "no plugin of the chain sends text over the network" "nothing to count, said"
expect_status 0 "a real run without a network plugin" -- "$XLATE" run --plugin glossary "$SAMPLE"
expect_not_in "$TMP/err" "network services" "a run that sent nothing prints no table"

# Two services, one refused name: the host sums per name, and refuses the bad one.
expect_status 0 "two services in one chain" -- "$XLATE" run --dry-run --plugin-path "$PLUGIN_DIR" \
  --plugin testusage:service=alpha --plugin testusage:service=beta "$SAMPLE"
expect_in "$TMP/err" "$(row alpha "$reqs" "$chars")" "the first service's row"
expect_in "$TMP/err" "$(row beta "$reqs" "$chars")" "the second service's row"
expect_status 0 "a bad service name" -- "$XLATE" run --plugin-path "$PLUGIN_DIR" \
  --plugin "testusage:service=Bad Name" "$SAMPLE"
expect_in "$TMP/err" "count_usage: service 'Bad Name' is not of [a-z0-9_-]+" "a bad name is refused"
expect_not_in "$TMP/err" "Bad Name    " "and not counted"

# batch: four copies of the sample over two workers, in process and isolated.
mkdir -p "$TMP/in"
for i in 1 2 3 4; do cp "$SAMPLE" "$TMP/in/doc$i.txt"; done
for iso in "" "--isolate"; do
  rm -rf "$TMP/outdir"
  expect_status 0 "batch $iso" -- "$XLATE" batch -j 2 $iso "${CHAIN[@]}" "$TMP/in" -o "$TMP/outdir"
  expect_in "$TMP/err" "$(row testnet $((4 * reqs)) $((4 * chars)))" "batch sums its workers $iso"
  expect_eq "$(python3 -c 'import json,sys; u=json.load(open(sys.argv[1]))["usage"]; print(u["testnet"]["requests"], u["testnet"]["characters"])' "$TMP/outdir/report.json")" \
    "$((4 * reqs)) $((4 * chars))" "report.json has the usage $iso"
done
expect_status 0 "batch --dry-run" -- "$XLATE" batch -j 2 --dry-run "${CHAIN[@]}" "$TMP/in" -o "$TMP/dryout"
expect_in "$TMP/err" "$(row testnet $((4 * reqs)) $((4 * chars)))" "batch --dry-run counts"
expect_in "$TMP/err" "dry run: OUTPUT ($TMP/dryout) was not written" "batch --dry-run says so"
expect_in "$TMP/err" "report: (none)" "batch --dry-run names no report"
[ -e "$TMP/dryout" ] && fail "batch --dry-run made its output folder"
expect_status 2 "batch --dry-run --resume" -- "$XLATE" batch --dry-run --resume "${CHAIN[@]}" "$TMP/in" -o "$TMP/dryout"
expect_in "$TMP/err" "--dry-run writes no output: leave out --resume" "a dry run cannot resume"

# segment_status after the chain (testusage's batch_done log), and dry_run as the plugin sees it.
printf 'Один рядок.\nДва warn.\nТри fail.\nЧотири drop.\n' >"$TMP/s.txt"
for mode in "" "--isolate"; do
  rm -f "$TMP/status.log"
  expect_status 1 "statuses $mode" -- "$XLATE" run $mode --plugin-path "$PLUGIN_DIR" \
    --plugin "testusage:log=$TMP/status.log,warn_word=warn,fail_word=fail,drop_word=drop" "$TMP/s.txt"
  expect_in "$TMP/status.log" "dry_run 0" "dry_run is 0 in a real run $mode"
  expect_in "$TMP/status.log" "status $TMP/s.txt 1 0 [net] Один рядок." "ok is 0 $mode"
  expect_in "$TMP/status.log" "status $TMP/s.txt 2 1 [net] Два warn." "warning is 1 $mode"
  expect_in "$TMP/status.log" "status $TMP/s.txt 3 2 [net] Три fail." "failed is 2 $mode"
  expect_in "$TMP/status.log" "status $TMP/s.txt 4 3 [net] Чотири drop." "filtered is 3 $mode"
  expect_in "$TMP/status.log" "status_out_of_range -1" "an index out of range is -1 $mode"
done
rm -f "$TMP/status.log"
expect_status 0 "dry run statuses" -- "$XLATE" run --dry-run --plugin-path "$PLUGIN_DIR" \
  --plugin "testusage:log=$TMP/status.log" "$TMP/s.txt"
expect_in "$TMP/status.log" "dry_run 1" "dry_run is 1 in a dry run"
expect_in "$TMP/status.log" "status $TMP/s.txt 1 0 -" "a dry run leaves the segment active without a target"
finish
