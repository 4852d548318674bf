//! The gate (#15 items 1–2): `check` names everything `run` would reject —
//! every problem of survlit.toml at once, each at its line — and `run`
//! refuses with the same list; input mistakes get one diagnosis each
//! (semicolon CSV, missing file, workbook sheets, `pool` columns, `--col`
//! roles, `init` leaving nothing behind).

use assert_cmd::Command;
use predicates::str::contains;

use crate::common::{TestProject, ROOT};

/// Three hazard ratios of one outcome.
const HR_FIGURES: &str = "\
study_id,citation,year,doi,outcome,population,group,statistic,value_status,value,unit,n,n_unit,ci_lower,ci_upper,ci_level,source_location,quote
a2010,A et al. J 2010,2010,10.1/a,overall_survival,adults,treatment vs control,hazard_ratio,reported,0.8,ratio,100,patients,0.6,1.05,0.95,Table 2,HR 0.80
b2012,B et al. J 2012,2012,10.1/b,overall_survival,adults,treatment vs control,hazard_ratio,reported,0.7,ratio,120,patients,0.5,0.98,0.95,Table 2,HR 0.70
c2015,C et al. J 2015,2015,10.1/c,overall_survival,adults,treatment vs control,hazard_ratio,reported,0.9,ratio,200,patients,0.72,1.12,0.95,Table 3,HR 0.90
";

/// A small HR review whose survlit.toml is `analyses` after `[data]`.
fn review(analyses: &str) -> TestProject {
    TestProject::new(&[
        ("data/figures.csv", HR_FIGURES),
        (
            "survlit.toml",
            &format!("title = \"HR review\"\n[data]\nfigures = \"data/figures.csv\"\n{analyses}"),
        ),
    ])
}

fn stderr(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// The `error[...]` lines of a command's stderr.
fn error_lines(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("error")).collect()
}

/// Every mistake of the issue in one file: unknown top-level and [data]
/// keys, an option name and an option value typo, a select key and a
/// select value typo, a measure that cannot use the selected statistic, a
/// figure measure the kind cannot pool, an outcome no figure reports, an
/// unknown kind and a duplicate name.
const MANY_MISTAKES: &str = r#"titel = "x"
[data]
figures = "data/figures.csv"
casse = "data/cases.csv"
[[analysis]]
name = "os-hr"
kind = "pool"
select = { outcome = "overall_survival", statistic = "hazard_ratio", studdy = "a2010" }
[analysis.options]
measure = "HR"
methd = "REML"
test = "zz"
[[analysis]]
name = "os-hr"
kind = "poool"
[[analysis]]
name = "b"
kind = "pool"
select = { statistic = "hazard_ratio", study = ["a2010", "b2021"] }
options = { measure = "HR", method = "random" }
[[analysis]]
name = "c"
kind = "pool"
select = { outcome = "progression_free_survival" }
options = { measure = "ROM" }
[[analysis]]
name = "d"
kind = "pool"
select = { statistic = "hazard_ratio" }
options = { measure = "PLO" }
"#;

#[test]
fn check_names_every_problem_of_the_project_file_at_its_line() {
    let p = TestProject::new(&[
        ("data/figures.csv", HR_FIGURES),
        ("survlit.toml", MANY_MISTAKES),
    ]);
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    for (line, what) in [
        (1, "unknown key 'titel'"),
        (4, "[data]: unknown key 'casse'"),
        (8, "select: unknown key 'studdy'"),
        (11, "analysis 'os-hr': options: unknown key 'methd'"),
        (12, "analysis 'os-hr': options.test: unknown test 'zz'"),
        (14, "analysis name 'os-hr' is already used at line 5"),
        (15, "analysis kind: unknown value 'poool'"),
        (19, "analysis 'b': select.study: 'b2021' is not in the data"),
        (20, "analysis 'b': options.method: unknown τ² estimator 'random'"),
        (24, "analysis 'c': select.outcome: no figure reports progression_free_survival"),
        (25, "analysis 'c': options.measure: ROM pools a table of study effects"),
        (30, "analysis 'd': options.measure = \"PLO\" cannot use any of the 3 selected figures (hazard_ratio)"),
    ] {
        assert!(
            err.contains(&format!("survlit.toml, line {line}: {what}")),
            "line {line}: {what}\n{err}"
        );
    }
    // Each with its fix.
    for fix in [
        "did you mean 'title'?",
        "did you mean 'cases'?",
        "did you mean 'study'?",
        "did you mean 'method'?",
        "use z, knha",
        "did you mean 'pool'?",
        "did you mean 'b2012'?",
        "use FE, DL, HE, HS, SJ, ML, REML, EB, PM",
        "outcomes in the data: overall_survival",
    ] {
        assert!(err.contains(fix), "{fix}\n{err}");
    }
    assert_eq!(error_lines(&err).len(), 12, "{err}");
    // run refuses with the same list, and writes nothing.
    let (code, run_err) = stderr(&mut p.survlit("run"));
    assert_eq!(code, Some(1));
    assert_eq!(error_lines(&run_err), error_lines(&err));
    assert!(!p.path("reports").exists());
}

#[test]
fn a_typo_in_a_select_value_fails_check_not_only_run() {
    let p = review(
        "[[analysis]]\nname = \"hr\"\nkind = \"pool\"\nselect = { study = [\"a2010\", \"b2021\"] }\noptions = { measure = \"HR\" }\n",
    );
    p.survlit("check")
        .assert()
        .code(1)
        .stderr(contains(
            "survlit.toml, line 7: analysis 'hr': select.study: 'b2021' is not in the data",
        ))
        .stderr(contains("did you mean 'b2012'?"));
}

#[test]
fn a_header_only_data_file_fails_check_for_the_analysis_that_reads_it() {
    let p =
        review("[[analysis]]\nname = \"hr\"\nkind = \"pool\"\noptions = { measure = \"HR\" }\n");
    p.write("data/figures.csv", HR_FIGURES.lines().next().unwrap());
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("warning[empty-table]: data/figures.csv: the table has a header but no rows"),
        "{err}"
    );
    assert!(err.contains("survlit.toml, line 4: analysis 'hr': selects no figures: there are no figure rows (the figures table is empty"), "{err}");
}

#[test]
fn an_option_the_settings_ignore_is_a_warning_at_its_line() {
    let p = review(
        "[[analysis]]\nname = \"hr\"\nkind = \"pool\"\n[analysis.options]\nmeasure = \"HR\"\nsubgroup_tau2 = \"common\"\n",
    );
    p.survlit("check")
        .assert()
        .success()
        .stderr(contains(
            "warning[analysis]: survlit.toml, line 9: analysis 'hr': options.subgroup_tau2 is ignored: there is no subgroup option",
        ));
    // run runs, and the report says it too.
    p.survlit("run").assert().success();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        report.contains("is ignored: there is no subgroup option"),
        "{report}"
    );
}

#[test]
fn a_semicolon_separated_csv_is_named_once() {
    let semicolons = HR_FIGURES
        .lines()
        .map(|l| l.replace(',', ";").replace("0.", "0,"))
        .collect::<Vec<_>>()
        .join("\n");
    let p =
        review("[[analysis]]\nname = \"hr\"\nkind = \"pool\"\noptions = { measure = \"HR\" }\n");
    p.write("data/figures.csv", &semicolons);
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1));
    let errors = error_lines(&err);
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains("survlit.toml, line 3: data/figures.csv looks semicolon-separated"),
        "{err}"
    );
    assert!(err.contains("decimal commas"), "{err}");
    assert!(err.contains("fix: save it as comma-separated CSV"), "{err}");
}

#[test]
fn a_missing_data_file_suggests_the_file_beside_it() {
    let p = review("");
    p.write("survlit.toml", "[data]\nfigures = \"data/figure.csv\"\n");
    let (code, err) = stderr(&mut p.survlit("run"));
    assert_eq!(code, Some(1));
    assert!(
        err.contains("survlit.toml, line 2: cannot read the data file 'data/figure.csv'"),
        "{err}"
    );
    assert!(err.contains("did you mean 'data/figures.csv'?"), "{err}");
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

#[test]
fn a_workbook_without_the_expected_sheets_lists_its_sheets() {
    let p = TestProject::new(&[(
        "survlit.toml",
        "[data]\nworkbook = \"data/extraction.xlsx\"\n",
    )]);
    let xlsx = std::fs::read(format!("{ROOT}/tests/fixtures/extraction_renamed.xlsx")).unwrap();
    std::fs::create_dir_all(p.path("data")).unwrap();
    std::fs::write(p.path("data/extraction.xlsx"), xlsx).unwrap();
    p.survlit("check")
        .assert()
        .code(1)
        .stderr(contains(
            "survlit.toml, line 2: the workbook has neither a 'figures' nor a 'cases' sheet (its sheets: Figs, Patients)",
        ));
}

fn pool(csv: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hr.csv");
    std::fs::write(&file, csv).unwrap();
    let mut cmd = Command::cargo_bin("survlit").unwrap();
    cmd.arg("pool").arg(&file).args(args);
    stderr(&mut cmd)
}

#[test]
fn pool_names_a_column_typo_once_with_did_you_mean() {
    let (code, err) = pool(
        "study,hr,ci_lo,ci_ub\na,0.8,0.6,1.05\nb,0.7,0.5,0.98\nc,0.9,0.72,1.12\n",
        &["--measure", "HR"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(error_lines(&err).len(), 1, "{err}");
    assert!(
        err.contains("no column 'ci_lb': did you mean 'ci_lo'? (rename it, or --col ci_lb=ci_lo)"),
        "{err}"
    );
    // A column missing altogether: once, with how to add or map it.
    let (code, err) = pool(
        "study,hr,ci_ub\na,0.8,1.05\nb,0.7,0.98\n",
        &["--measure", "HR"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(error_lines(&err).len(), 1, "{err}");
    assert!(
        err.contains("no column 'ci_lb' (add it, or map another with --col ci_lb=NAME)"),
        "{err}"
    );
    // A mapped name that is not in the table.
    let (_, err) = pool(
        "study,hazard,ci_lb,ci_ub\na,0.8,0.6,1.05\n",
        &["--measure", "HR", "--col", "hr=hazrd"],
    );
    assert!(
        err.contains("no column 'hazrd' (role hr): did you mean 'hazard'?"),
        "{err}"
    );
}

#[test]
fn pool_says_swap_for_a_ci_in_the_wrong_order() {
    let (code, err) = pool(
        "study,hr,ci_lb,ci_ub\na,0.8,0.6,1.05\nb,0.9,1.12,0.72\n",
        &["--measure", "HR"],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("study 'b': the CI's lower bound 1.12 is above its upper bound 0.72: swap the two bounds"), "{err}");
}

#[test]
fn an_unknown_col_role_is_a_usage_error_listing_the_roles() {
    let (code, err) = pool(
        "study,hr,ci_lb,ci_ub,year\na,0.8,0.6,1.05,2001\nb,0.7,0.5,0.98,2002\n",
        &["--measure", "HR", "--col", "weights=year"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--col 'weights=year': 'weights' is not a role; roles: study,"),
        "{err}"
    );
    let (code, err) = pool(
        "study,hazard,ci_lb,ci_ub\na,0.8,0.6,1.05\nb,0.7,0.5,0.98\n",
        &["--measure", "HR", "--col", "hrr=hazard"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean 'hr'?"), "{err}");
}

#[test]
fn pool_on_a_missing_file_gives_the_os_error_once() {
    let mut cmd = Command::cargo_bin("survlit").unwrap();
    let (code2, err2) = stderr(cmd.args(["pool", "no-such.csv", "--measure", "HR"]));
    assert_eq!(code2, Some(1));
    assert_eq!(
        err2.matches("No such file or directory").count(),
        1,
        "{err2}"
    );
}

#[test]
fn init_that_cannot_finish_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the example's data/ folder would go.
    let root = dir.path().join("review");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("data"), "not a folder").unwrap();
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("init")
        .arg(&root)
        .assert()
        .code(1)
        .stderr(contains("is not an empty folder"));
    let left: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["data"], "init left files behind");
    // A file in the way of a parent folder: nothing created beside it either.
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, "").unwrap();
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("init")
        .arg(blocked.join("sub/review"))
        .assert()
        .code(1);
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["file", "review"]);
    // An empty folder is fine, and holds exactly the example afterwards.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("init")
        .arg(&empty)
        .assert()
        .success();
    assert!(empty.join("survlit.toml").is_file() && empty.join("data/figures.csv").is_file());
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter(|n| n.starts_with(".survlit-init"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn check_refuses_what_each_kind_would_refuse_and_warns_of_ignored_options() {
    let median = "d2016,D et al. J 2016,2016,10.1/d,overall_survival,adults,all,median,reported,20,months,50,patients,,,,Abstract,median 20 months\n";
    let p = review(
        r#"[[analysis]]
name = "cmp"
kind = "compare"
[[analysis]]
name = "cases"
kind = "case-table"
select = { outcome = "overall_survival" }
[[analysis]]
name = "med"
kind = "medians"
select = { statistic = "median" }
options = { method = "mm", conversion = "hozo" }
"#,
    );
    p.write("data/figures.csv", &format!("{HR_FIGURES}{median}"));
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    for want in [
        "error[analysis]: survlit.toml, line 4: analysis 'cmp': selects figures in different units (months, ratio)",
        "error[analysis]: survlit.toml, line 10: analysis 'cases': select keys outcome do not apply to patient rows",
        "warning[analysis]: survlit.toml, line 15: analysis 'med': options.conversion is ignored: conversions to mean/SD apply to method = \"mean\" only",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

#[test]
fn a_folder_without_survlit_toml_is_named_without_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("survlit").unwrap();
    let (code, err) = stderr(cmd.arg("check").arg(dir.path()));
    assert_eq!(code, Some(1));
    assert!(
        err.contains("survlit.toml: cannot read the project file: No such file"),
        "{err}"
    );
    assert!(!err.contains("line 0"), "{err}");
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

#[test]
fn pool_names_an_absent_by_mods_or_cumulative_column() {
    let csv = "study,hr,ci_lb,ci_ub,year,region\na,0.8,0.6,1.05,2001,eu\nb,0.7,0.5,0.98,2002,us\nc,0.9,0.72,1.12,2004,eu\n";
    for (flag, typo, near) in [
        ("--by", "regoin", "region"),
        ("--mods", "yaer", "year"),
        ("--cumulative", "years", "year"),
    ] {
        let (code, err) = pool(csv, &["--measure", "HR", flag, typo]);
        assert_eq!(code, Some(1), "{flag}: {err}");
        assert_eq!(error_lines(&err).len(), 1, "{err}");
        assert!(
            err.contains(&format!(
                "{flag} {typo}: no such column; did you mean '{near}'?"
            )),
            "{err}"
        );
    }
}
