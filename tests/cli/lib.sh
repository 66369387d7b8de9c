# Shared helpers of the CLI tests: run xlate, check its exit status and output, count failures.
# Each test script sources this, calls its checks, and ends with `finish`.
set -u
XLATE=${XLATE:?set XLATE to the xlate binary}
SRC_ROOT=${SRC_ROOT:?set SRC_ROOT to the source tree}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_status WANT DESCRIPTION -- COMMAND...: runs COMMAND, output in $TMP/out and $TMP/err.
expect_status() {
  local want=$1 what=$2; shift 3
  checks=$((checks + 1))
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit status $got, want $want"
    sed 's/^/    stderr: /' "$TMP/err" | head -5 >&2
    # A sanitizer's report is the reason itself: shown whole, not cut at five lines.
    sed -n '/ERROR: [A-Za-z]*Sanitizer\|runtime error:/,$p' "$TMP/err" | head -40 | sed 's/^/    stderr: /' >&2
  fi
}

# expect_in FILE TEXT DESCRIPTION: FILE contains TEXT (fixed string).
expect_in() {
  checks=$((checks + 1))
  grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $(basename "$1")"; head -c 600 "$1" | sed 's/^/    /' >&2; }
}

expect_not_in() {
  checks=$((checks + 1))
  if grep -qF -- "$2" "$1"; then fail "$3: '$2' should not be in $(basename "$1")"; fi
}

expect_eq() {
  checks=$((checks + 1))
  [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

finish() {
  echo "$(basename "$0"): $checks checks, $failures failed"
  [ "$failures" -eq 0 ]
}
