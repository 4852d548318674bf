//! `overlap = "exclude"`: before an analysis runs, keep one study per
//! declared cohort among the selected figures (the one counting the most
//! patients) and the first report of a patient described by two studies;
//! the methods text lists what was left out. With the default `"warn"`,
//! nothing is removed and the analysis' warnings name the overlaps.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{shared_cohorts, Evidence, Figure, Reads};
use crate::project::{AnalysisSpec, Overlap};
use crate::validate::duplicate_cases;

/// What the overlap rule did to an analysis' inputs.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// The evidence with overlapping rows removed (`None`: unchanged).
    pub evidence: Option<Evidence>,
    /// Sentences for the methods paragraph.
    pub methods: Vec<String>,
    /// Warnings (overlaps kept).
    pub warnings: Vec<String>,
}

/// Studies of one cohort among `figures`, largest first (the largest n of
/// their figures in the cohort, then the most recent, then by id).
fn cohorts<'a>(figures: &[&'a Figure], evidence: &Evidence) -> BTreeMap<&'a str, Vec<&'a str>> {
    let year = |s: &str| evidence.studies.get(s).and_then(|x| x.year).unwrap_or(0);
    shared_cohorts(figures.iter().copied())
        .into_iter()
        .map(|(c, idx)| {
            // Each study with the largest n of its figures in the cohort.
            let mut n: BTreeMap<&str, u64> = BTreeMap::new();
            for &i in &idx {
                let m = n.entry(figures[i].study_id.as_str()).or_default();
                *m = (*m).max(figures[i].n.unwrap_or(0));
            }
            let mut studies: Vec<&str> = n.keys().copied().collect();
            studies.sort_by_key(|s| (std::cmp::Reverse(n[s]), std::cmp::Reverse(year(s)), *s));
            (c, studies)
        })
        .collect()
}

/// Applies the analysis' overlap rule to its selected rows.
/// `reads` is what the analysis' kind reads: one that reads case rows is
/// judged by its patients, any other by its figures. With `overlap = "warn"`
/// shared cohorts are warned about only when `warn_shared` (a comparison
/// figure; pooling kinds handle shared cohorts themselves and tables list
/// rows without comparing them).
pub(crate) fn apply(
    spec: &AnalysisSpec,
    evidence: &Evidence,
    reads: Reads,
    warn_shared: bool,
) -> Applied {
    let mut applied = Applied::default();
    let uses_cases = reads.cases;
    let selected: Vec<&Figure> = if uses_cases {
        Vec::new()
    } else {
        evidence
            .figures
            .iter()
            .filter(|f| spec.select.matches_figure(f))
            .collect()
    };
    let shared = cohorts(&selected, evidence);
    let cases: Vec<crate::domain::Case> = if uses_cases {
        evidence
            .cases
            .iter()
            .filter(|c| spec.select.matches_case(c))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let twins = duplicate_cases(&cases);
    match spec.overlap {
        Overlap::Warn => {
            if warn_shared {
                for (c, studies) in &shared {
                    applied.warnings.push(format!(
                        "{} report the same cohort ('{c}') and are all shown: not independent (overlap = \"exclude\" keeps {})",
                        and_list(studies),
                        studies[0]
                    ));
                }
            }
            for (a, b, why) in &twins {
                applied.warnings.push(format!(
                    "cases '{}' ({}) and '{}' ({}) may be the same patient ({why}); both are included (overlap = \"exclude\" keeps the first)",
                    a.case_id, a.study_id, b.case_id, b.study_id
                ));
            }
        }
        Overlap::Exclude => {
            let mut dropped_figures: BTreeSet<(String, String)> = BTreeSet::new();
            for (c, studies) in &shared {
                let (kept, dropped) = studies.split_first().expect("two or more studies");
                let count = |s: &str| {
                    selected
                        .iter()
                        .filter(|f| f.study_id == s && f.cohort.as_deref() == Some(c))
                        .count()
                };
                applied.methods.push(format!(
                    "Overlap: {} report the same cohort ('{c}'); {kept} was kept (the most patients) and {} excluded (overlap = \"exclude\").",
                    and_list(studies),
                    dropped
                        .iter()
                        .map(|s| format!("{} of {s}", crate::number::count(count(s), "figure", "figures")))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ));
                for s in dropped {
                    dropped_figures.insert((s.to_string(), c.to_string()));
                }
            }
            let dropped_cases: BTreeSet<(String, String)> = twins
                .iter()
                .map(|(_, b, _)| (b.study_id.clone(), b.case_id.clone()))
                .collect();
            for (a, b, why) in &twins {
                applied.methods.push(format!(
                    "Overlap: cases '{}' ({}) and '{}' ({}) appear to be one patient ({why}); '{}' was excluded (overlap = \"exclude\").",
                    a.case_id, a.study_id, b.case_id, b.study_id, b.case_id
                ));
            }
            if !dropped_figures.is_empty() || !dropped_cases.is_empty() {
                let mut e = evidence.clone();
                e.figures.retain(|f| {
                    !f.cohort
                        .as_ref()
                        .is_some_and(|c| dropped_figures.contains(&(f.study_id.clone(), c.clone())))
                });
                e.cases
                    .retain(|c| !dropped_cases.contains(&(c.study_id.clone(), c.case_id.clone())));
                applied.evidence = Some(e);
            } else {
                applied
                    .methods
                    .push("Overlap: no selected figures share a cohort and no patient is described twice, so nothing was excluded (overlap = \"exclude\").".into());
            }
        }
    }
    applied
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
