//! The columns a table needs for a measure, checked once before any row is
//! read: a column typo or a missing column is one message naming the
//! closest column present, not one error per row.

use super::{Measure, Roles, NUMERIC_ROLES};
use crate::domain::closest;
use crate::ingest::RawTable;

/// Every role a `--col ROLE=NAME` may map.
pub fn known_roles() -> Vec<&'static str> {
    let mut roles = vec!["study", "favours", "sides"];
    roles.extend(NUMERIC_ROLES);
    roles
}

/// The column sets from which a measure's effect can be computed, in order
/// of preference (the routes of `routes.rs`).
fn routes(measure: Measure) -> &'static [&'static [&'static str]] {
    match measure {
        Measure::GEN => &[&["yi", "vi"], &["yi", "sei"]],
        Measure::HR => &[
            &["hr", "ci_lb", "ci_ub"],
            &["hr", "pval"],
            &["o_minus_e", "v"],
            &["pval", "events"],
        ],
        Measure::Proportion(_) => &[
            &["events", "n"],
            &["proportion", "n"],
            &["proportion", "ci_lb", "ci_ub"],
        ],
        Measure::MED => &[
            &["median", "ci_lb", "ci_ub"],
            &["median", "ci_ub"],
            &["median", "ci_lb"],
        ],
        Measure::DOM | Measure::ROM => &[&["median1", "median2"]],
    }
}

/// When no route's columns are all present: one message naming the nearest
/// route's missing columns, each with the closest unused column of the
/// table as a did-you-mean.
pub(super) fn missing_route(table: &RawTable, measure: Measure, roles: &Roles) -> Option<String> {
    let has = |role: &str| table.column(roles.name(role)).is_some();
    let all = routes(measure);
    if all.iter().any(|r| r.iter().all(|c| has(c))) {
        return None;
    }
    let nearest = all
        .iter()
        .min_by_key(|r| r.iter().filter(|c| !has(c)).count())?;
    let used: Vec<&str> = known_roles().into_iter().map(|r| roles.name(r)).collect();
    let unused: Vec<&str> = table
        .header
        .iter()
        .map(String::as_str)
        .filter(|h| !h.is_empty() && !used.contains(h))
        .collect();
    let missing: Vec<String> = nearest
        .iter()
        .filter(|c| !has(c))
        .map(|role| {
            let name = roles.name(role);
            let role_note = if name == *role { String::new() } else { format!(" (role {role})") };
            match closest(name, unused.iter().copied()) {
                Some(s) => format!("no column '{name}'{role_note}: did you mean '{s}'? (rename it, or --col {role}={s})"),
                None => format!("no column '{name}'{role_note} (add it, or map another with --col {role}=NAME)"),
            }
        })
        .collect();
    let ways: Vec<String> = all.iter().map(|r| r.join(", ")).collect();
    Some(format!(
        "{}: measure {measure} needs the columns {}; the table has {}: {}",
        table.source.display,
        ways.join("; or "),
        table.header.join(", "),
        missing.join("; ")
    ))
}
