#!/usr/bin/env bash
# The bundled plugins are built as a third party builds one, read from meson's
# compile_commands.json: every plugins/ source file (and each one generated for a plugin) compiles
# with no include path into libxlate's core/, nor the source or build root through which core/ or
# xlate_config.h would be reachable, and no plugin library compiles a core/ source into itself.
# And no plugin leaves an xlate_ symbol undefined for the host process to supply: plugins reach
# the host only through the table their entry is given.
# Usage: sdk_boundary.sh SOURCE_ROOT BUILD_ROOT PLUGIN.so...
set -u
SRC=${1:?usage: sdk_boundary.sh SOURCE_ROOT BUILD_ROOT PLUGIN.so...}
BUILD=${2:?usage: sdk_boundary.sh SOURCE_ROOT BUILD_ROOT PLUGIN.so...}
shift 2
failures=0
checks=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

checks=$((checks + 1))
python3 - "$SRC" "$BUILD" <<'PY' || fail "plugin sources compile with a path into core/ (above)"
import json, os, shlex, sys

src, build = (os.path.realpath(p) for p in sys.argv[1:3])
plugins = os.path.join(src, "plugins")
built_plugins = os.path.join(build, "plugins")
forbidden = [os.path.join(src, "core"), os.path.join(build, "core")]

def inside(path, root):
    return path == root or path.startswith(root + os.sep)

def include_dirs(args):
    """Every directory given with -I, -iquote, -isystem or -idirafter, joined or apart."""
    flags = ("-I", "-iquote", "-isystem", "-idirafter")
    for i, a in enumerate(args):
        for f in flags:
            if a == f and i + 1 < len(args):
                yield args[i + 1]
            elif a.startswith(f) and len(a) > len(f):
                yield a[len(f):]

with open(os.path.join(build, "compile_commands.json")) as f:
    entries = json.load(f)
seen, bad = set(), []
for e in entries:
    where = e["directory"]
    file = os.path.realpath(os.path.join(where, e["file"]))
    out = os.path.realpath(os.path.join(where, e.get("output", "")))
    # Nor may a plugin's library compile libxlate's own sources into itself.
    if inside(out, built_plugins) and not inside(file, plugins) and not inside(file, built_plugins):
        bad.append(f"{os.path.relpath(out, build)}: compiled from {os.path.relpath(file, src)}")
        continue
    root = plugins if inside(file, plugins) else built_plugins if inside(file, built_plugins) else None
    rel = os.path.relpath(file, root) if root else ""
    # A plugin's own unit tests may reach the test helpers; the plugin code may not.
    if not root or "/tests/" in "/" + rel:
        continue
    seen.add(rel.split(os.sep)[0])
    args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
    for d in include_dirs(args):
        d = os.path.realpath(os.path.join(where, d))
        if any(inside(d, x) for x in forbidden) or d in (src, build):
            bad.append(f"{os.path.relpath(file, src)}: -I{os.path.relpath(d, src)}")
for line in sorted(set(bad)):
    print("  " + line, file=sys.stderr)
want = {"common", "glossary", "apertium", "http", "exec"}
if not want <= seen:
    print(f"  no compile command for plugins/{sorted(want - seen)}", file=sys.stderr)
    sys.exit(1)
sys.exit(1 if bad else 0)
PY

for so in "$@"; do
  checks=$((checks + 1))
  if ! syms=$(nm -D --undefined-only "$so"); then
    fail "nm cannot read $so"
    continue
  fi
  taken=$(printf '%s\n' "$syms" | awk '$NF ~ /^xlate_/ { print $NF }')
  [ -z "$taken" ] || fail "$(basename "$so") takes libxlate's symbols from the host process: $taken"
done

echo "$(basename "$0"): $checks checks, $failures failed"
[ "$failures" -eq 0 ]
