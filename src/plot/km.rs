//! Kaplan–Meier figure: step curves with optional CI bands and censor
//! marks, and the number-at-risk table aligned under the time ticks. Plot
//! data (steps, marks, counts at the ticks) come from the analysis; this
//! module only draws.

use plotters::coord::Shift;
use plotters::element::{Circle, PathElement, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::text::{font, nice_step, text_w, tick_text};
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

const M: f64 = 16.0;
const PLOT_H: f64 = 280.0;
const PLOT_W: f64 = 460.0;
const ROW: f64 = 18.0;

struct Layout {
    width: u32,
    height: u32,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    risk_y: f64,
    foot_y: f64,
}

fn layout(p: &KmPlot, t: &Theme) -> Layout {
    let s = t.scale;
    let label_w = p
        .curves
        .iter()
        .map(|c| text_w(&c.label, t.font(11.0), false))
        .fold(text_w("Number at risk", t.font(11.0), true), f64::max);
    let x0 = M * s + label_w.max(50.0 * s) + 12.0 * s;
    let x1 = x0 + PLOT_W * s;
    let y0 = M * s + if p.subtitle.is_some() { 44.0 } else { 28.0 } * s;
    let y1 = y0 + PLOT_H * s;
    let risk_y = y1 + 52.0 * s;
    let foot_y = risk_y + (p.curves.len() as f64 + 1.0) * ROW * s + 8.0 * s;
    let tail_w = text_w(
        &tick_text(*p.ticks.last().unwrap_or(&0.0)),
        t.font(10.0),
        false,
    );
    let width = (x1 + tail_w / 2.0 + M * s).max(
        p.footnote
            .as_ref()
            .map_or(0.0, |f| M * s + text_w(f, t.font(10.0), false) + M * s),
    );
    Layout {
        width: width.ceil() as u32,
        height: (foot_y + if p.footnote.is_some() { 22.0 } else { 4.0 } * s).ceil() as u32,
        x0,
        x1,
        y0,
        y1,
        risk_y,
        foot_y,
    }
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &KmPlot,
    t: &Theme,
    l: &Layout,
) -> DrawResult<DB> {
    let s = t.scale;
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
    let top = Pos::new(HPos::Center, VPos::Top);
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        p.title.clone(),
        (px(M * s), px(M * s + 9.0 * s)),
        font(t.font(15.0), true).color(&Theme::INK).pos(left),
    ))?;
    if let Some(sub) = &p.subtitle {
        root.draw(&Text::new(
            sub.clone(),
            (px(M * s), px(M * s + 28.0 * s)),
            font(t.font(11.0), false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    // Grid and axes.
    for i in 0..=4 {
        let v = f64::from(i) * 0.25;
        root.draw(&PathElement::new(
            vec![(px(l.x0), px(y(v))), (px(l.x1), px(y(v)))],
            Theme::GRID.stroke_width(t.px(1.0) as u32),
        ))?;
        root.draw(&Text::new(
            format!("{v:.2}"),
            (px(l.x0 - 6.0 * s), px(y(v))),
            font(t.font(10.0), false).color(&Theme::INK).pos(right),
        ))?;
    }
    let axis = Theme::INK.stroke_width(t.px(1.0) as u32);
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
            vec![(px(x(tk)), px(l.y1)), (px(x(tk)), px(l.y1 + 4.0 * s))],
            axis,
        ))?;
        root.draw(&Text::new(
            tick_text(tk),
            (px(x(tk)), px(l.y1 + 7.0 * s)),
            font(t.font(10.0), false).color(&Theme::INK).pos(top),
        ))?;
    }
    root.draw(&Text::new(
        p.x_label.clone(),
        (px((l.x0 + l.x1) / 2.0), px(l.y1 + 24.0 * s)),
        font(t.font(11.0), false).color(&Theme::INK).pos(top),
    ))?;
    // Curves: bands first, then steps, then censor marks.
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
        let mut path = Vec::with_capacity(c.steps.len() * 2);
        for (k, &(tm, sv)) in c.steps.iter().enumerate() {
            if k > 0 {
                path.push((px(x(tm)), px(y(c.steps[k - 1].1))));
            }
            path.push((px(x(tm)), px(y(sv))));
        }
        root.draw(&PathElement::new(path, col.stroke_width(t.px(2.0) as u32)))?;
        for &(tm, sv) in &c.points {
            root.draw(&Circle::new(
                (px(x(tm)), px(y(sv))),
                t.px(2.5),
                Theme::INK.stroke_width(t.px(1.0) as u32),
            ))?;
        }
        for &(tm, sv) in &c.censored {
            let (cx, cy) = (px(x(tm)), px(y(sv)));
            root.draw(&PathElement::new(
                vec![(cx, cy - t.px(4.0)), (cx, cy + t.px(4.0))],
                col.stroke_width(t.px(1.5) as u32),
            ))?;
        }
    }
    // Legend, top right.
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        let ly = l.y0 + 10.0 * s + i as f64 * 16.0 * s;
        let lw = text_w(&c.label, t.font(10.0), false);
        let lx = l.x1 - lw - 28.0 * s;
        root.draw(&PathElement::new(
            vec![(px(lx), px(ly)), (px(lx + 18.0 * s), px(ly))],
            col.stroke_width(t.px(2.0) as u32),
        ))?;
        root.draw(&Text::new(
            c.label.clone(),
            (px(lx + 24.0 * s), px(ly)),
            font(t.font(10.0), false).color(&Theme::INK).pos(left),
        ))?;
    }
    // Number-at-risk table, one row per curve, columns under the ticks.
    root.draw(&Text::new(
        "Number at risk",
        (px(M * s), px(l.risk_y)),
        font(t.font(11.0), true).color(&Theme::INK).pos(left),
    ))?;
    for (i, c) in p.curves.iter().enumerate() {
        let ry = l.risk_y + (i as f64 + 1.0) * ROW * s;
        let col = PALETTE[i % PALETTE.len()];
        root.draw(&Text::new(
            c.label.clone(),
            (px(M * s), px(ry)),
            font(t.font(10.0), false).color(&col).pos(left),
        ))?;
        for (tk, n) in p.ticks.iter().zip(&c.at_risk) {
            root.draw(&Text::new(
                n.to_string(),
                (px(x(*tk)), px(ry)),
                font(t.font(10.0), false)
                    .color(&Theme::INK)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    if let Some(f) = &p.footnote {
        root.draw(&Text::new(
            f.clone(),
            (px(M * s), px(l.foot_y + 8.0 * s)),
            font(t.font(10.0), false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    Ok(())
}

/// Renders the figure as SVG text.
pub fn render_km_svg(p: &KmPlot) -> Result<String, PlotError> {
    register_fonts();
    let t = Theme { scale: 1.0 };
    let l = layout(p, &t);
    render_svg((l.width, l.height), |root| {
        draw(root, p, &t, &l).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot() -> KmPlot {
        KmPlot {
            title: "Overall survival".into(),
            subtitle: Some("4 patients".into()),
            x_label: "Months".into(),
            curves: vec![KmCurve {
                label: "All cases".into(),
                steps: vec![(0.0, 1.0), (3.0, 0.75), (8.0, 0.5)],
                band: Some(vec![(0.0, 1.0, 1.0), (3.0, 0.4, 1.0), (8.0, 0.2, 0.9)]),
                censored: vec![(5.0, 0.75)],
                at_risk: vec![4, 3, 1],
                points: vec![(3.0, 0.76)],
            }],
            ticks: vec![0.0, 5.0, 10.0],
            footnote: Some("small n".into()),
        }
    }

    #[test]
    fn svg_is_deterministic_and_has_the_risk_table() {
        let a = render_km_svg(&plot()).unwrap();
        assert_eq!(a, render_km_svg(&plot()).unwrap());
        assert!(a.contains("Number at risk"));
        assert!(a.contains("All cases"));
        let svg = render_km_svg(&plot()).unwrap();
        assert!(crate::plot::svg_to_png(&svg, 300)
            .unwrap()
            .starts_with(b"\x89PNG"));
    }

    #[test]
    fn ticks_cover_the_range() {
        assert_eq!(time_ticks(156.0).last().copied(), Some(200.0));
        assert!(time_ticks(0.0).len() >= 2);
    }
}
