//! Double counting across studies: one source under two ids (near-identical
//! citations), reports declared as one cohort (`cohort`), and patients
//! described by two studies (case rows alike in age, sex, level, latency).
//! These are warnings: the data may be right, and each analysis decides
//! with `overlap = "warn" | "exclude"`.

use std::collections::BTreeSet;

use crate::domain::{Case, Evidence, Sex, Vocab};

use super::curves::location;
use super::{Diagnostic, Severity};

/// Runs the overlap rules.
pub fn check(evidence: &Evidence, diags: &mut Vec<Diagnostic>) {
    similar_citations(evidence, diags);
    shared_cohorts(evidence, diags);
    same_patients(&evidence.cases, diags);
}

/// Groups of items joined by a chain of pairs (union-find), each group's
/// members in index order, groups in order of their first member; items in
/// no pair are left out.
fn clusters(n: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..n).collect();
    for (a, b) in pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}

/// Case rows that may describe one patient, one warning per group: two rows
/// say what agrees; a larger group names every row and what its first pair
/// shares, so n copies of one patient give one warning, not n(n−1)/2.
fn same_patients(cases: &[Case], diags: &mut Vec<Diagnostic>) {
    let pairs = duplicate_cases(cases);
    let index = |c: &Case| cases.iter().position(|x| std::ptr::eq(x, c)).unwrap_or(0);
    let indexed: Vec<(usize, usize, &String)> = pairs
        .iter()
        .map(|(a, b, why)| (index(a), index(b), why))
        .collect();
    for group in clusters(cases.len(), indexed.iter().map(|&(a, b, _)| (a, b))) {
        let why = indexed
            .iter()
            .find(|(a, _, _)| *a == group[0])
            .map_or("", |(_, _, w)| w.as_str());
        let named: Vec<String> = group
            .iter()
            .map(|&i| format!("case '{}' ({})", cases[i].case_id, cases[i].study_id))
            .collect();
        let last = &cases[group[group.len() - 1]];
        let who = match named.as_slice() {
            [a, b] => format!("{a} and {b}"),
            _ => format!("{} rows — {} —", named.len(), named.join(", ")),
        };
        diags.push(Diagnostic {
            severity: Severity::Warning,
            location: location(&last.origin, "case_id", &last.case_id),
            code: "same-patient",
            message: format!("{who} may be the same patient: {why}"),
            fix: "if one study re-reports the other's patient, keep the original report (overlap = \"exclude\" in analyses of cases does so); otherwise add what tells them apart".into(),
        });
    }
}

/// Content words of a citation, for comparing two citations.
fn citation_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect()
}

/// Jaccard similarity of two word sets.
fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Citations at least this similar (shared words / all words) name one source.
pub const CITATION_SIMILARITY: f64 = 0.85;

/// Near-identical citations, one warning per cluster: studies joined by a
/// chain of pairs at least [`CITATION_SIMILARITY`] alike are one group, so
/// n copies of one source give one warning naming all n, not n(n−1)/2.
fn similar_citations(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    let cited: Vec<(&String, BTreeSet<String>)> = e
        .studies
        .iter()
        .filter_map(|(id, s)| s.citation.as_deref().map(|c| (id, citation_words(c))))
        .filter(|(_, w)| w.len() >= 4)
        .collect();
    let mut sims: Vec<(usize, usize, f64)> = Vec::new();
    for i in 0..cited.len() {
        for j in i + 1..cited.len() {
            let sim = similarity(&cited[i].1, &cited[j].1);
            if sim >= CITATION_SIMILARITY {
                sims.push((i, j, sim));
            }
        }
    }
    for members in clusters(cited.len(), sims.iter().map(|&(i, j, _)| (i, j))) {
        let range = sims
            .iter()
            .filter(|(i, _, _)| members.contains(i))
            .map(|&(_, _, s)| s)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), s| {
                (lo.min(s), hi.max(s))
            });
        let ids: Vec<&str> = members.iter().map(|&i| cited[i].0.as_str()).collect();
        // Point at the first row of the last study of the group.
        let last = ids[ids.len() - 1];
        let Some(origin) = e
            .figures
            .iter()
            .find(|f| f.study_id == last)
            .map(|f| &f.origin)
            .or_else(|| {
                e.cases
                    .iter()
                    .find(|c| c.study_id == last)
                    .map(|c| &c.origin)
            })
        else {
            continue;
        };
        let shared = if range.0 == range.1 || ids.len() == 2 {
            format!("{:.0}% of words shared", range.1 * 100.0)
        } else {
            format!(
                "{:.0}–{:.0}% of words shared",
                range.0 * 100.0,
                range.1 * 100.0
            )
        };
        let (who, question) = if ids.len() == 2 {
            (
                format!("studies '{}' and '{}'", ids[0], ids[1]),
                "one source under two study ids?",
            )
        } else {
            (
                format!("{} studies ({})", ids.len(), ids.join(", ")),
                "one source under several study ids?",
            )
        };
        diags.push(Diagnostic {
            severity: Severity::Warning,
            location: location(origin, "citation", ""),
            code: "similar-citation",
            message: format!("{who} have near-identical citations ({shared}): {question}"),
            fix: "if they are one source, use one study_id; if they are reports of one cohort, give their figures the same cohort".into(),
        });
    }
}

fn shared_cohorts(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    for (cohort, idx) in crate::domain::shared_cohorts(&e.figures) {
        let figures: Vec<&crate::domain::Figure> = idx.iter().map(|&i| &e.figures[i]).collect();
        let studies: BTreeSet<&str> = figures.iter().map(|f| f.study_id.as_str()).collect();
        let first_of_last = figures
            .iter()
            .find(|f| Some(&f.study_id.as_str()) == studies.iter().last())
            .expect("a study of the cohort has a figure");
        diags.push(Diagnostic {
            severity: Severity::Warning,
            location: location(&first_of_last.origin, "cohort", cohort),
            code: "shared-cohort",
            message: format!(
                "cohort '{cohort}' is reported by {} studies ({}): their figures count the same patients and are not independent",
                studies.len(),
                studies.iter().copied().collect::<Vec<_>>().join(", ")
            ),
            fix: "pool at most one of them: select one study, or set overlap = \"exclude\" on the analysis (the largest is kept and the methods say so)".into(),
        });
    }
}

/// Normalised spinal levels: "T2-T3 (extradural)" → {"T2", "T3"}.
fn levels(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_ascii_uppercase)
        .filter(|w| {
            let mut ch = w.chars();
            matches!(ch.next(), Some('C' | 'T' | 'L' | 'S'))
                && ch
                    .as_str()
                    .parse::<u8>()
                    .is_ok_and(|n| (1..=12).contains(&n))
        })
        .collect()
}

/// Pairs of case rows of different studies that describe one patient: same
/// sex, age within a year, and every other description both give (spinal
/// levels, latency within a month) agreeing, with at least one of them given.
/// Returns (first, second, what agrees).
pub fn duplicate_cases(cases: &[Case]) -> Vec<(&Case, &Case, String)> {
    let mut out = Vec::new();
    for (i, a) in cases.iter().enumerate() {
        for b in &cases[i + 1..] {
            if a.study_id == b.study_id || a.sex == Sex::Unknown || a.sex != b.sex {
                continue;
            }
            let (Some(age_a), Some(age_b)) = (a.age, b.age) else {
                continue;
            };
            if (age_a - age_b).abs() > 1.0 {
                continue;
            }
            let mut agree = vec![format!(
                "{} aged {}",
                a.sex.name().to_uppercase(),
                short(age_a)
            )];
            let la = a
                .spinal_level
                .as_deref()
                .map(levels)
                .filter(|l| !l.is_empty());
            let lb = b
                .spinal_level
                .as_deref()
                .map(levels)
                .filter(|l| !l.is_empty());
            let mut compared = 0;
            if let (Some(la), Some(lb)) = (&la, &lb) {
                if la != lb {
                    continue;
                }
                compared += 1;
                agree.push(format!(
                    "level {}",
                    la.iter().cloned().collect::<Vec<_>>().join("-")
                ));
            }
            if let (Some(x), Some(y)) = (a.latency, b.latency) {
                if (x - y).abs() > 1.0 {
                    continue;
                }
                compared += 1;
                agree.push(format!("latency {} months", short(x)));
            }
            if compared > 0 {
                out.push((a, b, agree.join(", ")));
            }
        }
    }
    out
}

/// A number with at most one decimal, trailing zero dropped ("46", "36.5").
fn short(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}
