//! Kaplan–Meier figure: step curves with CI bands, censor marks, dashed
//! median lines, digitised points for reconstruction QA, and the risk
//! table aligned under the time ticks — numbers at risk, and optionally
//! the cumulative numbers censored and with events (the KMunicate layout,
//! Morris et al. 2019). Laid out for a journal column (mm, pt) from text
//! measurements. Plot data come from the analysis; this module only draws.

use plotters::style::RGBColor;

use super::text::nice_step;
use super::{register_fonts, render_svg, PlotError};

mod draw;
mod layout;

use draw::draw;
use layout::layout;

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
    /// Time-axis ticks (the risk table's columns).
    pub ticks: Vec<f64>,
    /// Where the time axis ends (at or after the last tick); curves are
    /// drawn up to it.
    pub x_max: f64,
    /// Show censored and events rows under the numbers at risk (KMunicate).
    pub kmunicate: bool,
    /// Width in mm.
    pub width_mm: f64,
    /// Line under the risk table (caveats).
    pub footnote: Option<String>,
}

/// Most ticks an automatic time axis carries.
pub const MAX_TIME_TICKS: usize = 8;

/// Automatic ticks of a time axis ending at `max`: 0, step, 2·step, … up to
/// `max` (never beyond, so the axis has no empty stretch after the last
/// follow-up), with the smallest step of 1, 2 or 5 × 10^k that gives at
/// most [`MAX_TIME_TICKS`] ticks.
pub fn time_ticks(max: f64) -> Vec<f64> {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let mut step = nice_step(max / 20.0);
    while (max / step + 1e-9).floor() as usize + 1 > MAX_TIME_TICKS {
        step = nice_step(step * 1.000_001);
    }
    let n = (max / step + 1e-9).floor() as usize;
    // Rounded to the step's decimals: 7 × 0.1 is 0.7, not 0.7000000000000001.
    let scale = 10f64.powi((-step.log10().floor()).max(0.0) as i32);
    (0..=n)
        .map(|i| (i as f64 * step * scale).round() / scale)
        .collect()
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
    use crate::plot::text::tick_text;

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
            x_max: 100.0,
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

    /// At most eight ticks at 1-2-5 steps, none beyond the last follow-up
    /// (the old rule ran 156 months out to 200).
    #[test]
    fn ticks_stop_at_the_last_follow_up_at_a_1_2_5_step() {
        assert_eq!(
            time_ticks(156.0),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0]
        );
        assert_eq!(time_ticks(60.0), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
        assert_eq!(time_ticks(4500.0).last().copied(), Some(4000.0));
        for max in [0.7, 3.0, 11.0, 35.0, 59.9, 100.0, 121.0, 999.0, 4795.0] {
            let t = time_ticks(max);
            assert!(t.len() >= 3 && t.len() <= MAX_TIME_TICKS, "{max}: {t:?}");
            assert!(*t.last().unwrap() <= max, "{max}: {t:?}");
            let step = t[1];
            let mantissa = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
                "{max}: step {step}"
            );
        }
        assert!(time_ticks(0.0).len() >= 2);
    }
}
