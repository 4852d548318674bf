# Reference values for survlit's proportion effect sizes: escalc on a set with
# zero-event and all-event studies, every measure; plus the Freeman-Tukey
# back-transformation with the harmonic-mean n (Miller 1978 data, as in
# metafor's tests). Run from the repository root:
#   Rscript tests/reference/scripts/metafor_proportions.R
suppressMessages(library(metafor))
num <- function(x) sprintf("%.17g", x)
xi <- c(0, 3, 10, 7, 25, 12)
ni <- c(10, 10, 10, 40, 25, 60)
rows <- list()
for (m in c("PR", "PLN", "PLO", "PAS", "PFT")) {
  e <- escalc(measure = m, xi = xi, ni = ni)
  rows[[m]] <- data.frame(measure = m, study = seq_along(xi), xi = xi, ni = ni, yi = num(e$yi), vi = num(e$vi))
}
con <- file("tests/reference/metafor/proportions.csv", "w")
writeLines(sprintf("# metafor %s escalc, default to='only0', add=1/2", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)

# Miller (1978): four studies; pooled FT estimate back-transformed with the harmonic mean of n.
x <- c(3, 6, 10, 1); n <- c(11, 17, 21, 6)
dat <- escalc(measure = "PFT", xi = x, ni = n, add = 0)
fit <- rma(yi, vi, method = "FE", data = dat)
pred <- predict(fit, transf = transf.ipft.hm, targs = list(ni = n))
con <- file("tests/reference/metafor/miller1978.csv", "w")
writeLines(sprintf("# metafor %s; Miller 1978, measure PFT, FE model, transf.ipft.hm", packageVersion("metafor")), con)
write.csv(data.frame(estimate_ft = num(coef(fit)), pred = num(pred$pred), ci_lb = num(pred$ci.lb), ci_ub = num(pred$ci.ub)), con, row.names = FALSE, quote = FALSE)
close(con)
