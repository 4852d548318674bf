# Reference values for meta-regression and subgroups on dat.bcg (log RR), REML.
# Run from the repository root:  Rscript tests/reference/scripts/metafor_bcg_mods.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
rows <- list()
add <- function(model, test, fit) {
  for (j in seq_along(fit$b)) {
    rows[[length(rows) + 1]] <<- data.frame(model = model, test = test, term = rownames(fit$b)[j],
      estimate = num(fit$b[j]), se = num(fit$se[j]), stat = num(fit$zval[j]), pval = num(fit$pval[j]),
      ci_lb = num(fit$ci.lb[j]), ci_ub = num(fit$ci.ub[j]), tau2 = num(fit$tau2), tau2_se = num(fit$se.tau2),
      q = num(fit$QE), q_pval = num(fit$QEp), qm = num(fit$QM), qm_pval = num(fit$QMp), i2 = num(fit$I2), h2 = num(fit$H2))
  }
}
for (test in c("z", "knha")) {
  add("ablat", test, rma(yi, vi, mods = ~ ablat, data = dat, method = "REML", test = test, control = ctrl))
  add("alloc", test, rma(yi, vi, mods = ~ alloc, data = dat, method = "REML", test = test, control = ctrl))
  add("ablat+year", test, rma(yi, vi, mods = ~ ablat + year, data = dat, method = "REML", test = test, control = ctrl))
}
con <- file("tests/reference/metafor/bcg_mods.csv", "w")
writeLines(sprintf("# metafor %s; dat.bcg RR; REML; control threshold=tol=1e-12", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)

# Subgroups by allocation with separate tau^2, and the test for subgroup differences.
groups <- sort(unique(dat$alloc))
fits <- lapply(groups, function(g) rma(yi, vi, data = dat, subset = alloc == g, method = "REML", control = ctrl))
est <- sapply(fits, function(f) f$b[1]); ses <- sapply(fits, function(f) f$se)
qb <- rma(est, sei = ses, method = "FE")
con <- file("tests/reference/metafor/bcg_subgroups.csv", "w")
writeLines(sprintf("# metafor %s; dat.bcg RR; REML per subgroup of alloc; Q-between from rma(est, sei, method='FE')", packageVersion("metafor")), con)
write.csv(data.frame(group = groups, k = sapply(fits, function(f) f$k), estimate = num(est), se = num(ses),
                     tau2 = num(sapply(fits, function(f) f$tau2)), q_between = num(qb$QE), q_between_pval = num(qb$QEp)),
          con, row.names = FALSE, quote = FALSE)
close(con)

# Subgroups by allocation with a common tau^2: cell-means model for the estimates,
# treatment coding for the test of subgroup differences (QM, or F under knha).
rows <- list()
for (test in c("z", "knha")) {
  cm <- rma(yi, vi, mods = ~ factor(alloc) - 1, data = dat, method = "REML", test = test, control = ctrl)
  tm <- rma(yi, vi, mods = ~ factor(alloc), data = dat, method = "REML", test = test, control = ctrl)
  rows[[test]] <- data.frame(test = test, group = groups, estimate = num(cm$b), se = num(cm$se),
    ci_lb = num(cm$ci.lb), ci_ub = num(cm$ci.ub), pval = num(cm$pval), tau2 = num(cm$tau2),
    between = num(tm$QM), between_df = tm$QMdf[1], between_pval = num(tm$QMp))
}
con <- file("tests/reference/metafor/bcg_subgroups_common.csv", "w")
writeLines(sprintf("# metafor %s; dat.bcg RR; REML with common tau^2: mods = ~ factor(alloc) - 1 (estimates), ~ factor(alloc) (QM / F test)", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
