# Reference values for predictions of a meta-regression (the bubble plot's
# line and band): dat.bcg log RR on absolute latitude, REML, z and knha.
# Run from the repository root:  Rscript tests/reference/scripts/metafor_bcg_predict.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
rows <- list()
for (test in c("z", "knha")) {
  fit <- rma(yi, vi, mods = ~ ablat, data = dat, method = "REML", test = test, control = ctrl)
  for (x in c(0, 13, 33.5, 55, 70)) {
    p <- predict(fit, newmods = x)
    rows[[length(rows) + 1]] <- data.frame(test = test, ablat = x, pred = num(p$pred), se = num(p$se),
      ci_lb = num(p$ci.lb), ci_ub = num(p$ci.ub), pi_lb = num(p$pi.lb), pi_ub = num(p$pi.ub))
  }
}
con <- file("tests/reference/metafor/bcg_predict.csv", "w")
writeLines(sprintf("# metafor %s; dat.bcg RR ~ ablat; REML; predict(newmods); control threshold=tol=1e-12", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
