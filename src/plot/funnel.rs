//! The contour-enhanced funnel plot (Peters et al. 2008): effects against
//! their standard errors, over shaded regions of statistical significance
//! around the null, with the pooled estimate and its pseudo-CI funnel.
//! Studies missing from the white (non-significant) region in an
//! asymmetric plot point to publication bias rather than other causes.

use plotters::element::{Circle, PathElement, Polygon};
use plotters::prelude::*;

use super::frame::{nice_limits, Frame, FrameSpec, Swatch};
use super::{register_fonts, render_svg, PlotError, Theme};

/// One study.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelPoint {
    /// Effect on the analysis scale.
    pub yi: f64,
    /// Its standard error.
    pub sei: f64,
}

/// Everything the funnel plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelPlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Axis label of the effect (analysis scale).
    pub x_label: String,
    /// Studies.
    pub points: Vec<FunnelPoint>,
    /// The pooled estimate (analysis scale).
    pub center: f64,
    /// Centre of the significance contours (the null, analysis scale).
    pub null: f64,
    /// Contours, innermost first: the critical value z and the label of the
    /// band just outside it ("0.05 ≤ p < 0.10").
    pub contours: Vec<(f64, String)>,
    /// Label of the region inside the innermost contour ("p ≥ 0.10").
    pub inner_label: String,
    /// Critical value of the pseudo-CI around the pooled estimate.
    pub pseudo_ci_z: f64,
    /// Ticks with labels (e.g. back-transformed), else linear ticks.
    pub xticks: Option<Vec<(f64, String)>>,
    /// Width in mm.
    pub width_mm: f64,
    /// Lines under the plot.
    pub footnotes: Vec<String>,
}

/// Shades from the inside out: white, then darker towards significance
/// (metafor's `shade = c("white", "gray55", "gray75")` over gray90).
const SHADES: [RGBColor; 4] = [
    RGBColor(0xff, 0xff, 0xff),
    RGBColor(0x8c, 0x8c, 0x8c),
    RGBColor(0xbf, 0xbf, 0xbf),
    RGBColor(0xe5, 0xe5, 0xe5),
];

/// Clips a polygon to x0 ≤ x ≤ x1 (Sutherland–Hodgman on two edges).
fn clip_x(poly: &[(f64, f64)], x0: f64, x1: f64) -> Vec<(f64, f64)> {
    let mut out = poly.to_vec();
    for (bound, keep_above) in [(x0, true), (x1, false)] {
        let inside = |p: &(f64, f64)| {
            if keep_above {
                p.0 >= bound
            } else {
                p.0 <= bound
            }
        };
        let input = std::mem::take(&mut out);
        for (i, cur) in input.iter().enumerate() {
            let prev = &input[(i + input.len() - 1) % input.len()];
            let cross = |a: &(f64, f64), b: &(f64, f64)| {
                let t = (bound - a.0) / (b.0 - a.0);
                (bound, a.1 + t * (b.1 - a.1))
            };
            match (inside(prev), inside(cur)) {
                (true, true) => out.push(*cur),
                (true, false) => out.push(cross(prev, cur)),
                (false, true) => {
                    out.push(cross(prev, cur));
                    out.push(*cur);
                }
                (false, false) => {}
            }
        }
    }
    out
}

/// Renders the plot as SVG text.
pub fn render_funnel_svg(p: &FunnelPlot) -> Result<String, PlotError> {
    register_fonts();
    let se_max = p.points.iter().map(|q| q.sei).fold(0.0, f64::max).max(1e-9);
    let (_, y_hi) = nice_limits([0.0, se_max].into_iter(), 0.02);
    let reach = p.pseudo_ci_z * y_hi;
    let xr = nice_limits(
        p.points
            .iter()
            .map(|q| q.yi)
            .chain([p.center - reach, p.center + reach, p.null]),
        0.02,
    );
    let mut legend: Vec<(Swatch, String)> = if p.contours.is_empty() {
        Vec::new()
    } else {
        vec![(Swatch::Fill(SHADES[0]), p.inner_label.clone())]
    };
    for (i, (_, label)) in p.contours.iter().enumerate() {
        legend.push((Swatch::Fill(SHADES[(i + 1).min(3)]), label.clone()));
    }
    legend.push((Swatch::Line(Theme::INK, false), "pooled estimate".into()));
    legend.push((Swatch::Line(Theme::SPREAD, false), "pseudo 95% CI".into()));
    let f = Frame::new(&FrameSpec {
        title: &p.title,
        subtitle: p.subtitle.as_deref(),
        width_mm: p.width_mm,
        x_label: &p.x_label,
        y_label: "Standard error",
        xr,
        yr: (0.0, y_hi),
        y_down: true,
        xticks: p.xticks.clone(),
        legend,
        footnotes: &p.footnotes,
    });
    render_svg((f.width, f.height), |root| {
        (|| {
            let px = |v: f64| v.round() as i32;
            f.draw_back(root)?;
            // Bands from the outside in: the plot area takes the outermost
            // shade, then each contour's triangle the next lighter one.
            let n = p.contours.len().min(3);
            let rect = [(f.x0, f.y0), (f.x1, f.y0), (f.x1, f.y1), (f.x0, f.y1)];
            root.draw(&Polygon::new(
                rect.iter()
                    .map(|(x, y)| (px(*x), px(*y)))
                    .collect::<Vec<_>>(),
                SHADES[n].filled(),
            ))?;
            for i in (0..n).rev() {
                let z = p.contours[i].0;
                let tri = [
                    (f.x(p.null), f.y(0.0)),
                    (f.x(p.null + z * y_hi), f.y(y_hi)),
                    (f.x(p.null - z * y_hi), f.y(y_hi)),
                ];
                let clipped = clip_x(&tri, f.x0, f.x1);
                if clipped.len() >= 3 {
                    root.draw(&Polygon::new(
                        clipped
                            .iter()
                            .map(|(x, y)| (px(*x), px(*y)))
                            .collect::<Vec<_>>(),
                        SHADES[i].filled(),
                    ))?;
                }
            }
            // Pooled estimate and its pseudo-CI funnel.
            let cx = px(f.x(p.center));
            root.draw(&PathElement::new(
                vec![(cx, px(f.y0)), (cx, px(f.y1))],
                Theme::INK.stroke_width(1),
            ))?;
            for side in [-1.0, 1.0] {
                let a = (f.x(p.center), f.y(0.0));
                let b = (f.x(p.center + side * reach), f.y(y_hi));
                let seg = clip_x(&[a, b, a], f.x0, f.x1);
                // Solid and muted: a dashed diagonal renders ragged at
                // whole-pixel coordinates.
                if seg.len() >= 2 {
                    root.draw(&PathElement::new(
                        seg.iter()
                            .take(2)
                            .map(|(x, y)| (px(*x), px(*y)))
                            .collect::<Vec<_>>(),
                        Theme::SPREAD.stroke_width(1),
                    ))?;
                }
            }
            let r = px(f.body * 0.22).max(2);
            for q in &p.points {
                root.draw(&Circle::new(
                    (px(f.x(q.yi.clamp(xr.0, xr.1))), px(f.y(q.sei))),
                    r,
                    Theme::MARK.filled(),
                ))?;
                root.draw(&Circle::new(
                    (px(f.x(q.yi.clamp(xr.0, xr.1))), px(f.y(q.sei))),
                    r,
                    Theme::INK.stroke_width(1),
                ))?;
            }
            root.draw(&plotters::element::Rectangle::new(
                [(px(f.x0), px(f.y0)), (px(f.x1), px(f.y1))],
                Theme::INK.stroke_width(1),
            ))?;
            f.draw_front(root)
        })()
        .map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::check::layout_problems;

    pub(crate) fn plot(k: usize) -> FunnelPlot {
        FunnelPlot {
            title: "Contour-enhanced funnel plot: local control after spine SBRT".into(),
            subtitle: Some("Logit scale; contours around the null (logit 0 = 50%)".into()),
            x_label: "Local control at 12 months (logit)".into(),
            points: (0..k)
                .map(|i| FunnelPoint {
                    yi: 0.4 + (i as f64 * 0.77) % 2.5,
                    sei: 0.15 + (i as f64 * 0.31) % 0.9,
                })
                .collect(),
            center: 1.24,
            null: 0.0,
            contours: vec![
                (1.645, "0.05 ≤ p < 0.10".into()),
                (1.96, "0.01 ≤ p < 0.05".into()),
                (2.576, "p < 0.01".into()),
            ],
            inner_label: "p ≥ 0.10".into(),
            pseudo_ci_z: 1.96,
            xticks: None,
            width_mm: crate::plot::SINGLE_COLUMN_MM,
            footnotes: vec!["Egger's test not run: k = 5 < 10 (Sterne et al. 2011).".into()],
        }
    }

    #[test]
    fn structure_labels_and_no_overlaps() {
        for k in [1, 3, 5, 20, 100] {
            let svg = render_funnel_svg(&plot(k)).unwrap();
            assert!(
                layout_problems(&svg).is_empty(),
                "k = {k}: {:?}",
                layout_problems(&svg)
            );
            // Two circles (fill, outline) per study.
            assert_eq!(svg.matches("<circle").count(), 2 * k, "k = {k}");
            for needle in [
                "Standard error",
                "p ≥ 0.10",
                "0.01 ≤ p &lt; 0.05",
                "pseudo 95% CI",
            ] {
                assert!(svg.contains(needle), "missing {needle}");
            }
            assert_eq!(svg, render_funnel_svg(&plot(k)).unwrap());
        }
    }

    #[test]
    fn clipping_keeps_the_polygon_inside() {
        let tri = [(5.0, 0.0), (15.0, 10.0), (-5.0, 10.0)];
        let c = clip_x(&tri, 0.0, 10.0);
        assert!(c.iter().all(|(x, _)| (0.0..=10.0).contains(x)), "{c:?}");
        assert!(c.len() >= 4);
        assert!(clip_x(&tri, 20.0, 30.0).is_empty());
    }
}
#[cfg(test)]
mod dump {
    #[test]
    fn dump() {
        if let Ok(d) = std::env::var("PLOT_DUMP") {
            let svg = super::render_funnel_svg(&super::tests::plot(5)).unwrap();
            std::fs::write(
                format!("{d}/funnel.png"),
                crate::plot::svg_to_png(&svg, 250).unwrap(),
            )
            .unwrap();
        }
    }
}
