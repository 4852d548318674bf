# Base R Kaplan-Meier figures: plot(survfit(...)) as papers' authors draw them.
#
# Usage: Rscript render_r_base.R JOBLIST
#   JOBLIST: a text file, one job JSON path per line (written by plan.py).
# For each job writes the figure (png/jpeg/pdf/cairo_pdf) into the job's
# outdir and <workdir>/<id>.render.json with what the figure shows (tick
# labels, device limits, colours, printed names, at-risk numbers, marks).
# The style parameters are chosen (seeded) by plan.py; this script only
# carries them out.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

hexcol <- function(cols) {
  m <- col2rgb(cols)
  sprintf("#%02x%02x%02x", m[1, ], m[2, ], m[3, ])
}

# Censor marks as plot.survfit draws them (replicates its drawmark and its
# truncation at xlim[2], which can put one mark at xlim[2] itself).
drawn_marks <- function(fit, k, xmax) {
  out <- vector("list", k)
  st <- if (k == 1) rep(1, length(fit$time)) else rep(seq_len(k), fit$strata)
  for (i in seq_len(k)) {
    who <- which(st == i)
    xx <- fit$time[who]
    cens <- ifelse(fit$n.censor[who] == 0, 0, 1)
    if (!is.null(xmax) && max(xx) > xmax) {
      xn <- min(which(xx > xmax))
      xx <- xx[1:xn]
      xx[xn] <- xmax
      cens <- cens[1:xn]
    }
    out[[i]] <- xx[cens > 0]
  }
  out
}

render_one <- function(job) {
  p <- job$params
  o <- job$out
  d <- read.csv(job$ipd_path, stringsAsFactors = FALSE,
                colClasses = c(arm = "character"))
  arms <- unlist(job$arms)
  k <- length(arms)
  d$arm <- factor(d$arm, levels = arms)
  fit <- if (k == 1) survfit(Surv(time, event) ~ 1, data = d) else
    survfit(Surv(time, event) ~ arm, data = d)
  labels <- unlist(job$labels)
  file <- file.path(job$outdir, o$file)
  w <- o$width_in; h <- o$height_in
  switch(o$device,
    png = png(file, width = w, height = h, units = "in", res = o$res,
              pointsize = p$pointsize, type = "cairo"),
    jpeg = jpeg(file, width = w, height = h, units = "in", res = o$res,
                quality = o$jpeg_quality, pointsize = p$pointsize, type = "cairo"),
    pdf = pdf(file, width = w, height = h, pointsize = p$pointsize),
    cairo_pdf = cairo_pdf(file, width = w, height = h, pointsize = p$pointsize))

  cols <- unlist(p$colours)[seq_len(k)]
  ltys <- unlist(p$lty)[seq_len(k)]
  lwd <- p$lwd
  risk <- isTRUE(p$risk_table)
  left <- 4.3
  bottom <- 4.2
  if (risk) {
    # room for the row labels on the left and k+1 text lines below the axis
    lab_in <- max(strwidth(labels, units = "inches", cex = p$risk_cex))
    if (lab_in > 0.28 * w) {
      # as authors do: a smaller table font rather than a squeezed panel
      p$risk_cex <- p$risk_cex * 0.28 * w / lab_in
      lab_in <- 0.28 * w
    }
    left <- max(4.3, (lab_in + 0.35) / par("csi") + 0.8)
    bottom <- 4.6 + (k + 1) * 1.1
  }
  top <- if (!is.null(p$main)) 3 else 1.2
  par(mar = c(bottom, left, top, 1.5), las = p$las, bty = p$bty,
      mgp = c(2.6, 0.8, 0))

  maxT <- max(d$time)
  by <- p$by
  xlim <- NULL
  if (p$xlim_mode == "round") xlim <- c(0, ceiling(maxT / by - 1e-9) * by)
  if (p$xlim_mode == "cut") xlim <- c(0, p$xlim_max)
  lty_arg <- ltys
  if (isTRUE(p$conf_int) && k > 1) {
    # curve in its own line type, confidence limits dotted/dashed
    lty_arg <- as.vector(rbind(ltys, p$ci_lty, p$ci_lty))
  } else if (isTRUE(p$conf_int) && k == 1) {
    lty_arg <- c(ltys[1], p$ci_lty, p$ci_lty)
  }
  args <- list(fit, conf.int = isTRUE(p$conf_int), mark.time = isTRUE(p$mark_time),
               col = cols, lty = lty_arg, lwd = lwd, cex = p$mark_cex,
               xlab = "", ylab = "", xaxt = "n",
               yscale = if (isTRUE(p$percent)) 100 else 1)
  if (!is.null(xlim)) args$xlim <- xlim
  do.call(plot, args)
  usr <- par("usr")
  # x ticks: every `by` units; coarsen until the labels cannot overlap
  # (R's axis() would silently drop overlapping labels)
  repeat {
    ticks <- seq(0, usr[2], by = by)
    labs <- format(ticks, trim = TRUE, scientific = FALSE)
    wmax <- max(strwidth(labs, cex = par("cex.axis")))
    if (wmax * 1.5 < by || length(ticks) <= 2) break
    by <- by * 2
  }
  axis(1, at = ticks, labels = labs)
  title(xlab = p$xlab, ylab = p$ylab)
  if (!is.null(p$main)) title(main = p$main, font.main = p$main_font)
  yt <- axTicks(2)
  ylabs <- yt * (if (isTRUE(p$percent)) 100 else 1)

  if (k > 1 && p$legend != "none") {
    legend(p$legend, legend = labels, col = cols, lty = ltys, lwd = lwd,
           bty = p$legend_bty, inset = 0.02, cex = p$legend_cex,
           title = p$legend_title)
  }
  at_risk <- list()
  if (risk) {
    rt <- ticks[ticks >= 0 & ticks <= usr[2]]
    s <- summary(fit, times = rt, extend = TRUE)
    line0 <- 4.1
    mtext(p$risk_title, side = 1, line = line0, at = grconvertX(0.015, "ndc", "user"),
          adj = 0, cex = p$risk_cex, font = 2)
    for (i in seq_len(k)) {
      nr <- if (k == 1) s$n.risk else s$n.risk[as.integer(s$strata) == i]
      tm <- if (k == 1) s$time else s$time[as.integer(s$strata) == i]
      lab_col <- if (isTRUE(p$risk_colour)) cols[i] else "black"
      mtext(labels[i], side = 1, line = line0 + i * 1.1,
            at = usr[1] - 0.03 * diff(usr[1:2]), adj = 1, cex = p$risk_cex,
            col = lab_col)
      mtext(nr, side = 1, line = line0 + i * 1.1, at = tm, cex = p$risk_cex,
            col = lab_col)
      for (j in seq_along(tm)) {
        at_risk[[length(at_risk) + 1]] <- list(arm = labels[i], time = tm[j], n = nr[j])
      }
    }
  }
  dev.off()

  maxes <- sapply(arms, function(a) max(d$time[d$arm == a]))
  draw_xmax <- if (is.null(xlim)) maxes else pmin(maxes, xlim[2])
  marks <- if (isTRUE(p$mark_time)) drawn_marks(fit, k, if (is.null(xlim)) NULL else xlim[2]) else
    replicate(k, numeric(0), simplify = FALSE)
  yscale <- if (isTRUE(p$percent)) 100 else 1
  list(
    image = o$file, format = o$format,
    dpi = if (o$format == "pdf") 72 else o$res,
    width_px = if (o$format == "pdf") round(w * 72) else round(w * o$res),
    height_px = if (o$format == "pdf") round(h * 72) else round(h * o$res),
    x_tick_labels = I(labs), x_tick_values = I(ticks),
    y_tick_labels = I(format(ylabs, trim = TRUE)), y_tick_values = I(ylabs),
    plot_range = list(x = usr[1:2], y = usr[3:4] * yscale),
    draw_xmax = I(unname(draw_xmax)),
    colours = I(hexcol(cols)), names = I(labels),
    censor_marks = lapply(marks, function(m) I(unique(m))),
    at_risk = at_risk,
    features = list(ci_band = isTRUE(p$conf_int), grid = FALSE,
                    censor_marks = isTRUE(p$mark_time), risk_table = risk,
                    legend = if (k > 1 && p$legend != "none") "inside" else "none",
                    percent = isTRUE(p$percent))
  )
}

jobs <- readLines(commandArgs(TRUE)[1])
for (jp in jobs) {
  job <- fromJSON(jp, simplifyVector = FALSE)
  res <- tryCatch(render_one(job), error = function(e) {
    message("r_base ", job$id, ": ", conditionMessage(e))
    while (dev.cur() > 1) dev.off()
    NULL
  })
  if (!is.null(res))
    write(toJSON(res, auto_unbox = TRUE, digits = NA, null = "null"),
          file.path(job$workdir, paste0(job$id, ".render.json")))
}
