//! Output of `survlit reconstruct`: JSON or a readable summary of each
//! reconstructed arm, its input tier, cleaning notes and QA.

use serde::Serialize;

use super::json::{write_rows, Num};
use crate::workflow::reconstruct::ArmHazardRatios;

#[derive(Serialize)]
struct AtRiskQa {
    time: Num,
    printed: usize,
    reconstructed: usize,
}

#[derive(Serialize)]
struct QaJson {
    max_abs_diff: Num,
    rms_diff: Num,
    at_risk: Vec<AtRiskQa>,
}

#[derive(Serialize)]
struct ArmJson<'a> {
    arm: &'a str,
    n: usize,
    events: usize,
    tier: String,
    qa: QaJson,
    cleaning: &'a [String],
    warnings: &'a [String],
}

#[derive(Serialize)]
struct HrJson<'a> {
    arm: &'a str,
    reference: &'a str,
    hr: Num,
    hr_ci_lb: Num,
    hr_ci_ub: Num,
    pval: Num,
}

#[derive(Serialize)]
struct ReconstructJson<'a> {
    method: &'static str,
    arms: Vec<ArmJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<RefJson<'a>>,
    hazard_ratios: Vec<HrJson<'a>>,
}

#[derive(Serialize)]
struct RefJson<'a> {
    arm: &'a str,
    chosen_by: &'static str,
}

/// Why the reference arm is the one it is.
fn reference_why(chosen: bool) -> &'static str {
    if chosen {
        "--reference"
    } else {
        "the first arm in the data"
    }
}

/// Writes the reconstruct JSON.
pub fn write_reconstruct_json<W: std::io::Write>(
    arms: &[crate::workflow::reconstruct::Arm],
    hrs: Option<&ArmHazardRatios>,
    w: W,
) -> serde_json::Result<()> {
    write_rows(
        &ReconstructJson {
            method: "Guyot et al. 2012",
            reference: hrs.map(|h| RefJson {
                arm: &h.reference,
                chosen_by: reference_why(h.chosen),
            }),
            hazard_ratios: hrs.map_or_else(Vec::new, |h| {
                h.terms
                    .iter()
                    .map(|t| HrJson {
                        arm: &t.term,
                        reference: &h.reference,
                        hr: Num(t.hr),
                        hr_ci_lb: Num(t.hr_ci_lb),
                        hr_ci_ub: Num(t.hr_ci_ub),
                        pval: Num(t.pval),
                    })
                    .collect()
            }),
            arms: arms
                .iter()
                .map(|a| ArmJson {
                    arm: &a.name,
                    n: a.result.patients.len(),
                    events: a.result.events(),
                    tier: a.result.tier.to_string(),
                    qa: QaJson {
                        max_abs_diff: Num(a.result.qa.max_abs_diff),
                        rms_diff: Num(a.result.qa.rms_diff),
                        at_risk: a
                            .result
                            .qa
                            .at_risk
                            .iter()
                            .map(|&(t, p, r)| AtRiskQa {
                                time: Num(t),
                                printed: p,
                                reconstructed: r,
                            })
                            .collect(),
                    },
                    cleaning: &a.cleaning,
                    warnings: &a.result.warnings,
                })
                .collect(),
        },
        w,
    )
}

/// A readable summary of the reconstruction.
pub fn reconstruct_text(
    arms: &[crate::workflow::reconstruct::Arm],
    hrs: Option<&ArmHazardRatios>,
) -> String {
    let mut s = String::from(
        "Reconstruction of patient data from a published KM curve (Guyot et al. 2012)\n",
    );
    for a in arms {
        let r = &a.result;
        s.push_str(&format!(
            "\narm {}: n = {}, events = {}; input: {}\n  KM of the reconstruction vs the digitised points: max |dS| = {:.4}, RMS = {:.4}\n",
            a.name,
            r.patients.len(),
            r.events(),
            r.tier,
            r.qa.max_abs_diff,
            r.qa.rms_diff
        ));
        if r.qa.at_risk.len() > 1 {
            s.push_str("  numbers at risk (printed -> reconstructed):");
            for (t, p, q) in &r.qa.at_risk {
                s.push_str(&format!(" {t}: {p}->{q}"));
            }
            s.push('\n');
        }
        for c in &a.cleaning {
            s.push_str(&format!("  cleaned: {c}\n"));
        }
        for w in &r.warnings {
            s.push_str(&format!("  warning: {w}\n"));
        }
    }
    if let Some(h) = hrs {
        s.push_str(&format!(
            "\nCox hazard ratios (Efron ties, 95% CI) against {} ({}{}):\n",
            h.reference,
            reference_why(h.chosen),
            if h.chosen {
                ""
            } else {
                "; choose another with --reference"
            }
        ));
        for t in &h.terms {
            s.push_str(&format!(
                "  {} vs {}: HR {:.4} ({:.4}-{:.4}), p = {}\n",
                t.term,
                h.reference,
                t.hr,
                t.hr_ci_lb,
                t.hr_ci_ub,
                crate::number::p_value(t.pval, crate::number::PStyle::Scientific)
            ));
        }
    }
    s
}

/// The reconstructed patients of every arm as `arm,time,event`.
pub fn ipd_table(arms: &[crate::workflow::reconstruct::Arm]) -> super::Table {
    let rows: Vec<(&str, f64, bool)> = arms
        .iter()
        .flat_map(|a| {
            a.result
                .patients
                .iter()
                .map(move |p| (a.name.as_str(), p.time, p.event))
        })
        .collect();
    let mut t = super::Table::default();
    t.text("arm", rows.iter().map(|r| Some(r.0.to_string())).collect())
        .number("time", rows.iter().map(|r| Some(r.1)).collect())
        .integer("event", rows.iter().map(|r| Some(u64::from(r.2))).collect());
    t
}
