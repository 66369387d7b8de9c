#!/usr/bin/env bash
# The frozen-ABI 1.1 test: abi_v1_1.so, compiled against tests/abi/v1_1/plugin.h (ABI 1.1 as
# released), must keep loading into the current xlate and run through the 1.1 layout of the
# tables, its 1.1 calls (segment_index, segment_paragraph) included, beside a 1.2 check plugin.
. "$SRC_ROOT/tests/cli/lib.sh"
SO=${ABI_V1_1_SO:?set ABI_V1_1_SO to the built abi_v1_1.so}
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}

expect_eq "$(sed -n 's/^#define XLATE_ABI_MINOR \([0-9]*\)$/\1/p' "$SRC_ROOT/tests/abi/v1_1/plugin.h")" "1" \
  "tests/abi/v1_1/plugin.h stays the frozen 1.1 header"
expect_eq "$(grep -c 'segment_warn\|last_error' "$SRC_ROOT/tests/abi/v1_1/plugin.h")" "0" \
  "the frozen 1.1 header has none of the 1.2 calls"

expect_status 0 "plugin info of the 1.1 plugin" -- "$XLATE" plugin info "$SO"
expect_in "$TMP/out" "built for:   plugin ABI 1.1" "info reports the plugin's ABI as 1.1"

printf 'Перше речення. Друге речення.\n\nТретє NATO.\n' >"$TMP/a.txt"
printf 'Інший документ.\n' >"$TMP/b.txt"
expect_status 0 "a run through the 1.1 plugin, two documents" -- \
  "$XLATE" run --plugin "$SO" --format jsonl "$TMP/a.txt" "$TMP/b.txt"
cp "$TMP/out" "$TMP/run.jsonl"
expect_in "$TMP/run.jsonl" '"target":"0.0 Перше речення."' "segment_paragraph and segment_index of the first segment"
expect_in "$TMP/run.jsonl" '"target":"0.1 Друге речення."' "the second segment of the paragraph"
expect_in "$TMP/run.jsonl" '"target":"1.2 Третє NATO."' "the next paragraph"
expect_in "$TMP/run.jsonl" '"id":4,"doc":"'"$TMP"'/b.txt"' "output ids go on in the second document"
expect_in "$TMP/run.jsonl" '"target":"0.0 Інший документ."' "segment_index starts again in the next document"

expect_status 0 "segment_drop from a 1.1 plugin" -- \
  "$XLATE" run --plugin "$SO:drop_from=1" --format jsonl "$TMP/a.txt"
expect_in "$TMP/out" '"status":"filtered","message":"abi_v1_1: a paragraph after the limit"' \
  "the dropped segment carries the plugin's reason"

# A 1.2 check plugin beside it, written first: it still runs after the 1.1 translator.
expect_status 0 "a 1.1 translator and a 1.2 check" -- \
  "$XLATE" run --plugin-path "$PLUGIN_DIR" --plugin testcheck:word=NATO --plugin "$SO" --format jsonl "$TMP/a.txt"
expect_not_in "$TMP/out" "no_target" "the check ran after the 1.1 translator"
expect_in "$TMP/out" '"target":"1.2 Третє NATO.","status":"ok"' "the target kept NATO, so no warning"
finish
