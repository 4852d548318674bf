# Reference values for pooling what survival papers report, computed in R:
#
# 1. Hazard ratios (tests/fixtures/hr_mixed.csv, a synthetic set): log HR from
#    HR + CI at the row's level, SE = (ln ub - ln lb) / (2 z); from HR + two-sided
#    p, SE = |ln HR| / z(1 - p/2); from O-E and V, yi = (O-E)/V, vi = 1/V
#    (Parmar 1998, Tierney 2007). metafor 3.8 has no conv.wald (added in 4.0), so
#    the conversions are written out here from the formulas.
# 2. Median survival (tests/fixtures/dat_lung.csv = metamedian's dat.lung, 30
#    NSCLC comparisons): the Wald approach of McGrath et al. (2025),
#    SE = (ub - lb) / (2 z), pooled as metamedian_survival() does: median of
#    each arm (MED), difference (DOM) and log ratio (ROM) of medians. metamedian
#    is not on Debian, so its one-line SE helper is written out here.
#
# Each set is pooled with metafor::rma (REML z, REML knha, DL z), converged tightly.
# Run from the repository root:  Rscript tests/reference/scripts/metafor_survival_effects.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
z <- function(level) qnorm(1 - (1 - level / 100) / 2)

hr <- read.csv("tests/fixtures/hr_mixed.csv")
yi <- vi <- rep(NA_real_, nrow(hr))
for (i in seq_len(nrow(hr))) {
  r <- hr[i, ]
  if (!is.na(r$ci_lb)) {
    yi[i] <- log(r$hr); vi[i] <- ((log(r$ci_ub) - log(r$ci_lb)) / (2 * z(r$ci_level)))^2
  } else if (!is.na(r$pval)) {
    yi[i] <- log(r$hr); vi[i] <- (abs(log(r$hr)) / qnorm(1 - r$pval / 2))^2
  } else {
    yi[i] <- r$o_minus_e / r$v; vi[i] <- 1 / r$v
  }
}
sets <- list(HR = list(study = hr$study, yi = yi, vi = vi))

lung <- read.csv("tests/fixtures/dat_lung.csv")
se1 <- (lung$ci_ub1 - lung$ci_lb1) / (2 * z(lung$ci_level))
se2 <- (lung$ci_ub2 - lung$ci_lb2) / (2 * z(lung$ci_level))
sets$MED1 <- list(study = lung$study, yi = lung$median1, vi = se1^2)
sets$MED2 <- list(study = lung$study, yi = lung$median2, vi = se2^2)
sets$DOM <- list(study = lung$study, yi = lung$median1 - lung$median2, vi = se1^2 + se2^2)
sets$ROM <- list(study = lung$study, yi = log(lung$median1 / lung$median2),
                 vi = se1^2 / lung$median1^2 + se2^2 / lung$median2^2)

studies <- list(); pooled <- list()
for (s in names(sets)) {
  d <- sets[[s]]
  studies[[s]] <- data.frame(set = s, study = d$study, yi = num(d$yi), vi = num(d$vi))
  for (m in list(c("REML", "z"), c("REML", "knha"), c("DL", "z"))) {
    f <- rma(d$yi, d$vi, method = m[1], test = m[2], control = ctrl)
    pooled[[paste(s, m[1], m[2])]] <- data.frame(set = s, method = m[1], test = m[2], k = f$k,
      estimate = num(f$b[1]), se = num(f$se), pval = num(f$pval), ci_lb = num(f$ci.lb), ci_ub = num(f$ci.ub),
      tau2 = num(f$tau2), q = num(f$QE), i2 = num(f$I2), exp_estimate = num(exp(f$b[1])),
      exp_ci_lb = num(exp(f$ci.lb)), exp_ci_ub = num(exp(f$ci.ub)))
  }
}
con <- file("tests/reference/metafor/survival_effects_studies.csv", "w")
writeLines(sprintf("# metafor %s; per-study yi, vi: log HR (Wald CI, p, O-E/V) and McGrath 2025 Wald median SEs", packageVersion("metafor")), con)
write.csv(do.call(rbind, studies), con, row.names = FALSE, quote = FALSE)
close(con)
con <- file("tests/reference/metafor/survival_effects_pooled.csv", "w")
writeLines(sprintf("# metafor %s; rma on the sets above; control threshold=tol=1e-12", packageVersion("metafor")), con)
write.csv(do.call(rbind, pooled), con, row.names = FALSE, quote = FALSE)
close(con)
