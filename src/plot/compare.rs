//! The comparison plot: reported estimates (medians, means, proportions or
//! ratios) across studies, one row each, with their CI, IQR or range, grouped
//! under headings. Columns: label · n · axis · estimate text.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontStyle, IntoFont, ShapeStyle};

use super::{encode_png, register_fonts, PlotError, Theme, FONT_FAMILY};

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Linear from 0 (times, percentages).
    Linear,
    /// Logarithmic (ratios), with a reference line at 1.
    Log,
}

/// What an interval around an estimate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalKind {
    /// Confidence interval.
    Ci,
    /// Interquartile range.
    Iqr,
    /// Minimum–maximum.
    Range,
}

/// An interval in display units; a missing bound is open ("not reached").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotInterval {
    /// Kind.
    pub kind: IntervalKind,
    /// Lower bound.
    pub lower: Option<f64>,
    /// Upper bound.
    pub upper: Option<f64>,
}

/// One row: a study's figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// Main label (study).
    pub label: String,
    /// Secondary label (group, time point).
    pub detail: String,
    /// Sample size text.
    pub n_text: String,
    /// Estimate in display units; `None` draws no marker.
    pub value: Option<f64>,
    /// Estimate as text, with its interval.
    pub value_text: String,
    /// Interval to draw.
    pub interval: Option<PlotInterval>,
}

/// Rows under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareGroup {
    /// Heading (e.g. the population); `None` for no heading.
    pub heading: Option<String>,
    /// Rows.
    pub rows: Vec<CompareRow>,
}

/// Everything the comparison plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparePlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Axis label with unit.
    pub x_label: String,
    /// Header of the estimate column.
    pub value_header: String,
    /// Header of the label column.
    pub label_header: String,
    /// Name of the estimate in the legend ("median").
    pub estimate_name: String,
    /// Axis scale.
    pub scale: Scale,
    /// Groups in display order.
    pub groups: Vec<CompareGroup>,
}

const M: f64 = 16.0;
const GAP: f64 = 14.0;
const ROW: f64 = 22.0;
const PLOT_W: f64 = 340.0;

fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    (FONT_FAMILY, size, style).into_font()
}

fn text_w(text: &str, size: f64, bold: bool) -> f64 {
    font(size, bold)
        .box_size(text)
        .map_or(text.len() as f64 * size * 0.6, |(w, _)| f64::from(w))
}

/// Positions computed from text measurements; shared by SVG and PNG.
struct Layout {
    width: u32,
    height: u32,
    label_x: f64,
    n_right: f64,
    plot_x0: f64,
    plot_x1: f64,
    value_x: f64,
    header_y: f64,
    rows_y: f64,
    axis_y: f64,
    legend_y: f64,
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Layout {
    fn new(p: &ComparePlot, t: &Theme) -> Layout {
        let s = t.scale;
        let rows = p.groups.iter().flat_map(|g| &g.rows);
        let label_w = rows
            .clone()
            .map(|r| {
                text_w(&r.label, t.font(11.5), false)
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
        width = width.max(title_w).max(heading_w);
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
        let height = legend_y + 18.0 * s + M * s;
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

    fn x(&self, v: f64, scale: Scale) -> f64 {
        let f = match scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log => (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln()),
        };
        self.plot_x0 + f.clamp(0.0, 1.0) * (self.plot_x1 - self.plot_x0)
    }
}

/// Axis limits and ticks covering every estimate and finite bound.
fn axis(p: &ComparePlot) -> (f64, f64, Vec<f64>) {
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

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

fn tick_text(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
) -> DrawResult<DB> {
    let s = t.scale;
    let px = |v: f64| v.round() as i32;
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let center = Pos::new(HPos::Center, VPos::Top);
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        p.title.clone(),
        (px(l.label_x), px(M * s + 9.0 * s)),
        font(t.font(15.0), true).color(&Theme::INK).pos(left),
    ))?;
    if let Some(sub) = &p.subtitle {
        root.draw(&Text::new(
            sub.clone(),
            (px(l.label_x), px(M * s + 28.0 * s)),
            font(t.font(11.0), false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    let hy = px(l.header_y + ROW * s / 2.0);
    let header = font(t.font(11.0), true).color(&Theme::INK);
    root.draw(&Text::new(
        p.label_header.clone(),
        (px(l.label_x), hy),
        header.pos(left),
    ))?;
    root.draw(&Text::new("n", (px(l.n_right), hy), header.pos(right)))?;
    root.draw(&Text::new(
        p.value_header.clone(),
        (px(l.value_x), hy),
        header.pos(left),
    ))?;
    root.draw(&PathElement::new(
        vec![
            (px(l.label_x), px(l.rows_y)),
            (l.width as i32 - px(M * s), px(l.rows_y)),
        ],
        Theme::INK.stroke_width(t.px(1.0) as u32),
    ))?;

    // Grid first, so rows draw over it.
    for &tick in &l.ticks {
        let x = px(l.x(tick, p.scale));
        root.draw(&PathElement::new(
            vec![(x, px(l.rows_y)), (x, px(l.axis_y))],
            Theme::GRID.stroke_width(t.px(1.0) as u32),
        ))?;
    }
    if p.scale == Scale::Log {
        let x = px(l.x(1.0, p.scale));
        root.draw(&DashedPathElement::new(
            vec![(x, px(l.rows_y)), (x, px(l.axis_y))],
            t.px(4.0) as u32,
            t.px(3.0) as u32,
            Theme::MUTED.stroke_width(t.px(1.0) as u32),
        ))?;
    }

    let mut y = l.rows_y;
    let mut band = false;
    for g in &p.groups {
        if let Some(h) = &g.heading {
            root.draw(&Text::new(
                h.clone(),
                (px(l.label_x), px(y + ROW * s / 2.0)),
                font(t.font(11.5), true).color(&Theme::INK).pos(left),
            ))?;
            y += ROW * s;
        }
        for r in &g.rows {
            let cy = y + ROW * s / 2.0;
            if band {
                root.draw(&Rectangle::new(
                    [
                        (px(l.label_x - 4.0 * s), px(y)),
                        (l.width as i32 - px(M * s) + px(4.0 * s), px(y + ROW * s)),
                    ],
                    Theme::BAND.filled(),
                ))?;
            }
            band = !band;
            let indent = if g.heading.is_some() { 10.0 * s } else { 0.0 };
            let row_font = font(t.font(11.5), false);
            root.draw(&Text::new(
                r.label.clone(),
                (px(l.label_x + indent), px(cy)),
                row_font.color(&Theme::INK).pos(left),
            ))?;
            if !r.detail.is_empty() {
                let dx = text_w(&r.label, t.font(11.5), false);
                root.draw(&Text::new(
                    format!(" · {}", r.detail),
                    (px(l.label_x + indent + dx), px(cy)),
                    row_font.color(&Theme::MUTED).pos(left),
                ))?;
            }
            root.draw(&Text::new(
                r.n_text.clone(),
                (px(l.n_right), px(cy)),
                font(t.font(11.0), false).color(&Theme::INK).pos(right),
            ))?;
            root.draw(&Text::new(
                r.value_text.clone(),
                (px(l.value_x), px(cy)),
                font(t.font(11.0), false).color(&Theme::INK).pos(left),
            ))?;
            if let Some(i) = r.interval {
                draw_interval(root, p, t, l, i, cy)?;
            }
            if let Some(v) = r.value {
                root.draw(&Circle::new(
                    (px(l.x(v, p.scale)), px(cy)),
                    t.px(4.5),
                    Theme::MARK.filled(),
                ))?;
            }
            y += ROW * s;
        }
    }

    // Axis.
    let ay = px(l.axis_y);
    root.draw(&PathElement::new(
        vec![(px(l.plot_x0), ay), (px(l.plot_x1), ay)],
        Theme::INK.stroke_width(t.px(1.0) as u32),
    ))?;
    for &tick in &l.ticks {
        let x = px(l.x(tick, p.scale));
        root.draw(&PathElement::new(
            vec![(x, ay), (x, ay + t.px(5.0))],
            Theme::INK.stroke_width(t.px(1.0) as u32),
        ))?;
        root.draw(&Text::new(
            tick_text(tick),
            (x, ay + t.px(7.0)),
            font(t.font(10.5), false).color(&Theme::INK).pos(center),
        ))?;
    }
    let mid = px((l.plot_x0 + l.plot_x1) / 2.0);
    root.draw(&Text::new(
        p.x_label.clone(),
        (mid, ay + t.px(26.0)),
        font(t.font(11.0), false).color(&Theme::INK).pos(center),
    ))?;
    draw_legend(root, p, t, l)
}

fn draw_interval<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
    i: PlotInterval,
    cy: f64,
) -> DrawResult<DB> {
    let px = |v: f64| v.round() as i32;
    let x0 = i.lower.map_or(l.plot_x0, |v| l.x(v, p.scale));
    let x1 = i.upper.map_or(l.plot_x1, |v| l.x(v, p.scale));
    let (color, width) = match i.kind {
        IntervalKind::Ci => (Theme::MARK, 1.8),
        IntervalKind::Iqr | IntervalKind::Range => (Theme::SPREAD, 1.6),
    };
    let style: ShapeStyle = color.stroke_width(t.px(width) as u32);
    let y = px(cy);
    match i.kind {
        IntervalKind::Ci => root.draw(&PathElement::new(vec![(px(x0), y), (px(x1), y)], style))?,
        IntervalKind::Range => root.draw(&DashedPathElement::new(
            vec![(px(x0), y), (px(x1), y)],
            t.px(4.0) as u32,
            t.px(3.0) as u32,
            style,
        ))?,
        IntervalKind::Iqr => root.draw(&Rectangle::new(
            [(px(x0), y - t.px(5.0)), (px(x1), y + t.px(5.0))],
            style,
        ))?,
    }
    let cap = t.px(4.0);
    for (bound, x, dir) in [(i.lower, x0, -1.0), (i.upper, x1, 1.0)] {
        if bound.is_some() {
            if i.kind != IntervalKind::Iqr {
                root.draw(&PathElement::new(
                    vec![(px(x), y - cap), (px(x), y + cap)],
                    style,
                ))?;
            }
        } else {
            // Open bound ("not reached"): an arrowhead at the axis end.
            let tip = px(x);
            let back = px(x - dir * 7.0 * t.scale);
            root.draw(&Polygon::new(
                vec![(tip, y), (back, y - cap), (back, y + cap)],
                color.filled(),
            ))?;
        }
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
) -> DrawResult<DB> {
    let s = t.scale;
    let px = |v: f64| v.round() as i32;
    let kinds: Vec<IntervalKind> = [IntervalKind::Ci, IntervalKind::Iqr, IntervalKind::Range]
        .into_iter()
        .filter(|k| {
            p.groups
                .iter()
                .flat_map(|g| &g.rows)
                .any(|r| r.interval.is_some_and(|i| i.kind == *k))
        })
        .collect();
    let open = p.groups.iter().flat_map(|g| &g.rows).any(|r| {
        r.interval
            .is_some_and(|i| i.lower.is_none() || i.upper.is_none())
    });
    let y = px(l.legend_y + 9.0 * s);
    let f = font(t.font(10.5), false);
    let mut x = l.label_x;
    let item = |x: &mut f64, label: &str| -> f64 {
        let start = *x + 26.0 * s;
        *x = start + text_w(label, t.font(10.5), false) + 18.0 * s;
        start
    };
    let start = item(&mut x, &p.estimate_name);
    root.draw(&Circle::new(
        (px(start - 14.0 * s), y),
        t.px(4.5),
        Theme::MARK.filled(),
    ))?;
    root.draw(&Text::new(
        p.estimate_name.clone(),
        (px(start), y),
        f.color(&Theme::INK).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    for k in kinds {
        let label = match k {
            IntervalKind::Ci => "confidence interval",
            IntervalKind::Iqr => "interquartile range",
            IntervalKind::Range => "range (min–max)",
        };
        let start = item(&mut x, label);
        let (a, b) = (px(start - 24.0 * s), px(start - 6.0 * s));
        match k {
            IntervalKind::Ci => root.draw(&PathElement::new(
                vec![(a, y), (b, y)],
                Theme::MARK.stroke_width(t.px(1.8) as u32),
            ))?,
            IntervalKind::Range => root.draw(&DashedPathElement::new(
                vec![(a, y), (b, y)],
                t.px(4.0) as u32,
                t.px(3.0) as u32,
                Theme::SPREAD.stroke_width(t.px(1.6) as u32),
            ))?,
            IntervalKind::Iqr => root.draw(&Rectangle::new(
                [(a, y - t.px(5.0)), (b, y + t.px(5.0))],
                Theme::SPREAD.stroke_width(t.px(1.6) as u32),
            ))?,
        }
        root.draw(&Text::new(
            label,
            (px(start), y),
            f.color(&Theme::INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    if open {
        let label = "bound not reached";
        let start = item(&mut x, label);
        let tip = px(start - 8.0 * s);
        root.draw(&Polygon::new(
            vec![
                (tip, y),
                (tip - t.px(7.0), y - t.px(4.0)),
                (tip - t.px(7.0), y + t.px(4.0)),
            ],
            Theme::MARK.filled(),
        ))?;
        root.draw(&Text::new(
            label,
            (px(start), y),
            f.color(&Theme::INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Renders the plot as SVG text.
pub fn render_compare_svg(p: &ComparePlot) -> Result<String, PlotError> {
    register_fonts();
    let t = Theme { scale: 1.0 };
    let l = Layout::new(p, &t);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (l.width, l.height)).into_drawing_area();
        draw(&root, p, &t, &l).map_err(|e| PlotError::Draw(e.to_string()))?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
    }
    Ok(out)
}

/// Renders the plot as PNG at `dpi`, sized so that the SVG's 96-px inch maps to one inch.
pub fn render_compare_png(p: &ComparePlot, dpi: u32) -> Result<Vec<u8>, PlotError> {
    register_fonts();
    let t = Theme {
        scale: f64::from(dpi) / 96.0,
    };
    let l = Layout::new(p, &t);
    let mut buf = vec![0u8; l.width as usize * l.height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (l.width, l.height)).into_drawing_area();
        draw(&root, p, &t, &l).map_err(|e| PlotError::Draw(e.to_string()))?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
    }
    encode_png(&buf, l.width, l.height, dpi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot() -> ComparePlot {
        let row = |label: &str, v: f64, i: Option<PlotInterval>| CompareRow {
            label: label.into(),
            detail: "all".into(),
            n_text: "9".into(),
            value: Some(v),
            value_text: format!("{v}"),
            interval: i,
        };
        ComparePlot {
            title: "Median overall survival".into(),
            subtitle: None,
            x_label: "Median overall survival (months)".into(),
            value_header: "Median (months)".into(),
            label_header: "Study".into(),
            estimate_name: "median".into(),
            scale: Scale::Linear,
            groups: vec![CompareGroup {
                heading: Some("spine".into()),
                rows: vec![
                    row("A 2020", 46.0, None),
                    row(
                        "B 2021",
                        14.1,
                        Some(PlotInterval {
                            kind: IntervalKind::Ci,
                            lower: Some(8.6),
                            upper: None,
                        }),
                    ),
                ],
            }],
        }
    }

    #[test]
    fn svg_has_every_label_and_is_deterministic() {
        let a = render_compare_svg(&plot()).unwrap();
        for needle in [
            "Median overall survival (months)",
            "A 2020",
            "B 2021",
            "spine",
            "bound not reached",
            "confidence interval",
        ] {
            assert!(a.contains(needle), "missing {needle}");
        }
        assert_eq!(a, render_compare_svg(&plot()).unwrap());
    }

    #[test]
    fn png_is_a_png() {
        let png = render_compare_png(&plot(), 192).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    #[test]
    fn axis_covers_values() {
        let (lo, hi, ticks) = axis(&plot());
        assert_eq!(lo, 0.0);
        assert!(hi >= 46.0 && hi <= 60.0, "{hi}");
        assert_eq!(ticks.first(), Some(&0.0));
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(0.3), 0.5);
    }
}
