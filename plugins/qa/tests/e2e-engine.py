#!/usr/bin/env python3
"""A stand-in translation engine for the qa plugin's end-to-end test: answers each line (the exec
plugin's lines protocol) with its translation from the table given as the first argument
(source<TAB>target), and with the line itself when the table has none. The translations carry the
faults the qa checks must find."""
import sys

table = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        source, target = line.rstrip("\n").split("\t")
        table[source] = target
for line in sys.stdin:
    line = line.rstrip("\n")
    print(table.get(line, line), flush=True)
