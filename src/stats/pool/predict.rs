//! Fitted values of a (mixed-effects) model at given moderator values, as
//! metafor's `predict.rma`: pred = x'b, se = √(x'Vb x), the CI from the
//! model's critical value (z, or t on k − p df under Knapp–Hartung), and
//! the prediction interval √(se² + τ²) around it.

use super::RmaFit;
use crate::stats::dist;

/// One prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// x'b.
    pub pred: f64,
    /// Its standard error.
    pub se: f64,
    /// CI lower bound.
    pub ci_lb: f64,
    /// CI upper bound.
    pub ci_ub: f64,
    /// Prediction interval lower bound.
    pub pi_lb: f64,
    /// Prediction interval upper bound.
    pub pi_ub: f64,
}

/// Predictions at each row of `x` (one value per model coefficient,
/// intercept included). Rows of the wrong length give `None`.
pub fn predict(fit: &RmaFit, x: &[Vec<f64>]) -> Vec<Option<Prediction>> {
    let alpha = 1.0 - fit.params.level;
    let crit = match fit.df {
        Some(df) => dist::qt(1.0 - alpha / 2.0, df),
        None => dist::qnorm(1.0 - alpha / 2.0),
    };
    x.iter()
        .map(|row| {
            if row.len() != fit.p {
                return None;
            }
            let pred: f64 = row.iter().zip(&fit.beta).map(|(a, b)| a * b).sum();
            let mut var = 0.0;
            for (i, a) in row.iter().enumerate() {
                for (j, b) in row.iter().enumerate() {
                    var += a * fit.vb.at(i, j) * b;
                }
            }
            let se = var.max(0.0).sqrt();
            let pi_half = crit * (var + fit.tau2).max(0.0).sqrt();
            Some(Prediction {
                pred,
                se,
                ci_lb: pred - crit * se,
                ci_ub: pred + crit * se,
                pi_lb: pred - pi_half,
                pi_ub: pred + pi_half,
            })
        })
        .collect()
}
