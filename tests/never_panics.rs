//! Validation never panics: every column of every table, fed hostile values,
//! yields diagnostics, not a crash; and a value that cannot be right is flagged.

use survlit::ingest::{RawTable, TableSource};
use survlit::validate::{columns, error_count, validate, RawTables};

const HOSTILE: &[&str] = &[
    "",
    "-1",
    "0",
    "1e999",
    "NaN",
    "-inf",
    "abc",
    "∞",
    "<0.05",
    "12%",
    "1,5",
    "  ",
    "\"",
    "9999999999999999999999",
    "0.5.5",
    "é",
    // A multi-byte character across byte 4 or 16, where a DOI prefix
    // ("doi:", "https://doi.org/") would end: byte slicing panicked there.
    "abcé:10.1/x",
    "https://doi.orgé10.1/x",
    // Invisible characters pasted from a PDF.
    "\u{FEFF}10.1000/x\u{200B}",
    "NR",
    "=1+1",
];

fn table(name: &str, header: &[&str], row: Vec<String>) -> RawTable {
    let mut t = RawTable::new(
        TableSource {
            display: format!("data/{name}.csv"),
            sheet: None,
        },
        header.iter().map(|s| s.to_string()).collect(),
    );
    t.push_row(2, row.len(), row.iter().map(String::as_str));
    t
}

fn valid_figure(header: &[&str]) -> Vec<String> {
    header
        .iter()
        .map(|c| match *c {
            "study_id" => "smith2020",
            "citation" => "Smith A. J 2020.",
            "outcome" => "overall_survival",
            "population" => "spinal LMS",
            "statistic" => "median",
            "value" => "46",
            "unit" => "months",
            _ => "",
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn figures_never_panic() {
    let header = columns::FIGURES;
    let base = valid_figure(header);
    let (_, diags) = validate(&RawTables {
        figures: Some(table("figures", header, base.clone())),
        ..Default::default()
    });
    assert_eq!(error_count(&diags), 0, "{diags:?}");
    for (i, col) in header.iter().enumerate() {
        for v in HOSTILE {
            let mut row = base.clone();
            row[i] = v.to_string();
            let (evidence, diags) = validate(&RawTables {
                figures: Some(table("figures", header, row)),
                ..Default::default()
            });
            // Numbers that cannot be parsed are always errors.
            if ["value", "n", "events", "ci_lower", "ci_upper", "sd"].contains(col)
                && ["abc", "∞", "NR", "1e999", "12%", "1,5", "0.5.5"].contains(v)
            {
                assert!(error_count(&diags) > 0, "{col}='{v}' passed");
                assert!(
                    evidence.figures.is_empty(),
                    "{col}='{v}': a row with errors must not enter the evidence"
                );
            }
            for d in &diags {
                assert_eq!(d.location.file, "data/figures.csv");
                assert!(d.location.line.is_some());
            }
        }
    }
}

#[test]
fn cases_curves_and_at_risk_never_panic() {
    let specs: [(&str, &[&str], &[(&str, &str)]); 3] = [
        (
            "cases",
            columns::CASES,
            &[
                ("study_id", "s1"),
                ("case_id", "c1"),
                ("citation", "A. J 2020."),
                ("status", "alive_ned"),
            ],
        ),
        (
            "curves",
            columns::CURVES,
            &[
                ("study_id", "s1"),
                ("arm", "A"),
                ("time", "1"),
                ("time_unit", "months"),
                ("survival", "0.9"),
            ],
        ),
        (
            "at_risk",
            columns::AT_RISK,
            &[
                ("study_id", "s1"),
                ("arm", "A"),
                ("time", "1"),
                ("time_unit", "months"),
                ("n_risk", "9"),
            ],
        ),
    ];
    for (name, header, base) in specs {
        let row: Vec<String> = header
            .iter()
            .map(|c| {
                base.iter()
                    .find(|(k, _)| k == c)
                    .map_or("", |(_, v)| v)
                    .to_string()
            })
            .collect();
        for i in 0..header.len() {
            for v in HOSTILE {
                let mut r = row.clone();
                r[i] = v.to_string();
                let t = Some(table(name, header, r));
                let raw = match name {
                    "cases" => RawTables {
                        cases: t,
                        ..Default::default()
                    },
                    "curves" => RawTables {
                        curves: t,
                        ..Default::default()
                    },
                    _ => RawTables {
                        at_risk: t,
                        ..Default::default()
                    },
                };
                let _ = validate(&raw);
            }
        }
    }
}

#[test]
fn ragged_and_empty_rows_never_panic() {
    let header = columns::FIGURES;
    for len in [0, 1, 5, header.len() + 3] {
        let row = vec!["x".to_string(); len];
        let mut t = RawTable::new(
            TableSource {
                display: "f.csv".into(),
                sheet: None,
            },
            header.iter().map(|s| s.to_string()).collect(),
        );
        t.push_row(2, len, row.iter().map(String::as_str));
        let (_, diags) = validate(&RawTables {
            figures: Some(t),
            ..Default::default()
        });
        assert!(error_count(&diags) > 0);
    }
}
