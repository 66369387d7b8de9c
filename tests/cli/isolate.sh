#!/usr/bin/env bash
# Plugin isolation (--isolate, NAME:isolate=yes, --plugin-timeout): a plugin that segfaults,
# aborts or hangs on some segments costs those segments alone, marked with the signal, and the
# rest is translated; without isolation the crash takes the run with it. A working chain gives the
# same output isolated or not, a check plugin's warnings (plugin, code, output id) included. The
# host's own isolate= is no option of the plugin's for the pair check. --max-doc-size, strict
# numbers and the stop signals (130, 143, the children ended) hold as without isolation. A
# translation memory's matches and its batch_done/document_done give the same output and the same
# calls isolated (the memory, the translator after it, or both) as in process.
. "$(dirname "$0")/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}
CRASHY="$PLUGIN_DIR/crashy.so"
# Under the sanitizers a report must not pass for the exit status a test expects, and a plugin's
# segfault must stay a SIGSEGV (ASan would turn it into an exit status of its own).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86:handle_segv=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
cd "$TMP" || exit 1

# Six segments in one batch: the second segfaults the plugin, the fourth aborts it.
printf 'One good sentence here. Then CRASH_SEGV comes.\n\nA third one is fine. CRASH_ABORT right here.\n\nThe last one is good. CRASH_LOG says hi.\n' >crash.txt
printf 'Good one. CRASH_HANG here. Good two.\n' >hang.txt

# --- without isolation the plugin's crash is the run's: the process dies of SIGSEGV (139)
expect_status 139 "a crash without --isolate ends the run by SIGSEGV" -- "$XLATE" run --plugin "$CRASHY" crash.txt

# --- with --isolate: exactly the two segments are lost, marked with the signal and the plugin
expect_status 1 "--isolate: a run with failed segments exits 1" -- "$XLATE" run --isolate --plugin "$CRASHY" crash.txt
cp out crash.tsv
cp err crash.err
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "failed"' crash.tsv | wc -l)" 2 "--isolate: exactly two segments fail"
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "ok"' crash.tsv | wc -l)" 4 "--isolate: the four others are done"
expect_in crash.tsv "$(printf '2\tThen CRASH_SEGV comes.\t\tfailed\tcrashy: crashed with SIGSEGV')" "the segfault's segment keeps its source, marked with the signal"
expect_in crash.tsv "$(printf '4\tCRASH_ABORT right here.\t\tfailed\tcrashy: crashed with SIGABRT')" "the abort's segment keeps its source, marked with the signal"
expect_in crash.tsv "$(printf '3\tA third one is fine.\tA THIRD ONE IS FINE.\tok')" "the segment between the crashes is translated"
expect_in crash.tsv "$(printf '6\tCRASH_LOG says hi.\tCRASH_LOG SAYS HI.\tok')" "the segment after them is translated"
expect_in crash.err "crash.txt: crashy: crashed with SIGSEGV at segment 2; crashy: crashed with SIGABRT at segment 4" "stderr names the document, the plugin, the signals and the segments"
expect_in crash.err "crashy: warning: saw the log marker" "the isolated plugin's log line reaches stderr"
expect_in crash.err "2 of 6 segments failed" "the totals count the lost segments"
# In a sanitized build the children are checked too: their reports would land here.
expect_not_in crash.err "Sanitizer" "no sanitizer report from the host or its children"
expect_not_in crash.err "runtime error" "no UBSan report from the host or its children"

expect_status 1 "--isolate, JSONL" -- "$XLATE" run --isolate --format jsonl --plugin "$CRASHY" crash.txt
expect_in out '"status":"failed","message":"crashy: crashed with SIGSEGV"' "JSONL marks the segfault's segment"
expect_eq "$(grep -c '"status":"ok"' out)" 4 "JSONL: the four others are done"

# --- per plugin: isolate=yes without --isolate, isolate=no against --isolate, bad values
expect_status 1 "isolate=yes isolates that plugin" -- "$XLATE" run --plugin "$CRASHY:isolate=yes" crash.txt
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "failed"' out | wc -l)" 2 "isolate=yes: the same two segments fail"
expect_status 139 "isolate=no overrides --isolate" -- "$XLATE" run --isolate --plugin "$CRASHY:isolate=no" crash.txt
expect_status 1 "isolate= beside the plugin's own options" -- "$XLATE" run --plugin "$CRASHY:leak=no,isolate=on" crash.txt
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "ok"' out | wc -l)" 4 "isolate= taken out, the plugin's options still apply"
expect_status 2 "a bad isolate= value is a usage error" -- "$XLATE" run --plugin "$CRASHY:isolate=maybe" crash.txt
expect_in err "isolate=maybe: use isolate=yes or isolate=no" "the bad value is named"
expect_status 2 "isolate= twice is a usage error" -- "$XLATE" run --plugin "$CRASHY:isolate=yes,isolate=no" crash.txt
expect_status 2 "the plugin's own options are still checked" -- "$XLATE" run --plugin "$CRASHY:isolate=yes,colour=red" crash.txt
expect_in err "no option 'colour'" "an unknown option of an isolated plugin is named"

# --- a crash while starting is a run error naming the signal
expect_status 1 "a plugin that segfaults in create()" -- "$XLATE" run --isolate --plugin "$CRASHY:create=segv" crash.txt
expect_in err "plugin 'crashy' could not start: crashed with SIGSEGV" "the crash in create() is named"
expect_status 1 "a plugin that hangs in create()" -- "$XLATE" run --isolate --plugin-timeout 3 --plugin "$CRASHY:create=hang" crash.txt
expect_in err "did not answer within 3 s and was killed" "the hang in create() is named"

# --- a hang: killed after --plugin-timeout, its segment failed, the rest done. A hang never ends,
# so any timeout catches it; 3 s is far above what starting crashy and a batch of three short
# segments take, even under the sanitizers on a loaded machine.
expect_status 1 "--plugin-timeout kills a plugin that hangs" -- "$XLATE" run --isolate --plugin-timeout 3 --plugin "$CRASHY" hang.txt
expect_in out "$(printf '2\tCRASH_HANG here.\t\tfailed\tcrashy: did not answer within 3 s and was killed (--plugin-timeout)')" "the hang's segment is failed with the reason"
expect_in out "$(printf '1\tGood one.\tGOOD ONE.\tok')" "the segment before the hang is done"
expect_in out "$(printf '3\tGood two.\tGOOD TWO.\tok')" "the segment after the hang is done"
for bad in -1 abc 1e7 " 5" inf .5 +3 0x10; do
  expect_status 2 "--plugin-timeout '$bad' is a usage error" -- "$XLATE" run --isolate --plugin-timeout "$bad" --plugin "$CRASHY" crash.txt
done
expect_in err "--plugin-timeout '0x10': not a number: give a number of seconds" "a bad --plugin-timeout says what to give"
expect_status 2 "--plugin-timeout above its range" -- "$XLATE" run --isolate --plugin-timeout 2e6 --plugin "$CRASHY" crash.txt
expect_in err "--plugin-timeout '2e6': out of range" "a --plugin-timeout too large is said to be out of range"
expect_status 1 "--plugin-timeout in number.h's exponent form" -- "$XLATE" run --isolate --plugin-timeout 1e3 --plugin "$CRASHY" crash.txt
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "failed"' out | wc -l)" 2 "--plugin-timeout 1e3 runs as 1000 s"

# --- --max-doc-size: a larger document is refused before any child works on it, the rest is run
printf 'Good one.\n' >small.txt
expect_status 1 "--isolate --max-doc-size refuses a larger document" -- "$XLATE" run --isolate --max-doc-size 60 --plugin "$CRASHY" crash.txt small.txt
expect_in err "crash.txt: too large:" "the refused document is named"
expect_in out "$(printf '1\tGood one.\tGOOD ONE.\tok')" "the small document still ran isolated"

# --- the pair check reads the plugin's own options: isolate= is the host's, so crashy (uk → en
# found at run time, any pair declared for when it is given options) is refused for de → fr
# with isolate=yes as without it, and runs when given an option of its own
printf 'Guten Tag.\n' >de.txt
expect_status 2 "pairs: a translator that serves no pair of the run" -- "$XLATE" run --from de --to fr --plugin "$CRASHY" de.txt
expect_in err "no translator in the chain serves de → fr" "the pair refusal is said"
expect_status 2 "pairs: isolate=yes is not the plugin's option" -- "$XLATE" run --from de --to fr --plugin "$CRASHY:isolate=yes" de.txt
expect_in err "no translator in the chain serves de → fr" "isolate=yes alone: refused as without it"
expect_status 2 "pairs: isolate=no is not the plugin's option either" -- "$XLATE" run --isolate --from de --to fr --plugin "$CRASHY:isolate=no" de.txt
expect_status 0 "pairs: an option of the plugin's own beside isolate=yes" -- "$XLATE" run --from de --to fr --plugin "$CRASHY:leak=no,isolate=yes" de.txt
expect_in out "$(printf 'Guten Tag.\tGUTEN TAG.\tok')" "the configured plugin ran isolated"

# --- a working chain: the same output isolated or not (terms, target positions, messages, a
# plugin's set_error)
SAMPLE="$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt"
for chain in "--plugin glossary --plugin $PLUGIN_DIR/testtrans.so" \
             "--plugin glossary --plugin $PLUGIN_DIR/testtrans.so:placeholders=drop" \
             "--plugin $PLUGIN_DIR/testtrans.so:fail_batch=on"; do
  # shellcheck disable=SC2086
  "$XLATE" run --format jsonl $chain "$SAMPLE" >plain.jsonl 2>plain.err
  plain=$?
  # shellcheck disable=SC2086
  expect_status "$plain" "isolated: $chain" -- "$XLATE" run --isolate --format jsonl $chain "$SAMPLE"
  cmp -s plain.jsonl out || fail "isolated and in-process outputs differ for: $chain"
  checks=$((checks + 1))
  expect_not_in err "Sanitizer" "isolated: no sanitizer report from the children of: $chain"
done
expect_in out "the engine is gone (fail_batch)" "an isolated plugin's set_error reaches the segments"

# --- ABI 1.2 messages: a check plugin (it runs after the translators whatever the order written)
# warns with its code; the host's own term_lost warning is the translator's; a process() that
# fails with a refused host call's status gives the host's reason. Isolated, all, or only the
# check, the JSONL is byte for byte the in-process one, and log lines name the document and the
# output id the output gives (counted across documents).
printf 'NATO met in room [T0] and [T1].\n\nThe NATO summit & "talks"\tended.\n' >en.txt
printf 'NATO talks.\n' >lost.txt
printf 'One NATO.\n\nTwo NATO.\n' >a.txt
printf 'Three.\n\nFour NATO.\n' >b.txt
TP=$PLUGIN_DIR
for chain in "--from en --to x-upper --plugin $TP/testcheck.so --plugin $TP/testterms.so --plugin $TP/testcase.so en.txt" \
             "--from en --to x-upper --plugin $TP/testcheck.so:isolate=yes --plugin $TP/testterms.so --plugin $TP/testcase.so en.txt" \
             "--plugin $TP/testterms.so --plugin $TP/testtrans.so:placeholders=drop --plugin $TP/testcheck.so lost.txt" \
             "--plugin $TP/testterms.so --plugin $TP/testtrans.so --plugin $TP/testcheck.so:word=NATO a.txt b.txt" \
             "--plugin $TP/testtrans.so --plugin $TP/testcheck.so:probe=on,pass_on=on a.txt"; do
  # shellcheck disable=SC2086
  XLATE_LOG=info "$XLATE" run --format jsonl $chain >plain.jsonl 2>plain.err
  plain=$?
  case $chain in *isolate=yes*) iso= ;; *) iso=--isolate ;; esac
  # shellcheck disable=SC2086
  expect_status "$plain" "isolated: $chain" -- env XLATE_LOG=info "$XLATE" run $iso --format jsonl $chain
  cmp -s plain.jsonl out || fail "isolated and in-process JSONL differ for: $chain"
  checks=$((checks + 1))
  expect_eq "$(grep ': info: ' err)" "$(grep ': info: ' plain.err)" "isolated: the same log lines for: $chain"
  expect_not_in err "Sanitizer" "isolated: no sanitizer report from the children of: $chain"
  case $chain in
    *lost.txt) cp out lost.jsonl ;;
    *b.txt) cp err ab.err ;;
    *en.txt) cp out en.jsonl ;;
  esac
done
expect_in en.jsonl '"messages":[{"plugin":"testcheck","level":"warning","code":"missing_word","text":"'"'"'NATO'"'"' is in the source but not in the target"}]' \
  "isolated: the check's warning arrives with its plugin, level and code"
expect_in lost.jsonl '"messages":[{"plugin":"testtrans","level":"warning","code":"term_lost",' \
  "isolated: the host's term_lost warning is the translator's"
expect_in lost.jsonl '{"plugin":"testcheck","level":"warning","code":"missing_word"' \
  "isolated: the check's warning follows it on the same segment"
expect_in ab.err "testcheck: info: b.txt, segment 4: missing_word" \
  "isolated: segment_output_id and document_name in the child give what the output shows"
expect_in out '"status":"failed"' "isolated: a process() failed with a refused call's status fails its segments"

# --- a stop signal ends the run as without isolation (130, 143) and ends the hung child with it
for sig in INT:130 TERM:143; do
  "$XLATE" run --isolate --plugin "$CRASHY" hang.txt >stop.out 2>stop.err &
  host=$!
  until grep -q "hanging now" stop.err || ! kill -0 "$host" 2>/dev/null; do sleep 0.05; done
  child=$(pgrep -P "$host")
  kill -"${sig%:*}" "$host"
  wait "$host"
  expect_eq "$?" "${sig#*:}" "SIG${sig%:*} ends an isolated run with ${sig#*:}"
  checks=$((checks + 1))
  [ -n "$child" ] && ! kill -0 "$child" 2>/dev/null || fail "SIG${sig%:*}: the hung child ($child) outlived its run"
  expect_in stop.err "interrupted by SIG${sig%:*}" "SIG${sig%:*}: the stop is said as without isolation"
done

# --- batch --isolate: two workers, each document loses only its crashing segments
mkdir in
cp crash.txt in/a.txt
cp hang.txt in/c.txt
printf 'Fine here. Also fine.\n' >in/b.txt
expect_status 1 "batch --isolate with failed segments exits 1" -- "$XLATE" batch --isolate --plugin-timeout 3 -j 2 --plugin "$CRASHY" in -o bout
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "failed"' bout/a.uk-en.tsv | wc -l)" 2 "batch: a.txt loses its two crashing segments"
expect_in bout/a.uk-en.tsv "crashy: crashed with SIGABRT" "batch: the abort is named"
expect_eq "$(awk -F'\t' 'NR > 1 && $4 == "failed"' bout/c.uk-en.tsv | wc -l)" 1 "batch: c.txt loses its hanging segment"
expect_in bout/b.uk-en.tsv "$(printf 'FINE HERE.\tok')" "batch: the document with no marker is done"
expect_in err "2 failed" "batch: the summary counts the two documents with failed segments"

# --- a translation memory: matches made in one child travel to the next plugin's child and back,
# batch_done in the memory's child sees the final targets, document_done comes once a document
printf 'TM: one known.\n\nPlain two.\n\nTM: three known.\n' >tm1.txt
printf 'TM: four known.\n' >tm2.txt
for chain in "$TP/testmemory.so:log=LOG --plugin exec:cmd=cat" \
             "$TP/testmemory.so:log=LOG,isolate=yes --plugin $TP/testtrans.so" \
             "$TP/testmemory.so:log=LOG --plugin $TP/testtrans.so:isolate=yes"; do
  case $chain in *isolate=yes*) iso= ;; *) iso=--isolate ;; esac
  rm -f plain.log iso.log
  # shellcheck disable=SC2086
  "$XLATE" run --format jsonl --plugin ${chain/LOG/plain.log} tm1.txt tm2.txt >plain.jsonl 2>plain.err
  plain=$?
  # shellcheck disable=SC2086
  expect_status "$plain" "memory isolated: $chain" -- "$XLATE" run $iso --format jsonl \
    --plugin ${chain/LOG/iso.log} tm1.txt tm2.txt
  cmp -s plain.jsonl out || fail "isolated and in-process JSONL differ for the memory chain: $chain"
  cmp -s plain.log iso.log || fail "isolated and in-process batch_done/document_done differ: $chain"
  checks=$((checks + 2))
  expect_eq "$(grep -c '^document ' iso.log)" 2 "document_done once a document: $chain"
  expect_eq "$(grep -c '^readonly OK' iso.log)" 2 "batch_done's view is read-only in the child: $chain"
  expect_not_in err "Sanitizer" "isolated memory: no sanitizer report: $chain"
  case $chain in *exec:cmd=cat) cp out tm-exec.jsonl ;; esac
done
expect_in tm-exec.jsonl '"origin":"testmemory","score":100,"match_source":"TM: one known."' "the memory's origin survives isolation"
expect_in iso.log "batch tm1.txt 2 active -1 PLAIN TWO." "batch_done sees an isolated translator's target"

# --- the child's subcommand is not for users
expect_status 2 "plugin-child by hand" -- "$XLATE" plugin-child
expect_in err "not a command to run by hand" "plugin-child says what it is"

finish
