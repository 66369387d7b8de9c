#!/bin/sh
# Shell completion (docs/completion): bash's completion function driven as bash would drive it —
# COMP_WORDS and COMP_CWORD set, _xlate called, COMPREPLY read — for the commands, an option of
# run, a plugin name after --plugin, a plugin's options after --plugin NAME: (the words split at
# ':' as bash's COMP_WORDBREAKS splits them, and whole), option values, file names; the zsh
# function passes zsh -n and, loaded in zsh, is the one compdef names for xlate.
. "$(dirname "$0")/../cli/lib.sh"
export XLATE_PLUGIN_PATH="$PLUGIN_DIR"
BASH_COMPLETION_SCRIPT="$SRC_ROOT/docs/completion/xlate.bash"
mkdir -p "$TMP/dir" && touch "$TMP/dir/article.txt" "$TMP/dir/article.html"

# complete WORD...: the candidates bash's function offers for the last WORD, one a line, in
# $TMP/out. The first word is the xlate under test.
complete_words() {
  bash -c '
    . "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _xlate
    printf "%s\n" "${COMPREPLY[@]}"' complete "$BASH_COMPLETION_SCRIPT" "$XLATE" "$@" >"$TMP/out" 2>"$TMP/err"
  checks=$((checks + 1))
  [ -s "$TMP/err" ] && fail "completing '$*' wrote to stderr: $(head -c 300 "$TMP/err")"
}
# offers WORD DESCRIPTION: WORD is a whole line of the candidates.
offers() { checks=$((checks + 1)); grep -qxF -- "$1" "$TMP/out" || { fail "$2: '$1' not offered"; head -20 "$TMP/out" >&2; }; }
lacks() { checks=$((checks + 1)); ! grep -qxF -- "$1" "$TMP/out" || fail "$2: '$1' offered"; }

# Commands, from xlate --help.
complete_words ""
for c in run batch extract merge formats plugins plugin detect normalize segment tm; do
  offers "$c" "commands"
done
complete_words "se"
offers "segment" "a command by its start"
lacks "run" "a command by its start"

# Options of run, from run --help.
complete_words run --pl
offers "--plugin" "run's options"
offers "--plugin-path" "run's options"
offers "--plugin-timeout" "run's options"
lacks "--paragraphs" "run's options (detect's is not run's)"
complete_words run --
offers "--from" "run's options"
offers "--isolate" "run's options"
offers "--output" "run's options"
complete_words detect --pa
offers "--paragraphs" "detect's options"
complete_words batch -
offers "--jobs" "batch's options"
offers "-j" "batch's short options"

# Plugin names after --plugin, from xlate plugins --json.
complete_words run --plugin ""
for p in glossary apertium exec http qa tm; do offers "$p" "plugin names"; done
complete_words run --plugin gl
offers "glossary" "a plugin name by its start"
offers "glossary:" "a plugin name with its colon, for options"
lacks "apertium" "a plugin name by its start"
complete_words plugin check ap
offers "apertium" "plugin check NAME"

# A plugin's options after NAME:, as bash splits the words at ':' ...
complete_words run --plugin glossary :
offers "file=" "glossary's options after the colon"
offers "dict=" "glossary's options after the colon"
offers "stem=" "glossary's options after the colon"
offers "isolate=" "the host's key of every plugin"
lacks "cmd=" "exec's option is not glossary's"
complete_words run --plugin glossary : st
offers "stem=" "glossary's options by their start"
lacks "file=" "glossary's options by their start"
# ... and as one word (no ':' in COMP_WORDBREAKS).
complete_words run --plugin glossary:
offers "glossary:file=" "glossary's options, one word"
complete_words run --plugin "exec:cmd=cat,pro"
offers "exec:cmd=cat,protocol=" "the next option after a comma"
complete_words run --plugin "exec:cmd=cat,"
lacks "exec:cmd=cat,cmd=" "an option already given is not offered again"
offers "exec:cmd=cat,timeout=" "the options not given yet"

# Option values, and file names elsewhere.
complete_words run --format j
offers "jsonl" "--format values"
complete_words segment --format ""
offers "txt" "segment's --format values"
lacks "tmx" "segment's --format values"
complete_words run --from au
offers "auto" "--from auto"
complete_words run --normalize = nf
offers "nfc" "a value after '='"
offers "nfkc" "a value after '='"
complete_words run "--normalize=nfk"
offers "--normalize=nfkc" "a value after '=', one word"
complete_words tm ""
offers "import" "tm's subcommands"
offers "lookup" "tm's subcommands"
complete_words run --plugin glossary "$TMP/dir/art"
offers "$TMP/dir/article.txt" "file names"
offers "$TMP/dir/article.html" "file names"
complete_words run -o "$TMP/dir/article.t"
offers "$TMP/dir/article.txt" "-o takes a file name"

# zsh: the function parses, and autoloaded it registers itself for xlate.
if command -v zsh >/dev/null 2>&1; then
  checks=$((checks + 1))
  zsh -n "$SRC_ROOT/docs/completion/_xlate" 2>"$TMP/err" || fail "zsh -n _xlate: $(cat "$TMP/err")"
  checks=$((checks + 1))
  head -n 1 "$SRC_ROOT/docs/completion/_xlate" | grep -qx '#compdef xlate' || fail "_xlate does not start with #compdef xlate"
  # The helpers answer in zsh as in bash: plugin names and a plugin's keys from the JSON.
  out=$(XLATE="$XLATE" zsh -f -c '
    fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D
    source "$1/_xlate" 2>/dev/null
    _xlate_zsh_plugin_names "$XLATE"; echo --; _xlate_zsh_plugin_keys "$XLATE" glossary' \
    zsh "$SRC_ROOT/docs/completion" 2>"$TMP/err")
  checks=$((checks + 1))
  case $out in *glossary*--*stem*) ;; *) fail "zsh helpers: $out $(head -c 300 "$TMP/err")";; esac
else
  echo "zsh is not installed (scripts/bootstrap installs it): the zsh checks are not run" >&2
  checks=$((checks + 1))
  fail "zsh missing"
fi

finish
