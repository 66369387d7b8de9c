#!/usr/bin/env bash
# xlate batch with one translation memory for all its workers, learning as each document
# finishes: in an archive whose second document (B) repeats a boilerplate line of the first (A),
# B's copy is a memory match under -j 1 (the engine, tests/tm/engine.py, is not asked for it
# again); a folder of documents under -j 2 gives the targets and the memory of -j 1.
#
# Determinism with -j N: under -j 1 the documents are translated and learned in archive order, so
# which segment is a memory match is fixed by that order. Under -j N the workers share the memory
# and a document learns when it finishes, so whether a line repeated across documents is found in
# the memory or sent to the engine depends on which worker finished first: the engine calls and the
# JSONL's origin/score may differ between runs. The targets do not, as long as the engine gives the
# same answer for the same sentence (the memory hands back what the engine said before), and the
# memory ends holding the same units. This test checks exactly that, no more.
. "$SRC_ROOT/tests/cli/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
J="python3 $SRC_ROOT/tests/tm/jsonl.py"
ENGINE="exec:cmd=python3 -u $SRC_ROOT/tests/tm/engine.py"
cd "$TMP" || exit 1

BOILER="Підписуйтеся на наш канал у Telegram, щоб першими дізнаватися головні новини."
python3 - "$BOILER" <<'PY'
import io, sys, tarfile
boiler = sys.argv[1]
docs = [("a-first.txt", "У Києві відкрили нову станцію метро. " + boiler + "\n\nРух поїздів почнеться завтра зранку.\n"),
        ("b-second.txt", "Синоптики обіцяють теплі вихідні.\n\n" + boiler + "\n")]
with tarfile.open("news.tar", "w") as t:
    for name, text in docs:
        data = text.encode()
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
        t.addfile(ti, io.BytesIO(data))
PY

# --- -j 1: B's copy of A's boilerplate line comes from the memory -------------------------------
export TM_ENGINE_LOG=$TMP/calls-j1
expect_status 0 "batch -j 1 with a learning memory" -- "$XLATE" batch -j 1 --from uk --to en --format jsonl \
  --plugin "tm:db=$TMP/j1.db,learn=yes" --plugin "$ENGINE" news.tar -o out-j1
A=out-j1/a-first.uk-en.jsonl B=out-j1/b-second.uk-en.jsonl
checks=$((checks + 1)); [ -s "$A" ] && [ -s "$B" ] || fail "-j 1: outputs missing"
expect_eq "$(cut -f2 calls-j1 | grep -cxF "$BOILER")" 1 "the boilerplate line goes to the engine once, for A"
checks=$((checks + 1)); [ "$($J "$A" origin "$BOILER" | cut -f1)" != tm ] || fail "A: the boilerplate is not the memory's"
expect_eq "$($J "$B" origin "$BOILER")" "$(printf 'tm\t100')" "B: the boilerplate is a memory match"
expect_eq "$($J "$B" field "$BOILER" target)" "$($J "$A" field "$BOILER" target)" "B: A's translation"
expect_eq "$(wc -l < calls-j1)" 4 "the engine translates each distinct sentence once"
expect_eq "$($J "$A" romanized)$($J "$B" romanized)" "" "every target is the engine's translation"

# --- -j 2 over a folder: the same targets and the same memory as -j 1 -------------------------
python3 "$SRC_ROOT/tests/tm/docs.py" docs 24
for j in 1 2; do
  export TM_ENGINE_LOG=$TMP/calls-docs-j$j
  expect_status 0 "folder, -j $j" -- "$XLATE" batch -j $j --from uk --to en --format tsv \
    --plugin "tm:db=$TMP/docs-j$j.db,learn=yes" --plugin "$ENGINE" docs -o docs-j$j
  expect_status 0 "export docs-j$j.db" -- "$XLATE" tm export --db docs-j$j.db --from uk --to en --format tsv -o mem-j$j.tsv
done
expect_eq "$(find docs-j2 -name '*.uk-en.tsv' | wc -l)" 24 "-j 2: every document in the output"
expect_status 0 "-j 2 gives the targets of -j 1" -- diff -r -x report.json -x .xlate-state docs-j1 docs-j2
expect_eq "$(tail -n +2 mem-j2.tsv | LC_ALL=C sort)" "$(tail -n +2 mem-j1.tsv | LC_ALL=C sort)" \
  "-j 2 leaves the memory -j 1 leaves"
# 24 documents of 5 sentences of their own and the shared line: 121 units, none twice.
expect_eq "$(tail -n +2 mem-j2.tsv | wc -l)" 121 "-j 2: each unit learned once"
expect_eq "$(cut -f2 calls-docs-j1 | grep -cxF "$BOILER")" 1 "-j 1: the shared line translated once"
finish
