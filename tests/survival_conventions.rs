//! Survival input conventions and figures of the table commands (#15 items
//! 8, 13, 14): `--event-code K` reads K as the event and anything else as
//! censored, checked on R's pbc data (status 0/1/2, 2 = death, 1 =
//! transplant censored) against `Surv(time, status == 2)` in R survival
//! (tests/reference/scripts/survival_pbc.R); `--reference` picks a factor's
//! reference level as R's relevel does; `--plot FILE` writes the figure in
//! the format its extension names.

use crate::common::{self, check, csv_table, run_json, ROOT};
use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

fn pbc() -> String {
    format!("{ROOT}/tests/fixtures/pbc.csv")
}

/// The R value of `analysis/term/quantity` in tests/reference/survival/pbc.csv.
fn r(analysis: &str, term: &str, quantity: &str) -> String {
    let (_, rows) = csv_table(&std::path::Path::new(ROOT).join("tests/reference/survival/pbc.csv"));
    rows.iter()
        .find(|row| &row[0] == analysis && &row[1] == term && &row[2] == quantity)
        .unwrap_or_else(|| panic!("no reference {analysis}/{term}/{quantity}"))[3]
        .to_string()
}

fn coded(args: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = vec![
        pbc(),
        "--event".into(),
        "status".into(),
        "--event-code".into(),
        "2".into(),
    ];
    a.extend(args.iter().map(|s| s.to_string()));
    a
}

fn json(cmd: &str, args: &[&str]) -> Value {
    let a = coded(args);
    run_json(cmd, &a.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Transplant (status 1) is censored, not an error and not an event: the
/// old rule read `--event-code 2` as R's 1/2 coding and refused status 0.
#[test]
fn pbc_with_event_code_2_matches_r_surv_status_eq_2() {
    let mut failures = Vec::new();
    let km = json("km", &[]);
    let g = &km["groups"][0];
    for (key, q) in [
        ("n", "n"),
        ("events", "events"),
        ("median", "median"),
        ("median_ci_lb", "median_ci_lb"),
        ("median_ci_ub", "median_ci_ub"),
    ] {
        check(
            &mut failures,
            &format!("km {key}"),
            g[key].as_f64().unwrap(),
            &r("km", "all", q),
            1e-12,
        );
    }
    let by = json("km", &["--group", "trt"]);
    for (i, g) in by["groups"].as_array().unwrap().iter().enumerate() {
        let term = format!("trt{}", i + 1);
        for q in ["n", "events", "median"] {
            check(
                &mut failures,
                &format!("km {term} {q}"),
                g[q].as_f64().unwrap(),
                &r("km", &term, q),
                1e-12,
            );
        }
    }
    let lr = json("logrank", &["--group", "trt"]);
    check(
        &mut failures,
        "logrank chisq",
        lr["chisq"].as_f64().unwrap(),
        &r("logrank", "trt", "chisq"),
        1e-9,
    );
    for (analysis, extra) in [("cox", None), ("cox_ref_m", Some("m"))] {
        let mut args = vec!["--covariates", "trt,age,sex"];
        if let Some(level) = extra {
            args.extend(["--reference", level]);
        }
        let cx = json("cox", &args);
        let coefs = cx["coefficients"].as_array().unwrap();
        assert_eq!(coefs.len(), 3, "{cx}");
        for c in coefs {
            let term = c["term"].as_str().unwrap();
            for q in ["coef", "se"] {
                check(
                    &mut failures,
                    &format!("{analysis} {term} {q}"),
                    c[q].as_f64().unwrap(),
                    &r(analysis, term, q),
                    1e-6,
                );
            }
        }
        check(
            &mut failures,
            &format!("{analysis} n"),
            cx["n"].as_f64().unwrap(),
            &r("cox", "model", "n"),
            0.0,
        );
        check(
            &mut failures,
            &format!("{analysis} events"),
            cx["events"].as_f64().unwrap(),
            &r("cox", "model", "events"),
            0.0,
        );
        check(
            &mut failures,
            &format!("{analysis} loglik"),
            cx["loglik"].as_f64().unwrap(),
            &r("cox", "model", "loglik"),
            1e-9,
        );
        let reference = &cx["reference"][0];
        assert_eq!(reference["covariate"], "sex");
        assert_eq!(reference["level"], extra.unwrap_or("f"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without a code the rule stays 1 = event, 0 = censored, and pbc's 2 is
/// an error that points to --event-code.
#[test]
fn without_an_event_code_a_status_of_2_is_refused_with_the_flag_to_use() {
    Command::cargo_bin("survlit")
        .unwrap()
        .args(["km", &pbc(), "--event", "status"])
        .assert()
        .code(1)
        .stderr(contains("value '2'"))
        .stderr(contains("--event-code"));
}

#[test]
fn an_unknown_reference_level_names_the_levels() {
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("cox")
        .args(coded(&["--covariates", "sex", "--reference", "x"]))
        .assert()
        .code(1)
        .stderr(contains(
            "no covariate has the level 'x' (levels of sex: f, m)",
        ));
}

/// The text output says which level is the reference and why.
#[test]
fn the_cox_text_names_each_factor_reference_and_why() {
    let out = Command::cargo_bin("survlit")
        .unwrap()
        .arg("cox")
        .args(coded(&["--covariates", "sex"]))
        .output()
        .unwrap();
    let text = String::from_utf8(common::ok_stdout(out)).unwrap();
    assert!(
        text.contains("Reference level of sex: f (first level in sorted order (R's factor default); choose another with --reference)"),
        "{text}"
    );
}

fn plot(cmd: &str, args: &[String], file: &std::path::Path) -> std::process::Output {
    Command::cargo_bin("survlit")
        .unwrap()
        .arg(cmd)
        .args(args)
        .arg("--plot")
        .arg(file)
        .output()
        .unwrap()
}

/// `--plot` writes SVG, PNG or PDF after the extension; the KM axis follows
/// the time flags and its title names the unit.
#[test]
fn km_cox_and_reconstruct_write_their_figure_in_the_extensions_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = coded(&[
        "--group",
        "trt",
        "--time-unit",
        "days",
        "--time-breaks",
        "0,1000,2000,3000",
        "--time-max",
        "3500",
    ]);
    let svg = dir.path().join("km.svg");
    assert!(plot("km", &args, &svg).status.success());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..80]);
    assert!(text.contains("Time (days)"), "axis title from the unit");
    let ticks: Vec<&str> = ["1000", "2000", "3000"]
        .into_iter()
        .filter(|t| text.contains(&format!(">\n{t}\n</text>")))
        .collect();
    assert_eq!(ticks.len(), 3, "the breaks asked for");
    assert!(
        !text.contains(">\n4000\n</text>"),
        "no tick beyond --time-max"
    );
    args.truncate(5);
    for (name, magic) in [("km.png", &b"\x89PNG"[..]), ("km.pdf", &b"%PDF"[..])] {
        let path = dir.path().join(name);
        let out = plot("km", &args, &path);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::read(&path).unwrap().starts_with(magic), "{name}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("wrote figure"));
    }
    let cox = dir.path().join("cox.svg");
    let out = plot("cox", &coded(&["--covariates", "trt,sex"]), &cox);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&cox).unwrap();
    assert!(
        text.contains("sex: m vs f") && text.contains("Hazard ratio (log scale)"),
        "{text}"
    );
    let bad = plot("km", &coded(&[]), &dir.path().join("km.jpg"));
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("name a .svg, .png or .pdf file"));
    assert!(!dir.path().join("km.jpg").exists());
}

/// `survlit reconstruct` with two arms: Cox HRs against the first arm in
/// the data unless --reference names another; `--plot` draws both arms
/// over their digitised points.
#[test]
fn reconstruct_reports_hazard_ratios_against_the_reference_arm_and_plots() {
    let curve = "arm,time,surv\nObs,0,1\nObs,3,0.8\nObs,6,0.55\nObs,9,0.4\nLev,0,1\nLev,4,0.9\nLev,8,0.7\nLev,12,0.6\n";
    let risk = "arm,time,n_risk\nObs,0,40\nObs,5,28\nLev,0,40\nLev,5,35\n";
    let p = common::TestProject::new(&[("curve.csv", curve), ("risk.csv", risk)]);
    let base = vec![
        "--curve".to_string(),
        p.path("curve.csv").display().to_string(),
        "--at-risk".into(),
        p.path("risk.csv").display().to_string(),
    ];
    let j = |extra: &[&str]| {
        let mut a: Vec<&str> = base.iter().map(String::as_str).collect();
        a.extend(extra);
        run_json("reconstruct", &a)
    };
    let default = j(&[]);
    assert_eq!(
        default["reference"]["arm"], "Obs",
        "the first arm in the data, not alphabetical"
    );
    assert_eq!(default["hazard_ratios"][0]["arm"], "Lev");
    let hr = default["hazard_ratios"][0]["hr"].as_f64().unwrap();
    assert!(hr < 1.0, "Lev lives longer: {hr}");
    let chosen = j(&["--reference", "Lev"]);
    assert_eq!(chosen["reference"]["chosen_by"], "--reference");
    let back = chosen["hazard_ratios"][0]["hr"].as_f64().unwrap();
    assert!((back * hr - 1.0).abs() < 1e-6, "{back} is 1/{hr}");
    let png = p.path("rec.png");
    let out = plot("reconstruct", &base, &png);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

/// pbc's rows as case reports (follow-up in days, event column 0/1/2) for
/// the `km` kind with `options`.
fn pbc_cases_project(options: &str) -> common::TestProject {
    let (_, rows) = csv_table(std::path::Path::new(&pbc()));
    let mut cases = format!("{}\n", common::CASE_HEADER);
    for r in &rows {
        // id,time,status,trt,age,sex,bili
        cases.push_str(&format!(
            "pbc,pbc_{},\"Dickson ER. Primary biliary cirrhosis. Hepatology 1989;10:1-7.\",1989,{},{},{},days,unknown,{}\n",
            &r[0], &r[4], &r[5], &r[1], &r[2]
        ));
    }
    let toml = format!("title = \"t\"\n\n[data]\ncases = \"data/cases.csv\"\n\n[[analysis]]\nname = \"km\"\nkind = \"km\"\noptions = {{ {options} }}\n");
    common::TestProject::new(&[("survlit.toml", &toml), ("data/cases.csv", &cases)])
}

/// The `km` kind's `event_code = 2` reads pbc's transplants as censored:
/// n, events and the median (days → months) are R's.
#[test]
fn the_km_kind_reads_an_event_code_as_r_does() {
    let p = pbc_cases_project("event_code = 2, times = [12]");
    let out = p.survlit("run").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    let median_months: f64 = r("km", "all", "median").parse::<f64>().unwrap() / (365.25 / 12.0);
    let row = format!(
        "| All cases | {} | {} | {:.1} (",
        r("km", "all", "n"),
        r("km", "all", "events"),
        median_months
    );
    assert!(md.contains(&row), "{row} not in\n{md}");
    // Without the option the 2s are not events: their status decides, and
    // the report says so.
    let p = pbc_cases_project("times = [12]");
    p.survlit("run").assert().success();
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        md.contains("161 cases with an event code other than 0 or 1 (2)"),
        "{md}"
    );
}
