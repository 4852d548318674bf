//! Simulated patients, their KM curves digitised as a person would, and the
//! numbers at risk printed under them: the ground truth for testing
//! reconstruction.

use survlit::stats::survival::digitised::clean_curve;
use survlit::stats::survival::km::{kaplan_meier, ConfType, KmFit};
use survlit::stats::survival::reconstruct::{reconstruct, Reconstruction};

/// SplitMix64: a small deterministic generator for the simulations.
pub struct Rng(pub u64);

impl Rng {
    /// Uniform on [0, 1).
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// n patients: Weibull(shape, rate) event times (shape 1 = exponential),
/// U(0, cmax) censoring (none when cmax is infinite), times to 0.01.
pub fn simulate(n: usize, shape: f64, rate: f64, cmax: f64, seed: u64) -> (Vec<f64>, Vec<bool>) {
    let mut r = Rng(seed);
    (0..n)
        .map(|_| {
            let t = (-(1.0 - r.next()).ln()).powf(1.0 / shape) / rate;
            let c = if cmax.is_finite() {
                r.next() * cmax
            } else {
                f64::INFINITY
            };
            (((t.min(c) * 100.0).round() / 100.0).max(0.01), t <= c)
        })
        .unzip()
}

/// The curve's corners after each drop, a `keep` share of them, each moved
/// by up to ±`noise` in S (and ±5·noise months in time): clicks, some of
/// them non-monotone.
pub fn digitise(fit: &KmFit, noise: f64, keep: f64, seed: u64) -> Vec<(f64, f64)> {
    let mut r = Rng(seed);
    let mut pts = vec![(0.0, 1.0)];
    for s in fit.steps.iter().filter(|s| s.n_event > 0) {
        if r.next() > keep {
            continue;
        }
        let jt = (r.next() - 0.5) * noise * 10.0;
        let js = (r.next() - 0.5) * noise * 2.0;
        pts.push(((s.time + jt).max(0.0), s.surv + js));
    }
    pts
}

/// Numbers at risk printed every `every` months up to `until`.
pub fn at_risk(fit: &KmFit, every: f64, until: f64) -> Vec<(f64, usize)> {
    let mut out = Vec::new();
    let mut t = 0.0;
    while t <= until {
        let idx = fit.steps.partition_point(|s| s.time < t);
        out.push((t, fit.steps.get(idx).map_or(0, |s| s.n_risk)));
        t += every;
    }
    out
}

/// One simulated arm taken through digitising and reconstruction.
pub struct Trial {
    /// Simulated times and events.
    pub time: Vec<f64>,
    /// Simulated events.
    pub event: Vec<bool>,
    /// Their KM curve.
    pub truth: KmFit,
    /// The reconstruction.
    pub rec: Reconstruction,
    /// Reconstructed times and events.
    pub rec_time: Vec<f64>,
    /// Reconstructed events.
    pub rec_event: Vec<bool>,
    /// The reconstruction's KM curve.
    pub rec_fit: KmFit,
    /// What cleaning the clicks changed.
    pub notes: Vec<String>,
    /// Where the curves are compared up to: the last printed at-risk time
    /// (past it one or two patients remain and one event moves S by
    /// 1/n at risk), else the last digitised point.
    pub until: f64,
}

impl Trial {
    /// Digitises the arm's curve (`noise`, `keep`), prints numbers at risk
    /// every 5 months when `risk`, gives the total events when `events`, and
    /// reconstructs.
    pub fn run(
        time: Vec<f64>,
        event: Vec<bool>,
        noise: f64,
        keep: f64,
        risk: bool,
        events: bool,
        seed: u64,
    ) -> Trial {
        let truth = kaplan_meier(&time, &event, ConfType::Log, 0.95).unwrap();
        let (times, surv, notes) = clean_curve(&digitise(&truth, noise, keep, seed));
        let last = *times.last().unwrap();
        let printed = if risk {
            at_risk(&truth, 5.0, last)
        } else {
            vec![(0.0, time.len())]
        };
        let total = events.then(|| event.iter().filter(|x| **x).count());
        let rec = reconstruct(&times, &surv, &printed, total).unwrap();
        let (rec_time, rec_event): (Vec<f64>, Vec<bool>) =
            rec.patients.iter().map(|p| (p.time, p.event)).unzip();
        let rec_fit = kaplan_meier(&rec_time, &rec_event, ConfType::Log, 0.95).unwrap();
        let until = if risk {
            printed.last().map_or(last, |p| p.0).min(last)
        } else {
            last
        };
        Trial {
            time,
            event,
            truth,
            rec,
            rec_time,
            rec_event,
            rec_fit,
            notes,
            until,
        }
    }

    /// max |S_rec(t) − S_true(t)| on 201 times up to [`Trial::until`].
    pub fn max_diff(&self) -> f64 {
        (0..=200)
            .map(|i| self.until * f64::from(i) / 200.0)
            .map(|t| (self.truth.surv_at(t).surv - self.rec_fit.surv_at(t).surv).abs())
            .fold(0.0, f64::max)
    }

    /// Reconstructed minus simulated events.
    pub fn events_error(&self) -> i64 {
        self.rec.events() as i64 - self.event.iter().filter(|x| **x).count() as i64
    }
}
