//! The swimmer plot of the case-table kind: each patient with a follow-up
//! time as a bar, longest first, ending in the patient's status; bars
//! coloured by whether the report states adjuvant therapy.

use crate::domain::{Case, CaseStatus};
use crate::plot::{LaneEnd, SwimLane, SwimmerPlot, DOUBLE_COLUMN_MM};

use super::format::num;

/// Whether a report states adjuvant therapy: anything other than an empty
/// cell, "none" or "not stated…" counts as stated.
fn adjuvant_reported(c: &Case) -> bool {
    c.adjuvant.as_deref().is_some_and(|a| {
        let a = a.trim().to_ascii_lowercase();
        !(a.is_empty()
            || a == "none"
            || a.starts_with("not stated")
            || a.starts_with("not reported"))
    })
}

fn end(s: CaseStatus) -> LaneEnd {
    match s {
        CaseStatus::AliveNed => LaneEnd::AliveNoDisease,
        CaseStatus::AliveDisease => LaneEnd::AliveWithDisease,
        CaseStatus::AliveUnknown => LaneEnd::Alive,
        CaseStatus::DeadDisease | CaseStatus::DeadOther | CaseStatus::DeadUnknownCause => {
            LaneEnd::Death
        }
        _ => LaneEnd::Unknown,
    }
}

/// The plot, or `None` when no patient has a follow-up time.
pub(crate) fn swimmer(
    title: &str,
    rows: &[&Case],
    source: &dyn Fn(&Case) -> String,
) -> Option<SwimmerPlot> {
    let mut with: Vec<&Case> = rows
        .iter()
        .copied()
        .filter(|c| c.follow_up.is_some())
        .collect();
    if with.is_empty() {
        return None;
    }
    with.sort_by(|a, b| {
        b.follow_up
            .unwrap_or(0.0)
            .total_cmp(&a.follow_up.unwrap_or(0.0))
            .then_with(|| a.case_id.cmp(&b.case_id))
    });
    let without = rows.len() - with.len();
    let origins: std::collections::BTreeSet<String> = with
        .iter()
        .map(|c| {
            c.follow_up_origin
                .clone()
                .unwrap_or_else(|| "not stated".into())
        })
        .collect();
    let lanes = with
        .iter()
        .map(|c| {
            let mut label = source(c);
            // Patients of one report are told apart by their case number.
            if rows.iter().filter(|o| o.study_id == c.study_id).count() > 1 {
                if let Some((_, k)) = c.case_id.rsplit_once('_') {
                    label.push_str(&format!(" #{k}"));
                }
            }
            let who = format!(
                "{}{}",
                c.age.map_or(String::new(), |a| format!("{} ", num(a, 0))),
                c.sex.to_string().to_uppercase()
            );
            if !who.trim().is_empty() {
                label.push_str(&format!(" · {}", who.trim()));
            }
            if let Some(l) = &c.spinal_level {
                label.push_str(&format!(" · {l}"));
            }
            let e = end(c.status);
            SwimLane {
                label,
                length: c.follow_up.unwrap_or(0.0),
                end: e,
                group: usize::from(!adjuvant_reported(c)),
                note: format!("{} mo", num(c.follow_up.unwrap_or(0.0), 1)),
            }
        })
        .collect();
    let mut footnotes = vec![format!(
        "Follow-up is measured from the origin each report uses ({}); bars are not strictly comparable.",
        origins.into_iter().collect::<Vec<_>>().join("; ")
    )];
    if without > 0 {
        footnotes.push(format!(
            "{} without a follow-up time {} listed in the table, not drawn.",
            crate::number::count(without, "patient", "patients"),
            if without == 1 { "is" } else { "are" }
        ));
    }
    footnotes.push("Colour: whether the report states adjuvant therapy (an empty cell or \"not stated\" counts as not stated).".into());
    Some(SwimmerPlot {
        title: format!("Follow-up of each patient: {title}"),
        subtitle: Some("One bar per patient with a follow-up time, longest first; the marker gives the status at last follow-up.".into()),
        x_label: "Months of follow-up".into(),
        lanes,
        groups: vec!["adjuvant therapy reported".into(), "adjuvant therapy not stated".into()],
        width_mm: DOUBLE_COLUMN_MM,
        footnotes,
    })
}
