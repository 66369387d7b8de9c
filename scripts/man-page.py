#!/usr/bin/env python3
"""Renders one man page: the scdoc source SOURCE with each `@include FILE` line replaced by FILE
(read beside SOURCE; the options several commands share are written once), piped through SCDOC,
written to OUTPUT. Run by meson (docs/man/meson.build)."""
import os
import subprocess
import sys


def expand(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("@include "):
                part = os.path.join(os.path.dirname(path), line.split(None, 1)[1].strip())
                out.append(expand(part))
            else:
                out.append(line)
    return "".join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: man-page.py SCDOC SOURCE OUTPUT")
    scdoc, source, output = sys.argv[1:]
    text = expand(source)
    with open(output, "wb") as out:
        r = subprocess.run([scdoc], input=text.encode("utf-8"), stdout=out)
    if r.returncode != 0:
        os.unlink(output)
        sys.exit("man-page.py: scdoc failed on %s" % source)


if __name__ == "__main__":
    main()
