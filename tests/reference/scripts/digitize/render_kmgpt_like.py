#!/usr/bin/env python3
"""KM-GPT-benchmark-like figures: matplotlib, ONE arm, 1000x600 px PNG, a
plain step curve (no censor marks, no confidence band) and a single
numbers-at-risk row printed under the x axis at the tick times.

Usage: render_kmgpt_like.py JOBLIST   (one job JSON path per line, from plan.py)
The numbers at risk are survival's convention (patients with time >= t).
"""
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MultipleLocator  # noqa: E402
from matplotlib.transforms import blended_transform_factory  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import km  # noqa: E402
import simulate  # noqa: E402


def render_one(job):
    p, o = job["params"], job["out"]
    rows = simulate.read_ipd(job["ipd_path"])
    times = [t for _, t, _ in rows]
    events = [e for _, _, e in rows]
    pts = km.km_corners(times, events)
    plt.rcdefaults()
    fig, ax = plt.subplots(figsize=(10, 6), dpi=100)
    ax.plot([x for x, _ in pts], [y for _, y in pts], color=p["colour"], lw=p["lw"])
    max_t = max(times)
    xmax = math.ceil(max_t / p["by"] - 1e-9) * p["by"]
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_locator(MultipleLocator(p["by"]))
    ax.yaxis.set_major_locator(MultipleLocator(0.2))
    if p["grid"]:
        ax.grid(True, alpha=0.4)
    ticks = [t for t in ax.get_xticks() if 0 <= t <= xmax + 1e-9]
    tr = blended_transform_factory(ax.transData, ax.transAxes)
    at_risk = []
    for t in ticks:
        n = km.n_at_risk_r(times, t)
        ax.text(t, -0.085, str(n), transform=tr, ha="center", va="top", fontsize=10)
        at_risk.append({"arm": job["labels"][0], "time": float(t), "n": n})
    if p["risk_label"]:
        ax.text(-0.03, -0.085, p["risk_label"], transform=blended_transform_factory(ax.transAxes, ax.transAxes),
                ha="right", va="top", fontsize=10)
    ax.set_xlabel(p["xlab"], labelpad=24)
    ax.set_ylabel(p["ylab"])
    if p["title"]:
        ax.set_title(p["title"])
    fig.subplots_adjust(left=0.1, right=0.96, bottom=0.17, top=0.93 if p["title"] else 0.96)
    fig.canvas.draw()
    xlo, xhi = ax.get_xlim()
    ylo, yhi = ax.get_ylim()
    xl = [lab.get_text() for t, lab in zip(ax.get_xticks(), ax.get_xticklabels()) if xlo - 1e-9 <= t <= xhi + 1e-9]
    yl = [lab.get_text() for t, lab in zip(ax.get_yticks(), ax.get_yticklabels()) if ylo - 1e-9 <= t <= yhi + 1e-9]
    fig.savefig(os.path.join(job["outdir"], o["file"]), dpi=100)
    plt.close(fig)
    num = lambda s: float(s.replace("\u2212", "-"))  # noqa: E731
    return {
        "image": o["file"], "format": "png", "dpi": 100, "width_px": 1000, "height_px": 600,
        "x_tick_labels": xl, "x_tick_values": [num(s) for s in xl],
        "y_tick_labels": yl, "y_tick_values": [num(s) for s in yl],
        "plot_range": {"x": [xlo, xhi], "y": [ylo, yhi]},
        "draw_xmax": [max_t], "colours": [mcolors.to_hex(p["colour"])], "names": job["labels"],
        "censor_marks": [[]], "at_risk": at_risk,
        "features": {"ci_band": False, "grid": bool(p["grid"]), "censor_marks": False, "risk_table": True,
                     "legend": "none", "percent": False},
    }


def main(argv):
    for jp in [ln.strip() for ln in open(argv[1]) if ln.strip()]:
        job = json.load(open(jp))
        try:
            res = render_one(job)
        except Exception as e:
            print(f"kmgpt_like {job['id']}: {e!r}", file=sys.stderr)
            plt.close("all")
            continue
        with open(os.path.join(job["workdir"], job["id"] + ".render.json"), "w") as f:
            json.dump(res, f)


if __name__ == "__main__":
    main(sys.argv)
