//! The `reconstruct` analysis kind on a project with a digitised curve:
//! patients with provenance, the tier, a QA verdict against the reported
//! median, and an overlay figure; a curve that disagrees is flagged "warn".

use crate::common;

use crate::common::{fig, figures_csv, TestProject};

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

pub(crate) fn project(reported_median: &str) -> TestProject {
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
    assert!(lines.next().unwrap().starts_with("study_id,study_label,citation,year,doi,pmid,arm,time_months,event,source,method,source_location,source_url,quote,confidence,notes,data_file,data_line"));
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

/// Case-report patients and a reconstructed arm pooled by the `km` kind.
pub(crate) fn pooled_km_project() -> TestProject {
    let (curves, risk) = curve(100);
    let figures = figures_csv(&[fig(&[
        ("group", "Surgery"),
        ("value", "13.9"),
        ("n", "100"),
    ])]);
    let toml = "title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncases = \"data/cases.csv\"\ncurves = \"data/curves.csv\"\nat_risk = \"data/at_risk.csv\"\n\n[[analysis]]\nname = \"pooled\"\nkind = \"km\"\noptions = { sources = [\"cases\", \"reconstructed\"], group = \"source\" }\n";
    TestProject::new(&[
        ("survlit.toml", toml),
        ("data/figures.csv", &figures),
        ("data/cases.csv", CASES),
        ("data/curves.csv", &curves),
        ("data/at_risk.csv", &risk),
    ])
}

#[test]
fn pooled_km_over_reconstructed_and_case_report_patients_flags_each_source() {
    let p = pooled_km_project();
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
        report.contains("reconstructed from 1 published curve (Guyot 2012)"),
        "{report}"
    );
}

/// Digitised steps and numbers at risk of an exponential arm (no censoring).
fn arm_rows(arm: &str, hazard: f64, n: usize) -> (String, String) {
    let times: Vec<f64> = (1..=n)
        .map(|i| -(1.0 - (i as f64 - 0.5) / n as f64).ln() / hazard)
        .map(|t: f64| (t * 100.0).round() / 100.0)
        .collect();
    let mut curves = format!("smith2020,{arm},0,months,1,Figure 2\n");
    for (i, t) in times.iter().enumerate().filter(|(_, t)| **t <= 48.0) {
        curves.push_str(&format!(
            "smith2020,{arm},{t},months,{},Figure 2\n",
            1.0 - (i + 1) as f64 / n as f64
        ));
    }
    let mut risk = String::new();
    for m in [0.0, 12.0, 24.0, 36.0, 48.0] {
        let at = times.iter().filter(|t| **t >= m).count();
        risk.push_str(&format!("smith2020,{arm},{m},months,{at}\n"));
    }
    (curves, risk)
}

/// Two reconstructed arms (hazards 0.05 and 0.10: true HR 0.5) and an HR the
/// paper reports for them.
fn two_arm_project(group: &str, hr: &str, lo: &str, hi: &str) -> TestProject {
    let (c1, r1) = arm_rows("Surgery", 0.05, 100);
    let (c2, r2) = arm_rows("Observation", 0.10, 100);
    let curves = format!("study_id,arm,time,time_unit,survival,source_location\n{c1}{c2}");
    let risk = format!("study_id,arm,time,time_unit,n_risk\n{r1}{r2}");
    let figures = figures_csv(&[fig(&[
        ("group", group),
        ("statistic", "hazard_ratio"),
        ("value", hr),
        ("unit", "ratio"),
        ("ci_lower", lo),
        ("ci_upper", hi),
        ("ci_level", "0.95"),
        ("n", "200"),
        ("quote", "HR for death"),
    ])]);
    let toml = "title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncurves = \"data/curves.csv\"\nat_risk = \"data/at_risk.csv\"\n\n[[analysis]]\nname = \"rec\"\nkind = \"reconstruct\"\n";
    TestProject::new(&[
        ("survlit.toml", toml),
        ("data/figures.csv", &figures),
        ("data/curves.csv", &curves),
        ("data/at_risk.csv", &risk),
    ])
}

fn hr_section(report: &str) -> &str {
    let start = report
        .find("Cross-checks: hazard ratios")
        .unwrap_or_else(|| panic!("no HR cross-check in\n{report}"));
    &report[start..]
}

#[test]
fn a_reported_hr_is_checked_against_the_reconstructed_arms_in_the_order_the_group_names_them() {
    // "Observation vs Surgery": the reconstruction gives about 2 (1/0.5).
    let p = two_arm_project("Observation vs Surgery", "2.0", "1.5", "2.7");
    p.survlit("run").assert().success();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    let section = hr_section(&report);
    let row = section
        .lines()
        .find(|l| l.contains("Observation vs Surgery: "))
        .unwrap_or_else(|| panic!("{section}"));
    assert!(row.ends_with("| pass |"), "{row}");
    // The reconstructed HR printed in the row is the Cox HR of the arms.
    let rec: f64 = row
        .split("Observation vs Surgery: ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((rec - 2.0).abs() < 0.25, "{row}");
    assert!(report.contains("Cox (Efron ties) hazard ratio"), "{report}");
}

#[test]
fn a_reported_hr_outside_what_the_curves_give_is_a_warning() {
    let p = two_arm_project("Surgery vs Observation", "0.9", "0.7", "1.2");
    let out = p.survlit("run").assert().success().get_output().clone();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    let section = hr_section(&report);
    assert!(section.contains("warn: reconstructed HR 0.5"), "{section}");
    // Listed among the report's warnings and counted on the terminal.
    assert!(
        report.contains("smith2020 (Surgery vs Observation): reconstructed HR 0.5"),
        "{report}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("analysis warning"), "{stdout}");
}
