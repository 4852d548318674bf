//! Box–Cox methods for a mean and SD from a median with a range and/or IQR:
//!
//! - BC (McGrath et al. 2020b): the Box–Cox λ ≥ 0 that makes the reported
//!   quantiles most symmetric; the Luo mean and Wan SD of the transformed
//!   values as the normal's location and scale; the mean and SD of the
//!   back-transformed (symmetrically truncated) normal.
//! - MLN (Cai et al. 2021): λ by maximising the profile likelihood of the
//!   reported order statistics over [0, 10], then (μ, σ) by maximum
//!   likelihood of those order statistics, then the same back-transform.
//!
//! estmeansd takes the last step by Monte Carlo (n + 1000 or 10 000 draws,
//! so its answers move with the seed). survlit integrates instead — the
//! value the Monte Carlo estimate scatters around — so results need no
//! seed and are the same on every run (for BC this is estmeansd's own
//! `avoid.mc = TRUE` route).

use super::fivenum::{luo_mean, wan_sd};
use super::optim::{brent_min, nelder_mead};
use super::{FiveNum, MedianError, Scenario};
use crate::stats::dist::pnorm;

/// A Box–Cox fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxCoxFit {
    /// Estimated mean.
    pub mean: f64,
    /// Estimated SD.
    pub sd: f64,
    /// The transformation parameter λ (0: log).
    pub lambda: f64,
    /// Location of the normal on the transformed scale.
    pub location: f64,
    /// Its scale.
    pub scale: f64,
}

/// The smallest n the methods take (as estmeansd).
pub const MIN_N: f64 = 3.0;

fn bc(x: f64, lambda: f64) -> f64 {
    if lambda.abs() < 1e-8 {
        x.ln()
    } else {
        (x.powf(lambda) - 1.0) / lambda
    }
}

fn transformed(sc: &Scenario, m: f64, lambda: f64) -> (Scenario, f64) {
    let t = |x: f64| bc(x, lambda);
    let s = match *sc {
        Scenario::S1 { min, max } => Scenario::S1 {
            min: t(min),
            max: t(max),
        },
        Scenario::S2 { q1, q3 } => Scenario::S2 {
            q1: t(q1),
            q3: t(q3),
        },
        Scenario::S3 { min, q1, q3, max } => Scenario::S3 {
            min: t(min),
            q1: t(q1),
            q3: t(q3),
            max: t(max),
        },
    };
    (s, t(m))
}

fn checked(f: &FiveNum) -> Result<Scenario, MedianError> {
    let sc = f.scenario()?;
    if f.n < MIN_N {
        return Err(MedianError::TooSmall { n: f.n, min: MIN_N });
    }
    let positive = match sc {
        Scenario::S1 { min, .. } | Scenario::S3 { min, .. } => min > 0.0,
        Scenario::S2 { q1, .. } => q1 > 0.0,
    };
    if !positive || f.median <= 0.0 {
        return Err(MedianError::NotPositive);
    }
    Ok(sc)
}

/// BC: mean and SD by the Box–Cox method of McGrath et al. 2020b.
pub fn bc_mean_sd(f: &FiveNum) -> Result<BoxCoxFit, MedianError> {
    let sc = checked(f)?;
    let (m, n) = (f.median, f.n);
    // How far the transformed quantiles are from symmetric about the median.
    let asym = |lambda: f64| {
        let (t, tm) = transformed(&sc, m, lambda);
        let r = |lo: f64, hi: f64| ((hi - tm) / (tm - lo) - 1.0).powi(2);
        match t {
            Scenario::S1 { min, max } => r(min, max),
            Scenario::S2 { q1, q3 } => r(q1, q3),
            Scenario::S3 { min, q1, q3, max } => r(q1, q3) + r(min, max),
        }
    };
    let lambda = if asym(0.0) < 1e-8 {
        0.0
    } else {
        let l = brent_min(&asym, -2.0, 3.0);
        if l.abs() < 1e-8 {
            0.0
        } else {
            l.max(0.0)
        }
    };
    let (t, tm) = transformed(&sc, m, lambda);
    let (location, scale) = (luo_mean(&t, tm, n), wan_sd(&t, n));
    let (mean, sd) = back_transformed_moments(location, scale, lambda);
    Ok(BoxCoxFit {
        mean,
        sd,
        lambda,
        location,
        scale,
    })
}

/// MLN: mean and SD by the method of Cai et al. 2021.
pub fn mln_mean_sd(f: &FiveNum) -> Result<BoxCoxFit, MedianError> {
    let sc = checked(f)?;
    let (m, n) = (f.median, f.n);
    let loglik = |lambda: f64, mu: f64, sigma: f64| -> f64 {
        let (t, tm) = transformed(&sc, m, lambda);
        order_stat_loglik(&t, tm, n, mu, sigma)
    };
    let profile = |lambda: f64| {
        let (t, tm) = transformed(&sc, m, lambda);
        -loglik(lambda, luo_mean(&t, tm, n), wan_sd(&t, n))
    };
    let l = brent_min(&profile, 0.0, 10.0);
    let lambda = if l.abs() < 1e-8 { 0.0 } else { l.max(0.0) };
    let (t, tm) = transformed(&sc, m, lambda);
    let start = [luo_mean(&t, tm, n), wan_sd(&t, n)];
    let neg = |p: [f64; 2]| {
        if p[1] <= 0.0 {
            return f64::INFINITY;
        }
        let v = -loglik(lambda, p[0], p[1]);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let [location, scale] = nelder_mead(&neg, start);
    let (mean, sd) = back_transformed_moments(location, scale, lambda);
    Ok(BoxCoxFit {
        mean,
        sd,
        lambda,
        location,
        scale,
    })
}

/// Log-likelihood of the reported order statistics (Cai et al. 2021, as
/// estmeansd writes it) under N(μ, σ) on the transformed scale.
fn order_stat_loglik(t: &Scenario, tm: f64, n: f64, mu: f64, sigma: f64) -> f64 {
    let h = (0.25 * n + 1.0).floor();
    let j = (0.5 * n + 1.0).floor();
    let k = (0.75 * n + 1.0).floor();
    let cdf = |x: f64| pnorm((x - mu) / sigma);
    let logpdf = |x: f64| {
        let z = (x - mu) / sigma;
        -0.5 * z * z - sigma.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
    };
    match *t {
        Scenario::S1 { min, max } => {
            logpdf(min)
                + logpdf(tm)
                + logpdf(max)
                + (j - 2.0) * (cdf(tm) - cdf(min)).ln()
                + (n - j - 1.0) * (cdf(max) - cdf(tm)).ln()
        }
        Scenario::S2 { q1, q3 } => {
            logpdf(q1)
                + logpdf(tm)
                + logpdf(q3)
                + (h - 1.0) * cdf(q1).ln()
                + (j - h - 1.0) * (cdf(tm) - cdf(q1)).ln()
                + (k - j - 1.0) * (cdf(q3) - cdf(tm)).ln()
                + (n - k) * (1.0 - cdf(q3)).ln()
        }
        Scenario::S3 { min, q1, q3, max } => {
            logpdf(min)
                + logpdf(q1)
                + logpdf(tm)
                + logpdf(q3)
                + logpdf(max)
                + (h - 2.0) * (cdf(q1) - cdf(min)).ln()
                + (j - h - 1.0) * (cdf(tm) - cdf(q1)).ln()
                + (k - j - 1.0) * (cdf(q3) - cdf(tm)).ln()
                + (n - k - 1.0) * (cdf(max) - cdf(q3)).ln()
        }
    }
}

/// Mean and SD of the inverse Box–Cox transform of N(μ, σ), truncated (for
/// λ > 0) to [−1/λ, 2μ + 1/λ], symmetric about μ, where the inverse is
/// defined — the quantities estmeansd estimates by Monte Carlo.
fn back_transformed_moments(mu: f64, sigma: f64, lambda: f64) -> (f64, f64) {
    if lambda == 0.0 {
        let s2 = sigma * sigma;
        return (
            (mu + s2 / 2.0).exp(),
            ((s2.exp() - 1.0) * (2.0 * mu + s2).exp()).sqrt(),
        );
    }
    let inv = |x: f64| (lambda * x + 1.0).max(0.0).powf(1.0 / lambda);
    let lo = (-1.0 / lambda).min(2.0 * mu + 1.0 / lambda);
    let hi = (-1.0 / lambda).max(2.0 * mu + 1.0 / lambda);
    // Integrate over z = (x − μ)/σ; beyond ±12 the normal weight is < 1e-32.
    let (zl, zh) = (
        ((lo - mu) / sigma).max(-12.0),
        ((hi - mu) / sigma).min(12.0),
    );
    let mass = pnorm(zh) - pnorm(zl);
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let integrate =
        |g: &dyn Fn(f64) -> f64| gauss_legendre(&|z| phi(z) * g(mu + sigma * z), zl, zh) / mass;
    let mean = integrate(&inv);
    let var = integrate(&|x| (inv(x) - mean).powi(2));
    (mean, var.sqrt())
}

/// Composite 8-point Gauss–Legendre over [a, b] on 400 panels.
fn gauss_legendre(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const X: [f64; 4] = [
        0.183_434_642_495_649_8,
        0.525_532_409_916_329,
        0.796_666_477_413_626_7,
        0.960_289_856_497_536_3,
    ];
    const W: [f64; 4] = [
        0.362_683_783_378_362,
        0.313_706_645_877_887_3,
        0.222_381_034_453_374_5,
        0.101_228_536_290_376_3,
    ];
    let panels = 400;
    let h = (b - a) / f64::from(panels);
    let mut total = 0.0;
    for p in 0..panels {
        let c = a + h * (f64::from(p) + 0.5);
        for (x, w) in X.iter().zip(W) {
            total += w * (f(c - 0.5 * h * x) + f(c + 0.5 * h * x));
        }
    }
    total * 0.5 * h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::dist::qnorm;

    /// Quantiles symmetric on the log scale give λ = 0 and log-normal moments.
    #[test]
    fn log_symmetric_summary_is_lognormal() {
        let q = |p: f64| (2.0 + 0.5 * qnorm(p)).exp();
        let f = FiveNum {
            n: 50.0,
            q1: Some(q(0.25)),
            median: q(0.5),
            q3: Some(q(0.75)),
            ..FiveNum::default()
        };
        let r = bc_mean_sd(&f).unwrap();
        assert_eq!(r.lambda, 0.0);
        let s2 = r.scale * r.scale;
        assert!((r.mean - (r.location + s2 / 2.0).exp()).abs() < 1e-12);
    }

    #[test]
    fn integration_matches_closed_form_when_lambda_is_one() {
        // λ = 1 is a shift, x = t + 1, and the truncation at ±5.5σ is
        // negligible: mean μ + 1, SD σ.
        let (m, s) = back_transformed_moments(10.0, 2.0, 1.0);
        assert!((m - 11.0).abs() < 1e-10, "{m}");
        // SD of a normal truncated at ±a: σ·√(1 − 2aφ(a)/(2Φ(a) − 1)).
        let a: f64 = 5.5;
        let phi = (-0.5 * a * a).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let want = 2.0 * (1.0 - 2.0 * a * phi / (2.0 * pnorm(a) - 1.0)).sqrt();
        assert!((s - want).abs() < 1e-10, "{s} vs {want}");
    }

    #[test]
    fn brent_finds_a_parabola_minimum() {
        let x = brent_min(&|x| (x - 0.7).powi(2), -2.0, 3.0);
        assert!((x - 0.7).abs() < 1e-8);
    }
}
