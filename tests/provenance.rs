//! Provenance on every row (ARCHITECTURE.md, invariant 4): every CSV that
//! the LMS project and the scratch projects of the kinds' tests write is
//! walked, and each file whose rows come from sources carries the full set
//! of provenance columns, filled in on every row. Files of model results
//! (one row per model, step or coefficient) name no single source and are
//! listed with the reason.

use std::path::Path;

use crate::common::{copy_lms_project, run_project, TestProject};

/// The columns a row read from a source carries: who the source is, where
/// in it the number is printed, and where survlit read the row.
const PROVENANCE: &[&str] = &[
    "study_id",
    "study_label",
    "citation",
    "year",
    "doi",
    "pmid",
    "source_location",
    "source_url",
    "quote",
    "confidence",
    "notes",
    "data_file",
    "data_line",
];

/// Columns that must be filled on every row (the others are empty when the
/// data does not know them).
const FILLED: &[&str] = &["study_id", "citation", "data_file", "data_line"];

/// Files whose rows are model results, not source rows, and why.
const NOT_SOURCE_ROWS: &[(&str, &str)] = &[
    (
        "pooled.csv",
        "one row per pooled model; its studies are listed in `studies`",
    ),
    (
        "km.csv",
        "one row per step of a Kaplan–Meier curve of several patients",
    ),
    (
        "cox.csv",
        "one row per model coefficient or proportional-hazards test",
    ),
    (
        "audit.csv",
        "one row per claim of a draft, with the claims file/line and the cited source's file/line",
    ),
];

/// metafor's input: `study` is metafor's slab; the file links back to the
/// data by its file and line, the rest of the provenance is in effects.csv.
const METAFOR: &[&str] = &["study", "data_file", "data_line"];

fn csv_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            csv_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

/// Checks every CSV under `reports`; returns the files checked.
fn check_reports(reports: &Path) -> Vec<String> {
    let mut files = Vec::new();
    csv_files(reports, &mut files);
    files.sort();
    let mut checked = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let shown = path.strip_prefix(reports).unwrap().display().to_string();
        if NOT_SOURCE_ROWS.iter().any(|(f, _)| *f == name) {
            continue;
        }
        let required = if name == "metafor.csv" {
            METAFOR
        } else {
            PROVENANCE
        };
        let (header, rows) = crate::common::csv_table(&path);
        let col = |c: &str| {
            header.iter().position(|h| h == c).unwrap_or_else(|| {
                panic!("{shown} has no provenance column '{c}' (columns: {header:?})")
            })
        };
        let idx: Vec<usize> = required.iter().map(|c| col(c)).collect();
        for (i, r) in rows.iter().enumerate() {
            for (c, &j) in required.iter().zip(&idx) {
                if FILLED.contains(c) || (required == METAFOR) {
                    assert!(!r[j].is_empty(), "{shown}, row {}: '{c}' is empty", i + 2);
                }
            }
        }
        checked.push(shown);
    }
    checked
}

#[test]
fn every_csv_of_the_lms_project_carries_provenance_on_every_row() {
    let dir = copy_lms_project();
    run_project(dir.path());
    let checked = check_reports(&dir.path().join("reports"));
    for f in [
        "evidence/evidence.csv",
        "cases/cases.csv",
        "cases-km/patients.csv",
    ] {
        assert!(
            checked.iter().any(|c| c == f),
            "{f} not checked: {checked:?}"
        );
    }
}

#[test]
fn every_csv_of_the_patient_kinds_carries_provenance_on_every_row() {
    let projects: [(&str, TestProject); 3] = [
        ("reconstruct", crate::reconstruct_kind::project("13.9")),
        (
            "km over cases and reconstructed patients",
            crate::reconstruct_kind::pooled_km_project(),
        ),
        ("cox", crate::cox_kind::project("treatment")),
    ];
    let mut all = Vec::new();
    for (what, p) in &projects {
        p.survlit("run").assert().success();
        let checked = check_reports(&p.path("reports"));
        assert!(!checked.is_empty(), "{what}: no CSV checked");
        all.extend(checked);
    }
    for f in [
        "rec/ipd.csv",
        "pooled/pooled_patients.csv",
        "cx/patients.csv",
    ] {
        assert!(all.iter().any(|c| c == f), "{f} not checked: {all:?}");
    }
}
