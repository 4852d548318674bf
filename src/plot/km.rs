//! Kaplan–Meier figure: step curves with CI bands, censor marks, dashed
//! median lines, digitised points for reconstruction QA, and the risk
//! table aligned under the time ticks — numbers at risk, and optionally
//! the cumulative numbers censored and with events (the KMunicate layout,
//! Morris et al. 2019). Laid out for a journal column (mm, pt) from text
//! measurements. Plot data come from the analysis; this module only draws.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontTransform, RGBColor};

use super::text::{font, mm_to_px, nice_step, pt, text_w, tick_text, wrap, PLOTTERS_PER_SVG_PX};
use super::{register_fonts, render_svg, PlotError, Theme};

/// Okabe–Ito colours for the curves, in order.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
];

/// One curve, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct KmCurve {
    /// Legend and risk-table label.
    pub label: String,
    /// (time, S) after each step, starting with (0, 1).
    pub steps: Vec<(f64, f64)>,
    /// (time, lower, upper) of the CI band at each step, when drawn.
    pub band: Option<Vec<(f64, f64, f64)>>,
    /// Censoring marks (time, S).
    pub censored: Vec<(f64, f64)>,
    /// Numbers at risk at [`KmPlot::ticks`].
    pub at_risk: Vec<usize>,
    /// Cumulative numbers censored by each tick (KMunicate rows).
    pub censored_by: Vec<usize>,
    /// Cumulative numbers of events by each tick (KMunicate rows).
    pub events_by: Vec<usize>,
    /// Median survival time, where the curve reaches 0.5.
    pub median: Option<f64>,
    /// Digitised points drawn over the curve (reconstruction QA), if any.
    pub points: Vec<(f64, f64)>,
}

/// A Kaplan–Meier figure.
#[derive(Debug, Clone, PartialEq)]
pub struct KmPlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Time-axis label (with its unit).
    pub x_label: String,
    /// Curves.
    pub curves: Vec<KmCurve>,
    /// Time-axis ticks (the risk table's columns); the axis ends at the last.
    pub ticks: Vec<f64>,
    /// Show censored and events rows under the numbers at risk (KMunicate).
    pub kmunicate: bool,
    /// Width in mm.
    pub width_mm: f64,
    /// Line under the risk table (caveats).
    pub footnote: Option<String>,
}

/// Tick positions 0, step, … covering `max` (about five intervals).
pub fn time_ticks(max: f64) -> Vec<f64> {
    let max = if max > 0.0 { max } else { 1.0 };
    let step = nice_step(max / 5.0);
    let n = (max / step).ceil() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

fn lh(size: f64) -> f64 {
    size / PLOTTERS_PER_SVG_PX * 1.3
}

struct Layout {
    width: u32,
    height: u32,
    margin: f64,
    body: f64,
    small: f64,
    title: Vec<String>,
    subtitle: Vec<String>,
    legend_y: f64,
    legend: Vec<Vec<Legend>>,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    x_label_y: f64,
    risk_y: f64,
    foot: Vec<String>,
    foot_y: f64,
}

/// A legend entry.
#[derive(Debug, Clone)]
enum Legend {
    /// Curve i.
    Curve(usize, String),
    /// The dashed median line.
    Median,
    /// Digitised points.
    Points,
}

/// Legend entries flowed into lines no wider than `inner`.
fn legend_lines(p: &KmPlot, small: f64, body: f64, inner: f64) -> Vec<Vec<Legend>> {
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
    let mut lines: Vec<Vec<Legend>> = Vec::new();
    let mut used = 0.0;
    for it in items {
        let w = legend_width(&it, small, body);
        if lines.is_empty() || used + w > inner {
            lines.push(Vec::new());
            used = 0.0;
        }
        used += w;
        if let Some(l) = lines.last_mut() {
            l.push(it);
        }
    }
    lines
}

fn legend_text(it: &Legend) -> &str {
    match it {
        Legend::Curve(_, l) => l,
        Legend::Median => "median",
        Legend::Points => "digitised points",
    }
}

fn legend_width(it: &Legend, small: f64, body: f64) -> f64 {
    body * 1.6 + small * 0.4 + text_w(legend_text(it), small, false) + small * 1.2
}

/// Risk-table rows per curve: (label, counts).
fn table_rows(p: &KmPlot, c: &KmCurve) -> Vec<(&'static str, Vec<usize>)> {
    let mut rows = vec![("At risk", c.at_risk.clone())];
    if p.kmunicate {
        rows.push(("Censored", c.censored_by.clone()));
        rows.push(("Events", c.events_by.clone()));
    }
    rows
}

fn layout(p: &KmPlot) -> Layout {
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

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &KmPlot,
    l: &Layout,
) -> DrawResult<DB> {
    let px = |v: f64| v.round() as i32;
    let tmax = p
        .ticks
        .last()
        .copied()
        .unwrap_or(1.0)
        .max(f64::MIN_POSITIVE);
    let x = |time: f64| l.x0 + (time.min(tmax) / tmax) * (l.x1 - l.x0);
    let y = |surv: f64| l.y1 - surv.clamp(0.0, 1.0) * (l.y1 - l.y0);
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let center = Pos::new(HPos::Center, VPos::Center);
    let small_h = lh(l.small);
    root.fill(&WHITE)?;
    let mut ty = l.margin;
    for line in &l.title {
        let h = lh(pt(8.5));
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(ty + h / 2.0)),
            font(pt(8.5), true).color(&Theme::INK).pos(left),
        ))?;
        ty += h;
    }
    for line in &l.subtitle {
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(ty + small_h / 2.0)),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
        ty += small_h;
    }
    // Legend above the plot, so it never covers a curve.
    let sample = l.body * 1.6;
    for (row, items) in l.legend.iter().enumerate() {
        let ly = l.legend_y + row as f64 * small_h + small_h / 2.0;
        let mut lx = l.margin;
        for it in items {
            match it {
                Legend::Curve(i, _) => root.draw(&PathElement::new(
                    vec![(px(lx), px(ly)), (px(lx + sample), px(ly))],
                    PALETTE[i % PALETTE.len()].stroke_width(2),
                ))?,
                Legend::Median => root.draw(&DashedPathElement::new(
                    vec![(px(lx), px(ly)), (px(lx + sample), px(ly))],
                    3,
                    2,
                    Theme::MUTED.stroke_width(1),
                ))?,
                Legend::Points => root.draw(&Circle::new(
                    (px(lx + sample / 2.0), px(ly)),
                    3,
                    Theme::INK.stroke_width(1),
                ))?,
            }
            root.draw(&Text::new(
                legend_text(it).to_string(),
                (px(lx + sample + l.small * 0.4), px(ly)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
            lx += legend_width(it, l.small, l.body);
        }
    }

    // Grid and axes.
    for i in 0..=4 {
        let v = f64::from(i) * 0.25;
        root.draw(&PathElement::new(
            vec![(px(l.x0), px(y(v))), (px(l.x1), px(y(v)))],
            Theme::GRID.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            format!("{v:.2}"),
            (px(l.x0 - l.small * 0.5), px(y(v))),
            font(l.small, false).color(&Theme::INK).pos(right),
        ))?;
    }
    root.draw(&Text::new(
        "Survival probability",
        (px(l.margin + lh(l.body) / 2.0), px((l.y0 + l.y1) / 2.0)),
        font(l.body, false)
            .transform(FontTransform::Rotate270)
            .color(&Theme::INK)
            .pos(center),
    ))?;
    let axis = Theme::INK.stroke_width(1);
    root.draw(&PathElement::new(
        vec![
            (px(l.x0), px(l.y0)),
            (px(l.x0), px(l.y1)),
            (px(l.x1), px(l.y1)),
        ],
        axis,
    ))?;
    for &tk in &p.ticks {
        root.draw(&PathElement::new(
            vec![(px(x(tk)), px(l.y1)), (px(x(tk)), px(l.y1 + l.small * 0.3))],
            axis,
        ))?;
        root.draw(&Text::new(
            tick_text(tk),
            (px(x(tk)), px(l.y1 + l.small * 0.4 + small_h / 2.0)),
            font(l.small, false).color(&Theme::INK).pos(center),
        ))?;
    }
    root.draw(&Text::new(
        p.x_label.clone(),
        (px((l.x0 + l.x1) / 2.0), px(l.x_label_y + lh(l.body) / 2.0)),
        font(l.body, false).color(&Theme::INK).pos(center),
    ))?;
    // Curves: bands first, then steps, medians, points and censor marks.
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        if let Some(band) = &c.band {
            // One rectangle per step, from its time to the next, where the
            // band is defined (it is not once S reaches 0).
            for w in band.windows(2) {
                let (t0, lo, hi) = w[0];
                if lo.is_finite() && hi.is_finite() && w[1].0 > t0 {
                    root.draw(&Rectangle::new(
                        [(px(x(t0)), px(y(hi))), (px(x(w[1].0)), px(y(lo)))],
                        col.mix(0.15).filled(),
                    ))?;
                }
            }
        }
    }
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        if let Some(m) = c.median.filter(|m| *m <= tmax) {
            root.draw(&DashedPathElement::new(
                vec![
                    (px(l.x0), px(y(0.5))),
                    (px(x(m)), px(y(0.5))),
                    (px(x(m)), px(l.y1)),
                ],
                3,
                2,
                Theme::MUTED.stroke_width(1),
            ))?;
        }
        let mut path = Vec::with_capacity(c.steps.len() * 2);
        for (k, &(tm, sv)) in c.steps.iter().enumerate() {
            if k > 0 {
                path.push((px(x(tm)), px(y(c.steps[k - 1].1))));
            }
            path.push((px(x(tm)), px(y(sv))));
        }
        root.draw(&PathElement::new(path, col.stroke_width(2)))?;
        for &(tm, sv) in &c.points {
            root.draw(&Circle::new(
                (px(x(tm)), px(y(sv))),
                3,
                Theme::INK.stroke_width(1),
            ))?;
        }
        for &(tm, sv) in &c.censored {
            let (cx, cy) = (px(x(tm)), px(y(sv)));
            root.draw(&PathElement::new(
                vec![(cx, cy - 4), (cx, cy + 4)],
                col.stroke_width(1),
            ))?;
        }
    }
    // Risk table, columns under the ticks.
    root.draw(&Text::new(
        "Number at risk",
        (px(l.margin), px(l.risk_y + small_h / 2.0)),
        font(l.small, true).color(&Theme::INK).pos(left),
    ))?;
    let mut ry = l.risk_y + small_h;
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        root.draw(&Text::new(
            c.label.clone(),
            (px(l.margin), px(ry + small_h / 2.0)),
            font(l.small, true).color(&col).pos(left),
        ))?;
        ry += small_h;
        for (name, counts) in table_rows(p, c) {
            root.draw(&Text::new(
                name.to_string(),
                (px(l.margin + l.small), px(ry + small_h / 2.0)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
            for (tk, n) in p.ticks.iter().zip(&counts) {
                root.draw(&Text::new(
                    n.to_string(),
                    (px(x(*tk)), px(ry + small_h / 2.0)),
                    font(l.small, false).color(&Theme::INK).pos(center),
                ))?;
            }
            ry += small_h;
        }
    }
    for (i, line) in l.foot.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (
                px(l.margin),
                px(l.foot_y + i as f64 * small_h + small_h / 2.0),
            ),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    Ok(())
}

/// Renders the figure as SVG text.
pub fn render_km_svg(p: &KmPlot) -> Result<String, PlotError> {
    register_fonts();
    let l = layout(p);
    render_svg((l.width, l.height), |root| {
        draw(root, p, &l).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::check::layout_problems;

    pub(crate) fn plot(arms: usize, kmunicate: bool) -> KmPlot {
        let names = [
            "Surgery and adjuvant therapy",
            "Surgery alone",
            "Radiotherapy",
            "Observation",
        ];
        KmPlot {
            title: "Overall survival after resection of spinal metastases of uterine leiomyosarcoma".into(),
            subtitle: Some("Kaplan–Meier estimates with 95% CIs; ticks mark censored patients".into()),
            x_label: "Months since surgery".into(),
            curves: (0..arms)
                .map(|a| KmCurve {
                    label: format!("{} (n = {})", names[a % 4], 120 + a),
                    steps: vec![(0.0, 1.0), (3.0, 0.9 - 0.05 * a as f64), (30.0, 0.45), (80.0, 0.3)],
                    band: Some(vec![(0.0, 1.0, 1.0), (3.0, 0.8, 0.97), (30.0, 0.35, 0.55), (80.0, 0.2, 0.4)]),
                    censored: vec![(10.0, 0.85), (50.0, 0.45)],
                    at_risk: vec![120, 80, 41, 12, 3, 0],
                    censored_by: vec![0, 4, 18, 40, 52, 55],
                    events_by: vec![0, 36, 61, 68, 65 + a, 65 + a],
                    median: Some(28.0 + 3.0 * a as f64),
                    points: if a == 0 { vec![(3.0, 0.91), (30.0, 0.46)] } else { Vec::new() },
                })
                .collect(),
            ticks: vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0],
            kmunicate,
            width_mm: crate::plot::DOUBLE_COLUMN_MM,
            footnote: Some("Times from surgery; patients from three reports with different follow-up schedules, so the curve describes these patients only.".into()),
        }
    }

    #[test]
    fn structure_labels_and_no_overlaps() {
        for arms in 1..=4 {
            for kmunicate in [false, true] {
                for width in [crate::plot::SINGLE_COLUMN_MM, crate::plot::DOUBLE_COLUMN_MM] {
                    let mut p = plot(arms, kmunicate);
                    p.width_mm = width;
                    let svg = render_km_svg(&p).unwrap();
                    assert!(
                        layout_problems(&svg).is_empty(),
                        "{arms} arms, kmunicate {kmunicate}, {width} mm: {:?}",
                        layout_problems(&svg)
                    );
                    assert_eq!(svg, render_km_svg(&p).unwrap());
                    for needle in [
                        "Number at risk",
                        "Survival probability",
                        "median",
                        "Months since surgery",
                    ] {
                        assert!(svg.contains(needle), "missing {needle}");
                    }
                    assert_eq!(svg.contains("Censored"), kmunicate);
                    // One median line per arm, dashed (many short segments).
                    assert!(svg.matches("<polyline").count() >= arms);
                }
            }
        }
    }

    /// The counts sit under their ticks: each count's centre is the tick's x.
    #[test]
    fn risk_table_is_aligned_under_the_ticks() {
        let p = plot(2, true);
        let svg = render_km_svg(&p).unwrap();
        let boxes = crate::plot::check::text_boxes(&svg);
        let tick_x: Vec<f64> = p
            .ticks
            .iter()
            .map(|t| {
                let b = boxes.iter().find(|b| b.text == tick_text(*t)).unwrap();
                (b.x0 + b.x1) / 2.0
            })
            .collect();
        for n in ["120", "41", "36"] {
            let b = boxes.iter().find(|b| b.text == n).unwrap();
            let c = (b.x0 + b.x1) / 2.0;
            assert!(
                tick_x.iter().any(|x| (x - c).abs() < 1.0),
                "{n} at {c} not under a tick {tick_x:?}"
            );
        }
    }

    #[test]
    fn ticks_cover_the_range() {
        assert_eq!(time_ticks(156.0).last().copied(), Some(200.0));
        assert!(time_ticks(0.0).len() >= 2);
    }
}
