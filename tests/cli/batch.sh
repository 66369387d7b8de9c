#!/usr/bin/env bash
# xlate batch as a user runs it: archives of every kind built here (python3's tarfile and zipfile,
# hostile entries included), outputs checked file by file, -j 2 against -j 1, shards against the
# whole, an interrupted batch (kill -9 and SIGINT) resumed against an uninterrupted one.
. "$(dirname "$0")/lib.sh"

G="--plugin glossary"
# Under the sanitizers a report must not pass for the exit status 1 a test expects.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
SAMPLE="$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt"
DTD="$SRC_ROOT/tests/schemas/tmx14.dtd"
cd "$TMP" || exit 1

# --- the archives ----------------------------------------------------------------------------
python3 - "$SAMPLE" <<'EOF'
import io, os, sys, tarfile, zipfile
paras = [p.strip() for p in open(sys.argv[1], encoding='utf-8').read().split('\n\n') if p.strip()]

def info(name, data=b'', kind=tarfile.REGTYPE, link=''):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.type = kind; ti.linkname = link
    ti.mtime = 0; ti.mode = 0o644
    return ti, (io.BytesIO(data) if data else None)

png = b'\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0'
with tarfile.open('mixed.tar.gz', 'w:gz', format=tarfile.GNU_FORMAT) as t:
    for e in [info('news/2024/01/nato.txt', (paras[0] + '\n\n' + paras[1] + '\n').encode()),
              info('news/2024/02/kyiv-cp1251.txt', (paras[2] + '\n').encode('cp1251')),
              info('news/2024/02/kharkiv-koi8u.txt', (paras[3] + '\n').encode('koi8-u')),
              info('news/photo.png', png),
              info('../escape.txt', b'must never be written\n'),
              info('/tmp/abs-escape.txt', b'must never be written\n'),
              info('news/link-out.txt', kind=tarfile.SYMTYPE, link='../../../../etc/passwd'),
              info('top.txt', (paras[4] + '\n').encode())]:
        t.addfile(*e)

with zipfile.ZipFile('cp1251.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('листи/перший.txt', (paras[5] + '\n').encode('cp1251'))
    z.writestr('листи/другий.txt', (paras[6] + '\n').encode('cp1251'))

with zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('ok.txt', (paras[0] + '\n').encode())
    z.writestr('bomb.txt', b' ' * (40 << 20))

with tarfile.open('empty.tar.gz', 'w:gz') as t:
    pass

# The same paragraph in UTF-8 and in UTF-16/32 without a byte order mark, beside binary data: an
# executable's first bytes and text with one control character no text has.
text = (paras[7] + '\n').encode()
elf = b'\x7fELF\x02\x01\x01\x00' + bytes(8) + b'\x02\x00\x3e\x00' + b'GLIBC_2.34\0main\0' * 8
unicode_docs = [('u/utf8.txt', text), ('u/utf16be.txt', text.decode().encode('utf-16-be')),
                ('u/utf16le.txt', text.decode().encode('utf-16-le')),
                ('u/utf32le.txt', text.decode().encode('utf-32-le')),
                ('u/prog', elf), ('u/ctl.txt', b'one \x02 control character\n')]
with tarfile.open('unicode.tar', 'w') as t:
    for name, data in unicode_docs:
        t.addfile(*info(name, data))
for name, data in unicode_docs:
    os.makedirs('unicode-dir/' + os.path.dirname(name), exist_ok=True)
    open('unicode-dir/' + name, 'wb').write(data)

# A 300-document archive for resume and shards; every document differs.
with tarfile.open('many.tar.gz', 'w:gz', format=tarfile.PAX_FORMAT) as t:
    for i in range(300):
        text = paras[i % len(paras)] + '\n\nДокумент номер %d.\n' % i
        t.addfile(*info('d%02d/doc-%04d.txt' % (i // 100, i), text.encode()))

# Hex noise compresses little, so the cut lands well inside the entries, not in gzip's header.
with tarfile.open('whole.tar.gz', 'w:gz') as t:
    for i in range(60):
        t.addfile(*info('n/%02d.txt' % i, (os.urandom(1500).hex() + '\n').encode()))
raw = open('whole.tar.gz', 'rb').read()
open('corrupt.tar.gz', 'wb').write(raw[:len(raw) // 2])
EOF

count_files() { find "$1" -type f ! -name 'report*.json' | wc -l; }

# --- a tar.gz with nested folders, mixed encodings, an image and unsafe entries ----------------
expect_status 0 "mixed tar.gz" -- "$XLATE" batch $G -j 2 --format jsonl --format tmx \
  --combined mixed.tmx mixed.tar.gz -o out-mixed
for f in news/2024/01/nato.uk-en.jsonl news/2024/02/kyiv-cp1251.uk-en.jsonl \
         news/2024/02/kharkiv-koi8u.uk-en.tmx top.uk-en.jsonl; do
  checks=$((checks + 1)); [ -s "out-mixed/$f" ] || fail "mixed: $f missing"
done
expect_eq "$(count_files out-mixed)" 8 "mixed: 4 documents x 2 formats and nothing else"
expect_in out-mixed/news/2024/02/kyiv-cp1251.uk-en.jsonl "Київ" "cp1251 document decoded to UTF-8"
expect_in out-mixed/news/2024/01/nato.uk-en.jsonl '"target":' "glossary output"
R=out-mixed/report.json
expect_in $R '"path":"news/2024/02/kyiv-cp1251.txt","status":"ok","encoding":"windows-1251"' "report: detected cp1251"
expect_in $R '"encoding":"KOI8-U"' "report: detected KOI8-U"
expect_in $R '"path":"news/photo.png","status":"skipped","reason":"binary data (control character 0x1a at offset 6), not text"' "report: image skipped, the sign named"
expect_in $R '"path":"../escape.txt","status":"rejected"' "report: ../ rejected"
expect_in $R '"path":"/tmp/abs-escape.txt","status":"rejected","reason":"unsafe name: an absolute path"' "report: absolute rejected"
expect_in $R '"path":"news/link-out.txt","status":"rejected","reason":"a symbolic link that leads outside' "report: outward symlink rejected"
expect_in $R '"complete": true' "report: complete"
checks=$((checks + 1)); [ ! -e escape.txt ] && [ ! -e /tmp/abs-escape.txt ] && [ ! -e out-mixed/tmp ] \
  || fail "an unsafe entry was written"
expect_in "$TMP/err" "xlate batch: 8 documents, $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["segments"])' $R) segments, 0 failed, 1 skipped, 3 rejected (see the report), 0 resumed" \
  "summary line when stderr is not a terminal, skipped and rejected entries counted"
expect_in "$TMP/err" "xlate: no translator in the chain: the targets are the sources with the glossary's terms in place" \
  "a glossary-only chain says what its targets are"
expect_eq "$(wc -l <"$TMP/err")" 2 "nothing but that note and the summary when stderr is not a terminal"
# The combined TMX: valid, one <tu> a segment, ids running on across documents.
segs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["segments"])' $R)
expect_eq "$(grep -c '<tu ' mixed.tmx)" "$segs" "combined TMX has every segment"
expect_eq "$(grep -o 'tuid="[0-9]*"' mixed.tmx | sort -u | wc -l)" "$segs" "combined TMX ids are unique"
expect_status 0 "combined TMX valid against tmx14.dtd" -- xmllint --noout --dtdvalid "$DTD" mixed.tmx

# -j 1 gives the same bytes as -j 2: outputs, report and combined TMX.
expect_status 0 "mixed tar.gz -j 1" -- "$XLATE" batch $G -j 1 --format jsonl --format tmx \
  --combined mixed-j1.tmx mixed.tar.gz -o out-mixed-j1
expect_status 0 "-j 1 and -j 2 give identical output" -- diff -r out-mixed out-mixed-j1
expect_status 0 "-j 1 and -j 2 give identical combined TMX" -- cmp mixed.tmx mixed-j1.tmx

# The same into an archive: its kind follows the name.
expect_status 0 "output archive" -- "$XLATE" batch --format jsonl --format tmx mixed.tar.gz -o mixed-out.tar.zst
expect_eq "$(tar --zstd -tf mixed-out.tar.zst | sort | tr '\n' ' ')" \
  "$(cd out-mixed && find . -type f ! -name report.json | sed 's|^\./||' | sort | tr '\n' ' ')" \
  "output .tar.zst holds the same files"
checks=$((checks + 1)); [ -f mixed-out.tar.zst.report.json ] && [ ! -e mixed-out.tar.zst.partial ] \
  || fail "report beside the output archive, staging folder gone"
# SOURCE_DATE_EPOCH is the time of every packed entry, so that two runs give the same bytes.
for n in 1 2; do
  expect_status 0 "output archive with SOURCE_DATE_EPOCH ($n)" -- \
    env SOURCE_DATE_EPOCH=1234567890 "$XLATE" batch --format jsonl mixed.tar.gz -o dated-$n.tar
done
expect_eq "$(python3 -c 'import sys, tarfile; print(sorted({m.mtime for m in tarfile.open(sys.argv[1])}))' dated-1.tar)" \
  "[1234567890]" "SOURCE_DATE_EPOCH stamps the packed entries"
expect_status 0 "two runs under SOURCE_DATE_EPOCH give the same archive" -- cmp dated-1.tar dated-2.tar

# --- UTF-16/32 without a BOM is text, binary data is skipped: from a folder and from a tar -------
for input in unicode-dir unicode.tar; do
  out=out-${input//./-}
  expect_status 0 "$input: UTF-16/32 without BOM and binary data" -- \
    "$XLATE" batch $G -j 1 --format tsv $input -o $out
  expect_in "$TMP/err" "0 failed, 2 skipped, 0 rejected (see the report)" "$input: summary counts the skipped"
  R=$out/report.json
  for enc in utf16be utf16le utf32le; do
    expect_status 0 "$input: $enc translated as its UTF-8 twin" -- \
      cmp $out/u/utf8.uk-en.tsv $out/u/$enc.uk-en.tsv
  done
  expect_in $R '"path":"u/utf16be.txt","status":"ok","encoding":"UTF-16BE"' "$input: UTF-16BE read"
  expect_in $R '"path":"u/prog","status":"skipped","reason":"binary data (control character 0x7f at offset 0), not text"' \
    "$input: the executable skipped, the sign named"
  expect_in $R '"path":"u/ctl.txt","status":"skipped","reason":"binary data (control character 0x02 at offset 4), not text"' \
    "$input: a control character no text has"
  checks=$((checks + 1)); [ "$(wc -l < $out/u/utf8.uk-en.tsv)" -gt 2 ] || fail "$input: no records"
done
# run and detect say of each file what batch says
expect_status 1 "run on the folder's files" -- "$XLATE" run $G unicode-dir/u/utf16be.txt unicode-dir/u/prog
expect_in "$TMP/err" "unicode-dir/u/prog: binary data (control character 0x7f at offset 0), not text" "run refuses what batch skips"
expect_status 1 "detect on the folder's files" -- "$XLATE" detect unicode-dir/u/utf16le.txt unicode-dir/u/ctl.txt
expect_in "$TMP/out" "unicode-dir/u/utf16le.txt: UTF-16LE" "detect reads what batch reads"
expect_in "$TMP/out" "unicode-dir/u/ctl.txt: binary data (control character 0x02 at offset 4), not text" "detect reports what batch skips"

# --- a zip with cp1251 files ------------------------------------------------------------------
expect_status 0 "cp1251 zip" -- "$XLATE" batch --format tsv cp1251.zip -o out-zip
expect_in "out-zip/листи/перший.uk-en.tsv" "$(python3 -c 'import sys; print(sys.argv[1].split("\n\n")[5].split()[0])' "$(cat "$SAMPLE")")" "zip cp1251 entry in UTF-8"
expect_eq "$(grep -c '"encoding":"windows-1251"' out-zip/report.json)" 2 "zip: both entries cp1251"

# --- bad archives -----------------------------------------------------------------------------
expect_status 1 "zip bomb" -- "$XLATE" batch bomb.zip -o out-bomb
expect_in out-bomb/report.json '"path":"bomb.txt","status":"failed","error":"compression ratio above 100:1' "bomb stopped by the ratio"
expect_in out-bomb/report.json '"path":"ok.txt","status":"ok"' "the batch goes on after a bomb"
expect_status 1 "bomb under --max-doc-size" -- "$XLATE" batch --max-doc-size 1M --max-ratio 1000000 bomb.zip -o out-bomb2
expect_in out-bomb2/report.json 'too large: 40.0 MiB uncompressed, the limit is 1.0 MiB (raise it with --max-doc-size)' "size limit named"

expect_status 1 "corrupt archive" -- "$XLATE" batch corrupt.tar.gz -o out-corrupt
expect_in "$TMP/err" "corrupt.tar.gz: the archive is corrupt or truncated" "corrupt archive named"
expect_in out-corrupt/report.json '"complete": false' "corrupt: report says incomplete"
expect_in out-corrupt/report.json '"input_error": "' "corrupt: report has the error"
checks=$((checks + 1)); [ "$(count_files out-corrupt/n)" -gt 10 ] || fail "corrupt: entries before the damage done"

expect_status 0 "empty archive" -- "$XLATE" batch empty.tar.gz -o out-empty
expect_in out-empty/report.json '"entries": 0' "empty archive: empty report"
expect_status 1 "not an archive" -- "$XLATE" batch "$SAMPLE" -o out-x
expect_in "$TMP/err" "not an archive xlate can read" "not an archive: message"

# --- a planted link in OUTPUT never carries a write outside ------------------------------------
mkdir -p out-trap elsewhere && ln -s "$TMP/elsewhere" out-trap/news
expect_status 1 "link planted in OUTPUT" -- "$XLATE" batch --format tsv mixed.tar.gz -o out-trap
expect_eq "$(ls elsewhere | wc -l)" 0 "nothing written through the planted link"
expect_in out-trap/report.json 'is a symbolic link or not a folder' "planted link reported"

# --- a document that fails, a list on stdin, usage errors, progress events -----------------------
mkdir -p docs/sub && cp "$SAMPLE" docs/sub/a.txt && printf 'bad \xff byte\n' > docs/bad.txt
expect_status 1 "undecodable document" -- "$XLATE" batch --encoding utf-8 docs -o out-docs
expect_in out-docs/report.json '"path":"bad.txt","status":"failed"' "failed document reported"
expect_in out-docs/report.json 'byte' "failure names the byte"
checks=$((checks + 1)); [ -s out-docs/sub/a.uk-en.tsv ] || fail "the other document is done"
printf '%s\n' docs/sub/a.txt > list.txt
expect_status 0 "list of paths on stdin" -- sh -c "\"$XLATE\" batch --progress json - -o out-list < list.txt"
checks=$((checks + 1)); [ -s out-list/docs/sub/a.uk-en.tsv ] || fail "list: output mirrored"
expect_in "$TMP/err" '{"event":"document","path":"docs/sub/a.txt","status":"ok"' "json progress event"
expect_in "$TMP/err" '"event":"end"' "json end event"
expect_status 0 "batch --help" -- "$XLATE" batch --help
expect_in "$TMP/out" "-o, --output OUTPUT   where the results go" "batch --help says what -o is for batch"
expect_in "$TMP/out" "report.json, and .xlate-state/" "batch --help names what goes into OUTPUT"
expect_not_in "$TMP/out" "instead of standard output" "batch --help does not describe run's -o"
expect_status 2 "no -o" -- "$XLATE" batch docs
expect_status 2 "bad shard" -- "$XLATE" batch --shard 3/3 docs -o x
expect_status 2 "unknown plugin" -- "$XLATE" batch --plugin nosuch docs -o x

# --- shards add up to the whole -----------------------------------------------------------------
expect_status 0 "unsharded" -- "$XLATE" batch -j 2 many.tar.gz -o out-all
for k in 0 1 2; do
  expect_status 0 "shard $k/3" -- "$XLATE" batch -j 2 --shard $k/3 many.tar.gz -o out-shards
done
expect_status 0 "three shards give exactly the unsharded output" -- \
  diff -r -x 'report*.json' out-all out-shards
n_docs=$(cat out-shards/report.shard-*-of-3.json | grep -c '"status":"ok"')
expect_eq "$n_docs" 300 "every document in exactly one shard's report"

# --- --resume goes on only with the options the outputs were made with ----------------------------
# A document that fails keeps OUTPUT's journal, so the batch can be resumed without a clock.
mkdir -p rdocs && for i in 1 2 3; do
  python3 -c 'import sys; print(open(sys.argv[1]).read().split("\n\n")[int(sys.argv[2])])' "$SAMPLE" $i > rdocs/d$i.txt
done
printf 'bad \xff byte\n' > rdocs/zz-bad.txt
head -c 4000 "$SRC_ROOT/plugins/glossary/data/oboz-uk-en.tsv" | sed '$d' > terms.tsv
cp "$SRC_ROOT/core/segment/rules/default.srx" rules.srx
# One worker: what is tested here is the record, not the workers.
RUN="-j 1 --encoding utf-8 --format tsv --plugin glossary:file=terms.tsv rdocs"
snapshot() { (cd "$1" && find . -printf '%p %y %s %T@\n' | sort && find . -type f -exec md5sum {} + | sort); }
sha() { printf 'sha256:%s' "$(sha256sum "$1" | cut -c1-16)"; }
expect_status 1 "a batch with a failed document" -- "$XLATE" batch $RUN -o out-rec
expect_in out-rec/.xlate-state/all/config "$(printf 'plugin 1 (glossary) file\tterms.tsv %s' "$(sha terms.tsv)")" \
  "the record holds the term map's name and hash"
snapshot out-rec > rec-before
# refused: another plugin option, another term map, another --to, another --srx, another format
# and another chain — each named with its old and its new value
expect_status 2 "resume with another plugin option" -- \
  "$XLATE" batch ${RUN/terms.tsv/terms.tsv,stem=off} --resume -o out-rec
expect_in "$TMP/err" "out-rec: --resume with other options than its outputs were made with: " "refusal says why"
expect_in "$TMP/err" "plugin 1 (glossary) stem: on → off" "another plugin option: named, old and new value"
expect_in "$TMP/err" "run without --resume to make every output again" "refusal says what to do"
old_sha=$(sha terms.tsv); printf 'Брюссель\tBrussels\t\t\t\n' >> terms.tsv
expect_status 2 "resume with another term map" -- "$XLATE" batch $RUN --resume -o out-rec
expect_in "$TMP/err" "plugin 1 (glossary) file: terms.tsv $old_sha → terms.tsv $(sha terms.tsv)" \
  "another term map's content: named by its hashes"
sed -i '$d' terms.tsv
expect_status 2 "resume with another --to" -- "$XLATE" batch $RUN --to es --resume -o out-rec
expect_in "$TMP/err" "--to: en → es" "another --to: named"
expect_status 2 "resume with another --srx" -- "$XLATE" batch $RUN --srx rules.srx --resume -o out-rec
expect_in "$TMP/err" "--srx: built-in rules $(sha rules.srx) → rules.srx $(sha rules.srx)" \
  "--srx: the built-in rules and a copy of them, the same hash and another source"
expect_status 2 "resume with another format and chain" -- \
  "$XLATE" batch $RUN --format jsonl --plugin glossary --resume -o out-rec
expect_in "$TMP/err" "--format: tsv → tsv,jsonl" "another format: named"
expect_in "$TMP/err" "plugins: glossary → glossary glossary" "another chain: named"
expect_in "$TMP/err" "plugin 2 (glossary): (none) → glossary 1.0.0+map." "the added plugin: named"
snapshot out-rec > rec-after
expect_status 0 "refused resumes leave OUTPUT untouched" -- cmp rec-before rec-after
# the same options, written another way, resume
expect_status 1 "resume with the same options" -- "$XLATE" batch $RUN --resume -o out-rec
expect_in "$TMP/err" "3 resumed" "the same options: the done documents are resumed"
printf 'fixed now\n' > rdocs/zz-bad.txt
expect_status 0 "resume with the options written another way" -- \
  "$XLATE" batch ${RUN/terms.tsv/terms.tsv,stem=yes} --encoding UTF8 --format tsv --resume -o out-rec
checks=$((checks + 1)); [ ! -e out-rec/.xlate-state ] || fail "a complete batch leaves no state"
expect_status 0 "a fresh batch" -- "$XLATE" batch $RUN -o out-rec-fresh
expect_status 0 "resumed outputs = a fresh batch's" -- diff -r -x report.json out-rec out-rec-fresh
# the built-in term map is recorded by its hash, which the glossary's version carries
printf 'bad \xff byte\n' > rdocs/zz-bad.txt
expect_status 1 "a batch with the built-in map" -- "$XLATE" batch -j 1 --encoding utf-8 $G rdocs -o out-rec-builtin
map_sha=$(sha256sum "$SRC_ROOT/plugins/glossary/data/oboz-uk-en.tsv" | cut -c1-12)
expect_in out-rec-builtin/.xlate-state/all/config "$(printf 'plugin 1 (glossary)\tglossary 1.0.0+map.%s' $map_sha)" \
  "the record holds the built-in map's hash"

# --- resume after kill -9 and after SIGINT gives the uninterrupted result -------------------------
expect_status 0 "uninterrupted" -- "$XLATE" batch -j 2 --combined all.tmx many.tar.gz -o out-ref
# SIGNAL OUTDIR: a batch reads the archive from a pipe that delivers only its first half and then
# waits; once 30 documents are in the journal the batch gets SIGNAL — always mid-batch, however
# fast the machine.
gzip -dc many.tar.gz > many.tar
mkfifo half.tar
interrupt() {
  "$XLATE" batch -j 2 --combined "$2.tmx" half.tar -o "$2" 2>"$2.err" &
  local pid=$! i
  ( head -c $(( $(stat -c %s many.tar) / 2 )) many.tar; exec sleep 120 ) > half.tar &
  local feeder=$!
  for i in $(seq 1 3000); do
    [ "$(cat "$2/.xlate-state/all/journal" 2>/dev/null | wc -l)" -ge 30 ] && break
    sleep 0.01
  done
  kill -"$1" $pid
  kill $feeder 2>/dev/null
  wait $pid
  local rc=$?
  wait $feeder 2>/dev/null
  return $rc
}
interrupt KILL out-k9
done_k9=$(find out-k9 -name '*.uk-en.tsv' | wc -l)
checks=$((checks + 1)); [ ! -e out-k9/report.json ] && [ "$done_k9" -ge 30 ] && [ "$done_k9" -lt 300 ] \
  || fail "kill -9 landed mid-batch ($done_k9 documents done)"
expect_status 0 "resume after kill -9" -- "$XLATE" batch -j 2 --resume --combined out-k9.tmx many.tar.gz -o out-k9
expect_in "$TMP/err" "resumed" "summary counts resumed documents"
checks=$((checks + 1)); grep -q ' 0 resumed' "$TMP/err" && fail "resume did nothing"
expect_status 0 "resume after kill -9 = uninterrupted" -- diff -r out-ref out-k9
expect_status 0 "resumed combined TMX = uninterrupted" -- cmp all.tmx out-k9.tmx

interrupt INT out-int
expect_eq "$?" 1 "SIGINT: exit status 1"
expect_in out-int.err "--resume" "SIGINT: says how to finish"
expect_in out-int/report.json '"complete": false' "SIGINT: report says incomplete"
expect_status 0 "resume after SIGINT" -- "$XLATE" batch -j 1 --resume --combined out-int.tmx many.tar.gz -o out-int
expect_status 0 "resume after SIGINT = uninterrupted" -- diff -r out-ref out-int
expect_status 0 "resumed combined TMX after SIGINT" -- cmp all.tmx out-int.tmx

finish
