//! Cross-checks between a study's reported hazard ratio and its
//! reconstructed arms: the Cox HR of the reconstructed patients (Efron ties)
//! should lie inside the published CI. (The reconstructed medians and
//! landmark survival are checked against the reported ones per arm, in the
//! QA table of the `reconstruct` kind.)

use crate::domain::{Evidence, Figure, Statistic};
use crate::stats::linalg::Matrix;
use crate::stats::survival::cox::{cox, CoxFit, Ties};

use crate::analysis::patients::reconstruct::ArmResult;
use crate::present::format::num;

/// One reported HR checked against the reconstruction.
pub(crate) struct HrCheck {
    /// Study.
    pub study_id: String,
    /// The figure's group (what it compares).
    pub compared: String,
    /// "0.65 (95% CI 0.50–0.85)".
    pub reported: String,
    /// "B vs A: 0.67 (0.52–0.86)".
    pub reconstructed: String,
    /// "pass", or "warn: …".
    pub verdict: String,
}

/// The arm named first in the figure's group ("Surgery vs Observation"), if
/// the group names both arms.
fn named_order<'a>(
    group: &str,
    a: &'a ArmResult,
    b: &'a ArmResult,
) -> Option<(&'a ArmResult, &'a ArmResult)> {
    let g = group.to_lowercase();
    let (pa, pb) = (
        g.find(&a.arm.to_lowercase())?,
        g.find(&b.arm.to_lowercase())?,
    );
    Some(if pa < pb { (a, b) } else { (b, a) })
}

/// Cox fit of `treated` (x = 1) against `reference` (x = 0).
fn cox_arms(treated: &ArmResult, reference: &ArmResult) -> Option<CoxFit> {
    let mut time = Vec::new();
    let mut event = Vec::new();
    let mut x = Vec::new();
    for (arm, v) in [(treated, 1.0), (reference, 0.0)] {
        for p in &arm.result.patients {
            time.push(p.time);
            event.push(p.event);
            x.push(v);
        }
    }
    let mut m = Matrix::zeros(x.len(), 1);
    for (i, v) in x.iter().enumerate() {
        *m.at_mut(i, 0) = *v;
    }
    cox(&time, &event, &m, None, Ties::Efron).ok()
}

/// Every unadjusted HR with a CI of a study with exactly two reconstructed arms.
pub(crate) fn hazard_ratios(arms: &[ArmResult], evidence: &Evidence) -> Vec<HrCheck> {
    let mut out = Vec::new();
    let mut studies: Vec<&str> = arms.iter().map(|a| a.study_id.as_str()).collect();
    studies.dedup();
    for study in studies {
        let of: Vec<&ArmResult> = arms.iter().filter(|a| a.study_id == study).collect();
        let [a, b] = of.as_slice() else { continue };
        let reported: Vec<&Figure> = evidence
            .figures
            .iter()
            .filter(|f| f.study_id == study && f.statistic == Statistic::HazardRatio)
            .filter(|f| {
                f.value.is_some()
                    && f.ci
                        .is_some_and(|c| c.bounds.lower.is_some() && c.bounds.upper.is_some())
            })
            .collect();
        for f in reported {
            let (hr, ci) = (f.value.unwrap_or(1.0), f.ci.expect("filtered"));
            let (lo, hi) = (
                ci.bounds.lower.unwrap_or(0.0),
                ci.bounds.upper.unwrap_or(f64::INFINITY),
            );
            // Orientation: as the group names the arms, else the closer one.
            let (order, assumed) = match named_order(&f.group, a, b) {
                Some(o) => (o, false),
                None => {
                    let off = |t: &ArmResult, r: &ArmResult| {
                        cox_arms(t, r).map_or(f64::INFINITY, |f| (f.coef[0] - hr.ln()).abs())
                    };
                    let (ab, ba) = (off(a, b), off(b, a));
                    (if ab <= ba { (*a, *b) } else { (*b, *a) }, true)
                }
            };
            let Some(fit) = cox_arms(order.0, order.1) else {
                continue;
            };
            let (rec, rlo, rhi) = fit.hazard_ratio(0, ci.level);
            let inside = rec >= lo && rec <= hi;
            out.push(HrCheck {
                study_id: study.to_string(),
                compared: f.group.clone(),
                reported: format!("{} ({}% CI {}–{})", num(hr, 2), num(ci.level * 100.0, 1), num(lo, 2), num(hi, 2)),
                reconstructed: format!(
                    "{} vs {}{}: {} ({}–{})",
                    order.0.arm,
                    order.1.arm,
                    if assumed { " (orientation closest to the reported HR; the group does not name the arms)" } else { "" },
                    num(rec, 2),
                    num(rlo, 2),
                    num(rhi, 2)
                ),
                verdict: if inside {
                    "pass".into()
                } else {
                    format!("warn: reconstructed HR {} outside the published CI", num(rec, 2))
                },
            });
        }
    }
    out
}
