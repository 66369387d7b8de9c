#!/bin/sh
# po_msgfmt: every PO file the PO format module writes in test_po (given as $1) passes
# `msgfmt -c --check-format`, as a translator's build would run it.
set -u
test_po=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/xlate-po-msgfmt.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
"$test_po" "$dir" || { echo "test_po failed"; exit 1; }
passed=0 failed=0
for f in "$dir"/*.po; do
    if msgfmt -c --check-format -o /dev/null "$f"; then
        passed=$((passed + 1))
    else
        echo "msgfmt -c rejects $(basename "$f"):"; cat -n "$f"
        failed=$((failed + 1))
    fi
done
[ "$passed" -ge 9 ] || { echo "only $passed PO files written, want at least 9"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
