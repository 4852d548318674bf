#!/usr/bin/env bash
# Build a KM-figure corpus: simulate patients, render every house style with
# seeded random style parameters, degrade some rasters, write the truth.
#   make_corpus.sh OUTDIR SEED COUNT
# Renderers run under `nice -n 10` (the machine is shared). Re-running
# replaces the fig* files, index.csv and .work/ in OUTDIR, nothing else.
# KEEP_WORK=1 keeps OUTDIR/.work (job and render records) for debugging.
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 OUTDIR SEED COUNT" >&2; exit 2; fi
out=$1 seed=$2 count=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
find "$out" -maxdepth 1 -name 'fig[0-9]*' -type f -delete
rm -rf "$out/.work" "$out/index.csv"
python3 "$here/plan.py" "$out" "$seed" "$count"
w="$out/.work"
nice -n 10 Rscript "$here/render_r_base.R" "$w/jobs_r_base.txt"
nice -n 10 Rscript "$here/render_survminer.R" "$w/jobs_survminer.txt"
nice -n 10 python3 "$here/render_lifelines.py" "$w/jobs_lifelines.txt"
nice -n 10 python3 "$here/render_kmgpt_like.py" "$w/jobs_kmgpt_like.txt"
nice -n 10 python3 "$here/degrade.py" "$out"
python3 "$here/pdf_dates.py" "$out"
status=0
python3 "$here/truth.py" "$out" || status=$?
if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$w"; fi
exit $status
