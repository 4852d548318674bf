//! Reconstruction accuracy by simulation (issue #4): patients simulated
//! under three hazard shapes and three censoring levels, n from 9 to 800,
//! two arms (HR 0.7); each arm's KM digitised as a person would (80% of the
//! step corners, noise in both axes, non-monotone clicks), numbers at risk
//! printed every 5 months; reconstructed with each input tier and compared
//! with the truth. `bench/reconstruction.sh` runs the ignored test below,
//! which writes `bench/reconstruction.md`; the quick test guards the bounds.

use crate::common;

use crate::common::sim::{simulate, Trial};
use survlit::stats::linalg::Matrix;
use survlit::stats::survival::cox::{cox, Ties};

const TIERS: [(&str, bool, bool); 4] = [
    ("points + N", false, false),
    ("points + N + events", false, true),
    ("points + numbers at risk", true, false),
    ("points + numbers at risk + events", true, true),
];

/// One replicate's errors.
struct Errors {
    max_ds: f64,
    median_rel: Option<f64>,
    events: f64,
    log_hr: f64,
}

fn log_hr(t: &[f64], e: &[bool], arm: &[f64]) -> f64 {
    let x = Matrix {
        rows: arm.len(),
        cols: 1,
        data: arm.to_vec(),
    };
    cox(t, e, &x, None, Ties::Efron).map_or(f64::NAN, |f| f.coef[0])
}

fn replicate(n: usize, shape: f64, cmax: f64, risk: bool, events: bool, seed: u64) -> Errors {
    let mut all = (Vec::new(), Vec::new(), Vec::new());
    let mut rec = (Vec::new(), Vec::new(), Vec::new());
    let (mut max_ds, mut ev_err, mut median_rel) = (0.0f64, 0.0, None);
    for (a, rate) in [(0.0, 0.1), (1.0, 0.1 * 0.7f64.powf(1.0 / shape))] {
        let (t, e) = simulate(n, shape, rate, cmax, seed * 7 + a as u64);
        let tr = Trial::run(t, e, 0.005, 0.8, risk, events, seed * 13 + a as u64);
        max_ds = max_ds.max(tr.max_diff());
        let (truth, fit) = (&tr.truth, &tr.rec_fit);
        ev_err += tr.events_error().unsigned_abs() as f64 / 2.0;
        if a == 0.0 {
            if let (Some(m0), Some(m1)) = (truth.quantile(0.5).estimate, fit.quantile(0.5).estimate)
            {
                median_rel = Some((m1 - m0).abs() / m0);
            }
        }
        all.0.extend(&tr.time);
        all.1.extend(&tr.event);
        all.2.extend(std::iter::repeat(a).take(n));
        rec.0.extend(&tr.rec_time);
        rec.1.extend(&tr.rec_event);
        rec.2.extend(std::iter::repeat(a).take(n));
    }
    Errors {
        max_ds,
        median_rel,
        events: ev_err,
        log_hr: (log_hr(&all.0, &all.1, &all.2) - log_hr(&rec.0, &rec.1, &rec.2)).abs(),
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn pct90(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64) * 0.9) as usize)
        .or(v.last())
        .copied()
        .unwrap_or(f64::NAN)
}

/// Rows (tier, n, mean max|ΔS|, 90th pct, mean |Δmedian| %, mean |Δevents|, mean |Δlog HR|).
fn table(ns: &[usize], reps: u64) -> Vec<(String, usize, f64, f64, f64, f64, f64)> {
    let mut rows = Vec::new();
    for (tier, risk, events) in TIERS {
        for &n in ns {
            let (mut ds, mut med, mut ev, mut hr) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for shape in [1.0, 1.5, 0.7] {
                for cmax in [f64::INFINITY, 60.0, 20.0] {
                    for rep in 0..reps {
                        let e = replicate(n, shape, cmax, risk, events, rep + 1 + n as u64 * 1000);
                        ds.push(e.max_ds);
                        med.extend(e.median_rel);
                        ev.push(e.events);
                        if e.log_hr.is_finite() {
                            hr.push(e.log_hr);
                        }
                    }
                }
            }
            rows.push((
                tier.to_string(),
                n,
                mean(&ds),
                pct90(&mut ds),
                100.0 * mean(&med),
                mean(&ev),
                mean(&hr),
            ));
        }
    }
    rows
}

#[test]
fn with_numbers_at_risk_large_arms_are_close() {
    // Noisy, thinned clicks: at n = 100 a few points off by 0.005 and gaps
    // in the corners cost more than rounding; by n = 300 the curve is
    // within 0.03 everywhere (exact corners: within 0.03 from n = 100, see
    // tests/reconstruct.rs).
    for (tier, n, mean_ds, p90, _, _, hr) in table(&[100, 300], 2) {
        if tier.starts_with("points + numbers at risk") {
            let bound = if n >= 300 { 0.03 } else { 0.07 };
            assert!(
                p90 <= bound,
                "{tier}, n = {n}: 90th percentile max |dS| = {p90}"
            );
            assert!(
                mean_ds <= bound,
                "{tier}, n = {n}: mean max |dS| = {mean_ds}"
            );
            assert!(hr <= 0.1, "{tier}, n = {n}: mean |d log HR| = {hr}");
        }
    }
}

#[test]
#[ignore = "writes bench/reconstruction.md; run by bench/reconstruction.sh"]
fn accuracy_table() {
    let rows = table(&[9, 30, 100, 300, 800], 5);
    let mut md = String::from(
        "# Reconstruction accuracy by input tier (simulation)\n\n\
         Written by `bench/reconstruction.sh` (`tests/reconstruction_accuracy.rs`). Per cell: 45 \
         two-arm data sets (exponential, Weibull 1.5 and 0.7 hazards × no, light (U(0, 60)) and \
         heavy (U(0, 20)) censoring × 5 seeds; HR 0.7), each arm's KM digitised from 80% of its \
         step corners with noise (±0.005 in S, ±0.025 months) and non-monotone clicks, numbers at \
         risk every 5 months. max |ΔS|: largest gap between the true and the reconstructed KM \
         (up to the last printed at-risk time when those are used, else to the last point); \
         Δmedian relative to the true median of arm 1; Δevents per arm; Δlog HR from Cox (Efron) \
         on both arms.\n\n\
         | input | n per arm | mean max \\|ΔS\\| | 90th pct | mean \\|Δmedian\\| % | mean \\|Δevents\\| | mean \\|Δlog HR\\| |\n|---|---|---|---|---|---|---|\n",
    );
    for (tier, n, a, b, c, d, e) in rows {
        md.push_str(&format!(
            "| {tier} | {n} | {a:.3} | {b:.3} | {c:.1} | {d:.1} | {e:.3} |\n"
        ));
    }
    std::fs::write(
        std::path::Path::new(common::ROOT).join("bench/reconstruction.md"),
        md,
    )
    .unwrap();
}
