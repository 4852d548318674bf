//! The tables the `km` kind writes: every selected case (entered or left
//! out, and why) and every step of every curve.

use crate::domain::{Case, StudySource};
use crate::export::Table;

use crate::present::columns::{self, Sourced};
use crate::workflow::survival::CurveSummary;

/// Every selected patient: entered (with group, time, event) or left out (why).
pub(crate) fn patient_table<'a>(
    rows: &[&'a Case],
    entered: &[&'a Case],
    groups: &[String],
    reasons: &[(&'a Case, String)],
    source: &dyn Fn(&'a Case) -> &'a StudySource,
    event: &dyn Fn(&Case) -> Option<bool>,
) -> Table {
    let sourced = Sourced::of(rows, source);
    let pos = |c: &Case| entered.iter().position(|e| std::ptr::eq(*e, c));
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    t.text(
        "case_id",
        rows.iter().map(|c| Some(c.case_id.clone())).collect(),
    )
    .text(
        "status",
        rows.iter()
            .map(|c| {
                Some(
                    if pos(c).is_some() {
                        "entered"
                    } else {
                        "left out"
                    }
                    .to_string(),
                )
            })
            .collect(),
    )
    .text(
        "reason",
        rows.iter()
            .map(|c| {
                reasons
                    .iter()
                    .find(|(r, _)| std::ptr::eq(*r, *c))
                    .map(|(_, w)| w.clone())
            })
            .collect(),
    )
    .text(
        "group",
        rows.iter()
            .map(|c| pos(c).map(|i| groups[i].clone()))
            .collect(),
    )
    .number("time_months", rows.iter().map(|c| c.follow_up).collect())
    .integer(
        "event",
        rows.iter().map(|c| event(c).map(u64::from)).collect(),
    )
    .text(
        "time_origin",
        rows.iter().map(|c| c.follow_up_origin.clone()).collect(),
    )
    .text(
        "vital_status",
        rows.iter().map(|c| Some(c.status.to_string())).collect(),
    );
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}

/// The KM steps of every curve.
pub(crate) fn steps_table(curves: &[CurveSummary]) -> Table {
    let all: Vec<(&str, &crate::stats::survival::km::KmStep)> = curves
        .iter()
        .flat_map(|c| c.fit.steps.iter().map(move |s| (c.label.as_str(), s)))
        .collect();
    let mut t = Table::default();
    t.text(
        "group",
        all.iter().map(|(g, _)| Some((*g).to_string())).collect(),
    )
    .number(
        "time_months",
        all.iter().map(|(_, s)| Some(s.time)).collect(),
    )
    .integer(
        "n_risk",
        all.iter().map(|(_, s)| Some(s.n_risk as u64)).collect(),
    )
    .integer(
        "n_event",
        all.iter().map(|(_, s)| Some(s.n_event as u64)).collect(),
    )
    .integer(
        "n_censor",
        all.iter().map(|(_, s)| Some(s.n_censor as u64)).collect(),
    )
    .number("surv", all.iter().map(|(_, s)| Some(s.surv)).collect())
    .number(
        "se_surv",
        all.iter()
            .map(|(_, s)| Some(s.se_surv()).filter(|v| v.is_finite()))
            .collect(),
    )
    .number(
        "ci_lb",
        all.iter()
            .map(|(_, s)| Some(s.ci_lb).filter(|v| v.is_finite()))
            .collect(),
    )
    .number(
        "ci_ub",
        all.iter()
            .map(|(_, s)| Some(s.ci_ub).filter(|v| v.is_finite()))
            .collect(),
    );
    t
}
