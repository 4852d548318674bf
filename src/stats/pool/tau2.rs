//! τ² estimators exactly as metafor's `rma.uni` defines them (metafor 3.8):
//! closed forms DL, HE, HS, SJ; Fisher scoring for ML, REML and EB (started at
//! the HE estimate, step-halving at the zero boundary); a root of the
//! generalised Q statistic for PM. Each returns τ² (truncated at 0) and its
//! standard error by metafor's formula.
//!
//! # References
//! DerSimonian & Laird 1986; Hedges 1983; Hunter & Schmidt 2004; Sidik &
//! Jonkman 2005; Paule & Mandel 1982; Morris 1983; Viechtbauer 2005.

use super::projection::{
    fixed_mean, intercept_rss, intercept_rss_shifted, is_intercept_only, weights, Projection,
};
use super::Tau2Method;
use crate::stats::linalg::Matrix;
use crate::stats::StatsError;

/// Convergence threshold on the change in τ², relative to max(1, τ²)
/// (metafor's `threshold`, set tight).
pub const THRESHOLD: f64 = 1e-13;
/// Below this relative change, a step that is no smaller than the previous
/// one means the iterations have reached floating-point noise (sums over very
/// many studies): the estimate has converged as far as arithmetic allows.
const NOISE_FLOOR: f64 = 1e-10;
/// Iteration cap of the Fisher scoring and root searches.
pub const MAX_ITER: usize = 10_000;

/// τ², its standard error, iterations used, and notes (e.g. a fallback).
#[derive(Debug, Clone, PartialEq)]
pub struct Tau2Estimate {
    /// τ² ≥ 0.
    pub tau2: f64,
    /// Standard error (metafor's formula for the method).
    pub se: f64,
    /// Iterations (0 for closed forms).
    pub iterations: usize,
    /// Warnings to report.
    pub warnings: Vec<String>,
}

/// Estimates τ² for the model y = Xβ + u + e.
pub fn estimate(
    method: Tau2Method,
    x: &Matrix,
    y: &[f64],
    v: &[f64],
) -> Result<Tau2Estimate, StatsError> {
    let k = y.len() as f64;
    let p = x.cols as f64;
    let fixed_w: Vec<f64> = v.iter().map(|v| 1.0 / v).collect();
    let done = |tau2: f64, se: f64, iterations: usize| {
        Ok(Tau2Estimate {
            tau2,
            se,
            iterations,
            warnings: Vec::new(),
        })
    };
    match method {
        Tau2Method::FE => done(0.0, f64::NAN, 0),
        Tau2Method::DL => {
            let pr = Projection::new(x, y, &fixed_w)?;
            let tr_p = pr.tr_p(x, &fixed_w);
            let tau2 = ((pr.rss - (k - p)) / tr_p).max(0.0);
            let se = (1.0 / (tr_p * tr_p)
                * (2.0 * (k - p) + 4.0 * tau2 * tr_p + 2.0 * tau2 * tau2 * pr.tr_pp(x, &fixed_w)))
            .sqrt();
            done(tau2, se, 0)
        }
        Tau2Method::HE => {
            let (tau2_raw, pr, ones) = hedges(x, y, v)?;
            let tau2 = tau2_raw.max(0.0);
            let se = (1.0 / ((k - p) * (k - p))
                * (2.0 * pr.tr_pvpv(x, &ones, v)
                    + 4.0 * tau2 * pr.tr_pv(x, &ones, v)
                    + 2.0 * tau2 * tau2 * (k - p)))
                .sqrt();
            done(tau2, se, 0)
        }
        Tau2Method::HS => {
            let pr = Projection::new(x, y, &fixed_w)?;
            let sw = pr.sum_w;
            let tau2 = ((pr.rss - k) / sw).max(0.0);
            let se = (1.0 / (sw * sw)
                * (2.0 * (k - p)
                    + 4.0 * tau2 * pr.tr_p(x, &fixed_w)
                    + 2.0 * tau2 * tau2 * pr.tr_pp(x, &fixed_w)))
            .sqrt();
            done(tau2, se, 0)
        }
        Tau2Method::SJ => {
            let mean = y.iter().sum::<f64>() / k;
            let tau0 = y.iter().map(|y| (y - mean) * (y - mean)).sum::<f64>() / k;
            let w = weights(v, tau0);
            let pr = Projection::new(x, y, &w)?;
            let tau2 = (tau0 * pr.rss / (k - p)).max(0.0);
            let se = (tau0 * tau0 / ((k - p) * (k - p))
                * (2.0 * pr.tr_pvpv(x, &w, v)
                    + 4.0 * tau2 * pr.tr_pvp(x, &w, v)
                    + 2.0 * tau2 * tau2 * pr.tr_pp(x, &w)))
            .sqrt();
            done(tau2, se, 0)
        }
        Tau2Method::PM => {
            let tau2 = q_root(x, y, v, k - p)?;
            done(tau2, pm_se(v, tau2, k, p), 0)
        }
        Tau2Method::ML | Tau2Method::REML | Tau2Method::EB => fisher_scoring(method, x, y, v),
    }
}

/// Hedges' estimator before truncation, with the OLS projection.
fn hedges(x: &Matrix, y: &[f64], v: &[f64]) -> Result<(f64, Projection, Vec<f64>), StatsError> {
    let ones = vec![1.0; y.len()];
    let pr = Projection::new(x, y, &ones)?;
    let tau2 = (pr.rss - pr.tr_pv(x, &ones, v)) / (y.len() - x.cols) as f64;
    Ok((tau2, pr, ones))
}

fn pm_se(v: &[f64], tau2: f64, k: f64, p: f64) -> f64 {
    let sw: f64 = weights(v, tau2).iter().sum();
    (2.0 * k * k / (k - p) / (sw * sw)).sqrt()
}

/// Fisher scoring for ML, REML and EB from the HE estimate; if it fails to
/// converge, retried once with halved steps (reported as a warning).
fn fisher_scoring(
    method: Tau2Method,
    x: &Matrix,
    y: &[f64],
    v: &[f64],
) -> Result<Tau2Estimate, StatsError> {
    let (he, _, _) = hedges(x, y, v)?;
    let start = he.max(0.0);
    let (k, p) = (y.len() as f64, x.cols as f64);
    let mut warnings = Vec::new();
    let mut result = scoring_loop(method, x, y, v, start, 1.0)?;
    if result.is_none() {
        warnings.push(format!("{method:?}: Fisher scoring did not converge in {MAX_ITER} iterations; retried with step length 0.5"));
        result = scoring_loop(method, x, y, v, start, 0.5)?;
    }
    let Some((mut tau2, iterations)) = result else {
        return Err(StatsError::DidNotConverge {
            method: format!("{method:?}"),
            iterations: 2 * MAX_ITER,
        });
    };
    if matches!(method, Tau2Method::ML | Tau2Method::REML) && tau2 > THRESHOLD {
        // metafor's ll0check: a boundary maximum at τ² = 0 the iterations missed.
        let (ll0, ll) = (
            log_lik(method, x, y, v, 0.0)?,
            log_lik(method, x, y, v, tau2)?,
        );
        if ll0 - ll > 1e-12 {
            warnings.push(format!("{method:?}: the likelihood is larger at tau^2 = 0 than at the Fisher scoring solution; tau^2 set to 0"));
            tau2 = 0.0;
        }
    }
    let w = weights(v, tau2);
    let se = match method {
        Tau2Method::ML => (2.0 / w.iter().map(|w| w * w).sum::<f64>()).sqrt(),
        Tau2Method::REML => (2.0 / Projection::new(x, y, &w)?.tr_pp(x, &w)).sqrt(),
        _ => pm_se(v, tau2, k, p),
    };
    Ok(Tau2Estimate {
        tau2,
        se,
        iterations,
        warnings,
    })
}

/// One run of the scoring iterations; `None` when it does not converge.
fn scoring_loop(
    method: Tau2Method,
    x: &Matrix,
    y: &[f64],
    v: &[f64],
    start: f64,
    step: f64,
) -> Result<Option<(f64, usize)>, StatsError> {
    let (k, p) = (y.len() as f64, x.cols as f64);
    let mut tau2 = start;
    let mut last_change = f64::INFINITY;
    for iter in 1..=MAX_ITER {
        let w = weights(v, tau2);
        let pr = Projection::new(x, y, &w)?;
        let mut adj = match method {
            Tau2Method::ML => (pr.ypp_y(&w) - pr.sum_w) / w.iter().map(|w| w * w).sum::<f64>(),
            Tau2Method::REML => (pr.ypp_y(&w) - pr.tr_p(x, &w)) / pr.tr_pp(x, &w),
            _ => (pr.rss * k / (k - p) - k) / pr.sum_w,
        } * step;
        if !adj.is_finite() {
            return Ok(None);
        }
        while tau2 + adj < 0.0 {
            adj /= 2.0;
        }
        let old = tau2;
        tau2 += adj;
        let change = (tau2 - old).abs();
        let scale = tau2.abs().max(1.0);
        if change <= THRESHOLD * scale || (change <= NOISE_FLOOR * scale && change >= last_change) {
            return Ok(Some((tau2.max(0.0), iter)));
        }
        last_change = change;
    }
    Ok(None)
}

/// Log-likelihood (ML) or restricted log-likelihood (REML) at τ².
pub fn log_lik(
    method: Tau2Method,
    x: &Matrix,
    y: &[f64],
    v: &[f64],
    tau2: f64,
) -> Result<f64, StatsError> {
    let (k, p) = (y.len() as f64, x.cols as f64);
    let w = weights(v, tau2);
    let pr = Projection::new(x, y, &w)?;
    let log_det_v: f64 = v.iter().map(|v| (v + tau2).ln()).sum();
    let two_pi = (2.0 * std::f64::consts::PI).ln();
    Ok(match method {
        Tau2Method::REML => {
            let gram = x.weighted_gram(&w);
            let log_det_a = log_det_spd(&gram);
            -0.5 * (k - p) * two_pi - 0.5 * log_det_v - 0.5 * log_det_a - 0.5 * pr.rss
        }
        _ => -0.5 * k * two_pi - 0.5 * log_det_v - 0.5 * pr.rss,
    })
}

/// log det of a small symmetric positive-definite matrix (Cholesky).
fn log_det_spd(m: &Matrix) -> f64 {
    let n = m.rows;
    let mut l = Matrix::zeros(n, n);
    let mut log_det = 0.0;
    for j in 0..n {
        let mut d = m.at(j, j);
        for s in 0..j {
            d -= l.at(j, s) * l.at(j, s);
        }
        let d = d.max(f64::MIN_POSITIVE).sqrt();
        *l.at_mut(j, j) = d;
        log_det += 2.0 * d.ln();
        for i in j + 1..n {
            let mut s_ = m.at(i, j);
            for s in 0..j {
                s_ -= l.at(i, s) * l.at(j, s);
            }
            *l.at_mut(i, j) = s_ / d;
        }
    }
    log_det
}

/// Generalised Q statistic Σ wᵢ(τ²) eᵢ(τ²)².
pub fn q_gen(x: &Matrix, y: &[f64], v: &[f64], tau2: f64) -> Result<f64, StatsError> {
    if is_intercept_only(x) {
        return Ok(intercept_rss(y, v, tau2));
    }
    Ok(Projection::new(x, y, &weights(v, tau2))?.rss)
}

/// The τ² ≥ 0 at which the generalised Q equals `target` (0 when Q(0) is
/// already below it). Q is decreasing in τ²: a doubling bracket, then the
/// Illinois variant of regula falsi (superlinear, never leaves the bracket),
/// to a relative width of 1e-15.
pub fn q_root(x: &Matrix, y: &[f64], v: &[f64], target: f64) -> Result<f64, StatsError> {
    let shift = is_intercept_only(x).then(|| fixed_mean(y, v));
    let f = |t: f64| -> Result<f64, StatsError> {
        Ok(match shift {
            Some(c) => intercept_rss_shifted(y, v, t, c),
            None => q_gen(x, y, v, t)?,
        } - target)
    };
    let f0 = f(0.0)?;
    if f0 <= 0.0 {
        return Ok(0.0);
    }
    let (mut lo, mut flo) = (0.0, f0);
    let mut hi = 1.0;
    let mut fhi = f(hi)?;
    let mut tries = 0;
    while fhi > 0.0 {
        (lo, flo) = (hi, fhi);
        hi *= 2.0;
        fhi = f(hi)?;
        tries += 1;
        if tries > 200 {
            return Err(StatsError::DidNotConverge {
                method: "Q-profile root".into(),
                iterations: tries,
            });
        }
    }
    // f(lo) > 0 >= f(hi).
    let mut side = 0i8;
    for _ in 0..MAX_ITER {
        if hi - lo <= 1e-15 * hi.max(1e-300) {
            break;
        }
        let mut m = (lo * fhi - hi * flo) / (fhi - flo);
        if !(m > lo && m < hi) {
            m = 0.5 * (lo + hi);
        }
        let fm = f(m)?;
        if fm == 0.0 {
            return Ok(m);
        }
        if fm > 0.0 {
            (lo, flo) = (m, fm);
            if side == 1 {
                fhi *= 0.5;
            }
            side = 1;
        } else {
            (hi, fhi) = (m, fm);
            if side == -1 {
                flo *= 0.5;
            }
            side = -1;
        }
    }
    Ok(if flo.abs() < fhi.abs() { lo } else { hi })
}
