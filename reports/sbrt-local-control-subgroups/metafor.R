# Refits survlit analysis 'sbrt-local-control-subgroups' with R metafor from metafor.csv
# (yi, vi on the PLO scale; survlit's pooled.csv holds the same fit).
# Run from this folder: Rscript metafor.R
library(metafor)
dat <- read.csv("metafor.csv", stringsAsFactors = FALSE)
res <- rma(yi, vi, slab = study, data = dat, method = "REML", test = "knha", level = 95,
           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))
print(res)
print(predict(res, transf = transf.ilogit))
print(confint(res))
# Subgroups by population, each with its own tau^2:
for (g in sort(unique(dat$population))) {
  cat("\n==", g, "==\n")
  fit <- rma(yi, vi, slab = study, subset = population == g, data = dat, method = "REML", test = "knha", level = 95,
           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))
  print(fit)
}
# Test of subgroup differences (common tau^2): QM of the moderator.
print(rma(yi, vi, mods = ~ factor(population), data = dat, method = "REML", test = "knha", level = 95,
           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)))
