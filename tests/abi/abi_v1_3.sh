#!/usr/bin/env bash
# The frozen-ABI 1.3 test: abi_v1_3.so, compiled against tests/abi/v1_3/plugin.h (ABI 1.3 as
# released), keeps loading into the current xlate and runs through the 1.3 layout of the tables
# (segment_add_match, segment_match_score, batch_done), in process and isolated, beside a 1.4
# plugin that counts usage (testusage), whose count is the same either way.
. "$SRC_ROOT/tests/cli/lib.sh"
SO=${ABI_V1_3_SO:?set ABI_V1_3_SO to the built abi_v1_3.so}
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}

expect_eq "$(sed -n 's/^#define XLATE_ABI_MINOR \([0-9]*\)$/\1/p' "$SRC_ROOT/tests/abi/v1_3/plugin.h")" "3" \
  "tests/abi/v1_3/plugin.h stays the frozen 1.3 header"
expect_eq "$(grep -c 'segment_status\|count_usage\|dry_run' "$SRC_ROOT/tests/abi/v1_3/plugin.h")" "0" \
  "the frozen 1.3 header has none of the 1.4 calls"

expect_status 0 "plugin info of the 1.3 plugin" -- "$XLATE" plugin info "$SO"
expect_in "$TMP/out" "built for:   plugin ABI 1.3" "info reports the plugin's ABI as 1.3"

printf 'TM:один. Два три.\n\nTM:чотири.\n' >"$TMP/a.txt"
for iso in "" "--isolate"; do
  expect_status 0 "the 1.3 memory in front of a 1.4 translator $iso" -- \
    "$XLATE" run $iso --plugin-path "$PLUGIN_DIR" --plugin "$SO" --plugin testusage --format jsonl "$TMP/a.txt"
  expect_in "$TMP/out" '"target":"MEMодин."' "the 1.3 plugin's match is the target $iso"
  expect_in "$TMP/out" '"target":"[net] Два три."' "the 1.4 translator did the rest $iso"
  expect_in "$TMP/out" '"target":"MEMчотири."' "the second paragraph's match $iso"
  expect_in "$TMP/err" "abi_v1_3: warning: batch_done: 3 segments, 3 with a target" \
    "the 1.3 batch_done is called, after the whole chain $iso"
  # Only "Два три." (8 code points) went to the network: the memory's segments are left alone.
  expect_in "$TMP/err" "testnet                     1              8" "usage counted $iso"
done
finish
