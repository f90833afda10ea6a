#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The words of a --help text and of its man page as man(1) renders it, side by side, so
tst_manpages.sh can tell whether the page says exactly what --help says.

    manwords.py help HELP.txt     the words of the help text
    manwords.py man RENDERED.txt  the words of the rendered page, less what only a man page has
                                  (the header and footer lines, NAME, SEE ALSO and the SYNOPSIS
                                  and DESCRIPTION headings that --help does not print)

Both lower-cased (man upper-cases the headings), one word a line; headings lose their colon.
"""
import re
import sys


def help_words(text):
    lines = text.splitlines()
    words = lines[0].split()[1:]  # "usage:" is SYNOPSIS in the page
    for line in lines[1:]:
        if re.match(r"^[A-Z][A-Za-z ]*:$", line):
            line = line[:-1]
        words += line.split()
    return words


def man_words(text):
    lines = [l.rstrip() for l in text.splitlines()]
    lines = [l for l in lines if l]
    body = lines[1:-1]  # header and footer
    words = []
    section = None
    for line in body:
        if not line.startswith(" "):
            section = line.strip()
            if section in ("NAME", "SEE ALSO", "SYNOPSIS", "DESCRIPTION"):
                continue
        if section in ("NAME", "SEE ALSO"):
            continue
        words += line.split()
    return words


def main():
    kind, path = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    # groff may render \- as a Unicode minus or hyphen; the help says '-'.
    text = text.replace("\u2212", "-").replace("\u2010", "-").replace("\u2019", "'").replace("\u2018", "'")
    words = help_words(text) if kind == "help" else man_words(text)
    sys.stdout.write("".join(w.lower() + "\n" for w in words))


if __name__ == "__main__":
    main()
