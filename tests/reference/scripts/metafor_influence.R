# Influence diagnostics: influence() of REML fits to dat.bcg (log RR) and to a
# six-study set with one outlier (flagged influential), z and Knapp-Hartung.
# Run from the repository root:
#   Rscript tests/reference/scripts/metafor_influence.R
suppressMessages(library(metafor))
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) sprintf("%.17g", x)
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
sets <- list(bcg = list(y = dat$yi, v = dat$vi),
             outlier6 = list(y = c(0.1, 0.15, 0.2, 0.12, 0.18, 1.6), v = c(0.02, 0.03, 0.025, 0.02, 0.03, 0.01)))
rows <- list()
for (name in names(sets)) for (test in c("z", "knha")) {
  d <- sets[[name]]
  inf <- influence(rma(d$y, d$v, method = "REML", test = test, control = ctrl))
  i <- inf$inf
  rows[[paste(name, test)]] <- data.frame(set = name, test = test, study = seq_along(i$rstudent), rstudent = num(i$rstudent), dffits = num(i$dffits), cook_d = num(i$cook.d),
    cov_r = num(i$cov.r), tau2_del = num(i$tau2.del), qe_del = num(i$QE.del), hat = num(i$hat), weight = num(i$weight),
    dfbetas = num(inf$dfbs$intrcpt), influential = inf$is.infl)
}
con <- file("tests/reference/metafor/bcg_influence.csv", "w")
writeLines(sprintf("# metafor %s; dat.bcg RR and outlier6 (y = 0.1, 0.15, 0.2, 0.12, 0.18, 1.6; v = 0.02, 0.03, 0.025, 0.02, 0.03, 0.01); REML; influence()", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
