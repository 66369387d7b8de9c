#!/bin/sh
# The CAT round trip over every document of tests/format/corpus/*/: `xlate extract` (XLIFF 1.2
# and 2.1) then `xlate merge` gives the document back (a) with the XLIFF unchanged and (b), for
# the monolingual formats, with every target set to a copy of its source. Equal means: the same
# bytes for text, PO and Markdown; for HTML the same canonical form (xmllint --html) and every
# <script> body byte for byte; for XLIFF the same XML canonical form (xmllint --c14n). Each format
# `xlate formats` lists needs its share of the corpus.
. "$(dirname "$0")/lib.sh"
CORPUS="$SRC_ROOT/tests/format/corpus"
export XLATE_PLUGIN_PATH="$PLUGIN_DIR"

min_docs() {
  case $1 in html) echo 12 ;; xliff) echo 8 ;; po) echo 6 ;; md) echo 6 ;; text) echo 3 ;; *) echo 1 ;; esac
}

"$XLATE" formats >"$TMP/formats" || { fail "xlate formats"; finish; exit 1; }
formats=$(cut -d' ' -f1 "$TMP/formats")
for f in $formats; do
  n=$(find "$CORPUS/$f" -maxdepth 1 -type f 2>/dev/null | wc -l)
  checks=$((checks + 1))
  [ "$n" -ge "$(min_docs "$f")" ] || fail "corpus: $f has $n document(s), needs $(min_docs "$f")"
done

# Without the XLIFF module there is no round trip to make: say so (and meson counts a skip).
if ! grep -q '^xliff ' "$TMP/formats"; then
  expect_status 2 "extract without the XLIFF module" -- "$XLATE" extract "$CORPUS/text/news-kyiv-metro.txt"
  expect_in "$TMP/err" "without the XLIFF module" "extract without the XLIFF module: says so"
  finish || exit 1
  echo "extract_merge: this xlate has no XLIFF module; the round trip is skipped"
  exit 77
fi

# Every target a copy of its source: 1.2 <target> after <source>/<seg-source> of each
# trans-unit, 2.1 <target> after <source> of each segment.
cat >"$TMP/copy_sources.py" <<'PY'
import copy, sys
import xml.etree.ElementTree as ET
path = sys.argv[1]
tree = ET.parse(path)
root = tree.getroot()
ns = root.tag[1:].split('}')[0] if root.tag.startswith('{') else ''
q = lambda t: '{%s}%s' % (ns, t) if ns else t
ET.register_namespace('', ns)
def put_target(parent, src):
    for old in parent.findall(q('target')):
        parent.remove(old)
    t = copy.deepcopy(src)
    t.tag = q('target')
    for a in list(t.attrib):
        if a.endswith('lang'):
            del t.attrib[a]
    parent.insert(list(parent).index(src) + 1, t)
if root.get('version', '').startswith('1'):
    for tu in root.iter(q('trans-unit')):
        src = tu.find(q('seg-source'))
        put_target(tu, src if src is not None else tu.find(q('source')))
else:
    for seg in root.iter(q('segment')):
        put_target(seg, seg.find(q('source')))
tree.write(path, xml_declaration=True, encoding='UTF-8')
PY

scripts_of() { python3 -c '
import re, sys
data = open(sys.argv[1], "rb").read()
for m in re.finditer(rb"<script\b[^>]*>(.*?)</script\s*>", data, re.S | re.I):
    sys.stdout.buffer.write(m.group(1) + b"\0")' "$1"; }

# same FORMAT ORIGINAL MERGED WHAT: the merged document equals the original.
same() {
  checks=$((checks + 1))
  case $1 in
    html)
      xmllint --html --nowarning "$2" >"$TMP/a.canon" 2>/dev/null
      xmllint --html --nowarning "$3" >"$TMP/b.canon" 2>/dev/null
      scripts_of "$2" >"$TMP/a.scripts"
      scripts_of "$3" >"$TMP/b.scripts"
      cmp -s "$TMP/a.canon" "$TMP/b.canon" && cmp -s "$TMP/a.scripts" "$TMP/b.scripts" ;;
    xliff)
      xmllint --c14n "$2" >"$TMP/a.canon" && xmllint --c14n "$3" >"$TMP/b.canon" &&
        cmp -s "$TMP/a.canon" "$TMP/b.canon" ;;
    *) cmp -s "$2" "$3" ;;
  esac || fail "$4: not the document back"
}

# One XLIFF a format and version holding every document of the corpus as its own <file> (what
# `xlate extract` of many documents gives), merged with --output-dir: each document back under its
# name. The documents are given by their names within the corpus folder, as a user in that folder
# would.
total=0
for f in $formats; do
  docs=$(cd "$CORPUS/$f" && find . -maxdepth 1 -type f | sed 's|^\./||' | sort)
  total=$((total + $(echo "$docs" | wc -l)))
  for v in xliff xliff2; do
    rm -rf "$TMP/back" "$TMP/copied"
    # shellcheck disable=SC2086 # one argument a document name; the corpus names have no spaces
    expect_status 0 "extract $v $f" -- sh -c 'cd "$1" && shift && exec "$@"' sh "$CORPUS/$f" \
      "$XLATE" extract --format "$v" --input-format "$f" -o "$TMP/x.xlf" $docs
    expect_status 0 "merge unchanged $v $f" -- "$XLATE" merge --output-dir "$TMP/back" "$TMP/x.xlf"
    for name in $docs; do
      same "$f" "$CORPUS/$f/$name" "$TMP/back/$name" "unchanged $v $f/$name"
    done
    case $f in text|html|md) ;; *) continue ;; esac
    python3 "$TMP/copy_sources.py" "$TMP/x.xlf" || fail "copying sources into $v $f"
    expect_status 0 "merge source-as-target $v $f" -- "$XLATE" merge --output-dir "$TMP/copied" "$TMP/x.xlf"
    for name in $docs; do
      same "$f" "$CORPUS/$f/$name" "$TMP/copied/$name" "source as target $v $f/$name"
    done
  done
done

# Several documents in one XLIFF: --output-dir writes each under its name, never over a file.
expect_status 0 "extract two documents" -- "$XLATE" extract -o "$TMP/two.xlf" \
  "$CORPUS/text/news-kyiv-metro.txt" "$CORPUS/text/notice-crlf.txt"
expect_status 2 "merge two documents into one file" -- "$XLATE" merge -o "$TMP/one" "$TMP/two.xlf"
expect_in "$TMP/err" "--output-dir" "merge two documents: says what to give"
expect_status 0 "merge --output-dir" -- "$XLATE" merge --output-dir "$TMP/outdir" "$TMP/two.xlf"
n=$(find "$TMP/outdir" -type f -name '*.txt' | wc -l)
expect_eq "$n" 2 "merge --output-dir: both documents"
expect_status 1 "merge over files already there" -- "$XLATE" merge --output-dir "$TMP/outdir" "$TMP/two.xlf"
expect_in "$TMP/err" "already exists" "merge over a file: refused"

# Not an XLIFF: exit 1, the file named.
printf 'not xml at all\n' >"$TMP/bad.xlf"
expect_status 1 "merge of a file that is not XLIFF" -- "$XLATE" merge -o "$TMP/x" "$TMP/bad.xlf"
expect_in "$TMP/err" "bad.xlf" "merge of a bad file: named"
expect_status 2 "merge with no file" -- "$XLATE" merge
# An encoding named at extract is the one merge reads the original with: a windows-1251 contact
# line that detection alone takes for Mac Cyrillic comes back as its own bytes, translated.
printf 'Тел. 044 123-45-67, вул. Хрещатик, 1\r\nE-mail: info@kyiv.example\r\n' | iconv -t windows-1251 \
  >"$TMP/contacts.txt"
printf 'Тел. 044 123-45-67, вул. Хрещатик, 1\r\nE-MAIL: INFO@KYIV.EXAMPLE\r\n' | iconv -t windows-1251 \
  >"$TMP/contacts.want"
"$XLATE" detect "$TMP/contacts.txt" >"$TMP/detected"
expect_not_in "$TMP/detected" "windows-1251" "the contact line: detection alone gets it wrong"
for v in xliff xliff2; do
  expect_status 0 "extract --encoding $v" -- "$XLATE" extract --format "$v" --plugin testtrans \
    --encoding windows-1251 -o "$TMP/enc.xlf" "$TMP/contacts.txt"
  expect_in "$TMP/enc.xlf" 'xlate:encoding="windows-1251"' "extract --encoding $v: recorded"
  if [ "$v" = xliff2 ]; then
    expect_status 0 "extract --encoding xliff2: valid XLIFF 2.1" -- \
      xmllint --noout --schema "$SRC_ROOT/tests/schemas/xliff_core_2.1.xsd" "$TMP/enc.xlf"
  fi
  rm -f "$TMP/enc-back"
  expect_status 0 "merge --encoding $v" -- "$XLATE" merge -o "$TMP/enc-back" "$TMP/enc.xlf"
  expect_status 0 "merge --encoding $v: the document's own encoding, translated" -- \
    cmp "$TMP/contacts.want" "$TMP/enc-back"
  # without the record, merge detects, and the document is not the one extracted
  sed 's/ xlate:encoding="windows-1251"//' "$TMP/enc.xlf" >"$TMP/noenc.xlf"
  rm -f "$TMP/enc-back"
  "$XLATE" merge -o "$TMP/enc-back" "$TMP/noenc.xlf" 2>/dev/null
  checks=$((checks + 1))
  cmp -s "$TMP/contacts.want" "$TMP/enc-back" && fail "merge $v without the recorded encoding: the same bytes"
done
echo "extract_merge: $total documents round-tripped"
finish
