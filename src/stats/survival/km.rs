//! Kaplan–Meier estimation as R's `survfit` defines it (right-censored
//! data, unit weights): one step per distinct time (events or censorings),
//! Greenwood variance of the cumulative hazard, pointwise CIs of type log
//! (R's default), log-log or plain; quantiles with R's rule; RMST with its SE
//! as `print(survfit, rmean = τ)`.
//!
//! # Formulas
//! S(t) = Π_{tⱼ ≤ t} (1 − dⱼ/nⱼ). R's `std.err` is the SE of the cumulative
//! hazard, √Σ dⱼ/(nⱼ(nⱼ − dⱼ)) (Greenwood); the SE of S is S times it. CIs
//! (`survfit_confint`): log: S·exp(∓z·se), upper capped at 1; log-log:
//! exp(−exp(log(−log S) ∓ z·se/log S)), missing at S = 1; plain: S ∓ z·se·S
//! clipped to [0, 1]. All are missing where S = 0.
//!
//! Quantiles (`quantile.survfit`, `findq`): the first time at which
//! 1 − S(t) reaches p; where S equals 1 − p exactly (within √ε) over an
//! interval, the midpoint of that interval (to the last time, if S stays
//! there). The CI is the same rule applied to the CI bands. "Not reached" is
//! `None`, never a number.
//!
//! RMST to τ: the area under S on [0, τ]; SE² = Σ_{tⱼ ≤ τ} Aⱼ² dⱼ/(nⱼ(nⱼ − dⱼ)),
//! Aⱼ the area under S from tⱼ to τ (R's `survmean`).

use super::SurvError;
use crate::domain::{parsed_as_vocab, Vocab};
use crate::stats::dist;

/// Pointwise CI type for S(t).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfType {
    /// exp(log S ± z·se) — R's default.
    Log,
    /// exp(−exp(log(−log S) ± z·se/log S)).
    LogLog,
    /// S ± z·se·S.
    Plain,
}

impl Vocab for ConfType {
    const WHAT: &'static str = "CI type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("log", Self::Log),
        ("log-log", Self::LogLog),
        ("plain", Self::Plain),
    ];
    const ALIASES: &'static [(&'static str, Self)] =
        &[("loglog", Self::LogLog), ("linear", Self::Plain)];
}

parsed_as_vocab!(ConfType);

impl std::fmt::Display for ConfType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Log => "log",
            Self::LogLog => "log-log",
            Self::Plain => "plain",
        })
    }
}

/// One row of the Kaplan–Meier table (a distinct time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmStep {
    /// The time.
    pub time: f64,
    /// At risk just before it.
    pub n_risk: usize,
    /// Events at it.
    pub n_event: usize,
    /// Censored at it.
    pub n_censor: usize,
    /// S(t).
    pub surv: f64,
    /// SE of the cumulative hazard (R's `std.err`); NaN once S = 0.
    pub se_cumhaz: f64,
    /// Lower CI bound (NaN where undefined).
    pub ci_lb: f64,
    /// Upper CI bound (NaN where undefined).
    pub ci_ub: f64,
}

impl KmStep {
    /// SE of S(t) (Greenwood).
    pub fn se_surv(&self) -> f64 {
        self.se_cumhaz * self.surv
    }
}

/// A quantile and its CI; `None` where not reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    /// The time at which S reaches 1 − p.
    pub estimate: Option<f64>,
    /// Where the lower CI band crosses (the earlier time).
    pub ci_lb: Option<f64>,
    /// Where the upper CI band crosses (the later time).
    pub ci_ub: Option<f64>,
}

/// S(t) at a chosen time, with its CI (R's `summary(fit, times = )`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvAt {
    /// The time asked for.
    pub time: f64,
    /// At risk at that time (0 after the last observation).
    pub n_risk: usize,
    /// S(t).
    pub surv: f64,
    /// SE of S(t).
    pub se_surv: f64,
    /// Lower CI bound.
    pub ci_lb: f64,
    /// Upper CI bound.
    pub ci_ub: f64,
}

/// A fitted Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KmFit {
    /// Subjects.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// CI type.
    pub conf_type: ConfType,
    /// CI level (0–1).
    pub level: f64,
    /// One step per distinct time, ascending.
    pub steps: Vec<KmStep>,
}

/// Tolerance for "S equals 1 − p" (R's `sqrt(.Machine$double.eps)`).
const QUANTILE_TOL: f64 = 1.490_116_119_384_765_6e-8;

/// Fits the curve to `(time, event)` pairs. Times must be finite and ≥ 0.
pub fn kaplan_meier(
    time: &[f64],
    event: &[bool],
    conf_type: ConfType,
    level: f64,
) -> Result<KmFit, SurvError> {
    super::check_input(time, event)?;
    let sorted = super::sorted_by_time(time, |i| u32::from(event[i]), 0..time.len());
    let z = dist::qnorm(1.0 - (1.0 - level) / 2.0);
    let n = time.len();
    // At most one step per subject; reserving that (pages never written
    // are never touched) avoids copying the table as it grows.
    let mut steps = Vec::with_capacity(n);
    let (mut s, mut varhaz) = (1.0f64, 0.0f64);
    let mut i = 0;
    while i < n {
        let key = sorted[i].0;
        let mut j = i;
        while j < n && sorted[j].0 == key {
            j += 1;
        }
        // Within a time the pairs sort censored (tag 0) before events.
        let d = sorted[i..j].iter().filter(|p| p.1 == 1).count();
        let c = j - i - d;
        let at_risk = n - i;
        if d > 0 {
            s *= 1.0 - d as f64 / at_risk as f64;
            varhaz += if at_risk > d {
                d as f64 / (at_risk as f64 * (at_risk - d) as f64)
            } else {
                f64::INFINITY
            };
        }
        let se = if s > 0.0 { varhaz.sqrt() } else { f64::NAN };
        let (lb, ub) = confint(s, se, z, conf_type);
        steps.push(KmStep {
            time: super::key_time(key),
            n_risk: at_risk,
            n_event: d,
            n_censor: c,
            surv: s,
            se_cumhaz: se,
            ci_lb: lb,
            ci_ub: ub,
        });
        i = j;
    }
    Ok(KmFit {
        n,
        events: event.iter().filter(|e| **e).count(),
        conf_type,
        level,
        steps,
    })
}

/// R's `survfit_confint` for S with SE `se` of the cumulative hazard.
pub fn confint(s: f64, se: f64, z: f64, conf_type: ConfType) -> (f64, f64) {
    if !(s > 0.0) || se.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    match conf_type {
        ConfType::Plain => {
            let h = se * s * z;
            ((s - h).max(0.0), (s + h).min(1.0))
        }
        ConfType::Log => {
            let h = z * se;
            ((s.ln() - h).exp(), (s.ln() + h).exp().min(1.0))
        }
        ConfType::LogLog => {
            if s >= 1.0 {
                return (f64::NAN, f64::NAN);
            }
            let h = z * se / s.ln();
            let ll = (-s.ln()).ln();
            ((-(ll - h).exp()).exp(), (-(ll + h).exp()).exp())
        }
    }
}

impl KmFit {
    /// The p-quantile of the survival distribution (p = 0.5: the median)
    /// with its CI from the bands, by R's rule.
    pub fn quantile(&self, p: f64) -> Quantile {
        Quantile {
            estimate: find_quantile(&self.steps, |s| s.surv, p),
            // The lower band lies below S and crosses 1 − p first: the
            // lower limit; the upper band crosses last: the upper limit.
            ci_lb: find_quantile(&self.steps, |s| s.ci_lb, p),
            ci_ub: find_quantile(&self.steps, |s| s.ci_ub, p),
        }
    }

    /// S at chosen times (the step at or before t; 1 before the first
    /// time), as R's `summary(fit, times = , extend = TRUE)`.
    pub fn surv_at(&self, t: f64) -> SurvAt {
        let z = dist::qnorm(1.0 - (1.0 - self.level) / 2.0);
        let idx = self.steps.partition_point(|s| s.time <= t);
        let n_risk = self
            .steps
            .get(self.steps.partition_point(|s| s.time < t))
            .map_or(0, |s| s.n_risk);
        if idx == 0 {
            return SurvAt {
                time: t,
                n_risk: if self.steps.is_empty() { 0 } else { self.n },
                surv: 1.0,
                se_surv: 0.0,
                ci_lb: 1.0,
                ci_ub: 1.0,
            };
        }
        let s = &self.steps[idx - 1];
        let (lb, ub) = confint(s.surv, s.se_cumhaz, z, self.conf_type);
        SurvAt {
            time: t,
            n_risk,
            surv: s.surv,
            se_surv: s.se_surv(),
            ci_lb: lb,
            ci_ub: ub,
        }
    }

    /// Restricted mean survival time to `tau` and its SE (R's `survmean`).
    pub fn rmst(&self, tau: f64) -> (f64, f64) {
        let start = self.steps.first().map_or(0.0, |s| s.time.min(0.0));
        let kept: Vec<&KmStep> = self.steps.iter().filter(|s| s.time <= tau).collect();
        // Rectangles: S just before each kept time, from the previous time.
        let mut rects = Vec::with_capacity(kept.len() + 1);
        let mut hh = Vec::with_capacity(kept.len() + 1);
        let (mut prev_t, mut prev_s) = (start, 1.0);
        for s in &kept {
            rects.push((s.time - prev_t) * prev_s);
            hh.push(if s.n_risk == s.n_event {
                0.0
            } else {
                s.n_event as f64 / (s.n_risk as f64 * (s.n_risk - s.n_event) as f64)
            });
            (prev_t, prev_s) = (s.time, s.surv);
        }
        rects.push((tau - prev_t) * prev_s);
        let mean = rects.iter().sum::<f64>() + start;
        // Σ_j (area from t_j to τ)² hh_j.
        let mut var = 0.0;
        let mut area_after = 0.0;
        for j in (0..hh.len()).rev() {
            area_after += rects[j + 1];
            var += area_after * area_after * hh[j];
        }
        (mean, var.sqrt())
    }
}

/// R's `findq`: the first time the distribution function 1 − S reaches p,
/// midpoints over flat stretches at p; `None` when never reached. `surv`
/// may hold NaN (undefined CI bands), which are skipped as R's `approx`
/// skips NA.
fn find_quantile(steps: &[KmStep], curve: impl Fn(&KmStep) -> f64, p: f64) -> Option<f64> {
    // x = (0, times...), y = (0, 1 − S...), NaN pairs dropped.
    let points = || {
        std::iter::once((0.0, 0.0)).chain(steps.iter().filter_map(|s| {
            let v = curve(s);
            v.is_finite().then_some((s.time, 1.0 - v))
        }))
    };
    let xmax = steps.last().map_or(0.0, |s| s.time);
    let ymax = points().map(|(_, y)| y).fold(f64::NEG_INFINITY, f64::max);
    if ymax < p {
        return None;
    }
    // Drop repeated y values (keep the first time each level is reached).
    // R's duplicated(y): for a non-decreasing y (1 − S always, the bands
    // almost always) repeats are adjacent; otherwise a set finds them.
    let mut xs = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    if points().zip(points().skip(1)).all(|(a, b)| a.1 <= b.1) {
        for (a, b) in points() {
            if ys.last() != Some(&b) {
                xs.push(a);
                ys.push(b);
            }
        }
    } else {
        let mut seen = std::collections::HashSet::new();
        for (a, b) in points() {
            if seen.insert((b + 0.0).to_bits()) {
                xs.push(a);
                ys.push(b);
            }
        }
    }
    let n = ys.len();
    // approx(y ± tol, 1:n, p, "constant", f = 1): the index of the first
    // knot at or above p (exact hits take that knot).
    let index = |shift: f64| -> Option<usize> {
        if p < ys[0] + shift || p > ys[n - 1] + shift {
            return None;
        }
        ys.iter().position(|v| v + shift >= p)
    };
    if p == 0.0 {
        return Some(xs[0]);
    }
    let i1 = index(QUANTILE_TOL)?;
    let i2 = index(-QUANTILE_TOL);
    if (p - ys[n - 1]).abs() < QUANTILE_TOL {
        return Some((xs[i1] + xmax) / 2.0);
    }
    let i2 = i2?;
    Some((xs[i1] + xs[i2]) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Therneau's test1 data: S = 6/7, 18/35, 12/35, 0.
    #[test]
    fn small_example_by_hand() {
        let t = [4.0, 3.0, 1.0, 1.0, 2.0, 2.0, 3.0];
        let e = [true, true, true, false, true, true, false];
        let f = kaplan_meier(&t, &e, ConfType::Log, 0.95).unwrap();
        let s: Vec<f64> = f.steps.iter().map(|s| s.surv).collect();
        let want = [6.0 / 7.0, 18.0 / 35.0, 12.0 / 35.0, 0.0];
        for (a, b) in s.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        }
        assert_eq!(f.quantile(0.5).estimate, Some(3.0));
        assert!(f.steps[3].ci_lb.is_nan());
    }

    /// A curve flat at exactly 0.5 gives the midpoint (R's rule).
    #[test]
    fn median_midpoint_over_a_flat_stretch() {
        let t = [1.0, 2.0, 3.0, 4.0];
        let e = [true, true, true, true];
        let f = kaplan_meier(&t, &e, ConfType::Log, 0.95).unwrap();
        assert_eq!(f.quantile(0.5).estimate, Some(2.5));
    }

    #[test]
    fn not_reached_is_none() {
        let t = [1.0, 2.0, 3.0, 4.0];
        let e = [true, false, false, false];
        let f = kaplan_meier(&t, &e, ConfType::Log, 0.95).unwrap();
        assert_eq!(f.quantile(0.5).estimate, None);
    }
}
