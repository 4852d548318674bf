#!/usr/bin/env python3
"""Deterministic simulated patient sets for the KM digitiser corpus.

Each set is 1-3 arms of n = 20..500 patients per arm (log-uniform), with
exponential, Weibull or piecewise-exponential hazards (optionally a cured
fraction), medians spread so that some curves cross and some arms barely
separate, and administrative (staggered accrual) plus random censoring aimed
at a 5-70 % censored share. Times are in months (0-72), years (0-10) or days
(0-2500), rounded as papers' data are (so ties occur).

Usage as a script:
    simulate.py OUTDIR SEED COUNT      -> OUTDIR/sim0001.ipd.csv (+ .meta.json)
Used as a module by plan.py: simulate_set(seed, **hints) -> dict.
"""
import csv
import json
import math
import os
import sys

import numpy as np

# (strata variable as a survminer user would name it, arm values) -- the
# values are what the ipd's arm column holds; figures print either the value
# or survminer's default "var=value".
ARM_NAMES_2 = [
    ("arm", ["Placebo", "Pembrolizumab"]),
    ("treatment", ["Control", "Experimental"]),
    ("trt", ["Chemotherapy", "Nivolumab + chemotherapy"]),
    ("arm", ["Arm A", "Arm B"]),
    ("sex", ["1", "2"]),
    ("sex", ["Male", "Female"]),
    ("risk", ["Low risk", "High risk"]),
    ("group", ["Observation", "Adjuvant therapy"]),
    ("treatment", ["Standard of care", "Atezolizumab"]),
    ("rx", ["Docetaxel", "Ramucirumab + docetaxel"]),
    ("status", ["Wild-type", "Mutant"]),
    ("trt", ["Trt 1", "Trt 2"]),
    ("group", ["Control", "Intervention"]),
    ("ecog", ["0", "1"]),
    ("pdl1", ["PD-L1 < 1%", "PD-L1 >= 1%"]),
    ("arm", ["Sorafenib", "Lenvatinib"]),
]
ARM_NAMES_3 = [
    ("rx", ["Obs", "Lev", "Lev+5FU"]),
    ("arm", ["Arm A", "Arm B", "Arm C"]),
    ("risk", ["Low risk", "Intermediate risk", "High risk"]),
    ("stage", ["I", "II", "III"]),
    ("stage", ["Stage I", "Stage II", "Stage III"]),
    ("group", ["Placebo", "Low dose", "High dose"]),
    ("grade", ["1", "2", "3"]),
    ("trt", ["Control", "Drug A", "Drug A + Drug B"]),
]
ARM_NAMES_1 = [
    ("cohort", ["Overall"]),
    ("cohort", ["All patients"]),
    ("cohort", ["Cohort"]),
    ("arm", ["Pembrolizumab"]),
    ("group", ["Study population"]),
]

UNITS = {
    # unit: (follow-up range, median range, rounding decimals choices)
    "months": ((24.0, 72.0), (4.0, 40.0), [1, 2, 2]),
    "years": ((4.0, 10.0), (0.8, 8.0), [2, 3]),
    "days": ((700.0, 2600.0), (120.0, 1400.0), [0]),
}


def loguniform(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


class Hazard:
    """Survival distribution of one arm: kind exp | weibull | piecewise,
    with an optional cured fraction. Sampling by inverting the cumulative
    hazard."""

    def __init__(self, kind, median, shape=1.0, pieces=None, cure=0.0):
        self.kind, self.median, self.shape, self.pieces, self.cure = kind, median, shape, pieces, cure

    def describe(self):
        d = {"kind": self.kind, "median_uncured": round(self.median, 4), "cure": round(self.cure, 4)}
        if self.kind == "weibull":
            d["shape"] = round(self.shape, 4)
        if self.kind == "piecewise":
            d["pieces"] = [[round(a, 4), round(b, 6)] for a, b in self.pieces]
        return d

    def cumhaz_inv(self, h):
        """Time t with cumulative hazard H(t) = h."""
        if self.kind == "exp":
            return h * self.median / math.log(2)
        if self.kind == "weibull":
            scale = self.median / (math.log(2) ** (1.0 / self.shape))
            return scale * h ** (1.0 / self.shape)
        # piecewise: pieces = [(start, rate), ...] with start ascending, first 0
        t, acc = 0.0, 0.0
        for i, (start, rate) in enumerate(self.pieces):
            end = self.pieces[i + 1][0] if i + 1 < len(self.pieces) else math.inf
            span = (end - start) * rate
            if acc + span >= h:
                return start + (h - acc) / rate
            acc += span
        return math.inf

    def sample(self, rng, n):
        e = rng.exponential(1.0, n)
        t = np.array([self.cumhaz_inv(x) for x in e])
        if self.cure > 0:
            cured = rng.uniform(size=n) < self.cure
            t[cured] = math.inf
        return t


def piecewise_for_median(rng, median, rel_rates):
    """Piecewise-exponential with change points scaled to the median; rates
    proportional to rel_rates, scaled so the median is `median`."""
    k = len(rel_rates)
    cuts = sorted(rng.uniform(0.2, 1.6, size=k - 1) * median)
    starts = [0.0] + list(cuts)

    def med_of(scale):
        pieces = list(zip(starts, [r * scale for r in rel_rates]))
        return Hazard("piecewise", median, pieces=pieces).cumhaz_inv(math.log(2))

    lo, hi = 1e-6, 1e3
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if med_of(mid) > median:
            lo = mid
        else:
            hi = mid
    return list(zip(starts, [r * hi for r in rel_rates]))


def make_hazards(rng, n_arms, med_range):
    """Scenario choice drives how the arms relate: proportional hazards with a
    clear effect, a near-null effect (arms barely separate), crossing (early
    harm/late benefit via different Weibull shapes or piecewise hazards), or a
    delayed effect with a plateau (cured fraction)."""
    scenario = rng.choice(["ph", "null", "crossing", "delayed", "ph"])
    base_med = loguniform(rng, *med_range)
    hz = []
    for a in range(n_arms):
        if scenario == "ph":
            hr = 1.0 if a == 0 else float(rng.uniform(0.35, 0.8)) ** a
            kind = rng.choice(["exp", "weibull"])
            shape = float(rng.uniform(0.7, 1.8)) if kind == "weibull" else 1.0
            if a > 0 and hz[0].kind == "weibull":
                kind, shape = "weibull", hz[0].shape
            elif a > 0:
                kind, shape = "exp", 1.0
            # median under PH: med * hr^(-1/shape)
            med = base_med * hr ** (-1.0 / shape)
            hz.append(Hazard(kind, med, shape=shape))
        elif scenario == "null":
            med = base_med * float(rng.uniform(0.9, 1.12))
            hz.append(Hazard("exp", med))
        elif scenario == "crossing":
            if rng.uniform() < 0.5:
                shape = [0.6, 1.9, 1.2][a] * float(rng.uniform(0.9, 1.1))
                med = base_med * float(rng.uniform(0.85, 1.25))
                hz.append(Hazard("weibull", med, shape=shape))
            else:
                rel = [[1.0, 1.0], [0.5, 2.2], [1.6, 0.6]][a]
                med = base_med * float(rng.uniform(0.8, 1.2))
                hz.append(Hazard("piecewise", med, pieces=piecewise_for_median(rng, med, rel)))
        else:  # delayed effect, sometimes with a plateau
            if a == 0:
                hz.append(Hazard("exp", base_med, cure=float(rng.choice([0.0, 0.0, 0.05]))))
            else:
                rel = [1.0, float(rng.uniform(0.25, 0.6))]
                med = base_med * float(rng.uniform(1.1, 1.8))
                cure = float(rng.choice([0.0, rng.uniform(0.1, 0.3)]))
                hz.append(Hazard("piecewise", med, pieces=piecewise_for_median(rng, med, rel), cure=cure))
    return str(scenario), hz


def censor(rng, t, follow_up, target):
    """Administrative censoring (uniform accrual over the first 20-60 % of
    follow-up) plus exponential random drop-out whose rate is found by
    bisection so that the overall censored share is near `target`."""
    n = len(t)
    accrual = follow_up * float(rng.uniform(0.2, 0.6))
    entry = rng.uniform(0, accrual, n)
    admin = follow_up - entry
    e_drop = rng.exponential(1.0, n)

    def share(rate):
        drop = e_drop / rate if rate > 0 else np.full(n, np.inf)
        c = np.minimum(admin, drop)
        return float(np.mean(c < t)), c

    base, c = share(0.0)
    if base < target:
        lo, hi = 1e-8, 50.0 / follow_up
        for _ in range(80):
            mid = math.sqrt(lo * hi)
            if share(mid)[0] < target:
                lo = mid
            else:
                hi = mid
        _, c = share(hi)
    obs = np.minimum(t, c)
    event = (t <= c).astype(int)
    return obs, event


def simulate_set(seed, n_arms=None, unit=None, n_range=(20, 500)):
    rng = np.random.default_rng(seed)
    if n_arms is None:
        n_arms = int(rng.choice([1, 2, 2, 2, 3, 3]))
    if unit is None:
        unit = str(rng.choice(["months", "months", "months", "years", "days"]))
    (fu_lo, fu_hi), med_range, decs = UNITS[unit]
    pool = {1: ARM_NAMES_1, 2: ARM_NAMES_2, 3: ARM_NAMES_3}[n_arms]
    var, arms = pool[int(rng.integers(len(pool)))]
    follow_up = float(rng.uniform(fu_lo, fu_hi))
    scenario, hazards = make_hazards(rng, n_arms, med_range)
    target = float(rng.uniform(0.05, 0.70))
    dec = int(rng.choice(decs))
    rows = []
    for name, hz in zip(arms, hazards):
        n = int(round(loguniform(rng, *n_range)))
        t = hz.sample(rng, n)
        obs, ev = censor(rng, t, follow_up, target)
        step = 10.0 ** (-dec)
        obs = np.maximum(np.round(obs, dec), step)
        for o, e in zip(obs, ev):
            rows.append((name, float(o), int(e)))
    return {
        "seed": int(seed), "unit": unit, "strata_var": var, "arms": list(arms),
        "scenario": scenario, "follow_up": round(follow_up, 4), "target_censoring": round(target, 4),
        "decimals": dec, "hazards": [h.describe() for h in hazards], "rows": rows,
    }


def fmt_time(x, dec):
    return str(int(round(x))) if dec == 0 else f"{x:.{dec}f}"


def write_set(sim, path_prefix):
    with open(path_prefix + ".ipd.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["arm", "time", "event"])
        for arm, t, e in sim["rows"]:
            w.writerow([arm, fmt_time(t, sim["decimals"]), e])
    meta = {k: v for k, v in sim.items() if k != "rows"}
    with open(path_prefix + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)


def read_ipd(path):
    """-> list of (arm, time, event) exactly as written (times parsed back
    from the CSV text, as R reads them)."""
    out = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            out.append((r["arm"], float(r["time"]), int(r["event"])))
    return out


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: simulate.py OUTDIR SEED COUNT")
    out, seed, count = argv[1], int(argv[2]), int(argv[3])
    os.makedirs(out, exist_ok=True)
    ss = np.random.SeedSequence(seed)
    for i, child in enumerate(ss.spawn(count), 1):
        sim = simulate_set(int(child.generate_state(1)[0]))
        write_set(sim, os.path.join(out, f"sim{i:04d}"))


if __name__ == "__main__":
    main(sys.argv)
