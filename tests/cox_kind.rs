//! The `cox` analysis kind: treatment compared within studies on case-report
//! patients, against R (tests/reference/scripts/survival_r.R,
//! cox_kind_cases.csv), and a comparison the data cannot support explained.

use crate::common;

use crate::common::{csv_table, fig, figures_csv, TestProject, ROOT};

const HEADER: &str = "study_id,case_id,citation,year,age,sex,treatment,follow_up,follow_up_unit,follow_up_origin,status,event,source_location,quote";

fn case(study: &str, id: usize, trt: &str, time: u32, dead: bool) -> String {
    let status = if dead { "dead_disease" } else { "alive_ned" };
    format!(
        "{study},{study}_{id},\"{study} et al. Case series. Spine 2020;1:1-9.\",2020,50,F,{trt},{time},months,surgery,{status},{},Table 1,patient {id}",
        u8::from(dead)
    )
}

pub(crate) fn project(group: &str) -> TestProject {
    let rows = [
        ("a", "surgery", 30, true),
        ("a", "surgery", 8, false),
        ("a", "surgery+rt", 20, true),
        ("a", "surgery+rt", 44, false),
        ("b", "surgery", 12, true),
        ("b", "surgery+rt", 50, true),
        ("b", "surgery+rt", 26, false),
        ("b", "surgery", 9, true),
    ];
    let mut cases = String::from(HEADER);
    for (i, (s, t, time, d)) in rows.iter().enumerate() {
        cases.push('\n');
        cases.push_str(&case(s, i + 1, t, *time, *d));
    }
    cases.push('\n');
    let toml = format!("title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\ncases = \"data/cases.csv\"\n\n[[analysis]]\nname = \"cx\"\nkind = \"cox\"\noptions = {{ group = \"{group}\" }}\n");
    let figures = figures_csv(&[
        fig(&[("study_id", "a")]),
        fig(&[
            ("study_id", "b"),
            ("doi", "10.1000/b"),
            ("pmid", "22222222"),
        ]),
    ]);
    TestProject::new(&[
        ("survlit.toml", &toml),
        ("data/cases.csv", &cases),
        ("data/figures.csv", &figures),
    ])
}

#[test]
fn treatment_hr_within_studies_matches_r() {
    let p = project("treatment");
    p.survlit("run").assert().success();
    common::assert_dictionary_complete(&p.path("reports"));
    let (h, ours) = csv_table(&p.path("reports/cx/cox.csv"));
    let (rh, theirs) =
        csv_table(&std::path::Path::new(ROOT).join("tests/reference/survival/cox_kind_cases.csv"));
    let c = |hd: &csv::StringRecord, n: &str| hd.iter().position(|x| x == n).unwrap();
    let row = ours
        .iter()
        .find(|r| &r[c(&h, "row")] == "coefficient")
        .unwrap();
    assert_eq!(&row[c(&h, "term")], "treatmentsurgery+rt");
    let mut failures = Vec::new();
    for key in ["hr", "hr_ci_lb", "hr_ci_ub", "pval"] {
        common::check(
            &mut failures,
            key,
            row[c(&h, key)].parse().unwrap(),
            &theirs[0][c(&rh, key)],
            1e-6,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        ours.iter().any(|r| &r[c(&h, "term")] == "GLOBAL"),
        "PH test rows"
    );
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(report.contains("stratified by study"), "{report}");
}

#[test]
fn a_group_constant_within_studies_is_explained_not_fitted() {
    let p = project("study");
    p.survlit("run").assert().success();
    let report = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        report.contains("**Not estimated**") && report.contains("constant within every stratum"),
        "{report}"
    );
    assert!(!p.path("reports/cx/cox.csv").exists());
}
