//! Inverse-variance meta-analysis and meta-regression as metafor's `rma.uni`
//! defines it: an equal-effects model or a random-effects model with one of
//! the τ² estimators in [`tau2`], z or Knapp–Hartung inference, prediction
//! interval, Q, I², H² and Q-profile confidence intervals ([`confint`]).
//!
//! # Formula
//! With wᵢ = 1/(vᵢ + τ²): β̂ = (X'WX)⁻¹X'Wy, Var(β̂) = (X'WX)⁻¹ (times
//! s² = y'Py/(k−p) under Knapp–Hartung, with t(k−p) quantiles). Q = Σ eᵢ²/vᵢ
//! from the equal-effects fit. I² = 100·τ²/(τ² + ṽ) and H² = (τ² + ṽ)/ṽ with
//! the typical sampling variance ṽ = (k−p)/tr(P₀) (metafor's definitions); for
//! the equal-effects model I² = 100·max(0, (Q − (k−p))/Q) and H² = Q/(k−p).
//! Prediction interval: β̂ ± crit·√(SE² + τ²).
//!
//! # References
//! Viechtbauer W (2010) J Stat Softw 36(3); Knapp & Hartung (2003) Stat Med
//! 22:2693–710; Higgins & Thompson (2002) Stat Med 21:1539–58.

pub mod bias;
pub mod confint;
pub mod influence;
pub mod predict;
mod projection;
pub mod sensitivity;
pub mod subgroups;
pub mod tau2;
pub mod trimfill;

use crate::domain::{parsed_as_vocab, Vocab};
use std::fmt;

use super::dist;
use super::linalg::Matrix;
use super::StatsError;
use projection::{weights, Projection};

/// How τ² is estimated (metafor's method codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tau2Method {
    /// Equal (fixed) effects: τ² = 0 (metafor "FE"/"EE").
    FE,
    /// DerSimonian–Laird.
    DL,
    /// Hedges (variance component / Cochran ANOVA).
    HE,
    /// Hunter–Schmidt.
    HS,
    /// Sidik–Jonkman.
    SJ,
    /// Maximum likelihood.
    ML,
    /// Restricted maximum likelihood.
    REML,
    /// Empirical Bayes (Morris).
    EB,
    /// Paule–Mandel.
    PM,
}

impl Tau2Method {
    /// Every method, in metafor's documentation order.
    pub const ALL: [Tau2Method; 9] = [
        Self::FE,
        Self::DL,
        Self::HE,
        Self::HS,
        Self::SJ,
        Self::ML,
        Self::REML,
        Self::EB,
        Self::PM,
    ];

    /// True for iterative estimators (tolerance 1e-6 against metafor rather than 1e-9).
    pub fn is_iterative(self) -> bool {
        matches!(self, Self::ML | Self::REML | Self::EB | Self::PM)
    }
}

impl fmt::Display for Tau2Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl Vocab for Tau2Method {
    const WHAT: &'static str = "τ² estimator";
    const ALL: &'static [(&'static str, Self)] = &[
        ("FE", Self::FE),
        ("DL", Self::DL),
        ("HE", Self::HE),
        ("HS", Self::HS),
        ("SJ", Self::SJ),
        ("ML", Self::ML),
        ("REML", Self::REML),
        ("EB", Self::EB),
        ("PM", Self::PM),
    ];
    const ALIASES: &'static [(&'static str, Self)] = &[("EE", Self::FE)];
}

impl Vocab for TestKind {
    const WHAT: &'static str = "test";
    const ALL: &'static [(&'static str, Self)] = &[("z", Self::Z), ("knha", Self::Knha)];
}

parsed_as_vocab!(Tau2Method, TestKind);

/// Inference for the coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestKind {
    /// Normal (Wald z) tests and CIs.
    Z,
    /// Knapp–Hartung: variance scaled by s², t(k − p) distribution.
    Knha,
}

impl fmt::Display for TestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TestKind::Z => "z",
            TestKind::Knha => "knha",
        })
    }
}

/// Model settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmaParams {
    /// τ² estimator.
    pub method: Tau2Method,
    /// Inference.
    pub test: TestKind,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct RmaFit {
    /// Number of studies.
    pub k: usize,
    /// Number of coefficients.
    pub p: usize,
    /// Settings used.
    pub params: RmaParams,
    /// Coefficients (the pooled estimate first for intercept-only models).
    pub beta: Vec<f64>,
    /// Their standard errors.
    pub se: Vec<f64>,
    /// z or t statistics.
    pub stat: Vec<f64>,
    /// Two-sided p-values.
    pub pval: Vec<f64>,
    /// Lower CI bounds.
    pub ci_lb: Vec<f64>,
    /// Upper CI bounds.
    pub ci_ub: Vec<f64>,
    /// Variance–covariance matrix of the coefficients.
    pub vb: Matrix,
    /// Knapp–Hartung scale factor s² = y'Py/(k−p) (1 under z tests).
    pub s2w: f64,
    /// Degrees of freedom of t tests (Knapp–Hartung), else `None`.
    pub df: Option<f64>,
    /// τ².
    pub tau2: f64,
    /// SE of τ² (NaN for the equal-effects model).
    pub tau2_se: f64,
    /// Iterations of the τ² estimator.
    pub iterations: usize,
    /// Cochran's Q (residual heterogeneity, QE).
    pub q: f64,
    /// Its degrees of freedom, k − p.
    pub q_df: usize,
    /// Its p-value.
    pub q_pval: f64,
    /// I² in percent.
    pub i2: f64,
    /// H².
    pub h2: f64,
    /// Typical within-study variance ṽ used for I² and H².
    pub typical_v: f64,
    /// Prediction interval of an intercept-only model.
    pub pi: Option<(f64, f64)>,
    /// Weights in percent.
    pub weights: Vec<f64>,
    /// Omnibus test of the moderators (QM, numerator df, p) when p > 1;
    /// χ² under z, F(m, k − p) (QM divided by m) under Knapp–Hartung.
    pub qm: Option<(f64, usize, f64)>,
    /// Caveats (fallbacks, boundary estimates).
    pub warnings: Vec<String>,
}

/// No study labels (errors then name studies by position, "#3").
pub const NO_LABELS: &[&str] = &[];

/// Fits the model to effects `y` with sampling variances `v`; `x` is the
/// model matrix (intercept-only when `None`). `labels` name studies in errors.
pub fn rma(
    y: &[f64],
    v: &[f64],
    x: Option<&Matrix>,
    labels: &[impl AsRef<str>],
    params: RmaParams,
) -> Result<RmaFit, StatsError> {
    let k = y.len();
    let label = |i: usize| {
        labels
            .get(i)
            .map_or_else(|| format!("#{}", i + 1), |s| s.as_ref().to_string())
    };
    for i in 0..k {
        if !y[i].is_finite() {
            return Err(StatsError::BadEffect {
                study: label(i),
                yi: y[i],
            });
        }
        if !(v[i].is_finite() && v[i] > 0.0) {
            return Err(StatsError::BadVariance {
                study: label(i),
                vi: v[i],
            });
        }
    }
    if k == 0 {
        return Err(StatsError::TooFewStudies { k, min: 1 });
    }
    let ones = Matrix::ones_column(k);
    let x = x.unwrap_or(&ones);
    let p = x.cols;
    if p > k {
        return Err(StatsError::Saturated { k, p });
    }
    let mut warnings = Vec::new();
    let (method, test) = if k == p {
        if params.method != Tau2Method::FE || params.test != TestKind::Z {
            warnings.push(format!("k = {k}: no heterogeneity can be estimated; equal-effects model with z inference used"));
        }
        (Tau2Method::FE, TestKind::Z)
    } else {
        (params.method, params.test)
    };
    let est = tau2::estimate(method, x, y, v)?;
    warnings.extend(est.warnings.iter().cloned());
    let tau2 = est.tau2;

    let w = weights(v, tau2);
    let pr = Projection::new(x, y, &w)?;
    let df = (k - p) as f64;
    let s2w = if test == TestKind::Knha {
        pr.rss / df
    } else {
        1.0
    };
    let mut vb = pr.a_inv.clone();
    vb.data.iter_mut().for_each(|e| *e *= s2w);
    let alpha = 1.0 - params.level;
    let (crit, t_df) = match test {
        TestKind::Z => (dist::qnorm(1.0 - alpha / 2.0), None),
        TestKind::Knha => (dist::qt(1.0 - alpha / 2.0, df), Some(df)),
    };
    let se: Vec<f64> = (0..p).map(|j| vb.at(j, j).sqrt()).collect();
    let stat: Vec<f64> = pr.beta.iter().zip(&se).map(|(b, s)| b / s).collect();
    let pval = stat
        .iter()
        .map(|z| t_df.map_or_else(|| dist::p_two_sided_z(*z), |d| dist::p_two_sided_t(*z, d)))
        .collect();

    let fixed_w: Vec<f64> = v.iter().map(|v| 1.0 / v).collect();
    let fe = Projection::new(x, y, &fixed_w)?;
    let q = fe.rss;
    let q_pval = if k > p {
        dist::pchisq_upper(q, df)
    } else {
        1.0
    };
    let typical_v = if k > p {
        df / fe.tr_p(x, &fixed_w)
    } else {
        f64::NAN
    };
    let (i2, h2) = if method == Tau2Method::FE {
        if k > p && q > 0.0 {
            (100.0 * ((q - df) / q).max(0.0), q / df)
        } else {
            (0.0, 1.0)
        }
    } else {
        (
            100.0 * tau2 / (typical_v + tau2),
            (typical_v + tau2) / typical_v,
        )
    };
    let pi = (p == 1).then(|| {
        let half = crit * (vb.at(0, 0) + tau2).sqrt();
        (pr.beta[0] - half, pr.beta[0] + half)
    });
    let sw: f64 = w.iter().sum();
    let qm = (p > 1)
        .then(|| moderator_test(&pr.beta, &vb, t_df, k, p))
        .flatten();
    Ok(RmaFit {
        k,
        p,
        params: RmaParams {
            method,
            test,
            level: params.level,
        },
        ci_lb: pr.beta.iter().zip(&se).map(|(b, s)| b - crit * s).collect(),
        ci_ub: pr.beta.iter().zip(&se).map(|(b, s)| b + crit * s).collect(),
        beta: pr.beta.clone(),
        se,
        stat,
        pval,
        vb,
        s2w,
        df: t_df,
        tau2,
        tau2_se: est.se,
        iterations: est.iterations,
        q,
        q_df: k - p,
        q_pval,
        i2,
        h2,
        typical_v,
        pi,
        weights: w.iter().map(|w| 100.0 * w / sw).collect(),
        qm,
        warnings,
    })
}

/// QM for coefficients 2..p: Wald χ²(m) or, under Knapp–Hartung, F(m, k−p).
fn moderator_test(
    beta: &[f64],
    vb: &Matrix,
    t_df: Option<f64>,
    k: usize,
    p: usize,
) -> Option<(f64, usize, f64)> {
    let m = p - 1;
    let mut sub = Matrix::zeros(m, m);
    for a in 0..m {
        for b in 0..m {
            *sub.at_mut(a, b) = vb.at(a + 1, b + 1);
        }
    }
    let inv = sub.inverse()?;
    let b = &beta[1..];
    let qm: f64 = (0..m)
        .map(|a| (0..m).map(|c| b[a] * inv.at(a, c) * b[c]).sum::<f64>())
        .sum();
    Some(match t_df {
        None => (qm, m, dist::pchisq_upper(qm, m as f64)),
        Some(_) => {
            let f = qm / m as f64;
            (f, m, dist::pf_upper(f, m as f64, (k - p) as f64))
        }
    })
}

/// Test for subgroup differences with separate τ² per subgroup: an
/// equal-effects meta-analysis of the subgroup estimates,
/// Q_between = Σ w_g (β_g − β̄)², w_g = 1/SE_g², on G − 1 degrees of freedom
/// (as metafor's `rma(estimates, sei = ses, method = "FE")`). Returns (Q, df, p).
pub fn q_between(estimates: &[(f64, f64)]) -> (f64, usize, f64) {
    let w: Vec<f64> = estimates.iter().map(|(_, se)| 1.0 / (se * se)).collect();
    let sw: f64 = w.iter().sum();
    let mean = estimates
        .iter()
        .zip(&w)
        .map(|((b, _), w)| b * w)
        .sum::<f64>()
        / sw;
    let q = estimates
        .iter()
        .zip(&w)
        .map(|((b, _), w)| w * (b - mean) * (b - mean))
        .sum();
    let df = estimates.len().saturating_sub(1);
    (
        q,
        df,
        if df > 0 {
            dist::pchisq_upper(q, df as f64)
        } else {
            1.0
        },
    )
}
