//! The comparison of pooled patients' groups: the reference group (chosen,
//! or the first in the data) and the log-rank test and Cox model between
//! the groups, stratified by study.

use crate::stats::survival::cox::Ties;

use crate::analysis::patients::pooled::Pooled;
use crate::present::format::num;
use crate::workflow::survival::{cox_model, group_test, summarise_cox};

/// The reference group of a comparison and why it is the one: `option`
/// when set (an error naming the groups when it is none of them), else the
/// first group in the data, with R's alphabetical default named when it
/// would differ.
pub(crate) fn reference_group<'a>(
    groups: impl IntoIterator<Item = &'a str>,
    option: Option<&str>,
) -> Result<(String, String), String> {
    let mut seen: Vec<&str> = Vec::new();
    for g in groups {
        if !seen.contains(&g) {
            seen.push(g);
        }
    }
    if let Some(r) = option {
        return match seen.iter().find(|g| g.eq_ignore_ascii_case(r.trim())) {
            Some(g) => Ok((g.to_string(), "as options.reference sets".into())),
            None => Err(format!(
                "options.reference: no group '{r}' (groups: {})",
                seen.join(", ")
            )),
        };
    }
    let first = seen.first().ok_or("no patients")?.to_string();
    let sorted =
        crate::workflow::design::levels(&seen.iter().map(|g| g.to_string()).collect::<Vec<_>>());
    let r_default = sorted
        .first()
        .filter(|s| **s != first)
        .map_or(String::new(), |s| {
            format!(" (R's coxph would take {s}, the first in alphabetical order)")
        });
    Ok((
        first,
        format!("the first group in the data{r_default}; set options.reference to choose another"),
    ))
}

/// Log-rank and Cox between the curves, both stratified by study: the
/// comparison a pooled analysis of several sources can defend; hazard
/// ratios against the `reference` group (see [`reference_group`]).
pub(crate) fn compare_groups(pooled: &Pooled, reference: Option<&str>) -> Result<String, String> {
    if !pooled.some_study_spans_groups() {
        return Err("no study contributes patients to more than one group, so a comparison within studies has no information, and one across studies would confound the groups with the studies".into());
    }
    let (reference, why) =
        reference_group(pooled.rows.iter().map(|p| p.group.as_str()), reference)?;
    let p = pooled.patients(true, Some("group"));
    let (_, lr) = group_test(&p, 0.0)?;
    let (terms, fit) = cox_model(&p, Ties::Efron, Some(&format!("group={reference}")))?;
    let cox = summarise_cox(terms, fit, 0.95, Vec::new());
    let mut s = format!(
        "Comparison stratified by study: log-rank χ² = {} on {} df, p = {}.",
        num(lr.chisq, 2),
        lr.df,
        num(lr.pval, 4)
    );
    for t in &cox.terms {
        s.push_str(&format!(
            " Cox (Efron, strata = study) HR for {} vs {reference}: {} (95% CI {}–{}), p = {}.",
            t.term.trim_start_matches("group"),
            num(t.hr, 2),
            num(t.hr_ci_lb, 2),
            num(t.hr_ci_ub, 2),
            num(t.pval, 4)
        ));
    }
    s.push_str(&format!(" Reference group: {reference}, {why}."));
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first group in the data, not the first in sorted order, unless
    /// the option names one; R's choice is named when it differs.
    #[test]
    fn the_reference_group_is_the_first_in_the_data_unless_set() {
        let groups = ["Obs", "Lev", "Lev+5FU", "Obs"];
        let (r, why) = reference_group(groups, None).unwrap();
        assert_eq!(r, "Obs");
        assert!(
            why.contains("(R's coxph would take Lev, the first in alphabetical order)"),
            "{why}"
        );
        let (r, why) = reference_group(["A", "B"], None).unwrap();
        assert_eq!(r, "A");
        assert!(!why.contains("R's coxph"), "{why}");
        assert_eq!(reference_group(groups, Some("lev")).unwrap().0, "Lev");
        assert_eq!(
            reference_group(groups, Some("Placebo")).unwrap_err(),
            "options.reference: no group 'Placebo' (groups: Obs, Lev, Lev+5FU)"
        );
    }
}
