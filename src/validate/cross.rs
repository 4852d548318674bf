//! Rules across rows and tables: duplicates, citations, shared DOIs/PMIDs.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Evidence, Origin, Provenance, StudyId, StudySource};

use super::curves::location;
use super::{Diagnostic, Severity};

/// Builds the study index and runs every cross-row rule.
pub fn check(evidence: &mut Evidence, diags: &mut Vec<Diagnostic>) {
    evidence.studies = study_index(evidence, diags);
    duplicate_figures(evidence, diags);
    duplicate_cases(evidence, diags);
    citations_present(evidence, diags);
    shared_identifiers(evidence, diags);
    at_risk_without_curve(evidence, diags);
}

fn error(
    origin: &Origin,
    column: &str,
    value: &str,
    code: &'static str,
    message: String,
    fix: &str,
) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        location: location(origin, column, value),
        code,
        message,
        fix: fix.to_string(),
    }
}

fn rows_with_provenance(e: &Evidence) -> impl Iterator<Item = (&StudyId, &Provenance, &Origin)> {
    e.figures
        .iter()
        .map(|f| (&f.study_id, &f.provenance, &f.origin))
        .chain(
            e.cases
                .iter()
                .map(|c| (&c.study_id, &c.provenance, &c.origin)),
        )
}

/// One source per study; two different DOIs (or PMIDs) for one study are an error.
fn study_index(e: &Evidence, diags: &mut Vec<Diagnostic>) -> BTreeMap<StudyId, StudySource> {
    let mut index: BTreeMap<StudyId, (StudySource, Option<Origin>, Option<Origin>)> =
        BTreeMap::new();
    for (id, p, origin) in rows_with_provenance(e) {
        let (src, doi_at, pmid_at) = index.entry(id.clone()).or_default();
        if src.citation.is_none() {
            src.citation.clone_from(&p.citation);
        }
        if src.label.is_none() {
            src.label.clone_from(&p.study_label);
        }
        if src.year.is_none() {
            src.year = p.year;
        }
        for (field, have, at, new) in [
            ("doi", &mut src.doi, doi_at, &p.doi),
            ("pmid", &mut src.pmid, pmid_at, &p.pmid),
        ] {
            match (have.as_ref(), new) {
                (None, Some(v)) => {
                    *have = Some(v.clone());
                    *at = Some(origin.clone());
                }
                (Some(h), Some(v)) if !h.eq_ignore_ascii_case(v) => diags.push(error(origin, field, v, "conflicting-id", format!("study '{id}' has {field} '{v}' here but '{h}' at {}", at.as_ref().map_or(String::new(), ToString::to_string)), "one study_id is one source: correct the identifier, or give the other source its own study_id")),
                _ => {}
            }
        }
    }
    for id in e
        .curves
        .iter()
        .map(|c| &c.study_id)
        .chain(e.at_risk.iter().map(|a| &a.study_id))
    {
        index.entry(id.clone()).or_default();
    }
    index.into_iter().map(|(k, (s, _, _))| (k, s)).collect()
}

fn duplicate_figures(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &Origin> = BTreeMap::new();
    for f in &e.figures {
        let tp = f.time_point.map_or(String::new(), |t| format!("{t:.6}"));
        let key = format!(
            "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
            f.study_id, f.outcome, f.population, f.group, f.statistic, tp
        );
        if let Some(first) = seen.get(&key) {
            diags.push(error(
                &f.origin,
                "study_id",
                &f.study_id,
                "duplicate-figure",
                format!(
                    "same study, outcome, population, group, statistic and time point as {first}"
                ),
                "delete the repeated row, or tell the two apart in group or population",
            ));
        } else {
            seen.insert(key, &f.origin);
        }
    }
}

fn duplicate_cases(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Origin> = BTreeMap::new();
    for c in &e.cases {
        if let Some(first) = seen.get(c.case_id.as_str()) {
            diags.push(error(
                &c.origin,
                "case_id",
                &c.case_id,
                "duplicate-case",
                format!("case_id '{}' is already used at {first}", c.case_id),
                "give every patient a unique case_id",
            ));
        } else {
            seen.insert(&c.case_id, &c.origin);
        }
    }
}

/// Every row's study must have a citation somewhere (first offending row per
/// study and table is reported).
fn citations_present(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    let cited: BTreeSet<&str> = e
        .studies
        .iter()
        .filter(|(_, s)| s.citation.is_some())
        .map(|(k, _)| k.as_str())
        .collect();
    let mut reported: BTreeSet<(&str, &str)> = BTreeSet::new();
    let rows = e
        .figures
        .iter()
        .map(|f| (&f.study_id, &f.origin))
        .chain(e.cases.iter().map(|c| (&c.study_id, &c.origin)))
        .chain(e.curves.iter().map(|c| (&c.study_id, &c.origin)))
        .chain(e.at_risk.iter().map(|a| (&a.study_id, &a.origin)));
    for (id, origin) in rows {
        if !cited.contains(id.as_str()) && reported.insert((id.as_str(), origin.file.as_str())) {
            diags.push(error(
                origin,
                "study_id",
                id,
                "no-citation",
                format!("study '{id}' has no citation in any table"),
                "add the citation to one of this study's rows in the figures or cases table",
            ));
        }
    }
}

/// Two study ids with one DOI or PMID are likely the same source entered twice.
fn shared_identifiers(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    for field in ["doi", "pmid"] {
        // Keyed case-insensitively: DOIs are case-insensitive.
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        let mut reported: BTreeSet<(&str, String)> = BTreeSet::new();
        for (id, p, origin) in rows_with_provenance(e) {
            let Some(v) = (if field == "doi" {
                p.doi.as_deref()
            } else {
                p.pmid.as_deref()
            }) else {
                continue;
            };
            let key = v.to_ascii_lowercase();
            match owner.get(&key) {
                Some(first) if *first != id.as_str() => {
                    if reported.insert((id.as_str(), key.clone())) {
                        diags.push(error(origin, field, v, "shared-id", format!("studies '{first}' and '{id}' share {field} '{v}': likely the same source entered twice"), "use one study_id for one source (tell figures apart with population and group)"));
                    }
                }
                Some(_) => {}
                None => {
                    owner.insert(key, id);
                }
            }
        }
    }
}

fn at_risk_without_curve(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    let arms: BTreeSet<(&str, &str)> = e
        .curves
        .iter()
        .map(|c| (c.study_id.as_str(), c.arm.as_str()))
        .collect();
    let mut reported = BTreeSet::new();
    for a in &e.at_risk {
        let key = (a.study_id.as_str(), a.arm.as_str());
        if !arms.contains(&key) && reported.insert(key) {
            diags.push(Diagnostic {
                severity: Severity::Warning,
                location: location(&a.origin, "arm", &a.arm),
                code: "at-risk-no-curve",
                message: format!(
                    "numbers at risk for '{}' arm '{}' have no digitized curve",
                    a.study_id, a.arm
                ),
                fix: "add the curve points, or check the arm label matches the curves table".into(),
            });
        }
    }
}
