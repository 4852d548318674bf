//! `ipd.csv`: the reconstructed patients, one row each, with their arm's
//! provenance in the columns every export carries (study identity, source
//! location, data file and line).

use crate::domain::Evidence;
use crate::export::Table;

use crate::analysis::patients::reconstruct::ArmResult;
use crate::analysis::patients::study_source;
use crate::present::columns::{self, Sourced};

/// The reconstructed patients with their arm's source: the figure the arm was
/// digitised from, and the file and line of its first digitised point.
pub(crate) fn ipd_table(arms: &[ArmResult], evidence: &Evidence) -> Table {
    let rows: Vec<(&ArmResult, f64, bool)> = arms
        .iter()
        .flat_map(|a| a.result.patients.iter().map(move |p| (a, p.time, p.event)))
        .collect();
    let sourced: Vec<Sourced<'_>> = rows
        .iter()
        .map(|(a, _, _)| Sourced {
            study_id: &a.study_id,
            provenance: &a.provenance,
            study: study_source(evidence, &a.study_id),
            origin: &a.origin,
        })
        .collect();
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    t.text("arm", rows.iter().map(|r| Some(r.0.arm.clone())).collect())
        .number("time_months", rows.iter().map(|r| Some(r.1)).collect())
        .integer("event", rows.iter().map(|r| Some(u64::from(r.2))).collect())
        .text(
            "source",
            rows.iter()
                .map(|_| Some("reconstructed".to_string()))
                .collect(),
        )
        .text(
            "method",
            rows.iter()
                .map(|r| Some(format!("Guyot 2012; {}", r.0.result.tier)))
                .collect(),
        );
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}
