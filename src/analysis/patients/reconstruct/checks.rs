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
use crate::workflow::survival::cox_model;
use crate::workflow::survival::patients::Patients;

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

/// The arms a figure's group names, in the order it names them: each arm's
/// name found as a whole word (longest names first, so "Lev" is not found
/// inside "Lev+5FU"), case aside.
fn named_arms<'a>(group: &str, arms: &[&'a ArmResult]) -> Vec<&'a ArmResult> {
    let g = group.to_lowercase();
    let mut by_length: Vec<&ArmResult> = arms.to_vec();
    by_length.sort_by_key(|a| std::cmp::Reverse(a.arm.len()));
    let mut taken: Vec<(usize, usize, &ArmResult)> = Vec::new();
    for a in by_length {
        let name = a.arm.to_lowercase();
        let word = |i: usize, j: usize| {
            let before = g[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after = g[j..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            before && after
        };
        let found = g
            .match_indices(&name)
            .map(|(i, m)| (i, i + m.len()))
            .find(|&(i, j)| word(i, j) && taken.iter().all(|&(s, e, _)| j <= s || i >= e));
        if let Some((i, j)) = found {
            taken.push((i, j, a));
        }
    }
    taken.sort_by_key(|t| t.0);
    taken.into_iter().map(|t| t.2).collect()
}

/// Which arm a study's hazard ratios are against: `reference` when it
/// names one of them, else the first arm in the data; with the reason.
pub(crate) fn reference_arm<'a>(
    arms: &[&'a ArmResult],
    reference: Option<&str>,
) -> (&'a ArmResult, &'static str) {
    match reference.and_then(|r| arms.iter().find(|a| a.arm.eq_ignore_ascii_case(r.trim()))) {
        Some(a) => (a, "as options.reference sets"),
        None => (
            arms[0],
            "the first arm in the data; set options.reference to choose another",
        ),
    }
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

/// Every unadjusted HR with a CI that a study reports for two of its
/// reconstructed arms, checked; and, for each reported HR that cannot be
/// checked, why.
pub(crate) fn hazard_ratios(
    arms: &[ArmResult],
    evidence: &Evidence,
    reference: Option<&str>,
) -> (Vec<HrCheck>, Vec<String>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut studies: Vec<&str> = Vec::new();
    for a in arms {
        if !studies.contains(&a.study_id.as_str()) {
            studies.push(&a.study_id);
        }
    }
    for study in studies {
        let of: Vec<&ArmResult> = arms.iter().filter(|a| a.study_id == study).collect();
        if of.len() < 2 {
            continue;
        }
        let reported = evidence
            .figures
            .iter()
            .filter(|f| f.study_id == study && f.statistic == Statistic::HazardRatio)
            .filter(|f| {
                f.value.is_some()
                    && f.ci
                        .is_some_and(|c| c.bounds.lower.is_some() && c.bounds.upper.is_some())
            });
        for f in reported {
            let named = named_arms(&f.group, &of);
            // Orientation: as the group names the arms, else against the
            // reference arm when the study has only two.
            let (treated, control, assumed) = match (named.as_slice(), of.as_slice()) {
                ([t, c], _) => (*t, *c, None),
                (_, [a, b]) => {
                    let (r, why) = reference_arm(&of, reference);
                    let other = if std::ptr::eq(r, *a) { *b } else { *a };
                    (other, r, Some(why))
                }
                _ => {
                    skipped.push(format!(
                        "{study}: the reported HR '{}' was not checked: the study has {} reconstructed arms ({}) and the HR's group does not name exactly two of them, so which arms it compares is unknown; name both in the figure's group (e.g. '{} vs {}')",
                        f.group,
                        of.len(),
                        of.iter().map(|a| a.arm.as_str()).collect::<Vec<_>>().join(", "),
                        of[1].arm,
                        of[0].arm
                    ));
                    continue;
                }
            };
            if let Some(c) = check(study, f, treated, control, assumed) {
                out.push(c);
            }
        }
    }
    (out, skipped)
}

/// The reported HR `f` against the Cox HR of `treated` vs `control`.
fn check(
    study: &str,
    f: &Figure,
    treated: &ArmResult,
    control: &ArmResult,
    assumed: Option<&str>,
) -> Option<HrCheck> {
    let (hr, ci) = (f.value?, f.ci?);
    let (lo, hi) = (
        ci.bounds.lower.unwrap_or(0.0),
        ci.bounds.upper.unwrap_or(f64::INFINITY),
    );
    let fit = cox_arms(treated, control)?;
    let (rec, rlo, rhi) = fit.hazard_ratio(0, ci.level);
    let inside = rec >= lo && rec <= hi;
    Some(HrCheck {
        study_id: study.to_string(),
        compared: f.group.clone(),
        reported: format!(
            "{} ({}% CI {}–{})",
            num(hr, 2),
            num(ci.level * 100.0, 1),
            num(lo, 2),
            num(hi, 2)
        ),
        reconstructed: format!(
            "{} vs {}{}: {} ({}–{})",
            treated.arm,
            control.arm,
            assumed.map_or(String::new(), |why| format!(
                " (the group does not name the arms; reference {}, {why})",
                control.arm
            )),
            num(rec, 2),
            num(rlo, 2),
            num(rhi, 2)
        ),
        verdict: if inside {
            "pass".into()
        } else {
            format!(
                "warn: reconstructed HR {} outside the published CI",
                num(rec, 2)
            )
        },
    })
}

/// A reconstructed arm's Cox hazard ratio against its study's reference arm.
pub(crate) struct ArmHr {
    /// Study.
    pub study_id: String,
    /// The arm.
    pub arm: String,
    /// The reference arm.
    pub reference: String,
    /// Why that arm is the reference.
    pub why: &'static str,
    /// HR with its 95% CI.
    pub hr: (f64, f64, f64),
    /// Wald p.
    pub pval: f64,
}

/// For each study with two or more reconstructed arms, one Cox model
/// (Efron ties) of its patients by arm, coded against the reference arm
/// (R's `coxph(Surv(time, event) ~ relevel(arm, ref))`): each other arm's HR.
pub(crate) fn arm_hazard_ratios(arms: &[ArmResult], reference: Option<&str>) -> Vec<ArmHr> {
    let mut studies: Vec<&str> = Vec::new();
    for a in arms {
        if !studies.contains(&a.study_id.as_str()) {
            studies.push(&a.study_id);
        }
    }
    let mut out = Vec::new();
    for study in studies {
        let of: Vec<&ArmResult> = arms.iter().filter(|a| a.study_id == study).collect();
        if of.len() < 2 {
            continue;
        }
        let (r, why) = reference_arm(&of, reference);
        let rows = of
            .iter()
            .flat_map(|a| a.result.patients.iter().map(move |p| (*a, p)));
        let (mut time, mut event, mut arm) = (Vec::new(), Vec::new(), Vec::new());
        for (a, p) in rows {
            time.push(p.time);
            event.push(p.event);
            arm.push(a.arm.clone());
        }
        let patients = Patients {
            group: arm.iter().map(String::as_str).collect(),
            time,
            event,
            strata: None,
            covariates: vec![("arm".into(), arm.clone())],
            dropped: Vec::new(),
        };
        let Ok((names, fit)) = cox_model(&patients, Ties::Efron, Some(&format!("arm={}", r.arm)))
        else {
            continue;
        };
        for (j, name) in names.iter().enumerate() {
            out.push(ArmHr {
                study_id: study.to_string(),
                arm: name.trim_start_matches("arm").to_string(),
                reference: r.arm.clone(),
                why,
                hr: fit.hazard_ratio(j, 0.95),
                pval: fit.pval(j),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::patients::fixtures::digitised_arm;
    use crate::analysis::patients::reconstruct::reconstruct_selected;
    use crate::project::AnalysisSpec;

    /// Three arms named as R's colon data names them.
    fn arms() -> Vec<ArmResult> {
        let spec = AnalysisSpec::example("rec", "reconstruct", "{}");
        let e = digitised_arm(0.0);
        let (one, _) = reconstruct_selected(&spec, &e, &Default::default());
        let one = one.into_iter().next().unwrap();
        ["Obs", "Lev", "Lev+5FU"]
            .into_iter()
            .map(|name| ArmResult {
                arm: name.into(),
                study_id: one.study_id.clone(),
                points: one.points.clone(),
                result: one.result.clone(),
                cleaning: Vec::new(),
                provenance: one.provenance.clone(),
                origin: one.origin.clone(),
            })
            .collect()
    }

    #[test]
    fn a_group_names_arms_as_whole_words_longest_first() {
        let a = arms();
        let all: Vec<&ArmResult> = a.iter().collect();
        let names = |g: &str| -> Vec<String> {
            named_arms(g, &all).iter().map(|a| a.arm.clone()).collect()
        };
        assert_eq!(names("Lev+5FU vs Obs"), ["Lev+5FU", "Obs"]);
        assert_eq!(names("obs versus lev"), ["Obs", "Lev"]);
        assert!(names("Levamisole alone").is_empty(), "no word 'Lev'");
        assert!(names("treatment effect").is_empty());
    }

    #[test]
    fn the_reference_arm_is_the_first_in_the_data_unless_set() {
        let a = arms();
        let all: Vec<&ArmResult> = a.iter().collect();
        assert_eq!(reference_arm(&all, None).0.arm, "Obs");
        assert_eq!(reference_arm(&all, Some("lev+5fu")).0.arm, "Lev+5FU");
        let hrs = arm_hazard_ratios(&a, None);
        let pairs: Vec<(&str, &str)> = hrs
            .iter()
            .map(|h| (h.arm.as_str(), h.reference.as_str()))
            .collect();
        assert_eq!(pairs, [("Lev", "Obs"), ("Lev+5FU", "Obs")]);
    }
}
