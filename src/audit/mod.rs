//! The claims audit: each number a draft cites, checked against the
//! evidence table. No I/O: claims and figures in, findings out.
//!
//! A claim is *supported* when its cited study reports the number (at the
//! claim's printed precision) as the same statistic, outcome, time point,
//! n and population; a *mismatch* when the study prints the number but as
//! something else (another population, a CI bound, another statistic);
//! *unsupported* when the claim cites no source; *not found* when the
//! cited study is not in the evidence or does not print the number.

mod population;

use crate::domain::{Claim, Evidence, Figure, Vocab};
use crate::present::format::{estimate_with_unit, statistic_words};

pub use population::population_matches;

/// The audit's judgement of one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The cited study reports the number as claimed.
    Supported,
    /// The cited study reports the number, but not as claimed.
    Mismatch,
    /// The claim cites no source.
    Unsupported,
    /// The cited study is not in the evidence, or does not report the number.
    NotFound,
}

impl Verdict {
    /// The word used in tables.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Mismatch => "mismatch",
            Verdict::Unsupported => "unsupported",
            Verdict::NotFound => "not found",
        }
    }
}

/// Which number of a figure the claim's value equals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The estimate itself.
    Estimate,
    /// Lower confidence bound.
    CiLower,
    /// Upper confidence bound.
    CiUpper,
    /// Smallest value of the range.
    RangeMin,
    /// Largest value of the range.
    RangeMax,
    /// First quartile.
    IqrLower,
    /// Third quartile.
    IqrUpper,
}

impl Part {
    fn words(self) -> &'static str {
        match self {
            Part::Estimate => "the estimate",
            Part::CiLower => "the lower confidence bound",
            Part::CiUpper => "the upper confidence bound",
            Part::RangeMin => "the smallest value of the range",
            Part::RangeMax => "the largest value of the range",
            Part::IqrLower => "the first quartile",
            Part::IqrUpper => "the third quartile",
        }
    }
}

/// The audit of one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The claim.
    pub claim: Claim,
    /// Its verdict.
    pub verdict: Verdict,
    /// The figure that supports the claim, or the closest one that prints
    /// its number (for a mismatch).
    pub figure: Option<Figure>,
    /// Why the claim is not supported, one reason each.
    pub reasons: Vec<String>,
    /// What the source actually reports.
    pub source_says: String,
}

/// Audits every claim against the figures of `evidence`.
pub fn audit(evidence: &Evidence) -> Vec<Finding> {
    evidence
        .claims
        .iter()
        .map(|c| audit_claim(c, evidence))
        .collect()
}

fn audit_claim(claim: &Claim, evidence: &Evidence) -> Finding {
    let finding = |verdict, figure: Option<&Figure>, reasons: Vec<String>, says: String| Finding {
        claim: claim.clone(),
        verdict,
        figure: figure.cloned(),
        reasons,
        source_says: says,
    };
    let Some(study) = claim.study_id.as_deref() else {
        let elsewhere: Vec<&Figure> = evidence
            .figures
            .iter()
            .filter(|f| parts_matching(claim, f).contains(&Part::Estimate))
            .collect();
        let says = if elsewhere.is_empty() {
            format!(
                "no figure in the evidence table has the value {}",
                claim_value(claim)
            )
        } else {
            format!(
                "the value is printed by: {}",
                elsewhere
                    .iter()
                    .map(|f| format!("{} ({})", f.study_id, describe(f)))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        return finding(
            Verdict::Unsupported,
            None,
            vec!["the claim cites no source".into()],
            says,
        );
    };
    if !evidence.studies.contains_key(study) {
        return finding(
            Verdict::NotFound,
            None,
            vec![format!("study '{study}' is not in the evidence table")],
            String::new(),
        );
    }
    let of_study: Vec<&Figure> = evidence
        .figures
        .iter()
        .filter(|f| f.study_id == study)
        .collect();
    let best = of_study
        .iter()
        .flat_map(|f| {
            parts_matching(claim, f)
                .into_iter()
                .map(move |p| (differences(claim, f, p), *f))
        })
        .min_by_key(|(d, f)| (d.len(), f.origin.line));
    match best {
        Some((reasons, f)) if reasons.is_empty() => {
            finding(Verdict::Supported, Some(f), reasons, sourced(f))
        }
        Some((reasons, f)) => finding(Verdict::Mismatch, Some(f), reasons, sourced(f)),
        None => {
            let related: Vec<String> = of_study
                .iter()
                .filter(|f| claim.statistic.is_none_or(|s| s == f.statistic))
                .filter(|f| claim.outcome.is_none_or(|o| o == f.outcome))
                .map(|f| describe(f))
                .collect();
            let says = if related.is_empty() {
                format!("{study} reports no figure of that kind")
            } else {
                format!("{study} reports: {}", related.join("; "))
            };
            finding(
                Verdict::NotFound,
                None,
                vec![format!(
                    "{study} prints no {} equal to {}",
                    claim.statistic.map_or("figure".into(), statistic_words),
                    claim_value(claim)
                )],
                says,
            )
        }
    }
}

/// The parts of `f` equal to the claim's value at its precision.
fn parts_matching(claim: &Claim, f: &Figure) -> Vec<Part> {
    if f.unit != claim.unit {
        return Vec::new();
    }
    let bounds = |i: &Option<crate::domain::Interval>| {
        i.as_ref().map_or((None, None), |i| (i.lower, i.upper))
    };
    let ci =
        f.ci.as_ref()
            .map_or((None, None), |c| (c.bounds.lower, c.bounds.upper));
    let (rmin, rmax) = bounds(&f.range);
    let (q1, q3) = bounds(&f.iqr);
    [
        (Part::Estimate, f.value),
        (Part::CiLower, ci.0),
        (Part::CiUpper, ci.1),
        (Part::RangeMin, rmin),
        (Part::RangeMax, rmax),
        (Part::IqrLower, q1),
        (Part::IqrUpper, q3),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some_and(|v| (v - claim.value).abs() <= claim.tolerance * (1.0 + 1e-9)))
    .map(|(p, _)| p)
    .collect()
}

/// How `f` (at `part`) differs from what the claim says it is.
fn differences(claim: &Claim, f: &Figure, part: Part) -> Vec<String> {
    let mut out = Vec::new();
    if part != Part::Estimate {
        out.push(format!(
            "{} is {} of a {}, not a {}",
            claim_value(claim),
            part.words(),
            statistic_words(f.statistic),
            claim.statistic.map_or("figure".into(), statistic_words)
        ));
    }
    if let Some(s) = claim.statistic.filter(|s| *s != f.statistic) {
        out.push(format!(
            "statistic: the claim says {}, the source reports a {}",
            statistic_words(s),
            statistic_words(f.statistic)
        ));
    }
    if let Some(o) = claim.outcome.filter(|o| *o != f.outcome) {
        out.push(format!(
            "outcome: the claim says {}, the source reports {}",
            o.name().replace('_', " "),
            f.outcome.name().replace('_', " ")
        ));
    }
    if let Some(t) = claim.time_point {
        if f.time_point.is_none_or(|ft| (ft - t).abs() > 1e-6) {
            out.push(format!(
                "time point: the claim says {} months, the source {}",
                crate::present::format::num(t, 1),
                f.time_point.map_or("gives none".into(), |ft| format!(
                    "reports {} months",
                    crate::present::format::num(ft, 1)
                ))
            ));
        }
    }
    if let Some(n) = claim.n {
        if f.n != Some(n) {
            out.push(format!(
                "n: the claim says {n}, the source {}",
                f.n.map_or("gives none".into(), |m| format!("reports {m}"))
            ));
        }
    }
    if let Some(p) = claim.population.as_deref() {
        if !population_matches(p, f) {
            out.push(format!("population: the claim says '{p}', which the source's population and group do not describe"));
        }
    }
    out
}

fn group_words(f: &Figure) -> String {
    if f.group.eq_ignore_ascii_case("all") {
        String::new()
    } else {
        format!(", group '{}'", f.group)
    }
}

/// "median overall survival 59.6 months (95% CI 33.3–66.0), n = 573, 'LMS
/// metastasectomy, any site (pooled)', group 'all metastasectomy sites'".
pub fn describe(f: &Figure) -> String {
    let at = f
        .time_point
        .map(|t| format!(" at {} months", crate::present::format::num(t, 1)))
        .unwrap_or_default();
    let n = f.n.map(|n| format!(", n = {n}")).unwrap_or_default();
    format!(
        "{} {}{at} {}{n}, '{}'{}",
        statistic_words(f.statistic),
        f.outcome.name().replace('_', " "),
        estimate_with_unit(f),
        f.population,
        group_words(f)
    )
}

/// A figure's description with where it is printed.
fn sourced(f: &Figure) -> String {
    match f.provenance.source_location.as_deref() {
        Some(loc) => format!("{} ({}, {loc})", describe(f), f.study_id),
        None => format!("{} ({})", describe(f), f.study_id),
    }
}

/// The claim's number as written, with its unit.
pub fn claim_value(c: &Claim) -> String {
    match c.reported_unit {
        crate::domain::Unit::Percent => format!("{}%", c.reported_value),
        crate::domain::Unit::Ratio | crate::domain::Unit::Count => c.reported_value.clone(),
        u => format!("{} {}", c.reported_value, u.name()),
    }
}
