#!/usr/bin/env bash
# `xlate run` streams and survives a signal: records leave while the run is still going, and
# SIGINT / SIGTERM stop it after the batch in flight with the output whole and valid (TSV, JSONL,
# TMX), exit 130 / 143, the records written a prefix of a full run's. A long run shows a progress
# line on a terminal and nothing when stderr is not one.
#
# The translator is the exec plugin driving a small engine that stops at one segment until the
# test lets it go through a FIFO: the run cannot end before the test says so, and the test knows
# where the run is from what it reads, never from a clock.
. "$(dirname "$0")/lib.sh"
DTD=$SRC_ROOT/tests/schemas/tmx14.dtd
HOLD=100   # the engine waits before answering this segment: in the second batch of 64

# The engine: upper-cases each line; at line HOLD it opens the gate FIFO, which blocks until the
# test opens the other end (so the test knows the engine is there), and reads it to its end (so
# the engine goes on when the test closes it). HOLD 0: never waits. It leaves its process id in
# engine.pid, for the test to end it if a run never comes to the gate.
cat > "$TMP/engine.py" <<'EOF'
import os, sys
hold, gate = int(sys.argv[1]), sys.argv[2]
with open(os.path.join(os.path.dirname(gate), "engine.pid"), "w") as f:
    f.write(str(os.getpid()))
n = 0
while True:
    line = sys.stdin.readline()
    if not line:
        break
    n += 1
    if n == hold:
        with open(gate) as g:
            g.read()
    sys.stdout.write(line.upper())
    sys.stdout.flush()
EOF
python3 -c "print('\n\n'.join(f'Sentence number {i} is here.' for i in range(1, 301)))" > "$TMP/in.txt"
TOTAL=300

engine() { echo "exec:cmd=python3 -u $TMP/engine.py $1 $TMP/gate,timeout=120"; }

# The full run of each format, without a stop: what an interrupted run must be a prefix of.
for fmt in tsv jsonl tmx; do
  expect_status 0 "full run ($fmt)" -- "$XLATE" run --plugin "$(engine 0)" --from en --to es \
    --format $fmt -o "$TMP/full.$fmt" "$TMP/in.txt"
done

# is_first_record FORMAT LINE: the line is the first record of the stream.
is_first_record() {
  case $1 in
    tsv) [[ $2 == 1$'\t'* ]] ;;
    jsonl) [[ $2 == '{"id":1,'* ]] ;;
    tmx) [[ $2 == *'<tu tuid="1">'* ]] ;;
  esac
}

# prefix_of PART FULL FORMAT: PART's lines are FULL's first lines; for TMX, up to PART's closing
# tags, which must be FULL's last two lines.
prefix_of() {
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
part, full, fmt = (open(sys.argv[1], encoding="utf-8").read().split("\n"),
                   open(sys.argv[2], encoding="utf-8").read().split("\n"), sys.argv[3])
assert part[-1] == "", "the output does not end with a newline"
part = part[:-1]
if fmt == "tmx":
    assert part[-2:] == ["  </body>", "</tmx>"], f"not closed: {part[-2:]}"
    assert full[-3:] == ["  </body>", "</tmx>", ""], "the full run is not closed"
    part = part[:-2]
assert full[:len(part)] == part, "the records differ from the full run's"
EOF
}

# records FORMAT FILE: how many records FILE has.
records() {
  case $1 in
    tsv) echo $(($(wc -l < "$2") - 1)) ;;
    jsonl) wc -l < "$2" ;;
    tmx) grep -c '<tu tuid=' "$2" ;;
  esac
}

# valid FORMAT FILE WHAT: the file is whole in its format.
valid() {
  checks=$((checks + 1))
  case $1 in
    tsv) awk -F'\t' 'NF != 5 { print "line " NR ": " NF " fields"; bad = 1 } END { exit bad }' "$2" >&2 ||
           fail "$3: a TSV line without its 5 fields" ;;
    jsonl) python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]' "$2" ||
             fail "$3: a JSONL line that does not parse" ;;
    tmx) if [ -r "$DTD" ]; then
           xmllint --noout --path "$(dirname "$DTD")" --dtdvalid "$DTD" "$2" || fail "$3: not valid against the TMX DTD"
         else
           xmllint --noout "$2" || fail "$3: not well-formed XML"
         fi ;;
  esac
}

# stopped_run FORMAT: a run on standard output (a FIFO the test reads), stopped by SIGINT once its
# first record is out and the engine waits in the second batch.
stopped_run() {
  local fmt=$1 line status
  rm -f "$TMP/gate" "$TMP/out.fifo" "$TMP/engine.pid"
  mkfifo "$TMP/gate" "$TMP/out.fifo"
  "$XLATE" run --plugin "$(engine $HOLD)" --from en --to es --format $fmt "$TMP/in.txt" \
    > "$TMP/out.fifo" 2> "$TMP/err" &
  local pid=$!
  exec 3< "$TMP/out.fifo"
  : > "$TMP/part.$fmt"
  checks=$((checks + 1))
  # The engine holds segment HOLD, so the run cannot have ended: a record read now was streamed.
  # (A run that writes nothing before its end would wait here for ever: after two minutes with no
  # record at all, the check fails and the run and its engine are ended.)
  line=
  while IFS= read -r -t 120 line <&3; do
    printf '%s\n' "$line" >> "$TMP/part.$fmt"
    is_first_record $fmt "$line" && break
  done
  if ! is_first_record $fmt "$line"; then
    fail "$fmt: no record came out while the run was going"
    kill -KILL $pid $(cat "$TMP/engine.pid" 2>/dev/null) 2>/dev/null
    exec 3<&-
    wait $pid
    return
  fi
  exec 4> "$TMP/gate"    # returns once the engine waits at segment HOLD: the run is mid-document
  kill -INT $pid
  exec 4>&-              # the engine answers the rest of the batch in flight
  cat <&3 >> "$TMP/part.$fmt"
  exec 3<&-
  wait $pid
  status=$?
  expect_eq "$status" 130 "$fmt: exit status after SIGINT"
  expect_in "$TMP/err" "interrupted by SIGINT" "$fmt: the run says it was interrupted"
  valid $fmt "$TMP/part.$fmt" "$fmt after SIGINT"
  checks=$((checks + 1))
  prefix_of "$TMP/part.$fmt" "$TMP/full.$fmt" $fmt || fail "$fmt: not a prefix of the full run"
  local n
  n=$(records $fmt "$TMP/part.$fmt")
  checks=$((checks + 1))
  [ "$n" -ge $((HOLD - 1)) ] && [ "$n" -lt $TOTAL ] ||
    fail "$fmt: $n records, want the batches done before the stop (at least $((HOLD - 1)), fewer than $TOTAL)"
  expect_in "$TMP/err" "$n segments written to standard output" "$fmt: the message counts the records written"
}

for fmt in tsv jsonl tmx; do
  stopped_run $fmt
done

# --- SIGTERM, with -o FILE: the file is there, closed and valid, and no temporary file is left.
rm -f "$TMP/gate"
mkfifo "$TMP/gate"
"$XLATE" run --plugin "$(engine $HOLD)" --from en --to es --format tmx -o "$TMP/term.tmx" \
  "$TMP/in.txt" 2> "$TMP/err" &
pid=$!
exec 4> "$TMP/gate"
kill -TERM $pid
exec 4>&-
wait $pid
expect_eq "$?" 143 "exit status after SIGTERM"
expect_in "$TMP/err" "interrupted by SIGTERM" "the run says SIGTERM stopped it"
expect_in "$TMP/err" "written to $TMP/term.tmx" "the message names the output"
valid tmx "$TMP/term.tmx" "TMX after SIGTERM"
checks=$((checks + 1))
prefix_of "$TMP/term.tmx" "$TMP/full.tmx" tmx || fail "SIGTERM: not a prefix of the full run"
expect_eq "$(find "$TMP" -name '.xlate-*.tmp' | wc -l)" 0 "no temporary file is left"

# --- the progress line. It shows once the run has worked a second; the run is held at segment
# HOLD for longer than that (a lower bound on the time that passes, whatever the machine's
# speed), then let go. On a terminal (script(1) gives one) the line is there; with stderr on a
# file, the same run prints nothing but its records.
progress_run() { # WHERE: tty or file
  rm -f "$TMP/gate"
  mkfifo "$TMP/gate"
  local cmd="\"$XLATE\" run --plugin \"$(engine $HOLD)\" --from en --to es -o \"$TMP/progress.tsv\" \"$TMP/in.txt\""
  if [ "$1" = tty ]; then
    script -qec "$cmd" /dev/null > "$TMP/progress.log" 2>&1 < /dev/null &
  else
    sh -c "$cmd" > "$TMP/progress.log" 2>&1 < /dev/null &
  fi
  local pid=$!
  exec 4> "$TMP/gate"
  sleep 1.5
  exec 4>&-
  wait $pid
  expect_eq "$?" 0 "progress run ($1)"
  expect_eq "$(records tsv "$TMP/progress.tsv")" $TOTAL "progress run ($1): every record written"
}
progress_run tty
expect_in "$TMP/progress.log" "xlate run: " "a long run on a terminal shows a progress line"
expect_in "$TMP/progress.log" "segments" "the progress line counts segments"
progress_run file
expect_eq "$(wc -c < "$TMP/progress.log")" 0 "stderr not a terminal: no progress line"

finish
