#!/bin/sh
# score.sh GOLD.links PRED.tsv: precision, recall and F1 of the alignment links of PRED (the TSV of
# `xlate align`: its src and tgt columns) against GOLD (tests/align/gold/README.md). A bead of n
# source and m target sentences is its n×m links; an unaligned sentence makes none. Prints
# "links_gold links_pred links_correct".
awk -F '\t' '
function links(s, t, tag,    a, b, na, nb, i, j) {
    if (s == "" || s == "-" || t == "" || t == "-") return
    na = split(s, a, ","); nb = split(t, b, ",")
    for (i = 1; i <= na; i++) for (j = 1; j <= nb; j++) set[tag, a[i] "-" b[j]] = 1
}
FNR == 1 { file++ }
file == 1 && !/^#/ { links($1, $2, "g") }
file == 2 && FNR > 1 { links($1, $2, "p") }
END {
    for (k in set) { split(k, part, SUBSEP); n[part[1]]++; key[part[1], part[2]] = 1 }
    for (k in key) { split(k, part, SUBSEP); if (part[1] == "p" && (("g", part[2]) in key)) c++ }
    printf "%d %d %d\n", n["g"], n["p"], c
}' "$1" "$2"
