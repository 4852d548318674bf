"""Reference values from Python lifelines on R's lung data (tests/fixtures/lung.csv),
to document where lifelines and R survival differ and which survlit follows.

Run from the repository root:  python3 tests/reference/scripts/lifelines_compare.py
Writes tests/reference/lifelines/lung.csv (one row per quantity).
"""
import csv

import lifelines
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test

d = pd.read_csv("tests/fixtures/lung.csv")
d["event"] = (d["status"] == 2).astype(int)
rows = []


def add(quantity, value):
    rows.append({"quantity": quantity, "value": repr(float(value))})


km = KaplanMeierFitter().fit(d["time"], d["event"])
add("km_median", km.median_survival_time_)
sf = km.survival_function_["KM_estimate"]
ci = km.confidence_interval_
for t in (5.0, 310.0, 765.0):
    add(f"km_surv_{t:g}", sf.loc[t])
    add(f"km_ci_lb_{t:g}", ci.loc[t].iloc[0])
    add(f"km_ci_ub_{t:g}", ci.loc[t].iloc[1])
a, b = d[d.sex == 1], d[d.sex == 2]
lr = logrank_test(a["time"], b["time"], a["event"], b["event"])
add("logrank_chisq", lr.test_statistic)
cph = CoxPHFitter().fit(d[["time", "event", "sex"]], duration_col="time", event_col="event")
add("cox_coef_sex", cph.params_["sex"])
add("cox_se_sex", cph.standard_errors_["sex"])
add("cox_concordance", cph.concordance_index_)

with open("tests/reference/lifelines/lung.csv", "w", newline="") as f:
    f.write(f"# lifelines {lifelines.__version__}; lung (status 2 = death); defaults except where named\n")
    w = csv.DictWriter(f, fieldnames=["quantity", "value"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
