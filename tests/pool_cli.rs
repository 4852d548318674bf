//! `survlit pool` end to end against metafor (tests/reference/scripts/
//! metafor_bcg_mods.R): meta-regression with numeric and categorical
//! moderators under z and Knapp–Hartung, subgroups with the test for subgroup
//! differences; the JSON keys; and bad input naming the study.

use crate::common;

use crate::common::reference;
use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

use crate::common::ROOT;

fn bcg() -> String {
    format!("{ROOT}/tests/fixtures/dat_bcg.csv")
}

fn pool_json(args: &[&str]) -> Value {
    common::run_json("pool", args)
}

fn close(ours: &Value, theirs: &str, what: &str) {
    let (a, b): (f64, f64) = (
        ours.as_f64().unwrap_or_else(|| panic!("{what}: {ours}")),
        theirs.parse().unwrap(),
    );
    assert!(
        (a - b).abs() <= 1e-6 * b.abs().max(1e-9),
        "{what}: survlit {a:e} vs metafor {b:e}"
    );
}

#[test]
fn json_has_metafor_keys() {
    let j = pool_json(&[&bcg(), "--measure", "GEN"]);
    for key in [
        "k",
        "measure",
        "method",
        "test",
        "estimate",
        "se",
        "stat",
        "df",
        "pval",
        "ci_lb",
        "ci_ub",
        "pi_lb",
        "pi_ub",
        "tau2",
        "tau2_se",
        "tau2_ci_lb",
        "tau2_ci_ub",
        "tau",
        "i2",
        "i2_ci_lb",
        "i2_ci_ub",
        "h2",
        "h2_ci_lb",
        "h2_ci_ub",
        "q",
        "q_df",
        "q_pval",
        "studies",
        "warnings",
    ] {
        assert!(j.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(j["k"], 13);
    assert_eq!(j["studies"].as_array().unwrap().len(), 13);
    let w: f64 = j["studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["weight"].as_f64().unwrap())
        .sum();
    assert!((w - 100.0).abs() < 1e-9);
}

#[test]
fn meta_regression_matches_metafor() {
    for (model, mods) in [
        ("ablat", "ablat"),
        ("alloc", "alloc"),
        ("ablat+year", "ablat,year"),
    ] {
        for test in ["z", "knha"] {
            let j = pool_json(&[&bcg(), "--measure", "GEN", "--mods", mods, "--test", test]);
            let rows: Vec<_> = reference("bcg_mods.csv")
                .into_iter()
                .filter(|r| &r[0] == model && &r[1] == test)
                .collect();
            let coefs = j["moderators"]["coefficients"].as_array().unwrap();
            assert_eq!(coefs.len(), rows.len(), "{model} {test}");
            for (c, r) in coefs.iter().zip(&rows) {
                assert_eq!(c["term"], r[2], "{model} {test}");
                for (key, col) in [
                    ("estimate", 3),
                    ("se", 4),
                    ("stat", 5),
                    ("pval", 6),
                    ("ci_lb", 7),
                    ("ci_ub", 8),
                ] {
                    close(&c[key], &r[col], &format!("{model} {test} {} {key}", &r[2]));
                }
            }
            let r = &rows[0];
            for (key, col) in [
                ("tau2", 9),
                ("tau2_se", 10),
                ("q", 11),
                ("q_pval", 12),
                ("i2", 15),
                ("h2", 16),
            ] {
                close(&j[key], &r[col], &format!("{model} {test} {key}"));
            }
            close(
                &j["moderators"]["qm"],
                &r[13],
                &format!("{model} {test} qm"),
            );
            close(
                &j["moderators"]["qm_pval"],
                &r[14],
                &format!("{model} {test} qm_pval"),
            );
        }
    }
}

#[test]
fn subgroups_match_metafor() {
    let j = pool_json(&[&bcg(), "--measure", "GEN", "--by", "alloc"]);
    let groups = j["subgroups"]["groups"].as_array().unwrap();
    let refs = reference("bcg_subgroups.csv");
    assert_eq!(groups.len(), refs.len());
    for (g, r) in groups.iter().zip(&refs) {
        assert_eq!(g["group"], r[0]);
        assert_eq!(g["k"].as_u64().unwrap().to_string(), r[1].to_string());
        for (key, col) in [("estimate", 2), ("se", 3), ("tau2", 4)] {
            close(&g[key], &r[col], &format!("{} {key}", &r[0]));
        }
    }
    close(&j["subgroups"]["q_between"], &refs[0][5], "q_between");
    close(
        &j["subgroups"]["q_between_pval"],
        &refs[0][6],
        "q_between_pval",
    );
}

#[test]
fn subgroups_with_a_common_tau2_match_metafor() {
    let refs = reference("bcg_subgroups_common.csv");
    for test in ["z", "knha"] {
        let j = pool_json(&[
            &bcg(),
            "--measure",
            "GEN",
            "--by",
            "alloc",
            "--subgroup-tau2",
            "common",
            "--test",
            test,
        ]);
        let sg = &j["subgroups"];
        assert_eq!(sg["tau2_model"], "common");
        let rows: Vec<&csv::StringRecord> = refs.iter().filter(|r| &r[0] == test).collect();
        let groups = sg["groups"].as_array().unwrap();
        assert_eq!(groups.len(), rows.len());
        for (g, r) in groups.iter().zip(&rows) {
            assert_eq!(g["group"], r[1]);
            assert!(
                g["i2"].is_null(),
                "no per-subgroup I^2 under a common tau^2"
            );
            for (key, col) in [
                ("estimate", 2),
                ("se", 3),
                ("ci_lb", 4),
                ("ci_ub", 5),
                ("pval", 6),
                ("tau2", 7),
            ] {
                close(&g[key], &r[col], &format!("{test} {} {key}", &r[1]));
            }
        }
        let (stat, df, p) = if test == "z" {
            ("q_between", "q_between_df", "q_between_pval")
        } else {
            assert_eq!(sg["f_between_df2"], 10);
            ("f_between", "f_between_df1", "f_between_pval")
        };
        close(&sg[stat], &rows[0][8], &format!("{test} {stat}"));
        assert_eq!(sg[df].as_u64().unwrap().to_string(), &rows[0][9]);
        close(&sg[p], &rows[0][10], &format!("{test} {p}"));
    }
}

#[test]
fn hazard_ratios_pool_on_the_log_scale_and_back() {
    let p = common::TestProject::new(&[(
        "hr.csv",
        "study,hr,ci_lb,ci_ub\nA,0.70,0.50,0.98\nB,0.85,0.60,1.20\nC,0.60,0.40,0.90\n",
    )]);
    let j = pool_json(&[
        p.path("hr.csv").to_str().unwrap(),
        "--measure",
        "HR",
        "--method",
        "DL",
    ]);
    let est = j["estimate"].as_f64().unwrap();
    assert!((j["transformed"]["estimate"].as_f64().unwrap() - est.exp()).abs() < 1e-12);
    assert!(j["studies"][0]["derivation"]
        .as_str()
        .unwrap()
        .contains("ln(0.7)"));
}

#[test]
fn bad_input_names_the_study() {
    let cases = [
        ("study,yi,vi\nA,0.1,0.01\nB,0.2,0\n", "GEN", "study 'B'"),
        ("study,yi,vi\nA,0.1,0.01\nB,NaN,0.02\n", "GEN", "study 'B'"),
        (
            "study,hr,ci_lb,ci_ub\nA,0.7,0.5,0.98\nB,0.7,0.8,0.9\n",
            "HR",
            "HR 0.7 is not inside its CI",
        ),
        ("study,hr,ci_lb,ci_ub\nA,0.7,0,0.98\n", "HR", "must be > 0"),
        (
            "study,events,n\nA,12,10\n",
            "PLO",
            "study 'A': need 0 <= events <= n",
        ),
        ("study,yi,vi\n", "GEN", "no studies (k = 0)"),
        (
            "study,median,ci_lb,ci_ub\nA,,,\n",
            "MED",
            "median not reached",
        ),
    ];
    for (csv, measure, needle) in cases {
        let p = common::TestProject::new(&[("in.csv", csv)]);
        Command::cargo_bin("survlit")
            .unwrap()
            .args([
                "pool",
                p.path("in.csv").to_str().unwrap(),
                "--measure",
                measure,
            ])
            .assert()
            .code(1)
            .stderr(contains(needle));
    }
    Command::cargo_bin("survlit")
        .unwrap()
        .args(["pool", &bcg(), "--measure", "XX"])
        .assert()
        .code(2)
        .stderr(contains("unknown measure"));
}

#[test]
fn leave_one_out_and_cumulative_in_json() {
    let j = pool_json(&[
        &bcg(),
        "--measure",
        "GEN",
        "--leave-one-out",
        "--cumulative",
        "year",
    ]);
    let loo = j["leave_one_out"].as_array().unwrap();
    let cum = j["cumulative"].as_array().unwrap();
    assert_eq!((loo.len(), cum.len()), (13, 13));
    let refs = reference("bcg_sensitivity.csv");
    let first_loo = refs
        .iter()
        .find(|r| &r[0] == "leave1out" && &r[1] == "z")
        .unwrap();
    assert_eq!(loo[0]["omitted"], first_loo[2]);
    close(&loo[0]["estimate"], &first_loo[3], "leave-one-out estimate");
    let last = refs
        .iter()
        .filter(|r| &r[0] == "cumul" && &r[1] == "z")
        .last()
        .unwrap();
    assert_eq!(cum[12]["added"], last[2]);
    close(&cum[12]["tau2"], &last[9], "cumulative tau2");
}

#[test]
fn exclude_derived_drops_back_calculated_effects() {
    let p = common::TestProject::new(&[(
        "hr.csv",
        "study,hr,ci_lb,ci_ub,pval\nA,0.70,0.50,0.98,\nB,0.85,0.60,1.20,\nC,0.60,,,0.01\n",
    )]);
    let file = p.path("hr.csv");
    let all = pool_json(&[file.to_str().unwrap(), "--measure", "HR"]);
    let some = pool_json(&[
        file.to_str().unwrap(),
        "--measure",
        "HR",
        "--exclude-derived",
    ]);
    assert_eq!((all["k"].as_u64(), some["k"].as_u64()), (Some(3), Some(2)));
    assert!(some["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().starts_with("C: derived value left out")));
    assert!(all["studies"][2]["derivation"]
        .as_str()
        .unwrap()
        .contains("from two-sided p = 0.01"));
}

/// `--plots DIR` writes every figure as SVG, PNG and PDF: the forest with
/// subgroups shows metafor's subgroup estimates and Q-between; the funnel
/// is contour-enhanced around the null; one numeric moderator gives the
/// bubble plot; cumulative and leave-one-out forests when those ran.
#[test]
fn plots_are_written_and_show_metafor_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("by_alloc");
    Command::cargo_bin("survlit")
        .unwrap()
        .args([
            "pool",
            &bcg(),
            "--measure",
            "GEN",
            "--by",
            "alloc",
            "--plots",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("forest.{svg,png,pdf}"));
    let forest = std::fs::read_to_string(out.join("forest.svg")).unwrap();
    let rows = reference("bcg_subgroups.csv");
    let q: f64 = rows[0][5].parse().unwrap();
    let qp: f64 = rows[0][6].parse().unwrap();
    assert!(
        forest.contains(&format!(
            "Q(2) = {q:.2}, {}",
            survlit::number::p_value(qp, survlit::number::PStyle::Prose)
        )),
        "Q-between {q:.2} missing"
    );
    for r in &rows {
        let est: f64 = r[2].parse().unwrap();
        assert!(
            forest.contains(&format!("{est:.2} [")),
            "subgroup {} {est:.2} missing",
            &r[0]
        );
        assert!(forest.contains(&format!("Subtotal (k\u{a0}=\u{a0}{})", &r[1])));
    }
    // Nothing to show in Events/Total for this table: the columns are gone.
    assert!(!forest.contains("Events"));
    let funnel = std::fs::read_to_string(out.join("funnel.svg")).unwrap();
    assert!(funnel.contains("p &lt; 0.01") && funnel.contains("0.05 ≤ p &lt; 0.10"));
    for ext in ["svg", "png", "pdf"] {
        assert!(out.join(format!("funnel.{ext}")).exists());
    }
    assert!(!out.join("bubble.svg").exists());

    let out = dir.path().join("ablat");
    Command::cargo_bin("survlit")
        .unwrap()
        .args([
            "pool",
            &bcg(),
            "--measure",
            "GEN",
            "--mods",
            "ablat",
            "--leave-one-out",
            "--cumulative",
            "year",
            "--preset",
            "compact",
            "--dpi",
            "150",
            "--plots",
        ])
        .arg(&out)
        .assert()
        .success();
    for stem in ["forest", "bubble", "leave_one_out", "cumulative", "funnel"] {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(
            survlit::plot::check::layout_problems(&svg).is_empty(),
            "{stem}"
        );
    }
    let bubble = std::fs::read_to_string(out.join("bubble.svg")).unwrap();
    // metafor: QM = 16.36 on 1 df for ablat (REML, z).
    let m = reference("bcg_mods.csv");
    let qm: f64 = m.iter().find(|r| &r[0] == "ablat" && &r[1] == "z").unwrap()[13]
        .parse()
        .unwrap();
    assert!(bubble.contains(&format!("QM(1) = {qm:.2}")), "QM {qm:.2}");
    // The compact preset is one column wide.
    let forest = std::fs::read_to_string(out.join("forest.svg")).unwrap();
    assert!(
        forest.starts_with("<svg width=\"322\""),
        "{}",
        &forest[..60]
    );
}
