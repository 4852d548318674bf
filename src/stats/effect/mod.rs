//! Effect sizes from what papers report, each with its derivation on record
//! (metafor's `escalc` and `conv.*` as the reference).
//!
//! - [`hr`]: log hazard ratio from HR + CI, HR + p, O − E and V, or p + events.
//! - [`proportion`]: survival or control proportions on the PR, PLO, PLN, PAS,
//!   PFT and cloglog scales, with back-transforms.
//! - [`median`]: median survival and its CI (MED), difference (DOM) and log
//!   ratio (ROM) of two arms' medians (McGrath et al. 2025, Wald approach).

pub mod hr;
pub mod median;
pub mod proportion;

/// One study's effect on the analysis scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// Effect size.
    pub yi: f64,
    /// Sampling variance.
    pub vi: f64,
    /// How it was derived, as a formula a reader can check.
    pub derivation: String,
    /// Caveats (asymmetric CI, continuity correction, one-sided SE, ...).
    pub flags: Vec<String>,
    /// True when the SE was back-calculated or approximated rather than taken
    /// from counts or a two-sided Wald CI (HR from a p-value or from p and
    /// events, counts from a time-to-event proportion, a one-sided median SE):
    /// the values a "drop derived" sensitivity analysis removes.
    pub derived: bool,
}

impl Effect {
    /// Standard error, √vi (metafor's `sei`).
    pub fn sei(&self) -> f64 {
        self.vi.sqrt()
    }
}

/// Why an effect could not be derived from a study's numbers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct EffectError(pub String);

/// z critical value for a two-sided CI of `level` (0–1).
pub(crate) fn z_crit(level: f64) -> f64 {
    crate::stats::dist::qnorm(1.0 - (1.0 - level) / 2.0)
}

/// Half a unit in the last printed decimal of a number given with `decimals` decimals.
pub fn rounding_half_unit(decimals: u32) -> f64 {
    0.5 * 10f64.powi(-(decimals as i32))
}

/// Two-sided Wald interval yᵢ ± z·√vᵢ of one study's effect at `level` (0–1).
pub fn wald_ci(yi: f64, vi: f64, level: f64) -> (f64, f64) {
    let half = z_crit(level) * vi.sqrt();
    (yi - half, yi + half)
}

/// Harmonic mean of sample sizes (for the Freeman–Tukey back-transform);
/// NaN when there are none.
pub fn harmonic_mean(ns: &[f64]) -> f64 {
    if ns.is_empty() {
        f64::NAN
    } else {
        ns.len() as f64 / ns.iter().map(|n| 1.0 / n).sum::<f64>()
    }
}
