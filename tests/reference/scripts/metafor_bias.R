# Egger (regtest: model "rma" and "lm") and Begg (ranktest) tests.
# dat.bcg (k = 13: exact Kendall) and a simulated set with k = 60 (normal
# approximation), written to tests/fixtures/sim60.csv.
# Run from the repository root:  Rscript tests/reference/scripts/metafor_bias.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
set.seed(42)
vi <- runif(60, 0.01, 0.2); yi <- rnorm(60, 0.2 + 0.8 * sqrt(vi), sqrt(0.05 + vi))
write.csv(data.frame(study = seq_len(60), yi = num(yi), vi = num(vi)), "tests/fixtures/sim60.csv", row.names = FALSE, quote = FALSE)
sets <- list(bcg = bcg, sim60 = data.frame(yi = yi, vi = vi))
rows <- list()
for (name in names(sets)) for (test in c("z", "knha")) {
  d <- sets[[name]]
  fit <- rma(d$yi, d$vi, method = "REML", test = test, control = ctrl)
  eg <- regtest(fit)
  lm <- regtest(fit, model = "lm")
  rk <- ranktest(fit)
  rows[[length(rows) + 1]] <- data.frame(set = name, test = test,
    egger_stat = num(eg$zval), egger_pval = num(eg$pval), egger_limit = num(eg$est), egger_limit_lb = num(eg$ci.lb), egger_limit_ub = num(eg$ci.ub),
    lm_stat = num(lm$zval), lm_df = num(lm$dfs), lm_pval = num(lm$pval), lm_limit = num(lm$est),
    rank_tau = num(rk$tau), rank_pval = num(rk$pval))
}
con <- file("tests/reference/metafor/bias.csv", "w")
writeLines(sprintf("# metafor %s; REML; regtest(fit), regtest(fit, model='lm'), ranktest(fit)", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
