//! One test per validation rule: a small fixture, then `survlit check` and
//! `survlit run` must exit 1 with a message naming file, line and column (and
//! the rule's code); `run` must write nothing and leave data/ untouched.

use crate::common::{fig, figures_csv, snapshot, TestProject, CASE_HEADER};

/// Runs check and run on the project and asserts the diagnostic.
fn expect_error(p: &TestProject, code: &str, location: &str, fragment: &str) {
    let data_before = snapshot(&p.path("data"));
    for sub in ["check", "run"] {
        let out = p.survlit(sub).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{sub}: expected exit 1, stderr:\n{stderr}"
        );
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("error[{code}]: {location}")))
            .unwrap_or_else(|| panic!("{sub}: no 'error[{code}]: {location}' in:\n{stderr}"));
        assert!(
            line.contains(fragment) || stderr.contains(fragment),
            "{sub}: '{fragment}' missing in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{sub} panicked:\n{stderr}");
    }
    assert!(
        !p.path("reports").exists(),
        "a failed run must not create reports/"
    );
    assert_eq!(snapshot(&p.path("data")), data_before, "data/ was modified");
}

fn figures(rows: &[String]) -> TestProject {
    TestProject::with_tables(&[("figures", &figures_csv(rows))])
}

#[test]
fn missing_required_column() {
    let csv = "study_id,citation,outcome,population,statistic,value\nsmith2020,Smith A. J 2020.,overall_survival,spinal LMS,median,46\n";
    let p = TestProject::with_tables(&[("figures", csv)]);
    expect_error(
        &p,
        "missing-column",
        "data/figures.csv, line 1, column 'unit'",
        "required column 'unit' is missing",
    );
}

#[test]
fn unknown_column_suggests_the_known_one() {
    let csv = figures_csv(&[fig(&[])]).replacen("ci_lower", "ci_lowr", 1);
    let p = TestProject::with_tables(&[("figures", &csv)]);
    expect_error(
        &p,
        "unknown-column",
        "data/figures.csv, line 1, column 'ci_lowr'",
        "did you mean 'ci_lower'?",
    );
}

#[test]
fn missing_required_value() {
    let p = figures(&[fig(&[]), fig(&[("outcome", ""), ("group", "b")])]);
    expect_error(
        &p,
        "missing-value",
        "data/figures.csv, line 3, column 'outcome'",
        "outcome is empty",
    );
}

#[test]
fn missing_value_without_status() {
    let p = figures(&[fig(&[("value", "")])]);
    expect_error(
        &p,
        "missing-value",
        "data/figures.csv, line 2, column 'value'",
        "value_status",
    );
}

#[test]
fn unparsable_number() {
    let p = figures(&[fig(&[("value", "46 mo")])]);
    expect_error(
        &p,
        "not-a-number",
        "data/figures.csv, line 2, column 'value' (value '46 mo')",
        "'46 mo' is not a number",
    );
}

#[test]
fn not_reached_written_as_text() {
    let p = figures(&[fig(&[("value", "NR")])]);
    expect_error(
        &p,
        "not-a-number",
        "data/figures.csv, line 2, column 'value'",
        "set value_status to not_reached",
    );
}

#[test]
fn unknown_statistic_did_you_mean() {
    let p = figures(&[fig(&[("statistic", "medain")])]);
    expect_error(
        &p,
        "unknown-word",
        "data/figures.csv, line 2, column 'statistic' (value 'medain')",
        "did you mean 'median'?",
    );
}

#[test]
fn unknown_unit_did_you_mean() {
    let p = figures(&[fig(&[("unit", "monhts")])]);
    expect_error(
        &p,
        "unknown-word",
        "data/figures.csv, line 2, column 'unit' (value 'monhts')",
        "did you mean 'months'?",
    );
}

#[test]
fn unknown_outcome_did_you_mean() {
    let p = figures(&[fig(&[("outcome", "overal_survival")])]);
    expect_error(
        &p,
        "unknown-word",
        "data/figures.csv, line 2, column 'outcome'",
        "did you mean 'overall_survival'?",
    );
}

#[test]
fn unknown_case_status_did_you_mean() {
    let cases =
        format!("{CASE_HEADER}\nsmith2020,s1,Smith A. J 2020.,2020,50,F,12,months,alive_nde,0\n");
    let p = TestProject::with_tables(&[("cases", &cases)]);
    expect_error(
        &p,
        "unknown-word",
        "data/cases.csv, line 2, column 'status' (value 'alive_nde')",
        "did you mean 'alive_ned'?",
    );
}

#[test]
fn unit_that_does_not_fit_the_statistic() {
    let p = figures(&[fig(&[("statistic", "hazard_ratio"), ("value", "0.7")])]);
    expect_error(
        &p,
        "unit-mismatch",
        "data/figures.csv, line 2, column 'unit'",
        "use one of: ratio",
    );
}

#[test]
fn ci_lower_above_upper() {
    let p = figures(&[fig(&[
        ("value", "59.6"),
        ("ci_lower", "66.0"),
        ("ci_upper", "33.3"),
        ("ci_level", "0.95"),
    ])]);
    expect_error(
        &p,
        "ci-order",
        "data/figures.csv, line 2, column 'ci_lower'",
        "lower bound 66 is above upper bound 33.3",
    );
}

#[test]
fn estimate_outside_its_ci() {
    let p = figures(&[fig(&[
        ("value", "59.6"),
        ("ci_lower", "60"),
        ("ci_upper", "70"),
        ("ci_level", "95"),
    ])]);
    expect_error(
        &p,
        "estimate-outside-ci",
        "data/figures.csv, line 2, column 'ci_lower'",
        "estimate 59.6 lies below its confidence interval",
    );
}

#[test]
fn estimate_outside_its_range() {
    let p = figures(&[fig(&[
        ("value", "13"),
        ("range_min", "14"),
        ("range_max", "97"),
    ])]);
    expect_error(
        &p,
        "estimate-outside-range",
        "data/figures.csv, line 2, column 'range_min'",
        "below its range",
    );
}

#[test]
fn percent_above_100() {
    let p = figures(&[fig(&[
        ("statistic", "proportion_at_t"),
        ("value", "120"),
        ("unit", "percent"),
        ("time_point", "12"),
        ("time_point_unit", "months"),
    ])]);
    expect_error(
        &p,
        "proportion-range",
        "data/figures.csv, line 2, column 'value' (value '120')",
        "120% is outside 0–100%",
    );
}

#[test]
fn proportion_above_1() {
    let p = figures(&[fig(&[
        ("statistic", "proportion_at_t"),
        ("value", "87.9"),
        ("unit", "proportion"),
        ("time_point", "1"),
        ("time_point_unit", "years"),
    ])]);
    expect_error(
        &p,
        "proportion-range",
        "data/figures.csv, line 2, column 'value'",
        "set unit to percent",
    );
}

#[test]
fn proportion_at_t_needs_its_time_point() {
    let p = figures(&[fig(&[
        ("statistic", "proportion_at_t"),
        ("value", "80"),
        ("unit", "percent"),
    ])]);
    expect_error(
        &p,
        "missing-value",
        "data/figures.csv, line 2, column 'time_point'",
        "needs its time point",
    );
}

#[test]
fn events_exceed_n() {
    let p = figures(&[fig(&[("events", "12"), ("n", "9")])]);
    expect_error(
        &p,
        "events-exceed-n",
        "data/figures.csv, line 2, column 'events'",
        "events (12) exceed n (9)",
    );
}

#[test]
fn n_not_positive() {
    let p = figures(&[fig(&[("n", "0")])]);
    expect_error(
        &p,
        "n-positive",
        "data/figures.csv, line 2, column 'n' (value '0')",
        "n must be > 0",
    );
}

#[test]
fn negative_time_in_figure() {
    let p = figures(&[fig(&[("value", "-3")])]);
    expect_error(
        &p,
        "negative-time",
        "data/figures.csv, line 2, column 'value'",
        "is negative",
    );
}

#[test]
fn negative_follow_up_in_case() {
    let cases =
        format!("{CASE_HEADER}\nsmith2020,s1,Smith A. J 2020.,2020,50,F,-5,months,alive_ned,0\n");
    let p = TestProject::with_tables(&[("cases", &cases)]);
    expect_error(
        &p,
        "negative-time",
        "data/cases.csv, line 2, column 'follow_up'",
        "follow_up -5 is negative",
    );
}

#[test]
fn event_contradicts_status() {
    let cases = format!(
        "{CASE_HEADER}\nsmith2020,s1,Smith A. J 2020.,2020,50,F,12,months,dead_disease,0\n"
    );
    let p = TestProject::with_tables(&[("cases", &cases)]);
    expect_error(
        &p,
        "event-status",
        "data/cases.csv, line 2, column 'event'",
        "contradicts status 'dead_disease'",
    );
}

#[test]
fn duplicate_figure_rows() {
    let p = figures(&[fig(&[]), fig(&[("quote", "repeated")])]);
    expect_error(
        &p,
        "duplicate-figure",
        "data/figures.csv, line 3, column 'study_id'",
        "data/figures.csv, line 2",
    );
}

#[test]
fn case_without_citation_anywhere() {
    let cases = format!("{CASE_HEADER}\nsmith2020,s1,,2020,50,F,12,months,alive_ned,0\n");
    let p = TestProject::with_tables(&[("cases", &cases)]);
    expect_error(
        &p,
        "no-citation",
        "data/cases.csv, line 2, column 'study_id'",
        "has no citation in any table",
    );
}

#[test]
fn curve_without_citation_anywhere() {
    let curves =
        "study_id,arm,time,time_unit,survival\nghost2021,A,0,months,1\nghost2021,A,6,months,0.8\n";
    let p = TestProject::with_tables(&[("figures", &figures_csv(&[fig(&[])])), ("curves", curves)]);
    expect_error(
        &p,
        "no-citation",
        "data/curves.csv, line 2, column 'study_id'",
        "study 'ghost2021' has no citation",
    );
}

#[test]
fn km_curve_rises_beyond_noise() {
    let curves = "study_id,arm,time,time_unit,survival\nsmith2020,A,0,months,1\nsmith2020,A,6,months,0.7\nsmith2020,A,12,months,0.8\n";
    let p = TestProject::with_tables(&[("figures", &figures_csv(&[fig(&[])])), ("curves", curves)]);
    expect_error(
        &p,
        "curve-rises",
        "data/curves.csv, line 4, column 'survival'",
        "a Kaplan–Meier curve never rises",
    );
}

/// Clicking noise on a digitised curve is one warning per arm with the
/// largest rise, printed as entered: a curve in percent with times in years
/// gives "0.0038 at time 36.48 months", never 36.480000000000004.
#[test]
fn digitising_noise_is_one_line_per_arm_at_entered_precision() {
    let mut curves = String::from("study_id,arm,time,time_unit,survival,survival_scale\n");
    for (arm, t, s) in [
        ("A", "0", "100"),
        ("A", "1", "90"),
        ("A", "1.5", "90.1"),
        ("A", "2", "80"),
        ("A", "2.5", "80.1"),
        ("A", "3", "45.5"),
        ("A", "3.04", "45.88"),
        ("A", "3.5", "40"),
        ("B", "0", "100"),
        ("B", "1", "90"),
        ("B", "1.5", "90.1"),
        ("B", "2", "80"),
    ] {
        curves.push_str(&format!("smith2020,{arm},{t},years,{s},percent\n"));
    }
    let p =
        TestProject::with_tables(&[("figures", &figures_csv(&[fig(&[])])), ("curves", &curves)]);
    let out = p.survlit("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let rises: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning[curve-rises]"))
        .collect();
    assert_eq!(rises.len(), 2, "one line per arm:\n{stderr}");
    assert!(
        stderr.contains("arm 'A' rises 3 times within digitizing noise (0.02); the largest rise is 0.0038 at time 36.48 months"),
        "{stderr}"
    );
    assert!(stderr.contains("arm 'B' rises once"), "{stderr}");
    assert!(!stderr.contains("00000"), "float noise printed:\n{stderr}");
}

#[test]
fn km_curve_leaves_unit_interval() {
    let curves = "study_id,arm,time,time_unit,survival\nsmith2020,A,0,months,100\nsmith2020,A,6,months,0.7\n";
    let p = TestProject::with_tables(&[("figures", &figures_csv(&[fig(&[])])), ("curves", curves)]);
    expect_error(
        &p,
        "survival-range",
        "data/curves.csv, line 2, column 'survival'",
        "set survival_scale to percent",
    );
}

#[test]
fn numbers_at_risk_increase() {
    let at_risk = "study_id,arm,time,time_unit,n_risk\nsmith2020,A,0,months,9\nsmith2020,A,12,months,6\nsmith2020,A,24,months,7\n";
    let curves =
        "study_id,arm,time,time_unit,survival\nsmith2020,A,0,months,1\nsmith2020,A,24,months,0.5\n";
    let p = TestProject::with_tables(&[
        ("figures", &figures_csv(&[fig(&[])])),
        ("curves", curves),
        ("at_risk", at_risk),
    ]);
    expect_error(
        &p,
        "at-risk-increases",
        "data/at_risk.csv, line 4, column 'n_risk'",
        "rises from 6 (line 3) to 7",
    );
}

#[test]
fn two_studies_share_a_doi() {
    let p = figures(&[fig(&[]), fig(&[("study_id", "smith2020b"), ("pmid", "")])]);
    expect_error(
        &p,
        "shared-id",
        "data/figures.csv, line 3, column 'doi'",
        "studies 'smith2020' and 'smith2020b' share doi '10.1000/smith.2020'",
    );
}

#[test]
fn two_studies_share_a_pmid() {
    let p = figures(&[fig(&[]), fig(&[("study_id", "jones2021"), ("doi", "")])]);
    expect_error(
        &p,
        "shared-id",
        "data/figures.csv, line 3, column 'pmid'",
        "share pmid '11111111'",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let p = figures(&[
        fig(&[("statistic", "medain")]),
        fig(&[("group", "b"), ("n", "0")]),
        fig(&[("group", "c"), ("value", "x")]),
    ]);
    let out = p.survlit("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "line 2, column 'statistic'",
        "line 3, column 'n'",
        "line 4, column 'value'",
        "3 errors",
    ] {
        assert!(stderr.contains(needle), "missing {needle} in:\n{stderr}");
    }
}

#[test]
fn warnings_do_not_stop_a_run() {
    // No CI level: 95% is assumed with a warning, and the run succeeds.
    let p = figures(&[fig(&[
        ("value", "59.6"),
        ("ci_lower", "33.3"),
        ("ci_upper", "66.0"),
    ])]);
    let out = p.survlit("run").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(index.contains("ci-level-assumed"), "{index}");
}

#[test]
fn shared_doi_is_found_whatever_its_case_or_prefix() {
    let p = figures(&[
        fig(&[]),
        fig(&[
            ("study_id", "smith2020b"),
            ("pmid", ""),
            ("doi", "https://doi.org/10.1000/SMITH.2020"),
        ]),
    ]);
    expect_error(
        &p,
        "shared-id",
        "data/figures.csv, line 3, column 'doi'",
        "share doi",
    );
}

#[test]
fn unquoted_comma_shifts_columns() {
    let csv = figures_csv(&[fig(&[])])
        + &fig(&[("group", "b")]).replacen(
            "Smith A. Survival after spine surgery. J Spine 2020;1:1-2.",
            "Smith A, Jones B. J Spine 2020",
            1,
        )
        + "\n";
    let p = TestProject::with_tables(&[("figures", &csv)]);
    expect_error(
        &p,
        "row-width",
        "data/figures.csv, line 3",
        "fields but the header has",
    );
}
