//! The words of the `km` kind: its default heading, the time axis' title
//! from the data, and the caveats of the estimate.

use std::collections::BTreeSet;

use crate::analysis::patients::pooled::Collected;
use crate::analysis::patients::Source;
use crate::workflow::survival::patients::Patients;

/// The default heading: what the patients are.
pub(crate) fn default_title(sources: &[Source]) -> &'static str {
    match (
        sources.contains(&Source::Cases),
        sources.contains(&Source::Reconstructed),
    ) {
        (true, true) => "Kaplan–Meier analysis of case-report and reconstructed patients",
        (false, true) => "Kaplan–Meier analysis of reconstructed patients",
        _ => "Kaplan–Meier analysis of case reports",
    }
}

/// The time axis' title from the data: the unit, and the time origin when
/// case reports state one ("Time from surgery (months)"), or say that
/// their origins differ.
pub(crate) fn axis_title(c: &Collected, unit: &str) -> String {
    let origins: BTreeSet<&str> = c
        .entered
        .iter()
        .map(|case| case.follow_up_origin.as_deref().unwrap_or("not stated"))
        .collect();
    match origins.into_iter().collect::<Vec<_>>().as_slice() {
        [] | ["not stated"] => format!("Time ({unit})"),
        [one] if c.reconstructed_arms == 0 => format!("Time from {one} ({unit})"),
        _ => format!("Time from each report's origin ({unit})"),
    }
}

/// The caveats of the estimate: a case series selected by publication
/// (only when case reports enter), reconstructed rather than observed times,
/// and mixed time origins.
pub(crate) fn caveats(c: &Collected, patients: &Patients) -> Vec<String> {
    let events = patients.event.iter().filter(|e| **e).count();
    let cases = c.pooled.count(Source::Cases);
    let counts = format!(
        "{}, {}",
        crate::number::count(patients.time.len(), "patient", "patients"),
        crate::number::count(events, "event", "events")
    );
    let series = "a case series, selected by what was published; the curve describes these patients, not a population.";
    let mut caveats = vec![match cases {
        0 => format!("{counts}."),
        n if n == patients.time.len() => format!("{counts}: {series}"),
        n => format!(
            "{counts}. {} from case reports: {series}",
            crate::number::count(n, "patient", "patients")
        ),
    }];
    if c.reconstructed_arms > 0 {
        caveats.push(format!(
            "{} reconstructed from {} (Guyot 2012): approximate event and censoring times, not observed ones.",
            crate::number::count(c.pooled.count(Source::Reconstructed), "patient was", "patients were"),
            crate::number::count(c.reconstructed_arms, "published curve", "published curves")
        ));
    }
    let origins: BTreeSet<String> = c
        .entered
        .iter()
        .map(|case| {
            case.follow_up_origin
                .clone()
                .unwrap_or_else(|| "not stated".into())
        })
        .collect();
    if origins.len() > 1 {
        caveats.push(format!(
            "Follow-up is measured from different origins ({}); times are not strictly comparable.",
            origins.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    caveats
}
