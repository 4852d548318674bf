#!/usr/bin/env python3
"""Cross-check km.py against survival::survfit on ipd CSVs.

Usage: check_km_against_r.py FILE.ipd.csv [...]
For each arm compares, at every distinct time, n.risk / n.event / n.censor
exactly and surv to 1e-12, and the truth JSON's step corners (when a
<figure>.truth.json naming that ipd sits beside it) against survfit's
surv. Exits non-zero on any difference.
"""
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import km  # noqa: E402
import simulate  # noqa: E402

R = r'''
suppressPackageStartupMessages(library(survival))
for (f in commandArgs(TRUE)) {
  d <- read.csv(f, stringsAsFactors = FALSE, colClasses = c(arm = "character"))
  for (a in unique(d$arm)) {
    s <- survfit(Surv(time, event) ~ 1, data = d[d$arm == a, ])
    for (i in seq_along(s$time))
      cat(f, "\t", a, "\t", sprintf("%.17g", s$time[i]), "\t", s$n.risk[i], "\t", s$n.event[i], "\t",
          s$n.censor[i], "\t", sprintf("%.17g", s$surv[i]), "\n", sep = "")
  }
}
'''


def main(files):
    out = subprocess.run(["Rscript", "-e", R, *files], capture_output=True, text=True, check=True).stdout
    r = {}
    for line in out.splitlines():
        f, a, t, n, d, c, s = line.split("\t")
        r.setdefault((f, a), []).append((float(t), int(n), int(d), int(c), float(s)))
    bad, worst, rows = 0, 0.0, 0
    for f in files:
        ipd = simulate.read_ipd(f)
        for a in dict.fromkeys(x[0] for x in ipd):
            times = [t for arm, t, _ in ipd if arm == a]
            events = [e for arm, _, e in ipd if arm == a]
            py = km.km_table(times, events)
            rr = r[(f, a)]
            if len(py) != len(rr):
                print(f"{f} {a}: {len(py)} times vs R {len(rr)}")
                bad += 1
                continue
            for p, q in zip(py, rr):
                rows += 1
                worst = max(worst, abs(p[4] - q[4]))
                if p[:4] != q[:4] or abs(p[4] - q[4]) > 1e-12:
                    print(f"{f} {a}: {p} vs R {q}")
                    bad += 1
        # the truth corners beside it, if any
        base = f[: -len(".ipd.csv")]
        for tj in glob.glob(base + ".*.truth.json"):
            truth = json.load(open(tj))
            for arm_name, arm in zip(dict.fromkeys(x[0] for x in ipd), truth["arms"]):
                rr = r[(f, arm_name)]
                for pt in arm["points"]:
                    s_r = 1.0
                    for q in rr:
                        if q[0] <= pt["time"]:
                            s_r = q[4]
                    # a corner (t, S before) sits at t; its surv is the step before t
                    s_before = 1.0
                    for q in rr:
                        if q[0] < pt["time"]:
                            s_before = q[4]
                    if min(abs(pt["surv"] - s_r), abs(pt["surv"] - s_before)) > 1e-12:
                        print(f"{tj} {arm_name}: corner {pt} is not on survfit's curve")
                        bad += 1
    print(f"km vs survfit: {len(files)} files, {rows} time rows, max |surv diff| {worst:.3g}, {bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
