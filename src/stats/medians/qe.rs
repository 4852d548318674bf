//! Quantile estimation (QE; McGrath et al. 2020a, 2020b), as estmeansd's
//! `qe.fit` defines it: each candidate family is fitted to the reported
//! quantiles by least squares, S(θ) = Σ (Q(pᵢ; θ) − qᵢ)², inside box
//! constraints, and the family with the smallest S is used. Probabilities:
//! S1 (1/n, ½, 1 − 1/n); S2 (¼, ½, ¾); S3 all five.
//!
//! Two conventions, as the reference software uses them:
//! - [`Convention::MedianVariance`] (McGrath 2020a; metamedian's `qe`):
//!   normal, log-normal, gamma, Weibull, fixed starts; the sampling variance
//!   of a median is 1/(4 n f(m)²) with f the fitted density at its median.
//! - [`Convention::MeanSd`] (McGrath 2020b; `qe.mean.sd`): beta as well,
//!   starts from the Luo mean and Wan SD; the mean and SD are the fitted
//!   family's.
//!
//! The minimum is found by projected Levenberg–Marquardt; the fit reported
//! is then moved to where R's `optim` stops (see `optim::where_r_stops`), so the
//! numbers reproduce the R packages'. Beta is fitted only when every value
//! lies in (0, 1); outside, its S is enormous and never chosen.

use super::optim::{minimize_box, where_r_stops};
use super::{fivenum, FiveNum, MedianError, Scenario};
use crate::stats::dist::{dgamma, gamma_fn, qbeta, qgamma, qnorm};

/// A candidate family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Normal (μ, σ).
    Normal,
    /// Log-normal (μ, σ of the log).
    LogNormal,
    /// Gamma (shape, rate).
    Gamma,
    /// Weibull (shape, scale).
    Weibull,
    /// Beta (α, β).
    Beta,
}

impl Family {
    /// Name as estmeansd prints it.
    pub fn name(self) -> &'static str {
        match self {
            Family::Normal => "normal",
            Family::LogNormal => "log-normal",
            Family::Gamma => "gamma",
            Family::Weibull => "weibull",
            Family::Beta => "beta",
        }
    }

    fn quantile(self, p: f64, t: [f64; 2]) -> f64 {
        match self {
            Family::Normal => t[0] + t[1] * qnorm(p),
            Family::LogNormal => (t[0] + t[1] * qnorm(p)).exp(),
            Family::Gamma => qgamma(p, t[0], t[1]),
            Family::Weibull => t[1] * (-(1.0 - p).ln()).powf(1.0 / t[0]),
            Family::Beta => qbeta(p, t[0], t[1]),
        }
    }

    /// Density at the distribution's median (not defined here for beta,
    /// which the median-variance convention does not fit).
    fn density_at_median(self, t: [f64; 2]) -> f64 {
        let m = self.quantile(0.5, t);
        match self {
            Family::Normal => {
                (-0.5 * ((m - t[0]) / t[1]).powi(2)).exp()
                    / (t[1] * (2.0 * std::f64::consts::PI).sqrt())
            }
            Family::LogNormal => {
                (-0.5 * ((m.ln() - t[0]) / t[1]).powi(2)).exp()
                    / (m * t[1] * (2.0 * std::f64::consts::PI).sqrt())
            }
            Family::Gamma => dgamma(m, t[0], t[1]),
            Family::Weibull => {
                let (k, l) = (t[0], t[1]);
                k / l * (m / l).powf(k - 1.0) * (-(m / l).powf(k)).exp()
            }
            Family::Beta => f64::NAN,
        }
    }

    fn mean_sd(self, t: [f64; 2]) -> (f64, f64) {
        match self {
            Family::Normal => (t[0], t[1]),
            Family::LogNormal => (
                (t[0] + t[1] * t[1] / 2.0).exp(),
                (((t[1] * t[1]).exp() - 1.0) * (2.0 * t[0] + t[1] * t[1]).exp()).sqrt(),
            ),
            Family::Gamma => (t[0] / t[1], (t[0] / (t[1] * t[1])).sqrt()),
            Family::Weibull => {
                let g1 = gamma_fn(1.0 + 1.0 / t[0]);
                let g2 = gamma_fn(1.0 + 2.0 / t[0]);
                (t[1] * g1, (t[1] * t[1] * (g2 - g1 * g1)).sqrt())
            }
            Family::Beta => {
                let (a, b) = (t[0], t[1]);
                (
                    a / (a + b),
                    (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt(),
                )
            }
        }
    }
}

/// Which reference convention to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// McGrath 2020a (metamedian `qe`): for the variance of a median.
    MedianVariance,
    /// McGrath 2020b (estmeansd `qe.mean.sd`): for a mean and SD.
    MeanSd,
}

/// One family's fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyFit {
    /// The family.
    pub family: Family,
    /// Its parameters.
    pub params: [f64; 2],
    /// S(θ) at the fit.
    pub ssq: f64,
}

/// All families fitted to one study's summary, and the chosen one.
#[derive(Debug, Clone, PartialEq)]
pub struct QeFit {
    /// S1, S2 or S3.
    pub scenario: &'static str,
    /// Every family that could be fitted.
    pub fits: Vec<FamilyFit>,
    /// The family with the smallest S.
    pub best: FamilyFit,
    /// Sample size.
    pub n: f64,
}

impl QeFit {
    /// Mean and SD of the chosen family.
    pub fn mean_sd(&self) -> (f64, f64) {
        self.best.family.mean_sd(self.best.params)
    }

    /// Asymptotic sampling variance of the sample median, 1/(4 n f(m)²).
    pub fn median_variance(&self) -> f64 {
        let f = self.best.family.density_at_median(self.best.params);
        0.25 / (f * f * self.n)
    }
}

/// One group's summary as a study reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GroupSummary {
    /// A median with a range and/or IQR (S1–S3).
    Quantiles(FiveNum),
    /// A mean and SD (S4): taken as normal, so the median is the mean and
    /// its variance SD²/n (McGrath et al. 2020a).
    MeanSd {
        /// Mean.
        mean: f64,
        /// SD.
        sd: f64,
        /// Sample size.
        n: f64,
    },
}

/// A study's median (or difference of medians) and its sampling variance.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyMedian {
    /// The median, or group 1 − group 2.
    pub yi: f64,
    /// Its sampling variance.
    pub vi: f64,
    /// The family used per group ("normal" for a mean and SD).
    pub families: Vec<&'static str>,
}

fn group_median(g: &GroupSummary) -> Result<(f64, f64, &'static str), MedianError> {
    match *g {
        GroupSummary::MeanSd { mean, sd, n } => {
            if !(mean.is_finite() && sd.is_finite() && sd > 0.0 && n > 0.0) {
                return Err(MedianError::NotFinite("mean, SD (> 0) or n"));
            }
            Ok((mean, sd * sd / n, "normal"))
        }
        GroupSummary::Quantiles(f) => {
            let fit = qe_fit(&f, Convention::MedianVariance)?;
            Ok((f.median, fit.median_variance(), fit.best.family.name()))
        }
    }
}

/// QE for one study (metamedian's `qe.study.level`, families chosen per
/// group): the median and its variance, or the difference of two groups'
/// medians and the sum of their variances.
pub fn qe_study(g1: &GroupSummary, g2: Option<&GroupSummary>) -> Result<StudyMedian, MedianError> {
    let (m1, v1, d1) = group_median(g1)?;
    match g2 {
        None => Ok(StudyMedian {
            yi: m1,
            vi: v1,
            families: vec![d1],
        }),
        Some(g2) => {
            let (m2, v2, d2) = group_median(g2)?;
            Ok(StudyMedian {
                yi: m1 - m2,
                vi: v1 + v2,
                families: vec![d1, d2],
            })
        }
    }
}

/// A family to fit: its start, lower and upper bounds.
type Candidate = (Family, [f64; 2], [f64; 2], [f64; 2]);

/// The smallest n QE is used for (as estmeansd).
pub const MIN_N: f64 = 3.0;

/// Fits the candidate families to one study's summary.
pub fn qe_fit(f: &FiveNum, convention: Convention) -> Result<QeFit, MedianError> {
    let sc = f.scenario()?;
    let n = f.n;
    if n < MIN_N {
        return Err(MedianError::TooSmall { n, min: MIN_N });
    }
    let m = f.median;
    let (probs, quants): (Vec<f64>, Vec<f64>) = match sc {
        Scenario::S1 { min, max } => (vec![1.0 / n, 0.5, 1.0 - 1.0 / n], vec![min, m, max]),
        Scenario::S2 { q1, q3 } => (vec![0.25, 0.5, 0.75], vec![q1, m, q3]),
        Scenario::S3 { min, q1, q3, max } => (
            vec![1.0 / n, 0.25, 0.5, 0.75, 1.0 - 1.0 / n],
            vec![min, q1, m, q3, max],
        ),
    };
    // Bounds on the location come from the inner pair of reported values.
    let (lo_loc, hi_loc) = match sc {
        Scenario::S1 { min, max } => (min, max),
        Scenario::S2 { q1, q3 } | Scenario::S3 { q1, q3, .. } => (q1, q3),
    };
    let min_q = quants.iter().copied().fold(f64::INFINITY, f64::min);
    let max_q = quants.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut candidates: Vec<Candidate> = Vec::new();
    match convention {
        Convention::MedianVariance => {
            candidates.push((Family::Normal, [m, 1.0], [lo_loc, 1e-3], [hi_loc, 50.0]));
            if min_q >= 0.0 {
                if min_q > 0.0 {
                    candidates.push((
                        Family::LogNormal,
                        [m.ln(), 1.0],
                        [lo_loc.ln(), 1e-3],
                        [hi_loc.ln(), 10.0],
                    ));
                }
                candidates.push((Family::Gamma, [1.0, 1.0], [1e-3; 2], [40.0; 2]));
                candidates.push((Family::Weibull, [1.0, 1.0], [1e-3; 2], [50.0; 2]));
            }
        }
        Convention::MeanSd => {
            // estmeansd's starts: the Luo mean and Wan SD.
            let (mh, sh) = (fivenum::luo_mean(&sc, m, n), fivenum::wan_sd(&sc, n));
            candidates.push((Family::Normal, [mh, sh], [lo_loc, 1e-3], [hi_loc, 50.0]));
            if min_q >= 0.0 {
                let cv2 = (sh / mh).powi(2);
                if min_q > 0.0 {
                    candidates.push((
                        Family::LogNormal,
                        [(mh / (1.0 + cv2).sqrt()).ln(), (1.0 + cv2).ln().sqrt()],
                        [lo_loc.ln(), 1e-3],
                        [hi_loc.ln(), 10.0],
                    ));
                }
                candidates.push((
                    Family::Gamma,
                    [mh * mh / (sh * sh), mh / (sh * sh)],
                    [1e-3; 2],
                    [100.0; 2],
                ));
                let k = weibull_shape_for_cv(sh / mh);
                candidates.push((
                    Family::Weibull,
                    [k, mh / gamma_fn((k + 1.0) / k)],
                    [1e-3; 2],
                    [100.0; 2],
                ));
                if min_q > 0.0 && max_q < 1.0 {
                    let a = mh * ((mh * (1.0 - mh)) / (sh * sh) - 1.0);
                    candidates.push((Family::Beta, [a, a * (1.0 - mh) / mh], [1e-3; 2], [40.0; 2]));
                }
            }
        }
    }
    let fits: Vec<FamilyFit> = candidates
        .into_iter()
        .filter_map(|(family, start, lower, upper)| {
            let resid = |t: [f64; 2], out: &mut [f64]| {
                for ((o, p), q) in out.iter_mut().zip(&probs).zip(&quants) {
                    *o = family.quantile(*p, t) - q;
                }
            };
            let ssq = |t: [f64; 2]| {
                let mut r = [0.0; 5];
                resid(t, &mut r[..quants.len()]);
                let s: f64 = r.iter().map(|v| v * v).sum();
                if s.is_finite() {
                    s
                } else {
                    f64::INFINITY
                }
            };
            minimize_box(resid, quants.len(), start, lower, upper).map(|(exact, _)| {
                let params = where_r_stops(&ssq, exact, lower, upper);
                FamilyFit {
                    family,
                    params,
                    ssq: ssq(params),
                }
            })
        })
        .collect();
    let best = *fits
        .iter()
        .min_by(|a, b| a.ssq.total_cmp(&b.ssq))
        .ok_or(MedianError::Empty)?;
    Ok(QeFit {
        scenario: sc.label(),
        fits,
        best,
        n,
    })
}

/// The Weibull shape whose coefficient of variation is `cv` (estmeansd's
/// starting value), by bisection: the CV falls as the shape grows.
fn weibull_shape_for_cv(cv: f64) -> f64 {
    let cv_of = |k: f64| {
        let g1 = gamma_fn(1.0 + 1.0 / k);
        (gamma_fn(1.0 + 2.0 / k) / (g1 * g1) - 1.0).sqrt()
    };
    let (mut lo, mut hi) = (0.05f64, 500.0f64);
    if !(cv.is_finite() && cv > 0.0) || cv_of(hi) > cv || cv_of(lo) < cv {
        return (1.0 / cv).powf(1.086).clamp(1e-3, 100.0);
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if cv_of(mid) > cv {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Symmetric S2 data: the normal fits exactly, with σ = IQR / (2 z₀.₇₅).
    #[test]
    fn symmetric_iqr_fits_a_normal_exactly() {
        let f = FiveNum {
            n: 50.0,
            q1: Some(4.0),
            median: 6.0,
            q3: Some(8.0),
            ..FiveNum::default()
        };
        let fit = qe_fit(&f, Convention::MedianVariance).unwrap();
        assert_eq!(fit.best.family, Family::Normal);
        let sigma = 4.0 / (2.0 * qnorm(0.75));
        assert!((fit.best.params[0] - 6.0).abs() < 1e-9);
        assert!((fit.best.params[1] - sigma).abs() < 1e-9);
        let want = 0.25 * 2.0 * std::f64::consts::PI * sigma * sigma / 50.0;
        assert!((fit.median_variance() - want).abs() < 1e-9 * want);
    }

    /// Log-normal data's quantiles are fitted exactly by the log-normal.
    #[test]
    fn lognormal_quantiles_pick_the_lognormal() {
        let q = |p: f64| (1.0 + 0.8 * qnorm(p)).exp();
        let f = FiveNum {
            n: 100.0,
            q1: Some(q(0.25)),
            median: q(0.5),
            q3: Some(q(0.75)),
            ..FiveNum::default()
        };
        let fit = qe_fit(&f, Convention::MeanSd).unwrap();
        assert_eq!(fit.best.family, Family::LogNormal);
        assert!((fit.best.params[0] - 1.0).abs() < 1e-6 && (fit.best.params[1] - 0.8).abs() < 1e-6);
    }
}
