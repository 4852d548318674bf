# Leave-one-out and cumulative (by year) REML meta-analyses of dat.bcg (log RR).
# Run from the repository root:  Rscript tests/reference/scripts/metafor_bcg_sensitivity.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
dat$study <- paste0(dat$author, " ", dat$year)
rows <- list()
for (test in c("z", "knha")) {
  fit <- rma(yi, vi, data = dat, method = "REML", test = test, slab = study, control = ctrl)
  l1 <- leave1out(fit)
  cu <- cumul(fit, order = dat$year)
  for (kind in c("leave1out", "cumul")) {
    r <- if (kind == "leave1out") l1 else cu
    rows[[length(rows) + 1]] <- data.frame(kind = kind, test = test, study = r$slab, estimate = num(r$estimate), se = num(r$se),
      ci_lb = num(r$ci.lb), ci_ub = num(r$ci.ub), pval = num(r$pval), q = num(r$Q), tau2 = num(r$tau2), i2 = num(r$I2))
  }
}
con <- file("tests/reference/metafor/bcg_sensitivity.csv", "w")
writeLines(sprintf("# metafor %s; dat.bcg RR; REML; leave1out() and cumul(order = year)", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = TRUE)
close(con)
