//! The exported `metafor.R` reproduces every number the pool report prints
//! (issue #15 item 6). `tests/reference/scripts/metafor_exported_scripts.R`
//! ran each pool analysis' exported script (LMS project and
//! `tests/fixtures/pool_project`) with R metafor and kept its `numbers`
//! table; here each number is formatted as survlit formats that quantity
//! and found in the analysis' report section or the text of its figures —
//! the separate-τ² subgroup test (Q-between) included.

use std::collections::BTreeMap;
use std::path::Path;

use survlit::number::{
    estimate_decimals, fixed, i2, p_value, significant, statistic, tau2, PStyle,
};

use crate::common::{self, csv_table, ROOT};

/// The project's reports, run fresh (the committed `reports/` may lag).
pub(crate) fn run(project: &str) -> tempfile::TempDir {
    let dir = if project == "lms" {
        common::copy_lms_project()
    } else {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(ROOT).join("tests/fixtures/pool_project");
        std::fs::copy(src.join("survlit.toml"), dir.path().join("survlit.toml")).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::copy(
            src.join("data/figures.csv"),
            dir.path().join("data/figures.csv"),
        )
        .unwrap();
        dir
    };
    common::run_project(dir.path());
    dir
}

/// The text a reader sees for one analysis: its section of index.md and
/// the text of every SVG in its folder, entities decoded, whitespace
/// collapsed.
pub(crate) fn seen(reports: &Path, analysis: &str) -> String {
    let index = std::fs::read_to_string(reports.join("index.md")).unwrap();
    let link = format!("({analysis}/pooled.csv)");
    let section = index
        .split("\n## ")
        .find(|s| s.contains(&link))
        .unwrap_or_else(|| panic!("no report section for {analysis}"));
    let mut text = section.to_string();
    let mut svgs: Vec<_> = std::fs::read_dir(reports.join(analysis))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    svgs.sort();
    for p in svgs {
        let svg = std::fs::read_to_string(p).unwrap();
        for piece in svg.split("<text").skip(1) {
            let inner = piece.split_once('>').map_or("", |(_, r)| r);
            let inner = inner.split("</text>").next().unwrap_or("");
            text.push(' ');
            text.push_str(inner);
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace('−', "-")
        .replace("\\[", "[")
        .replace("\\]", "]");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How survlit writes one of R's numbers (estimates and CIs are checked
/// together, at the analysis' decimals).
fn written(quantity: &str, v: f64) -> String {
    let last = quantity.rsplit(": ").next().unwrap_or(quantity);
    match last {
        "tau2" | "tau2_ci_lb" | "tau2_ci_ub" | "residual_tau2" => format!("{}", tau2(v)),
        "i2" => format!("{}%", i2(v)),
        "stat" | "q" | "subgroup_test" | "qm" | "egger" | "egger_classical" => {
            format!("= {}", statistic(v))
        }
        "slope" | "slope_se" => significant(v, 3),
        "begg_tau" => format!("tau = {}", fixed(v, 3)),
        "trimfill_k0" => format!("{v:.0}"),
        p if p == "pval" || p.ends_with("_pval") => p_value(v, PStyle::Prose),
        other => panic!("no format for {other}"),
    }
}

#[test]
fn the_exported_metafor_script_reproduces_every_number_of_the_report() {
    let (h, rows) = common::reference_table("exported_scripts.csv");
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let mut by: BTreeMap<(String, String), Vec<(String, f64)>> = BTreeMap::new();
    for r in &rows {
        by.entry((r[col("project")].into(), r[col("analysis")].into()))
            .or_default()
            .push((r[col("quantity")].into(), r[col("value")].parse().unwrap()));
    }
    assert!(by.len() >= 7, "{:?}", by.keys());
    let mut runs: BTreeMap<String, tempfile::TempDir> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for ((project, analysis), numbers) in &by {
        let dir = runs.entry(project.clone()).or_insert_with(|| run(project));
        let text = seen(&dir.path().join("reports"), analysis);
        let get = |q: &str| numbers.iter().find(|(n, _)| n == q).map(|(_, v)| *v);
        let d = estimate_decimals(project == "lms", get("estimate").unwrap());
        let mut expect: Vec<(String, String)> = Vec::new();
        // Estimates with their CI as one string: "0.49 [0.33, 0.73]".
        for (q, v) in numbers {
            if let Some(prefix) = q.strip_suffix("estimate") {
                let lb = get(&format!("{prefix}ci_lb")).unwrap();
                let ub = get(&format!("{prefix}ci_ub")).unwrap();
                expect.push((
                    q.clone(),
                    format!("{} [{}, {}]", fixed(*v, d), fixed(lb, d), fixed(ub, d)),
                ));
            }
        }
        if let (Some(a), Some(b)) = (get("pi_lb"), get("pi_ub")) {
            expect.push(("pi".into(), format!("[{}, {}]", fixed(a, d), fixed(b, d))));
        }
        if let (Some(a), Some(b)) = (get("tau2_ci_lb"), get("tau2_ci_ub")) {
            expect.push(("tau2 CI".into(), format!("{}–{}", tau2(a), tau2(b))));
        }
        for (q, v) in numbers {
            let last = q.rsplit(": ").next().unwrap();
            if ["estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub"].contains(&last) {
                continue;
            }
            expect.push((q.clone(), written(q, *v)));
        }
        for (q, s) in expect {
            checked += 1;
            if !text.contains(&s) {
                failures.push(format!("{project}/{analysis} {q}: '{s}' not printed"));
            }
        }
    }
    assert!(checked > 150, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_separate_tau2_subgroup_test_is_q_between_not_the_common_tau2_qm() {
    // The script's subgroup test is the equal-effects model of the subgroup
    // estimates; under a common τ² it is the moderator test. They differ.
    let (h, rows) =
        csv_table(&Path::new(ROOT).join("tests/reference/metafor/exported_scripts.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let test = |a: &str| -> f64 {
        rows.iter()
            .find(|r| &r[col("analysis")] == a && &r[col("quantity")] == "subgroup_test")
            .unwrap()[col("value")]
        .parse()
        .unwrap()
    };
    assert!((test("bcg-subgroups") - test("bcg-subgroups-common")).abs() > 0.1);
    let lms = test("sbrt-local-control-subgroups");
    let script = std::fs::read_to_string(
        run("lms")
            .path()
            .join("reports/sbrt-local-control-subgroups/metafor.R"),
    )
    .unwrap();
    assert!(script.contains("between <- rma(estimate, sei = se, data = sub, method = \"FE\")"));
    assert!(lms > 20.0, "{lms}");
}
