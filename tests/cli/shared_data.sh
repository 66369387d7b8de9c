#!/usr/bin/env bash
# ABI 1.5's shared data: a plugin's load() runs once per chain before any instance of any worker,
# every instance gets what it made, and unload() comes after the last destroy — in batch with
# several workers, in run, and in each child of an isolated plugin. A failing load is a clear
# run error. The 1.4 side (a plugin built without load) is tests/abi/abi_v1_4.sh.
. "$SRC_ROOT/tests/cli/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}

mkdir -p "$TMP/in"
for i in 1 2 3 4 5 6 7 8; do printf 'Document %d. Second sentence.\n' "$i" >"$TMP/in/d$i.txt"; done

# calls TRACE WORD: how many lines of TRACE are WORD calls.
calls() { grep -c "^$2 " "$1"; }

trace=$TMP/batch.trace
expect_status 0 "batch -j 2 with a plugin that shares data" -- \
  "$XLATE" batch -j 2 --plugin-path "$PLUGIN_DIR" --plugin "testshared:trace=$trace,prefix=[P] " \
  --format jsonl "$TMP/in" -o "$TMP/out-batch"
expect_eq "$(calls "$trace" load)" 1 "load once for the chain, however many workers"
expect_eq "$(calls "$trace" create)" 2 "one instance per worker"
expect_eq "$(calls "$trace" destroy)" 2 "every instance destroyed"
expect_eq "$(calls "$trace" unload)" 1 "unload once"
expect_eq "$(head -1 "$trace" | cut -d' ' -f1)" load "load before any instance"
expect_eq "$(tail -1 "$trace" | cut -d' ' -f1)" unload "unload after the last destroy"
expect_eq "$(cut -d' ' -f3 "$trace" | sort -u | wc -l)" 1 "every instance got the object load made"
expect_eq "$(cat "$TMP"/out-batch/*.jsonl | grep -c '"target":"\[P\] Document')" 8 \
  "every document's target made from the shared prefix"

trace=$TMP/run.trace
expect_status 0 "run with a plugin that shares data" -- \
  "$XLATE" run --plugin-path "$PLUGIN_DIR" --plugin "testshared:trace=$trace" "$TMP/in/d1.txt"
expect_in "$TMP/out" "S:Document 1." "run's target from the shared prefix"
expect_eq "$(cut -d' ' -f1 "$trace" | tr '\n' ' ')" "load create destroy unload " \
  "run: load, create, destroy, unload in that order"

# Isolated: each child loads for its own instance; the parent loads nothing.
trace=$TMP/isolated.trace
expect_status 0 "batch -j 2 --isolate with a plugin that shares data" -- \
  "$XLATE" batch -j 2 --isolate --plugin-path "$PLUGIN_DIR" --plugin "testshared:trace=$trace" \
  --format jsonl "$TMP/in" -o "$TMP/out-isolated"
expect_eq "$(calls "$trace" load)" 2 "a load in each child"
expect_eq "$(awk '{print $2}' "$trace" | sort -u | wc -l)" 2 "the loads are the children's"
for pid in $(awk '{print $2}' "$trace" | sort -u); do
  expect_eq "$(awk -v p="$pid" '$2 == p {printf "%s ", $1}' "$trace")" "load create destroy unload " \
    "child $pid: load, create, destroy, unload in that order"
done
expect_eq "$(cat "$TMP"/out-isolated/*.jsonl | grep -c '"target":"S:Document')" 8 \
  "isolated: every document's target made from the shared prefix"

trace=$TMP/fail.trace
expect_status 1 "a load that fails fails the run" -- \
  "$XLATE" batch -j 2 --plugin-path "$PLUGIN_DIR" --plugin "testshared:trace=$trace,fail=yes" \
  --format jsonl "$TMP/in" -o "$TMP/out-fail"
expect_in "$TMP/err" "plugin 'testshared' could not start: the shared data could not be loaded (fail=yes)" \
  "the plugin's reason is shown"
[ -e "$trace" ] && expect_eq "$(calls "$trace" create)" 0 "no instance without its load"
finish
