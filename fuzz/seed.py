#!/usr/bin/env python3
"""Writes the seed inputs of the three fuzz targets into fuzz/seeds/<target>/
from data/, tests/fixtures/, the init template and the test projects'
survlit.toml files. Each seed starts with the selector byte(s) the target's
body (src/fuzz_harness/mod.rs) reads. Long tables are cut into windows of a
few rows under their header, so seeds stay small (fast executions) while
covering every row's shapes.

Run from the repository root: python3 fuzz/seed.py
"""
import glob
import hashlib
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds")


def put(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def windows(path, rows=2):
    """Header + consecutive rows, cut at record boundaries (quotes kept whole)."""
    text = open(path, "rb").read()
    records, cur, quoted = [], b"", False
    for line in text.splitlines(keepends=True):
        cur += line
        quoted ^= line.count(b'"') % 2 == 1
        if not quoted:
            records.append(cur)
            cur = b""
    if cur:
        records.append(cur)
    header, body = records[0], records[1:]
    if not body:
        return [header]
    return [header + b"".join(body[i:i + rows]) for i in range(0, len(body), rows)]


def rel(*p):
    return os.path.join(ROOT, *p)


CURVES = b"study_id,arm,time,time_unit,survival,survival_scale,source_location,notes\nghost2021,A,0,months,1,proportion,Fig 2,\nghost2021,A,6,months,0.8,,Fig 2,\nghost2021,B,0,months,100,percent,,\nghost2021,B,12,years,55,percent,,\n"
AT_RISK = b"study_id,arm,time,time_unit,n_risk,source_location,notes\nghost2021,A,0,months,40,Fig 2,\nghost2021,A,6,months,31,,\nghost2021,B,0,months,38,,\n"
WPD = b"Control,,Treatment,\nX,Y,X,Y\n0,1,0,1\n3,0.8,4,0.9\n6,0.55,8,0.7\n9,0.4,12,0.6\n"
HEADERLESS = b"0,1\n1.5,0.92\n3,0.8\n4.2,0.81\n"
RISK = b"arm,time,n_risk\nControl,0,40\nControl,5,28\nTreatment,0,40\nTreatment,5,35\n"
MEDIANS = [
    b"study,n,min,q1,median,q3,max\nS1,20,2,,6,,14\nS2,20,,4,6,10,\nS3,20,2,4,6,10,14\nskewed,20,2,4,6,14,20\n",
    b"study,n,q1,median,q3,mean,sd\na,50,4,6,8,,\nb,40,3,5,9,,\nc,60,,,,6.5,2.1\n",
    b"study,group,n,q1,median,q3\na,g1,50,4,6,8\na,g2,45,5,7,9\nb,g1,40,3,5,9\nb,g2,41,3,6,9\n",
]

# ingest_validate: selector % 5 = figures, cases, curves, at_risk, claims.
for kind, paths in [
    (0, ["data/figures.csv", "src/project/template/figures.csv"]),
    (1, ["data/cases.csv", "src/project/template/cases.csv"]),
    (4, ["data/claims.csv"]),
]:
    for p in paths:
        for w in windows(rel(p)):
            put("ingest_validate", bytes([kind]) + w)
put("ingest_validate", bytes([2]) + CURVES)
put("ingest_validate", bytes([3]) + AT_RISK)
# Several tables at once (high bit): figures \0 cases \0 curves \0 at_risk \0 claims.
figs, cases, claims = (windows(rel(p), 1) for p in ["data/figures.csv", "data/cases.csv", "data/claims.csv"])
for i in range(0, min(len(figs), 12)):
    put("ingest_validate", b"\x80" + b"\0".join([figs[i], cases[i % len(cases)], CURVES, AT_RISK, claims[i % len(claims)]]))

# project_toml: every survlit.toml the repository holds, and those the tests write.
for p in [rel("survlit.toml"), rel("src/project/template/survlit.toml")]:
    put("project_toml", open(p, "rb").read())
for t in glob.glob(rel("tests", "*.rs")):
    src = open(t, encoding="utf-8").read()
    for m in re.finditer(r'"((?:title = |\[data\])(?:[^"\\]|\\.)*)"', src):
        text = m.group(1).encode().decode("unicode_escape").encode()
        if b"{" in text and b"{{" in text:
            text = text.replace(b"{{", b"{").replace(b"}}", b"}")
        put("project_toml", text)

# table_readers: low three bits choose the reader, the rest its options.
for p in ["tests/fixtures/dat_bcg.csv", "tests/fixtures/hackshaw1998.csv", "tests/fixtures/sim60.csv"]:
    for w in windows(rel(p), 8):
        put("table_readers", bytes([0 << 3 | 0]) + w)  # GEN
for w in windows(rel("tests/fixtures/hr_mixed.csv"), 8):
    put("table_readers", bytes([1 << 3 | 0]) + w)  # HR
for w in windows(rel("tests/fixtures/dat_lung.csv"), 8):
    for m in (8, 9, 10):  # MED, DOM, ROM
        put("table_readers", bytes([m << 3 | 0]) + w)
for p in ["tests/fixtures/aml.csv", "tests/fixtures/lung.csv", "tests/fixtures/test1.csv", "tests/fixtures/veteran.csv"]:
    for i, w in enumerate(windows(rel(p), 8)[:6]):
        # time, event, group = columns 0, 1, 2; options: group, strata, covariate, event code.
        put("table_readers", bytes([((i % 8) << 3) | 1, 0, 1, 2]) + w)
for c in [CURVES, WPD, HEADERLESS]:
    put("table_readers", bytes([2]) + c)
for r in [AT_RISK, RISK]:
    put("table_readers", bytes([3]) + r)
for m in MEDIANS:
    put("table_readers", bytes([4]) + m)
for w in windows(rel("tests/reference/medians/dat_age_covid.csv"), 6):
    put("table_readers", bytes([4]) + w)
