//! The claims audit (`survlit audit`, kind `claims-audit`): the seed's own
//! Discussion claims get the verdicts the literature README establishes by
//! hand, synthetic claims exercise each verdict, and a bad claims table is
//! rejected with file, line and column.

use std::collections::BTreeMap;

use crate::common::{csv_table, fig, figures_csv, TestProject, ROOT};
use assert_cmd::Command;
use predicates::str::contains;

fn verdicts(csv: &std::path::Path) -> BTreeMap<String, (String, String)> {
    let (header, rows) = csv_table(csv);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    rows.iter()
        .map(|r| {
            (
                r[col("claim_id")].to_string(),
                (r[col("verdict")].to_string(), r[col("reasons")].to_string()),
            )
        })
        .collect()
}

#[test]
fn seed_claims_get_the_verdicts_found_by_hand() {
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("verdicts.csv");
    Command::cargo_bin("survlit")
        .unwrap()
        .current_dir(ROOT)
        .args(["audit", "data/claims.csv", ".", "--csv"])
        .arg(&csv)
        .assert()
        .code(1)
        .stdout(contains("6 claims: 4 supported, 1 mismatch, 1 unsupported"));
    let v = verdicts(&csv);
    let expected = [
        ("seed-46", "supported"),
        ("seed-102", "supported"),
        ("seed-59.6", "mismatch"),
        ("seed-14.1", "supported"),
        ("seed-76.4", "unsupported"),
        ("seed-latency-5y", "supported"),
    ];
    for (id, verdict) in expected {
        assert_eq!(v[id].0, verdict, "{id}: {:?}", v[id]);
    }
    // The mismatch says what is wrong: the population, not the number.
    assert!(
        v["seed-59.6"]
            .1
            .starts_with("population: the claim says 'bone LMS metastasectomy'"),
        "{:?}",
        v["seed-59.6"]
    );
    let (header, rows) = csv_table(&csv);
    let says = header.iter().position(|h| h == "source_says").unwrap();
    let row = rows.iter().find(|r| &r[0] == "seed-59.6").unwrap();
    assert!(
        row[says].contains(
            "n = 573, 'LMS metastasectomy, any site (pooled)', group 'all metastasectomy sites'"
        ),
        "{}",
        &row[says]
    );
    assert_eq!(v["seed-76.4"].1, "the claim cites no source");
}

#[test]
fn each_verdict_and_its_reason() {
    let figures = figures_csv(&[
        fig(&[("ci_lower", "20"), ("ci_upper", "72"), ("ci_level", "95")]),
        fig(&[
            ("statistic", "proportion_at_t"),
            ("outcome", "local_control"),
            ("value", "87.9"),
            ("unit", "percent"),
            ("time_point", "1"),
            ("time_point_unit", "years"),
            ("population", "spinal sarcoma after SBRT"),
            ("quote", "1-year local control 87.9%"),
        ]),
    ]);
    let claims = "claim_id,text,value,unit,statistic,outcome,population,time_point,time_point_unit,n,study_id,match\n\
        ok,median 46 months,46,months,median,overall_survival,spine LMS,,,9,smith2020,\n\
        rounded,median 46.0 months,46.0,months,median,,,,,,smith2020,\n\
        bound,median up to 72 months,72,months,median,,,,,,smith2020,\n\
        stat,mean 46 months,46,months,mean,,,,,,smith2020,\n\
        n,46 months in 12 patients,46,months,median,,,,,12,smith2020,\n\
        pct,88% 1-year control,88,percent,proportion_at_t,local_control,spinal sarcoma SBRT,12,months,,smith2020,\n\
        pct2,87.9% 2-year control,87.9,percent,proportion_at_t,local_control,,24,months,,smith2020,\n\
        approx,about 50 months,50,months,median,,,,,,smith2020,approximate\n\
        exact50,50 months,50,months,median,,,,,,smith2020,\n\
        ghost,cites a study not in the table,46,months,median,,,,,,jones1999,\n\
        none,nobody said this,46,months,median,,,,,,,\n";
    let p = TestProject::new(&[
        ("data/figures.csv", &figures),
        ("claims.csv", claims),
        ("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n"),
    ]);
    let csv = p.path("verdicts.csv");
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("audit")
        .arg(p.path("claims.csv"))
        .arg(p.root())
        .arg("--csv")
        .arg(&csv)
        .assert()
        .code(1);
    let v = verdicts(&csv);
    let expect = |id: &str, verdict: &str, reason: &str| {
        assert_eq!(v[id].0, verdict, "{id}: {:?}", v[id]);
        assert!(
            v[id].1.contains(reason),
            "{id}: {:?} should say {reason}",
            v[id]
        );
    };
    expect("ok", "supported", "");
    expect("rounded", "supported", "");
    expect(
        "bound",
        "mismatch",
        "72 months is the upper confidence bound of a median",
    );
    expect(
        "stat",
        "mismatch",
        "statistic: the claim says mean, the source reports a median",
    );
    expect(
        "n",
        "mismatch",
        "n: the claim says 12, the source reports 9",
    );
    // 88% at the claim's precision covers 87.5-88.5%; 12 months = 1 year.
    expect("pct", "supported", "");
    expect(
        "pct2",
        "mismatch",
        "time point: the claim says 24 months, the source reports 12 months",
    );
    // "about 50" is within 10% of 46; a plain "50" is not 46.
    expect("approx", "supported", "");
    expect(
        "exact50",
        "not found",
        "smith2020 prints no median equal to 50 months",
    );
    expect(
        "ghost",
        "not found",
        "study 'jones1999' is not in the evidence table",
    );
    expect("none", "unsupported", "the claim cites no source");
}

#[test]
fn all_supported_exits_zero() {
    let p = TestProject::new(&[
        ("data/figures.csv", &figures_csv(&[fig(&[])])),
        ("claims.csv", "claim_id,text,value,unit,statistic,study_id\nc1,median 46 months,46,months,median,smith2020\n"),
        ("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n"),
    ]);
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("audit")
        .arg(p.path("claims.csv"))
        .arg(p.root())
        .assert()
        .success()
        .stdout(contains("1 claim: 1 supported"));
}

#[test]
fn bad_claims_table_names_file_line_column_and_fix() {
    let p = TestProject::new(&[
        ("data/figures.csv", &figures_csv(&[fig(&[])])),
        (
            "claims.csv",
            "claim_id,text,value,unit,statistc\nc1,x,46,monhts,median\nc1,y,4 6,months,median\n",
        ),
        ("survlit.toml", "[data]\nfigures = \"data/figures.csv\"\n"),
    ]);
    let audit = || {
        Command::cargo_bin("survlit")
            .unwrap()
            .arg("audit")
            .arg(p.path("claims.csv"))
            .arg(p.root())
            .assert()
    };
    audit()
        .code(1)
        .stderr(contains("line 1"))
        .stderr(contains("statistc"))
        .stderr(contains("did you mean 'statistic'"));
    p.write(
        "claims.csv",
        "claim_id,text,value,unit,statistic\nc1,x,46,monhts,median\nc1,y,4 6,months,median\n",
    );
    audit()
        .code(1)
        .stderr(contains("line 2, column 'unit'"))
        .stderr(contains("did you mean 'months'"))
        .stderr(contains("line 3, column 'value'"))
        .stderr(contains("line 3, column 'claim_id'"))
        .stderr(contains("claim_id 'c1' is also on line 2"));
}

#[test]
fn lms_report_shows_the_audit() {
    let index =
        std::fs::read_to_string(std::path::Path::new(ROOT).join("reports/index.md")).unwrap();
    let at = index
        .find("Audit of the seed's survival claims")
        .expect("audit section");
    let section = &index[at..];
    assert!(section.contains("6 claims: 4 supported, 1 mismatch, 1 unsupported"));
    assert!(section.contains("| seed-59.6 |") && section.contains("MISMATCH"));
    assert!(section.contains("| seed-76.4 |") && section.contains("UNSUPPORTED"));
}
