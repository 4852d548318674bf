#!/usr/bin/env python3
"""Post-process some raster figures as scans and re-uploads degrade them:
greyscale, JPEG re-compression at quality 60-95, downscaling to a ~72 dpi
equivalent. Which figures and how is decided (seeded) by plan.py (job
"degrade"); this script carries it out and updates the render record.

Usage: degrade.py OUTDIR
"""
import glob
import json
import os
import sys

from PIL import Image, ImageColor


def grey_hex(colour):
    r, g, b = ImageColor.getrgb(colour)[:3]
    v = (r * 299 + g * 587 + b * 114) // 1000  # PIL's "L" conversion (ITU-R 601-2 luma)
    return f"#{v:02x}{v:02x}{v:02x}"


def degrade(job, rec, outdir):
    d = job["degrade"]
    src = os.path.join(outdir, rec["image"])
    img = Image.open(src)
    img.load()
    if d["greyscale"]:
        img = img.convert("L")
        rec["colours"] = [grey_hex(c) for c in rec["colours"]]
    elif img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    if d["downscale_dpi"]:
        f = d["downscale_dpi"] / rec["dpi"]
        w, h = max(1, round(img.width * f)), max(1, round(img.height * f))
        img = img.resize((w, h), Image.LANCZOS)
        rec["dpi"] = d["downscale_dpi"]
    rec["width_px"], rec["height_px"] = img.width, img.height
    base = os.path.splitext(rec["image"])[0]
    if d["jpeg_quality"]:
        name = base + ".jpg"
        img.save(os.path.join(outdir, name), "JPEG", quality=d["jpeg_quality"], dpi=(rec["dpi"], rec["dpi"]))
        rec["format"], rec["jpeg_quality"] = "jpeg", d["jpeg_quality"]
    else:
        name = rec["image"]
        fmt = "PNG" if rec["format"] == "png" else "JPEG"
        kw = {"quality": job["out"]["jpeg_quality"]} if fmt == "JPEG" else {}
        img.save(os.path.join(outdir, name), fmt, dpi=(rec["dpi"], rec["dpi"]), **kw)
    if name != rec["image"]:
        os.remove(src)
    rec["image"] = name
    rec["degraded"] = d
    rec["features"]["greyscale"] = bool(d["greyscale"])


def main(argv):
    outdir = os.path.abspath(argv[1])
    work = os.path.join(outdir, ".work")
    for jp in sorted(glob.glob(os.path.join(work, "*.job.json"))):
        job = json.load(open(jp))
        rp = os.path.join(work, job["id"] + ".render.json")
        if not job.get("degrade") or not os.path.exists(rp):
            continue
        rec = json.load(open(rp))
        if rec.get("degraded") or rec["format"] == "pdf":
            continue
        degrade(job, rec, outdir)
        with open(rp, "w") as f:
            json.dump(rec, f)


if __name__ == "__main__":
    main(sys.argv)
