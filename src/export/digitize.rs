//! A digitised figure as the tables survlit reads: `curves.csv` and
//! `at_risk.csv` in the project's curves and at-risk formats (which
//! `survlit reconstruct` also reads), each row carrying where it came from.

use crate::digitize::Digitized;

use super::Table;

/// Where the figure came from, for every row.
pub struct Provenance<'a> {
    /// The study the figure belongs to.
    pub study_id: &'a str,
    /// The x axis' unit.
    pub time_unit: &'a str,
    /// The figure: file, page, figure number, and "auto-digitised".
    pub source: &'a str,
}

/// The curves table: one row per step corner.
pub fn curves_table(d: &Digitized, p: &Provenance<'_>) -> Table {
    let rows: Vec<(&str, f64, f64)> = d
        .arms
        .iter()
        .flat_map(|a| {
            a.points
                .iter()
                .map(move |q| (a.name.as_str(), q.time, q.surv))
        })
        .collect();
    let n = rows.len();
    let mut t = Table::default();
    t.text("study_id", vec![Some(p.study_id.to_string()); n])
        .text("arm", rows.iter().map(|r| Some(r.0.to_string())).collect())
        .number("time", rows.iter().map(|r| Some(r.1)).collect())
        .text("time_unit", vec![Some(p.time_unit.to_string()); n])
        .number("survival", rows.iter().map(|r| Some(r.2)).collect())
        .text("survival_scale", vec![Some("proportion".to_string()); n])
        .text("source_location", vec![Some(p.source.to_string()); n])
        .text("notes", vec![None; n]);
    t
}

/// The at-risk table: one row per number read.
pub fn at_risk_table(d: &Digitized, p: &Provenance<'_>) -> Table {
    let n = d.at_risk.len();
    let mut t = Table::default();
    t.text("study_id", vec![Some(p.study_id.to_string()); n])
        .text(
            "arm",
            d.at_risk.iter().map(|r| Some(r.arm.clone())).collect(),
        )
        .number("time", d.at_risk.iter().map(|r| Some(r.time)).collect())
        .text("time_unit", vec![Some(p.time_unit.to_string()); n])
        .integer("n_risk", d.at_risk.iter().map(|r| Some(r.n)).collect())
        .text("source_location", vec![Some(p.source.to_string()); n])
        .text("notes", vec![None; n]);
    t
}
