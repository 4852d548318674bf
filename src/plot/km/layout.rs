//! Where everything of the Kaplan–Meier figure goes: legend lines, the
//! risk-table rows, margins and panel sizes, from text measurements.

use super::{KmCurve, KmPlot};
use crate::plot::text::{flow, mm_to_px, pt, text_w, tick_text, wrap, PLOTTERS_PER_SVG_PX};

pub(super) fn lh(size: f64) -> f64 {
    size / PLOTTERS_PER_SVG_PX * 1.3
}

pub(super) struct Layout {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) margin: f64,
    pub(super) body: f64,
    pub(super) small: f64,
    pub(super) title: Vec<String>,
    pub(super) subtitle: Vec<String>,
    pub(super) legend_y: f64,
    pub(super) legend: Vec<Vec<Legend>>,
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) y0: f64,
    pub(super) y1: f64,
    pub(super) x_label_y: f64,
    pub(super) risk_y: f64,
    pub(super) foot: Vec<String>,
    pub(super) foot_y: f64,
}

/// A legend entry.
#[derive(Debug, Clone)]
pub(super) enum Legend {
    /// Curve i.
    Curve(usize, String),
    /// The dashed median line.
    Median,
    /// Digitised points.
    Points,
}

/// Legend entries flowed into lines no wider than `inner`.
pub(super) fn legend_lines(p: &KmPlot, small: f64, body: f64, inner: f64) -> Vec<Vec<Legend>> {
    let mut items: Vec<Legend> = p
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| Legend::Curve(i, c.label.clone()))
        .collect();
    if p.curves.iter().any(|c| c.median.is_some()) {
        items.push(Legend::Median);
    }
    if p.curves.iter().any(|c| !c.points.is_empty()) {
        items.push(Legend::Points);
    }
    flow(items, inner, |it| legend_width(it, small, body))
}

pub(super) fn legend_text(it: &Legend) -> &str {
    match it {
        Legend::Curve(_, l) => l,
        Legend::Median => "median",
        Legend::Points => "digitised points",
    }
}

pub(super) fn legend_width(it: &Legend, small: f64, body: f64) -> f64 {
    body * 1.6 + small * 0.4 + text_w(legend_text(it), small, false) + small * 1.2
}

/// Risk-table rows per curve: (label, counts).
pub(super) fn table_rows(p: &KmPlot, c: &KmCurve) -> Vec<(&'static str, Vec<usize>)> {
    let mut rows = vec![("At risk", c.at_risk.clone())];
    if p.kmunicate {
        rows.push(("Censored", c.censored_by.clone()));
        rows.push(("Events", c.events_by.clone()));
    }
    rows
}

pub(super) fn layout(p: &KmPlot) -> Layout {
    let width = mm_to_px(p.width_mm);
    let margin = mm_to_px(2.5);
    let body = pt(7.5);
    let small = pt(7.0);
    let title_size = pt(8.5);
    let inner = width - 2.0 * margin;
    let title = wrap(&p.title, title_size, true, inner);
    let subtitle = p
        .subtitle
        .as_ref()
        .map_or(Vec::new(), |s| wrap(s, small, false, inner));
    let mut y = margin + title.len() as f64 * lh(title_size) + subtitle.len() as f64 * lh(small);
    let legend_y = y + lh(small) * 0.3;
    let legend = legend_lines(p, small, body, inner);
    y = legend_y + lh(small) * (legend.len() as f64 + 0.3);
    // Left column: the risk table's row labels (indented under each
    // curve's name, which has a line of its own), or the y axis.
    let label_w = ["At risk", "Censored", "Events"]
        .iter()
        .map(|r| small + text_w(r, small, false))
        .fold(0.0, f64::max);
    let max_count_w = p
        .curves
        .iter()
        .flat_map(|c| c.at_risk.iter().chain(&c.censored_by).chain(&c.events_by))
        .map(|n| text_w(&n.to_string(), small, false))
        .fold(text_w("0", small, false), f64::max);
    let axis_w = lh(body) + small * 0.4 + text_w("0.00", small, false) + small * 0.6;
    let x0 = margin + label_w.max(axis_w) + small * 0.6 + max_count_w / 2.0;
    let tail =
        text_w(&tick_text(*p.ticks.last().unwrap_or(&0.0)), small, false).max(max_count_w) / 2.0;
    let x1 = width - margin - tail;
    let plot_h = ((x1 - x0) * 0.5).clamp(140.0, 340.0);
    let y0 = y;
    let y1 = y0 + plot_h;
    let x_label_y = y1 + small * 0.4 + lh(small) + lh(body) * 0.1;
    let mut y = x_label_y + lh(body) + lh(small) * 0.5;
    let risk_y = y;
    y += lh(small);
    for c in &p.curves {
        y += (table_rows(p, c).len() + 1) as f64 * lh(small);
    }
    let foot = p
        .footnote
        .as_ref()
        .map_or(Vec::new(), |f| wrap(f, small, false, inner));
    let foot_y = y + lh(small) * 0.5;
    y = foot_y + foot.len() as f64 * lh(small);
    Layout {
        width: width.ceil() as u32,
        height: (y + margin).ceil() as u32,
        margin,
        body,
        small,
        title,
        subtitle,
        legend_y,
        legend,
        x0,
        x1,
        y0,
        y1,
        x_label_y,
        risk_y,
        foot,
        foot_y,
    }
}
