//! `reconstruct`: patient rows rebuilt (Guyot 2012) from every selected
//! digitised curve in the project (`[data] curves` and `at_risk`), one arm
//! per (study, arm), with a QA verdict per arm: the reconstruction's KM
//! against the digitised points, the reconstructed against the printed
//! numbers at risk, and the reconstructed median against the median the
//! paper reports (from the evidence table, when it reports one for that
//! arm). Writes the patients with provenance, the QA table and one overlay
//! figure per arm.

pub mod checks;

use crate::analysis::Kind;
use crate::domain::Reads;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::{Evidence, Statistic, StudySource};
use crate::export::{escape_markdown, markdown_table, to_csv, Table};
use crate::plot::{render_km_svg, time_ticks, KmPlot};
use crate::project::AnalysisSpec;
use crate::stats::survival::digitised::clean_curve;
use crate::stats::survival::km::{kaplan_meier, ConfType};
use crate::stats::survival::reconstruct::{reconstruct, Reconstruction};

use crate::analysis::{export_err, figure_files, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns;
use crate::present::format::num;
use crate::present::km::plot_curve;
use crate::workflow::survival::summarise;

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
}

/// Reconstructs every selected (study, arm) that has points and numbers at risk.
pub(crate) fn reconstruct_selected(
    spec: &AnalysisSpec,
    evidence: &Evidence,
    total_events: &BTreeMap<String, usize>,
) -> (Vec<ArmResult>, Vec<String>) {
    let mut arms: BTreeMap<(String, String), Vec<(f64, f64)>> = BTreeMap::new();
    for c in evidence
        .curves
        .iter()
        .filter(|c| spec.select.matches_study(&c.study_id))
    {
        arms.entry((c.study_id.clone(), c.arm.clone()))
            .or_default()
            .push((c.time, c.survival));
    }
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for ((study, arm), pts) in arms {
        let mut risk: Vec<(f64, usize)> = evidence
            .at_risk
            .iter()
            .filter(|r| r.study_id == study && r.arm == arm)
            .map(|r| (r.time, r.n_risk as usize))
            .collect();
        risk.sort_by(|a, b| a.0.total_cmp(&b.0));
        if risk.first().map_or(true, |r| r.0 > 0.0) {
            skipped.push(format!("{study}/{arm}: no number at risk at time 0 (the arm's N), so it cannot be reconstructed"));
            continue;
        }
        let (t, s, cleaning) = clean_curve(&pts);
        match reconstruct(
            &t,
            &s,
            &risk,
            total_events.get(&format!("{study}/{arm}")).copied(),
        ) {
            Ok(result) => out.push(ArmResult {
                study_id: study,
                arm,
                points: t.into_iter().zip(s).collect(),
                result,
                cleaning,
            }),
            Err(e) => skipped.push(format!("{study}/{arm}: {e}")),
        }
    }
    (out, skipped)
}

/// Patients reconstructed from digitised curves, with QA.
pub(crate) struct Reconstruct;

impl Kind for Reconstruct {
    type Options = Options;
    const READS: Reads = Reads::FIGURES.and_digitised();

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let max_diff = o.max_abs_diff.unwrap_or(0.05);
        let median_tol = o.median_tolerance.unwrap_or(0.10);
        let (arms, skipped) = reconstruct_selected(spec, evidence, &o.total_events);
        if arms.is_empty() {
            return Err(spec
                .error(
                    "no digitised curve with numbers at risk is selected".into(),
                    "add curves and at_risk tables under [data], or widen select.study".into(),
                )
                .into());
        }
        let empty = StudySource::default();
        let source = |id: &str| evidence.studies.get(id).unwrap_or(&empty);
        let heading = title(
            spec,
            "Patient data reconstructed from published Kaplan–Meier curves",
        );
        let mut files = Vec::new();
        let mut qa_rows = Vec::new();
        let mut verdicts = Vec::new();
        for (i, a) in arms.iter().enumerate() {
            let r = &a.result;
            let (t, e): (Vec<f64>, Vec<bool>) =
                r.patients.iter().map(|p| (p.time, p.event)).unzip();
            let fit = kaplan_meier(&t, &e, ConfType::Log, 0.95)
                .map_err(|err| spec.error(err.to_string(), "check the curve".into()))?;
            let median = fit.quantile(0.5).estimate;
            let reported = evidence
                .figures
                .iter()
                .find(|f| {
                    f.study_id == a.study_id
                        && f.statistic == Statistic::Median
                        && (f.group == a.arm || f.group == "all")
                        && f.value.is_some()
                })
                .and_then(|f| f.value);
            let at_risk_off = r.qa.max_at_risk_rel_diff();
            let mut problems = Vec::new();
            if r.qa.max_abs_diff > max_diff {
                problems.push(format!(
                    "max |ΔS| {} > {max_diff}",
                    num(r.qa.max_abs_diff, 3)
                ));
            }
            if at_risk_off > 0.10 {
                problems.push(format!(
                    "numbers at risk off by up to {}%",
                    num(100.0 * at_risk_off, 0)
                ));
            }
            if let (Some(rep), Some(m)) = (reported, median) {
                if (m - rep).abs() > median_tol * rep {
                    problems.push(format!("median {} vs {} reported", num(m, 1), num(rep, 1)));
                }
            }
            // Landmark survival the paper reports for this arm (S at a time point).
            let mut landmarks = Vec::new();
            for f in evidence.figures.iter().filter(|f| {
                f.study_id == a.study_id
                    && f.statistic == Statistic::ProportionAtT
                    && (f.group == a.arm || f.group == "all")
            }) {
                if let (Some(t), Some(v)) = (f.time_point, f.value) {
                    let rec = fit.surv_at(t).surv;
                    landmarks.push(format!("S({}) {} vs {}", num(t, 1), num(rec, 2), num(v, 2)));
                    if (rec - v).abs() > max_diff {
                        problems.push(format!(
                            "S({}) {} vs {} reported",
                            num(t, 1),
                            num(rec, 2),
                            num(v, 2)
                        ));
                    }
                }
            }
            let verdict = if problems.is_empty() {
                "pass".to_string()
            } else {
                format!("warn: {}", problems.join("; "))
            };
            verdicts.push(verdict.clone());
            qa_rows.push(vec![
                source(&a.study_id).short_label(&a.study_id),
                a.arm.clone(),
                r.tier.to_string(),
                r.patients.len().to_string(),
                r.events().to_string(),
                num(r.qa.max_abs_diff, 3),
                num(r.qa.rms_diff, 3),
                median.map_or_else(|| "not reached".into(), |m| num(m, 1)),
                reported.map_or_else(|| "—".into(), |m| num(m, 1)),
                if landmarks.is_empty() {
                    "—".into()
                } else {
                    landmarks.join("; ")
                },
                verdict,
            ]);
            // Overlay: the reconstruction's KM with the digitised points on it.
            let curves = summarise(vec![(a.arm.clone(), fit)], &[], None);
            let tmax = a.points.iter().map(|p| p.0).fold(0.0, f64::max);
            let ticks = time_ticks(tmax);
            let mut curve = plot_curve(&curves[0], &ticks);
            curve.points = a.points.clone();
            curve.band = None;
            let plot = KmPlot {
                title: format!(
                    "{} — {}: reconstruction check",
                    source(&a.study_id).short_label(&a.study_id),
                    a.arm
                ),
                subtitle: Some(format!(
                    "Line: KM of the {} reconstructed patients; circles: digitised points ({})",
                    r.patients.len(),
                    r.tier
                )),
                x_label: "Months".into(),
                curves: vec![curve],
                ticks,
                kmunicate: false,
                width_mm: crate::plot::SINGLE_COLUMN_MM,
                footnote: Some(format!(
                    "max |ΔS| = {}, RMS = {}",
                    num(r.qa.max_abs_diff, 3),
                    num(r.qa.rms_diff, 3)
                )),
            };
            files.extend(figure_files(
                spec,
                &format!("qa_{}", i + 1),
                render_km_svg(&plot),
            )?);
        }
        // Cross-check: a reported HR of a study with two reconstructed arms.
        let hr_checks =
            crate::analysis::patients::reconstruct::checks::hazard_ratios(&arms, evidence);
        let hr_rows: Vec<Vec<String>> = hr_checks
            .iter()
            .map(|c| {
                vec![
                    source(&c.study_id).short_label(&c.study_id),
                    c.compared.clone(),
                    c.reported.clone(),
                    c.reconstructed.clone(),
                    c.verdict.clone(),
                ]
            })
            .collect();
        let mut warnings: Vec<String> = arms
            .iter()
            .zip(&verdicts)
            .filter_map(|(a, v)| {
                v.strip_prefix("warn: ").map(|w| {
                    format!(
                        "{}/{}: reconstruction disagrees with the paper: {w}",
                        a.study_id, a.arm
                    )
                })
            })
            .collect();
        warnings.extend(hr_checks.iter().filter_map(|c| {
            c.verdict
                .strip_prefix("warn: ")
                .map(|w| format!("{} ({}): {w} ({})", c.study_id, c.compared, c.reported))
        }));
        files.insert(
            0,
            OutputFile {
                name: "ipd.csv".into(),
                bytes: to_csv(&ipd_table(&arms, evidence)).map_err(export_err(spec))?,
            },
        );
        let header = [
            "Study",
            "Arm",
            "Input",
            "n",
            "events",
            "max |ΔS|",
            "RMS",
            "median (rec.)",
            "median (reported)",
            "QA",
        ];
        let figures: String = (1..=arms.len())
            .map(|i| format!("![QA {i}]({}/qa_{i}.png)\n", spec.name))
            .collect();
        let notes: String = arms
            .iter()
            .flat_map(|a| {
                a.cleaning.iter().chain(&a.result.warnings).map(move |n| {
                    format!(
                        "- {}/{}: {}\n",
                        escape_markdown(&a.study_id),
                        escape_markdown(&a.arm),
                        escape_markdown(n)
                    )
                })
            })
            .chain(
                skipped
                    .iter()
                    .map(|s| format!("- {}\n", escape_markdown(s))),
            )
            .collect();
        let hr_section = if hr_rows.is_empty() {
            String::new()
        } else {
            format!(
                "Cross-checks: hazard ratios (the Cox HR of the reconstructed arms against the HR the paper reports)\n\n{}\n",
                markdown_table(
                    &["Study", "Compared", "Reported", "Reconstructed", "Check"],
                    &hr_rows
                )
            )
        };
        let report = format!(
            "{}\n{hr_section}{figures}\n{}[ipd.csv]({}/ipd.csv)\n",
            markdown_table(&header, &qa_rows),
            if notes.is_empty() {
                String::new()
            } else {
                format!("Notes:\n\n{notes}\n")
            },
            spec.name
        );
        let passed = verdicts.iter().filter(|v| *v == "pass").count();
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files,
            summary: format!("{} arm(s) reconstructed, {passed} pass QA", arms.len()),
            report,
            studies: columns::study_ids(arms.iter().map(|a| a.study_id.as_str())),
            methods: crate::analysis::Methods::new(
                format!(
                    "Patient rows were reconstructed from the digitised curves and the printed numbers at risk by the algorithm of Guyot et al. (2012), with events at the digitised times and censorings at the midpoints between them. QA: an arm passes when the Kaplan–Meier curve of its reconstruction is within {max_diff} of every digitised point, its numbers at risk within 10%, its median within {}% of the reported one and every reported landmark survival of that study and arm within {max_diff}; the overlay figures show the digitised points over the reconstructed curve. Where a study with two reconstructed arms reports a hazard ratio with a confidence interval, the Cox (Efron ties) hazard ratio of the reconstructed patients is checked to lie inside that interval. {}",
                    num(100.0 * median_tol, 0),
                    crate::present::methods::software("simulated patient data with known curves (tests/reconstruction_accuracy.rs)")
                ),
                if hr_checks.is_empty() {
                    &[crate::analysis::Ref::Guyot2012, crate::analysis::Ref::KaplanMeier1958][..]
                } else {
                    &[crate::analysis::Ref::Guyot2012, crate::analysis::Ref::KaplanMeier1958, crate::analysis::Ref::Cox1972][..]
                },
            )
            .warn(warnings),
        })
    }
}

/// The reconstructed patients with their arm's source.
fn ipd_table(arms: &[ArmResult], evidence: &Evidence) -> Table {
    let empty = StudySource::default();
    let rows: Vec<(&ArmResult, f64, bool)> = arms
        .iter()
        .flat_map(|a| a.result.patients.iter().map(move |p| (a, p.time, p.event)))
        .collect();
    let src = |a: &ArmResult| evidence.studies.get(&a.study_id).unwrap_or(&empty);
    let location = |a: &ArmResult| {
        evidence
            .curves
            .iter()
            .find(|c| c.study_id == a.study_id && c.arm == a.arm)
            .and_then(|c| c.source_location.clone())
    };
    let mut t = Table::default();
    t.text(
        "study_id",
        rows.iter().map(|r| Some(r.0.study_id.clone())).collect(),
    )
    .text(
        "study_label",
        rows.iter()
            .map(|r| Some(src(r.0).short_label(&r.0.study_id)))
            .collect(),
    )
    .text(
        "citation",
        rows.iter().map(|r| src(r.0).citation.clone()).collect(),
    )
    .text("doi", rows.iter().map(|r| src(r.0).doi.clone()).collect())
    .text("pmid", rows.iter().map(|r| src(r.0).pmid.clone()).collect())
    .text("arm", rows.iter().map(|r| Some(r.0.arm.clone())).collect())
    .number("time_months", rows.iter().map(|r| Some(r.1)).collect())
    .integer("event", rows.iter().map(|r| Some(u64::from(r.2))).collect())
    .text(
        "source",
        rows.iter()
            .map(|_| Some("reconstructed".to_string()))
            .collect(),
    )
    .text(
        "method",
        rows.iter()
            .map(|r| Some(format!("Guyot 2012; {}", r.0.result.tier)))
            .collect(),
    )
    .text(
        "source_location",
        rows.iter().map(|r| location(r.0)).collect(),
    );
    t
}
