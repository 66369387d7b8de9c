#!/bin/bash
# What -o and every other output path may become (core/base/outfile.h): a regular file is replaced
# whole, and only when the run could write all of it; a device, a FIFO, /dev/fd/N and a link's
# target are written in place and stay what they are. The device nodes are made here, in the
# test's own folder, never the machine's /dev: making them needs root, and without root this test
# fails rather than skips.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

if ! mknod null c 1 3 || ! mknod full c 1 7 || ! mkfifo fifo; then
  echo "FAIL: output_paths.sh makes device nodes with mknod and must run as root" >&2
  exit 1
fi

is_node() { # TYPE PATH DESCRIPTION: PATH is still a character device (c), FIFO (p) or link (L)
  checks=$((checks + 1))
  test -"$1" "$2" || fail "$3: $2 is no longer what it was: $(stat -c %F "$2" 2>&1)"
}

# Enough text that the output is larger than a pipe's buffer (64 KiB).
for i in $(seq 1 1500); do
  echo "Речення номер $i про переклад. Ще одне речення, щоб рядок був довшим."
done > big.txt
printf 'Привіт. Як справи?\n' > small.txt
expect_status 0 "reference output" -- "$XLATE" run -o want.tsv big.txt
checks=$((checks + 1)); [ "$(stat -c %s want.tsv)" -gt 65536 ] || fail "the reference output is small"

# --- character devices: written in place, never replaced ----------------------------------------
expect_status 0 "-o onto a null device" -- "$XLATE" run -o "$TMP/null" big.txt
is_node c null "-o null"
expect_status 1 "-o onto a full device" -- "$XLATE" run -o "$TMP/full" small.txt
expect_in err "$TMP/full: cannot write: No space left on device" "a full device is named with the reason"
is_node c full "-o full"
for cmd in normalize segment; do
  expect_status 0 "$cmd -o onto a null device" -- "$XLATE" $cmd -o "$TMP/null" small.txt
  is_node c null "$cmd -o null"
  expect_status 1 "$cmd -o onto a full device" -- "$XLATE" $cmd -o "$TMP/full" small.txt
  expect_in err "$TMP/full: cannot write: No space left on device" "$cmd: a full device is named"
  is_node c full "$cmd -o full"
done

# --- a FIFO gets the whole output and stays a FIFO ----------------------------------------------
# fifo_run FIFO OUT -- COMMAND...: runs COMMAND while `cat FIFO` copies what comes through into
# OUT; returns COMMAND's exit status.
fifo_run() {
  local fifo=$1 got=$2 reader rc; shift 3
  cat "$fifo" > "$got" &
  reader=$!
  "$@" >out 2>err
  rc=$?
  if [ -p "$fifo" ]; then
    # A writer that came and went lets the reader end even if the command never opened the FIFO.
    exec 9<>"$fifo"
    exec 9>&-
  else
    kill $reader 2>/dev/null # the FIFO was replaced: its reader would wait for ever
  fi
  wait $reader
  return $rc
}
fifo_run fifo fifo.got -- "$XLATE" run -o "$TMP/fifo" big.txt
expect_eq "$?" 0 "-o onto a FIFO: exit status"
is_node p fifo "-o fifo"
expect_status 0 "the FIFO's reader got the whole output" -- cmp fifo.got want.tsv

# --- /dev/fd/N, and a link like /dev/stdout: the process's own descriptor, at its offset ----------
expect_status 0 "-o /dev/fd/3 with 3>file" -- sh -c '"$1" run -o /dev/fd/3 big.txt 3>fd3.tsv' sh "$XLATE"
expect_status 0 "/dev/fd/3 got the whole output" -- cmp fd3.tsv want.tsv
ln -s /proc/self/fd/1 stdout # what /dev/stdout is, without touching the machine's /dev
expect_status 0 "-o a link to /proc/self/fd/1" -- sh -c '"$1" run -o "$2" big.txt >so.tsv' sh "$XLATE" "$TMP/stdout"
expect_status 0 "standard output got the whole output" -- cmp so.tsv want.tsv
is_node L stdout "-o stdout link"
echo "kept line" > appended.tsv
expect_status 0 "-o /dev/fd/1 with >>" -- sh -c '"$1" run -o /dev/fd/1 small.txt >>appended.tsv' sh "$XLATE"
expect_eq "$(head -n 1 appended.tsv)" "kept line" "what >> opened is appended to, not overwritten"
expect_in appended.tsv "Як справи?" "the output follows it"
expect_status 1 "-o /dev/fd/9 not open" -- "$XLATE" run -o /dev/fd/9 small.txt
expect_in err "/dev/fd/9: descriptor 9 is not open" "a descriptor not open is named"

# --- a symbolic link stays a link; its target gets the output ------------------------------------
mkdir -p real && echo "old target" > real/target.tsv && ln -s real/target.tsv link.tsv
expect_status 0 "-o through a link" -- "$XLATE" run -o "$TMP/link.tsv" big.txt
is_node L link.tsv "-o link"
expect_eq "$(readlink link.tsv)" "real/target.tsv" "the link still points where it did"
expect_status 0 "the link's target got the output" -- cmp real/target.tsv want.tsv
expect_eq "$(ls -A real)" "target.tsv" "nothing else beside the target"
ln -s full link-to-full
expect_status 1 "-o through a link to a full device" -- "$XLATE" run -o "$TMP/link-to-full" small.txt
is_node L link-to-full "link to full"
is_node c full "the full device behind a link"

# --- a regular file is replaced whole, and only by a run that wrote all of it ----------------------
mkdir -p reg && echo "old content" > reg/out.tsv && chmod 640 reg/out.tsv && ln reg/out.tsv reg/hardlink
old_inode=$(stat -c %i reg/out.tsv)
expect_status 0 "-o onto a regular file" -- "$XLATE" run -o "$TMP/reg/out.tsv" big.txt
expect_status 0 "the file has the new output" -- cmp reg/out.tsv want.tsv
checks=$((checks + 1)); [ "$(stat -c %i reg/out.tsv)" != "$old_inode" ] || fail "the file was rewritten in place, not replaced"
expect_eq "$(cat reg/hardlink)" "old content" "the old file is untouched (replaced by rename)"
expect_eq "$(stat -c %a reg/out.tsv)" "640" "the replacing file keeps the permissions"
# A run that cannot write its output (a character the output encoding lacks) leaves the file.
cp reg/out.tsv reg/before.tsv
expect_status 1 "a run that fails to write" -- "$XLATE" run --output-encoding ascii -o "$TMP/reg/out.tsv" small.txt
expect_status 0 "a failed run leaves the old file intact" -- cmp reg/out.tsv reg/before.tsv
expect_eq "$(ls -A reg | sort | tr '\n' ' ')" "before.tsv hardlink out.tsv " "no temporary file is left behind"
expect_status 1 "-o a folder" -- "$XLATE" run -o "$TMP/reg" small.txt
expect_in err "$TMP/reg: is a folder" "a folder is named"

# --- batch: the output folder's files, the combined TMX, the report, an output archive -----------
mkdir -p in/sub && cp small.txt in/a.txt && cp small.txt in/sub/b.txt && cp small.txt in/c.txt
mkdir -p bout/sub && mknod bout/a.uk-en.tsv c 1 3 && ln -s ../../outside.tsv bout/sub/b.uk-en.tsv
expect_status 1 "batch into a folder with a device and a link in it" -- "$XLATE" batch in -o bout
is_node c bout/a.uk-en.tsv "a device at an output name"
is_node L bout/sub/b.uk-en.tsv "a link at an output name"
checks=$((checks + 1)); [ ! -e outside.tsv ] || fail "a write went through a link out of the output folder"
expect_in bout/report.json '"path":"sub/b.txt","status":"failed"' "the document behind the link failed"
expect_in bout/report.json "bout/sub/b.uk-en.tsv: is a symbolic link" "the link is named"
expect_in bout/report.json '"path":"c.txt","status":"ok"' "the other documents are done"
rm -rf bout2 && mkdir bout2 && ln -s ../outside.json bout2/report.json
expect_status 1 "batch with report.json a link" -- "$XLATE" batch in -o bout2
is_node L bout2/report.json "report.json link"
checks=$((checks + 1)); [ ! -e outside.json ] || fail "the report went through a link out of the output folder"
expect_status 1 "batch --combined onto a full device" -- "$XLATE" batch --combined "$TMP/full" in -o bout3
expect_in err "$TMP/full: cannot write: No space left on device" "batch: a full device is named"
is_node c full "batch --combined full"
expect_status 0 "batch --combined /dev/fd/3" -- sh -c '"$1" batch --combined /dev/fd/3 in -o bout4 3>comb.tmx' sh "$XLATE"
expect_in comb.tmx "</tmx>" "the combined TMX went to descriptor 3 whole"
rm -rf in/sub bout*
mkfifo packed.tar
fifo_run packed.tar packed.got -- "$XLATE" batch in -o "$TMP/packed.tar"
expect_eq "$?" 0 "batch into an archive name that is a FIFO: exit status"
is_node p packed.tar "an output archive that is a FIFO"
expect_eq "$(tar tf packed.got | sort | tr '\n' ' ')" "a.uk-en.tsv c.uk-en.tsv " "the FIFO's reader got the whole archive"
ln -s real/linked.tar.gz linked.tar.gz
expect_status 0 "batch into an archive name that is a link" -- "$XLATE" batch in -o "$TMP/linked.tar.gz"
is_node L linked.tar.gz "an output archive that is a link"
expect_eq "$(tar tzf real/linked.tar.gz | sort | tr '\n' ' ')" "a.uk-en.tsv c.uk-en.tsv " "the link's target is the archive"
finish
