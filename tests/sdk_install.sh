#!/usr/bin/env bash
# The SDK as a third party meets it: `meson install` into a temporary prefix, then everything
# else from that prefix, pkg-config and docs/examples alone — the filter (meson) and translator
# (make) plugins are built and installed into `pkg-config --variable=plugindir xlate`, the
# installed xlate finds them with no environment variable and runs them in a chain on the OBOZ.UA
# article, `xlate plugin new/check` work from the prefix, and the host program translates through
# the installed libxlate.
#
# The prefix is built in a build folder of its own, without sanitizers, whatever the enclosing
# test run uses: an ASan libxlate cannot be loaded by the uninstrumented programs and plugins a
# user builds against it, and a user's install has no sanitizers either. Only the installed
# targets are built, so this costs one compile of libxlate and the bundled plugins.
set -u
SRC_ROOT=${1:?usage: sdk_install.sh SRC_ROOT}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { checks=$((checks + 1)); "$@"; }
# expect WANT_STATUS DESCRIPTION -- COMMAND...: output in $TMP/out, $TMP/err.
expect() {
  local want=$1 what=$2; shift 3
  checks=$((checks + 1))
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  [ "$got" -eq "$want" ] || { fail "$what: exit status $got, want $want"; tail -n 8 "$TMP/err" "$TMP/out" >&2; }
}
has() { checks=$((checks + 1)); grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $(basename "$1")"; head -c 800 "$1" >&2; }; }
lacks() { checks=$((checks + 1)); ! grep -qF -- "$2" "$1" || fail "$3: '$2' should not be in $(basename "$1")"; }

# Compilers probed by meson read their standard input: give them nothing to read.
exec </dev/null
# A user's environment: no plugin path, no sanitizer settings of the enclosing run.
unset XLATE_PLUGIN_PATH ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS LD_PRELOAD
PREFIX=$TMP/prefix

# --- install ------------------------------------------------------------------------------------
meson setup --prefix="$PREFIX" -Dbuildtype=plain -Db_sanitize=none "$TMP/build" "$SRC_ROOT" \
  >"$TMP/setup.log" 2>&1 || { cat "$TMP/setup.log" >&2; echo "sdk_install: meson setup failed" >&2; exit 1; }
installed_targets=$(cd "$TMP/build" && meson introspect --targets | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if t["installed"]:
        for f in t["filename"]:
            print(os.path.relpath(f, os.getcwd()))')
# shellcheck disable=SC2086
if ! (ninja -C "$TMP/build" $installed_targets && meson install -C "$TMP/build" --no-rebuild) \
     >"$TMP/install.log" 2>&1; then
  tail -n 30 "$TMP/install.log" >&2
  echo "sdk_install: build or install into $PREFIX failed" >&2
  exit 1
fi

PC_DIR=$(dirname "$(find "$PREFIX" -name xlate.pc | head -n 1)")
export PKG_CONFIG_PATH=$PC_DIR
export PATH=$PREFIX/bin:$PATH
PLUGINDIR=$(pkg-config --variable=plugindir xlate)
LIBDIR=$(pkg-config --variable=libdir xlate)

check [ "$(command -v xlate)" = "$PREFIX/bin/xlate" ] || fail "xlate is not installed in $PREFIX/bin"
check [ -f "$PREFIX/include/xlate/plugin.h" ] || fail "plugin.h is not installed"
check [ -f "$PREFIX/include/xlate/xlate.h" ] || fail "xlate.h is not installed"
check [ -e "$LIBDIR/libxlate.so" ] || fail "libxlate.so is not in pkg-config's libdir $LIBDIR"
case "$PLUGINDIR" in "$PREFIX"/*) ;; *) check false; fail "plugindir $PLUGINDIR is outside the prefix";; esac
check [ -f "$PLUGINDIR/glossary.so" ] || fail "the bundled glossary plugin is not in plugindir $PLUGINDIR"

# --- the command by name, its man pages, completion, helper and data --------------------------------
expect 0 "xlate --version by name" -- xlate --version
has "$TMP/out" "xlate " "xlate --version prints the version"
MANDIR=$PREFIX/share/man
for page in xlate.1 xlate-run.1 xlate-batch.1 xlate-tm.1 xlate-plugin.7; do
  sec=${page##*.}
  check [ -f "$MANDIR/man$sec/$page" ] || fail "man page $page is not installed in $MANDIR/man$sec"
done
expect 0 "man -l on the installed xlate(1)" -- env MANWIDTH=80 man --warnings -l "$MANDIR/man1/xlate.1"
has "$TMP/out" "xlate - a translation pipeline" "the installed page renders"
check [ ! -s "$TMP/err" ] || fail "man -l warns on the installed page: $(head -c 300 "$TMP/err")"
# `man xlate` as a user on the prefix finds it: man's search path from PATH's bin/ → share/man
expect 0 "man -w xlate from the prefix's PATH" -- env MANPATH="$MANDIR" man -w xlate
has "$TMP/out" "$MANDIR/man1/xlate.1" "man finds the prefix's xlate(1)"
expect 0 "man -w 7 xlate-plugin" -- env MANPATH="$MANDIR" man -w 7 xlate-plugin
check [ -f "$PREFIX/share/bash-completion/completions/xlate" ] ||
  fail "the bash completion is not in share/bash-completion/completions"
check [ -f "$PREFIX/share/zsh/site-functions/_xlate" ] || fail "the zsh completion is not in share/zsh/site-functions"
expect 0 "the installed bash completion completes a command" -- bash -c '
  . "$1"; COMP_WORDS=(xlate segm); COMP_CWORD=1; _xlate; printf "%s\n" "${COMPREPLY[@]}"' \
  complete "$PREFIX/share/bash-completion/completions/xlate"
has "$TMP/out" "segment" "the installed completion answers from the installed xlate"
printf 'source\ttarget\nThe council met.\tРада зібралася.\n' >"$TMP/units.tsv"
expect 0 "xlate tm finds its installed helper" -- xlate tm import --db "$TMP/mem.tm" --from en --to uk "$TMP/units.tsv"
expect 0 "xlate tm stats" -- xlate tm stats --db "$TMP/mem.tm"
has "$TMP/out" "en" "the memory holds the pair imported"
check [ -f "$PREFIX/share/xlate/default.srx" ] || fail "default.srx is not in share/xlate"
expect 0 "segment with the installed rules" -- xlate segment --srx "$PREFIX/share/xlate/default.srx" "$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt"
has "$TMP/out" "Столтенберг" "the installed rules segment the article"

# --- the examples, built from the prefix with pkg-config only -------------------------------------
cp -r "$SRC_ROOT/docs/examples" "$TMP/examples"
EX=$TMP/examples
if (cd "$EX/oboz-filter" && meson setup build && meson compile -C build && meson install -C build) \
     >"$TMP/filter.log" 2>&1; then :; else fail "the filter example does not build/install with meson"; tail -n 20 "$TMP/filter.log" >&2; fi
expect 0 "the translator example builds and installs with make" -- make -C "$EX/translit-translator" install
expect 0 "the host example builds with make" -- make -C "$EX/host" "LDFLAGS=-Wl,-rpath,$LIBDIR"
check [ -f "$PLUGINDIR/oboz_filter.so" ] || fail "meson install did not put oboz_filter.so in plugindir"
check [ -f "$PLUGINDIR/translit.so" ] || fail "make install did not put translit.so in plugindir"

# --- the installed xlate finds the installed plugins with no environment variable ---------------
expect 0 "xlate plugins" -- xlate plugins
for p in glossary oboz_filter translit; do has "$TMP/out" "$p" "xlate plugins lists $p from $PLUGINDIR"; done
has "$TMP/out" "$PLUGINDIR" "the plugins are found in the installed plugindir"
expect 0 "plugin check passes the installed filter" -- xlate plugin check "$PLUGINDIR/oboz_filter.so"
has "$TMP/out" "filtered Тільки перевірена" "the check's test document shows the promo filtered"
expect 0 "plugin check passes the installed translator" -- xlate plugin check "$PLUGINDIR/translit.so"

# --- the filter in a chain on the OBOZ.UA article ------------------------------------------------
ARTICLE=$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt
expect 0 "run filter → glossary → translit on the article" -- \
  xlate run --plugin oboz_filter --plugin glossary --plugin translit --to uk-Latn --format tsv "$ARTICLE"
cp "$TMP/out" "$TMP/chain.tsv"
# From the promo sentence to the end every record is filtered; before it none is.
promo_id=$(awk -F'\t' '$2 ~ /^Тільки перевірена інформація у нас у Telegram-каналі OBOZ.UA/ { print $1; exit }' "$TMP/chain.tsv")
check [ -n "$promo_id" ] || fail "the promo sentence is not in the output"
awk -F'\t' -v p="${promo_id:-0}" 'NR > 1 && $1 >= p && $4 != "filtered" { print "not filtered: " $0; bad = 1 }
  NR > 1 && $1 < p && $4 == "filtered" { print "filtered by mistake: " $0; bad = 1 } END { exit bad }' \
  "$TMP/chain.tsv" >&2 || { checks=$((checks + 1)); fail "boilerplate and article text told apart wrongly"; }
has "$TMP/chain.tsv" "Інші новини" "filtered records keep their source"
has "$TMP/chain.tsv" "zaklykav" "the article text is transliterated"
has "$TMP/chain.tsv" "NATO" "the glossary's terms come through the translator"

# --- plugin new / check from the prefix: a skeleton builds; a broken plugin is caught -----------
expect 0 "plugin new from the prefix" -- xlate plugin new demo --kind translator --dir "$TMP/demo"
expect 0 "the skeleton builds with pkg-config" -- make -C "$TMP/demo"
expect 0 "the skeleton passes the check" -- xlate plugin check "$TMP/demo/demo.so"
sed 's/^XLATE_PLUGIN_EXPORT const xlate_plugin \*xlate_plugin_entry/const xlate_plugin *demo_entry/' \
  "$TMP/demo/demo.c" >"$TMP/demo/broken.c"
cc -std=c99 -shared -fPIC $(pkg-config --cflags xlate) -o "$TMP/demo/broken.so" "$TMP/demo/broken.c"
expect 1 "plugin check catches a plugin without the entry" -- xlate plugin check "$TMP/demo/broken.so"
has "$TMP/out" "does not export the entry function" "the missing entry is named"

# --- the guide's walk-through and embedding example, as printed, against the prefix -----------
python3 - "$SRC_ROOT/docs/plugin-guide.md" "$TMP/guide" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```c\n(.*?)```", text, re.S)
os.makedirs(sys.argv[2], exist_ok=True)
head, tail = blocks[0].split("/* create, process, destroy: below */")
open(os.path.join(sys.argv[2], "shout.c"), "w", encoding="utf-8").write(head + blocks[1] + blocks[2] + tail)
open(os.path.join(sys.argv[2], "demo.c"), "w", encoding="utf-8").write(blocks[-1])
PY
# shellcheck disable=SC2046
expect 0 "the guide's plugin builds as the guide says" -- cc -std=c99 -Wall -Wextra -Werror -O2 -fPIC \
  -fvisibility=hidden $(pkg-config --cflags xlate) -shared -o "$TMP/guide/shout.so" "$TMP/guide/shout.c"
expect 0 "the guide's plugin passes the check" -- xlate plugin check "$TMP/guide/shout.so" --options 'mark=!'
has "$TMP/out" "самооборону.!" "the guide's plugin adds its mark"
# shellcheck disable=SC2046
expect 0 "the guide's embedding example builds" -- cc -std=c99 -Wall -Werror $(pkg-config --cflags xlate) \
  -o "$TMP/guide/demo" "$TMP/guide/demo.c" $(pkg-config --libs xlate) "-Wl,-rpath,$LIBDIR"
expect 0 "the guide's embedding example runs" -- "$TMP/guide/demo"
has "$TMP/out" '"status":"ok"' "the embedding example prints JSONL records"

# --- the host program through the installed libxlate ---------------------------------------------
expect 0 "the host program translates the article" -- \
  "$EX/host/translate_string" --to uk-Latn "$(cat "$ARTICLE")" oboz_filter translit
has "$TMP/out" "Stoltenberh" "the host program's text is transliterated"
lacks "$TMP/out" "Telegram" "the promo is gone from the translated text"
lacks "$TMP/out" "Inshi novyny" "the teaser heading is gone from the translated text"
has "$TMP/err" "filtered" "the host program reports the filtered count"
expect 1 "the host program with an unknown plugin" -- "$EX/host/translate_string" "Київ" nosuch
has "$TMP/err" "unknown plugin 'nosuch'" "libxlate's message reaches the host program"

echo "sdk_install: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
