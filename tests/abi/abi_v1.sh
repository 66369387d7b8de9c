#!/usr/bin/env bash
# The frozen-ABI test: abi_v1.so, compiled against tests/abi/v1/plugin.h (ABI 1.0 as released),
# must keep loading into the current xlate and behave through the 1.0 layout of the tables.
. "$SRC_ROOT/tests/cli/lib.sh"
SO=${ABI_V1_SO:?set ABI_V1_SO to the built abi_v1.so}

# The frozen header really is 1.0 and the current one is still major 1.
expect_eq "$(sed -n 's/^#define XLATE_ABI_MINOR \([0-9]*\)$/\1/p' "$SRC_ROOT/tests/abi/v1/plugin.h")" "0" \
  "tests/abi/v1/plugin.h stays the frozen 1.0 header"
expect_eq "$(sed -n 's/^#define XLATE_ABI_MAJOR \([0-9]*\)$/\1/p' "$SRC_ROOT/include/xlate/plugin.h")" "1" \
  "the current header is still ABI major 1 (a new major needs a new tests/abi/vN)"

expect_status 0 "plugin check passes the 1.0 plugin" -- "$XLATE" plugin check "$SO"
expect_in "$TMP/out" "plugin ABI 1.0" "check reports the plugin's ABI as 1.0"

printf 'Генсек НАТО виступив у Брюсселі.\n\nКиїв чекає на рішення.\n' >"$TMP/in.txt"
expect_status 0 "a run through the 1.0 plugin" -- \
  "$XLATE" run --plugin "$SO:repeat=2" --to en --format jsonl "$TMP/in.txt"
cp "$TMP/out" "$TMP/run.jsonl"
expect_in "$TMP/run.jsonl" '"en:Генсек NATO виступив у Брюсселі. Генсек NATO виступив у Брюсселі."' \
  "the target is made through option_int, target_lang, masking and unmasking"
expect_in "$TMP/run.jsonl" '"en:Київ чекає на рішення. Київ чекає на рішення."' \
  "the second paragraph is translated too"
expect_in "$TMP/run.jsonl" '"NATO"' "the term added through segment_add_term is in the output"

expect_status 1 "segment_fail from a 1.0 plugin" -- \
  "$XLATE" run --plugin "$SO:fail_word=Київ" --format jsonl "$TMP/in.txt"
expect_in "$TMP/out" "abi_v1: the segment contains the fail word" "the failed segment carries the plugin's message"
expect_status 2 "an option value a 1.0 plugin refuses in create (usage error)" -- \
  "$XLATE" run --plugin "$SO:repeat=9" "$TMP/in.txt"
expect_in "$TMP/err" "repeat must be 1, 2 or 3" "create's message reaches the user"
finish
