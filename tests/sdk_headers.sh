#!/usr/bin/env bash
# The public headers as a plugin author or an embedding program meets them: each compiles alone,
# in strict C99 and in C++, with every warning an error; every exported function of xlate.h has
# its documentation beside it; and a plugin written in C++ exports the entry with C linkage.
set -u
INC=${1:?usage: sdk_headers.sh INCLUDE_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for h in "$INC"/xlate/*.h; do
  name=xlate/$(basename "$h")
  printf '#include <%s>\n' "$name" >"$TMP/one.c"
  cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$INC" "$TMP/one.c" 2>"$TMP/err" ||
    { fail "$name does not compile alone as C99"; cat "$TMP/err" >&2; }
  cp "$TMP/one.c" "$TMP/one.cpp"
  g++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$INC" "$TMP/one.cpp" 2>"$TMP/err" ||
    { fail "$name does not compile alone as C++"; cat "$TMP/err" >&2; }
  # Twice in one unit: the include guard works.
  printf '#include <%s>\n#include <%s>\n' "$name" "$name" >"$TMP/twice.c"
  cc -std=c99 -pedantic -Wall -Werror -fsyntax-only -I"$INC" "$TMP/twice.c" 2>/dev/null ||
    fail "$name cannot be included twice"
done

# Every function xlate.h exports is declared right after its comment.
undocumented=$(awk '/^XLATE_API/ && prev !~ /\*\/[[:space:]]*$/ { print FNR": "$0 } { prev = $0 }' \
  "$INC/xlate/xlate.h")
[ -z "$undocumented" ] || fail "xlate.h functions without a comment beside them: $undocumented"

# A plugin written in C++ gets C linkage for its entry from the header's declaration alone.
cat >"$TMP/cxx_plugin.cpp" <<'CXX'
#include <xlate/plugin.h>
static const xlate_plugin descriptor = {XLATE_ABI_VERSION, sizeof(xlate_plugin), "cxx", "1", "C++",
    XLATE_KIND_FILTER, 0, 0, 0, 0, 0, 0, 0, 0};
XLATE_PLUGIN_EXPORT const xlate_plugin *xlate_plugin_entry(const xlate_host *) { return &descriptor; }
CXX
if g++ -std=c++11 -Wall -Werror -fPIC -shared -fvisibility=hidden -I"$INC" -o "$TMP/cxx.so" \
     "$TMP/cxx_plugin.cpp" 2>"$TMP/err"; then
  nm -D --defined-only "$TMP/cxx.so" | grep -qw xlate_plugin_entry ||
    fail "a C++ plugin's xlate_plugin_entry is not exported unmangled"
else
  fail "a C++ plugin does not build against plugin.h"; cat "$TMP/err" >&2
fi

echo "sdk_headers: $failures failed"
[ "$failures" -eq 0 ]
