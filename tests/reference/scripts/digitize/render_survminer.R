# survminer::ggsurvplot Kaplan-Meier figures.
#
# Usage: Rscript render_survminer.R JOBLIST
#   JOBLIST: a text file, one job JSON path per line (written by plan.py).
# For each job saves the figure with ggsave (png/jpeg at the job's dpi,
# pdf/cairo_pdf vector) and writes <workdir>/<id>.render.json with what the
# figure shows, read back from the built ggplot objects: tick labels, panel
# ranges, line colours, legend labels, the printed risk-table numbers.
suppressPackageStartupMessages({
  library(survival)
  library(survminer)
  library(jsonlite)
})

hexcol <- function(cols) {
  m <- col2rgb(cols)
  sprintf("#%02x%02x%02x", m[1, ], m[2, ], m[3, ])
}

theme_of <- function(name, base) {
  switch(name,
    survminer = theme_survminer(base_size = base),
    bw = theme_bw(base_size = base),
    grey = theme_grey(base_size = base),
    classic = theme_classic(base_size = base),
    light = theme_light(base_size = base),
    minimal = theme_minimal(base_size = base))
}

# visible breaks and their labels of one position scale of a built panel
axis_of <- function(sc) {
  br <- sc$get_breaks()
  lb <- sc$get_labels()
  keep <- !is.na(br)
  list(values = br[keep], labels = as.character(lb[keep]), range = sc$continuous_range)
}

render_one <- function(job) {
  p <- job$params
  o <- job$out
  d <- read.csv(job$ipd_path, stringsAsFactors = FALSE,
                colClasses = c(arm = "character"))
  arms <- unlist(job$arms)
  k <- length(arms)
  var <- job$strata_var
  d[[var]] <- factor(d$arm, levels = arms)
  fml <- if (k == 1) as.formula("Surv(time, event) ~ 1") else
    as.formula(paste("Surv(time, event) ~", var))
  fit <- surv_fit(fml, data = d)
  labels <- unlist(job$labels)
  maxT <- max(d$time)
  xlim <- NULL
  if (p$xlim_mode == "round") xlim <- c(0, ceiling(maxT / p$by - 1e-9) * p$by)
  if (p$xlim_mode == "cut") xlim <- c(0, p$xlim_max)
  palette <- switch(p$palette, hue = NULL, custom = unlist(p$custom_palette)[seq_len(k)], p$palette)
  legend <- if (p$legend == "inside") unlist(p$legend_inside) else p$legend
  args <- list(fit, data = d, risk.table = isTRUE(p$risk_table),
               risk.table.y.text = isTRUE(p$risk_table_y_text),
               risk.table.height = p$risk_table_height,
               conf.int = isTRUE(p$conf_int), censor = isTRUE(p$censor),
               censor.shape = p$censor_shape, censor.size = p$censor_size,
               surv.scale = if (isTRUE(p$percent)) "percent" else "default",
               pval = isTRUE(p$pval), palette = palette,
               ggtheme = theme_of(p$theme, p$base_size),
               legend = legend, legend.title = p$legend_title,
               break.time.by = p$by, xlab = p$xlab, ylab = p$ylab,
               fontsize = p$fontsize, size = p$size)
  if (isTRUE(p$risk_table_col_strata)) args$risk.table.col <- "strata"
  if (!is.null(p$risk_table_title)) args$risk.table.title <- p$risk_table_title
  if (isTRUE(p$linetype)) args$linetype <- "strata"
  if (!isTRUE(p$default_labs)) args$legend.labs <- arms
  if (!is.null(xlim)) args$xlim <- xlim
  if (!is.null(p$title)) args$title <- p$title
  res <- do.call(ggsurvplot, args)

  file <- file.path(job$outdir, o$file)
  grob <- survminer:::.build_ggsurvplot(res)
  dev <- switch(o$device, png = "png", jpeg = "jpeg", pdf = "pdf", cairo_pdf = cairo_pdf)
  sargs <- list(filename = file, plot = grob, width = o$width_in, height = o$height_in,
                units = "in", device = dev)
  if (o$format != "pdf") sargs$dpi <- o$res
  if (o$format == "jpeg") sargs$quality <- o$jpeg_quality
  do.call(ggsave, sargs)

  # read back what the figure shows
  b <- ggplot_build(res$plot)
  pp <- b$layout$panel_params[[1]]
  xa <- axis_of(pp$x)
  ya <- axis_of(pp$y)
  yscale <- if (isTRUE(p$percent)) 100 else 1
  yvals <- as.numeric(gsub("[^0-9.-]", "", ya$labels))
  steps <- b$data[[1]]
  cols <- sapply(seq_len(k), function(g) steps$colour[steps$group == g][1])
  names_out <- labels
  shown <- as.character(b$plot$scales$get_scales("colour")$get_labels())
  if (k > 1 && !identical(shown, names_out))
    stop("legend labels ", paste(shown, collapse = "|"), " differ from the planned ", paste(names_out, collapse = "|"))
  at_risk <- list()
  if (isTRUE(p$risk_table)) {
    tb <- ggplot_build(res$table)
    trange <- tb$layout$panel_params[[1]]$x$continuous_range
    st <- res$data.survtable
    st <- st[st$time >= trange[1] & st$time <= trange[2], ]
    # the table prints the legend labels; data.survtable keeps the fit's strata names
    strata_names <- if (k == 1) rep(names_out, nrow(st)) else
      names_out[match(as.character(st$strata), names(fit$strata))]
    if (any(is.na(strata_names))) stop("risk table strata do not match the fit")
    for (r in seq_len(nrow(st))) {
      at_risk[[length(at_risk) + 1]] <- list(arm = strata_names[r], time = st$time[r], n = st$n.risk[r])
    }
  }
  sp <- res$data.survplot
  marks <- lapply(seq_len(k), function(i) {
    if (!isTRUE(p$censor)) return(numeric(0))
    s <- if (k == 1) sp else sp[as.integer(sp$strata) == i, ]
    tm <- sort(unique(s$time[s$n.censor > 0]))
    tm[tm <= pp$x$continuous_range[2]]
  })
  arm_max <- sapply(arms, function(a) max(d$time[d$arm == a]))
  grid_on <- p$theme %in% c("bw", "grey", "light", "minimal")
  list(
    image = o$file, format = o$format,
    dpi = if (o$format == "pdf") 72 else o$res,
    width_px = if (o$format == "pdf") round(o$width_in * 72) else round(o$width_in * o$res),
    height_px = if (o$format == "pdf") round(o$height_in * 72) else round(o$height_in * o$res),
    x_tick_labels = I(xa$labels), x_tick_values = I(xa$values),
    y_tick_labels = I(ya$labels), y_tick_values = I(yvals),
    plot_range = list(x = xa$range, y = ya$range * yscale),
    draw_xmax = I(unname(pmin(arm_max, xa$range[2]))),
    colours = I(hexcol(cols)), names = I(names_out),
    censor_marks = lapply(marks, I), at_risk = at_risk,
    features = list(ci_band = isTRUE(p$conf_int), grid = grid_on,
                    censor_marks = isTRUE(p$censor), risk_table = isTRUE(p$risk_table),
                    legend = p$legend, percent = isTRUE(p$percent))
  )
}

pdf(NULL)  # ggplot_build needs a device; without this R leaves Rplots.pdf in the cwd
jobs <- readLines(commandArgs(TRUE)[1])
for (jp in jobs) {
  job <- fromJSON(jp, simplifyVector = FALSE)
  res <- tryCatch(render_one(job), error = function(e) {
    message("survminer ", job$id, ": ", conditionMessage(e))
    while (dev.cur() > 1) dev.off()
    NULL
  })
  if (!is.null(res))
    write(toJSON(res, auto_unbox = TRUE, digits = NA, null = "null"),
          file.path(job$workdir, paste0(job$id, ".render.json")))
}
