//! What a forest row shows of a study's own numbers: the published CI when
//! the CI re-derived from the SE used in pooling differs from it beyond
//! the source's rounding (an interval asymmetric on the analysis scale),
//! and the events column in the estimate's own terms (a proportion of
//! patients free of the event is counted as event-free/total, not as the
//! events next to it).

use crate::domain::{Figure, Outcome, Unit};
use crate::present::format::display_factor;

/// The published CI on the display scale, when it differs from
/// `rederived` (display scale) by more than half a unit of the last
/// decimal the source printed and is at the pooled `level`.
pub fn published_ci(f: &Figure, rederived: (f64, f64), level: f64) -> Option<(f64, f64)> {
    let ci = f.ci.as_ref()?;
    if (ci.level - level).abs() > 1e-9 {
        return None;
    }
    let (lo, hi) = (ci.bounds.lower?, ci.bounds.upper?);
    let factor = display_factor(f);
    // A proportion printed as a fraction (0.813) has its rounding in
    // fraction units: scaled with it to percent.
    let printed_scale = if f.unit == Unit::Proportion && f.reported_unit != Unit::Percent {
        factor
    } else {
        1.0
    };
    let half = |d: u8| 0.5 * 10f64.powi(-i32::from(d)) * printed_scale * (1.0 + 1e-9);
    let [dl, du] = ci.bounds.printed_decimals;
    let (pl, pu) = (lo * factor, hi * factor);
    let differs = (rederived.0 - pl).abs() > half(dl) || (rederived.1 - pu).abs() > half(du);
    differs.then_some((pl, pu))
}

/// Whether a proportion of this outcome counts patients free of the event
/// (survival, control), so that its events column reads event-free/total.
fn event_free(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::OverallSurvival
            | Outcome::CancerSpecificSurvival
            | Outcome::ProgressionFreeSurvival
            | Outcome::DiseaseFreeSurvival
            | Outcome::LocalControl
            | Outcome::LocalProgressionFreeSurvival
            | Outcome::SpinalFailureFreeSurvival
    )
}

/// The events column's header for proportions of `outcome`:
/// "Controlled / total" for local control, "Event-free / total" for survival
/// outcomes, else "Events".
pub fn events_header(outcome: Outcome, proportion: bool) -> &'static str {
    match outcome {
        _ if !proportion => "Events",
        Outcome::LocalControl => "Controlled / total",
        Outcome::OverallSurvival | Outcome::CancerSpecificSurvival => "Alive / total",
        o if event_free(o) => "Event-free / total",
        _ => "Events / total",
    }
}

/// The events cell: "48/66" (free of the event, of n) for a proportion,
/// the events alone otherwise; blank without a count.
pub fn events_cell(f: &Figure, proportion: bool) -> String {
    match (f.events, f.n) {
        (None, _) => String::new(),
        (Some(e), Some(n)) if proportion && event_free(f.outcome) && e <= n => {
            format!("{}/{n}", n - e)
        }
        (Some(e), Some(n)) if proportion => format!("{e}/{n}"),
        (Some(e), _) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ConfidenceInterval, Interval};

    fn local_control(value: f64, events: u64, n: u64) -> Figure {
        let mut f = Figure::example("folkert", value, n);
        f.outcome = Outcome::LocalControl;
        f.unit = Unit::Proportion;
        f.reported_unit = Unit::Percent;
        f.events = Some(events);
        f
    }

    #[test]
    fn local_control_counts_the_controlled_not_the_failures() {
        let f = local_control(0.81, 18, 66);
        assert_eq!(events_cell(&f, true), "48/66");
        assert_eq!(events_header(f.outcome, true), "Controlled / total");
        let mut failure = f.clone();
        failure.outcome = Outcome::LocalFailure;
        assert_eq!(events_cell(&failure, true), "18/66");
        assert_eq!(events_header(Outcome::OverallSurvival, false), "Events");
        assert_eq!(events_cell(&f, false), "18");
    }

    #[test]
    fn a_published_ci_is_kept_only_when_it_differs_beyond_rounding() {
        let mut f = local_control(0.879, 16, 120);
        f.ci = Some(ConfidenceInterval {
            level: 0.95,
            bounds: Interval {
                lower: Some(0.813),
                upper: Some(0.945),
                printed_decimals: [1, 1],
            },
        });
        // Re-derived 78.5–93.5 against the published 81.3–94.5 (percent, 1 decimal).
        let (lo, hi) = published_ci(&f, (78.5, 93.5), 0.95).unwrap();
        assert!((lo - 81.3).abs() < 1e-9 && (hi - 94.5).abs() < 1e-9);
        // Equal at the printed rounding: nothing to mark.
        assert_eq!(published_ci(&f, (81.34, 94.46), 0.95), None);
        // Another level: the forest shows its own CI.
        assert_eq!(published_ci(&f, (78.5, 93.5), 0.90), None);
    }
}
