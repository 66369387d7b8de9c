#!/bin/sh
# The man pages (docs/man, built into MAN_DIR): each renders with `man -l` and groff without a
# warning, and each command that `xlate --help` lists has its page, in which every option its
# `--help` prints appears — options read from the help's option lines and usage lines, so that a
# new option without documentation fails here.
. "$(dirname "$0")/../cli/lib.sh"
: "${MAN_DIR:?MAN_DIR names the folder of the built pages}"
export MANWIDTH=80 LC_ALL=C.UTF-8

# --- every page renders cleanly -----------------------------------------------------------------
pages=0
for page in "$MAN_DIR"/*.[17]; do
  [ -e "$page" ] || continue
  pages=$((pages + 1))
  name=$(basename "$page")
  expect_status 0 "man -l $name" -- man --warnings -l "$page"
  checks=$((checks + 1))
  [ -s "$TMP/err" ] && fail "man -l $name warns: $(head -c 400 "$TMP/err")"
  expect_in "$TMP/out" "NAME" "man -l $name: a NAME section"
  expect_in "$TMP/out" "SEE ALSO" "man -l $name: a SEE ALSO section"
  checks=$((checks + 1))
  groff -k -ww -z -man -Tutf8 "$page" >"$TMP/groff" 2>&1 || fail "groff $name: exit status $?"
  checks=$((checks + 1))
  [ -s "$TMP/groff" ] && fail "groff -ww $name warns: $(head -c 400 "$TMP/groff")"
done
checks=$((checks + 1))
[ "$pages" -ge 13 ] || fail "only $pages pages in $MAN_DIR"
checks=$((checks + 1))
[ -e "$MAN_DIR/xlate-plugin.7" ] || fail "no xlate-plugin(7) for plugin authors"

# --- every option of every command's --help is in its page ----------------------------------------
# The options (--long and -x) a --help text names on its option lines (first non-blank character
# '-'), its usage lines ("Usage:", "xlate ...") and their continuations ('['), each looked for in
# the page rendered as text, lines unwrapped (a wide page breaks no option name). Prints a line
# per problem and, last, "options N" (how many were checked).
cat >"$TMP/consistency.py" <<'PY'
import re, subprocess, sys
xlate, man_dir = sys.argv[1:3]
OPT = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")

def help_options(text):
    opts = set()
    for line in text.splitlines():
        s = line.lstrip()
        if s.startswith(("-", "Usage:", "xlate ", "[")):
            opts.update(OPT.findall(s))
    return sorted(opts)

def render(page):
    return subprocess.run(["groff", "-k", "-man", "-Tutf8", "-rLL=1000n", "-P-cbou", page],
                          capture_output=True, text=True).stdout

def documented(opt, page_text):
    return re.search(r"(^|[^a-zA-Z0-9-])" + re.escape(opt) + r"([^a-zA-Z0-9-]|$)", page_text, re.M)

if sys.argv[3:] == ["--self-test"]:
    # an option a page lacks is caught
    opts = help_options("  --isolate             run each plugin in a child process\n")
    page = render(man_dir + "/xlate-run.1").replace("--isolate", "")
    sys.exit(0 if opts == ["--isolate"] and not documented("--isolate", page) else 1)

main = subprocess.run([xlate, "--help"], capture_output=True, text=True).stdout
commands = re.search(r"^Commands:\n(.*?)\n\n", main, re.S | re.M).group(1)
commands = [l.split()[0] for l in commands.splitlines() if l.strip()]
if len(commands) < 10:
    print("xlate --help lists too few commands: %s" % commands)
top = render(man_dir + "/xlate.1")
checked = 0
for cmd in commands:
    if "xlate-%s(1)" % cmd not in top:
        print("xlate(1) does not name xlate-%s(1)" % cmd)
    page = "%s/xlate-%s.1" % (man_dir, cmd)
    try:
        open(page).close()
    except OSError:
        print("xlate %s has no man page (docs/man/xlate-%s.1.scd)" % (cmd, cmd))
        continue
    text = render(page)
    h = subprocess.run([xlate, cmd, "--help"], capture_output=True, text=True)
    for opt in help_options(h.stdout + h.stderr):
        checked += 1
        if not documented(opt, text):
            print("xlate-%s(1) does not document %s, which 'xlate %s --help' prints" % (cmd, opt, cmd))
print("options %d" % checked)
PY
python3 "$TMP/consistency.py" "$XLATE" "$MAN_DIR" >"$TMP/problems"
options_checked=$(sed -n 's/^options //p' "$TMP/problems")
checks=$((checks + ${options_checked:-0}))
while IFS= read -r line; do
  case $line in options\ *) ;; *) fail "$line";; esac
done <"$TMP/problems"
checks=$((checks + 1))
[ "${options_checked:-0}" -ge 60 ] || fail "only ${options_checked:-0} options read from the commands' --help"
# The check itself: an option a page lacks is caught.
checks=$((checks + 1))
python3 "$TMP/consistency.py" "$XLATE" "$MAN_DIR" --self-test ||
  fail "the consistency check would not catch an undocumented option"

finish
