# Reference for the metafor-ready export: refits the LMS pooled analyses from
# the metafor.csv survlit writes (reports/<analysis>/metafor.csv), exactly as
# the metafor.R next to it does, tightly converged. tests/metafor_export.rs
# compares these numbers with survlit's pooled.csv and meta-regression.
# Run from the repository root after `survlit run`:
#   Rscript tests/reference/scripts/metafor_lms_export.R
suppressMessages(library(metafor))
num <- function(x) sprintf("%.17g", x)
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
rows <- list()
for (a in c("sbrt-local-control-pooled", "sbrt-local-control-pooled-direct", "sbrt-local-control-size")) {
  f <- file.path("reports", a, "metafor.csv")
  if (!file.exists(f)) next
  dat <- read.csv(f, stringsAsFactors = FALSE)
  fit <- rma(yi, vi, data = dat, method = "REML", test = "knha", control = ctrl)
  rows[[length(rows) + 1]] <- data.frame(analysis = a, model = "pooled", k = fit$k,
    estimate = num(fit$b[1]), se = num(fit$se), tau2 = num(fit$tau2), q = num(fit$QE),
    slope = "", qm = "", qm_pval = "")
  if (a == "sbrt-local-control-size") {
    reg <- rma(yi, vi, mods = ~ ni, data = dat, method = "REML", test = "knha", control = ctrl)
    rows[[length(rows) + 1]] <- data.frame(analysis = a, model = "meta-regression on ni", k = reg$k,
      estimate = num(reg$b[1]), se = num(reg$se[1]), tau2 = num(reg$tau2), q = num(reg$QE),
      slope = num(reg$b[2]), qm = num(reg$QM), qm_pval = num(reg$QMp))
  }
}
con <- file("tests/reference/metafor/lms_export.csv", "w")
writeLines(sprintf("# metafor %s; REML; knha; refitted from reports/*/metafor.csv", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
