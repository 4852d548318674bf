//! The forest plot's axis: limits that take every estimate and pooled CI
//! (study CIs far out end in arrows), kept inside the measure's domain and
//! rounded to ticks; and the densest set of ticks whose labels do not touch
//! (1-2-5 per decade on a log axis, then 1-3, then decades).

use super::{ForestMark, ForestPlot};
use crate::plot::text::{nice_step, text_w, tick_text};
use crate::plot::Scale;

/// Axis limits: the analyst's, or the estimates, the pooled CIs and the
/// null line, widened to take study CIs that are not far out (those end in
/// arrows), rounded to ticks and kept inside the measure's domain.
pub(crate) fn limits(p: &ForestPlot) -> (f64, f64) {
    if let Some((a, b)) = p.xlim {
        return (a.min(b), a.max(b));
    }
    let log = p.scale == Scale::Log;
    let to = |v: f64| if log { v.ln() } else { v };
    let from = |v: f64| if log { v.exp() } else { v };
    let ok = |v: &f64| v.is_finite() && (!log || *v > 0.0);
    let mut core: Vec<f64> = Vec::new();
    let mut outer: Vec<f64> = Vec::new();
    for r in &p.rows {
        match r.mark {
            ForestMark::Study { estimate, ci, .. } => {
                core.push(estimate);
                outer.extend([ci.0, ci.1]);
            }
            ForestMark::Summary { estimate, ci } => core.extend([estimate, ci.0, ci.1]),
            ForestMark::Prediction { pi } => outer.extend([pi.0, pi.1]),
            // Reported figures are shown whole: every number is on the axis.
            ForestMark::Interval {
                estimate,
                lower,
                upper,
                ..
            } => core.extend([estimate, lower, upper].into_iter().flatten()),
            ForestMark::None => {}
        }
    }
    core.extend(p.reference);
    let core: Vec<f64> = core.into_iter().filter(ok).map(to).collect();
    let (mut a, mut b) = core
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !a.is_finite() {
        (a, b) = if log { (-1.0, 1.0) } else { (0.0, 1.0) };
    }
    if p.zero_based && !log {
        a = a.min(0.0);
    }
    let w = (b - a).max(if log { 0.5 } else { b.abs().max(1.0) * 0.2 });
    for v in outer.into_iter().filter(ok).map(to) {
        a = a.min(v.max(a - 1.5 * w));
        b = b.max(v.min(b + 1.5 * w));
    }
    let (mut lo, mut hi) = (from(a), from(b));
    if let Some((d0, d1)) = p.domain {
        lo = lo.max(d0);
        hi = hi.min(d1);
    }
    if log {
        let lo_t = log_floor(lo);
        let hi_t = log_ceil(hi);
        (lo_t, hi_t.max(lo_t * 2.0))
    } else {
        let step = nice_step(((hi - lo) / 5.0).max(1e-9));
        let mut lo_t = (lo / step).floor() * step;
        let mut hi_t = ((hi / step).ceil() * step).max(lo_t + step);
        if let Some((d0, d1)) = p.domain {
            lo_t = lo_t.max(d0);
            hi_t = hi_t.min(d1);
        }
        (lo_t, hi_t)
    }
}

/// The largest 1, 2 or 5 × 10ᵏ not above `v`.
fn log_floor(v: f64) -> f64 {
    let d = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * d)
        .find(|x| *x <= v * (1.0 + 1e-12))
        .unwrap_or(d)
}

/// The smallest 1, 2 or 5 × 10ᵏ not below `v`.
fn log_ceil(v: f64) -> f64 {
    let d = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * d)
        .find(|x| *x >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * d)
}

/// Ticks whose labels do not touch: the densest readable set.
pub(crate) fn ticks(scale: Scale, lo: f64, hi: f64, size: f64, plot_w: f64) -> Vec<f64> {
    let frac = |v: f64| match scale {
        Scale::Linear => (v - lo) / (hi - lo),
        Scale::Log => (v.ln() - lo.ln()) / (hi.ln() - lo.ln()),
    };
    let readable = |ticks: &[f64]| {
        ticks.windows(2).all(|w| {
            let (a, b) = (frac(w[0]) * plot_w, frac(w[1]) * plot_w);
            let half = (text_w(&tick_text(w[0]), size, false)
                + text_w(&tick_text(w[1]), size, false))
                / 2.0;
            b - a >= half + size * 0.6
        })
    };
    let candidates: Vec<Vec<f64>> = match scale {
        Scale::Linear => {
            let mut step = nice_step(((hi - lo) / 8.0).max(1e-12));
            let mut sets = Vec::new();
            for _ in 0..6 {
                let n = ((hi - lo) / step + 1e-9).floor() as usize;
                let first = (lo / step).ceil() * step;
                sets.push(
                    (0..=n)
                        .map(|i| first + i as f64 * step)
                        .filter(|v| *v <= hi + step * 1e-9)
                        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
                        .collect(),
                );
                step = nice_step(step * 1.5);
            }
            sets
        }
        Scale::Log => [&[1.0, 2.0, 5.0][..], &[1.0, 3.0][..], &[1.0][..]]
            .iter()
            .map(|ms| {
                let mut out = Vec::new();
                let mut d = 10f64.powf(lo.log10().floor());
                while d <= hi * 1.0001 {
                    for m in *ms {
                        let v = d * m;
                        if v >= lo * 0.9999 && v <= hi * 1.0001 {
                            out.push(v);
                        }
                    }
                    d *= 10.0;
                }
                // The ends are always labelled on a log axis.
                for end in [lo, hi] {
                    if !out.iter().any(|v| (v / end - 1.0).abs() < 1e-9) {
                        out.push(end);
                    }
                }
                out.sort_by(f64::total_cmp);
                out
            })
            .collect(),
    };
    for set in &candidates {
        if set.len() >= 2 && readable(set) {
            return set.clone();
        }
    }
    // Only the ends.
    vec![lo, hi]
}
