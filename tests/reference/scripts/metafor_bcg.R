# Reference values for survlit's pooling engine: metafor on dat.bcg (log RR).
# Run from the repository root:  Rscript tests/reference/scripts/metafor_bcg.R
# Writes tests/fixtures/dat_bcg.csv (the effect sizes survlit reads) and
# tests/reference/metafor/bcg_rma.csv (one row per method x test).
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) ifelse(is.na(x) | is.null(x), "NA", sprintf("%.17g", x))

dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
dat$study <- paste0(dat$author, " ", dat$year)
write.csv(data.frame(study = dat$study, year = dat$year, ablat = dat$ablat, alloc = dat$alloc,
                     yi = sprintf("%.17g", dat$yi), vi = sprintf("%.17g", dat$vi)),
          "tests/fixtures/dat_bcg.csv", row.names = FALSE, quote = TRUE)

rows <- list()
for (method in c("FE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM")) {
  for (test in c("z", "knha")) {
    fit <- rma(dat$yi, dat$vi, method = method, test = test, control = ctrl)
    pr <- predict(fit)
    ci <- if (method == "FE") NULL else confint(fit, control = ctrl)
    get <- function(name, col) if (is.null(ci)) NA else ci$random[name, col]
    w <- weights(fit)
    rows[[length(rows) + 1]] <- data.frame(
      method = method, test = test,
      estimate = num(fit$b[1]), se = num(fit$se), stat = num(fit$zval), pval = num(fit$pval),
      ci_lb = num(fit$ci.lb), ci_ub = num(fit$ci.ub),
      pi_lb = num(if (method == "FE") pr$ci.lb else pr$pi.lb), pi_ub = num(if (method == "FE") pr$ci.ub else pr$pi.ub),
      tau2 = num(fit$tau2), tau2_se = num(if (method == "FE") NA else fit$se.tau2),
      q = num(fit$QE), q_pval = num(fit$QEp), i2 = num(fit$I2), h2 = num(fit$H2),
      tau2_lb = num(get("tau^2", "ci.lb")), tau2_ub = num(get("tau^2", "ci.ub")),
      i2_lb = num(get("I^2(%)", "ci.lb")), i2_ub = num(get("I^2(%)", "ci.ub")),
      h2_lb = num(get("H^2", "ci.lb")), h2_ub = num(get("H^2", "ci.ub")),
      weight_1 = num(w[1]), weight_13 = num(w[13]))
  }
}
out <- do.call(rbind, rows)
con <- file("tests/reference/metafor/bcg_rma.csv", "w")
writeLines(sprintf("# metafor %s, R %s; dat.bcg escalc(RR); control threshold=tol=1e-12", packageVersion("metafor"), getRversion()), con)
write.csv(out, con, row.names = FALSE, quote = FALSE)
close(con)
