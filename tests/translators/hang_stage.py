#!/usr/bin/env python3
"""A pipeline stage for the translator tests' hang case: it passes Apertium null-flush units
through unchanged (so a mode file made of it alone is an identity pair) and stops answering,
without exiting, at the first unit that contains HANG, as a stuck engine stage does.
Accepts and ignores -z, which the apertium plugin adds to every stage."""
import sys
import time

buf = b''
while True:
    chunk = sys.stdin.buffer.read1(65536)
    if not chunk:
        break
    buf += chunk
    while b'\0' in buf:
        unit, buf = buf.split(b'\0', 1)
        if b'HANG' in unit:
            time.sleep(3600)
        sys.stdout.buffer.write(unit + b'\0')
        sys.stdout.buffer.flush()
