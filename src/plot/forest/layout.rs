//! Layout of the forest plot from text measurements: column widths (long
//! cells wrap), row heights, the axis and its ticks, the canvas size.

pub(crate) use super::axis::{limits, ticks};
use super::{Align, ForestMark, ForestPlot, RowKind, Style};
use crate::plot::text::{flow, mm_to_px, pt, text_w, wrap, PLOTTERS_PER_SVG_PX};
use crate::plot::Scale;

/// A column's horizontal extent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnBox {
    pub x0: f64,
    pub x1: f64,
    pub align: Align,
}

impl ColumnBox {
    /// The anchor x of text in this column.
    pub fn anchor(&self) -> f64 {
        match self.align {
            Align::Left => self.x0,
            Align::Right => self.x1,
        }
    }
}

/// A row's vertical extent and its wrapped texts (one list of lines per cell).
#[derive(Debug, Clone)]
pub(crate) struct RowBox {
    pub top: f64,
    pub height: f64,
    pub lines: Vec<Vec<String>>,
    /// Right end of a heading's or note's text (they may reach into the
    /// axis area; vertical lines break there).
    pub text_right: f64,
}

/// Positions computed from text measurements.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub width: u32,
    pub height: u32,
    pub margin: f64,
    /// Body font size (plotters units) and its line height.
    pub body: f64,
    pub line_h: f64,
    pub small: f64,
    pub title_size: f64,
    pub title: Vec<String>,
    pub subtitle: Vec<String>,
    pub columns: Vec<ColumnBox>,
    pub plot_x0: f64,
    pub plot_x1: f64,
    pub header_top: f64,
    pub header_lines: Vec<Vec<String>>,
    pub plot_header: Vec<String>,
    pub rows_top: f64,
    pub rows: Vec<RowBox>,
    pub axis_y: f64,
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    pub x_label: Vec<String>,
    pub favours: Option<(Vec<String>, Vec<String>)>,
    pub favours_y: f64,
    pub footnotes: Vec<String>,
    pub footnotes_y: f64,
    pub stripes: bool,
    pub max_weight: f64,
    /// Legend of the marks: lines of (sample, label).
    pub legend: Vec<Vec<(LegendMark, String)>>,
    pub legend_y: f64,
}

/// A legend sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LegendMark {
    Estimate,
    Interval(crate::plot::IntervalKind),
    Open,
}

/// Width of a legend entry.
pub(crate) fn legend_entry_w(label: &str, small: f64) -> f64 {
    small * 2.6 + text_w(label, small, false) + small * 1.4
}

fn legend_items(p: &ForestPlot) -> Vec<(LegendMark, String)> {
    use crate::plot::IntervalKind;
    let Some(name) = &p.legend else {
        return Vec::new();
    };
    let intervals = || {
        p.rows.iter().filter_map(|r| match r.mark {
            // A row with neither bound has no interval to show.
            ForestMark::Interval {
                lower, upper, kind, ..
            } if lower.is_some() || upper.is_some() => {
                Some((kind, lower.is_none() || upper.is_none()))
            }
            _ => None,
        })
    };
    let mut items = vec![(LegendMark::Estimate, name.clone())];
    for (k, label) in [
        (IntervalKind::Ci, "confidence interval"),
        (IntervalKind::Iqr, "interquartile range"),
        (IntervalKind::Range, "range (min–max)"),
    ] {
        if intervals().any(|(kind, _)| kind == k) {
            items.push((LegendMark::Interval(k), label.to_string()));
        }
    }
    if intervals().any(|(_, open)| open) {
        items.push((LegendMark::Open, "bound not reached".into()));
    }
    items
}

/// Text shrinks at most to this share of the preset's size before the
/// figure widens.
const SHRINK: [f64; 3] = [1.0, 0.92, 0.85];

/// Shares of the width the first (study) column may take before it wraps.
const FIRST_CAP: [f64; 4] = [0.4, 1.0 / 3.0, 0.27, 0.22];

/// Share of the width a column of words other than the first may take
/// before it wraps.
const TEXT_CAP: f64 = 0.12;

impl Layout {
    pub fn new(p: &ForestPlot) -> Layout {
        let style = p.preset.style();
        let width = mm_to_px(p.width_mm.unwrap_or(style.width_mm));
        let mut need: f64 = width;
        // First the study column wraps more, then the text shrinks.
        // Then text columns (sample sizes with units) wrap too. The first
        // pass keeps ordinary labels within two lines; the second, as
        // before, takes the first layout that fits.
        for strict in [true, false] {
            for shrink in SHRINK {
                for text_cap in [f64::INFINITY, TEXT_CAP] {
                    for first_cap in FIRST_CAP {
                        match attempt(p, &style, width, shrink, (first_cap, text_cap), strict) {
                            Ok(l) => return l,
                            Err(w) => need = if need > width { need.min(w) } else { w },
                        }
                    }
                }
            }
        }
        // Widen until the columns and the axis fit (column widths do not
        // grow with the canvas beyond their text, so this ends).
        let mut w = need;
        loop {
            match attempt(
                p,
                &style,
                w,
                SHRINK[SHRINK.len() - 1],
                (FIRST_CAP[FIRST_CAP.len() - 1], TEXT_CAP),
                false,
            ) {
                Ok(l) => return l,
                Err(more) => w = more.max(w + 1.0),
            }
        }
    }

    /// x of a value on the axis, clamped to the plot area.
    pub fn x(&self, v: f64, scale: Scale) -> f64 {
        self.plot_x0 + self.frac(v, scale).clamp(0.0, 1.0) * (self.plot_x1 - self.plot_x0)
    }

    /// Whether a value lies left of, inside or right of the axis (−1, 0, 1).
    pub fn side(&self, v: f64, scale: Scale) -> i32 {
        let f = self.frac(v, scale);
        if f < -1e-9 {
            -1
        } else if f > 1.0 + 1e-9 {
            1
        } else {
            0
        }
    }

    fn frac(&self, v: f64, scale: Scale) -> f64 {
        match scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log => {
                if v <= 0.0 {
                    -1.0
                } else {
                    (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
                }
            }
        }
    }

    /// The y of the centre of a row's first text line.
    pub fn first_line_y(&self, r: &RowBox) -> f64 {
        r.top + self.line_h * 0.25 + self.line_h / 2.0
    }
}

/// SVG line height of a plotters font size.
fn line_height(size: f64) -> f64 {
    size / PLOTTERS_PER_SVG_PX * 1.3
}

fn attempt(
    p: &ForestPlot,
    style: &Style,
    width: f64,
    shrink: f64,
    (first_cap, text_cap): (f64, f64),
    strict: bool,
) -> Result<Layout, f64> {
    let body = pt(style.body_pt) * shrink;
    let small = body * 0.92;
    let title_size = pt(style.title_pt) * shrink.max(0.92);
    let margin = mm_to_px(2.5);
    let gap = body * 0.9;
    let line_h = line_height(body);
    let ncols = p.left.len() + p.right.len();
    let data_rows = || p.rows.iter().filter(|r| r.kind == RowKind::Data);
    // Natural column widths, capped: the first column (the study) may take
    // a third of the width, others a fifth; longer text wraps.
    let columns_hdr: Vec<(&str, Align)> = p
        .left
        .iter()
        .chain(&p.right)
        .map(|c| (c.header.as_str(), c.align))
        .collect();
    let mut widths = Vec::with_capacity(ncols);
    for (i, (header, _)) in columns_hdr.iter().enumerate() {
        // Numbers never wrap; the study column and, when needed, other
        // columns holding words ("40 treatment sites") do.
        let words = data_rows()
            .filter_map(|r| r.cells.get(i))
            .any(|c| c.contains(' ') && c.chars().any(char::is_alphabetic));
        let cap = if i == 0 {
            width * first_cap
        } else if words {
            width * text_cap
        } else {
            f64::INFINITY
        };
        // Headers wrap at spaces: their longest word sets a floor.
        let header_w = header
            .split(' ')
            .map(|w| text_w(w, body, true))
            .fold(0.0, f64::max);
        let cells_w = data_rows()
            .filter_map(|r| r.cells.get(i))
            .map(|c| text_w(c, body, false))
            .fold(0.0, f64::max);
        let bold_w = data_rows()
            .filter(|r| r.bold)
            .filter_map(|r| r.cells.get(i))
            .map(|c| text_w(c, body, true))
            .fold(0.0, f64::max);
        widths.push(header_w.max(cells_w).max(bold_w).min(cap).ceil());
    }
    // An ordinary label (one that two lines of the widest study column
    // hold) never takes three lines: the layout tries a wider study
    // column or smaller text first (`strict`; the last resort is not).
    if strict && !widths.is_empty() {
        let widest = FIRST_CAP[0] * width;
        let three_lines = data_rows().any(|r| {
            r.cells.first().is_some_and(|c| {
                wrap(c, body, r.bold, widths[0]).len() > 2
                    && wrap(c, body, r.bold, widest).len() <= 2
            })
        });
        if three_lines {
            return Err(width);
        }
    }
    let used: f64 = widths.iter().sum::<f64>() + gap * (ncols as f64 + 1.0);
    let plot_w = width - 2.0 * margin - used;
    let min_plot = style.min_plot_share * width;
    if plot_w < min_plot {
        return Err(width + (min_plot - plot_w));
    }
    let mut columns = Vec::with_capacity(ncols);
    let mut x = margin;
    for (i, w) in widths.iter().enumerate().take(p.left.len()) {
        columns.push(ColumnBox {
            x0: x,
            x1: x + w,
            align: columns_hdr[i].1,
        });
        x += w + gap;
    }
    let plot_x0 = x;
    let plot_x1 = plot_x0 + plot_w;
    let mut x = plot_x1 + gap;
    for (i, w) in widths.iter().enumerate().skip(p.left.len()) {
        columns.push(ColumnBox {
            x0: x,
            x1: x + w,
            align: columns_hdr[i].1,
        });
        x += w + gap;
    }
    let inner = width - 2.0 * margin;

    let title = wrap(&p.title, title_size, true, inner);
    let subtitle = p
        .subtitle
        .as_ref()
        .map_or(Vec::new(), |s| wrap(s, small, false, inner));
    let mut y = margin;
    y += title.len() as f64 * line_height(title_size);
    y += subtitle.len() as f64 * line_height(small);
    y += line_h * 0.5;
    let header_top = y;
    let header_lines: Vec<Vec<String>> = columns_hdr
        .iter()
        .zip(&widths)
        .map(|((h, _), w)| wrap(h, body, true, *w))
        .collect();
    let plot_header = wrap(&p.plot_header, body, true, plot_w);
    let header_n = header_lines
        .iter()
        .map(Vec::len)
        .chain([plot_header.len()])
        .max()
        .unwrap_or(1);
    let rows_top = header_top + header_n as f64 * line_h + line_h * 0.4;
    // Headings and notes span the left columns and the axis.
    let span = plot_x1 - margin;
    let mut rows = Vec::with_capacity(p.rows.len());
    let mut y = rows_top + line_h * 0.2;
    for r in &p.rows {
        let lines: Vec<Vec<String>> = match r.kind {
            RowKind::Data => r
                .cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| wrap(c, body, r.bold, *w))
                .collect(),
            RowKind::Heading => vec![wrap(
                r.cells.first().map_or("", String::as_str),
                body,
                true,
                span,
            )],
            RowKind::Note => vec![wrap(
                r.cells.first().map_or("", String::as_str),
                small,
                false,
                span,
            )],
        };
        let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let lh = if r.kind == RowKind::Note {
            line_height(small)
        } else {
            line_h
        };
        let height = n as f64 * lh + line_h * 0.5;
        let text_right = match r.kind {
            RowKind::Data => margin,
            RowKind::Heading => {
                margin
                    + lines[0]
                        .iter()
                        .map(|t| text_w(t, body, true))
                        .fold(0.0, f64::max)
            }
            RowKind::Note => {
                margin
                    + lines[0]
                        .iter()
                        .map(|t| text_w(t, small, false))
                        .fold(0.0, f64::max)
            }
        };
        rows.push(RowBox {
            top: y,
            height,
            lines,
            text_right,
        });
        y += height;
    }
    let axis_y = y + line_h * 0.3;
    let (lo, hi) = limits(p);
    let ticks = ticks(p.scale, lo, hi, small, plot_w);
    let x_label = wrap(&p.x_label, body, false, plot_w + 2.0 * gap);
    let mut y = axis_y + line_h * 0.4 + line_height(small) + line_h * 0.2;
    y += x_label.len() as f64 * line_h;
    let favours = p.favours.as_ref().map(|(a, b)| {
        let split = p
            .reference
            .filter(|r| (lo..=hi).contains(r) && (p.scale == Scale::Linear || *r > 0.0))
            .map_or((plot_x0 + plot_x1) / 2.0, |r| {
                let f = match p.scale {
                    Scale::Linear => (r - lo) / (hi - lo),
                    Scale::Log => (r.ln() - lo.ln()) / (hi.ln() - lo.ln()),
                };
                plot_x0 + f * plot_w
            });
        (
            wrap(a, small, false, (split - gap / 2.0 - margin).max(body)),
            wrap(
                b,
                small,
                false,
                (width - margin - split - gap / 2.0).max(body),
            ),
        )
    });
    let favours_y = y;
    if let Some((a, b)) = &favours {
        y += a.len().max(b.len()) as f64 * line_height(small);
    }
    let legend = flow(legend_items(p), inner, |(_, label)| {
        legend_entry_w(label, small)
    });
    let legend_y = y + line_height(small) * 0.2;
    y = legend_y + legend.len() as f64 * line_height(small);
    y += line_h * 0.5;
    let footnotes: Vec<String> = p
        .footnotes
        .iter()
        .flat_map(|f| wrap(f, small, false, inner))
        .collect();
    let footnotes_y = y;
    y += footnotes.len() as f64 * line_height(small);
    let height = y + margin;
    let max_weight = p
        .rows
        .iter()
        .filter_map(|r| match r.mark {
            ForestMark::Study {
                weight: Some(w), ..
            } => Some(w),
            _ => None,
        })
        .fold(0.0, f64::max);
    Ok(Layout {
        width: width.ceil() as u32,
        height: height.ceil() as u32,
        margin,
        body,
        line_h,
        small,
        title_size,
        title,
        subtitle,
        columns,
        plot_x0,
        plot_x1,
        header_top,
        header_lines,
        plot_header,
        rows_top,
        rows,
        axis_y,
        lo,
        hi,
        ticks,
        x_label,
        favours,
        favours_y,
        footnotes,
        footnotes_y,
        stripes: p.preset.style().stripes,
        max_weight,
        legend,
        legend_y,
    })
}
