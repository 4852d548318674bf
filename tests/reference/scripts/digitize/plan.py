#!/usr/bin/env python3
"""Plan a corpus: simulate one patient set per figure and choose, from the
seed, the house style and every style parameter of each figure.

Usage: plan.py OUTDIR SEED COUNT
Writes OUTDIR/figNNNN.ipd.csv, OUTDIR/.work/figNNNN.job.json and one job list
per renderer (OUTDIR/.work/jobs_<style>.txt). Everything random derives from
SEED through numpy SeedSequence, so the same SEED gives the same corpus and a
different SEED shares no seeds with it.

The first figures of each style take their parameters from COVER (then the
remaining parameters at random), so that even a small corpus (the committed
fixtures) has every style/feature combination the brief lists at least once.
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate  # noqa: E402

# share of figures per style, and the order the styles are dealt in
STYLE_CYCLE = ["survminer", "r_base", "lifelines", "survminer", "r_base",
               "lifelines", "survminer", "r_base", "lifelines", "kmgpt_like"]

BY = {"months": [3, 6, 6, 12, 12, 10, 5, 4, 24], "years": [1, 1, 2, 0.5], "days": [100, 180, 200, 250, 365, 500, 90]}
XLAB = {
    "months": ["Months", "Time (months)", "Months since randomisation", "Time since randomization (months)",
               "Follow-up (months)", "Time from enrolment, months", "Overall survival (months)"],
    "years": ["Years", "Time (years)", "Years since diagnosis", "Follow-up time (years)", "Time from surgery (years)"],
    "days": ["Days", "Time (days)", "Days from transplant", "Time to event (days)", "Days since start of treatment"],
}
YLAB = ["Survival probability", "Overall survival", "Proportion surviving", "Progression-free survival",
        "Event-free survival", "Cumulative survival", "Probability of survival", "Disease-free survival",
        "Proportion alive", "Survival"]
TITLES = ["Overall survival", "Progression-free survival", "Kaplan-Meier estimate", "Figure 2",
          "Survival by treatment arm", "Recurrence-free survival", "Kaplan-Meier survival curves", "A"]
RES = [72, 96, 100, 120, 150, 200, 300]

# --- coverage: forced parameters for the first figures of each style ------
COVER = {
    "r_base": [
        dict(arms=2, colour_mode="black_lty", mark_time=True, conf_int=False, risk_table=True, device="png", res=150, legend="topright"),
        dict(arms=2, colour_mode="colour", mark_time=False, conf_int=True, percent=True, device="jpeg", res=100, legend="bottomleft"),
        dict(arms=3, colour_mode="colour", mark_time=True, risk_table=True, main=True, device="pdf", legend="topright"),
        dict(arms=1, conf_int=True, mark_time=True, device="cairo_pdf", risk_table=False),
        dict(arms=3, colour_mode="black_lty", conf_int=False, legend="bottomleft", device="png", res=72, xlim_mode="default"),
        dict(arms=2, colour_mode="colour", percent=True, risk_table=True, device="png", res=300, xlim_mode="cut", legend="bottomright"),
        dict(arms=2, colour_mode="black_lty", conf_int=True, mark_time=False, main=True, device="jpeg", res=200, legend="none"),
        dict(arms=1, risk_table=True, mark_time=False, device="png", res=96, degrade="grey"),
        dict(arms=2, colour_mode="colour", risk_table=True, device="png", res=200, degrade="jpeg_down"),
        dict(arms=3, colour_mode="colour", mark_time=True, percent=True, device="cairo_pdf", legend="topright"),
    ],
    "survminer": [
        dict(arms=2, risk_table=True, y_text=True, conf_int=False, censor=True, palette="hue", theme="survminer", legend="top", device="png", res=150),
        dict(arms=2, risk_table=True, y_text=False, conf_int=True, palette="jco", theme="bw", legend="right", device="png", res=100),
        dict(arms=3, risk_table=False, conf_int=False, percent=True, pval=True, palette="lancet", theme="grey", legend="bottom", device="jpeg", res=120),
        dict(arms=2, risk_table=False, linetype=True, palette="grey", theme="classic", legend="inside", device="pdf", censor=True),
        dict(arms=3, risk_table=True, y_text=True, palette="npg", theme="survminer", legend="top", device="cairo_pdf", xlim_mode="cut", default_labs=True),
        dict(arms=1, risk_table=True, conf_int=True, censor=False, palette="hue", theme="survminer", legend="none", device="png", res=96),
        dict(arms=2, risk_table=True, y_text=True, percent=True, pval=True, conf_int=True, palette="custom", theme="bw", legend="inside", device="png", res=300),
        dict(arms=2, risk_table=False, censor=False, palette="hue", theme="grey", legend="right", device="jpeg", res=200, default_labs=True),
        dict(arms=3, risk_table=True, y_text=False, linetype=True, palette="grey", theme="classic", legend="bottom", device="png", res=72),
        dict(arms=2, risk_table=True, palette="jco", theme="survminer", legend="top", device="png", res=150, degrade="grey_jpeg"),
        dict(arms=2, risk_table=False, conf_int=True, palette="lancet", theme="bw", legend="top", device="png", res=300, degrade="down"),
        dict(arms=2, risk_table=True, palette="npg", theme="light", legend="right", device="pdf", pval=True),
    ],
    "lifelines": [
        dict(arms=2, ci_show=True, show_censors=True, at_risk="default", grid=False, mstyle="default", device="png", res=150),
        dict(arms=2, ci_show=False, show_censors=True, at_risk="at_risk_only", grid=True, mstyle="default", device="png", res=100, percent=True),
        dict(arms=3, ci_show=True, show_censors=False, at_risk="none", mstyle="ggplot", device="jpeg", res=120),
        dict(arms=1, ci_show=True, show_censors=True, at_risk="at_risk_only", mstyle="seaborn-v0_8-whitegrid", device="pdf", default_label=True),
        dict(arms=2, ci_show=False, show_censors=False, at_risk="default", mstyle="bmh", device="png", res=200, palette="Set1"),
        dict(arms=3, ci_show=False, show_censors=True, at_risk="none", mstyle="seaborn-v0_8-darkgrid", device="png", res=72, percent=True),
        dict(arms=2, ci_show=True, show_censors=True, at_risk="at_risk_only", mstyle="classic", device="jpeg", res=300, palette="grey"),
        dict(arms=2, ci_show=False, show_censors=True, at_risk="none", mstyle="default", grid=True, device="png", res=150, degrade="grey"),
        dict(arms=2, ci_show=True, show_censors=False, at_risk="at_risk_only", mstyle="seaborn-v0_8-ticks", device="pdf", palette="Dark2"),
        dict(arms=3, ci_show=False, show_censors=True, at_risk="default", mstyle="default", device="png", res=300, degrade="jpeg_down"),
    ],
    "kmgpt_like": [dict(), dict(), dict()],
}


def choice(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def pick_by(rng, unit, max_t, max_ticks=12):
    ok = [b for b in BY[unit] if 3 <= max_t / b <= max_ticks]
    if not ok:
        ok = [b for b in BY[unit] if 2 <= max_t / b <= 16] or [max(b for b in BY[unit] if b <= max_t)]
    return float(choice(rng, ok))


def r_label(var, arm, default_style):
    return f"{var}={arm}" if default_style else arm


def page_size(rng, res, risk, k, wide=(5.0, 8.0), max_px=2000):
    w = round(float(rng.uniform(*wide)), 1)
    if res:
        w = min(w, round(max_px / res, 1))
    h = w * float(rng.uniform(0.62, 0.85))
    if risk:
        h += 0.9 + 0.22 * k
    return w, round(h, 1)


def out_spec(rng, fid, cov, devices, ext_of):
    dev = cov.get("device") or choice(rng, devices)
    fmt = {"png": "png", "jpeg": "jpeg", "pdf": "pdf", "cairo_pdf": "pdf"}[dev]
    res = None if fmt == "pdf" else int(cov.get("res") or choice(rng, RES))
    q = int(rng.integers(70, 96)) if fmt == "jpeg" else None
    return {"device": dev, "format": fmt, "res": res, "jpeg_quality": q, "file": f"{fid}.{ext_of[fmt]}"}


EXT = {"png": "png", "jpeg": "jpg", "pdf": "pdf"}


def plan_r_base(rng, cov, sim, max_t):
    k = len(sim["arms"])
    risk = cov.get("risk_table", bool(rng.uniform() < 0.45))
    by = pick_by(rng, sim["unit"], max_t, 8 if risk else 12)
    mode = cov.get("colour_mode") or ("black_lty" if rng.uniform() < 0.45 else "colour")
    if mode == "black_lty":
        colours = choice(rng, [["black"] * 3, ["black"] * 3, ["grey20", "grey20", "grey20"]])
        lty = choice(rng, [[1, 2, 3], [1, 3, 2], [1, 2, 4], [1, 5, 3]])
    else:
        colours = choice(rng, [["black", "red", "blue"], ["#E41A1C", "#377EB8", "#4DAF4A"], ["blue", "red", "darkgreen"],
                               ["darkorange", "purple", "forestgreen"], ["black", "#DF536B", "#61D04F"],
                               ["#0072B2", "#D55E00", "#009E73"], ["grey10", "grey55", "grey35"], ["navy", "firebrick", "gold3"]])
        lty = [1, 1, 1] if rng.uniform() < 0.75 else [1, 2, 3]
    xlim_mode = cov.get("xlim_mode") or choice(rng, ["round", "round", "round", "default", "cut"])
    xlim_max = by * math.floor(0.8 * max_t / by)
    if xlim_mode == "cut" and xlim_max < 2 * by:
        xlim_mode = "round"
    main = None
    if cov.get("main") or (cov.get("main") is None and rng.uniform() < 0.3):
        main = choice(rng, TITLES)
    percent = cov.get("percent", bool(rng.uniform() < 0.25))
    ylab = choice(rng, YLAB)
    if percent and rng.uniform() < 0.6:
        ylab += " (%)"
    legend = cov.get("legend") or choice(rng, ["topright", "topright", "bottomleft", "bottomright", "topright", "none"])
    p = {
        "pointsize": int(choice(rng, [10, 11, 12, 12, 13, 14])),
        "colour_mode": mode, "colours": colours, "lty": lty,
        "lwd": float(choice(rng, [1, 1, 1.5, 2, 2, 2.5, 3])),
        "mark_time": cov.get("mark_time", bool(rng.uniform() < 0.6)),
        "mark_cex": round(float(rng.uniform(0.6, 1.2)), 2),
        "conf_int": cov.get("conf_int", bool(rng.uniform() < (0.5 if k == 1 else 0.25))),
        "ci_lty": int(choice(rng, [2, 3])),
        "by": by, "xlim_mode": xlim_mode, "xlim_max": xlim_max,
        "percent": percent, "las": int(choice(rng, [0, 1, 1])), "bty": choice(rng, ["o", "l", "o"]),
        "xlab": choice(rng, XLAB[sim["unit"]]), "ylab": ylab,
        "legend": legend, "legend_bty": choice(rng, ["o", "n"]), "legend_cex": round(float(rng.uniform(0.75, 1.0)), 2),
        "legend_title": choice(rng, [None, None, None, "Treatment", sim["strata_var"]]),
        "risk_table": risk, "risk_cex": round(float(rng.uniform(0.75, 1.0)), 2),
        "risk_title": choice(rng, ["Number at risk", "No. at risk", "At risk", "Patients at risk"]),
        "risk_colour": bool(mode == "colour" and rng.uniform() < 0.5),
        "main": main, "main_font": int(choice(rng, [1, 2])),
    }
    default_labs = cov.get("default_labs", bool(rng.uniform() < 0.15)) and k > 1
    labels = [r_label(sim["strata_var"], a, default_labs) for a in sim["arms"]]
    # long row labels need a wider page or the panel is squeezed to nothing
    wide = (6.5, 8.5) if risk and max(len(x) for x in labels) > 12 else (5.0, 8.0)
    return p, labels, risk, wide


def plan_survminer(rng, cov, sim, max_t):
    k = len(sim["arms"])
    risk = cov.get("risk_table", bool(rng.uniform() < 0.55))
    by = pick_by(rng, sim["unit"], max_t, 8 if risk else 12)
    palette = cov.get("palette") or choice(rng, ["hue", "hue", "jco", "lancet", "npg", "grey", "custom"])
    custom = choice(rng, [["#E7B800", "#2E9FDF", "#FC4E07"], ["red", "blue", "darkgreen"], ["#00AFBB", "#E7B800", "#FC4E07"],
                          ["black", "grey50", "grey75"]])
    xlim_mode = cov.get("xlim_mode") or choice(rng, ["none", "none", "round", "cut"])
    xlim_max = by * math.floor(0.8 * max_t / by)
    if xlim_mode == "cut" and xlim_max < 2 * by:
        xlim_mode = "round"
    legend = cov.get("legend") or choice(rng, ["top", "top", "top", "right", "bottom", "inside", "none"])
    percent = cov.get("percent", bool(rng.uniform() < 0.25))
    default_labs = cov.get("default_labs", bool(rng.uniform() < 0.4))
    if k == 1:
        labels = ["All"] if default_labs else list(sim["arms"])
    else:
        labels = [r_label(sim["strata_var"], a, default_labs) for a in sim["arms"]]
    p = {
        "risk_table": risk, "risk_table_y_text": cov.get("y_text", bool(rng.uniform() < 0.7)),
        "risk_table_col_strata": bool(rng.uniform() < 0.4),
        "risk_table_height": round(float(rng.uniform(0.2, 0.33)), 2),
        "risk_table_title": choice(rng, [None, None, "Number at risk", "No. at risk"]),
        "fontsize": round(float(rng.uniform(3.2, 4.6)), 1),
        "conf_int": cov.get("conf_int", bool(rng.uniform() < (0.5 if k == 1 else 0.3))),
        "censor": cov.get("censor", bool(rng.uniform() < 0.65)),
        "censor_shape": choice(rng, ["+", "+", "+", "|"]), "censor_size": round(float(rng.uniform(3.0, 6.0)), 1),
        "percent": percent, "pval": cov.get("pval", bool(k > 1 and rng.uniform() < 0.3)) and k > 1,
        "linetype": cov.get("linetype", bool(rng.uniform() < 0.25)) and k > 1,
        "palette": palette, "custom_palette": custom,
        "theme": cov.get("theme") or choice(rng, ["survminer", "survminer", "survminer", "bw", "grey", "classic", "light", "minimal"]),
        "legend": legend, "legend_inside": [round(float(rng.uniform(0.65, 0.85)), 2), round(float(rng.uniform(0.7, 0.88)), 2)],
        "legend_title": choice(rng, ["Strata", "Strata", "", sim["strata_var"], "Treatment"]),
        "default_labs": default_labs, "by": by, "xlim_mode": xlim_mode, "xlim_max": xlim_max,
        "xlab": choice(rng, XLAB[sim["unit"]] + ["Time"]),
        "ylab": choice(rng, YLAB[:4] + ["Survival probability"] * 3),
        "title": choice(rng, TITLES) if rng.uniform() < 0.25 else None,
        "size": float(choice(rng, [0.5, 0.7, 1, 1, 1.2])),
        "base_size": int(choice(rng, [10, 11, 12, 12, 14])),
    }
    return p, labels, risk, (6.5, 10.0)


def plan_lifelines(rng, cov, sim, max_t):
    k = len(sim["arms"])
    at_risk = cov.get("at_risk") or choice(rng, ["none", "none", "default", "at_risk_only"])
    by = pick_by(rng, sim["unit"], max_t, 8 if at_risk != "none" else 12)
    default_label = cov.get("default_label", bool(k == 1 and rng.uniform() < 0.4)) and k == 1
    labels = ["KM_estimate"] if default_label else list(sim["arms"])
    p = {
        "ci_show": cov.get("ci_show", bool(rng.uniform() < 0.4)),
        "show_censors": cov.get("show_censors", bool(rng.uniform() < 0.55)),
        "censor_marker": choice(rng, ["|", "|", "+"]), "censor_ms": round(float(rng.uniform(4, 10)), 1),
        "palette": cov.get("palette") or choice(rng, ["default", "default", "default", "Set1", "Dark2", "grey", "custom"]),
        "mstyle": cov.get("mstyle") or choice(rng, ["default", "default", "default", "ggplot", "seaborn-v0_8-whitegrid",
                                                     "seaborn-v0_8-darkgrid", "seaborn-v0_8-ticks", "bmh", "classic",
                                                     "seaborn-v0_8-white", "tableau-colorblind10"]),
        "grid": cov.get("grid", choice(rng, [None, None, True, False])),
        "at_risk": at_risk,
        "legend_loc": choice(rng, ["best", "upper right", "lower left", "best", "none"]) if k > 1 or not default_label
        else choice(rng, ["best", "none"]),
        "percent": cov.get("percent", bool(rng.uniform() < 0.25)),
        "ylim": choice(rng, ["auto", "0-1", "0-1.05"]),
        "xlim_mode": choice(rng, ["auto", "round", "round"]), "by": by,
        "xlab": "timeline" if rng.uniform() < 0.25 else choice(rng, XLAB[sim["unit"]]),
        "ylab": choice(rng, [None] + YLAB),
        "title": choice(rng, TITLES) if rng.uniform() < 0.3 else None,
        "lw": round(float(rng.uniform(1.0, 2.5)), 1),
        "font_size": float(choice(rng, [9, 10, 10, 11, 12])),
    }
    return p, labels, at_risk != "none", (5.0, 8.5)


def plan_kmgpt(rng, cov, sim, max_t):
    by = pick_by(rng, sim["unit"], max_t, 10)
    p = {"by": by, "colour": choice(rng, ["#1f77b4", "black", "#1f77b4", "tab:red", "navy"]),
         "lw": float(choice(rng, [1.5, 2.0, 2.0, 2.5])),
         "xlab": choice(rng, XLAB[sim["unit"]]), "ylab": choice(rng, YLAB[:3] + ["Survival probability"]),
         "title": choice(rng, [None, None, "Kaplan-Meier curve", "Overall survival"]),
         "grid": bool(rng.uniform() < 0.5), "risk_label": choice(rng, [None, "At risk", "No. at risk"])}
    return p, list(sim["arms"]), True, None


PLANNERS = {"r_base": plan_r_base, "survminer": plan_survminer, "lifelines": plan_lifelines, "kmgpt_like": plan_kmgpt}
DEVICES = {"r_base": ["png", "png", "png", "jpeg", "pdf", "cairo_pdf"],
           "survminer": ["png", "png", "png", "jpeg", "pdf", "cairo_pdf"],
           "lifelines": ["png", "png", "png", "jpeg", "pdf"], "kmgpt_like": ["png"]}


def plan_degrade(rng, cov, fmt, res, style):
    d = cov.get("degrade")
    if d is None:
        # KM-GPT-like figures stay the benchmark's clean 1000x600 PNGs
        if fmt == "pdf" or style == "kmgpt_like" or rng.uniform() > 0.25:
            return None
        d = choice(rng, ["grey", "jpeg", "down", "grey_jpeg", "jpeg_down", "grey_down"])
    q = int(rng.integers(60, 96))
    return {"greyscale": "grey" in d, "jpeg_quality": q if "jpeg" in d else None,
            "downscale_dpi": (72 if res and res > 100 else round(res * 0.6)) if "down" in d else None}


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: plan.py OUTDIR SEED COUNT")
    outdir, seed, count = os.path.abspath(argv[1]), int(argv[2]), int(argv[3])
    work = os.path.join(outdir, ".work")
    os.makedirs(work, exist_ok=True)
    children = np.random.SeedSequence([seed, 20250]).spawn(count)
    counters = {s: 0 for s in PLANNERS}
    lists = {s: [] for s in PLANNERS}
    for i in range(count):
        fid = f"fig{i + 1:04d}"
        style = STYLE_CYCLE[i % len(STYLE_CYCLE)]
        cover = COVER[style]
        cov = cover[counters[style]] if counters[style] < len(cover) else {}
        counters[style] += 1
        sim_seed, style_seed = (int(x) for x in children[i].generate_state(2))
        rng = np.random.default_rng(style_seed)
        n_arms = 1 if style == "kmgpt_like" else cov.get("arms")
        n_range = (40, 500) if style == "kmgpt_like" else (20, 500)
        sim = simulate.simulate_set(sim_seed, n_arms=n_arms, n_range=n_range)
        simulate.write_set(sim, os.path.join(outdir, fid))
        os.replace(os.path.join(outdir, fid + ".meta.json"), os.path.join(work, fid + ".sim.json"))
        max_t = max(r[1] for r in sim["rows"])
        params, labels, risk, wide = PLANNERS[style](rng, cov, sim, max_t)
        if style == "kmgpt_like":
            out = {"device": "png", "format": "png", "res": 100, "jpeg_quality": None, "file": f"{fid}.png",
                   "width_in": 10.0, "height_in": 6.0}
        else:
            out = out_spec(rng, fid, cov, DEVICES[style], EXT)
            out["width_in"], out["height_in"] = page_size(rng, out["res"], risk, len(sim["arms"]), wide,
                                                          2400 if style == "survminer" else 2000)
        job = {"id": fid, "style": style, "seed": [seed, i], "outdir": outdir, "workdir": work,
               "ipd": fid + ".ipd.csv", "ipd_path": os.path.join(outdir, fid + ".ipd.csv"),
               "arms": sim["arms"], "labels": labels, "strata_var": sim["strata_var"], "unit": sim["unit"],
               "max_time": max_t, "params": params, "out": out,
               "degrade": plan_degrade(rng, cov, out["format"], out["res"], style)}
        path = os.path.join(work, fid + ".job.json")
        with open(path, "w") as f:
            json.dump(job, f, indent=1)
        lists[style].append(path)
    for s, paths in lists.items():
        with open(os.path.join(work, f"jobs_{s}.txt"), "w") as f:
            f.write("".join(p + "\n" for p in paths))


if __name__ == "__main__":
    main(sys.argv)
