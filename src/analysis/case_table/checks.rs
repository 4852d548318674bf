//! Cross-checks between what a study reports in aggregate and its own case
//! rows: a case series that prints "mean age 43.2 years" and "two patients
//! died" and also tabulates its patients can be checked against itself. Each
//! aggregate figure of a study whose patients are in the case table is
//! recomputed from those rows where it can be (age mean, median and range;
//! deaths and n; median overall survival and survival at a time point by
//! Kaplan–Meier) and compared at the precision the source printed.

use crate::domain::{Case, Evidence, Figure, Outcome, Statistic, Unit};
use crate::stats::describe::describe;
use crate::stats::survival::km::{kaplan_meier, ConfType};

use crate::present::format::{decimals, display_factor, num};

/// One reported figure checked against the study's case rows.
pub(crate) struct CaseCheck {
    /// Study.
    pub study_id: String,
    /// What is checked ("mean age", "deaths").
    pub what: String,
    /// As the source prints it.
    pub reported: String,
    /// Recomputed from the case rows (or why it cannot be).
    pub recomputed: String,
    /// "agrees", "disagrees: …" or "not checkable: …".
    pub verdict: String,
}

/// How far a recomputed value may be from a reported one and still be the
/// same number as printed: half a unit of the last printed decimal (in the
/// canonical unit), or 2% when the value was converted from another unit.
fn tolerance(f: &Figure) -> f64 {
    let converted = f.reported_unit != f.unit && f.reported_unit != Unit::Percent;
    if converted {
        0.02 * f.value.unwrap_or(0.0).abs()
    } else {
        0.5 * 10f64.powi(-(decimals(f) as i32)) / display_factor(f) + 1e-9
    }
}

fn shown(f: &Figure, v: f64) -> String {
    num(v * display_factor(f), decimals(f) + 1)
}

fn verdict(f: &Figure, reported: f64, recomputed: f64) -> String {
    if (reported - recomputed).abs() <= tolerance(f) {
        "agrees".into()
    } else {
        format!(
            "disagrees: the case rows give {}, the source {}",
            shown(f, recomputed),
            shown(f, reported)
        )
    }
}

/// The checks of every figure of every study with rows in `cases`.
pub(crate) fn against_cases(cases: &[&Case], evidence: &Evidence) -> Vec<CaseCheck> {
    let mut studies: Vec<&str> = cases.iter().map(|c| c.study_id.as_str()).collect();
    studies.sort_unstable();
    studies.dedup();
    let mut out = Vec::new();
    for study in studies {
        let rows: Vec<&Case> = cases
            .iter()
            .copied()
            .filter(|c| c.study_id == study)
            .collect();
        for f in evidence
            .figures
            .iter()
            .filter(|f| f.study_id == study && f.group == "all" && f.value.is_some())
        {
            if let Some(c) = check(f, &rows) {
                out.push(CaseCheck {
                    study_id: study.to_string(),
                    ..c
                });
            }
        }
    }
    out
}

/// The check of one figure, if its statistic can be recomputed from case rows.
fn check(f: &Figure, rows: &[&Case]) -> Option<CaseCheck> {
    let value = f.value?;
    let n_rows = rows.len();
    let covers_all = f.n.map_or(true, |n| n as usize == n_rows);
    let partial = || {
        format!(
            "not checkable: the case table holds {n_rows} of the {} patients",
            f.n.unwrap_or(0)
        )
    };
    let make = |what: &str, recomputed: String, verdict: String| CaseCheck {
        study_id: String::new(),
        what: what.into(),
        reported: format!(
            "{}{}",
            f.reported_value.clone().unwrap_or_else(|| shown(f, value)),
            f.n.map_or_else(String::new, |n| format!(" (n = {n})"))
        ),
        recomputed,
        verdict,
    };
    match (f.outcome, f.statistic) {
        (Outcome::Age, Statistic::Mean | Statistic::Median) => {
            let what = if f.statistic == Statistic::Mean {
                "mean age"
            } else {
                "median age"
            };
            let ages: Vec<f64> = rows.iter().filter_map(|c| c.age).collect();
            if !covers_all {
                return Some(make(what, "—".into(), partial()));
            }
            if ages.len() < n_rows {
                return Some(make(
                    what,
                    "—".into(),
                    format!(
                        "not checkable: {} of {n_rows} case rows give an age",
                        ages.len()
                    ),
                ));
            }
            let summary = describe(&ages)?;
            let got = if f.statistic == Statistic::Mean {
                summary.mean
            } else {
                summary.median
            };
            let mut v = verdict(f, value, got);
            if let Some(r) = f.range {
                let (lo, hi) = (summary.min, summary.max);
                if r.lower.is_some_and(|l| (l - lo).abs() > 0.5)
                    || r.upper.is_some_and(|u| (u - hi).abs() > 0.5)
                {
                    let range = format!("range {}–{}", num(lo, 1), num(hi, 1));
                    v = if v == "agrees" {
                        format!("disagrees: {range} in the case rows")
                    } else {
                        format!("{v}; {range}")
                    };
                }
            }
            Some(make(what, num(got, decimals(f) + 1), v))
        }
        (Outcome::OverallSurvival, Statistic::Count) => {
            let deaths = rows.iter().filter(|c| c.event == Some(true)).count();
            let unknown = rows.iter().filter(|c| c.event.is_none()).count();
            let reported = f.events.map_or(value, |e| e as f64);
            let recomputed = format!("{deaths} deaths in {n_rows} case rows");
            let v = if !covers_all {
                partial()
            } else if unknown > 0 {
                format!("not checkable: vital status missing in {unknown} case rows")
            } else if (reported - deaths as f64).abs() < 0.5 {
                "agrees".into()
            } else {
                format!(
                    "disagrees: the case rows give {deaths} deaths, the source {}",
                    num(reported, 0)
                )
            };
            Some(make("deaths", recomputed, v))
        }
        (Outcome::OverallSurvival, Statistic::Median | Statistic::ProportionAtT) => {
            let what = if f.statistic == Statistic::Median {
                "median overall survival".to_string()
            } else {
                format!(
                    "overall survival at {} months",
                    num(f.time_point.unwrap_or(f64::NAN), 1)
                )
            };
            let usable: Vec<(f64, bool)> = rows
                .iter()
                .filter_map(|c| Some((c.follow_up?, c.event?)))
                .collect();
            if !covers_all {
                return Some(make(&what, "—".into(), partial()));
            }
            if usable.len() < n_rows {
                return Some(make(
                    &what,
                    "—".into(),
                    format!(
                        "not checkable: {} of {n_rows} case rows give both follow-up and vital status",
                        usable.len()
                    ),
                ));
            }
            let (t, e): (Vec<f64>, Vec<bool>) = usable.into_iter().unzip();
            let fit = kaplan_meier(&t, &e, ConfType::Log, 0.95).ok()?;
            let got =
                if f.statistic == Statistic::Median {
                    match fit.quantile(0.5).estimate {
                        Some(m) => m,
                        None => return Some(make(
                            &what,
                            "not reached".into(),
                            "disagrees: the Kaplan–Meier median of the case rows is not reached"
                                .into(),
                        )),
                    }
                } else {
                    fit.surv_at(f.time_point?).surv
                };
            Some(make(
                &format!("{what} (Kaplan–Meier)"),
                shown(f, got),
                verdict(f, value, got),
            ))
        }
        _ => None,
    }
}
