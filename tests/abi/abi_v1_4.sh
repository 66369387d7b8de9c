#!/usr/bin/env bash
# The frozen-ABI 1.4 test: abi_v1_4.so, a translator compiled against tests/abi/v1_4/plugin.h
# (ABI 1.4 as released: no load/unload, no plugin_shared), keeps loading into the current xlate
# and runs in a batch with two workers, in process and isolated, beside the glossary (which
# shares its data through ABI 1.5's load): each of its instances starts without shared data.
. "$SRC_ROOT/tests/cli/lib.sh"
SO=${ABI_V1_4_SO:?set ABI_V1_4_SO to the built abi_v1_4.so}

expect_eq "$(sed -n 's/^#define XLATE_ABI_MINOR \([0-9]*\)$/\1/p' "$SRC_ROOT/tests/abi/v1_4/plugin.h")" "4" \
  "tests/abi/v1_4/plugin.h stays the frozen 1.4 header"
expect_eq "$(grep -c 'plugin_shared\|(\*load)\|(\*unload)' "$SRC_ROOT/tests/abi/v1_4/plugin.h")" "0" \
  "the frozen 1.4 header has none of the 1.5 fields"

expect_status 0 "plugin info of the 1.4 plugin" -- "$XLATE" plugin info "$SO"
expect_in "$TMP/out" "built for:   plugin ABI 1.4" "info reports the plugin's ABI as 1.4"

mkdir -p "$TMP/in"
for i in 1 2 3 4 5 6; do printf 'Документ %d про НАТО.\n' "$i" >"$TMP/in/d$i.txt"; done
for iso in "" "--isolate"; do
  rm -rf "$TMP/o"
  expect_status 0 "batch -j 2: the glossary, then the 1.4 translator $iso" -- \
    "$XLATE" batch -j 2 $iso --plugin glossary --plugin "$SO" --format jsonl "$TMP/in" -o "$TMP/o"
  expect_eq "$(cat "$TMP"/o/*.jsonl | grep -c '"target":"\[net\] Документ [1-6] про НАТО\."')" 6 \
    "the 1.4 translator translated every document $iso"
  expect_eq "$(cat "$TMP"/o/*.jsonl | grep -c '"terms":\[{"source":"НАТО","target":"NATO"')" 6 \
    "the glossary's shared term map found the term on every document $iso"
  expect_in "$TMP/o/report.json" '"testnet": {"requests": 6' "its usage counted $iso"
done
finish
