//! One number style (issue #15 item 7) and no prediction interval for an
//! equal-effects model (item 5), read from what a reader sees: the pool
//! report section and the figures' text of the dat.bcg fixture project
//! (`tests/fixtures/pool_project`).

use crate::metafor_scripts::{run, seen};

/// The number right after each occurrence of `prefix` ("p = ").
fn after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches('.')
        })
        .filter(|n| !n.is_empty())
        .collect()
}

fn decimals(n: &str) -> usize {
    n.split_once('.').map_or(0, |(_, d)| d.len())
}

/// Every "e [lo, hi]" of the text: (e, lo, hi).
fn triples(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(" [") {
        let before = text[..i].rsplit(' ').next().unwrap_or("");
        let inside = text[i + 2..].split(']').next().unwrap_or("");
        let Some((lo, hi)) = inside.split_once(", ") else {
            continue;
        };
        let number = |s: &str| !s.is_empty() && s.parse::<f64>().is_ok();
        if number(before) && number(lo) && number(hi) {
            out.push((before.into(), lo.into(), hi.into()));
        }
    }
    out
}

#[test]
fn one_number_style_in_the_report_and_its_figures() {
    let dir = run("fixture");
    let reports = dir.path().join("reports");
    for analysis in [
        "bcg-subgroups",
        "bcg-subgroups-common",
        "bcg-fixed",
        "bcg-year",
    ] {
        // The funnel's contour legend and the methods name thresholds,
        // not results.
        let text = seen(&reports, analysis)
            .replace("at p < 0.10, 0.05 and 0.01", "")
            .replace("0.05 ≤ p < 0.10", "")
            .replace("0.01 ≤ p < 0.05", "")
            .replace("p < 0.01 ", "");
        // p-values: three decimals (zeros kept) or "< 0.001".
        let ps = after(&text, "p = ");
        assert!(ps.len() + after(&text, "p < ").len() >= 2, "{analysis}");
        for p in &ps {
            assert_eq!(decimals(p), 3, "{analysis}: p = {p}");
        }
        for p in after(&text, "p < ") {
            assert_eq!(p, "0.001", "{analysis}");
        }
        // I² at one decimal.
        for i2 in after(&text, "I² = ") {
            assert_eq!(decimals(i2), 1, "{analysis}: I² = {i2}");
        }
        // τ² at four significant digits (or exactly 0).
        for t in after(&text, "tau² = ") {
            let digits = t.trim_start_matches(['0', '.']).len();
            assert!(t == "0" || digits == 4, "{analysis}: tau² = {t}");
        }
        // Estimates and CIs: one number of decimals across the analysis.
        let t = triples(&text);
        assert!(t.len() >= 3, "{analysis}: {t:?}");
        let d = decimals(&t[0].0);
        for (e, lo, hi) in &t {
            assert!(
                [e, lo, hi].iter().all(|x| decimals(x) == d),
                "{analysis}: {e} [{lo}, {hi}] vs {d} decimals"
            );
        }
    }
}

#[test]
fn the_figure_and_the_text_print_the_same_p_values() {
    let dir = run("fixture");
    let reports = dir.path().join("reports");
    let index = std::fs::read_to_string(reports.join("index.md"))
        .unwrap()
        .replace("&lt;", "<");
    for analysis in ["bcg-subgroups", "bcg-subgroups-common", "bcg-year"] {
        let section = index
            .split("\n## ")
            .find(|s| s.contains(&format!("({analysis}/pooled.csv)")))
            .unwrap();
        let svg = seen(&reports, analysis);
        // The heterogeneity line up to its p-value, and the subgroup test.
        let het = section.split("Heterogeneity: ").nth(1).unwrap();
        let het = &het[..het.find(". ").unwrap()];
        assert!(
            svg.contains(&format!("Heterogeneity: {het}")),
            "{analysis}: {het}"
        );
        if let Some(sg) = section.split("Test for subgroup differences: ").nth(1) {
            let sg = &sg[..sg.find(".\n").unwrap()];
            assert!(
                svg.contains(&format!("Test for subgroup differences: {sg}")),
                "{analysis}: {sg}"
            );
        }
    }
}

#[test]
fn an_equal_effects_model_has_no_prediction_interval_anywhere() {
    let dir = run("fixture");
    let reports = dir.path().join("reports");
    let fe = seen(&reports, "bcg-fixed");
    assert!(!fe.to_lowercase().contains("prediction interval"), "{fe}");
    let re = seen(&reports, "bcg-subgroups");
    assert!(re.contains("Prediction interval"));
    let (h, rows) = crate::common::csv_table(&reports.join("bcg-fixed/pooled.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    assert_eq!(&rows[0][col("pi_lb")], "");
    assert_eq!(&rows[0][col("pi_ub_natural")], "");
    // The table command's JSON: the keys are there, null.
    let j = crate::common::run_json(
        "pool",
        &[
            &format!("{}/tests/fixtures/dat_bcg.csv", crate::common::ROOT),
            "--measure",
            "GEN",
            "--method",
            "FE",
        ],
    );
    assert!(
        j["pi_lb"].is_null() && j["pi_ub"].is_null(),
        "{}",
        j["pi_lb"]
    );
    let j = crate::common::run_json(
        "pool",
        &[
            &format!("{}/tests/fixtures/dat_bcg.csv", crate::common::ROOT),
            "--measure",
            "GEN",
        ],
    );
    assert!(j["pi_lb"].is_number());
    // The terminal printout names no prediction interval for an
    // equal-effects model (it printed "PI NaN to NaN" on the natural scale).
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hr.csv");
    std::fs::write(
        &csv,
        "study,hr,ci_lb,ci_ub\nA,0.72,0.55,0.94\nB,0.85,0.61,1.18\nC,0.64,0.45,0.91\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("survlit")
        .unwrap()
        .args([
            "pool",
            csv.to_str().unwrap(),
            "--measure",
            "HR",
            "--method",
            "FE",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("on the natural scale"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("NaN") && !text.contains("PI "), "{text}");
}
