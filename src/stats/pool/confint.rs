//! Q-profile confidence intervals for τ², τ, I² and H² (Viechtbauer 2007;
//! metafor `confint.rma.uni`, type "QP").
//!
//! The bounds solve Q_gen(τ²) = χ²_{k−p} quantiles: the lower bound at the
//! upper quantile 1 − α/2, the upper bound at α/2 (Q_gen decreases in τ²); a
//! bound whose equation has no root above 0 is 0.

use super::tau2::{q_gen, q_root};
use super::RmaFit;
use crate::stats::dist;
use crate::stats::linalg::Matrix;
use crate::stats::StatsError;

/// Confidence intervals of the heterogeneity measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeterogeneityCi {
    /// τ² bounds.
    pub tau2: (f64, f64),
    /// τ bounds.
    pub tau: (f64, f64),
    /// I² bounds (percent).
    pub i2: (f64, f64),
    /// H² bounds.
    pub h2: (f64, f64),
}

/// Q-profile CIs for a fitted model on the same data.
pub fn q_profile(
    fit: &RmaFit,
    y: &[f64],
    v: &[f64],
    x: Option<&Matrix>,
) -> Result<Option<HeterogeneityCi>, StatsError> {
    // No heterogeneity CI for an equal-effects model (as metafor's confint).
    if fit.k <= fit.p || fit.params.method == super::Tau2Method::FE {
        return Ok(None);
    }
    let ones = Matrix::ones_column(y.len());
    let x = x.unwrap_or(&ones);
    let df = (fit.k - fit.p) as f64;
    let alpha = 1.0 - fit.params.level;
    let (crit_u, crit_l) = (
        dist::qchisq(1.0 - alpha / 2.0, df),
        dist::qchisq(alpha / 2.0, df),
    );
    let q0 = q_gen(x, y, v, 0.0)?;
    let lb = if q0 < crit_u {
        0.0
    } else {
        q_root(x, y, v, crit_u)?
    };
    let ub = if q0 < crit_l {
        0.0
    } else {
        q_root(x, y, v, crit_l)?
    };
    let tv = fit.typical_v;
    let i2 = |t: f64| 100.0 * t / (tv + t);
    let h2 = |t: f64| (tv + t) / tv;
    Ok(Some(HeterogeneityCi {
        tau2: (lb, ub),
        tau: (lb.sqrt(), ub.sqrt()),
        i2: (i2(lb), i2(ub)),
        h2: (h2(lb), h2(ub)),
    }))
}
