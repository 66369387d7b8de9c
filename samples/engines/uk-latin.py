#!/usr/bin/env python3
"""A command-line engine for xlate's exec plugin: Ukrainian text romanized by the national
transliteration of Ukraine (Cabinet of Ministers resolution 55 of 2010), one segment a line.

It is the sample's stand-in for a machine translation engine that xlate drives through a pipe: it
reads the lines protocol (one segment a line, flushed after each answer) and leaves everything
that is not Cyrillic as it is, so the placeholders xlate puts for glossary terms and inline codes
("[XT3]") come back untouched and the terms and markup land where they belong.

    xlate run --plugin glossary --plugin 'exec:cmd=python3 -u samples/engines/uk-latin.py' \\
        --format doc -o page.latn.html samples/oboz/oboz-stoltenberg.uk.html
"""
import sys

# Letters with one romanization wherever they stand.
PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "",
}
# Letters romanized one way at the start of a word and another inside it.
WORD_START = {"є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia")}
APOSTROPHES = "'\u2019\u02bc"


def is_letter(ch):
    return ch.isalpha() or ch in APOSTROPHES


def romanize_letter(ch, prev):
    low = ch.lower()
    if low in WORD_START:
        first, inner = WORD_START[low]
        out = first if not is_letter(prev) else inner
    elif low in PLAIN:
        out = PLAIN[low]
        # "зг" is written "zgh" so that it is not read as "ж".
        if low == "г" and prev.lower() == "з":
            out = "gh"
    else:
        return None
    return out.capitalize() if ch.isupper() and out else out


def romanize(line):
    out = []
    prev = ""
    for i, ch in enumerate(line):
        if ch in APOSTROPHES and is_letter(prev) and i + 1 < len(line) and line[i + 1].lower() in "єїюя":
            prev = ch
            continue  # the apostrophe before є, ї, ю, я is not written
        r = romanize_letter(ch, prev)
        if r is None:
            out.append(ch)
        else:
            # A capital in an all-capitals word keeps the whole romanization in capitals (НАТО → NATO).
            nxt = line[i + 1] if i + 1 < len(line) else ""
            if ch.isupper() and (prev.isupper() or nxt.isupper()):
                r = r.upper()
            out.append(r)
        prev = ch
    return "".join(out)


def main():
    for line in sys.stdin:
        sys.stdout.write(romanize(line.rstrip("\n")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
