#!/usr/bin/env bash
# Reruns of the LMS project (issue #7), on a scratch copy of survlit.toml and
# data/ with the release binary:
#   full     — no reports/ yet: every analysis, figure (SVG/PNG/PDF), table,
#              Parquet copy and the report (one run; median of 3);
#   unchanged — nothing changed: hashes the inputs and writes nothing
#              (median of 21 runs);
#   one row  — one figure's value edited: only the analyses that select it
#              rerun, CHANGES.md names the row (median of 5, alternating two
#              values so that every run has something to do).
# The reference is what a statistician reruns by hand for the same project:
# the metafor.R scripts survlit exports (R start-up, reading metafor.csv and
# the rma() fit with tight convergence, printing) for the pooled analyses
# only — no figures, tables or report. Needs cargo and Rscript with metafor.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/survlit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r survlit.toml data "$WORK/"
cd "$WORK"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { awk -v ns="$1" 'BEGIN {printf "%.4f", ns / 1e9}'; }

full=()
for _ in 1 2 3; do
  rm -rf reports
  t0=$(now); "$BIN" run > /dev/null; t1=$(now)
  full+=($((t1 - t0)))
done
full_ns=$(printf '%s\n' "${full[@]}" | median)

unchanged=()
for _ in $(seq 21); do
  t0=$(now); "$BIN" run > "$WORK/out.txt"; t1=$(now)
  unchanged+=($((t1 - t0)))
done
grep -q "nothing changed" "$WORK/out.txt" || { echo "unchanged rerun did work:"; cat "$WORK/out.txt"; exit 1; }
unchanged_ns=$(printf '%s\n' "${unchanged[@]}" | median)

# The first local-control figure (an SBRT series), pooled by three analyses.
line=$(grep -n ',local_control,' data/figures.csv | head -1 | cut -d: -f1)
orig=$(sed -n "${line}p" data/figures.csv)
edited=()
for i in 1 2 3 4 5; do
  if [ $((i % 2)) = 1 ]; then
    # Bump the row's n by one: its effect size and the pooled results move.
    awk -F, -v OFS=, -v l="$line" 'NR == l { for (j = 1; j <= NF; j++) if ($j ~ /^patients$|^lesions$/) { $(j-1) = $(j-1) + 1; break } } { print }' data/figures.csv > f.tmp
  else
    awk -v l="$line" -v o="$orig" 'NR == l { print o; next } { print }' data/figures.csv > f.tmp
  fi
  mv f.tmp data/figures.csv
  t0=$(now); "$BIN" run > "$WORK/out.txt"; t1=$(now)
  edited+=($((t1 - t0)))
done
rerun_line=$(grep -m1 -E "rerun|rebuilt" "$WORK/out.txt" || true)
edited_ns=$(printf '%s\n' "${edited[@]}" | median)

r=()
t0=$(now)
for d in reports/*/; do
  [ -f "$d/metafor.R" ] || continue
  (cd "$d" && Rscript metafor.R > /dev/null 2>&1)
  r+=("$d")
done
t1=$(now)
r_ns=$((t1 - t0))

echo "LMS project: $(grep -c '^\[\[analysis\]\]' survlit.toml) analyses; $(($(wc -l < data/figures.csv) - 1)) figures, $(($(wc -l < data/cases.csv) - 1)) cases"
echo "last one-row rerun said: $rerun_line"
echo
echo "| work | survlit (s) | R metafor.R × ${#r[@]} (s) | ratio |"
echo "|---|---|---|---|"
echo "| full rebuild (all analyses, figures, report) | $(secs "$full_ns") | $(secs "$r_ns") | $(awk -v a="$r_ns" -v b="$full_ns" 'BEGIN {printf "%.1f×", a / b}') |"
echo "| one edited row | $(secs "$edited_ns") | $(secs "$r_ns") | $(awk -v a="$r_ns" -v b="$edited_ns" 'BEGIN {printf "%.1f×", a / b}') |"
echo "| unchanged rerun | $(secs "$unchanged_ns") | $(secs "$r_ns") | $(awk -v a="$r_ns" -v b="$unchanged_ns" 'BEGIN {printf "%.0f×", a / b}') |"
