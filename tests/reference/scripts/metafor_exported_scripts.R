# Reference for the exported metafor.R (issue #15 item 6): runs survlit on the
# LMS project and on tests/fixtures/pool_project (dat.bcg as ratio figures:
# separate- and common-tau2 subgroups, an equal-effects model, a
# meta-regression, leave-one-out, small-study tests, a cumulative order),
# then runs each pool analysis' exported metafor.R as a user would and keeps
# its 'numbers' table: every number survlit's report and figures print, as R
# metafor computes it. tests/metafor_scripts.rs formats each as survlit does
# and finds it in that analysis' report section and figures.
# Run from the repository root after `cargo build`:
#   Rscript tests/reference/scripts/metafor_exported_scripts.R
suppressMessages(library(metafor))
bin <- normalizePath(Sys.getenv("SURVLIT", "target/debug/survlit"))
root <- getwd()
projects <- c(lms = ".", fixture = "tests/fixtures/pool_project")
rows <- list()
for (p in names(projects)) {
  dir <- file.path(tempdir(), p)
  dir.create(dir)
  file.copy(file.path(projects[[p]], "survlit.toml"), dir)
  file.copy(file.path(projects[[p]], "data"), dir, recursive = TRUE)
  setwd(dir)
  status <- system2(bin, "run", stdout = FALSE, stderr = FALSE)
  setwd(root)
  stopifnot(status == 0)
  for (a in sort(list.dirs(file.path(dir, "reports"), recursive = FALSE))) {
    script <- file.path(a, "metafor.R")
    if (!file.exists(script)) next
    e <- new.env()
    invisible(capture.output(suppressWarnings(source(script, local = e, chdir = TRUE))))
    n <- e$numbers
    rows[[length(rows) + 1]] <- data.frame(project = p, analysis = basename(a),
      quantity = n$quantity, value = sprintf("%.17g", n$value))
  }
}
con <- file("tests/reference/metafor/exported_scripts.csv", "w")
writeLines(sprintf("# metafor %s; the 'numbers' table of each exported metafor.R", packageVersion("metafor")), con)
write.csv(do.call(rbind, rows), con, row.names = FALSE)
close(con)
