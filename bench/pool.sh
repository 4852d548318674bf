#!/usr/bin/env bash
# Benchmark: survlit pool vs R metafor on the same simulated data, in one run.
# Generator (issue #3): vi ~ U(0.01, 0.2), yi ~ N(0.2, 0.05 + vi), seed 1.
# Work: REML random-effects fit for k = 1e2, 1e3, 1e4, 1e5, and 10 000
# repeated k = 10 meta-analyses. Prints each time and the ratio.
#
# metafor builds k x k matrices (P, P %*% P) in every REML iteration, so its
# time grows as k^3; it is run for k <= 1e3 by default (k = 1e4 takes many
# minutes, k = 1e5 would need an 80 GB matrix). BENCH_FULL=1 adds k = 1e4.
#
# survlit's time is the wall time of the whole command (start-up, CSV
# parsing, fit, Q-profile CI, JSON output), median of 5 runs; metafor's is
# rma() alone, one run.
# Needs: cargo, Rscript with metafor (apt-get install r-base-core r-cran-metafor).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=target/release/survlit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

Rscript - "$WORK" <<'RS'
args <- commandArgs(TRUE); dir <- args[1]
set.seed(1)
gen <- function(k) { vi <- runif(k, 0.01, 0.2); yi <- rnorm(k, 0.2, sqrt(0.05 + vi)); data.frame(study = seq_len(k), yi = yi, vi = vi) }
for (k in c(1e2, 1e3, 1e4, 1e5)) write.csv(gen(k), file.path(dir, sprintf("k%d.csv", k)), row.names = FALSE)
reps <- do.call(rbind, lapply(1:10000, function(r) cbind(rep = r, gen(10))))
reps$study <- seq_len(nrow(reps))
write.csv(reps, file.path(dir, "reps.csv"), row.names = FALSE)
RS

now() { date +%s.%N; }
# survlit: median wall time of 5 runs (one run is milliseconds and noisy).
time_survlit() {
  local t0 t1 i times=()
  for i in 1 2 3 4 5; do
    t0=$(now); "$BIN" pool "$@" --json > /dev/null; t1=$(now)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 3p
}

printf "%-28s %12s %12s %10s\n" "work" "metafor_s" "survlit_s" "ratio"
for k in 100 1000 10000 100000; do
  s=$(time_survlit "$WORK/k$k.csv" --measure GEN --method REML)
  if [ "$k" -le 1000 ] || { [ "$k" -le 10000 ] && [ "${BENCH_FULL:-0}" = 1 ]; }; then
    r=$(Rscript -e "suppressMessages(library(metafor)); d <- read.csv('$WORK/k$k.csv'); t <- system.time(rma(d\$yi, d\$vi, method='REML'))[['elapsed']]; cat(t)")
    printf "%-28s %12.4f %12.4f %10.1f\n" "REML k=$k" "$r" "$s" "$(echo "$r / $s" | bc -l)"
  else
    printf "%-28s %12s %12.4f %10s\n" "REML k=$k" "skipped" "$s" "-"
  fi
done
s=$(time_survlit "$WORK/reps.csv" --measure GEN --method REML --by rep)
# metafor's Fisher scoring fails on some replicates with its defaults; retry those
# with step-halving (help(rma)'s remedy), as survlit does, and count them.
r=$(Rscript -e "suppressMessages(library(metafor)); d <- read.csv('$WORK/reps.csv'); n <- 0; t <- system.time(for (g in split(d, d\$rep)) tryCatch(rma(g\$yi, g\$vi, method='REML'), error = function(e) { n <<- n + 1; rma(g\$yi, g\$vi, method='REML', control = list(stepadj = 0.5, maxiter = 1000)) }))[['elapsed']]; cat(t); message('metafor: ', n, ' replicates needed step-halving')")
printf "%-28s %12.4f %12.4f %10.1f\n" "REML 10000 x k=10" "$r" "$s" "$(echo "$r / $s" | bc -l)"
