#!/usr/bin/env python3
"""Builds the encoding corpus tests/encoding/files/ and its manifest from the UTF-8 texts in
tests/encoding/texts/ (uk-oboz-sample.txt is a snapshot of samples/oboz/oboz-stoltenberg.uk.txt): every text in every encoding that can hold it (with and without BOM where
the encoding has one), plus mojibake variants (UTF-8 decoded once or twice as a legacy code page,
the way Windows does it: bytes a code page leaves undefined pass through as C1 controls).

    python3 scripts/gen-encoding-corpus.py

manifest.tsv columns: file, accepted encodings (|-separated; Russian text is byte-identical in
KOI8-R and KOI8-U, in IBM866 and CP1125), expected text (the original under texts/), mojibake
rounds the decoder must undo.
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "tests", "encoding")

# (file suffix, Python codec, accepted names, BOM bytes to prepend)
UNICODE_FORMS = [
    ("utf-8", "utf-8", "UTF-8", b""),
    ("utf-8-bom", "utf-8", "UTF-8", b"\xef\xbb\xbf"),
    ("utf-16le-bom", "utf-16-le", "UTF-16LE", b"\xff\xfe"),
    ("utf-16le", "utf-16-le", "UTF-16LE", b""),
    ("utf-16be", "utf-16-be", "UTF-16BE", b""),
    ("utf-32le-bom", "utf-32-le", "UTF-32LE", b"\xff\xfe\x00\x00"),
    ("utf-32be", "utf-32-be", "UTF-32BE", b""),
]
CYRILLIC = [
    ("cp1251", "cp1251", "windows-1251"),
    ("koi8-u", "koi8_u", "KOI8-U"),
    ("koi8-r", "koi8_r", "KOI8-R"),
    ("cp1125", "cp1125", "CP1125"),
    ("cp866", "cp866", "IBM866"),
    ("iso-8859-5", "iso8859_5", "ISO-8859-5"),
    ("mac-cyrillic", "mac_cyrillic", "x-mac-cyrillic|x-mac-ukrainian"),
]
WESTERN = [
    ("cp1252", "cp1252", "windows-1252|ISO-8859-1"),
    ("iso-8859-1", "latin-1", "windows-1252|ISO-8859-1"),
]
# Russian text reads the same in these pairs, so either answer is right.
SAME_FOR_RUSSIAN = {"KOI8-R": "KOI8-R|KOI8-U", "KOI8-U": "KOI8-R|KOI8-U",
                    "IBM866": "IBM866|CP1125", "CP1125": "IBM866|CP1125"}
MOJIBAKE = [
    (("cp1251",), 1), (("koi8_r",), 1), (("cp1252",), 1), (("latin-1",), 1),
    (("cp1251", "cp1252"), 2), (("cp1251", "cp1251"), 2),
]


def windows_decode(data, codec):
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def main():
    files_dir = os.path.join(BASE, "files")
    os.makedirs(files_dir, exist_ok=True)
    for old in os.listdir(files_dir):
        os.remove(os.path.join(files_dir, old))
    rows = []

    def emit(name, data, accepted, text_name, rounds=0):
        with open(os.path.join(files_dir, name), "wb") as f:
            f.write(data)
        rows.append((name, accepted, "texts/" + text_name, str(rounds)))

    for text_name in sorted(os.listdir(os.path.join(BASE, "texts"))):
        with open(os.path.join(BASE, "texts", text_name), encoding="utf-8") as f:
            text = f.read()
        stem = text_name[:-4]
        lang = stem.split("-")[0]
        for suffix, codec, accepted, bom in UNICODE_FORMS:
            emit("%s.%s.txt" % (stem, suffix), bom + text.encode(codec), accepted, text_name)
        for suffix, codec, accepted in CYRILLIC + WESTERN:
            try:
                data = text.encode(codec)
            except UnicodeEncodeError:
                continue  # the code page cannot hold this text
            if data == text.encode("ascii", "ignore"):
                continue  # pure ASCII is UTF-8
            if lang == "ru":
                accepted = SAME_FOR_RUSSIAN.get(accepted, accepted)
            emit("%s.%s.txt" % (stem, suffix), data, accepted, text_name)
        if stem.endswith("tiny"):
            continue
        for chain, rounds in MOJIBAKE:
            if lang == "en" and "koi8_r" in chain:
                continue
            mangled = text
            for codec in chain:
                mangled = windows_decode(mangled.encode("utf-8"), codec)
            emit("%s.mojibake-%s.txt" % (stem, "-".join(chain).replace("_", "-")),
                 mangled.encode("utf-8"), "UTF-8", text_name, rounds)

    with open(os.path.join(BASE, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("file\tencoding\texpected\tmojibake_rounds\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print("%d files" % len(rows))


if __name__ == "__main__":
    main()
