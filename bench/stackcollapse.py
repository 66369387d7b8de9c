#!/usr/bin/env python3
"""Folds the output of `perf script` into one line per distinct stack ("comm;outer;...;inner N"),
the input format of flame graph renderers, and with --svg draws the flame graph itself as a
self-contained SVG (no FlameGraph package in Debian 12).

Usage: perf script -i perf.data | bench/stackcollapse.py > out.folded
       perf script -i perf.data | bench/stackcollapse.py --svg "title" > out.svg
"""
import collections
import html
import re
import sys


def fold(lines):
    """Yields (stack tuple, count) from perf script's text: a header line, then frames (innermost
    first), then a blank line, per sample."""
    stacks = collections.Counter()
    comm, frames = None, []
    frame = re.compile(r'^\s+[0-9a-f]+\s+(.+?)\s+\((.*)\)$')
    for line in lines:
        line = line.rstrip('\n')
        if not line.strip():
            if comm is not None:
                stacks[(comm,) + tuple(reversed(frames))] += 1
            comm, frames = None, []
        elif not line[0].isspace():
            comm = line.split()[0]
        else:
            m = frame.match(line)
            if m:
                sym = re.sub(r'\+0x[0-9a-f]+$', '', m.group(1))
                if sym == '[unknown]':
                    dso = m.group(2).rsplit('/', 1)[-1]
                    sym = dso if dso.startswith('[') else '[%s]' % dso
                frames.append(sym.replace(';', ':'))
    if comm is not None:
        stacks[(comm,) + tuple(reversed(frames))] += 1
    return stacks


def svg(stacks, title, width=1200, row=16):
    total = sum(stacks.values()) or 1
    tree = {}
    for stack, n in stacks.items():
        node = tree
        for f in stack:
            entry = node.setdefault(f, [0, {}])
            entry[0] += n
            node = entry[1]
    rects = []
    depth_max = [0]

    def walk(node, x, depth):
        for name, (n, kids) in sorted(node.items()):
            w = n * width / total
            if w >= 0.3:
                rects.append((x, depth, w, name, n))
                depth_max[0] = max(depth_max[0], depth)
                walk(kids, x, depth + 1)
            x += w
    walk(tree, 0.0, 0)
    height = (depth_max[0] + 3) * row
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" '
           'font-size="11">' % (width, height),
           '<text x="4" y="13">%s (%d samples)</text>' % (html.escape(title), total)]
    for x, depth, w, name, n in rects:
        y = height - (depth + 1) * row
        hue = 20 + (hash(name) % 40)
        label = html.escape(name)
        out.append('<g><title>%s: %d samples, %.2f%%</title><rect x="%.1f" y="%d" width="%.1f" '
                   'height="%d" fill="hsl(%d,80%%,60%%)" stroke="white" stroke-width="0.5"/>'
                   % (label, n, 100.0 * n / total, x, y, w, row - 1, hue))
        chars = int(w / 7)
        if chars >= 3:
            text = name if len(name) <= chars else name[:chars - 2] + '..'
            out.append('<text x="%.1f" y="%d">%s</text>' % (x + 2, y + row - 4, html.escape(text)))
        out.append('</g>')
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def main():
    stacks = fold(sys.stdin)
    if len(sys.argv) > 2 and sys.argv[1] == '--svg':
        sys.stdout.write(svg(stacks, sys.argv[2]))
    else:
        for stack, n in sorted(stacks.items()):
            sys.stdout.write('%s %d\n' % (';'.join(stack), n))


if __name__ == '__main__':
    main()
