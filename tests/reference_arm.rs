//! The reconstruction and KM reports of a three-arm randomised trial (as
//! R's colon data: Obs, Lev, Lev+5FU) rebuilt from its digitised curves
//! (#15 items 8 and 10): hazard ratios against the first arm in the data or
//! the one `reference` names, a reported HR checked when its group names two
//! arms and otherwise skipped with the reason, no case-series caveat on a
//! trial, the study among the km kind's sources, and the time axis the
//! options ask for.

use crate::common::{fig, figures_csv, TestProject};

/// Digitised steps and numbers at risk of an exponential arm (no censoring).
fn arm_rows(arm: &str, hazard: f64, n: usize) -> (String, String) {
    let times: Vec<f64> = (1..=n)
        .map(|i| -(1.0 - (i as f64 - 0.5) / n as f64).ln() / hazard)
        .map(|t: f64| (t * 100.0).round() / 100.0)
        .collect();
    let mut curves = format!("colon,{arm},0,months,1,Figure 1\n");
    for (i, t) in times.iter().enumerate().filter(|(_, t)| **t <= 60.0) {
        curves.push_str(&format!(
            "colon,{arm},{t},months,{},Figure 1\n",
            1.0 - (i + 1) as f64 / n as f64
        ));
    }
    let mut risk = String::new();
    for m in [0.0, 12.0, 24.0, 36.0, 48.0, 60.0] {
        let at = times.iter().filter(|t| **t >= m).count();
        risk.push_str(&format!("colon,{arm},{m},months,{at}\n"));
    }
    (curves, risk)
}

/// Obs (hazard 0.04/month), Lev (0.035) and Lev+5FU (0.025), listed in that
/// order; the paper reports the HR of Lev+5FU vs Obs and one whose group
/// names no arm.
fn trial(analysis: &str) -> TestProject {
    let mut curves = String::from("study_id,arm,time,time_unit,survival,source_location\n");
    let mut risk = String::from("study_id,arm,time,time_unit,n_risk\n");
    for (arm, h) in [("Obs", 0.04), ("Lev", 0.035), ("Lev+5FU", 0.025)] {
        let (c, r) = arm_rows(arm, h, 100);
        curves.push_str(&c);
        risk.push_str(&r);
    }
    let hr = |group: &str| {
        fig(&[
            ("study_id", "colon"),
            ("group", group),
            ("statistic", "hazard_ratio"),
            ("value", "0.62"),
            ("unit", "ratio"),
            ("ci_lower", "0.45"),
            ("ci_upper", "0.85"),
            ("ci_level", "0.95"),
            ("n", "300"),
            ("quote", "HR for death"),
        ])
    };
    let figures = figures_csv(&[hr("Lev+5FU vs Obs"), hr("treatment effect")]);
    let toml = format!("title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncurves = \"data/curves.csv\"\nat_risk = \"data/at_risk.csv\"\n\n{analysis}");
    TestProject::new(&[
        ("survlit.toml", &toml),
        ("data/figures.csv", &figures),
        ("data/curves.csv", &curves),
        ("data/at_risk.csv", &risk),
    ])
}

fn report(p: &TestProject) -> String {
    let out = p.survlit("run").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(p.path("reports/index.md")).unwrap()
}

#[test]
fn reconstruct_reports_hrs_against_the_first_arm_in_the_data_and_why_a_check_is_skipped() {
    let p = trial("[[analysis]]\nname = \"rec\"\nkind = \"reconstruct\"\n");
    let md = report(&p);
    // Obs is listed first; alphabetically Lev would be.
    assert!(md.contains("| Lev vs Obs |"), "{md}");
    assert!(md.contains("| Lev+5FU vs Obs |"), "{md}");
    assert!(
        md.contains(
            "reference arm Obs, the first arm in the data; set options.reference to choose another"
        ),
        "{md}"
    );
    // "Lev+5FU vs Obs" names two of the three arms ("Lev" is not found
    // inside "Lev+5FU"): checked in that order.
    assert!(md.contains("Lev+5FU vs Obs: 0.6"), "{md}");
    // A group naming no arm cannot say which two of three it compares.
    assert!(
        md.contains("the reported HR 'treatment effect' was not checked: the study has 3 reconstructed arms (Obs, Lev, Lev+5FU)"),
        "{md}"
    );
    // The QA figures: one per arm in the order of the data.
    let ipd = std::fs::read_to_string(p.path("reports/rec/ipd.csv")).unwrap();
    assert!(ipd.lines().nth(1).unwrap().contains(",Obs,"), "{ipd}");
}

#[test]
fn the_reference_option_recodes_the_hazard_ratios() {
    let p = trial("[[analysis]]\nname = \"rec\"\nkind = \"reconstruct\"\noptions = { reference = \"Lev+5FU\" }\n");
    let md = report(&p);
    assert!(
        md.contains("| Obs vs Lev+5FU |") && md.contains("| Lev vs Lev+5FU |"),
        "{md}"
    );
    assert!(
        md.contains("reference arm Lev+5FU, as options.reference sets"),
        "{md}"
    );
}

#[test]
fn km_of_a_reconstructed_trial_has_no_case_series_caveat_and_lists_the_study() {
    let p = trial("[[analysis]]\nname = \"km\"\nkind = \"km\"\noptions = { sources = [\"reconstructed\"], group = \"arm\" }\n");
    let md = report(&p);
    assert!(
        md.contains("Kaplan–Meier analysis of reconstructed patients"),
        "{md}"
    );
    assert!(!md.contains("case series"), "{md}");
    assert!(!md.contains("case report"), "{md}");
    assert!(
        md.contains("300 patients were reconstructed from 3 published curves"),
        "{md}"
    );
    assert!(
        md.contains("HR for Lev vs Obs") && md.contains("HR for Lev+5FU vs Obs"),
        "{md}"
    );
    assert!(
        md.contains("Reference group: Obs, the first group in the data (R's coxph would take Lev, the first in alphabetical order)"),
        "{md}"
    );
    // The study's source is listed although no case report names it.
    let sources = &md[md.rfind("## Sources").unwrap_or_else(|| panic!("{md}"))..];
    assert!(sources.contains("colon"), "{sources}");
    // The curves in the order of the data, as the reference: Obs first.
    let table = &md[md.find("| Group |").unwrap()..];
    let obs = table.find("| Obs |").unwrap();
    assert!(
        obs < table.find("| Lev |").unwrap() && obs < table.find("| Lev+5FU |").unwrap(),
        "{table}"
    );
    let svg = std::fs::read_to_string(p.path("reports/km/km.svg")).unwrap();
    assert!(svg.contains("Time (months)"), "axis title from the data");
    assert!(
        svg.contains("pooled_patients.csv"),
        "the footnote names the list of patients"
    );
}

#[test]
fn km_options_set_the_reference_and_the_time_axis() {
    let p = trial("[[analysis]]\nname = \"km\"\nkind = \"km\"\noptions = { sources = [\"reconstructed\"], group = \"arm\", reference = \"Lev\", time_breaks = [0, 1, 2, 3], time_max = 3.5, time_unit = \"years\", time_label = \"Years since randomisation\" }\n");
    let md = report(&p);
    assert!(
        md.contains("HR for Obs vs Lev")
            && md.contains("Reference group: Lev, as options.reference sets"),
        "{md}"
    );
    let svg = std::fs::read_to_string(p.path("reports/km/km.svg")).unwrap();
    assert!(svg.contains("Years since randomisation"), "{svg}");
    for t in ["1", "2", "3"] {
        assert!(svg.contains(&format!(">\n{t}\n</text>")), "tick {t}");
    }
    assert!(
        !svg.contains(">\n12\n</text>") && !svg.contains(">\n4\n</text>"),
        "ticks in years, none past 3.5"
    );
}

#[test]
fn a_time_axis_option_out_of_order_is_an_error_naming_it() {
    let p = trial("[[analysis]]\nname = \"km\"\nkind = \"km\"\noptions = { sources = [\"reconstructed\"], time_breaks = [0, 24, 12] }\n");
    let out = p.survlit("run").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("time_breaks [0.0, 24.0, 12.0] must be increasing"),
        "{err}"
    );
}

#[test]
fn cox_of_the_reconstructed_arms_says_which_group_is_the_reference_and_why() {
    let p = trial("[[analysis]]\nname = \"cox\"\nkind = \"cox\"\noptions = { sources = [\"reconstructed\"], group = \"arm\" }\n");
    let md = report(&p);
    assert!(
        md.contains("Hazard ratios against Obs, the first group in the data (R's coxph would take Lev, the first in alphabetical order)"),
        "{md}"
    );
    assert!(
        md.contains("| armLev+5FU |") || md.contains("| armLev\\+5FU |"),
        "{md}"
    );
    let cox = std::fs::read_to_string(p.path("reports/cox/cox.csv")).unwrap();
    assert!(!cox.contains("armObs"), "Obs is the reference: {cox}");
    assert!(md.contains("[pooled_patients.csv]"), "{md}");
}
