//! The QA of one reconstructed arm: the Kaplan–Meier curve of its patients
//! against the digitised points, the printed numbers at risk, and the median
//! and landmark survival the paper reports for that arm; its row of the QA
//! table and its overlay figure.

use crate::domain::{Evidence, Statistic};
use crate::plot::KmPlot;
use crate::stats::survival::km::{kaplan_meier, ConfType, KmFit};
use crate::stats::survival::reconstruct::Qa;

use crate::analysis::patients::reconstruct::ArmResult;
use crate::present::format::num;
use crate::present::km::{plot_curve, shown, TimeAxis};
use crate::workflow::survival::summarise;

/// How far a reconstruction may be from what was published and still pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tolerances {
    /// Largest |ΔS| against the digitised points and the reported landmarks.
    pub max_abs_diff: f64,
    /// Largest relative error of the median against the reported one.
    pub median: f64,
}

/// Largest relative error of the reconstructed numbers at risk against the
/// printed ones.
const MAX_AT_RISK_REL_DIFF: f64 = 0.10;

/// One arm's QA.
pub(crate) struct ArmQa {
    /// Kaplan–Meier fit of the reconstructed patients (log CI, 95%).
    pub fit: KmFit,
    /// Its median (`None`: not reached).
    pub median: Option<f64>,
    /// The median the paper reports for the arm (or its whole population).
    pub reported: Option<f64>,
    /// "S(t) reconstructed vs reported" for each landmark the paper reports.
    pub landmarks: Vec<String>,
    /// "pass", or "warn: " and what disagrees.
    pub verdict: String,
}

/// Checks one arm against its points, numbers at risk and reported figures;
/// the error is the Kaplan–Meier fit's.
pub(crate) fn check_arm(
    a: &ArmResult,
    evidence: &Evidence,
    tol: Tolerances,
) -> Result<ArmQa, String> {
    let (t, e): (Vec<f64>, Vec<bool>) = a.result.patients.iter().map(|p| (p.time, p.event)).unzip();
    let fit = kaplan_meier(&t, &e, ConfType::Log, 0.95).map_err(|err| err.to_string())?;
    let median = fit.quantile(0.5).estimate;
    let reported = reported_median(evidence, a);
    let mut problems = fit_problems(&a.result.qa, tol.max_abs_diff);
    problems.extend(median_problem(median, reported, tol.median));
    let mut landmarks = Vec::new();
    for (time, value) in reported_landmarks(evidence, a) {
        let rec = fit.surv_at(time).surv;
        landmarks.push(format!(
            "S({}) {} vs {}",
            num(time, 1),
            num(rec, 2),
            num(value, 2)
        ));
        if (rec - value).abs() > tol.max_abs_diff {
            problems.push(format!(
                "S({}) {} vs {} reported",
                num(time, 1),
                num(rec, 2),
                num(value, 2)
            ));
        }
    }
    Ok(ArmQa {
        fit,
        median,
        reported,
        landmarks,
        verdict: verdict(&problems),
    })
}

/// The first median the paper reports for the arm, or for its whole
/// population ("all").
fn reported_median(evidence: &Evidence, a: &ArmResult) -> Option<f64> {
    evidence
        .figures
        .iter()
        .find(|f| {
            f.study_id == a.study_id
                && f.statistic == Statistic::Median
                && (f.group == a.arm || f.group == "all")
                && f.value.is_some()
        })
        .and_then(|f| f.value)
}

/// (time, survival) of every landmark survival the paper reports for the
/// arm, or for its whole population.
fn reported_landmarks(evidence: &Evidence, a: &ArmResult) -> Vec<(f64, f64)> {
    evidence
        .figures
        .iter()
        .filter(|f| {
            f.study_id == a.study_id
                && f.statistic == Statistic::ProportionAtT
                && (f.group == a.arm || f.group == "all")
        })
        .filter_map(|f| Some((f.time_point?, f.value?)))
        .collect()
}

/// The reconstruction's own disagreements: with the digitised points
/// (beyond `max_abs_diff`) and with the printed numbers at risk (beyond 10%).
fn fit_problems(qa: &Qa, max_abs_diff: f64) -> Vec<String> {
    let mut problems = Vec::new();
    if qa.max_abs_diff > max_abs_diff {
        problems.push(format!(
            "max |ΔS| {} > {max_abs_diff}",
            num(qa.max_abs_diff, 3)
        ));
    }
    let at_risk_off = qa.max_at_risk_rel_diff();
    if at_risk_off > MAX_AT_RISK_REL_DIFF {
        problems.push(format!(
            "numbers at risk off by up to {}%",
            num(100.0 * at_risk_off, 0)
        ));
    }
    problems
}

/// The median's disagreement with the reported one, when both exist and
/// differ by more than `tolerance` of the reported one.
fn median_problem(median: Option<f64>, reported: Option<f64>, tolerance: f64) -> Option<String> {
    let (m, rep) = (median?, reported?);
    ((m - rep).abs() > tolerance * rep)
        .then(|| format!("median {} vs {} reported", num(m, 1), num(rep, 1)))
}

/// "pass" when nothing disagrees, else "warn: " and the disagreements.
fn verdict(problems: &[String]) -> String {
    if problems.is_empty() {
        "pass".to_string()
    } else {
        format!("warn: {}", problems.join("; "))
    }
}

/// Columns of the QA table, one row per arm ([`qa_row`]).
pub(crate) const QA_HEADER: [&str; 11] = [
    "Study",
    "Arm",
    "Input",
    "n",
    "events",
    "max |ΔS|",
    "RMS",
    "median (rec.)",
    "median (reported)",
    "S(t) rec. vs reported",
    "QA",
];

/// An arm's row of the QA table; `study` is its study's label.
pub(crate) fn qa_row(a: &ArmResult, qa: &ArmQa, study: String) -> Vec<String> {
    let r = &a.result;
    vec![
        study,
        a.arm.clone(),
        r.tier.to_string(),
        r.patients.len().to_string(),
        r.events().to_string(),
        num(r.qa.max_abs_diff, 3),
        num(r.qa.rms_diff, 3),
        qa.median
            .map_or_else(|| "not reached".into(), |m| num(m, 1)),
        qa.reported.map_or_else(|| "—".into(), |m| num(m, 1)),
        if qa.landmarks.is_empty() {
            "—".into()
        } else {
            qa.landmarks.join("; ")
        },
        qa.verdict.clone(),
    ]
}

/// The overlay figure: the reconstruction's KM with the digitised points on
/// it; `study` is its study's label.
pub(crate) fn overlay_plot(
    a: &ArmResult,
    qa: &ArmQa,
    study: &str,
    axis: &TimeAxis,
) -> Result<KmPlot, String> {
    let r = &a.result;
    let curves = summarise(vec![(a.arm.clone(), qa.fit.clone())], &[], None);
    let last_point = a.points.iter().map(|p| p.0).fold(0.0, f64::max);
    let last = curves[0]
        .fit
        .steps
        .last()
        .map_or(0.0, |s| s.time)
        .max(last_point);
    let (ticks, end) = axis.ticks_and_end(last)?;
    let data_ticks: Vec<f64> = ticks.iter().map(|t| t / axis.scale).collect();
    let mut curve = plot_curve(&curves[0], &data_ticks);
    curve.points = a.points.clone();
    curve.band = None;
    Ok(KmPlot {
        title: format!("{study} — {}: reconstruction check", a.arm),
        subtitle: Some(format!(
            "Line: KM of the {} reconstructed patients; circles: digitised points ({})",
            r.patients.len(),
            r.tier
        )),
        x_label: axis.label.clone().unwrap_or_else(|| axis.default_label()),
        curves: vec![shown(curve, axis.scale, end)],
        x_max: end,
        ticks,
        kmunicate: false,
        width_mm: crate::plot::SINGLE_COLUMN_MM,
        footnote: Some(format!(
            "max |ΔS| = {}, RMS = {}",
            num(r.qa.max_abs_diff, 3),
            num(r.qa.rms_diff, 3)
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qa(max_abs_diff: f64, at_risk: Vec<(f64, usize, usize)>) -> Qa {
        Qa {
            max_abs_diff,
            rms_diff: 0.0,
            at_risk,
        }
    }

    #[test]
    fn a_close_reconstruction_passes() {
        let problems = fit_problems(&qa(0.02, vec![(12.0, 50, 52)]), 0.05);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(verdict(&problems), "pass");
    }

    #[test]
    fn points_and_numbers_at_risk_too_far_off_warn_in_that_order() {
        let problems = fit_problems(&qa(0.0712, vec![(12.0, 50, 40)]), 0.05);
        assert_eq!(
            verdict(&problems),
            "warn: max |ΔS| 0.071 > 0.05; numbers at risk off by up to 20%"
        );
    }

    #[test]
    fn the_median_is_checked_only_against_a_reported_one() {
        assert_eq!(median_problem(Some(13.9), None, 0.1), None);
        assert_eq!(median_problem(None, Some(13.9), 0.1), None, "not reached");
        assert_eq!(
            median_problem(Some(14.5), Some(13.9), 0.1),
            None,
            "within 10%"
        );
        assert_eq!(
            median_problem(Some(13.9), Some(30.0), 0.1).as_deref(),
            Some("median 13.9 vs 30 reported")
        );
    }
}
