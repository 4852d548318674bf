# Reference for the LMS project's pooled 1-year local control after spine
# SBRT/SRS (analysis sbrt-local-control-pooled): the same per-study
# derivations survlit records in effects.csv (PLO from p*n, or from the CI for
# Folkert), pooled by metafor with REML and Knapp-Hartung.
# Run from the repository root:  Rscript tests/reference/scripts/metafor_lms_sbrt.R
suppressMessages(library(metafor))
num <- function(x) sprintf("%.17g", x)
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
lg <- function(p) log(p / (1 - p))
# Bishop 2017 81% of 66 lesions; Miller 51% of 40 sites; PMID 38311030 89% of 100 lesions;
# Stanford SRS 58% of 7 patients: counts p*n. Folkert 87.9% (95% CI 81.3-94.5).
d <- escalc(measure = "PLO", xi = c(0.81 * 66, 0.51 * 40, 0.89 * 100, 0.58 * 7), ni = c(66, 40, 100, 7))
se_folkert <- (lg(0.945) - lg(0.813)) / (2 * qnorm(0.975))
yi <- c(d$yi[1], lg(0.879), d$yi[2:4]); vi <- c(d$vi[1], se_folkert^2, d$vi[2:4])
fit <- rma(yi, vi, method = "REML", test = "knha", control = ctrl)
ci <- confint(fit, control = ctrl)$random
pr <- predict(fit, transf = transf.ilogit)
con <- file("tests/reference/metafor/lms_sbrt_pooled.csv", "w")
writeLines(sprintf("# metafor %s; PLO; REML; knha; order bishop2017, folkert_mskcc, miller_ccf, pmid38311030, stanford_slms", packageVersion("metafor")), con)
write.csv(data.frame(estimate = num(fit$b[1]), se = num(fit$se), ci_lb = num(fit$ci.lb), ci_ub = num(fit$ci.ub),
                     pi_lb = num(pr$pi.lb), pi_ub = num(pr$pi.ub), estimate_natural = num(pr$pred), ci_lb_natural = num(pr$ci.lb), ci_ub_natural = num(pr$ci.ub),
                     tau2 = num(fit$tau2), tau2_ci_lb = num(ci["tau^2", "ci.lb"]), tau2_ci_ub = num(ci["tau^2", "ci.ub"]), i2 = num(fit$I2), q = num(fit$QE), q_pval = num(fit$QEp)),
          con, row.names = FALSE, quote = FALSE)
close(con)

# Leave-one-out (analysis sbrt-local-control-pooled, leave_one_out.csv), natural scale in percent.
l1o <- leave1out(fit, transf = transf.ilogit)  # refits with the fit's own control settings
raw <- leave1out(fit)
con <- file("tests/reference/metafor/lms_sbrt_leave1out.csv", "w")
writeLines(sprintf("# metafor %s; leave1out of the model above; estimate/ci in percent (transf.ilogit x 100)", packageVersion("metafor")), con)
write.csv(data.frame(omitted_study_id = c("bishop2017", "folkert_mskcc", "miller_ccf", "pmid38311030", "stanford_slms"),
                     estimate = num(100 * l1o$estimate), ci_lb = num(100 * l1o$ci.lb), ci_ub = num(100 * l1o$ci.ub),
                     pval = num(raw$pval), tau2 = num(raw$tau2), i2 = num(raw$I2), q = num(raw$Q)),
          con, row.names = FALSE, quote = FALSE)
close(con)
