# Q-profile CIs when k - p = 1 (the chi-square(1) quantiles at alpha/2), and
# k = 3 under Knapp-Hartung. Run from the repository root:
#   Rscript tests/reference/scripts/metafor_small_k.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
cases <- list(k2 = list(y = c(1.3218734513826320, -1.1847805839493715), v = c(0.01, 0.01)),
              k3 = list(y = c(0.10, 0.45, -0.30), v = c(0.04, 0.09, 0.02)))
rows <- list()
for (name in names(cases)) for (test in c("z", "knha")) {
  d <- cases[[name]]
  fit <- rma(d$y, d$v, method = "REML", test = test, control = ctrl)
  ci <- confint(fit, control = ctrl)$random
  rows[[length(rows) + 1]] <- data.frame(case = name, test = test, y = paste(num(d$y), collapse = ";"), v = paste(num(d$v), collapse = ";"),
    estimate = num(fit$b[1]), ci_lb = num(fit$ci.lb), ci_ub = num(fit$ci.ub), tau2 = num(fit$tau2),
    tau2_lb = num(ci["tau^2", "ci.lb"]), tau2_ub = num(ci["tau^2", "ci.ub"]))
}
con <- file("tests/reference/metafor/small_k.csv", "w")
writeLines(sprintf("# metafor %s; REML; Q-profile CIs", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
