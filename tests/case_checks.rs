//! A case series that reports aggregates and tabulates its patients is
//! checked against itself: mean age, deaths and the KM median recomputed from
//! its case rows, compared at the precision the source printed.

use crate::common::{fig, figures_csv, TestProject, CASE_HEADER};

const CITATION: &str = "\"Smith A. Survival after spine surgery. J Spine 2020;1:1-2.\"";

fn project(median: &str, n_for_median: &str) -> TestProject {
    let cases = format!(
        "{CASE_HEADER}\n\
         smith2020,s1,{CITATION},2020,50,F,30,months,dead_disease,1\n\
         smith2020,s2,{CITATION},2020,61,F,8,months,alive_ned,0\n\
         smith2020,s3,{CITATION},2020,47,F,20,months,dead_disease,1\n"
    );
    let figures = figures_csv(&[
        fig(&[
            ("outcome", "age"),
            ("statistic", "mean"),
            ("value", "52.7"),
            ("unit", "years"),
            ("range_min", "47"),
            ("range_max", "61"),
            ("n", "3"),
            ("quote", "mean age 52.7 years"),
        ]),
        fig(&[
            ("statistic", "count"),
            ("value", "2"),
            ("unit", "count"),
            ("events", "2"),
            ("n", "3"),
            ("quote", "two patients died"),
        ]),
        fig(&[("value", median), ("n", n_for_median)]),
    ]);
    let toml = "title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncases = \"data/cases.csv\"\n\n[[analysis]]\nname = \"cases\"\nkind = \"case-table\"\n";
    TestProject::new(&[
        ("survlit.toml", toml),
        ("data/figures.csv", &figures),
        ("data/cases.csv", &cases),
    ])
}

fn row<'a>(report: &'a str, what: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.contains(&format!("| {what}")))
        .unwrap_or_else(|| panic!("no '{what}' row in\n{report}"))
}

#[test]
fn aggregates_that_the_case_rows_reproduce_agree_and_a_wrong_median_is_flagged() {
    // KM of 30 (death), 8 (censored), 20 (death): S = 0.5 from 20 to 30, so
    // the median is 25 by R's midpoint rule, not the 30 "reported"
    // (R 4.2.2: survfit(Surv(c(30, 8, 20), c(1, 0, 1)) ~ 1) prints median 25;
    // mean(c(50, 61, 47)) = 52.66667).
    let p = project("30", "3");
    let out = p.survlit("run").assert().success().get_output().clone();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        report.contains(
            "Cross-checks: what each study reports in aggregate against its own case rows"
        ),
        "{report}"
    );
    let age = row(&report, "mean age");
    assert!(
        age.contains("| 52.67 |") && age.ends_with("| agrees |"),
        "{age}"
    );
    let deaths = row(&report, "deaths");
    assert!(
        deaths.contains("2 deaths in 3 case rows") && deaths.ends_with("| agrees |"),
        "{deaths}"
    );
    let median = row(&report, "median overall survival (Kaplan–Meier)");
    assert!(
        median.contains("disagrees: the case rows give 25, the source 30"),
        "{median}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 analysis warning\n"));
}

#[test]
fn a_median_over_more_patients_than_the_case_table_holds_is_not_checkable() {
    let p = project("25", "12");
    p.survlit("run").assert().success();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    let median = row(&report, "median overall survival");
    assert!(
        median.contains("not checkable: the case table holds 3 of the 12 patients"),
        "{median}"
    );
}
