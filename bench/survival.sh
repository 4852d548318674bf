#!/usr/bin/env bash
# Benchmark: survlit against R survival and Python lifelines on the same
# simulated data, in one run (issue #4). Two arms, exponential hazard 0.1,
# HR 0.7, U(0, 30) censoring, seed 1. Work: KM + log-rank for n = 1e4, 1e5,
# 1e6 (BENCH_FULL=1 adds 1e7); Cox (Efron) for n = 1e4, 1e5, 1e6; and the
# reconstruction of a 150-point arm.
#
# survlit's time is the whole command (start-up, CSV parsing, fit, output),
# median of 3 runs; R's and lifelines' are the fitting calls alone on data
# already in memory, one run. Needs: cargo, Rscript with survival, python3
# with lifelines (pip install lifelines).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/survlit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SIZES="10000 100000 1000000"
[ "${BENCH_FULL:-0}" = 1 ] && SIZES="$SIZES 10000000"

Rscript - "$WORK" $SIZES <<'RS'
args <- commandArgs(TRUE); dir <- args[1]
for (n in as.numeric(args[-1])) {
  set.seed(1)
  arm <- rep(0:1, length.out = n)
  t <- rexp(n, 0.1 * ifelse(arm == 1, 0.7, 1)); c <- runif(n, 0, 30)
  d <- data.frame(time = round(pmin(t, c), 4), event = as.integer(t <= c), arm = arm)
  write.csv(d, file.path(dir, sprintf("n%d.csv", n)), row.names = FALSE)
}
RS

now() { date +%s.%N; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
time_survlit() {
  local a b c t0
  t0=$(now); "$BIN" "$@" > /dev/null; a=$(echo "$(now) - $t0" | bc -l)
  t0=$(now); "$BIN" "$@" > /dev/null; b=$(echo "$(now) - $t0" | bc -l)
  t0=$(now); "$BIN" "$@" > /dev/null; c=$(echo "$(now) - $t0" | bc -l)
  median3 "$a" "$b" "$c"
}
ratio() { echo "$1 / $2" | bc -l; }

# One result row. lifelines is timed twice: the fitting call alone (as R),
# and pd.read_csv + the fit, the same work survlit's whole-command time
# covers; both ratios are printed.
row() { # work R_s lifelines_fit_s lifelines_read_and_fit_s survlit_s
  printf "%-24s %8.3f %8.3f %8.3f %9.4f %7.1f %7.1f %7.1f\n" "$1" "$2" "$3" "$4" "$5" \
    "$(ratio "$2" "$5")" "$(ratio "$3" "$5")" "$(ratio "$4" "$5")"
}

printf "%-24s %8s %8s %8s %9s %7s %7s %7s\n" "work" "R_s" "lif_s" "lif+rd_s" "survlit_s" "x_R" "x_lif" "x_lif+rd"
for n in $SIZES; do
  f="$WORK/n$n.csv"
  s=$(time_survlit km "$f" --group arm)
  r=$(Rscript -e "suppressMessages(library(survival)); d <- read.csv('$f'); cat(system.time(survfit(Surv(time, event) ~ arm, data = d))[['elapsed']])")
  l=$(python3 -c "
import time, pandas as pd
from lifelines import KaplanMeierFitter
t_read = time.perf_counter(); d = pd.read_csv('$f'); t0 = time.perf_counter()
for a in (0, 1):
    g = d[d.arm == a]; KaplanMeierFitter().fit(g.time, g.event)
t1 = time.perf_counter(); print(t1 - t0, t1 - t_read)")
  row "KM n=$n" "$r" $l "$s"
  s=$(time_survlit logrank "$f" --group arm)
  r=$(Rscript -e "suppressMessages(library(survival)); d <- read.csv('$f'); cat(system.time(survdiff(Surv(time, event) ~ arm, data = d))[['elapsed']])")
  l=$(python3 -c "
import time, pandas as pd
from lifelines.statistics import logrank_test
t_read = time.perf_counter(); d = pd.read_csv('$f'); a, b = d[d.arm == 0], d[d.arm == 1]; t0 = time.perf_counter()
logrank_test(a.time, b.time, a.event, b.event)
t1 = time.perf_counter(); print(t1 - t0, t1 - t_read)")
  row "log-rank n=$n" "$r" $l "$s"
  if [ "$n" -le 1000000 ]; then
    s=$(time_survlit cox "$f" --covariates arm)
    r=$(Rscript -e "suppressMessages(library(survival)); d <- read.csv('$f'); cat(system.time(coxph(Surv(time, event) ~ arm, data = d))[['elapsed']])")
    l=$(python3 -c "
import time, pandas as pd
from lifelines import CoxPHFitter
t_read = time.perf_counter(); d = pd.read_csv('$f'); t0 = time.perf_counter()
CoxPHFitter().fit(d, duration_col='time', event_col='event')
t1 = time.perf_counter(); print(t1 - t0, t1 - t_read)")
    row "Cox Efron n=$n" "$r" $l "$s"
  fi
done

# Reconstruction of one 150-point arm (Guyot), timed inside survlit's process
# by repetition: the command's wall time divided by nothing else is start-up.
python3 - "$WORK" <<'PY'
import math, sys
d = sys.argv[1]
with open(f"{d}/curve.csv", "w") as f:
    f.write("time,surv\n")
    for i in range(150):
        t = i * 0.2
        f.write(f"{t:.3f},{math.exp(-0.1 * t):.5f}\n")
with open(f"{d}/risk.csv", "w") as f:
    f.write("time,n_risk\n")
    for t in range(0, 30, 5):
        f.write(f"{t},{round(300 * math.exp(-0.1 * t) * (1 - t / 60))}\n")
PY
s=$(time_survlit reconstruct --curve "$WORK/curve.csv" --at-risk "$WORK/risk.csv")
v=$(time_survlit --version)
printf "%-24s %10s %10s %10.4f   (start-up alone %.4f s; target: reconstruction < 1 ms)\n" "reconstruct 150 points" "-" "-" "$s" "$v"
