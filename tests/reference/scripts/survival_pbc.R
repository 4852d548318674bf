# Reference values for survlit's --event-code: R survival's pbc data, whose
# status is 0 = censored, 1 = transplant, 2 = death. Death is the event and
# transplant is censored, as Surv(time, status == 2) reads it. Exports the
# rows used to tests/fixtures/pbc.csv (trt empty for the 106 patients not in
# the trial) and the results to tests/reference/survival/pbc.csv.
# Run from the repository root:  Rscript tests/reference/scripts/survival_pbc.R
suppressMessages(library(survival))
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
d <- survival::pbc[, c("id", "time", "status", "trt", "age", "sex", "bili")]
write.csv(d, "tests/fixtures/pbc.csv", row.names = FALSE, quote = FALSE, na = "")
# Read back as survlit reads it: sex is text, a factor with levels f, m.
d <- read.csv("tests/fixtures/pbc.csv")

rows <- list()
add <- function(analysis, term, estimate, value) {
  rows[[length(rows) + 1]] <<- data.frame(analysis = analysis, term = term,
                                          quantity = estimate, value = num(value))
}
# Kaplan-Meier, all patients: n, events, median and its CI.
km <- survfit(Surv(time, status == 2) ~ 1, data = d)
tab <- summary(km)$table
add("km", "all", "n", tab[["records"]])
add("km", "all", "events", tab[["events"]])
add("km", "all", "median", tab[["median"]])
add("km", "all", "median_ci_lb", tab[["0.95LCL"]])
add("km", "all", "median_ci_ub", tab[["0.95UCL"]])
# By treatment (trial patients only; R's na.omit drops the others).
km2 <- survfit(Surv(time, status == 2) ~ trt, data = d)
tab2 <- summary(km2)$table
for (g in 1:2) {
  add("km", paste0("trt", g), "n", tab2[g, "records"])
  add("km", paste0("trt", g), "events", tab2[g, "events"])
  add("km", paste0("trt", g), "median", tab2[g, "median"])
}
# Log-rank by treatment.
lr <- survdiff(Surv(time, status == 2) ~ trt, data = d)
add("logrank", "trt", "chisq", lr$chisq)
# Cox: treatment (numeric 1/2), age and sex (a factor; R's reference is its
# first level, f); Efron ties. Then with m as the reference (--reference m).
cx <- coxph(Surv(time, status == 2) ~ trt + age + sex, data = d)
d$sex_m <- relevel(factor(d$sex), ref = "m")
cx_m <- coxph(Surv(time, status == 2) ~ trt + age + sex_m, data = d)
for (fit in list(list("cox", cx), list("cox_ref_m", cx_m))) {
  s <- summary(fit[[2]])$coefficients
  for (t in rownames(s)) {
    add(fit[[1]], sub("sex_m", "sex", t), "coef", s[t, "coef"])
    add(fit[[1]], sub("sex_m", "sex", t), "se", s[t, "se(coef)"])
  }
}
add("cox", "model", "n", cx$n)
add("cox", "model", "events", cx$nevent)
add("cox", "model", "loglik", cx$loglik[2])

con <- file("tests/reference/survival/pbc.csv", "w")
writeLines(sprintf("# R %s, survival %s; Surv(time, status == 2) on survival::pbc (transplant censored)",
                   getRversion(), packageVersion("survival")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE, quote = FALSE)
close(con)
