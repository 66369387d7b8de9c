#!/usr/bin/env python3
"""A counting test engine for the exec plugin (lines protocol): each segment romanized by the
sample engine (samples/engines/uk-latin.py, the national romanization), deterministic, so that a
translation memory's answer can be told from a fresh one only by the engine's call count.

Every segment it answers is appended, as one line "PID<TAB>SEGMENT", to the file named by
TM_ENGINE_LOG (under an exclusive lock: parallel batch workers each run their own engine), so a
test counts the calls and sees which segments the engine was asked for.

TM_ENGINE_HOLD_AT=TEXT (optional): given the segment TEXT, the engine creates the file
TM_ENGINE_LOG.held, answers nothing more and only reads its input until the end, then exits: a batch
stays in the middle of its work, as long as a test needs to kill it there, and no engine outlives
the xlate that started it.
"""
import fcntl
import importlib.util
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "uk_latin", os.path.join(here, "..", "..", "samples", "engines", "uk-latin.py"))
uk_latin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(uk_latin)

log_path = os.environ.get("TM_ENGINE_LOG")
if not log_path:
    sys.exit("engine.py: set TM_ENGINE_LOG to the file that counts the calls")
hold_at = os.environ.get("TM_ENGINE_HOLD_AT")


def record(line):
    """Appends the call to the log; False when it is the segment to hold at."""
    if hold_at is not None and line == hold_at:
        open(log_path + ".held", "w").close()
        return False
    with open(log_path, "a", encoding="utf-8") as log:
        fcntl.flock(log, fcntl.LOCK_EX)
        log.write("%d\t%s\n" % (os.getpid(), line))
        log.flush()
    return True


for raw in sys.stdin:
    line = raw.rstrip("\n")
    if not record(line):
        for _ in sys.stdin:
            pass
        break
    sys.stdout.write(uk_latin.romanize(line) + "\n")
    sys.stdout.flush()
