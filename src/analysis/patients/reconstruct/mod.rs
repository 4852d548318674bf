//! `reconstruct`: patient rows rebuilt (Guyot 2012) from every selected
//! digitised curve in the project (`[data] curves` and `at_risk`), one arm
//! per (study, arm), with a QA verdict per arm: the reconstruction's KM
//! against the digitised points, the reconstructed against the printed
//! numbers at risk, and the reconstructed median against the median the
//! paper reports (from the evidence table, when it reports one for that
//! arm). Writes the patients with provenance, the QA table and one overlay
//! figure per arm.

pub mod checks;
pub mod ipd;
mod plan;
pub mod qa;
mod report;

use crate::analysis::{Kind, OutputFile};
use crate::domain::Reads;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::{CurvePoint, Evidence, Origin, Provenance};
use crate::plot::render_km_svg;
use crate::project::AnalysisSpec;
use crate::stats::survival::digitised::clean_curve;
use crate::stats::survival::reconstruct::{reconstruct, Reconstruction};

use crate::analysis::patients::reconstruct::checks::{arm_hazard_ratios, hazard_ratios};
use crate::analysis::patients::reconstruct::ipd::ipd_table;
use crate::analysis::patients::reconstruct::qa::{check_arm, overlay_plot, Tolerances};
use crate::analysis::patients::reconstruct::report::{qa_warnings, report, Checks};
use crate::analysis::patients::{
    increasing_times, no_arms, positive_time, study_source, time_axis, time_unit, TimeOptions,
};
use crate::analysis::plan::Planned;
use crate::analysis::{figure_files, title, AnalysisError, AnalysisOutput, Methods, Ref};
use crate::domain::Unit;
use crate::present::columns;
use crate::present::format::num;

/// Options of `reconstruct`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// Total events per arm when the paper reports them: "study_id/arm" = n.
    #[serde(default)]
    total_events: BTreeMap<String, usize>,
    /// Largest acceptable max |ΔS| between the reconstruction and the points
    /// (default 0.05).
    max_abs_diff: Option<f64>,
    /// Largest acceptable relative error of the reconstructed median against
    /// the reported one (default 0.10).
    median_tolerance: Option<f64>,
    /// The arm each study's hazard ratios are against (default: the study's
    /// first arm in the data).
    reference: Option<String>,
    /// Ticks of the QA figures' time axis, in `time_unit` (default automatic).
    #[serde(default, deserialize_with = "increasing_times")]
    time_breaks: Option<Vec<f64>>,
    /// Where the QA figures' time axis ends, in `time_unit`.
    #[serde(default, deserialize_with = "positive_time")]
    time_max: Option<f64>,
    /// Title of the QA figures' time axis (default "Time (months)").
    time_label: Option<String>,
    /// Unit the QA figures show times in: days, weeks, months (default) or years.
    #[serde(default, deserialize_with = "time_unit")]
    time_unit: Option<Unit>,
}

impl Options {
    /// The QA tolerances, with their defaults (0.05 and 10%).
    fn tolerances(&self) -> Tolerances {
        Tolerances {
            max_abs_diff: self.max_abs_diff.unwrap_or(0.05),
            median: self.median_tolerance.unwrap_or(0.10),
        }
    }

    /// The QA figures' time-axis options.
    fn time(&self) -> TimeOptions {
        TimeOptions {
            time_breaks: self.time_breaks.clone(),
            time_max: self.time_max,
            time_label: self.time_label.clone(),
            time_unit: self.time_unit,
        }
    }
}

/// One arm's reconstruction and its checks.
pub(crate) struct ArmResult {
    /// Study.
    pub study_id: String,
    /// Arm as printed.
    pub arm: String,
    /// Cleaned digitised points.
    pub points: Vec<(f64, f64)>,
    /// The reconstruction.
    pub result: Reconstruction,
    /// Cleaning notes.
    pub cleaning: Vec<String>,
    /// The arm's provenance: the figure its points were digitised from.
    pub provenance: Provenance,
    /// Where the arm's first digitised point was read.
    pub origin: Origin,
}

/// Reconstructs every selected (study, arm) that has points and numbers at
/// risk; the others are named with the reason.
pub(crate) fn reconstruct_selected(
    spec: &AnalysisSpec,
    evidence: &Evidence,
    total_events: &BTreeMap<String, usize>,
) -> (Vec<ArmResult>, Vec<String>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for ((study, arm), (first, points)) in digitised_arms(spec, evidence) {
        let risk = numbers_at_risk(evidence, &study, &arm);
        let events = total_events.get(&format!("{study}/{arm}")).copied();
        match reconstruct_arm(first, &points, &risk, events) {
            Ok(a) => out.push(a),
            Err(why) => skipped.push(format!("{study}/{arm}: {why}")),
        }
    }
    (out, skipped)
}

/// Digitised points by (study, arm), each arm with its first point.
type ArmPoints<'e> = Vec<((String, String), (&'e CurvePoint, Vec<(f64, f64)>))>;

/// The digitised points of the selected studies by (study, arm), in the
/// order the data first name them (so a study's first arm is the one its
/// curves table lists first), each arm with its first point (its
/// provenance).
fn digitised_arms<'e>(spec: &AnalysisSpec, evidence: &'e Evidence) -> ArmPoints<'e> {
    let mut arms = ArmPoints::new();
    let mut at = BTreeMap::<(&str, &str), usize>::new();
    for c in evidence
        .curves
        .iter()
        .filter(|c| spec.select.matches_study(&c.study_id))
    {
        let i = *at.entry((&c.study_id, &c.arm)).or_insert_with(|| {
            arms.push(((c.study_id.clone(), c.arm.clone()), (c, Vec::new())));
            arms.len() - 1
        });
        arms[i].1 .1.push((c.time, c.survival));
    }
    arms
}

/// The printed numbers at risk of an arm, in time order.
fn numbers_at_risk(evidence: &Evidence, study: &str, arm: &str) -> Vec<(f64, usize)> {
    let mut risk: Vec<(f64, usize)> = evidence
        .at_risk
        .iter()
        .filter(|r| r.study_id == study && r.arm == arm)
        .map(|r| (r.time, r.n_risk as usize))
        .collect();
    risk.sort_by(|a, b| a.0.total_cmp(&b.0));
    risk
}

/// Reconstructs the arm of `first` from its points and numbers at risk, or
/// says why it cannot: without a number at risk at time 0 the arm has no N.
fn reconstruct_arm(
    first: &CurvePoint,
    points: &[(f64, f64)],
    risk: &[(f64, usize)],
    total_events: Option<usize>,
) -> Result<ArmResult, String> {
    if risk.first().is_none_or(|r| r.0 > 0.0) {
        return Err(
            "no number at risk at time 0 (the arm's N), so it cannot be reconstructed".into(),
        );
    }
    let (t, s, cleaning) = clean_curve(points);
    let result = reconstruct(&t, &s, risk, total_events).map_err(|e| e.to_string())?;
    Ok(ArmResult {
        study_id: first.study_id.clone(),
        arm: first.arm.clone(),
        points: t.into_iter().zip(s).collect(),
        result,
        cleaning,
        provenance: Provenance {
            source_location: first.source_location.clone(),
            ..Default::default()
        },
        origin: first.origin.clone(),
    })
}

/// Patients reconstructed from digitised curves, with QA.
pub(crate) struct Reconstruct;

impl Kind for Reconstruct {
    type Options = Options;
    const READS: Reads = Reads::FIGURES.and_digitised();

    fn plan(spec: &AnalysisSpec, o: &Options, evidence: &Evidence, data_ok: bool, p: &mut Planned) {
        let refs = (o.reference.as_deref(), &o.time());
        plan::arms(
            spec,
            Self::READS,
            &o.total_events,
            refs,
            evidence,
            (data_ok, p),
        );
    }

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let tol = o.tolerances();
        let (arms, skipped) = reconstruct_selected(spec, evidence, &o.total_events);
        if arms.is_empty() {
            let (m, fix) = no_arms(&skipped);
            return Err(spec.error(m, fix).into());
        }
        let label = |id: &str| study_source(evidence, id).short_label(id);
        let axis = time_axis(&o.time());
        let mut files = vec![OutputFile::csv(
            spec,
            "ipd.csv",
            &ipd_table(&arms, evidence),
        )?];
        let mut qas = Vec::with_capacity(arms.len());
        for (i, a) in arms.iter().enumerate() {
            let qa = check_arm(a, evidence, tol)
                .map_err(|err| spec.error(err, "check the curve".into()))?;
            let plot = overlay_plot(a, &qa, &label(&a.study_id), &axis).map_err(|e| {
                spec.error(format!("options.{e}"), "fix the time-axis options".into())
            })?;
            files.extend(figure_files(
                spec,
                &format!("qa_{}", i + 1),
                render_km_svg(&plot),
            )?);
            qas.push(qa);
        }
        let (hr_checks, unchecked) = hazard_ratios(&arms, evidence, o.reference.as_deref());
        let checks = Checks {
            arm_hrs: arm_hazard_ratios(&arms, o.reference.as_deref()),
            hr_checks,
            unchecked,
        };
        let passed = qas.iter().filter(|q| q.verdict == "pass").count();
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: title(
                spec,
                "Patient data reconstructed from published Kaplan–Meier curves",
            ),
            files,
            summary: format!(
                "{} reconstructed, {passed} pass QA",
                crate::number::count(arms.len(), "arm", "arms")
            ),
            report: report(spec, &arms, &qas, &checks, &skipped, &label),
            studies: columns::study_ids(arms.iter().map(|a| a.study_id.as_str())),
            methods: methods_paragraph(tol, !checks.arm_hrs.is_empty()).warn(qa_warnings(
                &arms,
                &qas,
                &checks.hr_checks,
            )),
        })
    }
}

/// The methods paragraph: the algorithm, the QA rule with its tolerances,
/// and the hazard-ratio cross-check when a study allowed one.
fn methods_paragraph(tol: Tolerances, hr_checked: bool) -> Methods {
    let max_diff = tol.max_abs_diff;
    Methods::new(
        format!(
            "Patient rows were reconstructed from the digitised curves and the printed numbers at risk by the algorithm of Guyot et al. (2012), with events at the digitised times and censorings at the midpoints between them. QA: an arm passes when the Kaplan–Meier curve of its reconstruction is within {max_diff} of every digitised point, its numbers at risk within 10%, its median within {}% of the reported one and every reported landmark survival of that study and arm within {max_diff}; the overlay figures show the digitised points over the reconstructed curve. Where a study has two or more reconstructed arms, the Cox (Efron ties) hazard ratio of each arm against the reference arm (options.reference, else the study's first arm in the data) is reported; where the study reports a hazard ratio with a confidence interval for two of its arms, named in its group (or the only two), the reconstructed hazard ratio is checked to lie inside that interval. {}",
            num(100.0 * tol.median, 0),
            crate::present::methods::software("simulated patient data with known curves (tests/reconstruction_accuracy.rs)")
        ),
        if hr_checked {
            &[Ref::Guyot2012, Ref::KaplanMeier1958, Ref::Cox1972][..]
        } else {
            &[Ref::Guyot2012, Ref::KaplanMeier1958][..]
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::patients::fixtures::digitised_arm;

    fn evidence(risk_from: f64) -> Evidence {
        digitised_arm(risk_from)
    }

    fn spec() -> AnalysisSpec {
        AnalysisSpec::example("rec", "reconstruct", "{}")
    }

    #[test]
    fn an_arm_without_a_number_at_risk_at_time_0_is_skipped_with_its_message() {
        let (arms, skipped) = reconstruct_selected(&spec(), &evidence(12.0), &BTreeMap::new());
        assert!(arms.is_empty());
        assert_eq!(
            skipped,
            ["smith2020/Surgery: no number at risk at time 0 (the arm's N), so it cannot be reconstructed"]
        );
    }

    #[test]
    fn an_arm_keeps_the_figure_and_first_point_it_was_digitised_from() {
        let (arms, skipped) = reconstruct_selected(&spec(), &evidence(0.0), &BTreeMap::new());
        assert!(skipped.is_empty(), "{skipped:?}");
        let [a] = arms.as_slice() else {
            panic!("one arm")
        };
        assert_eq!(a.result.patients.len(), 10);
        assert_eq!(a.provenance.source_location.as_deref(), Some("Figure 2"));
        assert_eq!(
            (a.origin.file.as_str(), a.origin.line),
            ("data/curves.csv", 2)
        );
    }

    #[test]
    fn ipd_rows_carry_the_provenance_columns_of_every_export() {
        let e = evidence(0.0);
        let (arms, _) = reconstruct_selected(&spec(), &e, &BTreeMap::new());
        let csv = String::from_utf8(crate::export::to_csv(&ipd_table(&arms, &e)).unwrap()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "study_id,study_label,citation,year,doi,pmid,arm,time_months,event,source,method,\
             source_location,source_url,quote,confidence,notes,data_file,data_line"
        );
        assert!(lines
            .next()
            .unwrap()
            .ends_with(",Figure 2,,,,,data/curves.csv,2"));
    }

    #[test]
    fn qa_tolerances_default_to_0_05_and_ten_percent() {
        let o: Options = toml::from_str("").unwrap();
        assert_eq!(
            o.tolerances(),
            Tolerances {
                max_abs_diff: 0.05,
                median: 0.10
            }
        );
        let o: Options = toml::from_str("max_abs_diff = 0.1\nmedian_tolerance = 0.2").unwrap();
        assert_eq!(o.tolerances().median, 0.2);
    }
}
