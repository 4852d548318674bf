//! A meta-regression on one moderator: the mixed-effects model with an
//! intercept, and its fitted line across the moderator's range.

use crate::stats::linalg::Matrix;
use crate::stats::pool::predict::Prediction;
use crate::stats::pool::{rma, RmaFit, RmaParams};

/// The mixed-effects model on one moderator `x` (with an intercept) and its line.
pub(super) fn regression(
    y: &[f64],
    v: &[f64],
    labels: &[String],
    params: RmaParams,
    x: &[f64],
) -> Result<RegressionFit, crate::stats::StatsError> {
    let mut m = Matrix::zeros(x.len(), 2);
    for (i, xi) in x.iter().enumerate() {
        *m.at_mut(i, 0) = 1.0;
        *m.at_mut(i, 1) = *xi;
    }
    let fit = rma(y, v, Some(&m), labels, params)?;
    let line = regression_line(&fit, x);
    Ok(RegressionFit { fit, line })
}

/// A fitted meta-regression and its line.
pub(crate) struct RegressionFit {
    /// The mixed-effects model.
    pub fit: RmaFit,
    /// Its predictions along the moderator's range.
    pub line: Vec<(f64, Prediction)>,
}

/// The fitted line of a one-moderator meta-regression at 41 points across
/// the moderator's range (the bubble plot's line and band).
pub fn regression_line(fit: &RmaFit, x: &[f64]) -> Vec<(f64, Prediction)> {
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let grid: Vec<f64> = (0..=40)
        .map(|j| lo + (hi - lo) * f64::from(j) / 40.0)
        .collect();
    let rows: Vec<Vec<f64>> = grid.iter().map(|g| vec![1.0, *g]).collect();
    grid.iter()
        .zip(crate::stats::pool::predict::predict(fit, &rows))
        .filter_map(|(g, p)| p.map(|p| (*g, p)))
        .collect()
}
