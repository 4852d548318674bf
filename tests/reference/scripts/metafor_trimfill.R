# Trim-and-fill references: dat.hackshaw1998 (log OR; metafor's trimfill
# example), dat.bcg, and the simulated k = 60 set; FE and REML; L0 and R0.
# Run from the repository root:  Rscript tests/reference/scripts/metafor_trimfill.R
suppressMessages({library(metafor); library(metadat)})
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
hack <- dat.hackshaw1998
write.csv(data.frame(study = seq_len(nrow(hack)), yi = num(hack$yi), vi = num(hack$vi)), "tests/fixtures/hackshaw1998.csv", row.names = FALSE, quote = FALSE)
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
sim <- read.csv("tests/fixtures/sim60.csv")
sets <- list(hackshaw1998 = hack, bcg = bcg, sim60 = sim)
rows <- list()
for (name in names(sets)) for (method in c("FE", "REML")) for (est in c("L0", "R0")) {
  d <- sets[[name]]
  fit <- rma(d$yi, d$vi, method = method, control = ctrl)
  tf <- trimfill(fit, estimator = est, control = ctrl)
  rows[[length(rows) + 1]] <- data.frame(set = name, method = method, estimator = est, k0 = tf$k0, se_k0 = num(tf$se.k0), side = tf$side,
    estimate = num(tf$b[1]), se = num(tf$se), ci_lb = num(tf$ci.lb), ci_ub = num(tf$ci.ub), tau2 = num(tf$tau2))
}
con <- file("tests/reference/metafor/trimfill.csv", "w")
writeLines(sprintf("# metafor %s; trimfill(rma(yi, vi, method), estimator)", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
