# Refits survlit analysis 'sbrt-local-control-pooled' with R metafor from metafor.csv (yi, vi on
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
# Leave-one-out:
l1o <- leave1out(res)
print(l1o)
for (i in seq_len(nrow(dat))) {
  keep_ci(paste0("leave-one-out ", dat$study[i], ": "), l1o$estimate[i], l1o$ci.lb[i], l1o$ci.ub[i])
  keep(paste0("leave-one-out ", dat$study[i], ": i2"), l1o$I2[i])
}
# Cumulative meta-analysis, studies added in this order (rows of metafor.csv):
added <- c(1, 3, 4, 2, 5)
cum <- cumul(res, order = order(added))
print(cum)
for (i in seq_along(added)) keep_ci(paste0("cumulative ", i, ": "), cum$estimate[i], cum$ci.lb[i], cum$ci.ub[i])
cat("\nEvery number of the report, on its scale:\n")
print(numbers, digits = 10, row.names = FALSE)
