# Reference values for survlit's median of medians (issue #5), from R's own
# quantile() (type 7) and Hmisc::wtd.quantile(), at the probabilities
# metamedian's pool.med uses: 0.5 -/+ min(0.5, qnorm(0.975) / (2 sqrt(k))).
# (metamedian itself is not packaged for Debian; pool.med is these two calls.)
# Data: pool.med's help-page example (man/pool.med.Rd), with sample sizes as
# weights for the weighted version, plus a tied and a two-study case.
# Run: Rscript tests/reference/scripts/medians_r.R  (writes tests/reference/medians/pool_med_r.csv)
suppressMessages(library(Hmisc))
out <- "tests/reference/medians/pool_med_r.csv"
cases <- list(
  list(name = "poolmed_example", y = c(5.23, 3.10, 0.50, 0.78, 3.48, 0.59, 2.20, 5.06, 4.00),
       w = c(100, 92, 221, 81, 42, 57, 34, 90, 66)),
  list(name = "ties", y = c(46, 46, 102, 14.1, 59.6, 46), w = c(9, 9, 20, 40, 67, 12)),
  list(name = "two", y = c(46, 102), w = c(9, 20))
)
rows <- list()
for (cs in cases) {
  k <- length(cs$y)
  h <- min(0.5, qnorm(0.975) / (2 * sqrt(k)))
  p <- c(0.5 - h, 0.5, 0.5 + h)
  u <- unname(quantile(cs$y, probs = p))
  wq <- unname(wtd.quantile(cs$y, weights = cs$w, probs = p))
  rows[[length(rows) + 1]] <- data.frame(case = cs$name, weighted = FALSE,
    y = paste(cs$y, collapse = ";"), w = paste(cs$w, collapse = ";"),
    estimate = u[2], ci_lb = u[1], ci_ub = u[3])
  rows[[length(rows) + 1]] <- data.frame(case = cs$name, weighted = TRUE,
    y = paste(cs$y, collapse = ";"), w = paste(cs$w, collapse = ";"),
    estimate = wq[2], ci_lb = wq[1], ci_ub = wq[3])
}
res <- do.call(rbind, rows)
res[] <- lapply(res, function(c) if (is.numeric(c)) sprintf("%.17g", c) else trimws(as.character(c)))
write.csv(res, out, row.names = FALSE)
