//! What `check` can tell about a `reconstruct` analysis before it runs,
//! found by reconstructing the arms as run does: no arm that can be
//! reconstructed (an error, as run refuses), arms left out (warnings),
//! `total_events` of an arm not in the data (an error when it resembles
//! one, a typo; else a warning), a `reference` no arm has (run falls back
//! to each study's first arm: a warning) and time-axis options that leave
//! the figures no tick.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::patients::reconstruct::{reconstruct_selected, ArmResult};
use crate::analysis::patients::{no_arms, time_options, TimeOptions};
use crate::analysis::plan::{self, Planned};
use crate::domain::{closest, Evidence, Reads};
use crate::project::AnalysisSpec;

/// The plan of `reconstruct`: the common checks, then the arms as run
/// reconstructs them; the arms when there are any.
pub(super) fn arms(
    spec: &AnalysisSpec,
    reads: Reads,
    total_events: &BTreeMap<String, usize>,
    (reference, time): (Option<&str>, &TimeOptions),
    evidence: &Evidence,
    (data_ok, p): (bool, &mut Planned),
) -> Vec<ArmResult> {
    plan::common(spec, reads, evidence, data_ok, p);
    if !data_ok || !p.errors.is_empty() {
        return Vec::new();
    }
    let (arms, skipped) = reconstruct_selected(spec, evidence, total_events);
    if arms.is_empty() {
        let (m, fix) = no_arms(&skipped);
        p.error(spec, spec.line, m, fix);
        return arms;
    }
    for why in &skipped {
        p.warn(
            spec,
            spec.line,
            format!("arm {why}; it is left out"),
            String::new(),
        );
    }
    let keys: BTreeSet<String> = evidence
        .curves
        .iter()
        .filter(|c| spec.select.matches_study(&c.study_id))
        .map(|c| format!("{}/{}", c.study_id, c.arm))
        .collect();
    for key in total_events.keys().filter(|k| !keys.contains(*k)) {
        let line = spec.option_line("total_events");
        let m = format!("options.total_events: no selected digitised arm '{key}' (study_id/arm)");
        match closest(key, keys.iter().map(String::as_str)) {
            Some(k) => p.error(spec, line, m, format!("did you mean '{k}'?")),
            None => p.warn(
                spec,
                line,
                format!("{m}; it is not used"),
                format!(
                    "arms: {}",
                    keys.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            ),
        }
    }
    if let Some(r) = reference {
        let names = || arms.iter().map(|a| a.arm.as_str());
        if !names().any(|a| a.eq_ignore_ascii_case(r.trim())) {
            let fix = match closest(r, names()) {
                Some(a) => format!("did you mean '{a}'?"),
                None => format!("arms: {}", names().collect::<Vec<_>>().join(", ")),
            };
            p.warn(
                spec,
                spec.option_line("reference"),
                format!("options.reference: no reconstructed arm '{r}', so each study's first arm is the reference"),
                fix,
            );
        }
    }
    let last = arms
        .iter()
        .flat_map(|a| a.points.last().map(|pt| pt.0))
        .fold(0.0, f64::max);
    time_options(spec, time, last, p);
    arms
}
