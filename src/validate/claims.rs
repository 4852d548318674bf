//! Rules for a claims table: the numbers a draft cites, to be audited
//! (`survlit audit`, or `[data] claims` with the `claims-audit` kind).

use std::collections::BTreeMap;

use crate::domain::{Claim, ClaimMatch, Outcome, Statistic, Unit, Vocab};
use crate::ingest::RawTable;

use super::cases::timed;
use super::cells::{check_header, Cells};
use super::figures::canonical_unit;
use super::{Diagnostic, Severity};

/// Columns that must be in the header.
pub const REQUIRED: &[&str] = &["claim_id", "text", "value", "unit"];

/// Every column the claims table knows.
pub const COLUMNS: &[&str] = &[
    "claim_id",
    "text",
    "value",
    "unit",
    "statistic",
    "outcome",
    "population",
    "time_point",
    "time_point_unit",
    "n",
    "study_id",
    "match",
    "location",
    "notes",
];

/// Reads and checks every claim; rows with errors are left out.
pub fn read_claims(table: &RawTable, diags: &mut Vec<Diagnostic>) -> Vec<Claim> {
    if !check_header(table, REQUIRED, COLUMNS, None, diags) {
        return Vec::new();
    }
    empty_table(table, diags);
    let mut out: Vec<Claim> = Vec::new();
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let before = super::diagnostic::error_count(diags);
        let mut cells = Cells::new(table, row, diags);
        if let Some(id) = cells.string("claim_id") {
            if let Some(line) = first.insert(id.clone(), row.line) {
                cells.error(
                    "claim_id",
                    "duplicate-claim",
                    format!("claim_id '{id}' is also on line {line}"),
                    "give every claim its own claim_id".into(),
                );
            }
        }
        let claim = read_row(&mut cells);
        if super::diagnostic::error_count(diags) == before {
            out.extend(claim);
        }
    }
    out
}

fn read_row(c: &mut Cells<'_>) -> Option<Claim> {
    let claim_id = c.required("claim_id", "an identifier for the claim, e.g. C1");
    let text = c.required("text", "the sentence of the draft that makes the claim");
    let reported_value = c.text("value").map(str::to_string);
    let value = c.number("value");
    if reported_value.is_none() {
        c.error(
            "value",
            "missing-value",
            "value is empty".into(),
            "write the number the claim cites, e.g. 59.6".into(),
        );
    }
    let reported_unit = if c.text("unit").is_none() {
        c.error(
            "unit",
            "missing-value",
            "unit is empty".into(),
            format!("use one of: {}", Unit::allowed()),
        );
        None
    } else {
        c.vocab::<Unit>("unit")
    };
    let statistic = c.vocab::<Statistic>("statistic");
    let outcome = c.vocab::<Outcome>("outcome");
    let time_point = timed(c, "time_point", "time_point_unit");
    let n = c.count("n");
    let matching = match c.text("match").map(str::to_ascii_lowercase).as_deref() {
        None | Some("rounded") => ClaimMatch::Rounded,
        Some("approximate") => ClaimMatch::Approximate,
        Some(other) => {
            c.error(
                "match",
                "bad-match",
                format!("match '{other}' is not known"),
                "write rounded (equal at the claim's printed precision; the default) or approximate (within 10 %)".into(),
            );
            ClaimMatch::Rounded
        }
    };
    let (value, reported_value, reported_unit) = (value?, reported_value?, reported_unit?);
    let (factor, unit) = canonical_unit(reported_unit, outcome.unwrap_or(Outcome::OverallSurvival));
    let decimals = reported_value.trim().split_once('.').map_or(0, |(_, d)| {
        d.chars().take_while(char::is_ascii_digit).count()
    });
    let rounding = 0.5 * 10f64.powi(-(decimals as i32)) * factor;
    let tolerance = match matching {
        ClaimMatch::Rounded => rounding,
        ClaimMatch::Approximate => rounding.max(0.1 * (value * factor).abs()),
    };
    if value < 0.0 {
        c.warn(
            "value",
            "negative-value",
            format!("value {value} is negative"),
            "check the sign; survival figures are not negative".into(),
        );
    }
    Some(Claim {
        claim_id: claim_id?,
        text: text?,
        value: value * factor,
        tolerance,
        unit,
        reported_value,
        reported_unit,
        statistic,
        outcome,
        population: c.string("population"),
        time_point,
        n,
        study_id: c.string("study_id"),
        matching,
        location: c.string("location"),
        origin: c.origin(),
    })
}

/// A claims table without rows audits nothing: a warning, not an error.
fn empty_table(table: &RawTable, diags: &mut Vec<Diagnostic>) {
    if table.rows.is_empty() {
        diags.push(Diagnostic {
            severity: Severity::Warning,
            location: super::Location {
                file: table.source.display.clone(),
                sheet: table.source.sheet.clone(),
                line: Some(1),
                column: None,
                value: None,
            },
            code: "no-claims",
            message: "the claims table has no rows".into(),
            fix: "add one row per claim of the draft".into(),
        });
    }
}
