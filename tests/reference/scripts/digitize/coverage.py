#!/usr/bin/env python3
"""Check that a corpus has every style/feature the brief asks for at least
once, and print counts per style/format.

Usage: coverage.py OUTDIR   (reads OUTDIR/index.csv; exits 1 when something is missing)
"""
import collections
import csv
import json
import os
import sys


def main(argv):
    rows = list(csv.DictReader(open(os.path.join(argv[1], "index.csv"))))
    have = collections.defaultdict(set)
    for r in rows:
        s, p = r["style"], json.loads(r["params"])
        have[s].add(("format", r["format"]))
        have[s].add(("device", p["device"]))
        have[s].add(("arms", r["arms"]))
        for f in ("ci_band", "grid", "censor_marks", "risk_table", "greyscale", "percent", "crossing"):
            have[s].add((f, r[f]))
        have[s].add(("legend", r["legend"]))
        have[s].add(("jpeg", r["jpeg_quality"] != ""))
        d = p.get("degrade") or {}
        have[s].add(("downscaled", bool(d.get("downscale_dpi"))))
        if s == "r_base":
            have[s].add(("colour_mode", p["colour_mode"]))
            if p["legend"] != "none" and r["arms"] != "1":
                have[s].add(("legend_pos", p["legend"]))
            have[s].add(("xlim_mode", p["xlim_mode"]))
        if s == "survminer":
            have[s] |= {("palette", p["palette"]), ("theme", p["theme"]), ("pval", p["pval"]),
                        ("linetype", p["linetype"]), ("xlim_mode", p["xlim_mode"])}
            if p["risk_table"]:
                have[s].add(("risk_y_text", p["risk_table_y_text"]))
        if s == "lifelines":
            have[s] |= {("at_risk", p["at_risk"]), ("mstyle", p["mstyle"]), ("palette", p["palette"])}
    need = {
        "r_base": [("colour_mode", "black_lty"), ("colour_mode", "colour"), ("censor_marks", "True"), ("censor_marks", "False"),
                   ("ci_band", "True"), ("ci_band", "False"), ("percent", "True"), ("risk_table", "True"), ("risk_table", "False"),
                   ("legend_pos", "topright"), ("legend_pos", "bottomleft"), ("legend_pos", "bottomright"),
                   ("device", "png"), ("device", "jpeg"), ("device", "pdf"), ("device", "cairo_pdf"),
                   ("arms", "1"), ("arms", "2"), ("arms", "3"), ("greyscale", "True"), ("downscaled", True),
                   ("xlim_mode", "cut"), ("xlim_mode", "default")],
        "survminer": [("risk_table", "True"), ("risk_table", "False"), ("risk_y_text", False), ("risk_y_text", True),
                      ("ci_band", "True"), ("ci_band", "False"), ("censor_marks", "True"), ("censor_marks", "False"),
                      ("percent", "True"), ("pval", True), ("linetype", True),
                      ("palette", "hue"), ("palette", "jco"), ("palette", "lancet"), ("palette", "npg"), ("palette", "grey"),
                      ("theme", "survminer"), ("theme", "bw"), ("theme", "grey"), ("theme", "classic"),
                      ("legend", "top"), ("legend", "right"), ("legend", "bottom"), ("legend", "inside"),
                      ("xlim_mode", "cut"), ("device", "png"), ("device", "jpeg"), ("device", "pdf"), ("device", "cairo_pdf"),
                      ("greyscale", "True"), ("downscaled", True), ("arms", "1"), ("arms", "3")],
        "lifelines": [("ci_band", "True"), ("ci_band", "False"), ("censor_marks", "True"), ("censor_marks", "False"),
                      ("palette", "default"), ("grid", "True"), ("grid", "False"), ("at_risk", "default"),
                      ("at_risk", "at_risk_only"), ("at_risk", "none"), ("legend", "inside"), ("percent", "True"),
                      ("format", "png"), ("format", "jpeg"), ("format", "pdf"), ("mstyle", "ggplot"),
                      ("greyscale", "True"), ("downscaled", True), ("arms", "1"), ("arms", "3")],
        "kmgpt_like": [("format", "png"), ("arms", "1"), ("risk_table", "True")],
    }
    missing = [(s, n) for s, ns in need.items() for n in ns if n not in have[s]]
    by = collections.Counter((r["style"], r["format"]) for r in rows)
    for (s, f), c in sorted(by.items()):
        print(f"{s:11s} {f:5s} {c}")
    print(f"total {len(rows)}; degraded {sum(1 for r in rows if 'degrade' in json.loads(r['params']))}; "
          f"crossing {sum(r['crossing'] == 'True' for r in rows)}")
    for s, n in missing:
        print("MISSING", s, n)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
