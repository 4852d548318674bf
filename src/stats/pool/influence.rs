//! Influence diagnostics of an intercept-only model, as metafor's
//! `influence.rma.uni`: each study is deleted in turn and the model refitted
//! with the same settings.
//!
//! # Formula (β the pooled estimate, w = 1/(v + τ²), s² the Knapp–Hartung factor)
//! - hat = wᵢ/Σw; weight = 100·hat
//! - rstudent = (yᵢ − β₍₋ᵢ₎)/√(vᵢ·s²₍₋ᵢ₎ + Var β₍₋ᵢ₎ + τ²₍₋ᵢ₎·s²₍₋ᵢ₎)
//! - DFFITS = (β − β₍₋ᵢ₎)/√(s²₍₋ᵢ₎·hatᵢ·(τ²₍₋ᵢ₎ + vᵢ))
//! - DFBETAS = (β − β₍₋ᵢ₎)/√(s²₍₋ᵢ₎/Σⱼ 1/(vⱼ + τ²₍₋ᵢ₎))
//! - Cook's D = (β − β₍₋ᵢ₎)²/Var β; cov.r = Var β₍₋ᵢ₎/Var β
//!
//! # References
//! Viechtbauer & Cheung (2010) Res Synth Methods 1:112–25.

use super::sensitivity::leave_one_out;
use super::{RmaFit, NO_LABELS};
use crate::stats::StatsError;

/// Diagnostics of one study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Influence {
    /// Externally studentized residual.
    pub rstudent: f64,
    /// DFFITS.
    pub dffits: f64,
    /// Cook's distance.
    pub cook_d: f64,
    /// Covariance ratio.
    pub cov_r: f64,
    /// τ² without the study.
    pub tau2_del: f64,
    /// Q without the study.
    pub qe_del: f64,
    /// Hat value.
    pub hat: f64,
    /// Weight in percent.
    pub weight: f64,
    /// DFBETAS of the intercept.
    pub dfbetas: f64,
    /// metafor's "influential" flag: |DFFITS| > 3√(p/(k−p)), P(χ²₁ ≤ Cook's D) > 0.5,
    /// hat > 3p/k, or |DFBETAS| > 1.
    pub influential: bool,
}

/// Diagnostics for every study of an intercept-only fit.
pub fn influence(fit: &RmaFit, y: &[f64], v: &[f64]) -> Result<Vec<Influence>, StatsError> {
    let k = y.len();
    if k < 2 || fit.p != 1 {
        return Err(StatsError::TooFewStudies { k, min: 2 });
    }
    let beta = fit.beta[0];
    let vb = fit.vb.at(0, 0);
    let w: Vec<f64> = v.iter().map(|v| 1.0 / (v + fit.tau2)).collect();
    let sw: f64 = w.iter().sum();
    let (kf, pf) = (k as f64, 1.0);
    let refits = leave_one_out(y, v, NO_LABELS, fit.params)?;
    refits
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let del = &r.fit;
            let (b_del, vb_del, tau2_del, s2w_del) =
                (del.beta[0], del.vb.at(0, 0), del.tau2, del.s2w);
            let hat = w[i] / sw;
            let mut resid = y[i] - b_del;
            if resid.abs() < 100.0 * f64::EPSILON {
                resid = 0.0;
            }
            let rstudent = resid / (v[i] * s2w_del + vb_del + tau2_del * s2w_del).sqrt();
            let dffits = (beta - b_del) / (s2w_del * hat * (tau2_del + v[i])).sqrt();
            let vb_plug: f64 = 1.0 / v.iter().map(|v| 1.0 / (v + tau2_del)).sum::<f64>();
            let dfbetas = (beta - b_del) / (s2w_del * vb_plug).sqrt();
            let cook_d = (beta - b_del) * (beta - b_del) / vb;
            let cov_r = vb_del / vb;
            let influential = dffits.abs() > 3.0 * (pf / (kf - pf)).sqrt()
                || crate::stats::dist::pchisq_upper(cook_d, 1.0) < 0.5
                || hat > 3.0 * pf / kf
                || dfbetas.abs() > 1.0;
            Ok(Influence {
                rstudent,
                dffits,
                cook_d,
                cov_r,
                tau2_del,
                qe_del: del.q,
                hat,
                weight: 100.0 * hat,
                dfbetas,
                influential,
            })
        })
        .collect()
}
