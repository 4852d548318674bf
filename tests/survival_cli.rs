//! `survlit km`, `logrank` and `cox` end to end on R's lung data (the
//! issue's acceptance numbers), their JSON keys, and bad input.

use crate::common;

use crate::common::{run_json, ROOT};
use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

fn lung() -> String {
    format!("{ROOT}/tests/fixtures/lung.csv")
}

fn round(v: &Value, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (v.as_f64().unwrap() * f).round() / f
}

#[test]
fn lung_median_logrank_and_cox_as_r_prints_them() {
    let km = run_json("km", &[&lung(), "--event", "status", "--event-code", "2"]);
    let g = &km["groups"][0];
    assert_eq!(
        (g["n"].as_u64(), g["events"].as_u64()),
        (Some(228), Some(165))
    );
    assert_eq!(
        (
            g["median"].as_f64(),
            g["median_ci_lb"].as_f64(),
            g["median_ci_ub"].as_f64()
        ),
        (Some(310.0), Some(285.0), Some(363.0))
    );
    let table = g["table"].as_array().unwrap();
    assert_eq!(table.len(), 186);
    for key in [
        "time", "n_risk", "n_event", "n_censor", "surv", "se_surv", "ci_lb", "ci_ub",
    ] {
        assert!(table[0].get(key).is_some(), "table row lacks {key}");
    }

    let lr = run_json(
        "logrank",
        &[
            &lung(),
            "--event",
            "status",
            "--event-code",
            "2",
            "--group",
            "sex",
        ],
    );
    assert_eq!(round(&lr["chisq"], 2), 10.33);
    assert_eq!(lr["df"], 1);
    assert_eq!(lr["groups"].as_array().unwrap().len(), 2);
    for key in ["group", "n", "observed", "expected"] {
        assert!(
            lr["groups"][0].get(key).is_some(),
            "logrank group lacks {key}"
        );
    }

    let cx = run_json(
        "cox",
        &[
            &lung(),
            "--event",
            "status",
            "--event-code",
            "2",
            "--covariates",
            "sex",
        ],
    );
    let c = &cx["coefficients"][0];
    assert_eq!(c["term"], "sex");
    assert_eq!(
        (
            round(&c["hr"], 3),
            round(&c["hr_ci_lb"], 3),
            round(&c["hr_ci_ub"], 3)
        ),
        (0.588, 0.424, 0.816)
    );
    for key in [
        "n",
        "events",
        "loglik",
        "lr_chisq",
        "lr_df",
        "lr_pval",
        "wald_chisq",
        "score_chisq",
        "concordance",
    ] {
        assert!(cx.get(key).is_some(), "cox lacks {key}");
    }
}

#[test]
fn km_reports_not_reached_as_such() {
    let p = common::TestProject::new(&[("p.csv", "time,event\n1,1\n2,0\n3,0\n4,0\n")]);
    let km = run_json("km", &[p.path("p.csv").to_str().unwrap()]);
    let g = &km["groups"][0];
    assert!(g["median"].is_null());
    assert_eq!(g["median_reached"], false);
    let out = Command::cargo_bin("survlit")
        .unwrap()
        .arg("km")
        .arg(p.path("p.csv"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("NR"));
}

#[test]
fn bad_patient_rows_are_named() {
    let cases: [(&str, &[&str], &str); 7] = [
        ("time,event,x,s\n1,1,0,a\n2,0,0,a\n3,1,1,b\n4,1,1,b\n", &["cox", "--covariates", "x", "--strata", "s"], "constant within every stratum"),
        ("time,event,g,s\n1,1,0,a\n2,0,0,a\n3,1,1,b\n4,1,1,b\n", &["logrank", "--group", "g", "--strata", "s"], "never share a risk set"),
        ("time,event\n-1,1\n2,0\n", &["km"], "line 2, column 'time' (value '-1'): a time cannot be negative"),
        ("time,event\n1,3\n2,0\n", &["km"], "line 2, column 'event' (value '3'): the event column must hold 1 (event) or 0 (censored)"),
        ("time,event,g\n1,1,a\n2,0,a\n", &["logrank", "--group", "g"], "need at least two groups"),
        ("time,event,x\n1,0,1\n2,0,2\n", &["cox", "--covariates", "x"], "no events"),
        ("time,event\n1,1\n", &["logrank", "--group", "nosuch"], "no column 'nosuch'"),
    ];
    for (csv, args, want) in cases {
        let p = common::TestProject::new(&[("p.csv", csv)]);
        let mut cmd = Command::cargo_bin("survlit").unwrap();
        cmd.arg(args[0]).arg(p.path("p.csv")).args(&args[1..]);
        cmd.assert().code(1).stderr(contains(want));
    }
}

#[test]
fn one_subject_and_all_censored_do_not_panic() {
    for csv in ["time,event\n5,1\n", "time,event\n5,0\n6,0\n"] {
        let p = common::TestProject::new(&[("p.csv", csv)]);
        let km = run_json(
            "km",
            &[
                p.path("p.csv").to_str().unwrap(),
                "--rmst",
                "10",
                "--times",
                "1,5,20",
            ],
        );
        assert_eq!(km["groups"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn reconstruct_reads_digitiser_exports_and_reports_its_tier() {
    // WebPlotDigitizer's multi-dataset export: names over X,Y.
    let wpd = "Control,,Treatment,\nX,Y,X,Y\n0,1,0,1\n3,0.8,4,0.9\n6,0.55,8,0.7\n9,0.4,12,0.6\n";
    let risk = "arm,time,n_risk\nControl,0,40\nControl,5,28\nTreatment,0,40\nTreatment,5,35\n";
    let p = common::TestProject::new(&[("wpd.csv", wpd), ("risk.csv", risk)]);
    let out = p.path("ipd.csv");
    let j = run_json(
        "reconstruct",
        &[
            "--curve",
            p.path("wpd.csv").to_str().unwrap(),
            "--at-risk",
            p.path("risk.csv").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let arms = j["arms"].as_array().unwrap();
    assert_eq!(arms.len(), 2);
    assert_eq!(arms[0]["arm"], "Control");
    assert_eq!(arms[0]["n"], 40);
    assert_eq!(arms[0]["tier"], "points + numbers at risk");
    assert!(arms[0]["qa"]["max_abs_diff"].as_f64().unwrap() < 0.05);
    let ipd = std::fs::read_to_string(out).unwrap();
    assert!(ipd.starts_with("arm,time,event\n"));
    assert_eq!(ipd.lines().count(), 81);
}

#[test]
fn reconstruct_rejects_bad_numbers_at_risk() {
    for (risk, want) in [
        ("time,n_risk\n0,50\n5,60\n", "numbers at risk cannot rise"),
        ("time,n_risk\n5,50\n", "no number at risk at time 0"),
        ("time,n_risk\n0,50\n5,4.5\n", "whole number"),
    ] {
        let p = common::TestProject::new(&[
            ("c.csv", "time,surv\n0,1\n2,0.8\n4,0.5\n"),
            ("r.csv", risk),
        ]);
        Command::cargo_bin("survlit")
            .unwrap()
            .args(["reconstruct", "--curve"])
            .arg(p.path("c.csv"))
            .arg("--at-risk")
            .arg(p.path("r.csv"))
            .assert()
            .code(1)
            .stderr(contains(want));
    }
}

#[test]
fn cox_zph_in_json_matches_r() {
    let cx = run_json(
        "cox",
        &[
            &lung(),
            "--event",
            "status",
            "--event-code",
            "2",
            "--covariates",
            "age,sex,ph_ecog",
            "--zph",
        ],
    );
    let z = cx["zph"].as_array().unwrap();
    assert_eq!(z.len(), 4);
    assert_eq!(z[3]["term"], "GLOBAL");
    assert_eq!(z[3]["df"], 3);
    // R: cox.zph(coxph(Surv(time, status) ~ age + sex + ph.ecog, lung)) GLOBAL 4.4637.
    assert_eq!(round(&z[3]["chisq"], 4), 4.4637);
}
