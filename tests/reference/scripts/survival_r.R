# Reference values for survlit's survival engine from R survival (Debian
# r-cran-survival), written to tests/reference/survival/. The datasets are
# exported to tests/fixtures/ first so the Rust tests read the same rows.
# Run from the repository root:  Rscript tests/reference/scripts/survival_r.R
suppressMessages(library(survival))
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
out <- function(df, file, comment) {
  con <- file(file.path("tests/reference/survival", file), "w")
  writeLines(sprintf("# R %s, survival %s; %s", getRversion(), packageVersion("survival"), comment), con)
  write.csv(df, con, row.names = FALSE, quote = FALSE)
  close(con)
}

# Datasets (lung: status 1 = censored, 2 = dead; the others 0/1).
lung_d <- survival::lung[, c("time", "status", "age", "sex", "ph.ecog")]
names(lung_d)[5] <- "ph_ecog"
vet <- survival::veteran[, c("time", "status", "trt", "celltype", "karno", "age")]
aml_d <- survival::aml
test1 <- data.frame(time = c(4, 3, 1, 1, 2, 2, 3), status = c(1, 1, 1, 0, 1, 1, 0),
                    x = c(0, 2, 1, 1, 1, 0, 0), sex = c(0, 0, 0, 0, 1, 1, 1))
write.csv(lung_d, "tests/fixtures/lung.csv", row.names = FALSE, quote = FALSE, na = "")
write.csv(vet, "tests/fixtures/veteran.csv", row.names = FALSE, quote = FALSE)
write.csv(aml_d, "tests/fixtures/aml.csv", row.names = FALSE, quote = FALSE)
write.csv(test1, "tests/fixtures/test1.csv", row.names = FALSE, quote = FALSE)

# Kaplan-Meier: every step, three CI types; medians, quartiles, RMST.
fits <- list(
  list("lung", "all", Surv(time, status) ~ 1, lung_d, 1000),
  list("lung", "sex", Surv(time, status) ~ sex, lung_d, 1000),
  list("veteran", "trt", Surv(time, status) ~ trt, vet, 500),
  list("aml", "x", Surv(time, status) ~ x, aml_d, 40),
  list("test1", "all", Surv(time, status) ~ 1, test1, 4)
)
steps <- list(); summ <- list()
for (f in fits) for (ct in c("log", "log-log", "plain")) {
  fit <- survfit(f[[3]], data = f[[4]], conf.type = ct)
  strata <- if (is.null(fit$strata)) rep("all", length(fit$time)) else rep(sub(".*=", "", names(fit$strata)), fit$strata)
  steps[[length(steps) + 1]] <- data.frame(dataset = f[[1]], by = f[[2]], conf_type = ct, group = strata,
    time = num(fit$time), n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
    surv = num(fit$surv), se_surv = num(fit$std.err * fit$surv), ci_lb = num(fit$lower), ci_ub = num(fit$upper))
  q <- quantile(fit, probs = c(0.25, 0.5, 0.75))
  tab <- summary(fit, rmean = f[[5]])$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  qm <- function(m) if (is.null(dim(m))) t(as.matrix(m)) else m
  groups <- if (is.null(fit$strata)) "all" else sub(".*=", "", names(fit$strata))
  summ[[length(summ) + 1]] <- data.frame(dataset = f[[1]], by = f[[2]], conf_type = ct, group = groups,
    n = tab[, "records"], events = tab[, "events"], tau = f[[5]],
    rmst = num(tab[, "rmean"]), rmst_se = num(tab[, "se(rmean)"]),
    median = num(qm(q$quantile)[, 2]), median_ci_lb = num(qm(q$lower)[, 2]), median_ci_ub = num(qm(q$upper)[, 2]),
    q25 = num(qm(q$quantile)[, 1]), q25_ci_lb = num(qm(q$lower)[, 1]), q25_ci_ub = num(qm(q$upper)[, 1]),
    q75 = num(qm(q$quantile)[, 3]), q75_ci_lb = num(qm(q$lower)[, 3]), q75_ci_ub = num(qm(q$upper)[, 3]))
}
out(do.call(rbind, steps), "km_steps.csv", "survfit() steps; se_surv = std.err * surv (the SE of S)")
out(do.call(rbind, summ), "km_summary.csv", "quantile.survfit (median rule and band-intersection CIs); summary(fit, rmean = tau)$table")

# Survival at chosen times (summary(fit, times = ...), extend = TRUE).
at <- list()
for (ct in c("log", "log-log", "plain")) {
  s <- summary(survfit(Surv(time, status) ~ sex, data = lung_d, conf.type = ct), times = c(0, 90, 365, 500.5, 1000), extend = TRUE)
  at[[ct]] <- data.frame(dataset = "lung", by = "sex", conf_type = ct, group = sub(".*=", "", as.character(s$strata)),
    time = s$time, n_risk = s$n.risk, surv = num(s$surv), se_surv = num(s$std.err), ci_lb = num(s$lower), ci_ub = num(s$upper))
}
out(do.call(rbind, at), "km_at_times.csv", "summary(survfit, times = c(0, 90, 365, 500.5, 1000), extend = TRUE)")

# Log-rank and G-rho tests.
tests <- list(
  list("lung", "sex", "", 0, survdiff(Surv(time, status) ~ sex, data = lung_d)),
  list("lung", "sex", "", 1, survdiff(Surv(time, status) ~ sex, data = lung_d, rho = 1)),
  list("veteran", "celltype", "", 0, survdiff(Surv(time, status) ~ celltype, data = vet)),
  list("veteran", "trt", "celltype", 0, survdiff(Surv(time, status) ~ trt + strata(celltype), data = vet)),
  list("aml", "x", "", 0, survdiff(Surv(time, status) ~ x, data = aml_d)),
  list("aml", "x", "", 0.5, survdiff(Surv(time, status) ~ x, data = aml_d, rho = 0.5))
)
lr <- list()
for (t in tests) {
  d <- t[[5]]
  df <- length(d$n) - 1
  lr[[length(lr) + 1]] <- data.frame(dataset = t[[1]], group_by = t[[2]], strata = t[[3]], rho = t[[4]],
    group = sub(".*=", "", names(d$n)), n = as.vector(d$n), observed = num(if (is.matrix(d$obs)) rowSums(d$obs) else d$obs),
    expected = num(if (is.matrix(d$exp)) rowSums(d$exp) else d$exp), chisq = num(d$chisq), df = df,
    pval = num(pchisq(d$chisq, df, lower.tail = FALSE)))
}
out(do.call(rbind, lr), "logrank.csv", "survdiff(); observed/expected summed over strata")

# Cox models, both tie methods, converged tightly.
ctl <- coxph.control(eps = 1e-11, iter.max = 100)
models <- list(
  list("lung", "sex", Surv(time, status) ~ sex, lung_d),
  list("lung", "age+sex+ph_ecog", Surv(time, status) ~ age + sex + ph_ecog, lung_d),
  list("veteran", "trt+celltype+karno", Surv(time, status) ~ trt + celltype + karno, vet),
  list("veteran", "trt+karno|strata(celltype)", Surv(time, status) ~ trt + karno + strata(celltype), vet),
  list("test1", "x", Surv(time, status) ~ x, test1),
  list("aml", "x", Surv(time, status) ~ x, aml_d)
)
cx <- list(); cm <- list()
for (m in models) for (ties in c("efron", "breslow")) {
  fit <- coxph(m[[3]], data = m[[4]], ties = ties, control = ctl)
  s <- summary(fit)
  co <- s$coefficients; ci <- s$conf.int
  cx[[length(cx) + 1]] <- data.frame(dataset = m[[1]], model = m[[2]], ties = ties, term = rownames(co),
    coef = num(co[, "coef"]), se = num(co[, "se(coef)"]), hr = num(co[, "exp(coef)"]), z = num(co[, "z"]),
    pval = num(co[, "Pr(>|z|)"]), hr_ci_lb = num(ci[, "lower .95"]), hr_ci_ub = num(ci[, "upper .95"]))
  cm[[length(cm) + 1]] <- data.frame(dataset = m[[1]], model = m[[2]], ties = ties, n = fit$n, events = fit$nevent,
    loglik0 = num(fit$loglik[1]), loglik = num(fit$loglik[2]), lr_chisq = num(s$logtest["test"]), lr_df = s$logtest["df"],
    lr_pval = num(s$logtest["pvalue"]), wald_chisq = num(fit$wald.test), wald_pval = num(pchisq(fit$wald.test, length(fit$coefficients), lower.tail = FALSE)),
    score_chisq = num(fit$score), score_pval = num(pchisq(fit$score, length(fit$coefficients), lower.tail = FALSE)),
    concordance = num(fit$concordance["concordance"]), concordance_se = num(fit$concordance["std"]))
}
out(do.call(rbind, cx), "cox_coefficients.csv", "coxph(control = coxph.control(eps = 1e-11)); summary()$coefficients and conf.int")
out(do.call(rbind, cm), "cox_models.csv", "coxph(); loglik at 0 and at the fit, LR/Wald/score tests, concordance")

# Proportional-hazards check: scaled Schoenfeld residuals, transform = "km".
zph <- list()
for (m in models[c(1, 2, 3)]) for (ties in c("efron", "breslow")) {
  z <- cox.zph(coxph(m[[3]], data = m[[4]], ties = ties, control = ctl), transform = "km")
  zph[[length(zph) + 1]] <- data.frame(dataset = m[[1]], model = m[[2]], ties = ties, term = rownames(z$table),
    chisq = num(z$table[, "chisq"]), df = z$table[, "df"], pval = num(z$table[, "p"]))
}
out(do.call(rbind, zph), "cox_zph.csv", "cox.zph(transform = 'km')")

# The LMS project's case-report KM (analysis cases-km): the four patients with
# follow-up and vital status in data/cases.csv (months; 1 = died).
lms <- data.frame(time = c(60, 12, 108, 156), status = c(0, 0, 1, 1))
fit <- survfit(Surv(time, status) ~ 1, data = lms)
q <- quantile(fit, probs = 0.5)
s <- summary(fit, times = c(12, 60, 120), extend = TRUE)
out(data.frame(time = s$time, n_risk = s$n.risk, surv = num(s$surv), ci_lb = num(s$lower), ci_ub = num(s$upper),
               median = num(q$quantile), median_ci_lb = num(q$lower), median_ci_ub = num(q$upper)),
    "lms_cases_km.csv", "survfit on the four LMS case-report patients with follow-up and status; summary(times = c(12, 60, 120))")

# The cox analysis kind's test project (tests/cox_kind.rs): eight case-report
# patients in two studies, surgery alone vs surgery + radiotherapy, Cox
# stratified by study (Efron).
ck <- data.frame(time = c(30, 8, 20, 44, 12, 50, 26, 9), status = c(1, 0, 1, 0, 1, 1, 0, 1),
                 trt = c("surgery", "surgery", "surgery+rt", "surgery+rt", "surgery", "surgery+rt", "surgery+rt", "surgery"),
                 study = c("a", "a", "a", "a", "b", "b", "b", "b"))
fit <- coxph(Surv(time, status) ~ trt + strata(study), data = ck, ties = "efron", control = ctl)
s <- summary(fit)
out(data.frame(term = rownames(s$coefficients), hr = num(s$conf.int[, "exp(coef)"]), hr_ci_lb = num(s$conf.int[, "lower .95"]),
               hr_ci_ub = num(s$conf.int[, "upper .95"]), pval = num(s$coefficients[, "Pr(>|z|)"]), lr_chisq = num(2 * diff(fit$loglik))),
    "cox_kind_cases.csv", "coxph(Surv(time, status) ~ trt + strata(study), ties = 'efron') on the cox kind's test cases")
