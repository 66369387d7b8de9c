#!/usr/bin/env bash
# The test fuzz_clang_brief: every harness of tests/fuzz under libFuzzer for a few hundred
# executions past its corpus (scripts/fuzz -r), in a clang build inside the test's build folder.
# Skips (77) only when clang or its libFuzzer runtime is not installed; any finding fails it.
set -uo pipefail
src=$1 build=$2
command -v clang >/dev/null || { echo "clang is not installed: skipped"; exit 77; }

ls "$(clang -print-resource-dir)"/lib/linux/libclang_rt.fuzzer*.a >/dev/null 2>&1 ||
  { echo "clang's libFuzzer runtime is not installed: skipped"; exit 77; }
exec "$src/scripts/fuzz" -B "$build" -r 300
