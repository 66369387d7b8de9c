# Shared by the bench scripts that build their text from Debian's Ukrainian man pages and time
# commands in one run. Source it after defining die(). Needs: root, cache.

# require_tools TOOL...: each must be on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" > /dev/null || die "$tool not found; run scripts/bootstrap"
  done
}

# Prints the path of the Ukrainian man pages rendered once as a reader sees them (no roff
# requests), cached in $cache/man-uk.txt.
uk_man_text() {
  local man_text=$cache/man-uk.txt page
  ls /usr/share/man/uk/man1/*.gz > /dev/null 2>&1 || die "no Ukrainian man pages; install manpages-uk"
  mkdir -p "$cache"
  if [ ! -s "$man_text" ]; then
    find /usr/share/man/uk -type f -name '*.gz' | sort | while read -r page; do
      MANWIDTH=100 man -E UTF-8 -l "$page" 2> /dev/null | col -bx
      echo
    done > "$man_text"
  fi
  echo "$man_text"
}

# timed COMMAND...: runs it with its output discarded; prints "wall cpu" in seconds (cpu: user +
# system of the command and its children, the fair figure on a machine shared with other work).
timed() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" > /dev/null 2>&1; } 2>&1 ) || die "failed: $*"
  echo "$t" | awk '{printf "%.3f %.3f\n", $1, $2 + $3}'
}

# en_man_text MB: prints the path of at least MB megabytes of English man pages, rendered as a
# reader sees them (`man -P cat`, no roff requests): the pages of the tools a Debian system has
# (those installed), repeated up to the size; cached in $cache/man-en-MBmb.txt. Man pages hold
# what prose seldom does ("^string1^string2^", "= += -= *= /= %= ^=", <file>, [option], $VAR),
# the characters a translator's input format may reserve.
en_man_text() {
  local mb=$1 text=$cache/man-en-$1mb.txt pages=$cache/man-en-pages.txt page
  mkdir -p "$cache"
  if [ ! -s "$text" ]; then
    for page in bash ls cp date stat grep sed find tar gzip dpkg apt-get man less ssh curl git; do
      MANWIDTH=100 man -E UTF-8 -P cat "$page" 2> /dev/null | col -bx
      echo
    done > "$pages"
    [ -s "$pages" ] || die "no English man pages; install man-db and the tools' manuals"
    : > "$text"
    while [ "$(stat -c %s "$text")" -lt $((mb * 1024 * 1024)) ]; do
      cat "$pages" >> "$text"
    done
  fi
  echo "$text"
}

# uk_corpus MB: prints the path of a Ukrainian text of at least MB megabytes (the rendered
# Ukrainian man pages and the OBOZ.UA sample, repeated to the size), cached in $cache/uk-MB.txt.
# Needs root (the repository) too.
uk_corpus() {
  local mb=$1 corpus=$cache/uk-$1.txt man_text f
  if [ ! -s "$corpus" ]; then
    man_text=$(uk_man_text)
    local want=$((mb * 1000 * 1000)) tmp=$corpus.tmp
    : > "$tmp"
    # The material repeats to reach the size; news repeats its words too, which the stem cache
    # is for.
    while [ "$(stat -c %s "$tmp")" -lt "$want" ]; do
      cat "$man_text" >> "$tmp"
      for f in "$root"/samples/oboz/*.uk.txt; do cat "$f" "$f" "$f" "$f" "$f" >> "$tmp"; echo >> "$tmp"; done
    done
    mv "$tmp" "$corpus"
  fi
  echo "$corpus"
}

# flame_graph NAME TITLE HZ COMMAND...: COMMAND (its output discarded) recorded by perf with DWARF
# call graphs at HZ samples a second, drawn into ${FLAME_OUT:-bench/out}/NAME.svg with its folded
# stacks in NAME.folded (bench/stackcollapse.py: Debian packages no FlameGraph); prints the SVG's
# path. For the benches' PERF=1.
flame_graph() {
  local name=$1 title=$2 hz=$3 flame=${FLAME_OUT:-$root/bench/out} tmp
  shift 3
  command -v perf > /dev/null || die "PERF=1: perf not found (Debian package linux-perf)"
  mkdir -p "$flame"
  tmp=$(mktemp -d)
  if ! perf record -q -F "$hz" --call-graph dwarf,16384 -o "$tmp/perf.data" "$@" > /dev/null 2>&1; then
    rm -rf "$tmp"
    die "perf record failed (perf_event_paranoid?)"
  fi
  perf script -i "$tmp/perf.data" 2> /dev/null > "$tmp/perf.txt"
  "$root/bench/stackcollapse.py" < "$tmp/perf.txt" > "$flame/$name.folded"
  "$root/bench/stackcollapse.py" --svg "$title" < "$tmp/perf.txt" > "$flame/$name.svg"
  rm -rf "$tmp"
  echo "$flame/$name.svg"
}
