#!/usr/bin/env python3
"""Make the corpus PDFs byte-reproducible: R's pdf(), cairo and matplotlib
stamp the render time into /CreationDate and /ModDate; replace it with a
fixed date of the same length (so no xref offset moves).

Usage: pdf_dates.py OUTDIR
"""
import glob
import os
import re
import sys

DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\(D:)(\d{14})")


def main(argv):
    for path in glob.glob(os.path.join(argv[1], "fig*.pdf")):
        data = open(path, "rb").read()
        fixed = DATE.sub(lambda m: m.group(1) + b"20000101000000", data)
        if fixed != data:
            open(path, "wb").write(fixed)


if __name__ == "__main__":
    main(sys.argv)
