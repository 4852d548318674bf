//! Rules for the cases table: one row per patient from case reports and series.

use std::collections::BTreeMap;

use crate::domain::{Case, CaseStatus, Sex, Unit, Vocab};
use crate::ingest::RawTable;

use super::cells::{check_header, Cells};
use super::provenance::read_provenance;
use super::Diagnostic;

/// Columns that must be in the header.
pub const REQUIRED: &[&str] = &["study_id", "case_id", "status"];

/// Every column the cases table knows; `cov_*` columns are free covariates.
pub const COLUMNS: &[&str] = &[
    "study_id",
    "case_id",
    "study_label",
    "citation",
    "year",
    "doi",
    "pmid",
    "age",
    "sex",
    "primary_site",
    "primary_treatment",
    "latency",
    "latency_unit",
    "spinal_level",
    "treatment",
    "adjuvant",
    "follow_up",
    "follow_up_unit",
    "follow_up_origin",
    "status",
    "event",
    "source_location",
    "source_url",
    "quote",
    "notes",
    "confidence",
];

/// Prefix of free covariate columns.
pub const COVARIATE_PREFIX: &str = "cov_";

/// Reads and checks every row; rows with errors are left out of the result.
pub fn read_cases(table: &RawTable, diags: &mut Vec<Diagnostic>) -> Vec<Case> {
    if !check_header(table, REQUIRED, COLUMNS, Some(COVARIATE_PREFIX), diags) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &table.rows {
        let before = super::diagnostic::error_count(diags);
        let mut cells = Cells::new(table, row, diags);
        let case = read_row(&mut cells, table);
        if super::diagnostic::error_count(diags) == before {
            out.extend(case);
        }
    }
    out
}

fn read_row(c: &mut Cells<'_>, table: &RawTable) -> Option<Case> {
    let study_id = c.required("study_id", "the study identifier, e.g. shabani2025");
    let case_id = c.required("case_id", "a unique patient identifier, e.g. shabani2025_1");
    let status = if c.text("status").is_none() {
        c.error(
            "status",
            "missing-value",
            "status is empty".into(),
            format!(
                "use one of: {} (unknown if the source does not say)",
                CaseStatus::allowed()
            ),
        );
        None
    } else {
        c.vocab::<CaseStatus>("status")
    };
    let provenance = read_provenance(c);
    let age = c.number("age");
    if let Some(a) = age.filter(|a| !(0.0..130.0).contains(a)) {
        c.error(
            "age",
            "bad-age",
            format!("age {a} is not an age in years"),
            "write the age in years".into(),
        );
    }
    let sex = c.vocab::<Sex>("sex").unwrap_or(Sex::Unknown);
    let latency = timed(c, "latency", "latency_unit");
    let follow_up = timed(c, "follow_up", "follow_up_unit");
    let event = match c.text("event") {
        None => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        // Another code (pbc's 2 = death, 1 = transplant): the analysis that
        // names it with `event_code` reads it; elsewhere the status decides.
        Some(other) if other.parse::<u32>().is_ok() => None,
        Some(other) => {
            c.error(
                "event",
                "bad-event",
                format!("event '{other}' is not 0, 1 or another whole-number code"),
                "write 1 for death, 0 for alive (censored), a whole-number code that a km/cox analysis names with event_code, or leave empty when unknown".into(),
            );
            None
        }
    };
    let event_code = c.text("event").and_then(|e| e.parse::<u32>().ok());
    let status = status?;
    let implied = status.event();
    if let (Some(e), Some(i)) = (event, implied) {
        if e != i {
            c.error(
                "event",
                "event-status",
                format!("event {} contradicts status '{status}'", u8::from(e)),
                format!(
                    "status '{status}' means event = {}; correct one of the two",
                    u8::from(i)
                ),
            );
        }
    }
    let covariates: BTreeMap<String, String> = table
        .header
        .iter()
        .filter_map(|h| {
            h.strip_prefix(super::cases::COVARIATE_PREFIX)
                .map(|name| (h, name))
        })
        .filter_map(|(h, name)| c.string(h).map(|v| (name.to_string(), v)))
        .collect();
    Some(Case {
        study_id: study_id?,
        case_id: case_id?,
        age,
        sex,
        primary_site: c.string("primary_site"),
        primary_treatment: c.string("primary_treatment"),
        latency,
        spinal_level: c.string("spinal_level"),
        treatment: c.string("treatment"),
        adjuvant: c.string("adjuvant"),
        follow_up,
        follow_up_origin: c.string("follow_up_origin"),
        status,
        event: event.or(implied),
        event_code,
        covariates,
        provenance,
        origin: c.origin(),
    })
}

/// A non-negative time with its unit column, in months.
pub(super) fn timed(c: &mut Cells<'_>, column: &str, unit_column: &str) -> Option<f64> {
    let v = c.number(column)?;
    if v < 0.0 {
        c.error(
            column,
            "negative-time",
            format!("{column} {v} is negative"),
            "times count from their origin and cannot be negative".into(),
        );
        return None;
    }
    if c.text(unit_column).is_none() {
        c.error(
            unit_column,
            "missing-value",
            format!("{unit_column} is empty but {column} is given"),
            "write days, weeks, months or years".into(),
        );
        return None;
    }
    let unit = c.vocab::<Unit>(unit_column)?;
    match unit.months_factor() {
        Some(f) => Some(v * f),
        None => {
            c.error(
                unit_column,
                "unit-mismatch",
                format!("'{unit}' is not a unit of time"),
                "use days, weeks, months or years".into(),
            );
            None
        }
    }
}
