//! Raw tables → validated [`Evidence`] plus every problem found, at once.
//!
//! Validation never panics and never stops at the first problem: each rule
//! adds a [`Diagnostic`] naming file (and sheet), line, column, the offending
//! value and the fix. Rows with errors are left out of the evidence; the
//! caller decides to stop when any error exists. Units are normalised here
//! (times → months, ages → years, percent → proportion).

mod bounds;
mod cases;
mod cells;
mod claims;
mod cross;
mod curves;
mod diagnostic;
mod figures;
mod overlap;
mod provenance;

pub use cells::parse_number;
pub use curves::DIGITIZING_NOISE;
pub use diagnostic::{error_count, Diagnostic, Location, Severity};
pub use figures::{canonical_unit, split_tags};
pub use overlap::duplicate_cases;
pub use provenance::normalise_doi;

use crate::domain::Evidence;
use crate::ingest::RawTable;

/// Column lists, for documentation and for `survlit init`.
pub mod columns {
    pub use super::cases::{COLUMNS as CASES, COVARIATE_PREFIX, REQUIRED as CASES_REQUIRED};
    pub use super::claims::{COLUMNS as CLAIMS, REQUIRED as CLAIMS_REQUIRED};
    pub use super::curves::{
        AT_RISK_COLUMNS as AT_RISK, AT_RISK_REQUIRED, CURVE_COLUMNS as CURVES,
        CURVE_REQUIRED as CURVES_REQUIRED,
    };
    pub use super::figures::{COLUMNS as FIGURES, REQUIRED as FIGURES_REQUIRED};
}

/// The raw tables of a project (any may be absent).
#[derive(Debug, Default)]
pub struct RawTables {
    /// Reported statistics.
    pub figures: Option<RawTable>,
    /// Patient rows.
    pub cases: Option<RawTable>,
    /// Digitized curves.
    pub curves: Option<RawTable>,
    /// Numbers at risk.
    pub at_risk: Option<RawTable>,
    /// Claims of a draft, to audit.
    pub claims: Option<RawTable>,
}

/// Reads a claims table on its own (`survlit audit CLAIMS`).
pub fn read_claims(table: &RawTable) -> (Vec<crate::domain::Claim>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    cells::check_widths(table, &mut diags);
    let claims = claims::read_claims(table, &mut diags);
    (claims, diags)
}

/// Validates all tables. Warnings about sources without DOI or PMID are added
/// once per study.
pub fn validate(raw: &RawTables) -> (Evidence, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    for t in [
        &raw.figures,
        &raw.cases,
        &raw.curves,
        &raw.at_risk,
        &raw.claims,
    ]
    .into_iter()
    .flatten()
    {
        cells::check_widths(t, &mut diags);
        if t.rows.is_empty() {
            diags.push(Diagnostic {
                severity: Severity::Warning,
                location: Location {
                    file: t.source.display.clone(),
                    sheet: t.source.sheet.clone(),
                    ..Location::default()
                },
                code: "empty-table",
                message: "the table has a header but no rows".into(),
                fix: "add the extracted rows (an analysis that reads this table has nothing to work on)".into(),
            });
        }
    }
    let mut evidence = Evidence {
        figures: raw
            .figures
            .as_ref()
            .map(|t| figures::read_figures(t, &mut diags))
            .unwrap_or_default(),
        cases: raw
            .cases
            .as_ref()
            .map(|t| cases::read_cases(t, &mut diags))
            .unwrap_or_default(),
        curves: raw
            .curves
            .as_ref()
            .map(|t| curves::read_curves(t, &mut diags))
            .unwrap_or_default(),
        at_risk: raw
            .at_risk
            .as_ref()
            .map(|t| curves::read_at_risk(t, &mut diags))
            .unwrap_or_default(),
        studies: Default::default(),
        claims: raw
            .claims
            .as_ref()
            .map(|t| claims::read_claims(t, &mut diags))
            .unwrap_or_default(),
    };
    cross::check(&mut evidence, &mut diags);
    overlap::check(&evidence, &mut diags);
    missing_identifiers(&evidence, &mut diags);
    diags.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.code.cmp(b.code))
    });
    (evidence, diags)
}

fn missing_identifiers(e: &Evidence, diags: &mut Vec<Diagnostic>) {
    for (id, src) in &e.studies {
        if src.citation.is_some() && src.doi.is_none() && src.pmid.is_none() {
            let origin = e
                .figures
                .iter()
                .find(|f| &f.study_id == id)
                .map(|f| &f.origin)
                .or_else(|| {
                    e.cases
                        .iter()
                        .find(|c| &c.study_id == id)
                        .map(|c| &c.origin)
                });
            if let Some(origin) = origin {
                diags.push(Diagnostic {
                    severity: Severity::Warning,
                    location: Location {
                        value: None,
                        ..curves::location(origin, "doi", "")
                    },
                    code: "no-identifier",
                    message: format!(
                        "study '{id}' has neither DOI nor PMID: readers cannot look the source up"
                    ),
                    fix: "add the DOI or PMID when the source is identified".into(),
                });
            }
        }
    }
}
