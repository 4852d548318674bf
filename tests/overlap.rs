//! Double counting: one source under two ids (near-identical citations),
//! reports declared as one cohort, patients described by two studies; each
//! is a warning in `check` and in the report, and `overlap = "exclude"` on
//! an analysis keeps one and says so in the methods text.

use crate::common::{fig, TestProject, FIG_HEADER};
use predicates::str::contains;

fn lc(study: &str, value: &str, n: &str, cohort: &str) -> String {
    let citation =
        format!("{study} A. Local control after spine radiosurgery. J Spine 2020;1:1-9.");
    let row = fig(&[
        ("study_id", study),
        ("citation", &citation),
        ("doi", ""),
        ("pmid", ""),
        ("outcome", "local_control"),
        ("statistic", "proportion_at_t"),
        ("value", value),
        ("unit", "percent"),
        ("time_point", "12"),
        ("time_point_unit", "months"),
        ("n", n),
    ]);
    format!("{row},{cohort}\n")
}

fn project(rows: &[String], analysis: &str) -> TestProject {
    let csv = format!("{FIG_HEADER},cohort\n{}", rows.concat());
    TestProject::new(&[
        ("data/figures.csv", &csv),
        (
            "survlit.toml",
            &format!("title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\n\n{analysis}"),
        ),
    ])
}

const POOL: &str = "[[analysis]]\nname = \"p\"\nkind = \"pool\"\noptions = { measure = \"PLO\", leave_one_out = false }\n";

#[test]
fn shared_cohort_is_warned_and_exclude_keeps_the_largest() {
    let rows = [
        lc("big2020", "85", "120", "mskcc"),
        lc("small2021", "90", "60", "mskcc"),
        lc("other2019", "70", "40", ""),
    ];
    let p = project(&rows, POOL);
    p.survlit("check")
        .assert()
        .success()
        .stderr(contains(
            "warning[shared-cohort]: data/figures.csv, line 3, column 'cohort' (value 'mskcc')",
        ))
        .stderr(contains(
            "cohort 'mskcc' is reported by 2 studies (big2020, small2021)",
        ));
    p.survlit("run")
        .assert()
        .success()
        .stdout(contains("k = 3"));
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        md.contains("big2020, small2021 report the same cohort ('mskcc'): the same patients are counted more than once"),
        "{md}"
    );
    // Excluding: the smaller report of the cohort goes, the methods say so.
    let p = project(&rows, &format!("{POOL}overlap = \"exclude\"\n"));
    p.survlit("run")
        .assert()
        .success()
        .stdout(contains("k = 2"));
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        md.contains("Overlap: big2020 and small2021 report the same cohort ('mskcc'); big2020 was kept (the most patients) and 1 figure of small2021 excluded (overlap = \"exclude\")."),
        "{md}"
    );
    let effects = std::fs::read_to_string(p.path("reports/p/effects.csv")).unwrap();
    assert!(!effects.contains("small2021") && effects.contains("big2020"));
}

#[test]
fn a_comparison_names_the_overlap() {
    let rows = [
        lc("big2020", "85", "120", "mskcc"),
        lc("small2021", "90", "60", "mskcc"),
    ];
    let p = project(&rows, "[[analysis]]\nname = \"c\"\nkind = \"compare\"\n");
    p.survlit("run").assert().success();
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        md.contains("big2020 and small2021 report the same cohort ('mskcc') and are all shown"),
        "{md}"
    );
}

#[test]
fn near_identical_citations_under_two_ids_are_flagged() {
    let same = "Smith A, Jones B. Survival after surgery for spinal leiomyosarcoma metastases. Spine 2020;45(3):100-9.";
    let reworded = "Smith A., Jones B.: Survival after surgery for spinal leiomyosarcoma metastases. Spine. 2020;45(3):100-9";
    let other = "Brown C. Radiotherapy of sacral chordoma: a cohort. Radiother Oncol 2018;12:5-9.";
    let row = |id: &str, c: &str| {
        format!(
            "{},\n",
            fig(&[("study_id", id), ("citation", c), ("doi", ""), ("pmid", "")])
        )
    };
    let p = project(
        &[
            row("smith2020", same),
            row("smith2020b", reworded),
            row("brown2018", other),
        ],
        "[[analysis]]\nname = \"e\"\nkind = \"evidence-table\"\n",
    );
    let out = p.survlit("check").output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning[similar-citation]: data/figures.csv, line 3, column 'citation'")
            && stderr.contains("studies 'smith2020' and 'smith2020b' have near-identical citations (100% of words shared)"),
        "{stderr}"
    );
    assert!(!stderr.contains("'brown2018' have"), "{stderr}");
    assert_eq!(stderr.matches("similar-citation").count(), 1, "{stderr}");
}

/// Five ids of one source (a review's copy-pasted citation, lightly
/// reworded) give one warning naming all five, not ten pairwise ones.
#[test]
fn near_identical_citations_are_one_warning_per_cluster() {
    let base = "Smith A, Jones B. Survival after surgery for spinal leiomyosarcoma metastases. Spine 2020;45(3):100-9.";
    let other = "Brown C. Radiotherapy of sacral chordoma: a cohort. Radiother Oncol 2018;12:5-9.";
    let row = |id: &str, c: &str| {
        format!(
            "{},\n",
            fig(&[("study_id", id), ("citation", c), ("doi", ""), ("pmid", "")])
        )
    };
    let mut rows: Vec<String> = (1..=5)
        .map(|i| {
            row(
                &format!("smith{i}"),
                &base.replace("100-9", &format!("100-9 {}", "x".repeat(i + 1))),
            )
        })
        .collect();
    rows.push(row("brown2018", other));
    let p = project(
        &rows,
        "[[analysis]]\nname = \"e\"\nkind = \"evidence-table\"\n",
    );
    let out = p.survlit("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("warning[similar-citation]").count(),
        1,
        "{stderr}"
    );
    let line = stderr
        .lines()
        .find(|l| l.starts_with("warning[similar-citation]"))
        .unwrap();
    assert!(
        line.contains("line 6, column 'citation': 5 studies (smith1, smith2, smith3, smith4, smith5) have near-identical citations"),
        "{stderr}"
    );
    assert!(!line.contains("brown2018"), "{stderr}");
}

/// One patient re-reported by four reviews: one warning naming all four
/// rows, not six pairwise ones.
#[test]
fn one_patient_in_four_studies_is_one_warning() {
    let mut cases = String::from("study_id,case_id,citation,year,age,sex,spinal_level,latency,latency_unit,follow_up,follow_up_unit,status,event\n");
    for (i, study) in ["report2007", "review2015", "review2020", "review2022"]
        .iter()
        .enumerate()
    {
        cases.push_str(&format!(
            "{study},c{i},{study} A. Cases {i}. J 20{i}0;{i}:1.,2010,46,F,T2-T3,36,months,22,months,dead_disease,1\n"
        ));
    }
    let toml = "title = \"t\"\n\n[data]\ncases = \"data/cases.csv\"\n\n[[analysis]]\nname = \"cases\"\nkind = \"case-table\"\n";
    let p = TestProject::new(&[("data/cases.csv", &cases), ("survlit.toml", toml)]);
    let out = p.survlit("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("warning[same-patient]").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("4 rows — case 'c0' (report2007), case 'c1' (review2015), case 'c2' (review2020), case 'c3' (review2022) — may be the same patient: F aged 46, level T2-T3, latency 36 months"),
        "{stderr}"
    );
}

const CASES: &str = "study_id,case_id,citation,year,age,sex,spinal_level,latency,latency_unit,follow_up,follow_up_unit,status,event\n\
    report2007,r1,Report A. A case. J 2007;1:1.,2007,46,F,T2-T3 (extradural),36,months,22,months,dead_disease,1\n\
    review2022,v7,Review B. A review of cases. J 2022;2:2.,2022,46,F,T3-T2,3,years,22,months,dead_disease,1\n\
    review2022,v8,Review B. A review of cases. J 2022;2:2.,2022,46,F,L4,36,months,10,months,alive_ned,0\n\
    other2010,o1,Other C. Another case. J 2010;3:3.,2010,47,F,,,,30,months,alive_ned,0\n";

#[test]
fn a_patient_described_by_two_studies_is_flagged_and_can_be_excluded() {
    let toml = |extra: &str| {
        format!("title = \"t\"\n\n[data]\ncases = \"data/cases.csv\"\n\n[[analysis]]\nname = \"cases\"\nkind = \"case-table\"\n{extra}")
    };
    let p = TestProject::new(&[("data/cases.csv", CASES), ("survlit.toml", &toml(""))]);
    let out = p.survlit("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Same sex, age, levels (in any order) and latency (3 years = 36 months):
    // flagged. Another level, or nothing but age and sex to compare: not.
    assert!(
        stderr.contains("warning[same-patient]: data/cases.csv, line 3, column 'case_id' (value 'v7'): case 'r1' (report2007) and case 'v7' (review2022) may be the same patient: F aged 46, level T2-T3, latency 36 months"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("same-patient").count(), 1, "{stderr}");
    p.survlit("run").assert().success();
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(md.contains("may be the same patient"), "{md}");
    let p = TestProject::new(&[
        ("data/cases.csv", CASES),
        ("survlit.toml", &toml("overlap = \"exclude\"\n")),
    ]);
    p.survlit("run")
        .assert()
        .success()
        .stdout(contains("3 patients"));
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    assert!(
        md.contains("Overlap: cases 'r1' (report2007) and 'v7' (review2022) appear to be one patient (F aged 46, level T2-T3, latency 36 months); 'v7' was excluded"),
        "{md}"
    );
}
