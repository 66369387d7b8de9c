#!/bin/sh
# `xlate batch` over documents in formats: an archive of HTML, PO, Markdown, XLIFF and plain-text
# documents in folders, (1) --format doc: each document translated in its own format under its
# own name — the bytes `xlate run --format doc` gives for it alone, read by its consumer
# (xmllint --html, msgfmt -c, xmllint) — also into an output archive and over two shards;
# (2) --format xliff / xliff2 (one file a document, or --combined) then `xlate merge`: the
# documents back, by extract_merge.sh's rules (the same bytes for text, PO and Markdown; the same
# canonical form for HTML, with every <script> byte for byte; XLIFF after c14n); (3) an
# interrupted batch resumed: the documents done are not done again, the result is an
# uninterrupted batch's.
. "$(dirname "$0")/lib.sh"
CORPUS="$SRC_ROOT/tests/format/corpus"
export XLATE_PLUGIN_PATH="$PLUGIN_DIR"
cd "$TMP" || exit 1

if ! "$XLATE" formats | grep -q '^xliff '; then
  echo "batch_documents: this xlate has no XLIFF module; skipped"
  exit 77
fi

# --- the input: documents a site and its app would have, in folders -----------------------------
mkdir -p in/news/2024 in/app/locale in/docs in/cat in/notes
cp "$CORPUS/html/news-article.html" in/news/2024/
cp "$CORPUS/html/cp1251-regional-news.html" "$CORPUS/html/script-cdata.html" in/news/
cp "$CORPUS/po/uk_app.po" "$CORPUS/po/legacy_cp1251.po" in/app/locale/
cp "$CORPUS/md/api_guide.md" in/docs/
cp "$CORPUS/xliff/okapi_news_article.xlf" in/cat/
cp "$CORPUS/text/story-cp1251.txt" in/notes/
cat >in/notes/briefing.txt <<'EOF'
Брифінг для редакції, 12 березня.

Міністерство цифрової трансформації оголосило про оновлення застосунку Diia: тепер у ньому можна
оформити eSupport і завантажити довідку у форматі PDF. Сервіс Kyiv Digital додасть карту укриттів.

Питання надсилайте на адресу press@example.org до 18:00.
EOF
(cd in && tar -czf ../docs.tar.gz news app docs cat notes)
(cd in && find . -type f | sed 's|^\./||' | sort) >names.in

# same FORMAT ORIGINAL MERGED WHAT (extract_merge.sh's rules)
scripts_of() { python3 -c '
import re, sys
data = open(sys.argv[1], "rb").read()
for m in re.finditer(rb"<script\b[^>]*>(.*?)</script\s*>", data, re.S | re.I):
    sys.stdout.buffer.write(m.group(1) + b"\0")' "$1"; }
same() {
  checks=$((checks + 1))
  case $1 in
    *.html)
      xmllint --html --nowarning "$2" >a.canon 2>/dev/null
      xmllint --html --nowarning "$3" >b.canon 2>/dev/null
      scripts_of "$2" >a.scripts
      scripts_of "$3" >b.scripts
      cmp -s a.canon b.canon && cmp -s a.scripts b.scripts ;;
    *.xlf) xmllint --c14n "$2" >a.canon && xmllint --c14n "$3" >b.canon && cmp -s a.canon b.canon ;;
    *) cmp -s "$2" "$3" ;;
  esac || fail "$4: not the document back"
}

# --- --format doc: every document in its format, under its name ---------------------------------
expect_status 0 "batch --format doc" -- "$XLATE" batch -j 2 -q --plugin testtrans --format doc \
  docs.tar.gz -o out-doc
(cd out-doc && find . -type f ! -name report.json ! -path './.xlate-state/*' | sed 's|^\./||' | sort) >names.out
expect_status 0 "doc: every document under its own name and folder" -- cmp names.in names.out
expect_in out-doc/report.json '"formats": ["doc"]' "doc: the report names the output"
expect_in out-doc/report.json '"outputs":["news/2024/news-article.html"]' "doc: the report lists the document"
expect_in out-doc/report.json '"encoding":"windows-1251"' "doc: the report names a legacy encoding"
checks=$((checks + 1)); [ -e out-doc/.xlate-state ] && fail "doc: the state folder stays after a complete batch"
while read -r name; do
  # the batch gives each document what `run --format doc` gives it alone
  "$XLATE" run --plugin testtrans --format doc -o alone "in/$name" 2>/dev/null
  expect_status 0 "doc: $name is what run --format doc makes of it" -- cmp alone "out-doc/$name"
  case $name in
    *.html) expect_status 0 "doc: $name parses as HTML" -- xmllint --html --noout "out-doc/$name"
            # a page the test translator changed says its new language (one it left as it was
            # is still in its own)
            cmp -s "in/$name" "out-doc/$name" ||
              expect_in "out-doc/$name" 'lang="en"' "doc: $name says its language" ;;
    *.po) expect_status 0 "doc: $name passes msgfmt -c" -- msgfmt -c -o /dev/null "out-doc/$name" ;;
    *.xlf) expect_status 0 "doc: $name is well-formed XML" -- xmllint --noout "out-doc/$name"
           expect_in "out-doc/$name" 'state="translated"' "doc: $name has translated targets" ;;
  esac
done <names.in
# testtrans writes Latin letters in upper case: the translation is in place, the rest kept
expect_in out-doc/notes/briefing.txt "застосунку DIIA: тепер у ньому можна" "doc: text translated"
expect_in out-doc/notes/briefing.txt "PRESS@EXAMPLE.ORG" "doc: text translated to its end"
expect_in out-doc/docs/api_guide.md "$(grep -m1 -o '^# .*' in/docs/api_guide.md | tr a-z A-Z)" \
  "doc: Markdown heading translated"
expect_status 0 "doc: a windows-1251 page stays windows-1251" -- \
  iconv -f windows-1251 -t utf-8 -o /dev/null out-doc/news/cp1251-regional-news.html
expect_status 1 "doc: ... and is not UTF-8" -- iconv -f utf-8 -t utf-8 -o /dev/null out-doc/news/cp1251-regional-news.html

# into an archive: the same files, the same names
expect_status 0 "batch --format doc into an archive" -- "$XLATE" batch -q --plugin testtrans \
  --format doc docs.tar.gz -o out-doc.tar.gz
tar -tzf out-doc.tar.gz | grep -v '/$' | sort >names.tar
expect_status 0 "doc archive: every document under its name" -- cmp names.in names.tar
mkdir unpacked && tar -C unpacked -xzf out-doc.tar.gz
expect_status 0 "doc archive: the documents of the folder output" -- diff -r -x report.json out-doc unpacked

# two shards give together the unsharded output
for k in 0 1; do
  expect_status 0 "doc shard $k/2" -- "$XLATE" batch -q --plugin testtrans --format doc --shard $k/2 \
    docs.tar.gz -o out-sh
done
expect_status 0 "doc shards = one batch" -- diff -r -x 'report*.json' out-doc out-sh

# records still work beside: an HTML page read by its module gives records with its codes
expect_status 0 "batch --format jsonl of documents" -- "$XLATE" batch -q --plugin testtrans \
  --format jsonl docs.tar.gz -o out-rec
expect_in out-rec/news/2024/news-article.uk-en.jsonl '"source"' "records of an HTML page"
expect_not_in out-rec/news/2024/news-article.uk-en.jsonl '<!DOCTYPE' "records of an HTML page: no markup as text"

# usage errors
expect_status 2 "doc and records together" -- "$XLATE" batch --format doc --format tsv docs.tar.gz -o x
expect_status 2 "doc with --output-encoding" -- "$XLATE" batch --format doc --output-encoding cp1251 docs.tar.gz -o x
expect_status 2 "an unknown --input-format" -- "$XLATE" batch --input-format rtf docs.tar.gz -o x

# --- --format xliff, then merge: the documents back ----------------------------------------------
expect_status 0 "batch --format xliff" -- "$XLATE" batch -q --format xliff docs.tar.gz -o out-x12
while read -r name; do
  checks=$((checks + 1))
  [ -f "out-x12/$name.xlf" ] || { fail "xliff: $name.xlf missing"; continue; }
  expect_status 0 "xliff: $name.xlf is XLIFF 1.2 translate-toolkit reads" -- \
    xliff2po -i "out-x12/$name.xlf" -o x.po
  expect_status 0 "merge $name.xlf" -- "$XLATE" merge --output-dir back12 "out-x12/$name.xlf"
  same "$name" "in/$name" "back12/$name" "xliff 1.2 round trip of $name"
done <names.in

expect_status 0 "batch --format xliff2 --combined" -- "$XLATE" batch -q --format xliff2 \
  --combined all.xlf docs.tar.gz -o out-x2
checks=$((checks + 1))
[ -z "$(find out-x2 -name '*.xlf')" ] || fail "xliff2 --combined: no file a document"
expect_eq "$(grep -c '<file ' all.xlf)" "$(wc -l <names.in)" "combined: one <file> a document"
expect_status 0 "combined XLIFF 2.1 validates" -- \
  xmllint --noout --schema "$SRC_ROOT/tests/schemas/xliff_core_2.1.xsd" all.xlf
expect_status 0 "merge the combined XLIFF" -- "$XLATE" merge --output-dir back2 all.xlf
while read -r name; do
  same "$name" "in/$name" "back2/$name" "combined xliff 2.1 round trip of $name"
done <names.in

# translated in the batch, merged: the documents --format doc gives
expect_status 0 "batch --format xliff2 --combined, translated" -- "$XLATE" batch -q --plugin testtrans \
  --format xliff2 --combined tr.xlf docs.tar.gz -o out-tr
expect_status 0 "merge the translated XLIFF" -- "$XLATE" merge --output-dir back-tr tr.xlf
for name in notes/briefing.txt docs/api_guide.md app/locale/uk_app.po news/2024/news-article.html; do
  same "$name" "out-doc/$name" "back-tr/$name" "translated through XLIFF = --format doc: $name"
done

# --encoding is recorded in the XLIFF, and merge reads the documents with it: a windows-1251
# contact line that detection alone takes for Mac Cyrillic
mkdir -p legacy/contacts
printf 'Тел. 044 123-45-67, вул. Хрещатик, 1\r\nE-mail: info@kyiv.example\r\n' | iconv -t windows-1251 \
  >legacy/contacts/kyiv.txt
printf 'Тел. 044 123-45-67, вул. Хрещатик, 1\r\nE-MAIL: INFO@KYIV.EXAMPLE\r\n' | iconv -t windows-1251 >kyiv.want
expect_status 0 "batch --encoding --format xliff2 --combined" -- "$XLATE" batch -q --plugin testtrans \
  --encoding windows-1251 --format xliff2 --combined legacy.xlf legacy -o out-legacy
expect_in legacy.xlf 'xlate:encoding="windows-1251"' "batch --encoding: recorded in the XLIFF"
expect_status 0 "merge of a batch read with --encoding" -- "$XLATE" merge --output-dir back-legacy legacy.xlf
expect_status 0 "merge of a batch read with --encoding: its bytes, translated" -- \
  cmp kyiv.want back-legacy/contacts/kyiv.txt

# --- an interrupted batch, resumed ----------------------------------------------------------------
# 60 documents; the batch reads the archive from a pipe that delivers only its first half and then
# waits; once 10 documents are in the journal it gets SIGINT: always mid-batch, however fast.
mkdir many
for i in 1 2 3 4 5 6 7 8 9 10; do
  mkdir -p "many/d$i"
  cp in/news/2024/news-article.html in/news/script-cdata.html in/app/locale/uk_app.po \
    in/docs/api_guide.md in/cat/okapi_news_article.xlf in/notes/briefing.txt "many/d$i/"
  printf '\nДодано у випуск %s.\n' "$i" >>"many/d$i/briefing.txt"
done
tar -C many -cf many.tar .
expect_status 0 "uninterrupted" -- "$XLATE" batch -q -j 2 --plugin testtrans --format doc many.tar -o ref
mkfifo half.tar
"$XLATE" batch -j 2 --plugin testtrans --format doc half.tar -o res 2>res.err &
pid=$!
( head -c $(( $(stat -c %s many.tar) / 2 )) many.tar; exec sleep 120 ) >half.tar &
feeder=$!
for i in $(seq 1 3000); do
  [ "$(cat res/.xlate-state/all/journal 2>/dev/null | wc -l)" -ge 10 ] && break
  sleep 0.01
done
kill -INT $pid
kill $feeder 2>/dev/null
wait $pid
expect_eq "$?" 1 "interrupted: exit status 1"
wait $feeder 2>/dev/null
done_before=$(wc -l <res/.xlate-state/all/journal)
# each finished document's file, by inode: a document done again would be a new file
(cd res && find . -type f ! -name report.json ! -path './.xlate-state/*' -printf '%i %p\n' | sort) >inodes.before
checks=$((checks + 1))
[ "$done_before" -ge 10 ] && [ "$done_before" -lt 60 ] || fail "SIGINT landed mid-batch ($done_before done)"
expect_status 2 "resume as XLIFF: refused" -- \
  "$XLATE" batch -j 2 --plugin testtrans --format xliff --resume many.tar -o res
expect_in "$TMP/err" "--format: doc → xliff" "resume as XLIFF: the change named"
expect_status 2 "resume with another --input-format: refused" -- \
  "$XLATE" batch -j 2 --plugin testtrans --format doc --input-format text --resume many.tar -o res
expect_in "$TMP/err" "--input-format: auto → text" "resume with another --input-format: named"
expect_status 0 "resume" -- "$XLATE" batch -j 2 --plugin testtrans --format doc --resume many.tar -o res
expect_in "$TMP/err" " $done_before resumed" "resume: the documents done are not done again"
(cd res && find . -type f ! -name report.json -printf '%i %p\n' | sort) >inodes.after
expect_eq "$(comm -23 inodes.before inodes.after | wc -l)" 0 "resume: no finished document written again"
expect_status 0 "resumed = uninterrupted" -- diff -r ref res
finish
