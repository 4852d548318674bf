# Refits survlit analysis 'sbrt-local-control-pooled' with R metafor from metafor.csv
# (yi, vi on the PLO scale; survlit's pooled.csv holds the same fit).
# Run from this folder: Rscript metafor.R
library(metafor)
dat <- read.csv("metafor.csv", stringsAsFactors = FALSE)
res <- rma(yi, vi, slab = study, data = dat, method = "REML", test = "knha", level = 95,
           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))
print(res)
print(predict(res, transf = transf.ilogit))
print(confint(res))
