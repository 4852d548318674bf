//! Trim-and-fill (Duval & Tweedie 2000), as metafor's `trimfill.rma.uni`:
//! the side with missing studies is estimated from the sign of the Egger slope
//! (negative → missing on the right); the data are flipped so that missing
//! studies are always sought on the left, sorted, and the k0 most extreme
//! studies are trimmed iteratively until the estimator (L0 or R0) of k0
//! stops changing; the trimmed studies' mirror images about the final
//! truncated estimate are then filled in and the model refitted.
//!
//! # References
//! Duval S, Tweedie R (2000) Biometrics 56:455–63; JASA 95:89–98.

use super::{rma, RmaFit, RmaParams, NO_LABELS};
use crate::stats::linalg::Matrix;
use crate::stats::StatsError;

/// Estimator of the number of missing studies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K0Estimator {
    /// Duval & Tweedie's L0 (metafor's default).
    L0,
    /// Duval & Tweedie's R0.
    R0,
}

/// Where studies are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Left of the estimate.
    Left,
    /// Right of the estimate.
    Right,
}

/// The trim-and-fill result.
#[derive(Debug, Clone, PartialEq)]
pub struct TrimFill {
    /// Estimated number of missing studies.
    pub k0: usize,
    /// Its standard error.
    pub se_k0: f64,
    /// Side of the missing studies.
    pub side: Side,
    /// Iterations of the trimming loop.
    pub iterations: usize,
    /// Filled-in effects and variances (empty when k0 = 0).
    pub filled: Vec<(f64, f64)>,
    /// The model on the observed plus filled studies (the original model when k0 = 0).
    pub fit: RmaFit,
}

/// Runs trim-and-fill for an intercept-only model with these settings.
pub fn trimfill(
    y: &[f64],
    v: &[f64],
    params: RmaParams,
    estimator: K0Estimator,
    side: Option<Side>,
) -> Result<TrimFill, StatsError> {
    let k = y.len();
    if k < 3 {
        return Err(StatsError::TooFewStudies { k, min: 3 });
    }
    let side = match side {
        Some(s) => s,
        None => {
            let mut x = Matrix::zeros(k, 2);
            for i in 0..k {
                *x.at_mut(i, 0) = 1.0;
                *x.at_mut(i, 1) = v[i].sqrt();
            }
            let egger = rma(y, v, Some(&x), NO_LABELS, params)?;
            if egger.beta[1] < 0.0 {
                Side::Right
            } else {
                Side::Left
            }
        }
    };
    let flip = if side == Side::Right { -1.0 } else { 1.0 };
    let mut idx: Vec<usize> = (0..k).collect();
    idx.sort_by(|&a, &b| (flip * y[a]).total_cmp(&(flip * y[b])));
    let ys: Vec<f64> = idx.iter().map(|&i| flip * y[i]).collect();
    let vs: Vec<f64> = idx.iter().map(|&i| v[i]).collect();

    let kf = k as f64;
    let (mut k0, mut k0_prev, mut se_k0, mut beta) = (0usize, usize::MAX, 0.0, 0.0);
    let mut iterations = 0;
    while k0 != k0_prev {
        k0_prev = k0;
        iterations += 1;
        if iterations > 100 {
            return Err(StatsError::DidNotConverge {
                method: "trim-and-fill".into(),
                iterations,
            });
        }
        let n = k - k0;
        beta = rma(&ys[..n], &vs[..n], None, NO_LABELS, params)?.beta[0];
        let centred: Vec<f64> = ys.iter().map(|y| y - beta).collect();
        // Ranks of |centred|, ties by position (R's ties.method = "first").
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| {
            centred[a]
                .abs()
                .total_cmp(&centred[b].abs())
                .then(a.cmp(&b))
        });
        let mut signed = vec![0.0; k];
        for (r, &i) in order.iter().enumerate() {
            signed[i] = centred[i].signum() * (r + 1) as f64;
        }
        let estimate = match estimator {
            K0Estimator::L0 => {
                let sr: f64 = signed.iter().filter(|s| **s > 0.0).sum();
                let k0f = (4.0 * sr - kf * (kf + 1.0)) / (2.0 * kf - 1.0);
                let var_sr = (kf * (kf + 1.0) * (2.0 * kf + 1.0)
                    + 10.0 * k0f.powi(3)
                    + 27.0 * k0f * k0f
                    + 17.0 * k0f
                    - 18.0 * kf * k0f * k0f
                    - 18.0 * kf * k0f
                    + 6.0 * kf * kf * k0f)
                    / 24.0;
                se_k0 = 4.0 * var_sr.max(0.0).sqrt() / (2.0 * kf - 1.0);
                k0f
            }
            K0Estimator::R0 => {
                let max_neg = signed
                    .iter()
                    .filter(|s| **s < 0.0)
                    .map(|s| -s)
                    .fold(f64::NEG_INFINITY, f64::max);
                let k0f = if max_neg.is_finite() {
                    kf - max_neg - 1.0
                } else {
                    -1.0
                };
                se_k0 = (2.0 * k0f.max(0.0) + 2.0).sqrt();
                k0f
            }
        };
        // R's round() (half to even) and non-negative.
        k0 = round_half_even(estimate).max(0.0) as usize;
        k0 = k0.min(k - 1);
        se_k0 = se_k0.max(0.0);
    }
    if k0 == 0 {
        let fit = rma(y, v, None, NO_LABELS, params)?;
        return Ok(TrimFill {
            k0,
            se_k0,
            side,
            iterations,
            filled: Vec::new(),
            fit,
        });
    }
    // Mirror the k0 most extreme (flipped) studies about the truncated estimate.
    let filled: Vec<(f64, f64)> = (k - k0..k)
        .map(|j| (flip * (2.0 * beta - ys[j]), vs[j]))
        .collect();
    let (yf, vf): (Vec<f64>, Vec<f64>) = y
        .iter()
        .copied()
        .zip(v.iter().copied())
        .chain(filled.iter().copied())
        .unzip();
    let fit = rma(&yf, &vf, None, NO_LABELS, params)?;
    Ok(TrimFill {
        k0,
        se_k0,
        side,
        iterations,
        filled,
        fit,
    })
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}
