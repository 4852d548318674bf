//! Median survival with its CI (McGrath et al. 2025, Wald approach): the CI is
//! taken to be a Wald interval, so SE = (ub − lb)/(2z). A bound that was not
//! reached gives a one-sided SE from the other bound, flagged; a median that
//! was not reached cannot be pooled.
//!
//! - MED: y = median, v = SE²
//! - DOM: y = m₁ − m₂, v = SE₁² + SE₂²
//! - ROM: y = ln(m₁/m₂), v = SE₁²/m₁² + SE₂²/m₂² (delta method)

use super::{z_crit, Effect, EffectError};

/// A reported median with its CI; `None` bounds were not reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportedMedian {
    /// The median (`None`: not reached).
    pub median: Option<f64>,
    /// Lower CI bound.
    pub lower: Option<f64>,
    /// Upper CI bound (`None`: not reached).
    pub upper: Option<f64>,
    /// CI level (0–1).
    pub level: f64,
}

/// Median and its SE, with a flag when one-sided.
fn median_se(m: ReportedMedian) -> Result<(f64, f64, Option<String>), EffectError> {
    let Some(med) = m.median else {
        return Err(EffectError("median not reached: it cannot be pooled as a number (exclude the study, or report it separately)".into()));
    };
    let z = z_crit(m.level);
    match (m.lower, m.upper) {
        (Some(l), Some(u)) => {
            if !(l <= med && med <= u) {
                return Err(EffectError(format!(
                    "median {med} is outside its CI {l}–{u}"
                )));
            }
            Ok((med, (u - l) / (2.0 * z), None))
        }
        (Some(l), None) => Ok((
            med,
            (med - l) / z,
            Some(format!(
                "upper CI bound not reached: one-sided SE = (median - lower)/z = {:.4}",
                (med - l) / z
            )),
        )),
        (None, Some(u)) => Ok((
            med,
            (u - med) / z,
            Some(format!(
                "lower CI bound not reported: one-sided SE = (upper - median)/z = {:.4}",
                (u - med) / z
            )),
        )),
        (None, None) => Err(EffectError(
            "a median without a CI has no Wald standard error".into(),
        )),
    }
}

/// MED: one group's median survival.
pub fn med(m: ReportedMedian) -> Result<Effect, EffectError> {
    let (y, se, flag) = median_se(m)?;
    Ok(Effect {
        derived: flag.is_some(),
        yi: y,
        vi: se * se,
        derivation: format!("yi = median {y}; SE = CI width / (2z) = {se:.6}"),
        flags: flag.into_iter().collect(),
    })
}

/// DOM: difference of two groups' medians.
pub fn dom(a: ReportedMedian, b: ReportedMedian) -> Result<Effect, EffectError> {
    let (m1, s1, f1) = median_se(a)?;
    let (m2, s2, f2) = median_se(b)?;
    Ok(Effect {
        derived: f1.is_some() || f2.is_some(),
        yi: m1 - m2,
        vi: s1 * s1 + s2 * s2,
        derivation: format!("yi = {m1} - {m2}; vi = {s1:.6}^2 + {s2:.6}^2"),
        flags: f1.into_iter().chain(f2).collect(),
    })
}

/// ROM: log ratio of two groups' medians.
pub fn rom(a: ReportedMedian, b: ReportedMedian) -> Result<Effect, EffectError> {
    let (m1, s1, f1) = median_se(a)?;
    let (m2, s2, f2) = median_se(b)?;
    if m1 <= 0.0 || m2 <= 0.0 {
        return Err(EffectError(
            "a ratio of medians needs positive medians".into(),
        ));
    }
    Ok(Effect {
        derived: f1.is_some() || f2.is_some(),
        yi: (m1 / m2).ln(),
        vi: (s1 / m1).powi(2) + (s2 / m2).powi(2),
        derivation: format!("yi = ln({m1}/{m2}); vi = ({s1:.6}/{m1})^2 + ({s2:.6}/{m2})^2"),
        flags: f1.into_iter().chain(f2).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Delisle 2022, spine: 14.1 months (95% CI 8.6–19.7).
    #[test]
    fn median_se_from_ci() {
        let e = med(ReportedMedian {
            median: Some(14.1),
            lower: Some(8.6),
            upper: Some(19.7),
            level: 0.95,
        })
        .unwrap();
        let se = (19.7 - 8.6) / (2.0 * 1.959963984540054);
        assert!((e.vi.sqrt() - se).abs() < 1e-9);
        let nr = med(ReportedMedian {
            median: Some(46.0),
            lower: Some(20.0),
            upper: None,
            level: 0.95,
        })
        .unwrap();
        assert_eq!(nr.flags.len(), 1);
        assert!(med(ReportedMedian {
            median: None,
            lower: None,
            upper: None,
            level: 0.95
        })
        .is_err());
    }
}
