# Refits survlit analysis 'sbrt-local-control-subgroups' with R metafor from metafor.csv (yi, vi on
# the PLO scale) and prints every number survlit's report and figures print;
# the last table, 'numbers', lists them on the report's scale.
# Run from this folder: Rscript metafor.R
library(metafor)
dat <- read.csv("metafor.csv", stringsAsFactors = FALSE)
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
shown <- function(x) 100 * transf.ilogit(x)
numbers <- data.frame(quantity = character(), value = numeric())
keep <- function(quantity, value) numbers[nrow(numbers) + 1, ] <<- list(quantity, value)
keep_ci <- function(prefix, est, lb, ub) {
  ci <- sort(shown(c(lb, ub)))
  keep(paste0(prefix, "estimate"), shown(est)); keep(paste0(prefix, "ci_lb"), ci[1]); keep(paste0(prefix, "ci_ub"), ci[2])
}
res <- rma(yi, vi, slab = study, data = dat, method = "REML", test = "knha", level = 95, control = ctrl)
print(res)
keep_ci("", res$b[1], res$ci.lb, res$ci.ub)
keep("stat", res$zval); keep("pval", res$pval)
keep("tau2", res$tau2); keep("i2", res$I2); keep("q", res$QE); keep("q_pval", res$QEp)
pred <- predict(res)
print(pred)
pi <- sort(shown(c(pred$pi.lb, pred$pi.ub)))
keep("pi_lb", pi[1]); keep("pi_ub", pi[2])
het <- confint(res)
print(het)
keep("tau2_ci_lb", het$random["tau^2", "ci.lb"]); keep("tau2_ci_ub", het$random["tau^2", "ci.ub"])
# Subgroups by population, in survlit's order:
levels <- c("spinal LMS, primary or metastatic", "spinal sarcoma metastases, SBRT/SRS", "spinal sarcoma, SBRT/SRS")
# Each subgroup with its own tau^2:
sub <- data.frame(estimate = numeric(), se = numeric())
for (g in levels) {
  cat("\n==", g, "==\n")
  fit <- rma(yi, vi, slab = study, subset = population == g, data = dat, method = "REML", test = "knha", level = 95, control = ctrl)
  print(fit)
  keep_ci(paste0("subgroup ", g, ": "), fit$b[1], fit$ci.lb, fit$ci.ub)
  if (fit$k > 1) keep(paste0("subgroup ", g, ": i2"), fit$I2)
  sub[nrow(sub) + 1, ] <- list(fit$b[1], fit$se)
}
# Test for subgroup differences: Q-between, the heterogeneity of an
# equal-effects model of the subgroup estimates (not the common-tau^2 QM).
between <- rma(estimate, sei = se, data = sub, method = "FE")
print(between)
keep("subgroup_test", between$QE); keep("subgroup_test_pval", between$QEp)
cat("\nEvery number of the report, on its scale:\n")
print(numbers, digits = 10, row.names = FALSE)
