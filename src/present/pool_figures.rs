//! The `pool` kind's figures, from fitted models: the forest plot (with
//! subgroups when asked), the cumulative and leave-one-out forest plots,
//! the contour-enhanced funnel plot and, with a moderator, the bubble plot
//! of the meta-regression. Each is written as SVG, PNG and PDF.

use crate::plot::{
    render_bubble_svg, render_forest_svg, render_funnel_svg, BubblePlot, BubblePoint, FunnelPlot,
    FunnelPoint, Scale, SINGLE_COLUMN_MM,
};
use crate::stats::pool::predict::Prediction;
use crate::stats::pool::sensitivity::Refit;
use crate::stats::pool::subgroups::Subgroups;
use crate::stats::pool::RmaFit;

use super::forest::{
    pooled_forest, refit_forest, ForestAxis, ForestFit, ForestLook, ForestStudy, Refits, Variant,
};
use super::format::num;
use crate::workflow::pool::design::{Design, RegressionFit};
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::from_evidence::Entered;

/// A meta-regression on one moderator, and its fitted line.
pub struct Regression<'a> {
    /// The moderator's name ("sample size").
    pub label: String,
    /// Its value per study (in the order of the studies).
    pub x: Vec<f64>,
    /// The mixed-effects model.
    pub fit: &'a RmaFit,
    /// Predictions along the moderator's range: (x, prediction).
    pub line: Vec<(f64, Prediction)>,
}

/// What the figures show.
pub struct PoolFigures<'a> {
    /// Title of the analysis.
    pub title: &'a str,
    /// Studies in model order.
    pub studies: &'a [ForestStudy],
    /// The model without moderators.
    pub fit: &'a RmaFit,
    /// Q-profile CI of tau².
    pub tau2_ci: Option<(f64, f64)>,
    /// Subgroup fits.
    pub subgroups: Option<&'a Subgroups>,
    /// Leave-one-out refits (refit i leaves out study i).
    pub loo: Option<&'a [Refit]>,
    /// Cumulative refits, the label of each added study, and the order's name.
    pub cumulative: Option<(&'a [Refit], Vec<String>, String)>,
    /// Meta-regression on one moderator.
    pub regression: Option<Regression<'a>>,
    /// Analysis scale → display scale.
    pub display: &'a dyn Fn(f64) -> f64,
    /// The measure's axis.
    pub axis: ForestAxis,
    /// Layout options.
    pub look: ForestLook,
    /// Centre of the funnel's significance contours (analysis scale), when
    /// the measure has a null.
    pub funnel_null: Option<f64>,
    /// Axis label of the analysis scale ("log hazard ratio").
    pub analysis_scale: String,
    /// Line under the funnel plot.
    pub funnel_note: String,
}

/// One figure, drawn as SVG.
pub struct Drawn {
    /// File stem ("forest").
    pub stem: String,
    /// Caption for the report.
    pub caption: String,
    /// The SVG.
    pub svg: Result<String, crate::plot::PlotError>,
}

/// The figure's view of a fitted meta-regression on the design's moderator.
pub(crate) fn regression_view<'a>(r: &'a RegressionFit, d: &Design) -> Regression<'a> {
    let (label, x) = d
        .moderator()
        .map(|(m, x)| {
            (
                super::pool_models::moderator_label(m).to_string(),
                x.to_vec(),
            )
        })
        .unwrap_or_default();
    Regression {
        label,
        x,
        fit: &r.fit,
        line: r.line.clone(),
    }
}

/// The forest axis of a measure, labelled `x_label`: ratios on a log scale
/// around 1, differences (and generic effects) around 0, proportions (in
/// percent) bounded to 0–100 and medians to ≥ 0.
pub fn forest_axis(measure: Measure, x_label: String) -> ForestAxis {
    ForestAxis {
        scale: if matches!(measure, Measure::HR | Measure::ROM) {
            Scale::Log
        } else {
            Scale::Linear
        },
        null: match measure {
            Measure::HR | Measure::ROM => Some(1.0),
            Measure::DOM | Measure::GEN => Some(0.0),
            _ => None,
        },
        x_label,
        name: super::pool_models::estimate_name(measure),
        domain: match measure {
            Measure::Proportion(_) => Some((0.0, 100.0)),
            Measure::MED => Some((0.0, f64::INFINITY)),
            _ => None,
        },
        percent: matches!(measure, Measure::Proportion(_)),
        events_header: "Events".into(),
    }
}

/// The line under the funnel plot: below `min_k` studies, that asymmetry
/// cannot be judged; otherwise `otherwise` (where the tests are).
pub fn funnel_note(k: usize, min_k: usize, otherwise: &str) -> String {
    if k < min_k {
        format!("With k = {k}, asymmetry cannot be judged (tests need k ≥ {min_k}; Sterne et al. 2011).")
    } else {
        otherwise.to_string()
    }
}

/// Every figure of a pooled analysis, drawn.
pub fn draw(f: &PoolFigures<'_>) -> Vec<Drawn> {
    let mut out: Vec<Drawn> = Vec::new();
    let fit_view = ForestFit {
        fit: f.fit,
        tau2_ci: f.tau2_ci,
        subgroups: f.subgroups,
        display: f.display,
    };
    let forest = pooled_forest(
        f.title,
        Some(if f.subgroups.is_some() {
            "Studies by subgroup; squares sized by weight in the overall model.".to_string()
        } else {
            "Squares sized by weight in the model.".to_string()
        }),
        f.studies,
        &fit_view,
        &f.axis,
        &f.look,
    );
    push(
        &mut out,
        "forest",
        "Forest plot",
        render_forest_svg(&forest),
    );
    if let Some((refits, names, order)) = &f.cumulative {
        let p = refit_forest(
            &format!("Cumulative meta-analysis: {}", f.title),
            Some(format!("Studies added one at a time, {order}.")),
            &Refits {
                variant: Variant::Cumulative,
                refits,
                names,
                full: f.fit,
                display: f.display,
            },
            &f.axis,
            &f.look,
        );
        push(
            &mut out,
            "cumulative",
            &format!("Cumulative meta-analysis ({order})"),
            render_forest_svg(&p),
        );
    }
    if let Some(refits) = f.loo {
        // Refit i leaves out study i.
        let names: Vec<String> = f.studies.iter().map(|s| s.label.clone()).collect();
        let p = refit_forest(
            &format!("Leave-one-out: {}", f.title),
            Some("The model refitted without each study in turn.".into()),
            &Refits {
                variant: Variant::LeaveOneOut,
                refits,
                names: &names,
                full: f.fit,
                display: f.display,
            },
            &f.axis,
            &f.look,
        );
        push(
            &mut out,
            "leave_one_out",
            "Leave-one-out forest plot",
            render_forest_svg(&p),
        );
    }
    if f.fit.k >= 3 {
        let funnel = funnel_plot(f);
        push(
            &mut out,
            "funnel",
            if f.funnel_null.is_some() {
                "Contour-enhanced funnel plot"
            } else {
                "Funnel plot"
            },
            render_funnel_svg(&funnel),
        );
    }
    if let Some(r) = &f.regression {
        push(
            &mut out,
            "bubble",
            &format!("Meta-regression on {}", r.label),
            render_bubble_svg(&bubble_plot(f, r)),
        );
    }
    out
}

fn funnel_plot(f: &PoolFigures<'_>) -> FunnelPlot {
    let contours = match f.funnel_null {
        Some(_) => vec![
            (
                crate::stats::dist::qnorm(0.95),
                "0.05 ≤ p < 0.10".to_string(),
            ),
            (
                crate::stats::dist::qnorm(0.975),
                "0.01 ≤ p < 0.05".to_string(),
            ),
            (crate::stats::dist::qnorm(0.995), "p < 0.01".to_string()),
        ],
        None => Vec::new(),
    };
    FunnelPlot {
        title: format!(
            "{}: {}",
            if f.funnel_null.is_some() {
                "Contour-enhanced funnel plot"
            } else {
                "Funnel plot"
            },
            f.title
        ),
        subtitle: Some(match f.funnel_null {
            Some(n) => format!(
                "Shading: two-sided significance of each study against the null ({} on the analysis scale).",
                num(n, 3)
            ),
            None => "No null value for this measure, so no significance contours; the lines are the pooled estimate's pseudo 95% CI.".into(),
        }),
        x_label: f.analysis_scale.clone(),
        points: f
            .studies
            .iter()
            .map(|s| FunnelPoint {
                yi: s.yi,
                sei: s.vi.sqrt(),
            })
            .collect(),
        center: f.fit.beta[0],
        null: f.funnel_null.unwrap_or(f.fit.beta[0]),
        inner_label: if f.funnel_null.is_some() {
            "p ≥ 0.10".into()
        } else {
            "inside the pseudo 95% CI".into()
        },
        contours,
        pseudo_ci_z: crate::stats::dist::qnorm(0.975),
        xticks: None,
        width_mm: SINGLE_COLUMN_MM,
        footnotes: vec![f.funnel_note.clone()],
    }
}

fn bubble_plot(f: &PoolFigures<'_>, r: &Regression<'_>) -> BubblePlot {
    // Ratios stay on their log scale (the bubble plot's axis is linear).
    let log = f.axis.scale == Scale::Log;
    let identity = |y: f64| y;
    let d: &dyn Fn(f64) -> f64 = if log { &identity } else { f.display };
    BubblePlot {
        title: format!("Meta-regression on {}: {}", r.label, f.title),
        subtitle: Some(format!(
            "Mixed-effects model ({}); bubble area ∝ weight; band: {}% CI of the fitted line.",
            r.fit.params.method,
            num(r.fit.params.level * 100.0, 1)
        )),
        x_label: super::format::capitalise(&r.label),
        y_label: if log {
            f.analysis_scale.clone()
        } else {
            f.axis.x_label.clone()
        },
        points: r
            .x
            .iter()
            .zip(f.studies)
            .zip(&r.fit.weights)
            .map(|((x, s), w)| BubblePoint {
                x: *x,
                y: d(s.yi),
                weight: *w,
            })
            .collect(),
        line: r
            .line
            .iter()
            .map(|(x, p)| {
                let (a, b) = (d(p.ci_lb), d(p.ci_ub));
                (*x, d(p.pred), a.min(b), a.max(b))
            })
            .collect(),
        reference: if log { Some(0.0) } else { f.axis.null },
        domain: if log { None } else { f.axis.domain },
        width_mm: SINGLE_COLUMN_MM,
        footnotes: vec![format!(
            "Test of the moderator: {}, k = {}.",
            super::pool_models::moderator_test_text(r.fit),
            r.fit.k
        )],
    }
}

fn push(
    out: &mut Vec<Drawn>,
    stem: &str,
    caption: &str,
    svg: Result<String, crate::plot::PlotError>,
) {
    out.push(Drawn {
        stem: stem.into(),
        caption: caption.into(),
        svg,
    });
}

/// "Local control at 12 months (%)", "Hazard ratio (log scale)", "Median overall survival (months)".
pub(crate) fn axis_label(entered: &[Entered<'_>], measure: Measure, unit: &str) -> String {
    if measure == Measure::HR {
        return "Hazard ratio (log scale)".into();
    }
    let outcomes: std::collections::BTreeSet<_> =
        entered.iter().map(|e| e.figure.outcome).collect();
    let times: std::collections::BTreeSet<String> = entered
        .iter()
        .filter_map(|e| e.figure.time_point.map(|t| num(t, 2)))
        .collect();
    let outcome = if outcomes.len() == 1 {
        entered[0].figure.outcome.to_string().replace('_', " ")
    } else {
        "estimate".into()
    };
    let at = if times.len() == 1 {
        format!(
            " at {} months",
            times.iter().next().map_or("", String::as_str)
        )
    } else {
        String::new()
    };
    let prefix = if measure == Measure::MED {
        "median "
    } else {
        ""
    };
    super::format::capitalise(&format!("{prefix}{outcome}{at} ({unit})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::effect::proportion::Scale as PScale;

    #[test]
    fn ratios_are_drawn_on_a_log_axis_around_one() {
        let a = forest_axis(Measure::HR, "Hazard ratio (log scale)".into());
        assert_eq!((a.scale, a.null, a.domain), (Scale::Log, Some(1.0), None));
        assert_eq!(a.name, "Hazard ratio");
    }

    #[test]
    fn proportions_and_medians_are_bounded_and_have_no_null() {
        let p = forest_axis(Measure::Proportion(PScale::PLO), String::new());
        assert_eq!(
            (p.scale, p.null, p.domain),
            (Scale::Linear, None, Some((0.0, 100.0)))
        );
        let m = forest_axis(Measure::MED, String::new());
        assert_eq!((m.null, m.domain), (None, Some((0.0, f64::INFINITY))));
    }

    #[test]
    fn below_the_minimum_k_the_funnel_says_asymmetry_cannot_be_judged() {
        assert_eq!(
            funnel_note(5, 10, "tests below"),
            "With k = 5, asymmetry cannot be judged (tests need k ≥ 10; Sterne et al. 2011)."
        );
        assert_eq!(funnel_note(10, 10, "tests below"), "tests below");
    }
}
