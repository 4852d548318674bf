//! Every Markdown table of every report is well-formed: the header, the
//! delimiter row and every body row have the same number of cells (a cell
//! too many is a column a renderer silently drops — the reconstruction QA
//! table once lost its verdict that way). Checked on the LMS project and on
//! the scratch projects of the patient kinds.

use crate::common::{copy_lms_project, run_project, TestProject};

/// The cells of a table line: split on `|` not escaped as `\|`, without the
/// outer pipes.
fn cells(line: &str) -> usize {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut n = 1;
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}

/// Every table of `md` (runs of lines starting with `|`), checked; returns
/// how many tables there were.
fn check_tables(md: &str, what: &str) -> usize {
    let mut tables = 0;
    let mut header: Option<(usize, usize)> = None;
    for (i, line) in md.lines().enumerate() {
        if !line.trim_start().starts_with('|') {
            header = None;
            continue;
        }
        match header {
            None => {
                header = Some((cells(line), i + 1));
                tables += 1;
            }
            Some((n, at)) => assert_eq!(
                cells(line),
                n,
                "{what}, line {}: {} cells under the {n}-cell header of line {at}:\n{line}",
                i + 1,
                cells(line)
            ),
        }
    }
    tables
}

#[test]
fn the_checker_counts_cells_and_escaped_pipes() {
    assert_eq!(cells("| a | b \\| c | d |"), 3);
    assert_eq!(
        check_tables("x\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n", "t"),
        2
    );
    let bad =
        std::panic::catch_unwind(|| check_tables("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", "t"));
    assert!(bad.is_err(), "a row with a cell too many must fail");
}

#[test]
fn every_table_of_the_lms_report_is_well_formed() {
    let dir = copy_lms_project();
    run_project(dir.path());
    let reports = dir.path().join("reports");
    let md = std::fs::read_to_string(reports.join("index.md")).unwrap();
    assert!(check_tables(&md, "index.md") > 5);
    for f in [
        "DICTIONARY.md",
        "CHANGES.md",
        "evidence/evidence.md",
        "cases/cases.md",
    ] {
        let text = std::fs::read_to_string(reports.join(f)).unwrap();
        check_tables(&text, f);
    }
    // No value anywhere in the text outputs carries float noise from a unit
    // change (0.8790000000000001 for 87.9 %): values print as entered.
    let mut texts = Vec::new();
    collect_text_files(&reports, &mut texts);
    assert!(texts.len() > 20, "{} text outputs", texts.len());
    for path in texts {
        let text = std::fs::read_to_string(&path).unwrap();
        for word in text.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            let noisy =
                word.contains('.') && (word.contains("00000000") || word.contains("99999999"));
            assert!(!noisy, "{}: float noise '{word}'", path.display());
        }
    }
}

fn collect_text_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            collect_text_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e == "csv" || e == "md" || e == "R")
        {
            out.push(p);
        }
    }
}

#[test]
fn every_table_of_the_patient_kinds_reports_is_well_formed() {
    let projects: [(&str, TestProject); 4] = [
        ("reconstruct", crate::reconstruct_kind::project("13.9")),
        (
            "reconstruct, median off",
            crate::reconstruct_kind::project("30"),
        ),
        (
            "km over cases and reconstructed patients",
            crate::reconstruct_kind::pooled_km_project(),
        ),
        ("cox", crate::cox_kind::project("treatment")),
    ];
    for (what, p) in &projects {
        p.survlit("run").assert().success();
        let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
        assert!(check_tables(&md, what) > 0, "{what}: no table");
    }
}
