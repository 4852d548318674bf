//! Mean and SD from a median with a range and/or IQR, in closed form, as
//! metafor's `conv.fivenum` defines them (its recommended methods, and the
//! named alternatives):
//!
//! - means: Luo et al. 2018 (S1 eq. 7, S2 eq. 11, S3 eq. 15); Hozo et al.
//!   2005 (S1: (a + 2m + b)/4 for n ≤ 25, else m); Wan et al. 2014
//!   ((q1 + m + q3)/3 for S2); Bland 2015 (S3).
//! - SDs: Wan et al. 2014 (S1 eq. 9, S2 eq. 16, S3 the average of the two);
//!   Shi et al. 2020 (S3 eq. 10); Hozo et al. 2005 (S1, by n); Bland 2015.
//! - The skewness test of Shi et al. 2023 (statistic and critical value;
//!   a skewed study is flagged, and left out unless the caller converts it
//!   on the log scale).
//! - Log-normal: the values are logged, the SDs carry Shi et al.'s
//!   small-sample factors, and the mean and SD are transformed back (Shi et
//!   al. 2020b).

use super::{FiveNum, MedianError, Scenario};
use crate::stats::dist::qnorm;

/// A closed-form conversion method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedForm {
    /// Luo mean; Wan SD (S1, S2), Shi SD (S3): metafor's recommended set.
    LuoShi,
    /// Luo mean; Wan SD throughout (S3: the average of the range and IQR
    /// estimates).
    LuoWan,
    /// Hozo 2005 for S1 (mean and SD by n); Hozo covers S1 only, so S2 takes
    /// Wan 2014 and S3 Bland 2015 (metamedian's "hozo/wan/bland").
    Hozo,
}

impl ClosedForm {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            ClosedForm::LuoShi => "luo-shi",
            ClosedForm::LuoWan => "luo-wan",
            ClosedForm::Hozo => "hozo",
        }
    }
}

/// The distribution assumed for the conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Normal: the formulas on the values as reported.
    Normal,
    /// Log-normal: the formulas on the logged values, then transformed back
    /// (needs every value > 0; uses the recommended method whatever is asked).
    LogNormal,
}

/// Shi et al. (2023)'s test for skewness of a study's summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkewTest {
    /// The test statistic.
    pub statistic: f64,
    /// Its critical value at n.
    pub critical: f64,
}

impl SkewTest {
    /// Whether the summary is significantly skewed (statistic ≥ critical).
    pub fn skewed(&self) -> bool {
        self.statistic >= self.critical
    }
}

/// A converted mean and SD, and how they were obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanSd {
    /// Estimated mean.
    pub mean: f64,
    /// Estimated SD.
    pub sd: f64,
    /// S1, S2 or S3.
    pub scenario: &'static str,
    /// The formulas used, for the methods text (e.g. "Luo 2018 mean, Shi 2020 SD").
    pub formulas: String,
    /// The skewness test on the scale the conversion used.
    pub skew: SkewTest,
}

/// The smallest n the closed forms are used for (as `conv.fivenum`).
pub const MIN_N: f64 = 5.0;

/// Converts one study's summary to a mean and SD. A skewed summary is still
/// converted: the caller decides (exclude it, or convert on the log scale)
/// from [`MeanSd::skew`].
pub fn convert(f: &FiveNum, method: ClosedForm, scale: Scale) -> Result<MeanSd, MedianError> {
    let sc = f.scenario()?;
    let n = f.n;
    if n < MIN_N {
        return Err(MedianError::TooSmall { n, min: MIN_N });
    }
    let (sc, m, method) = match scale {
        Scale::Normal => (sc, f.median, method),
        Scale::LogNormal => {
            let ln = |v: f64| {
                if v > 0.0 {
                    Ok(v.ln())
                } else {
                    Err(MedianError::NotPositive)
                }
            };
            let logged = match sc {
                Scenario::S1 { min, max } => Scenario::S1 {
                    min: ln(min)?,
                    max: ln(max)?,
                },
                Scenario::S2 { q1, q3 } => Scenario::S2 {
                    q1: ln(q1)?,
                    q3: ln(q3)?,
                },
                Scenario::S3 { min, q1, q3, max } => Scenario::S3 {
                    min: ln(min)?,
                    q1: ln(q1)?,
                    q3: ln(q3)?,
                    max: ln(max)?,
                },
            };
            (logged, ln(f.median)?, ClosedForm::LuoShi)
        }
    };
    let log = scale == Scale::LogNormal;
    let skew = skew_test(&sc, m, n);
    // Wan's ξ and η: expected range and IQR of n standard normals.
    let xi = 2.0 * qnorm((n - 0.375) / (n + 0.25));
    let eta = 2.0 * qnorm((0.75 * n - 0.125) / (n + 0.25));
    let (mean, sd, formulas) = match sc {
        Scenario::S1 { min: a, max: b } => {
            let luo = || luo_mean(&sc, m, n);
            // Shi 2020b's small-sample factor on the log scale.
            let z1 = if log {
                1.01 + 0.25 / n.ln().powi(2)
            } else {
                1.0
            };
            let wan_sd = (b - a) / xi / z1.sqrt();
            let (mean, sd, formulas) = match method {
                ClosedForm::LuoShi | ClosedForm::LuoWan => {
                    (luo(), wan_sd, "Luo 2018 mean, Wan 2014 SD")
                }
                ClosedForm::Hozo => {
                    let mean = if n <= 25.0 {
                        (a + 2.0 * m + b) / 4.0
                    } else {
                        m
                    };
                    let sd = if n <= 15.0 {
                        ((a - 2.0 * m + b).powi(2) / 4.0 + (b - a).powi(2)).sqrt() / 12f64.sqrt()
                    } else if n <= 70.0 {
                        (b - a) / 4.0
                    } else {
                        (b - a) / 6.0
                    };
                    (mean, sd, "Hozo 2005 mean and SD")
                }
            };
            if log {
                let s4 = ((b - a) / xi).powi(4) / (1.0 + 2.23 / n.ln().powi(2));
                let (bm, bs) = back_transform(mean, sd, n, s4, [0.565, 0.37, 2.26, 5.92, 1.48]);
                (bm, bs, formulas.to_string())
            } else {
                (mean, sd, formulas.to_string())
            }
        }
        Scenario::S2 { q1, q3 } => {
            let z2 = if log { 1.0 + 1.58 / n } else { 1.0 };
            let wan_sd = (q3 - q1) / eta / z2.sqrt();
            let (mean, formulas) = match method {
                ClosedForm::LuoShi | ClosedForm::LuoWan => {
                    (luo_mean(&sc, m, n), "Luo 2018 mean, Wan 2014 SD")
                }
                ClosedForm::Hozo => (
                    (q1 + m + q3) / 3.0,
                    "Wan 2014 mean and SD (Hozo 2005 does not cover the IQR)",
                ),
            };
            if log {
                let s4 = ((q3 - q1) / eta).powi(4) / (1.0 + 19.2 / n.powf(1.2));
                let (bm, bs) = back_transform(mean, wan_sd, n, s4, [0.57, 0.75, 2.28, 12.0, 3.0]);
                (bm, bs, formulas.to_string())
            } else {
                (mean, wan_sd, formulas.to_string())
            }
        }
        Scenario::S3 {
            min: a,
            q1,
            q3,
            max: b,
        } => {
            let luo = || luo_mean(&sc, m, n);
            let w = 1.0 / (1.0 + 0.07 * n.powf(0.6));
            let z3 = if log {
                1.0 + 0.28 / n.ln().powi(2)
            } else {
                1.0
            };
            let shi_core = w * (b - a) / xi + (1.0 - w) * (q3 - q1) / eta;
            let (mean, sd, formulas) = match method {
                ClosedForm::LuoShi => (luo(), shi_core / z3.sqrt(), "Luo 2018 mean, Shi 2020 SD"),
                ClosedForm::LuoWan => (luo(), wan_sd(&sc, n), "Luo 2018 mean, Wan 2014 SD"),
                ClosedForm::Hozo => {
                    let mean = (a + 2.0 * q1 + 2.0 * m + 2.0 * q3 + b) / 8.0;
                    let var = (a * a + 2.0 * q1 * q1 + 2.0 * m * m + 2.0 * q3 * q3 + b * b) / 16.0
                        + (a * q1 + q1 * m + m * q3 + q3 * b) / 8.0
                        - (a + 2.0 * q1 + 2.0 * m + 2.0 * q3 + b).powi(2) / 64.0;
                    (
                        mean,
                        var.sqrt(),
                        "Bland 2015 mean and SD (Hozo 2005 does not cover five numbers)",
                    )
                }
            };
            if log {
                let s4 = shi_core.powi(4) / (1.0 + 3.93 / n);
                let (bm, bs) = back_transform(mean, sd, n, s4, [0.405, 0.315, 1.62, 5.04, 1.26]);
                (bm, bs, formulas.to_string())
            } else {
                (mean, sd, formulas.to_string())
            }
        }
    };
    let formulas = if log {
        format!("{formulas} on the log scale, transformed back (Shi 2020b)")
    } else {
        formulas
    };
    Ok(MeanSd {
        mean,
        sd,
        scenario: sc.label(),
        formulas,
        skew,
    })
}

/// Luo et al. 2018's mean from a median and its range and/or IQR (eqs. 7,
/// 11, 15).
pub(crate) fn luo_mean(sc: &Scenario, m: f64, n: f64) -> f64 {
    match *sc {
        Scenario::S1 { min: a, max: b } => {
            let w = 4.0 / (4.0 + n.powf(0.75));
            w * (a + b) / 2.0 + (1.0 - w) * m
        }
        Scenario::S2 { q1, q3 } => {
            let w = 0.7 + 0.39 / n;
            w * (q1 + q3) / 2.0 + (1.0 - w) * m
        }
        Scenario::S3 {
            min: a,
            q1,
            q3,
            max: b,
        } => {
            let w1 = 2.2 / (2.2 + n.powf(0.75));
            let w2 = 0.7 - 0.72 / n.powf(0.55);
            w1 * (a + b) / 2.0 + w2 * (q1 + q3) / 2.0 + (1.0 - w1 - w2) * m
        }
    }
}

/// Wan et al. 2014's SD (eqs. 9 and 16; with five numbers the average of
/// the range and IQR estimates), on the scale of the values given.
pub(crate) fn wan_sd(sc: &Scenario, n: f64) -> f64 {
    let xi = 2.0 * qnorm((n - 0.375) / (n + 0.25));
    let eta = 2.0 * qnorm((0.75 * n - 0.125) / (n + 0.25));
    match *sc {
        Scenario::S1 { min: a, max: b } => (b - a) / xi,
        Scenario::S2 { q1, q3 } => (q3 - q1) / eta,
        Scenario::S3 {
            min: a,
            q1,
            q3,
            max: b,
        } => 0.5 * ((b - a) / xi + (q3 - q1) / eta),
    }
}

/// Shi et al. 2020b's back-transformation of a log-scale mean and SD, with
/// the scenario's constants [a, b, c, d, e]:
/// mean = exp(μ + σ²/2) / (1 + aσ²/n + b s⁴/n),
/// SD² = exp(2μ + 2σ²)/(1 + cσ²/n + d s⁴/n) − exp(2μ + σ²)/(1 + cσ²/n + e s⁴/n).
fn back_transform(mu: f64, sigma: f64, n: f64, s4: f64, k: [f64; 5]) -> (f64, f64) {
    let s2 = sigma * sigma;
    let phi = 1.0 + k[0] * s2 / n + k[1] * s4 / n;
    let mean = (mu + s2 / 2.0).exp() / phi;
    let phi1 = 1.0 + k[2] * s2 / n + k[3] * s4 / n;
    let phi2 = 1.0 + k[2] * s2 / n + k[4] * s4 / n;
    let var = (2.0 * mu + 2.0 * s2).exp() / phi1 - (2.0 * mu + s2).exp() / phi2;
    (mean, var.sqrt())
}

/// Shi et al. (2023)'s skewness test for a summary with median `m`.
pub fn skew_test(sc: &Scenario, m: f64, n: f64) -> SkewTest {
    match *sc {
        Scenario::S1 { min: a, max: b } => SkewTest {
            statistic: ((a + b - 2.0 * m) / (b - a)).abs(),
            critical: 1.0 / (n + 9.0).ln() + 2.5 / (n + 1.0),
        },
        Scenario::S2 { q1, q3 } => SkewTest {
            statistic: ((q1 + q3 - 2.0 * m) / (q3 - q1)).abs(),
            critical: 2.65 / n.sqrt() - 6.0 / (n * n),
        },
        Scenario::S3 {
            min: a,
            q1,
            q3,
            max: b,
        } => SkewTest {
            statistic: (2.65 * (0.6 * n).ln() / n.sqrt() * ((a + b - 2.0 * m) / (b - a)).abs())
                .max(((q1 + q3 - 2.0 * m) / (q3 - q1)).abs()),
            critical: 3.0 / n.sqrt() - 40.0 / n.powi(3),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s1() -> FiveNum {
        FiveNum {
            n: 20.0,
            min: Some(2.0),
            median: 6.0,
            max: Some(14.0),
            ..FiveNum::default()
        }
    }

    #[test]
    fn hozo_mean_by_hand() {
        // (a + 2m + b)/4 = (2 + 12 + 14)/4 = 7 for n ≤ 25; SD = range/4 for 15 < n ≤ 70.
        let r = convert(&s1(), ClosedForm::Hozo, Scale::Normal).unwrap();
        assert_eq!(r.mean, 7.0);
        assert_eq!(r.sd, 3.0);
    }

    #[test]
    fn rejects_bad_summaries() {
        let mut f = s1();
        f.min = Some(7.0);
        assert!(matches!(
            convert(&f, ClosedForm::LuoShi, Scale::Normal),
            Err(MedianError::Unordered(_))
        ));
        let mut f = s1();
        f.n = 4.0;
        assert!(matches!(
            convert(&f, ClosedForm::LuoShi, Scale::Normal),
            Err(MedianError::TooSmall { .. })
        ));
        let mut f = s1();
        f.max = None;
        assert!(matches!(
            convert(&f, ClosedForm::LuoShi, Scale::Normal),
            Err(MedianError::HalfPair(_))
        ));
        let mut f = s1();
        f.min = Some(0.0);
        assert_eq!(
            convert(&f, ClosedForm::LuoShi, Scale::LogNormal),
            Err(MedianError::NotPositive)
        );
    }
}
