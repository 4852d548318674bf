//! The real binary on scratch projects: init → check → run, determinism,
//! project-file errors, spreadsheets, and failed runs that change nothing.

use crate::common;

use crate::common::{fig, figures_csv, snapshot, TestProject};
use assert_cmd::Command;
use predicates::str::contains;

fn survlit() -> Command {
    Command::cargo_bin("survlit").unwrap()
}

#[test]
fn init_then_check_then_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("review");
    survlit()
        .arg("init")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("survlit.toml"));
    survlit()
        .arg("check")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("check passed: 4 figures, 2 cases"));
    survlit()
        .arg("run")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("os-medians (compare)"));
    common::assert_dictionary_complete(&root.join("reports"));
    for f in [
        "index.md",
        "evidence/evidence.csv",
        "evidence/evidence.md",
        "os-medians/compare.svg",
        "os-medians/compare.png",
        "os-medians/compare.csv",
        "cases/cases.csv",
        "cases/cases.md",
    ] {
        assert!(
            root.join("reports").join(f).is_file(),
            "missing reports/{f}"
        );
    }
    // init refuses to overwrite.
    survlit()
        .arg("init")
        .arg(&root)
        .assert()
        .code(1)
        .stderr(contains("already exists"));
}

#[test]
fn second_run_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    survlit().arg("init").arg(dir.path()).assert().success();
    survlit().arg("run").arg(dir.path()).assert().success();
    let first = snapshot(&dir.path().join("reports"));
    survlit().arg("run").arg(dir.path()).assert().success();
    assert_eq!(first, snapshot(&dir.path().join("reports")));
    // Every figure as SVG, PNG and PDF: PDFs and PNGs too are byte-identical.
    assert!(first.iter().any(|(p, _)| p.ends_with(".pdf")));
    assert!(first.iter().any(|(p, _)| p == "index.html"));
    // cases (csv, md, swimmer ×3), evidence (2), os-medians (4), index ×2,
    // manifest.json, CHANGES.md, DICTIONARY.md, a Parquet copy of each of
    // the 3 CSVs.
    assert_eq!(
        first.len(),
        19,
        "{:?}",
        first.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
}

#[test]
fn unknown_key_in_project_file_names_its_line() {
    let p = TestProject::with_tables(&[("figures", &figures_csv(&[fig(&[])]))]);
    let toml = std::fs::read_to_string(p.path("survlit.toml")).unwrap()
        + "selct = { study = \"smith2020\" }\n";
    p.write("survlit.toml", &toml);
    let line = toml.lines().count();
    p.survlit("run")
        .assert()
        .code(1)
        .stderr(contains(format!(
            "survlit.toml, line {line}: [[analysis]]: unknown key 'selct'"
        )))
        .stderr(contains("did you mean 'select'?"));
    assert!(!p.path("reports").exists());
}

#[test]
fn unknown_kind_and_option_name_their_lines() {
    let p = TestProject::new(&[
        ("data/figures.csv", &figures_csv(&[fig(&[])])),
        ("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n\n[[analysis]]\nname = \"a\"\nkind = \"compair\"\n"),
    ]);
    p.survlit("check")
        .assert()
        .code(1)
        .stderr(contains("line 6"))
        .stderr(contains("did you mean 'compare'?"));
    p.write("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n\n[[analysis]]\nname = \"a\"\nkind = \"compare\"\n[analysis.options]\ngroup_by = \"population\"\ngroupby = \"study\"\n");
    p.survlit("run")
        .assert()
        .code(1)
        .stderr(contains("survlit.toml, line 9"))
        .stderr(contains("analysis 'a': options: unknown key 'groupby'"))
        .stderr(contains("did you mean 'group_by'?"));
}

#[test]
fn selection_typo_is_an_error_with_a_suggestion() {
    let p = TestProject::new(&[
        ("data/figures.csv", &figures_csv(&[fig(&[])])),
        ("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n\n[[analysis]]\nname = \"a\"\nkind = \"compare\"\nselect = { study = \"smith2002\" }\n"),
    ]);
    p.survlit("run")
        .assert()
        .code(1)
        .stderr(contains(
            "survlit.toml, line 7: analysis 'a': select.study: 'smith2002' is not in the data",
        ))
        .stderr(contains("did you mean 'smith2020'?"));
}

#[test]
fn missing_data_file_is_named() {
    let p = TestProject::new(&[("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n")]);
    let out = p
        .survlit("check")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    // The line of survlit.toml that names the file, and the OS error once.
    assert!(
        err.contains(
            "survlit.toml, line 2: cannot read the data file 'data/figures.csv': No such file"
        ),
        "{err}"
    );
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

#[test]
fn malformed_csv_names_the_line() {
    let csv = figures_csv(&[fig(&[])]) + "smith2020,\"unterminated\n";
    let p = TestProject::with_tables(&[("figures", &csv)]);
    p.survlit("check")
        .assert()
        .code(1)
        .stderr(contains("data/figures.csv"));
}

#[test]
fn usage_errors_exit_2() {
    survlit().arg("frobnicate").assert().code(2);
}

#[test]
fn completion_scripts_list_subcommands_and_vocabularies() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = survlit().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("survlit"), "{shell}");
        assert!(script.contains("reconstruct"), "{shell}: subcommands");
    }
    // A flag's vocabulary comes from domain::Vocab through cli::vocab.
    let bash = survlit()
        .args(["completions", "bash"])
        .output()
        .unwrap()
        .stdout;
    let bash = String::from_utf8(bash).unwrap();
    for word in [
        "REML",
        "knha",
        "CLOGLOG",
        "log-log",
        "breslow",
        "luo-shi",
        "wmm",
        "lognormal",
    ] {
        assert!(bash.contains(word), "bash completion lacks '{word}'");
    }
    survlit().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn failed_run_keeps_previous_reports() {
    let p = TestProject::with_tables(&[("figures", &figures_csv(&[fig(&[])]))]);
    p.survlit("run").assert().success();
    let before = snapshot(&p.path("reports"));
    p.write(
        "data/figures.csv",
        &figures_csv(&[fig(&[("value", "abc")])]),
    );
    p.survlit("run")
        .assert()
        .code(1)
        .stderr(contains("reports/ was not changed"));
    assert_eq!(before, snapshot(&p.path("reports")));
    let leftovers: Vec<_> = std::fs::read_dir(p.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".reports"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn units_are_normalised_to_months_and_proportions() {
    let rows = [
        fig(&[
            ("outcome", "latency"),
            ("statistic", "mean"),
            ("value", "5.2"),
            ("unit", "years"),
        ]),
        fig(&[
            ("statistic", "proportion_at_t"),
            ("value", "87.9"),
            ("unit", "percent"),
            ("time_point", "1"),
            ("time_point_unit", "years"),
            ("ci_lower", "81.3"),
            ("ci_upper", "94.5"),
            ("ci_level", "95"),
        ]),
        fig(&[("group", "b"), ("value", "70"), ("unit", "days")]),
    ];
    let p = TestProject::with_tables(&[("figures", &figures_csv(&rows))]);
    p.survlit("run").assert().success();
    let csv = std::fs::read_to_string(p.path("reports/evidence/evidence.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let find = |outcome: &str, stat: &str| {
        rows.iter()
            .find(|r| &r[col("outcome")] == outcome && &r[col("statistic")] == stat)
            .unwrap()
            .clone()
    };
    let latency = find("latency", "mean");
    assert_eq!(
        (
            &latency[col("value")],
            &latency[col("unit")],
            &latency[col("reported_value")],
            &latency[col("reported_unit")]
        ),
        ("62.4", "months", "5.2", "years")
    );
    let lc = find("overall_survival", "proportion_at_t");
    assert_eq!(
        (
            &lc[col("value")],
            &lc[col("unit")],
            &lc[col("time_point_months")],
            &lc[col("ci_lower")],
            &lc[col("ci_level")]
        ),
        ("0.879", "proportion", "12.0", "0.813", "0.95")
    );
    let days = rows.iter().find(|r| &r[col("group")] == "b").unwrap();
    let months: f64 = days[col("value")].parse().unwrap();
    assert!((months - 70.0 * 12.0 / 365.25).abs() < 1e-9, "{months}");
}

#[test]
fn spreadsheet_project_runs() {
    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/extraction.xlsx"
    ))
    .unwrap();
    let p = TestProject::new(&[("survlit.toml", "[data]\nworkbook = \"data/extraction.xlsx\"\n\n[[analysis]]\nname = \"ev\"\nkind = \"evidence-table\"\n\n[[analysis]]\nname = \"cmp\"\nkind = \"compare\"\n")]);
    std::fs::create_dir_all(p.path("data")).unwrap();
    std::fs::write(p.path("data/extraction.xlsx"), xlsx).unwrap();
    p.survlit("check")
        .assert()
        .success()
        .stdout(contains("2 figures, 1 case, 0 curve points"));
    p.survlit("run").assert().success();
    let csv = std::fs::read_to_string(p.path("reports/ev/evidence.csv")).unwrap();
    assert!(
        csv.contains("59.6") && csv.contains("0.95") && csv.contains("data/extraction.xlsx"),
        "{csv}"
    );
}

#[test]
fn spreadsheet_errors_name_sheet_row_and_column() {
    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/extraction_bad.xlsx"
    ))
    .unwrap();
    let p = TestProject::new(&[(
        "survlit.toml",
        "[data]\nworkbook = \"data/extraction.xlsx\"\n",
    )]);
    std::fs::create_dir_all(p.path("data")).unwrap();
    std::fs::write(p.path("data/extraction.xlsx"), xlsx).unwrap();
    p.survlit("check").assert().code(1).stderr(contains("error[ci-order]: data/extraction.xlsx, sheet 'figures', row 3, column 'ci_lower' (value '66')"));
    p.write(
        "survlit.toml",
        "[data]\nfigures = \"data/extraction.xlsx#Figs\"\n",
    );
    p.survlit("check")
        .assert()
        .code(1)
        .stderr(contains("no sheet named 'Figs' (sheets: figures, cases)"));
}

/// A citation that a spreadsheet would run as a formula is written to the
/// CSV export as text (leading `'`); the Markdown shows it as written.
#[test]
fn formula_like_citation_is_neutralised_in_csv() {
    let p = TestProject::with_tables(&[(
        "figures",
        &figures_csv(&[fig(&[(
            "citation",
            "=HYPERLINK(\"http://evil.example\";\"Smith 2020\")",
        )])]),
    )]);
    p.survlit("run").assert().success();
    let csv = std::fs::read_to_string(p.path("reports/evidence/evidence.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"),
        "{csv}"
    );
}
