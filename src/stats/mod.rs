//! Statistics: pure computation, no I/O. Slices and plain structs in, result
//! structs out; nothing here reads files, prints, or knows polars, plotters,
//! csv or clap.
//!
//! - [`describe`]: mean, median and range of a sample.
//! - [`dist`]: the one wrapper over statrs (normal, t, χ² quantiles and tails).
//! - [`linalg`]: small dense matrices for the p×p systems of meta-regression.
//! - [`pool`]: inverse-variance models as metafor's `rma.uni` defines them.
//! - [`medians`]: pooled medians and mean/SD from medians, ranges and IQRs.
//! - [`survival`]: Kaplan–Meier, log-rank and Cox models as R survival defines them.

pub mod describe;
pub mod dist;
pub mod effect;
pub mod linalg;
pub mod medians;
pub mod pool;
pub mod survival;

/// Why a statistic could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// Not enough studies.
    #[error("need at least {min} studies, got {k}")]
    TooFewStudies {
        /// Studies given.
        k: usize,
        /// Studies needed.
        min: usize,
    },
    /// A sampling variance is zero, negative or not finite.
    #[error("study '{study}': sampling variance must be > 0 and finite, got {vi}")]
    BadVariance {
        /// Study label.
        study: String,
        /// The variance.
        vi: f64,
    },
    /// An effect size is not finite.
    #[error("study '{study}': effect size must be finite, got {yi}")]
    BadEffect {
        /// Study label.
        study: String,
        /// The effect.
        yi: f64,
    },
    /// A subgroup's model could not be fitted.
    #[error("subgroup '{group}': {message}")]
    Subgroup {
        /// The subgroup.
        group: String,
        /// Why.
        message: String,
    },
    /// The moderator matrix is not of full rank.
    #[error("the moderators are collinear (model matrix not of full rank)")]
    Singular,
    /// More coefficients than studies.
    #[error("{p} coefficients cannot be estimated from {k} studies")]
    Saturated {
        /// Studies.
        k: usize,
        /// Coefficients.
        p: usize,
    },
    /// An iterative estimator did not converge.
    #[error("{method} did not converge after {iterations} iterations")]
    DidNotConverge {
        /// Estimator.
        method: String,
        /// Iterations run.
        iterations: usize,
    },
}
