#!/usr/bin/env python3
"""Write the truth JSON of every rendered figure and the corpus index.

Usage: truth.py OUTDIR
Reads OUTDIR/.work/<id>.job.json (plan) and <id>.render.json (what the
renderer drew), recomputes the true KM curve of each arm from the ipd CSV
(km.py, survival::survfit's arithmetic) and writes OUTDIR/<image>.truth.json:

{"image", "style", "format", "dpi", "width_px", "height_px",
 "x_axis": {"min", "max"}, "y_axis": {"min", "max", "scale"},
 "plot_range": {"x": [..], "y": [..]},
 "arms": [{"name", "n", "colour", "points": [{"time", "surv"}], "censor_times"}],
 "at_risk": [{"arm", "time", "n"}],
 "features": {...}, "ipd"}

and OUTDIR/index.csv, one line per figure. Checks as it goes (printed
numbers at risk against the ipd, censor marks against the ipd's censored
times, tick labels inside the plot range) and exits non-zero on a failure.
"""
import csv
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import km  # noqa: E402
import simulate  # noqa: E402

CROSS_EPS = 0.025  # curves "cross" when each is above the other by more than this somewhere


def crossing(tables, xmaxes):
    for a in range(len(tables)):
        for b in range(a + 1, len(tables)):
            end = min(xmaxes[a], xmaxes[b])
            ts = sorted({r[0] for r in tables[a] + tables[b] if r[0] <= end})
            diffs = [km.surv_at(tables[a], t) - km.surv_at(tables[b], t) for t in ts]
            if diffs and max(diffs) > CROSS_EPS and min(diffs) < -CROSS_EPS:
                return True
    return False


def r12(x):
    return float(f"{x:.12g}")


def build(job, rec, problems):
    rows = simulate.read_ipd(job["ipd_path"])
    arms_out, tables = [], []
    for i, arm in enumerate(job["arms"]):
        times = [t for a, t, _ in rows if a == arm]
        events = [e for a, _, e in rows if a == arm]
        xmax = rec["draw_xmax"][i]
        pts = km.km_corners(times, events, draw_xmax=xmax)
        tables.append(km.km_table(times, events))
        cens = set(t for t, e in zip(times, events) if not e)
        marks = [float(m) for m in rec["censor_marks"][i]] if rec["features"]["censor_marks"] else []
        stray = [m for m in marks if m not in cens and abs(m - xmax) > 1e-9]
        if stray:
            problems.append(f"{job['id']}: censor marks not at censored times: {stray[:3]}")
        arms_out.append({"name": rec["names"][i], "n": len(times), "colour": rec["colours"][i],
                         "points": [{"time": r12(t), "surv": s} for t, s in pts],
                         "censor_times": sorted(set(marks))})
        # printed numbers at risk against the ipd (R: time >= t; lifelines: time > t
        # after the last event-table time <= t, which is the same as time > t for t > 0)
        for ar in rec["at_risk"]:
            if ar["arm"] != rec["names"][i]:
                continue
            t = ar["time"]
            expect = km.n_at_risk_r(times, t) if job["style"] != "lifelines" or t == 0 else \
                sum(1 for x in times if x > t)
            if ar["n"] != expect:
                problems.append(f"{job['id']}: at risk {ar} but ipd gives {expect}")
    feats = rec["features"]
    xv, yv = rec["x_tick_values"], rec["y_tick_values"]
    pr = rec["plot_range"]
    for v in xv:
        if not (pr["x"][0] - 1e-6 <= v <= pr["x"][1] + 1e-6):
            problems.append(f"{job['id']}: x tick {v} outside plot range {pr['x']}")
    for v in yv:
        if not (pr["y"][0] - 1e-6 <= v <= pr["y"][1] + 1e-6):
            problems.append(f"{job['id']}: y tick {v} outside plot range {pr['y']}")
    fmt = rec["format"]
    jq = rec.get("jpeg_quality") or (job["out"].get("jpeg_quality") if fmt == "jpeg" else None)
    names = {n for n in rec["names"]}
    for ar in rec["at_risk"]:
        if ar["arm"] not in names:
            problems.append(f"{job['id']}: at-risk row {ar['arm']!r} names no arm")
    truth = {
        "image": rec["image"], "style": job["style"], "format": fmt, "dpi": rec["dpi"],
        "width_px": rec["width_px"], "height_px": rec["height_px"],
        "x_axis": {"min": xv[0], "max": xv[-1]},
        "y_axis": {"min": yv[0], "max": yv[-1], "scale": "percent" if feats["percent"] else "proportion"},
        "plot_range": {"x": [r12(v) for v in pr["x"]], "y": [r12(v) for v in pr["y"]]},
        "arms": arms_out,
        "at_risk": [{"arm": a["arm"], "time": r12(a["time"]), "n": int(a["n"])} for a in rec["at_risk"]],
        "features": {
            "arms": len(job["arms"]), "ci_band": bool(feats["ci_band"]), "grid": bool(feats["grid"]),
            "censor_marks": bool(feats["censor_marks"]), "risk_table": bool(feats["risk_table"]),
            "legend": feats["legend"], "greyscale": bool(feats.get("greyscale", False)),
            "jpeg_quality": jq, "percent": bool(feats["percent"]),
            "crossing": crossing(tables, rec["draw_xmax"]), "vector": fmt == "pdf",
        },
        "ipd": job["ipd"],
    }
    return truth


def summarise_params(job):
    p = dict(job["params"])
    for k in ("custom_palette", "legend_inside", "xlab", "ylab", "title", "main", "risk_title", "risk_table_title"):
        p.pop(k, None)
    p["device"] = job["out"]["device"]
    if job.get("degrade"):
        p["degrade"] = job["degrade"]
    return json.dumps(p, sort_keys=True, separators=(",", ":"))


def main(argv):
    outdir = os.path.abspath(argv[1])
    work = os.path.join(outdir, ".work")
    problems, index = [], []
    for jp in sorted(glob.glob(os.path.join(work, "*.job.json"))):
        job = json.load(open(jp))
        rp = os.path.join(work, job["id"] + ".render.json")
        if not os.path.exists(rp):
            problems.append(f"{job['id']}: {job['style']} did not render")
            continue
        rec = json.load(open(rp))
        t = build(job, rec, problems)
        with open(os.path.join(outdir, t["image"] + ".truth.json"), "w") as f:
            json.dump(t, f, indent=1)
        f_ = t["features"]
        index.append({
            "image": t["image"], "style": t["style"], "format": t["format"], "dpi": t["dpi"],
            "width_px": t["width_px"], "height_px": t["height_px"], "arms": f_["arms"],
            "ci_band": f_["ci_band"], "grid": f_["grid"], "censor_marks": f_["censor_marks"],
            "risk_table": f_["risk_table"], "legend": f_["legend"], "greyscale": f_["greyscale"],
            "jpeg_quality": f_["jpeg_quality"] if f_["jpeg_quality"] is not None else "",
            "percent": f_["percent"], "crossing": f_["crossing"], "vector": f_["vector"],
            "unit": job["unit"], "n": sum(a["n"] for a in t["arms"]),
            "names": "|".join(a["name"] for a in t["arms"]), "ipd": t["ipd"], "params": summarise_params(job),
        })
    if index:
        with open(os.path.join(outdir, "index.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(index[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(index)
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    print(f"truth: {len(index)} figures, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
