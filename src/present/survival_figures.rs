//! The figures of `survlit km`, `cox` and `reconstruct --plot`, from their
//! fits: the Kaplan–Meier curves with the numbers at risk, the Cox hazard
//! ratios with their CIs on a log axis, and the reconstructed arms' curves
//! over their digitised points.

use crate::plot::{
    Align, ForestColumn, ForestMark, ForestPlot, ForestRow, IntervalKind, KmPlot, Preset, RowKind,
    Scale, DOUBLE_COLUMN_MM,
};
use crate::present::format::num;
use crate::present::km::{km_figure, TimeAxis};
use crate::stats::survival::km::ConfType;
use crate::workflow::survival::{CoxSummary, CurveSummary};

/// `survlit km --plot`: every curve with its CI band, censor marks, median
/// and the numbers at risk, censored and with events at the axis' ticks.
pub fn km_command_figure(
    title: &str,
    curves: &[CurveSummary],
    axis: &TimeAxis,
    conf: ConfType,
    level: f64,
) -> Result<KmPlot, String> {
    let n: usize = curves.iter().map(|c| c.fit.n).sum();
    let base = KmPlot {
        title: title.to_string(),
        subtitle: Some(format!(
            "Kaplan–Meier estimate with {}% CI ({conf}); ticks mark censored patients; dashed: median where reached",
            num(100.0 * level, 1)
        )),
        x_label: String::new(),
        curves: Vec::new(),
        ticks: Vec::new(),
        x_max: 0.0,
        kmunicate: true,
        width_mm: DOUBLE_COLUMN_MM,
        footnote: Some(format!("n = {n}.")),
    };
    km_figure(curves, axis, base)
}

/// `survlit reconstruct --plot`: the Kaplan–Meier curve of each arm's
/// reconstructed patients over its digitised points (one list per curve).
pub fn reconstruct_figure(
    title: &str,
    curves: &[CurveSummary],
    points: &[Vec<(f64, f64)>],
    axis: &TimeAxis,
) -> Result<KmPlot, String> {
    let base = KmPlot {
        title: title.to_string(),
        subtitle: Some(
            "Lines: Kaplan–Meier curves of the reconstructed patients (Guyot 2012); circles: digitised points".into(),
        ),
        x_label: String::new(),
        curves: Vec::new(),
        ticks: Vec::new(),
        x_max: 0.0,
        kmunicate: false,
        width_mm: DOUBLE_COLUMN_MM,
        footnote: None,
    };
    let mut plot = km_figure(curves, axis, base)?;
    for (c, p) in plot.curves.iter_mut().zip(points) {
        c.band = None;
        c.points = p
            .iter()
            .map(|&(t, s)| (t * axis.scale, s))
            .filter(|(t, _)| *t <= plot.x_max)
            .collect();
    }
    Ok(plot)
}

/// `survlit cox --plot`: each coefficient's hazard ratio with its CI on a
/// log axis and a line at 1; a factor's level is named against its
/// reference level ("sex: f vs m").
pub fn cox_figure(title: &str, c: &CoxSummary) -> ForestPlot {
    let level = num(100.0 * c.level, 1);
    let label = |term: &str| {
        c.references
            .iter()
            .find_map(|r| {
                term.strip_prefix(r.covariate.as_str())
                    .filter(|l| !l.is_empty())
                    .map(|l| format!("{}: {l} vs {}", r.covariate, r.level))
            })
            .unwrap_or_else(|| term.to_string())
    };
    let rows = c
        .terms
        .iter()
        .map(|t| ForestRow {
            kind: RowKind::Data,
            cells: vec![
                label(&t.term),
                format!(
                    "{} ({}–{})",
                    num(t.hr, 2),
                    num(t.hr_ci_lb, 2),
                    num(t.hr_ci_ub, 2)
                ),
            ],
            mark: ForestMark::Interval {
                estimate: Some(t.hr),
                lower: Some(t.hr_ci_lb),
                upper: Some(t.hr_ci_ub),
                kind: IntervalKind::Ci,
            },
            bold: false,
        })
        .collect();
    ForestPlot {
        title: title.to_string(),
        subtitle: Some(format!(
            "Cox proportional hazards ({} ties); n = {}, events = {}",
            c.fit.ties, c.fit.n, c.fit.events
        )),
        preset: Preset::Cochrane,
        width_mm: None,
        left: vec![ForestColumn {
            header: "Term".into(),
            align: Align::Left,
        }],
        right: vec![ForestColumn {
            header: format!("HR ({level}% CI)"),
            align: Align::Right,
        }],
        plot_header: String::new(),
        rows,
        scale: Scale::Log,
        reference: Some(1.0),
        overall_line: None,
        xlim: None,
        domain: None,
        x_label: "Hazard ratio (log scale)".into(),
        favours: None,
        footnotes: Vec::new(),
        zero_based: false,
        legend: Some("hazard ratio".into()),
    }
}
