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

/// The check of one figure, if its statistic can be recomputed from case
/// rows: age (mean or median), deaths, median overall survival and overall
/// survival at a time point.
fn check(f: &Figure, rows: &[&Case]) -> Option<CaseCheck> {
    let value = f.value?;
    match (f.outcome, f.statistic) {
        (Outcome::Age, Statistic::Mean | Statistic::Median) => age_check(f, value, rows),
        (Outcome::OverallSurvival, Statistic::Count) => Some(deaths_check(f, value, rows)),
        (Outcome::OverallSurvival, Statistic::Median | Statistic::ProportionAtT) => {
            survival_check(f, value, rows)
        }
        _ => None,
    }
}

impl CaseCheck {
    /// The check of `f` (study left blank, filled by the caller): the
    /// reported text as printed with its n.
    fn of(f: &Figure, value: f64, what: &str, recomputed: String, verdict: String) -> CaseCheck {
        CaseCheck {
            study_id: String::new(),
            what: what.into(),
            reported: format!(
                "{}{}",
                f.reported_value.clone().unwrap_or_else(|| shown(f, value)),
                f.n.map_or_else(String::new, |n| format!(" (n = {n})"))
            ),
            recomputed,
            verdict,
        }
    }
}

/// Whether the case rows are all of the figure's patients (an unknown n is
/// taken to be all).
fn covers_all(f: &Figure, n_rows: usize) -> bool {
    f.n.map_or(true, |n| n as usize == n_rows)
}

/// The verdict when the case table holds only some of the figure's patients.
fn partial(f: &Figure, n_rows: usize) -> String {
    format!(
        "not checkable: the case table holds {n_rows} of the {} patients",
        f.n.unwrap_or(0)
    )
}

/// Mean or median age from the rows' ages, with the reported range (when
/// given) checked to ±0.5 years as well.
fn age_check(f: &Figure, value: f64, rows: &[&Case]) -> Option<CaseCheck> {
    let n_rows = rows.len();
    let what = if f.statistic == Statistic::Mean {
        "mean age"
    } else {
        "median age"
    };
    let ages: Vec<f64> = rows.iter().filter_map(|c| c.age).collect();
    if !covers_all(f, n_rows) {
        return Some(CaseCheck::of(
            f,
            value,
            what,
            "—".into(),
            partial(f, n_rows),
        ));
    }
    if ages.len() < n_rows {
        let why = format!(
            "not checkable: {} of {n_rows} case rows give an age",
            ages.len()
        );
        return Some(CaseCheck::of(f, value, what, "—".into(), why));
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
    Some(CaseCheck::of(f, value, what, num(got, decimals(f) + 1), v))
}

/// Deaths (the figure's events, else its value) against the rows' deaths;
/// not checkable when a row lacks its vital status.
fn deaths_check(f: &Figure, value: f64, rows: &[&Case]) -> CaseCheck {
    let n_rows = rows.len();
    let deaths = rows.iter().filter(|c| c.event == Some(true)).count();
    let unknown = rows.iter().filter(|c| c.event.is_none()).count();
    let reported = f.events.map_or(value, |e| e as f64);
    let deaths_word = if deaths == 1 { "death" } else { "deaths" };
    let recomputed = format!(
        "{deaths} {deaths_word} in {n_rows} case {}",
        if n_rows == 1 { "row" } else { "rows" }
    );
    let v = if !covers_all(f, n_rows) {
        partial(f, n_rows)
    } else if unknown > 0 {
        format!(
            "not checkable: vital status missing in {unknown} case {}",
            if unknown == 1 { "row" } else { "rows" }
        )
    } else if (reported - deaths as f64).abs() < 0.5 {
        "agrees".into()
    } else {
        format!(
            "disagrees: the case rows give {deaths} {deaths_word}, the source {}",
            num(reported, 0)
        )
    };
    CaseCheck::of(f, value, "deaths", recomputed, v)
}

/// Median overall survival or survival at a time point, by Kaplan–Meier on
/// the rows' follow-up and vital status.
fn survival_check(f: &Figure, value: f64, rows: &[&Case]) -> Option<CaseCheck> {
    let n_rows = rows.len();
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
    if !covers_all(f, n_rows) {
        return Some(CaseCheck::of(
            f,
            value,
            &what,
            "—".into(),
            partial(f, n_rows),
        ));
    }
    if usable.len() < n_rows {
        let why = format!(
            "not checkable: {} of {n_rows} case rows give both follow-up and vital status",
            usable.len()
        );
        return Some(CaseCheck::of(f, value, &what, "—".into(), why));
    }
    let (t, e): (Vec<f64>, Vec<bool>) = usable.into_iter().unzip();
    let fit = kaplan_meier(&t, &e, ConfType::Log, 0.95).ok()?;
    let got = if f.statistic == Statistic::Median {
        let Some(m) = fit.quantile(0.5).estimate else {
            return Some(CaseCheck::of(
                f,
                value,
                &what,
                "not reached".into(),
                "disagrees: the Kaplan–Meier median of the case rows is not reached".into(),
            ));
        };
        m
    } else {
        fit.surv_at(f.time_point?).surv
    };
    Some(CaseCheck::of(
        f,
        value,
        &format!("{what} (Kaplan–Meier)"),
        shown(f, got),
        verdict(f, value, got),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CaseStatus, Interval, Origin, Provenance, Sex};

    /// A figure of study "s" for all its patients, printed as `printed`.
    fn figure(outcome: Outcome, statistic: Statistic, printed: &str, n: Option<u64>) -> Figure {
        let unit = match (outcome, statistic) {
            (Outcome::Age, _) => Unit::Years,
            (_, Statistic::Count) => Unit::Count,
            (_, Statistic::ProportionAtT) => Unit::Proportion,
            _ => Unit::Months,
        };
        let value: f64 = printed.parse().unwrap();
        Figure {
            study_id: "s".into(),
            outcome,
            population: "p".into(),
            statistic,
            value: Some(if unit == Unit::Proportion {
                value / 100.0
            } else {
                value
            }),
            unit,
            reported_value: Some(printed.into()),
            reported_unit: if unit == Unit::Proportion {
                Unit::Percent
            } else {
                unit
            },
            time_point: (statistic == Statistic::ProportionAtT).then_some(12.0),
            n,
            ..Figure::example("s", value, 0)
        }
    }

    /// A case of study "s" with an age, follow-up and death indicator.
    fn case(age: Option<f64>, follow_up: Option<f64>, event: Option<bool>) -> Case {
        Case {
            study_id: "s".into(),
            case_id: "c".into(),
            age,
            sex: Sex::Unknown,
            primary_site: None,
            primary_treatment: None,
            latency: None,
            spinal_level: None,
            treatment: None,
            adjuvant: None,
            follow_up,
            follow_up_origin: None,
            status: CaseStatus::Unknown,
            event,
            event_code: event.map(u32::from),
            covariates: Default::default(),
            provenance: Provenance::default(),
            origin: Origin {
                file: "cases.csv".into(),
                sheet: None,
                line: 2,
            },
        }
    }

    fn aged(ages: &[f64]) -> Vec<Case> {
        ages.iter().map(|&a| case(Some(a), None, None)).collect()
    }

    fn check_of(f: &Figure, cases: &[Case]) -> CaseCheck {
        let rows: Vec<&Case> = cases.iter().collect();
        check(f, &rows).expect("a checkable statistic")
    }

    #[test]
    fn a_mean_age_agrees_within_half_a_printed_unit_and_not_beyond() {
        let cases = aged(&[40.0, 46.5]); // mean 43.25
        let agrees = check_of(
            &figure(Outcome::Age, Statistic::Mean, "43.2", Some(2)),
            &cases,
        );
        assert_eq!(
            (agrees.what.as_str(), agrees.verdict.as_str()),
            ("mean age", "agrees")
        );
        assert_eq!(agrees.reported, "43.2 (n = 2)");
        let off = check_of(
            &figure(Outcome::Age, Statistic::Mean, "43.1", Some(2)),
            &cases,
        );
        assert_eq!(
            off.verdict,
            "disagrees: the case rows give 43.25, the source 43.1"
        );
    }

    #[test]
    fn an_age_range_off_by_more_than_half_a_year_disagrees_even_when_the_mean_agrees() {
        let mut f = figure(Outcome::Age, Statistic::Median, "43", None);
        f.range = Some(Interval {
            lower: Some(30.0),
            upper: Some(56.0),
            printed_decimals: [0, 0],
        });
        let check = check_of(&f, &aged(&[30.0, 43.0, 55.0]));
        assert_eq!(check.verdict, "disagrees: range 30–55 in the case rows");
    }

    #[test]
    fn a_figure_over_more_patients_than_the_rows_is_not_checkable() {
        let check = check_of(
            &figure(Outcome::Age, Statistic::Mean, "43", Some(5)),
            &aged(&[40.0, 46.0]),
        );
        assert_eq!(
            (check.recomputed.as_str(), check.verdict.as_str()),
            (
                "—",
                "not checkable: the case table holds 2 of the 5 patients"
            )
        );
    }

    #[test]
    fn a_row_without_an_age_makes_the_age_not_checkable() {
        let mut cases = aged(&[40.0, 46.0]);
        cases.push(case(None, None, None));
        let check = check_of(&figure(Outcome::Age, Statistic::Mean, "43", None), &cases);
        assert_eq!(check.verdict, "not checkable: 2 of 3 case rows give an age");
    }

    #[test]
    fn deaths_are_counted_from_the_rows_and_need_every_vital_status() {
        let f = figure(Outcome::OverallSurvival, Statistic::Count, "2", Some(3));
        let known = [
            case(None, None, Some(true)),
            case(None, None, Some(true)),
            case(None, None, Some(false)),
        ];
        let check = check_of(&f, &known);
        assert_eq!(check.verdict, "agrees");
        assert_eq!(check.recomputed, "2 deaths in 3 case rows");
        let one_death = [
            case(None, None, Some(true)),
            case(None, None, Some(false)),
            case(None, None, Some(false)),
        ];
        assert_eq!(
            check_of(&f, &one_death).verdict,
            "disagrees: the case rows give 1 death, the source 2"
        );
        let unknown = [
            case(None, None, Some(true)),
            case(None, None, None),
            case(None, None, Some(false)),
        ];
        assert_eq!(
            check_of(&f, &unknown).verdict,
            "not checkable: vital status missing in 1 case row"
        );
    }

    #[test]
    fn a_median_survival_the_rows_never_reach_disagrees() {
        let f = figure(Outcome::OverallSurvival, Statistic::Median, "20", Some(3));
        // S falls to 2/3 at 10 months and no further.
        let cases = [
            case(None, Some(10.0), Some(true)),
            case(None, Some(20.0), Some(false)),
            case(None, Some(30.0), Some(false)),
        ];
        let check = check_of(&f, &cases);
        assert_eq!(check.what, "median overall survival");
        assert_eq!(check.recomputed, "not reached");
        assert!(check.verdict.starts_with("disagrees"));
    }

    #[test]
    fn survival_at_a_time_point_is_checked_by_kaplan_meier() {
        let f = figure(
            Outcome::OverallSurvival,
            Statistic::ProportionAtT,
            "50",
            Some(2),
        );
        let cases = [
            case(None, Some(6.0), Some(true)),
            case(None, Some(24.0), Some(false)),
        ];
        let check = check_of(&f, &cases);
        assert_eq!(check.what, "overall survival at 12 months (Kaplan–Meier)");
        assert_eq!(check.verdict, "agrees");
        let without = [
            case(None, Some(6.0), Some(true)),
            case(None, None, Some(false)),
        ];
        assert_eq!(
            check_of(&f, &without).verdict,
            "not checkable: 1 of 2 case rows give both follow-up and vital status"
        );
    }

    #[test]
    fn only_whole_study_figures_of_recomputable_statistics_are_checked() {
        let cases = aged(&[40.0, 46.0]);
        let rows: Vec<&Case> = cases.iter().collect();
        let mut arm = figure(Outcome::Age, Statistic::Mean, "43", None);
        arm.group = "surgery".into();
        let latency = figure(Outcome::Latency, Statistic::Median, "20", None);
        let evidence = Evidence {
            figures: vec![
                arm,
                latency,
                figure(Outcome::Age, Statistic::Mean, "43", None),
            ],
            ..Evidence::default()
        };
        let checks = against_cases(&rows, &evidence);
        assert_eq!(checks.len(), 1);
        assert_eq!(
            (checks[0].study_id.as_str(), checks[0].what.as_str()),
            ("s", "mean age")
        );
    }
}
