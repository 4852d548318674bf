//! Median survival with its CI (McGrath et al. 2025, Wald approach): the CI is
//! taken to be a Wald interval, so SE = (ub − lb)/(2z). A bound that was not
//! reached gives a one-sided SE from the other bound, flagged; a median that
//! was not reached cannot be pooled.
//!
//! - MED: y = median, v = SE²
//! - DOM: y = m₁ − m₂, v = SE₁² + SE₂²
//! - ROM: y = ln(m₁/m₂), v = SE₁²/m₁² + SE₂²/m₂² (delta method)

use super::{z_crit, Effect, EffectError};
use crate::number::entered;

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

/// A median's SE and what the reader should know about it.
struct MedianSe {
    median: f64,
    se: f64,
    flag: Option<String>,
    /// The SE came from one bound only (approximate: dropped by `exclude_derived`).
    one_sided: bool,
}

/// Median and its SE, with a flag when one-sided or degenerate.
fn median_se(m: ReportedMedian) -> Result<MedianSe, EffectError> {
    let Some(med) = m.median else {
        return Err(EffectError("median not reached: it cannot be pooled as a number (exclude the study, or report it separately)".into()));
    };
    let z = z_crit(m.level);
    match (m.lower, m.upper) {
        (Some(l), Some(u)) => {
            if l > u {
                return Err(EffectError(format!(
                    "the CI's lower bound {l} is above its upper bound {u}: swap the two bounds (or re-check the source)"
                )));
            }
            if !(l <= med && med <= u) {
                return Err(EffectError(format!(
                    "median {med} is outside its CI {l}–{u}"
                )));
            }
            // A bound equal to the median (dat.lung row 3: 27.6, 17.4–27.6) is
            // degenerate: often a bound not reached, printed as the median.
            // The Wald SE still uses the full width, as McGrath et al. do;
            // the reader is told.
            let flag = (l == med || u == med).then(|| {
                format!(
                    "CI bound equals the median ({l}–{u} around {med}): possibly a bound not reached; SE from the full width"
                )
            });
            Ok(MedianSe {
                median: med,
                se: (u - l) / (2.0 * z),
                flag,
                one_sided: false,
            })
        }
        (Some(l), None) => Ok(MedianSe {
            median: med,
            se: (med - l) / z,
            flag: Some(format!(
                "upper CI bound not reached: one-sided SE = (median - lower)/z = {:.4}",
                (med - l) / z
            )),
            one_sided: true,
        }),
        (None, Some(u)) => Ok(MedianSe {
            median: med,
            se: (u - med) / z,
            flag: Some(format!(
                "lower CI bound not reported: one-sided SE = (upper - median)/z = {:.4}",
                (u - med) / z
            )),
            one_sided: true,
        }),
        (None, None) => Err(EffectError(
            "a median without a CI has no Wald standard error".into(),
        )),
    }
}

/// MED: one group's median survival.
pub fn med(m: ReportedMedian) -> Result<Effect, EffectError> {
    let MedianSe {
        median: y,
        se,
        flag,
        one_sided,
    } = median_se(m)?;
    Ok(Effect {
        derived: one_sided,
        yi: y,
        vi: se * se,
        derivation: format!("yi = median {}; SE = CI width / (2z) = {se:.6}", entered(y)),
        flags: flag.into_iter().collect(),
    })
}

/// DOM: difference of two groups' medians.
pub fn dom(a: ReportedMedian, b: ReportedMedian) -> Result<Effect, EffectError> {
    let (a, b) = (median_se(a)?, median_se(b)?);
    let (m1, s1, m2, s2) = (a.median, a.se, b.median, b.se);
    Ok(Effect {
        derived: a.one_sided || b.one_sided,
        yi: m1 - m2,
        vi: s1 * s1 + s2 * s2,
        derivation: format!(
            "yi = {} - {}; vi = {s1:.6}^2 + {s2:.6}^2",
            entered(m1),
            entered(m2)
        ),
        flags: a.flag.into_iter().chain(b.flag).collect(),
    })
}

/// ROM: log ratio of two groups' medians.
pub fn rom(a: ReportedMedian, b: ReportedMedian) -> Result<Effect, EffectError> {
    let (a, b) = (median_se(a)?, median_se(b)?);
    let (m1, s1, m2, s2) = (a.median, a.se, b.median, b.se);
    if m1 <= 0.0 || m2 <= 0.0 {
        return Err(EffectError(
            "a ratio of medians needs positive medians".into(),
        ));
    }
    Ok(Effect {
        derived: a.one_sided || b.one_sided,
        yi: (m1 / m2).ln(),
        vi: (s1 / m1).powi(2) + (s2 / m2).powi(2),
        derivation: format!(
            "yi = ln({a}/{b}); vi = ({s1:.6}/{a})^2 + ({s2:.6}/{b})^2",
            a = entered(m1),
            b = entered(m2)
        ),
        flags: a.flag.into_iter().chain(b.flag).collect(),
    })
}

/// Group 1 against group 2 from each group's median (or mean) and its
/// variance: the difference (yi = m₁ − m₂, vi = v₁ + v₂) or, with `ratio`,
/// the log ratio by the delta method (vi = v₁/m₁² + v₂/m₂²). Flags and the
/// derived mark carry over from both groups.
pub fn contrast(a: &Effect, b: &Effect, ratio: bool) -> Result<Effect, EffectError> {
    let (m1, v1, m2, v2) = (a.yi, a.vi, b.yi, b.vi);
    let mut flags: Vec<String> = a.flags.iter().chain(&b.flags).cloned().collect();
    flags.dedup();
    let derived = a.derived || b.derived;
    if !ratio {
        return Ok(Effect {
            yi: m1 - m2,
            vi: v1 + v2,
            derivation: format!(
                "yi = {} - {}; vi = {v1:.6} + {v2:.6}",
                entered(m1),
                entered(m2)
            ),
            flags,
            derived,
        });
    }
    if m1 <= 0.0 || m2 <= 0.0 {
        return Err(EffectError(
            "a ratio of medians needs positive medians".into(),
        ));
    }
    Ok(Effect {
        yi: (m1 / m2).ln(),
        vi: v1 / (m1 * m1) + v2 / (m2 * m2),
        derivation: format!(
            "yi = ln({m1}/{m2}); vi = {v1:.6}/{m1}^2 + {v2:.6}/{m2}^2 (delta method)"
        ),
        flags,
        derived,
    })
}

/// A mean with its SD and n: yi = mean, vi = SD²/n; `derived` when the mean
/// and SD were converted from a median (flagged by the caller).
pub fn mean_sd(mean: f64, sd: f64, n: f64, derived: bool, derivation: String) -> Effect {
    Effect {
        yi: mean,
        vi: sd * sd / n,
        derivation,
        flags: Vec::new(),
        derived,
    }
}

/// MED from a median and the number of events `d` when no CI is reported:
/// under an exponential model the log median has SE 1/√d, so by the delta
/// method SE(median) = median/√d. Model-based, so flagged and marked
/// derived (a sensitivity analysis can drop it).
pub fn med_from_events(median: f64, events: u64) -> Result<Effect, EffectError> {
    if !(median.is_finite() && median > 0.0) {
        return Err(EffectError("the median must be a positive number".into()));
    }
    if events == 0 {
        return Err(EffectError(
            "no events: an exponential-model SE needs at least one event".into(),
        ));
    }
    let d = events as f64;
    let se = median / d.sqrt();
    Ok(Effect {
        derived: true,
        yi: median,
        vi: se * se,
        derivation: format!("yi = median {m}; SE = median/sqrt(d) = {m}/sqrt({events}) = {se:.6} (exponential model)", m = entered(median)),
        flags: vec![format!(
            "model-based SE: no CI reported, SE(log median) = 1/sqrt(d) with d = {} assumes exponential survival",
            crate::number::count(events, "event", "events")
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_model_se() {
        let e = med_from_events(20.0, 25).unwrap();
        assert_eq!(e.vi, 16.0);
        assert!(e.derived);
        assert!(med_from_events(20.0, 0).is_err());
    }

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
