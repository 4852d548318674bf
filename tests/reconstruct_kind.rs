//! The `reconstruct` analysis kind on a project with a digitised curve:
//! patients with provenance, the tier, a QA verdict against the reported
//! median, and an overlay figure; a curve that disagrees is flagged "warn".

mod common;

use common::{fig, figures_csv, TestProject};

/// An exponential curve (hazard 0.05/month, no censoring) digitised at its
/// steps for n = 100, with numbers at risk every 12 months; median ≈ 13.9.
fn curve(n: usize) -> (String, String) {
    let mut curves = String::from("study_id,arm,time,time_unit,survival,source_location\n");
    let mut risk = String::from("study_id,arm,time,time_unit,n_risk\n");
    let times: Vec<f64> = (1..=n)
        .map(|i| -(1.0 - (i as f64 - 0.5) / n as f64).ln() / 0.05)
        .map(|t: f64| (t * 100.0).round() / 100.0)
        .collect();
    curves.push_str("smith2020,Surgery,0,months,1,Figure 2\n");
    for (i, t) in times.iter().enumerate().filter(|(_, t)| **t <= 48.0) {
        curves.push_str(&format!(
            "smith2020,Surgery,{t},months,{},Figure 2\n",
            1.0 - (i + 1) as f64 / n as f64
        ));
    }
    for m in [0.0, 12.0, 24.0, 36.0, 48.0] {
        let at = times.iter().filter(|t| **t >= m).count();
        risk.push_str(&format!("smith2020,Surgery,{m},months,{at}\n"));
    }
    (curves, risk)
}

fn project(reported_median: &str) -> TestProject {
    let (curves, risk) = curve(100);
    // S(24) = exp(-0.05 * 24) = 0.30 for this curve.
    let figures = figures_csv(&[
        fig(&[
            ("group", "Surgery"),
            ("value", reported_median),
            ("n", "100"),
        ]),
        fig(&[
            ("group", "Surgery"),
            ("statistic", "proportion_at_t"),
            ("value", "30"),
            ("unit", "percent"),
            ("time_point", "24"),
            ("time_point_unit", "months"),
            ("n", "100"),
            ("quote", "2-year survival 30%"),
        ]),
    ]);
    let toml = "title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncurves = \"data/curves.csv\"\nat_risk = \"data/at_risk.csv\"\n\n[[analysis]]\nname = \"rec\"\nkind = \"reconstruct\"\n";
    TestProject::new(&[
        ("survlit.toml", toml),
        ("data/figures.csv", &figures),
        ("data/curves.csv", &curves),
        ("data/at_risk.csv", &risk),
    ])
}

#[test]
fn reconstructs_with_provenance_and_passes_qa_against_the_reported_median() {
    let p = project("13.9");
    p.survlit("run").assert().success();
    common::assert_dictionary_complete(&p.path("reports"));
    let ipd = std::fs::read_to_string(p.path("reports/rec/ipd.csv")).unwrap();
    let mut lines = ipd.lines();
    assert!(lines.next().unwrap().starts_with("study_id,study_label,citation,doi,pmid,arm,time_months,event,source,method,source_location"));
    assert_eq!(lines.count(), 100, "one row per patient");
    assert!(ipd.contains("reconstructed,Guyot 2012; points + numbers at risk,Figure 2"));
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(report.contains("| pass |"), "{report}");
    assert!(report.contains("S(24) 0.3 vs 0.3"), "{report}");
    assert!(p.path("reports/rec/qa_1.png").exists());
}

#[test]
fn a_median_that_disagrees_is_flagged() {
    let p = project("30");
    p.survlit("run").assert().success();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(report.contains("warn: median"), "{report}");
}

const CASES: &str = "study_id,case_id,citation,year,age,sex,follow_up,follow_up_unit,follow_up_origin,status,event,source_location,quote\n\
jones2019,jones2019_1,\"Jones B. A case. Spine 2019;2:3-4.\",2019,50,F,30,months,surgery,dead_disease,1,Case report,died at 30 months\n\
jones2019,jones2019_2,\"Jones B. A case. Spine 2019;2:3-4.\",2019,61,F,8,months,surgery,alive_ned,0,Case report,alive at 8 months\n\
jones2019,jones2019_3,\"Jones B. A case. Spine 2019;2:3-4.\",2019,47,F,20,months,surgery,dead_disease,1,Case report,died at 20 months\n";

#[test]
fn pooled_km_over_reconstructed_and_case_report_patients_flags_each_source() {
    let (curves, risk) = curve(100);
    let figures = figures_csv(&[fig(&[
        ("group", "Surgery"),
        ("value", "13.9"),
        ("n", "100"),
    ])]);
    let toml = "title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncases = \"data/cases.csv\"\ncurves = \"data/curves.csv\"\nat_risk = \"data/at_risk.csv\"\n\n[[analysis]]\nname = \"pooled\"\nkind = \"km\"\noptions = { sources = [\"cases\", \"reconstructed\"], group = \"source\" }\n";
    let p = TestProject::new(&[
        ("survlit.toml", toml),
        ("data/figures.csv", &figures),
        ("data/cases.csv", CASES),
        ("data/curves.csv", &curves),
        ("data/at_risk.csv", &risk),
    ]);
    p.survlit("run").assert().success();
    let pooled = std::fs::read_to_string(p.path("reports/pooled/pooled_patients.csv")).unwrap();
    assert_eq!(
        pooled
            .lines()
            .filter(|l| l.contains(",case report,"))
            .count(),
        3
    );
    assert_eq!(
        pooled
            .lines()
            .filter(|l| l.contains(",reconstructed,"))
            .count(),
        100
    );
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    // Each study holds one source only: nothing to compare within studies,
    // and the report says so rather than printing a meaningless test.
    assert!(
        report
            .contains("Groups not compared: no study contributes patients to more than one group"),
        "{report}"
    );
    assert!(
        report.contains("reconstructed from 1 published curve(s)"),
        "{report}"
    );
}
