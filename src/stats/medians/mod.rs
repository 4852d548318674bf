//! Medians and the summaries papers give instead of a mean and SD.
//!
//! - [`fivenum`]: mean/SD from a median with a range (S1), an IQR (S2) or
//!   both (S3) in closed form — Hozo 2005, Wan 2014, Luo 2018, Shi 2020,
//!   Bland 2015 — the skewness test of Shi et al. 2023 and the log-normal
//!   back-transformation, as metafor's `conv.fivenum` computes them.
//! - [`pool_med`]: median of medians and weighted median of medians with a
//!   CI from inverting the sign test (McGrath et al. 2019; metamedian
//!   `pool.med`).
//! - [`boxcox`]: the Box–Cox (BC, McGrath 2020b) and MLN (Cai 2021)
//!   estimators, with their Monte Carlo step replaced by integration.
//! - [`qe`]: quantile estimation (McGrath et al. 2020): normal, log-normal,
//!   gamma, Weibull (and beta) fitted to the reported quantiles; the mean
//!   and SD of the best fit, or the sampling variance of a median from the
//!   fitted density at the median.

pub mod boxcox;
pub mod fivenum;
mod optim;
pub mod pool_med;
pub mod qe;

/// What a study reports about a continuous outcome's distribution.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FiveNum {
    /// Sample size.
    pub n: f64,
    /// Minimum.
    pub min: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
}

/// Which summary set a study gives (McGrath et al.'s S1–S3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scenario {
    /// Median, minimum, maximum, n.
    S1 {
        /// Minimum.
        min: f64,
        /// Maximum.
        max: f64,
    },
    /// Median, quartiles, n.
    S2 {
        /// First quartile.
        q1: f64,
        /// Third quartile.
        q3: f64,
    },
    /// All five and n.
    S3 {
        /// Minimum.
        min: f64,
        /// First quartile.
        q1: f64,
        /// Third quartile.
        q3: f64,
        /// Maximum.
        max: f64,
    },
}

impl Scenario {
    /// S1, S2 or S3.
    pub fn label(&self) -> &'static str {
        match self {
            Scenario::S1 { .. } => "S1",
            Scenario::S2 { .. } => "S2",
            Scenario::S3 { .. } => "S3",
        }
    }
}

/// Why a summary cannot be converted or pooled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MedianError {
    /// The summary is not ordered min ≤ q1 ≤ median ≤ q3 ≤ max.
    #[error("the summary is not ordered (min ≤ q1 ≤ median ≤ q3 ≤ max): {0}")]
    Unordered(String),
    /// Neither a range nor an IQR.
    #[error("a median alone (no range, no IQR) cannot be converted to a mean and SD; give min and max, q1 and q3, or both")]
    NoSpread,
    /// Half a range or half an IQR.
    #[error("{0} is given without its partner; give both or neither")]
    HalfPair(&'static str),
    /// Too small a sample for the method.
    #[error("n = {n} is below the {min} the method needs")]
    TooSmall {
        /// The sample size.
        n: f64,
        /// The least it needs.
        min: f64,
    },
    /// A value that must be positive (log-normal) is not.
    #[error("a log-normal conversion needs every value > 0")]
    NotPositive,
    /// Not a finite number.
    #[error("{0} is not a finite number")]
    NotFinite(&'static str),
    /// No studies, or none usable.
    #[error("no usable studies")]
    Empty,
}

impl FiveNum {
    /// The summary set, after checking the values are finite and ordered.
    pub fn scenario(&self) -> Result<Scenario, MedianError> {
        let named = [
            ("min", self.min),
            ("q1", self.q1),
            ("median", Some(self.median)),
            ("q3", self.q3),
            ("max", self.max),
            ("n", Some(self.n)),
        ];
        if let Some((name, _)) = named
            .iter()
            .find(|(_, v)| v.is_some_and(|v| !v.is_finite()))
        {
            return Err(MedianError::NotFinite(name));
        }
        let present: Vec<(&str, f64)> = named[..5]
            .iter()
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        if let Some(w) = present.windows(2).find(|w| w[0].1 > w[1].1) {
            return Err(MedianError::Unordered(format!(
                "{} {} > {} {}",
                w[0].0, w[0].1, w[1].0, w[1].1
            )));
        }
        match (self.min, self.q1, self.q3, self.max) {
            (Some(min), None, None, Some(max)) => Ok(Scenario::S1 { min, max }),
            (None, Some(q1), Some(q3), None) => Ok(Scenario::S2 { q1, q3 }),
            (Some(min), Some(q1), Some(q3), Some(max)) => Ok(Scenario::S3 { min, q1, q3, max }),
            (None, None, None, None) => Err(MedianError::NoSpread),
            (Some(_), _, _, None) | (None, _, _, Some(_)) => {
                Err(MedianError::HalfPair(if self.min.is_some() {
                    "min"
                } else {
                    "max"
                }))
            }
            _ => Err(MedianError::HalfPair(if self.q1.is_some() {
                "q1"
            } else {
                "q3"
            })),
        }
    }
}
