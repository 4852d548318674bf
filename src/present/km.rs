//! Kaplan–Meier results as figure data: a fitted curve's steps, confidence
//! band, censor marks and the KMunicate counts at the axis ticks.

use crate::plot::KmCurve;
use crate::workflow::survival::CurveSummary;

/// Steps, band and censor marks of a curve, with counts at the ticks.
pub fn plot_curve(c: &CurveSummary, ticks: &[f64]) -> KmCurve {
    let mut steps = vec![(0.0, 1.0)];
    let mut band = vec![(0.0, 1.0, 1.0)];
    let mut censored = Vec::new();
    for s in &c.fit.steps {
        if s.n_event > 0 {
            steps.push((s.time, s.surv));
            band.push((s.time, s.ci_lb, s.ci_ub));
        }
        if s.n_censor > 0 {
            censored.push((s.time, s.surv));
        }
    }
    // Carry the curve to the last observation.
    if let Some(last) = c.fit.steps.last() {
        if steps.last().is_some_and(|p| p.0 < last.time) {
            steps.push((last.time, last.surv));
            band.push((last.time, last.ci_lb, last.ci_ub));
        }
    }
    // Cumulative counts by each tick (the KMunicate rows).
    let by = |t: f64, f: fn(&crate::stats::survival::km::KmStep) -> usize| {
        c.fit
            .steps
            .iter()
            .filter(|s| s.time <= t)
            .map(f)
            .sum::<usize>()
    };
    KmCurve {
        label: format!("{} (n = {})", c.label, c.fit.n),
        steps,
        band: Some(band),
        censored,
        at_risk: ticks.iter().map(|t| c.fit.surv_at(*t).n_risk).collect(),
        censored_by: ticks.iter().map(|t| by(*t, |s| s.n_censor)).collect(),
        events_by: ticks.iter().map(|t| by(*t, |s| s.n_event)).collect(),
        median: c.median.estimate,
        points: Vec::new(),
    }
}
