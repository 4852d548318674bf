#!/usr/bin/env python3
"""lifelines KaplanMeierFitter.plot_survival_function figures.

Usage: render_lifelines.py JOBLIST   (one job JSON path per line, from plan.py)
For each job saves the figure (png/jpeg at the job's dpi, pdf vector) and
writes <workdir>/<id>.render.json with what the figure shows, read back from
the drawn matplotlib axes: tick labels, axis limits, line colours, legend
labels, the printed at-risk numbers.
"""
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from lifelines import KaplanMeierFitter  # noqa: E402
from lifelines.plotting import add_at_risk_counts  # noqa: E402
from matplotlib.ticker import MultipleLocator, PercentFormatter  # noqa: E402

PALETTES = {
    "Set1": list(plt.get_cmap("Set1").colors),
    "Dark2": list(plt.get_cmap("Dark2").colors),
    "grey": ["black", "0.45", "0.7"],
    "custom": ["#d62728", "#1f77b4", "#2ca02c"],
}


def num(label):
    s = label.replace("\u2212", "-").replace("%", "").replace(",", "").strip()
    return float(s)


def visible_ticks(axis_ticks, labels, lo, hi):
    eps = 1e-9 * max(1.0, abs(hi - lo))
    out = [(t, lab.get_text()) for t, lab in zip(axis_ticks, labels) if lo - eps <= t <= hi + eps]
    return [t for t, _ in out], [s for _, s in out]


def lifelines_at_risk(kmf, tick):
    """The 'At risk' number add_at_risk_counts prints at `tick` (same code
    path: at_risk - removed of the last event-table row at or before tick)."""
    et = kmf.event_table.assign(at_risk=lambda x: x.at_risk - x.removed)
    sl = et.loc[:tick]
    if sl.empty:
        return 0
    return int(sl["at_risk"].tail(1).values.item())


def render_one(job):
    p, o = job["params"], job["out"]
    df = pd.read_csv(job["ipd_path"], dtype={"arm": str})
    arms, labels = job["arms"], job["labels"]
    k = len(arms)
    style = "default" if p["mstyle"] == "default" else p["mstyle"]
    plt.rcdefaults()
    with plt.style.context(style):
        plt.rcParams["font.size"] = p["font_size"]
        dpi = o["res"] or 72
        fig, ax = plt.subplots(figsize=(o["width_in"], o["height_in"]), dpi=dpi)
        cols = PALETTES.get(p["palette"])
        fitters = []
        for i, arm in enumerate(arms):
            sub = df[df["arm"] == arm]
            kmf = KaplanMeierFitter()
            if labels[i] == "KM_estimate":
                kmf.fit(sub["time"], sub["event"])
            else:
                kmf.fit(sub["time"], sub["event"], label=labels[i])
            kw = {"ci_show": p["ci_show"], "show_censors": p["show_censors"],
                  "censor_styles": {"marker": p["censor_marker"], "ms": p["censor_ms"], "mew": 1.0},
                  "lw": p["lw"]}
            if cols:
                kw["color"] = cols[i]
            kmf.plot_survival_function(ax=ax, **kw)
            fitters.append(kmf)
        max_t = float(df["time"].max())
        if p["xlim_mode"] == "round":
            ax.set_xlim(0, math.ceil(max_t / p["by"] - 1e-9) * p["by"])
            ax.xaxis.set_major_locator(MultipleLocator(p["by"]))
        if p["ylim"] == "0-1":
            ax.set_ylim(0, 1)
        elif p["ylim"] == "0-1.05":
            ax.set_ylim(0, 1.05)
        if p["percent"]:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        if p["grid"] is not None:
            ax.grid(p["grid"])
        leg = ax.get_legend()
        if p["legend_loc"] == "none":
            if leg:
                leg.remove()
        else:
            ax.legend(loc=p["legend_loc"])
        ax.set_xlabel(p["xlab"])
        if p["ylab"]:
            ax.set_ylabel(p["ylab"])
        if p["title"]:
            ax.set_title(p["title"])
        xlo, xhi = ax.get_xlim()
        at_risk = []
        if p["at_risk"] != "none":
            ticks = [t for t in ax.get_xticks() if xlo <= t <= xhi]
            rows = ["At risk"] if p["at_risk"] == "at_risk_only" else None
            add_at_risk_counts(*fitters, ax=ax, rows_to_show=rows, xticks=ticks)
            for i, kmf in enumerate(fitters):
                for t in ticks:
                    at_risk.append({"arm": labels[i], "time": float(t), "n": lifelines_at_risk(kmf, t)})
        fig.tight_layout()
        fig.canvas.draw()
        xlo, xhi = ax.get_xlim()
        ylo, yhi = ax.get_ylim()
        xt, xl = visible_ticks(ax.get_xticks(), ax.get_xticklabels(), xlo, xhi)
        yt, yl = visible_ticks(ax.get_yticks(), ax.get_yticklabels(), ylo, yhi)
        colours = []
        for i in range(k):
            line = [ln for ln in ax.get_lines() if ln.get_label() == (labels[i])]
            colours.append(mcolors.to_hex(line[0].get_color()))
        grid = any(g.get_visible() for g in ax.xaxis.get_gridlines() + ax.yaxis.get_gridlines())
        path = os.path.join(job["outdir"], o["file"])
        save = {"dpi": dpi, "format": o["format"] if o["format"] != "jpeg" else "jpg"}
        if o["format"] == "jpeg":
            save["pil_kwargs"] = {"quality": o["jpeg_quality"]}
        fig.savefig(path, **save)
        plt.close(fig)
    marks = []
    for i, arm in enumerate(arms):
        sub = df[df["arm"] == arm]
        cs = sorted(set(sub.loc[sub["event"] == 0, "time"].astype(float))) if p["show_censors"] else []
        marks.append([t for t in cs if t <= xhi])
    arm_max = [float(df.loc[df["arm"] == a, "time"].max()) for a in arms]
    scale = 100.0 if p["percent"] else 1.0
    pdf = o["format"] == "pdf"
    return {
        "image": o["file"], "format": o["format"], "dpi": 72 if pdf else dpi,
        "width_px": round(o["width_in"] * (72 if pdf else dpi)), "height_px": round(o["height_in"] * (72 if pdf else dpi)),
        "x_tick_labels": xl, "x_tick_values": [num(s) for s in xl],
        "y_tick_labels": yl, "y_tick_values": [num(s) for s in yl],
        "plot_range": {"x": [xlo, xhi], "y": [ylo * scale, yhi * scale]},
        "draw_xmax": [min(m, xhi) for m in arm_max],
        "colours": colours, "names": labels, "censor_marks": marks, "at_risk": at_risk,
        "features": {"ci_band": p["ci_show"], "grid": grid, "censor_marks": p["show_censors"],
                     "risk_table": p["at_risk"] != "none",
                     "legend": "none" if p["legend_loc"] == "none" else "inside", "percent": p["percent"]},
    }


def main(argv):
    jobs = [ln.strip() for ln in open(argv[1]) if ln.strip()]
    for jp in jobs:
        job = json.load(open(jp))
        try:
            res = render_one(job)
        except Exception as e:  # keep going; truth.py reports figures without a render
            print(f"lifelines {job['id']}: {e!r}", file=sys.stderr)
            plt.close("all")
            continue
        with open(os.path.join(job["workdir"], job["id"] + ".render.json"), "w") as f:
            json.dump(res, f)


if __name__ == "__main__":
    main(sys.argv)
