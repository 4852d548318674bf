//! Layout of the comparison plot from text measurements: column positions,
//! row heights, canvas size and the axis. Shared by the SVG and PNG renderings.

use super::{ComparePlot, Scale};
pub(crate) use crate::plot::text::{font, nice_step, text_w, tick_text};
use crate::plot::Theme;

pub(super) const M: f64 = 16.0;
pub(super) const GAP: f64 = 14.0;
pub(super) const ROW: f64 = 22.0;
/// Indent of rows under a group heading.
pub(super) const INDENT: f64 = 10.0;
const PLOT_W: f64 = 340.0;

/// Positions computed from text measurements; shared by SVG and PNG.
pub(super) struct Layout {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) label_x: f64,
    pub(super) n_right: f64,
    pub(super) plot_x0: f64,
    pub(super) plot_x1: f64,
    pub(super) value_x: f64,
    pub(super) header_y: f64,
    pub(super) rows_y: f64,
    pub(super) axis_y: f64,
    pub(super) legend_y: f64,
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<f64>,
}

impl Layout {
    pub(super) fn new(p: &ComparePlot, t: &Theme) -> Layout {
        let s = t.scale;
        let rows = p.groups.iter().flat_map(|g| &g.rows);
        // Rows under a heading are indented (see `INDENT`).
        let indent = if p.groups.iter().any(|g| g.heading.is_some()) {
            INDENT * s
        } else {
            0.0
        };
        let label_w = rows
            .clone()
            .map(|r| {
                indent
                    + text_w(&r.label, t.font(11.5), false)
                    + if r.detail.is_empty() {
                        0.0
                    } else {
                        text_w(&format!(" · {}", r.detail), t.font(11.5), false)
                    }
            })
            .fold(text_w(&p.label_header, t.font(11.0), true), f64::max);
        let n_w = rows
            .clone()
            .map(|r| text_w(&r.n_text, t.font(11.0), false))
            .fold(text_w("n", t.font(11.0), true), f64::max);
        let value_w = rows
            .clone()
            .map(|r| text_w(&r.value_text, t.font(11.0), false))
            .fold(text_w(&p.value_header, t.font(11.0), true), f64::max);
        let label_x = M * s;
        let n_right = label_x + label_w + GAP * s + n_w;
        let plot_x0 = n_right + GAP * s * 1.5;
        let plot_x1 = plot_x0 + PLOT_W * s;
        let value_x = plot_x1 + GAP * s * 1.5;
        let mut width = value_x + value_w + M * s;
        let title_w = text_w(&p.title, t.font(15.0), true) + 2.0 * M * s;
        let heading_w = p
            .groups
            .iter()
            .filter_map(|g| g.heading.as_ref())
            .map(|h| text_w(h, t.font(11.5), true) + 2.0 * M * s)
            .fold(0.0, f64::max);
        let footnote_w = p
            .footnote
            .as_ref()
            .map_or(0.0, |f| text_w(f, t.font(10.5), false) + 2.0 * M * s);
        width = width.max(title_w).max(heading_w).max(footnote_w);
        let header_y =
            M * s + 22.0 * s + if p.subtitle.is_some() { 16.0 * s } else { 0.0 } + 8.0 * s;
        let rows_y = header_y + ROW * s;
        let n_lines: usize = p
            .groups
            .iter()
            .map(|g| g.rows.len() + usize::from(g.heading.is_some()))
            .sum();
        let axis_y = rows_y + n_lines as f64 * ROW * s + 6.0 * s;
        let legend_y = axis_y + 6.0 * s + 16.0 * s + 20.0 * s + 10.0 * s;
        let footnote_h = if p.footnote.is_some() { 22.0 * s } else { 0.0 };
        let height = legend_y + 18.0 * s + footnote_h + M * s;
        let (lo, hi, ticks) = axis(p);
        Layout {
            width: width.ceil() as u32,
            height: height.ceil() as u32,
            label_x,
            n_right,
            plot_x0,
            plot_x1,
            value_x,
            header_y,
            rows_y,
            axis_y,
            legend_y,
            lo,
            hi,
            ticks,
        }
    }

    pub(super) fn x(&self, v: f64, scale: Scale) -> f64 {
        let f = match scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log => (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln()),
        };
        self.plot_x0 + f.clamp(0.0, 1.0) * (self.plot_x1 - self.plot_x0)
    }
}

/// Axis limits and ticks covering every estimate and finite bound.
pub(super) fn axis(p: &ComparePlot) -> (f64, f64, Vec<f64>) {
    let values: Vec<f64> = p
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .flat_map(|r| {
            [
                r.value,
                r.interval.and_then(|i| i.lower),
                r.interval.and_then(|i| i.upper),
            ]
        })
        .flatten()
        .filter(|v| v.is_finite() && (p.scale == Scale::Linear || *v > 0.0))
        .collect();
    match p.scale {
        Scale::Linear => {
            let max = values.iter().copied().fold(0.0, f64::max);
            let min = values.iter().copied().fold(0.0, f64::min);
            let step = nice_step((max - min).max(1e-9) / 5.0);
            let lo = (min / step).floor() * step;
            let hi = ((max / step).ceil() * step).max(lo + step);
            let ticks = (0..=((hi - lo) / step).round() as usize)
                .map(|i| lo + i as f64 * step)
                .collect();
            (lo, hi, ticks)
        }
        Scale::Log => {
            let min = values.iter().copied().fold(1.0, f64::min);
            let max = values.iter().copied().fold(1.0, f64::max);
            let lo = 10f64.powf(min.log10().floor());
            let hi = 10f64.powf(max.log10().ceil()).max(lo * 10.0);
            let mut ticks = Vec::new();
            let mut decade = lo;
            while decade <= hi * 1.0001 {
                for m in [1.0, 2.0, 5.0] {
                    let v = decade * m;
                    if v >= lo * 0.9999 && v <= hi * 1.0001 {
                        ticks.push(v);
                    }
                }
                decade *= 10.0;
            }
            (lo, hi, ticks)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{register_fonts, CompareGroup, CompareRow, IntervalKind, PlotInterval};

    fn plot(label: &str, detail: &str, value_text: &str, heading: &str) -> ComparePlot {
        let row = CompareRow {
            summary: false,
            pi: None,
            label: label.into(),
            detail: detail.into(),
            n_text: "120 lesions".into(),
            value: Some(10.0),
            value_text: value_text.into(),
            interval: Some(PlotInterval {
                kind: IntervalKind::Range,
                lower: Some(0.3),
                upper: Some(97.0),
            }),
        };
        ComparePlot {
            title: "T".into(),
            subtitle: None,
            x_label: "x".into(),
            value_header: "Median (months)".into(),
            label_header: "Study · group".into(),
            estimate_name: "median".into(),
            scale: Scale::Linear,
            reference: None,
            footnote: None,
            groups: vec![CompareGroup {
                heading: Some(heading.into()),
                rows: vec![row],
            }],
        }
    }

    /// Columns never overlap, whatever the text lengths: label | n | axis | value.
    #[test]
    fn columns_do_not_overlap() {
        register_fonts();
        for scale in [1.0, 2.0, 3.125] {
            let t = Theme { scale };
            for (label, detail, value, heading) in [
                ("A", "", "1", "h"),
                (
                    "Contartese 2022",
                    "systematic review (pooled published cases)",
                    "59.6 (95% CI 33.3–66.0)",
                    "spinal metastases of uterine LMS",
                ),
                (
                    &"W".repeat(80)[..],
                    &"x".repeat(60)[..],
                    &"33.3 (range 3–108; SD 32.4)".repeat(3)[..],
                    &"H".repeat(200)[..],
                ),
            ] {
                let p = plot(label, detail, value, heading);
                let l = Layout::new(&p, &t);
                let label_right = l.label_x
                    + 10.0 * scale
                    + text_w(label, t.font(11.5), false)
                    + if detail.is_empty() {
                        0.0
                    } else {
                        text_w(&format!(" · {detail}"), t.font(11.5), false)
                    };
                let n_left = l.n_right - text_w("120 lesions", t.font(11.0), false);
                assert!(
                    label_right + GAP * scale <= n_left + 1e-9,
                    "label {label_right} runs into n {n_left}"
                );
                assert!(
                    l.n_right < l.plot_x0 && l.plot_x1 < l.value_x,
                    "n, axis and value columns overlap"
                );
                assert!(
                    l.value_x + text_w(value, t.font(11.0), false) <= f64::from(l.width),
                    "value text leaves the canvas"
                );
                assert!(
                    l.label_x + text_w(heading, t.font(11.5), true) <= f64::from(l.width),
                    "heading leaves the canvas"
                );
                assert!(
                    l.rows_y > l.header_y
                        && l.axis_y > l.rows_y
                        && l.legend_y > l.axis_y + 40.0 * scale
                );
            }
        }
    }
}
