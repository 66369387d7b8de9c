#!/usr/bin/env python3
"""A pipeline stage for the translator tests' stage-kill case: it passes Apertium null-flush units
through unchanged and, at the first unit that contains XGATEX, writes DIR/reached and holds that
unit until DIR/open exists. While it holds, the run is known to be mid-document with units in
the stages before it, which is the moment the test kills one of them. Once DIR/open exists (a
restarted pipeline's gate included) it holds nothing.
Usage: gate_stage.py [-z] DIR; -z, which the apertium plugin adds to every stage, is ignored."""
import os
import sys
import time

gate_dir = [a for a in sys.argv[1:] if a != "-z"][0]
opened = os.path.join(gate_dir, "open")
buf = b''
while True:
    chunk = sys.stdin.buffer.read1(65536)
    if not chunk:
        break
    buf += chunk
    while b'\0' in buf:
        unit, buf = buf.split(b'\0', 1)
        if b'XGATEX' in unit and not os.path.exists(opened):
            with open(os.path.join(gate_dir, "reached"), "w") as f:
                f.write(str(os.getpid()))
            # Waits for the test's evidence file, not for a time: the test opens the gate only
            # after its kill has landed.
            while not os.path.exists(opened):
                time.sleep(0.01)
        sys.stdout.buffer.write(unit + b'\0')
        sys.stdout.buffer.flush()
