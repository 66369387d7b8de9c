#!/usr/bin/env bash
# `xlate plugin new|info|check`, the tools for plugin authors: a skeleton of each kind builds with
# its own Makefile and passes the check as it is; info shows descriptor, options and pairs; check
# passes good plugins and names every problem of broken ones in plain words, exit 1.
. "$(dirname "$0")/lib.sh"
PLUGIN_DIR=${PLUGIN_DIR:?set PLUGIN_DIR to the test plugins folder}
INC=$SRC_ROOT/include

expect_status 0 "plugin --help" -- "$XLATE" plugin --help
expect_in "$TMP/out" "plugin check NAME|FILE" "help shows check"
expect_status 2 "plugin without a tool" -- "$XLATE" plugin
expect_status 2 "unknown tool" -- "$XLATE" plugin frobnicate
expect_in "$TMP/err" "unknown tool 'frobnicate'" "the unknown tool is named"

# --- new: one skeleton of each kind, built with the Makefile it comes with
for kind in filter glossary translator; do
  name=my-$kind
  expect_status 0 "plugin new --kind $kind" -- "$XLATE" plugin new "$name" --kind "$kind" --dir "$TMP/$name"
  for f in "$name.c" meson.build Makefile; do
    checks=$((checks + 1)); [ -s "$TMP/$name/$f" ] || fail "new --kind $kind: $f not written"
  done
  expect_status 0 "the $kind skeleton builds with its Makefile" -- \
    make -C "$TMP/$name" "XLATE_CFLAGS=-I$INC" "CFLAGS=-O0 -Wall -Wextra -Werror"
  expect_status 0 "the $kind skeleton passes the check as it is" -- "$XLATE" plugin check "$TMP/$name/$name.so"
  expect_in "$TMP/out" "no problems found" "$kind skeleton: check says so"
  expect_in "$TMP/out" "descriptor: $name 0.1.0, $kind" "$kind skeleton: check shows name and kind"
done
expect_in "$TMP/$name/$name.c" "segment_masked_source" "the translator skeleton carries glossary terms"
# What each skeleton does on the check's test document.
"$XLATE" plugin check "$TMP/my-glossary/my-glossary.so" >"$TMP/gl.out"
expect_in "$TMP/gl.out" "[1 term(s)]" "the glossary skeleton marks its default terms"
"$XLATE" plugin check "$TMP/my-filter/my-filter.so" --options "word=Viber" >"$TMP/fi.out"
expect_in "$TMP/fi.out" "filtered Тільки перевірена" "the filter skeleton drops the segment with its word"

expect_status 1 "new does not overwrite" -- "$XLATE" plugin new my-filter --kind filter --dir "$TMP/my-filter"
expect_in "$TMP/err" "my-filter.c already exists" "new names the file that exists"
checks=$((checks + 1)); [ "$(ls "$TMP/my-filter" | wc -l)" -eq 4 ] || fail "new wrote into a folder that had a skeleton"
expect_status 2 "new with an unknown kind" -- "$XLATE" plugin new x --kind decoder
expect_in "$TMP/err" "unknown kind 'decoder'" "the unknown kind is named"
expect_status 2 "new with a bad name" -- "$XLATE" plugin new "Bad Name" --kind filter --dir "$TMP/bad"
expect_status 2 "new without --kind" -- "$XLATE" plugin new x

# --- info
expect_status 0 "info on a bundled plugin by name" -- "$XLATE" plugin info glossary
expect_in "$TMP/out" "kind:        glossary" "info shows the kind"
expect_in "$TMP/out" "uk→en" "info shows the pairs"
expect_in "$TMP/out" "file=path" "info shows the options with their types"
expect_status 0 "info on a file" -- "$XLATE" plugin info "$PLUGIN_DIR/testtrans.so"
expect_in "$TMP/out" "fail_batch=bool (default false)" "info shows defaults"
expect_in "$TMP/out" "plugin ABI 1." "info shows the ABI the plugin was built for"
expect_status 2 "info on an unknown plugin" -- "$XLATE" plugin info nosuch
expect_in "$TMP/err" "unknown plugin 'nosuch'" "info names the unknown plugin"

# --- check: good plugins
expect_status 0 "check passes testtrans" -- "$XLATE" plugin check "$PLUGIN_DIR/testtrans.so"
expect_in "$TMP/out" "destroy() returned" "check runs the whole lifecycle"
GLOSSARY_SO=$(dirname "$PLUGIN_DIR")/../plugins/glossary/glossary.so
expect_status 0 "check passes the bundled glossary" -- "$XLATE" plugin check "$GLOSSARY_SO"
expect_in "$TMP/out" "Kyiv" "the glossary's terms show in the check's test document"

# --- check: broken plugins, each problem in plain words
expect_status 1 "check wrong_abi" -- "$XLATE" plugin check "$PLUGIN_DIR/wrong_abi.so"
expect_in "$TMP/out" "built for plugin ABI 99.0 but this xlate speaks ABI 1." "wrong ABI named with both versions"
expect_in "$TMP/out" "rebuild it" "wrong ABI: what to do"
expect_status 1 "check no_entry" -- "$XLATE" plugin check "$PLUGIN_DIR/no_entry.so"
expect_in "$TMP/out" "does not export the entry function 'xlate_plugin_entry'" "missing entry named"
expect_status 1 "check not_a_plugin" -- "$XLATE" plugin check "$PLUGIN_DIR/not_a_plugin.so"
expect_in "$TMP/out" "cannot be loaded as a shared object" "a text file is no shared object"
expect_status 1 "check bad_descriptor" -- "$XLATE" plugin check "$PLUGIN_DIR/bad_descriptor.so"
expect_in "$TMP/out" "process is NULL" "missing process() named"
# One check decides for both: the reason a run refuses the plugin is the problem check shows.
cp "$TMP/out" "$TMP/check.out"
expect_status 1 "a run refuses bad_descriptor" -- "$XLATE" run --plugin "$PLUGIN_DIR/bad_descriptor.so" /dev/null
run_reason=$(sed -n 's/.*not a valid xlate plugin: //p' "$TMP/err")
checks=$((checks + 1)); [ -n "$run_reason" ] || fail "the run's refusal gives no reason: $(cat "$TMP/err")"
expect_in "$TMP/check.out" "problem: $run_reason" "check shows the reason the run gives"
expect_status 1 "check create_fails" -- "$XLATE" plugin check "$PLUGIN_DIR/create_fails.so"
expect_in "$TMP/out" "cannot open /nonexistent/model.bin" "create()'s own message is shown"
expect_in "$TMP/out" "declares no language pair" "every problem is listed, not only the first"
expect_in "$TMP/out" "2 problems found" "the problems are counted"
expect_status 1 "check a failing process()" -- "$XLATE" plugin check "$PLUGIN_DIR/testtrans.so" --options fail_batch=on
expect_in "$TMP/out" "process() returned an error" "a failing process() is named"
expect_in "$TMP/out" "the engine is gone" "with the plugin's message"
expect_status 1 "check failed segments" -- "$XLATE" plugin check "$PLUGIN_DIR/testtrans.so" --options "fail_word=Київ"
expect_in "$TMP/out" "segment 2 was marked failed" "a failed segment is a problem"
expect_status 1 "check with an unknown option" -- "$XLATE" plugin check "$PLUGIN_DIR/testtrans.so" --options colour=red
expect_in "$TMP/out" "colour" "the unknown option is named"
expect_status 1 "check a missing file" -- "$XLATE" plugin check "$TMP/nothing.so"
expect_in "$TMP/out" "there is no such file" "a missing file is said so"
cp "$PLUGIN_DIR/testtrans.so" "$TMP/libtesttrans.so"
expect_status 1 "check a file named unlike its plugin" -- "$XLATE" plugin check "$TMP/libtesttrans.so"
expect_in "$TMP/out" "name the file testtrans.so" "the file name that --plugin would find is given"
# A translator that sets no target: the filter skeleton relabelled.
sed 's/XLATE_KIND_FILTER/XLATE_KIND_TRANSLATOR/; s/"my-filter"/"lazy"/' "$TMP/my-filter/my-filter.c" >"$TMP/lazy.c"
cc -std=c99 -shared -fPIC -I"$INC" -o "$TMP/lazy.so" "$TMP/lazy.c"
expect_status 1 "check a translator that translates nothing" -- "$XLATE" plugin check "$TMP/lazy.so"
expect_in "$TMP/out" "left segment 1 without a target" "the missing target is named"

# --- the OBOZ.UA filter example against the build tree: state kept across batches (the check
# cuts its document in batches of 3) and reset at each new document (two articles in one run)
cc -std=c99 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -I"$INC" -o "$TMP/oboz_filter.so" \
  "$SRC_ROOT/docs/examples/oboz-filter/oboz_filter.c"
expect_status 0 "check passes the OBOZ.UA filter example" -- "$XLATE" plugin check "$TMP/oboz_filter.so"
expect_in "$TMP/out" "filtered Не ведіться на фейки!" "the promo paragraph's second sentence is dropped"
expect_in "$TMP/out" "filtered Елементарна намазка" "a teaser in the next batch is dropped"
expect_in "$TMP/out" "2 ok       За його словами" "article text is kept"
ARTICLE=$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt
cp "$ARTICLE" "$TMP/first.txt"; cp "$ARTICLE" "$TMP/second.txt"
expect_status 0 "the filter over two articles in one run" -- \
  "$XLATE" run --plugin "$TMP/oboz_filter.so" --format jsonl "$TMP/first.txt" "$TMP/second.txt"
expect_in "$TMP/err" "no translator in the chain: the targets are empty (JSONL null, no target in TMX) unless a plugin of the chain sets them" \
  "a chain of a filter alone says what its targets are"
first_filtered=$(grep -F 'first.txt"' "$TMP/out" | grep -cF '"status":"filtered"')
second_filtered=$(grep -F 'second.txt"' "$TMP/out" | grep -cF '"status":"filtered"')
checks=$((checks + 1)); [ "$first_filtered" -ge 3 ] || fail "the first article's boilerplate is not filtered ($first_filtered)"
expect_eq "$second_filtered" "$first_filtered" "the second article loses the same boilerplate, no more"
checks=$((checks + 1)); grep -F 'second.txt"' "$TMP/out" | head -n 1 | grep -qF '"status":"ok"' ||
  fail "the filter carried the first article's teaser state into the second"

# --- check runs the plugin in a child: a crash or a hang in any step is a problem it reports,
# exit 1, with the whole report also when its output goes to a pipe
CRASHY="$PLUGIN_DIR/crashy.so"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0"
"$XLATE" plugin check --options create=segv "$CRASHY" | cat >"$TMP/piped"
expect_eq "${PIPESTATUS[0]}" 1 "check of a plugin that segfaults in create(), output to a pipe"
expect_in "$TMP/piped" "problem: the plugin crashed with SIGSEGV in create()" "the crash in create() is reported"
expect_in "$TMP/piped" "ok: descriptor: crashy" "the report before the crash reaches the pipe"
expect_in "$TMP/piped" "crashy.so: 1 problem found" "the summary follows the crash"
expect_status 1 "check of a plugin that aborts in create()" -- "$XLATE" plugin check --options create=abort "$CRASHY"
expect_in "$TMP/out" "crashed with SIGABRT in create()" "the abort in create() is reported"
# The host refuses a NULL instance at once, so process() never gets it to crash on.
expect_status 1 "check of a create() that returns XLATE_OK and a NULL instance" -- "$XLATE" plugin check --options create=null "$CRASHY"
expect_in "$TMP/out" "could not start: its create() returned XLATE_OK but no instance" "the NULL instance is reported as a failed start"
expect_not_in "$TMP/out" "crashed" "a NULL instance never reaches process()"
printf 'Перше речення. Тут CRASH_SEGV.\n' >"$TMP/segv.txt"
expect_status 1 "check of a plugin that segfaults in process()" -- "$XLATE" plugin check --input "$TMP/segv.txt" "$CRASHY"
expect_in "$TMP/out" "crashed with SIGSEGV in process()" "the crash in process() is reported"
expect_status 1 "check of a plugin that hangs in create()" -- "$XLATE" plugin check --plugin-timeout 3 --options create=hang "$CRASHY"
expect_in "$TMP/out" "did not finish create() within 3 s: it hangs" "the hang in create() is reported"
printf 'Перше речення. Тут CRASH_HANG.\n' >"$TMP/hang.txt"
expect_status 1 "check of a plugin that hangs in process()" -- "$XLATE" plugin check --plugin-timeout 3 --input "$TMP/hang.txt" "$CRASHY"
expect_in "$TMP/out" "did not finish process() within 3 s" "the hang in process() is reported"
expect_status 2 "check with a bad --plugin-timeout" -- "$XLATE" plugin check --plugin-timeout -5 "$CRASHY"

# --- check takes a name as `plugin info` does, or a file
expect_status 0 "check by name, from --plugin-path" -- "$XLATE" plugin check --plugin-path "$PLUGIN_DIR" testtrans
expect_in "$TMP/out" "checking $PLUGIN_DIR/testtrans.so" "the name is found in the plugin path"
expect_status 0 "check of a bundled plugin by name" -- "$XLATE" plugin check glossary
expect_in "$TMP/out" "glossary.so: no problems found" "the bundled glossary is found by name"
expect_status 1 "check of an unknown name" -- "$XLATE" plugin check nosuch
expect_in "$TMP/out" "there is no plugin named 'nosuch'" "an unknown name is said so"

# --- struct_size against the ABI the descriptor claims
expect_status 1 "check of a 4096-byte descriptor that claims ABI 1.1" -- "$XLATE" plugin check "$PLUGIN_DIR/oversized.so"
expect_in "$TMP/out" "its descriptor says it is 4096 bytes long, but an ABI 1.1 descriptor is" "the size is checked against the claimed ABI"

# --- --input and --chain: the plugin runs after other plugins on a text of the user's
printf 'Генеральний секретар НАТО Єнс Столтенберг приїхав до Києва.\n' >"$TMP/sample.txt"
expect_status 0 "check after a glossary on --input" -- "$XLATE" plugin check --chain glossary --input "$TMP/sample.txt" "$PLUGIN_DIR/testtrans.so"
expect_in "$TMP/out" "ok: --chain glossary ran first" "the chain is named"
expect_in "$TMP/out" "$TMP/sample.txt after process():" "the plugin read the --input file"
expect_in "$TMP/out" "term(s)]" "the glossary's terms reached the checked plugin"
expect_in "$TMP/out" "Jens Stoltenberg" "the translator carried the chain's terms into its targets"
expect_status 0 "a filter checked after a translator" -- "$XLATE" plugin check --chain "$PLUGIN_DIR/testtrans.so" --options word=Viber "$TMP/my-filter/my-filter.so"
expect_in "$TMP/out" "TELEGRAM" "the filter saw the translator's targets"
expect_in "$TMP/out" "filtered" "and still filtered its segment"
# A check plugin after a translator (a check runs after the translators): it reads their targets
# and warns with its code.
printf 'NATO met today.\n\nThe NATO summit ended.\n' >"$TMP/en.txt"
expect_status 0 "a check plugin checked after a translator" -- "$XLATE" plugin check --from en --to x-upper \
  --chain "$PLUGIN_DIR/testterms.so" --chain "$PLUGIN_DIR/testcase.so" --input "$TMP/en.txt" "$PLUGIN_DIR/testcheck.so"
expect_in "$TMP/out" "ok: --chain testcase ran first" "the translator ran before the check"
expect_in "$TMP/out" "ok: create() made an instance (options \"\", en→x-upper)" "the check started for the chain's languages"
expect_in "$TMP/out" "warning  OTAN MET TODAY." "the check read the translator's target"
expect_in "$TMP/out" "'NATO' is in the source but not in the target" "and gave its warning"
expect_not_in "$TMP/out" "no segment has one" "no note about missing targets after a translator"
expect_in "$TMP/out" "testcheck.so: no problems found" "a working check after a translator has no problems"
expect_status 1 "a failing --chain plugin is a problem" -- "$XLATE" plugin check --chain "$PLUGIN_DIR/testtrans.so:fail_batch=on" "$PLUGIN_DIR/testtrans.so"
expect_in "$TMP/out" "problem: --chain:" "the chain's failure is named"
expect_status 2 "an unknown --chain plugin" -- "$XLATE" plugin check --chain nosuch "$PLUGIN_DIR/testtrans.so"
expect_in "$TMP/err" "--chain nosuch: unknown plugin 'nosuch'" "the unknown --chain plugin is named"

# --- the check itself is clean: under ASan in a sanitized build, under valgrind otherwise
# (scripts/bootstrap installs valgrind: without it this part fails rather than passing unseen)
if ! ldd "$XLATE" | grep -q libasan; then
  checks=$((checks + 1))
  command -v valgrind >/dev/null || fail "valgrind is missing: run scripts/bootstrap"
  vg() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$@"; }
  expect_status 0 "valgrind: check of a good plugin" -- vg "$XLATE" plugin check "$PLUGIN_DIR/testtrans.so"
  expect_status 0 "valgrind: check of the glossary skeleton" -- vg "$XLATE" plugin check "$TMP/my-glossary/my-glossary.so"
  for broken in create_fails; do
    expect_status 1 "valgrind: check of $broken" -- vg "$XLATE" plugin check "$PLUGIN_DIR/$broken.so"
  done
  # plugin check --valgrind: the plugin's own errors and leaks, reported
  expect_status 0 "check --valgrind of a clean plugin" -- "$XLATE" plugin check --valgrind "$PLUGIN_DIR/testtrans.so"
  expect_in "$TMP/out" "ok: valgrind: no memory errors, no leaks" "--valgrind says a clean plugin is clean"
  expect_status 1 "check --valgrind of a leaking plugin" -- "$XLATE" plugin check --valgrind --options leak=on "$CRASHY"
  expect_in "$TMP/out" "problem: valgrind: 1 error(s)" "--valgrind reports the leak"
  expect_in "$TMP/out" "are definitely lost in loss record" "--valgrind shows valgrind's leak record"
  expect_in "$TMP/out" "(crashy.c:" "--valgrind's record names the plugin's line"
fi
finish
