# bash completion for xlate: the commands, each command's options (read from its --help, so that
# a new option completes without a change here), the values of the options that take a word,
# plugin names after --plugin (from `xlate plugins --json`), each plugin's options after
# `--plugin NAME:` (and after a comma, the next one), and file names elsewhere.
# Installed into bash-completion's completions folder as "xlate"; or: source docs/completion/xlate.bash

# The xlate being completed: the word the user typed (build/core/xlate, ./xlate), else the one on PATH.
_xlate_program() {
    local p=${COMP_WORDS[0]}
    p=${p/#\~/$HOME}
    if [[ $p == */* && -x $p ]] || type -P "$p" >/dev/null 2>&1; then
        printf '%s\n' "$p"
    else
        printf 'xlate\n'
    fi
}

# The options a --help text names: on option lines (first non-blank character '-'), usage lines
# and their continuations.
_xlate_help_options() {
    "$1" "${@:2}" --help 2>&1 |
        sed -n 's/^[[:space:]]*//; /^\(-\|Usage:\|xlate \|\[\)/p' |
        grep -oE -- '(^|[^[:alnum:]-])--?[[:alpha:]][[:alnum:]-]*' | sed 's/^[^-]*//' | sort -u
}

# The plugins --json of the xlate being completed, read once per completion.
_xlate_plugins_json() {
    "$1" plugins --json 2>/dev/null
}

# Plugin names: each object of the array begins with its name, then its kind.
_xlate_plugin_names() {
    grep -oE '"name":"[a-z0-9_-]+","kind"' <<<"$1" | sed 's/^"name":"\([^"]*\)".*/\1/'
}

# The option keys of plugin $2 in the JSON $1: the objects of its "options", each a name then a
# type; the host's own key isolate is taken by every plugin.
_xlate_plugin_keys() {
    local rest=${1#*\{\"name\":\"$2\",\"kind\"}
    [[ $rest == "$1" ]] && return
    rest=${rest%%\"kind\":*}
    grep -oE '"name":"[a-z0-9_-]+","type"' <<<"$rest" | sed 's/^"name":"\([^"]*\)".*/\1/'
    printf 'isolate\n'
}

# The word under the cursor with what bash's word breaks (: and =) cut off it put back, in
# _xlate_word; _xlate_word_start: the index of the word it starts at.
_xlate_join_word() {
    local i=$COMP_CWORD w=${COMP_WORDS[COMP_CWORD]}
    while ((i > 1)); do
        if [[ ${COMP_WORDS[i]} == [:=]* || ${COMP_WORDS[i - 1]} == *[:=] ]] &&
            [[ ${COMP_WORDS[i - 1]} != -* || ${COMP_WORDS[i - 1]} == *[:=] ]]; then
            w=${COMP_WORDS[i - 1]}$w
            ((i--))
        else
            break
        fi
    done
    _xlate_word=$w
    _xlate_word_start=$i
}

# COMPREPLY from candidates for the joined word: what bash will replace is only the last piece,
# so each candidate loses the part of the joined word before that piece.
_xlate_reply() {
    local cur=${COMP_WORDS[COMP_CWORD]} joined=$1
    [[ $cur == [:=] ]] && cur= # readline's word starts after the break
    shift
    local cut=$((${#joined} - ${#cur})) c
    COMPREPLY=()
    for c in "$@"; do
        [[ $c == "$joined"* ]] && COMPREPLY+=("${c:cut}")
    done
}

_xlate_complete_plugin() {
    local prog=$1 word=$2 json names keys c
    json=$(_xlate_plugins_json "$prog")
    if [[ $word != *:* ]]; then
        mapfile -t names < <(_xlate_plugin_names "$json")
        local cands=()
        for c in "${names[@]}"; do cands+=("$c" "$c:"); done
        _xlate_reply "$word" "${cands[@]}"
        # a plugin given as a file
        if [[ $word == */* || $word == .* ]]; then
            mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$word")
        fi
        [[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
        return
    fi
    # NAME:KEY=VALUE,KEY... : the keys not given yet, after the colon or the last comma
    local name=${word%%:*} head=${word%,*}
    [[ $head == "$word" ]] && head=${word%%:*}:
    [[ $head != *: ]] && head=$head,
    mapfile -t keys < <(_xlate_plugin_keys "$json" "$name")
    local cands=()
    for c in "${keys[@]}"; do
        [[ ,${word#*:}, == *,$c=* ]] || cands+=("$head$c=")
    done
    _xlate_reply "$word" "${cands[@]}"
    compopt -o nospace 2>/dev/null
}

# Values of the options that take a word; 1 when $1 is not such an option.
_xlate_complete_value() {
    local cmd=$1 opt=$2 cur=$3
    case $opt in
    --from) COMPREPLY=($(compgen -W "auto uk ru en de fr es it pl pt cs en-GB en-US sr-Latn" -- "$cur")) ;;
    --to) COMPREPLY=($(compgen -W "en uk ru de fr es it pl pt cs en-GB en-US uk-Latn" -- "$cur")) ;;
    --format)
        case $cmd in
        segment) COMPREPLY=($(compgen -W "txt jsonl" -- "$cur")) ;;
        tm) COMPREPLY=($(compgen -W "tmx tsv" -- "$cur")) ;;
        extract) COMPREPLY=($(compgen -W "xliff xliff2" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "tsv jsonl tmx doc xliff xliff2" -- "$cur")) ;;
        esac ;;
    --input-format) COMPREPLY=($(compgen -W "auto text html xliff po md" -- "$cur")) ;;
    --encoding | --output-encoding | --to-encoding)
        COMPREPLY=($(compgen -W "auto utf-8 utf-16 utf-32 cp1251 koi8-u koi8-r cp1125 cp866 iso-8859-5 mac-cyrillic" -- "$cur")) ;;
    --on-invalid) COMPREPLY=($(compgen -W "error replace skip" -- "$cur")) ;;
    --normalize) COMPREPLY=($(compgen -W "nfc nfkc none" -- "$cur")) ;;
    --apostrophe) COMPREPLY=($(compgen -W "modifier right-quote ascii" -- "$cur")) ;;
    --progress) COMPREPLY=($(compgen -W "auto json quiet" -- "$cur")) ;;
    --kind) COMPREPLY=($(compgen -W "translator glossary filter check" -- "$cur")) ;;
    --plugin-path | --output-dir | --dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
    -o | --output | --srx | --report | --combined | --db | --input | --queries)
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
    -j | --jobs | --shard | --max-ratio | --max-doc-size | --plugin-timeout | --threshold | --limit | --options)
        COMPREPLY=() ;;
    *) return 1 ;;
    esac
    return 0
}

# With '=' not a word break, the word is "--normalize=n" and readline replaces all of it.
_xlate_prefix_values() {
    [[ ${COMP_WORDS[COMP_CWORD]} == "$1"* ]] || return 0
    local i
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$1${COMPREPLY[i]}; done
}

_xlate() {
    local prog cmd cur prev _xlate_word _xlate_word_start
    prog=$(_xlate_program)
    cur=${COMP_WORDS[COMP_CWORD]}
    [[ $cur == [:=] ]] && cur= # readline's word starts after the break
    if ((COMP_CWORD == 1)); then
        local commands
        commands=$("$prog" --help 2>/dev/null | sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z-]*\).*/\1/p}')
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    _xlate_join_word
    prev=${COMP_WORDS[_xlate_word_start - 1]}
    # a value given with '=' (--normalize=nfc) in one word, when '=' breaks no word
    if [[ $_xlate_word == --*=* ]]; then
        prev=${_xlate_word%%=*}
        cur=${_xlate_word#*=}
        _xlate_complete_value "$cmd" "$prev" "$cur" && _xlate_prefix_values "$prev=" && return
    fi
    if [[ $prev == --plugin || $prev == --chain ]]; then
        _xlate_complete_plugin "$prog" "$_xlate_word"
        return
    fi
    _xlate_complete_value "$cmd" "$prev" "$cur" && return
    # the subcommands of plugin and tm
    if ((COMP_CWORD == 2)) && [[ $cmd == plugin || $cmd == tm ]] && [[ $cur != -* ]]; then
        local subs="new info check"
        [[ $cmd == tm ]] && subs="import export stats lookup"
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_xlate_help_options "$prog" "$cmd")" -- "$cur"))
        return
    fi
    # plugin info / check NAME
    if [[ $cmd == plugin && ($prev == info || $prev == check) ]]; then
        COMPREPLY=($(compgen -W "$(_xlate_plugin_names "$(_xlate_plugins_json "$prog")")" -- "$cur"))
        [[ $cur == */* || $cur == .* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}

complete -F _xlate xlate
