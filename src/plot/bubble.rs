//! The bubble plot of a meta-regression: each study's effect against the
//! moderator, the bubble's area proportional to its weight, with the fitted
//! line and its confidence band.

use plotters::element::{Circle, DashedPathElement, PathElement, Polygon};
use plotters::prelude::*;

use super::frame::{nice_limits, Frame, FrameSpec, Swatch};
use super::{register_fonts, render_svg, PlotError, Theme};

/// One study.
#[derive(Debug, Clone, PartialEq)]
pub struct BubblePoint {
    /// Moderator value.
    pub x: f64,
    /// Effect (display scale).
    pub y: f64,
    /// Weight in the model.
    pub weight: f64,
}

/// Everything the bubble plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BubblePlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Moderator axis label.
    pub x_label: String,
    /// Effect axis label.
    pub y_label: String,
    /// Studies.
    pub points: Vec<BubblePoint>,
    /// Fitted line: (x, fit, CI lower, CI upper) in display units, by x.
    pub line: Vec<(f64, f64, f64, f64)>,
    /// Horizontal null line.
    pub reference: Option<f64>,
    /// Values the effect can take (0–100 for percentages); the axis stays inside.
    pub domain: Option<(f64, f64)>,
    /// Width in mm.
    pub width_mm: f64,
    /// Lines under the plot.
    pub footnotes: Vec<String>,
}

const BAND: RGBColor = RGBColor(0xd6, 0xe6, 0xf2);

/// Renders the plot as SVG text.
pub fn render_bubble_svg(p: &BubblePlot) -> Result<String, PlotError> {
    register_fonts();
    let xr = nice_limits(p.points.iter().map(|q| q.x), 0.05);
    let mut yr = nice_limits(
        p.points
            .iter()
            .map(|q| q.y)
            .chain(p.line.iter().flat_map(|l| [l.2, l.3]))
            .chain(p.reference),
        0.05,
    );
    if let Some((a, b)) = p.domain {
        yr = (yr.0.max(a), yr.1.min(b));
    }
    let f = Frame::new(&FrameSpec {
        title: &p.title,
        subtitle: p.subtitle.as_deref(),
        width_mm: p.width_mm,
        x_label: &p.x_label,
        y_label: &p.y_label,
        xr,
        yr,
        y_down: false,
        xticks: None,
        legend: vec![
            (Swatch::Dot(Theme::MARK), "study (area ∝ weight)".into()),
            (Swatch::Line(Theme::INK, false), "meta-regression".into()),
            (Swatch::Fill(BAND), "95% CI".into()),
        ],
        footnotes: &p.footnotes,
    });
    let max_w = p.points.iter().map(|q| q.weight).fold(0.0, f64::max);
    render_svg((f.width, f.height), |root| {
        (|| {
            let px = |v: f64| v.round() as i32;
            f.draw_back(root)?;
            let clamp_y = |v: f64| v.clamp(yr.0, yr.1);
            if p.line.len() >= 2 {
                let mut band: Vec<(i32, i32)> = p
                    .line
                    .iter()
                    .map(|l| (px(f.x(l.0)), px(f.y(clamp_y(l.3)))))
                    .collect();
                band.extend(
                    p.line
                        .iter()
                        .rev()
                        .map(|l| (px(f.x(l.0)), px(f.y(clamp_y(l.2))))),
                );
                root.draw(&Polygon::new(band, BAND.filled()))?;
                root.draw(&PathElement::new(
                    p.line
                        .iter()
                        .map(|l| (px(f.x(l.0)), px(f.y(clamp_y(l.1)))))
                        .collect::<Vec<_>>(),
                    Theme::INK.stroke_width(2),
                ))?;
            }
            if let Some(r) = p.reference {
                root.draw(&DashedPathElement::new(
                    vec![(px(f.x0), px(f.y(r))), (px(f.x1), px(f.y(r)))],
                    3,
                    3,
                    Theme::MUTED.stroke_width(1),
                ))?;
            }
            let r_max = (f.x1 - f.x0) * 0.045;
            // Largest bubbles first, so small ones stay visible on top.
            let mut order: Vec<usize> = (0..p.points.len()).collect();
            order.sort_by(|&a, &b| p.points[b].weight.total_cmp(&p.points[a].weight));
            for i in order {
                let q = &p.points[i];
                let r = if max_w > 0.0 {
                    (r_max * (q.weight / max_w).sqrt()).max(2.0)
                } else {
                    3.0
                };
                let c = (px(f.x(q.x)), px(f.y(clamp_y(q.y))));
                root.draw(&Circle::new(c, px(r), Theme::MARK.mix(0.55).filled()))?;
                root.draw(&Circle::new(c, px(r), Theme::MARK.stroke_width(1)))?;
            }
            f.draw_front(root)
        })()
        .map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::check::layout_problems;

    pub(crate) fn plot(k: usize) -> BubblePlot {
        BubblePlot {
            title: "Meta-regression on absolute latitude (BCG vaccine trials)".into(),
            subtitle: Some("Mixed-effects model, REML".into()),
            x_label: "Absolute latitude (degrees)".into(),
            y_label: "Risk ratio (log scale)".into(),
            points: (0..k)
                .map(|i| BubblePoint {
                    x: 13.0 + (i as f64 * 7.3) % 42.0,
                    y: -0.2 - (i as f64 * 0.13) % 1.4,
                    weight: 1.0 + (i % 5) as f64,
                })
                .collect(),
            line: (0..=10)
                .map(|j| {
                    let x = 13.0 + 4.2 * j as f64;
                    let fit = 0.25 - 0.03 * x;
                    (x, fit, fit - 0.3, fit + 0.3)
                })
                .collect(),
            reference: Some(0.0),
            domain: None,
            width_mm: crate::plot::SINGLE_COLUMN_MM,
            footnotes: vec!["QM(1) = 16.36, p < 0.0001; R² = 75.6%".into()],
        }
    }

    #[test]
    fn structure_labels_and_no_overlaps() {
        for k in [2, 13, 60] {
            let svg = render_bubble_svg(&plot(k)).unwrap();
            assert!(
                layout_problems(&svg).is_empty(),
                "k = {k}: {:?}",
                layout_problems(&svg)
            );
            // Two circles per study and one in the legend.
            assert_eq!(svg.matches("<circle").count(), 2 * k + 1);
            for needle in [
                "Absolute latitude (degrees)",
                "Risk ratio (log scale)",
                "meta-regression",
                "QM(1) = 16.36",
            ] {
                assert!(svg.contains(needle), "missing {needle}");
            }
            assert_eq!(svg, render_bubble_svg(&plot(k)).unwrap());
        }
    }
}
#[cfg(test)]
mod dump {
    #[test]
    fn dump() {
        if let Ok(d) = std::env::var("PLOT_DUMP") {
            let svg = super::render_bubble_svg(&super::tests::plot(13)).unwrap();
            std::fs::write(
                format!("{d}/bubble.png"),
                crate::plot::svg_to_png(&svg, 250).unwrap(),
            )
            .unwrap();
        }
    }
}
