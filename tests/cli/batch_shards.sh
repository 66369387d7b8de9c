#!/usr/bin/env bash
# Shards a cluster scheduler drives: `xlate batch --shard auto` under the variables Slurm job
# arrays, Kubernetes Indexed Jobs and GNU parallel set, and `--merge-shards` joining the shards'
# reports and combined TMX files into the bytes one unsharded run writes. The input mixes
# documents with entries that are skipped and rejected, in folders and an archive, so that the
# merge has to put every kind of entry back in its place.
. "$(dirname "$0")/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
SAMPLE="$SRC_ROOT/samples/oboz/oboz-stoltenberg.uk.txt"
G="--plugin glossary"
cd "$TMP" || exit 1
# No variable of the machine's own scheduler may leak into the runs below.
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_STEP \
      SLURM_ARRAY_TASK_COUNT JOB_COMPLETION_INDEX PARALLEL_SEQ XLATE_SHARD_INDEX XLATE_SHARD_COUNT

python3 - "$SAMPLE" <<'EOF'
import io, sys, tarfile
paras = [p.strip() for p in open(sys.argv[1], encoding='utf-8').read().split('\n\n') if p.strip()]
def add(t, name, data, kind=tarfile.REGTYPE, link=''):
    i = tarfile.TarInfo(name); i.size = len(data); i.type = kind; i.linkname = link
    t.addfile(i, io.BytesIO(data))
with tarfile.open('news.tar.gz', 'w:gz', format=tarfile.PAX_FORMAT) as t:
    for i in range(40):
        add(t, 'z%d/doc-%02d.txt' % (i % 3, i), (paras[i % len(paras)] + '\n\nНовина %d.\n' % i).encode())
        if i % 13 == 5:
            add(t, 'bin/photo-%d.png' % i, b'\x89PNG\r\n\x1a\n\x00\x00' + bytes(range(256)))
        if i % 17 == 3:
            add(t, '../escape-%d.txt' % i, b'outside')
EOF

# --- the whole, in one run ----------------------------------------------------------------------
expect_status 0 "one run" -- \
  "$XLATE" batch $G -q --format jsonl --combined all.tmx news.tar.gz -o out-all
expect_in out-all/report.json '"status":"skipped"' "the input has skipped entries"
expect_in out-all/report.json '"status":"rejected"' "the input has rejected entries"
expect_not_in out-all/report.json '"entry"' "an unsharded report has no entry numbers"

# --- Slurm: an array 0-2 ------------------------------------------------------------------------
for k in 0 1 2; do
  expect_status 0 "slurm task $k" -- env SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=0 \
    SLURM_ARRAY_TASK_MAX=2 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_STEP=1 \
    "$XLATE" batch $G -q --format jsonl --shard auto --combined slurm-$k.tmx news.tar.gz -o out-slurm
done
expect_eq "$(ls out-slurm/report.shard-*-of-3.json | wc -l)" 3 "three Slurm shards, three reports"
expect_in out-slurm/report.shard-1-of-3.json '{"entry":' "a shard's report numbers its entries"
expect_status 0 "merge the Slurm shards" -- \
  "$XLATE" batch --merge-shards --combined slurm.tmx out-slurm slurm-0.tmx slurm-2.tmx slurm-1.tmx -o out-slurm
expect_in "$TMP/err" "3 shards merged" "the merge says what it joined"
expect_status 0 "the merged report is the single run's, byte for byte" -- \
  cmp out-slurm/report.json out-all/report.json
expect_status 0 "the merged TMX is the single run's, byte for byte" -- cmp slurm.tmx all.tmx
expect_status 0 "the shards' outputs are the single run's" -- \
  diff -r -x 'report*.json' out-all out-slurm

# A Slurm array counted from 1 in steps of 2 (--array=1-5:2) is the same three shards.
for id in 1 3 5; do
  expect_status 0 "slurm --array=1-5:2 task $id" -- env SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=5 SLURM_ARRAY_TASK_STEP=2 SLURM_ARRAY_TASK_COUNT=3 \
    "$XLATE" batch $G -q --format jsonl --shard auto news.tar.gz -o out-step
done
expect_status 0 "merge the stepped array" -- "$XLATE" batch -q --merge-shards out-step -o out-step
expect_status 0 "a stepped array merges to the same report" -- cmp out-step/report.json out-all/report.json

# --- Kubernetes: an Indexed Job of 3 completions ------------------------------------------------
for k in 0 1 2; do
  expect_status 0 "kubernetes index $k" -- env JOB_COMPLETION_INDEX=$k \
    "$XLATE" batch $G -q --format jsonl --shard auto/3 --combined k8s-$k.tmx news.tar.gz -o out-k8s-$k
done
expect_status 0 "merge shards written to separate folders" -- \
  "$XLATE" batch -q --merge-shards --report k8s.json --combined k8s.tmx \
  out-k8s-2/report.shard-2-of-3.json out-k8s-0/report.shard-0-of-3.json \
  out-k8s-1/report.shard-1-of-3.json k8s-1.tmx k8s-0.tmx k8s-2.tmx
expect_status 0 "Kubernetes shards merge to the single run's report" -- cmp k8s.json out-all/report.json
expect_status 0 "and to its TMX" -- cmp k8s.tmx all.tmx
expect_status 2 "Kubernetes gives no count: --shard auto alone is refused" -- \
  env JOB_COMPLETION_INDEX=0 "$XLATE" batch $G -q --shard auto news.tar.gz -o out-bad
expect_in "$TMP/err" "JOB_COMPLETION_INDEX" "the message names the variable"
expect_in "$TMP/err" "--shard auto/N" "and says what to do"
expect_status 0 "XLATE_SHARD_COUNT gives the count instead" -- env JOB_COMPLETION_INDEX=2 \
  XLATE_SHARD_COUNT=3 "$XLATE" batch $G -q --format jsonl --shard auto news.tar.gz -o out-k8s-env
expect_status 0 "the same shard as auto/3" -- diff -r out-k8s-env out-k8s-2 -x '.xlate-state'

# --- GNU parallel: PARALLEL_SEQ counts from 1 ---------------------------------------------------
for seq in 1 2 3; do
  expect_status 0 "parallel job $seq" -- env PARALLEL_SEQ=$seq \
    "$XLATE" batch $G -q --format jsonl --shard auto/3 news.tar.gz -o out-par
done
expect_status 0 "merge the parallel shards" -- "$XLATE" batch -q --merge-shards out-par -o out-par
expect_status 0 "GNU parallel's shards merge to the single run's report" -- \
  cmp out-par/report.json out-all/report.json

# --- what the shards sent to network services adds up to what one run sends -------------------
U="--plugin-path $PLUGIN_DIR --plugin testusage"
expect_status 0 "unsharded, with a translator that counts usage" -- \
  "$XLATE" batch $U -q --format jsonl news.tar.gz -o out-usage-all
for k in 0 1 2; do
  expect_status 0 "usage shard $k/3" -- "$XLATE" batch $U -q --format jsonl --shard $k/3 news.tar.gz -o out-usage
done
expect_status 0 "merge the usage shards" -- "$XLATE" batch -q --merge-shards out-usage -o out-usage
expect_in out-usage/report.json '"usage": {"testnet": {"requests": ' "the merged report has the usage"
expect_status 0 "the shards' usage sums to the single run's" -- \
  cmp out-usage/report.json out-usage-all/report.json

# --- what is refused ---------------------------------------------------------------------------
expect_status 2 "no scheduler in the environment" -- "$XLATE" batch $G --shard auto news.tar.gz -o x
expect_in "$TMP/err" "SLURM_ARRAY_TASK_ID" "the message lists what it looked for"
expect_status 2 "a Slurm array that is not a range" -- env SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_MIN=1 \
  SLURM_ARRAY_TASK_MAX=9 SLURM_ARRAY_TASK_COUNT=4 "$XLATE" batch $G --shard auto news.tar.gz -o x
expect_in "$TMP/err" "not one even range" "the message says why"
expect_status 2 "auto/N against a Slurm count" -- env SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=3 \
  "$XLATE" batch $G --shard auto/4 news.tar.gz -o x
expect_status 2 "PARALLEL_SEQ beyond the count" -- env PARALLEL_SEQ=4 \
  "$XLATE" batch $G --shard auto/3 news.tar.gz -o x
expect_status 1 "a shard missing" -- "$XLATE" batch -q --merge-shards --report m.json \
  out-k8s-0/report.shard-0-of-3.json out-k8s-2/report.shard-2-of-3.json
expect_in "$TMP/err" "shard 1 of 3 is missing" "the message names the missing shard"
expect_status 1 "a shard given twice" -- "$XLATE" batch -q --merge-shards --report m.json \
  out-k8s-0/report.shard-0-of-3.json out-k8s-0/report.shard-0-of-3.json out-k8s-2/report.shard-2-of-3.json
expect_in "$TMP/err" "given twice" "the message says so"
expect_status 1 "an unsharded report is no shard" -- "$XLATE" batch -q --merge-shards --report m.json \
  out-all/report.json
expect_in "$TMP/err" "out-all/report.json, line" "the message names the file and line"
expect_status 1 "a TMX of another shard's documents out of place" -- \
  "$XLATE" batch -q --merge-shards --report m.json --combined m.tmx out-slurm slurm-0.tmx slurm-0.tmx slurm-2.tmx
[ -e m.json ] && fail "a failed merge wrote the report"
[ -e m.tmx ] && fail "a failed merge wrote the TMX"
expect_status 2 "TMX files without --combined" -- "$XLATE" batch --merge-shards out-slurm slurm-0.tmx -o out-slurm
expect_status 2 "neither -o nor --report" -- "$XLATE" batch --merge-shards out-slurm

finish
