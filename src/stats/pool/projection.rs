//! The weighted projection P = W − W X (X'WX)⁻¹ X'W of metafor's `rma.uni`,
//! summarised by the quadratic forms and traces the estimators need,
//! computed in O(k·p²) without forming the k×k matrix.
//!
//! With A = X'WX, e = y − Xβ̂ (β̂ = A⁻¹X'Wy) and V = diag(v):
//! - y'Py = Σ wᵢeᵢ² (the weighted residual sum of squares)
//! - y'PPy = Σ (wᵢeᵢ)²
//! - tr(P) = Σw − tr(A⁻¹ X'W²X)
//! - tr(PP) = Σw² − 2 tr(A⁻¹X'W³X) + tr((A⁻¹X'W²X)²)
//! - tr(PV) = Σwv − tr(A⁻¹X'W²VX)
//! - tr(PVPV) = Σ(wv)² − 2 tr(A⁻¹X'W³V²X) + tr((A⁻¹X'W²VX)²)
//! - tr(PVP) = Σw²v − 2 tr(A⁻¹X'W³VX) + tr(A⁻¹X'W²X A⁻¹X'W²VX)

use crate::stats::linalg::Matrix;
use crate::stats::StatsError;

/// Quantities of P for one weight vector.
#[derive(Debug, Clone)]
pub struct Projection {
    /// (X'WX)⁻¹.
    pub a_inv: Matrix,
    /// Weighted least-squares coefficients.
    pub beta: Vec<f64>,
    /// Residuals y − Xβ̂.
    pub resid: Vec<f64>,
    /// y'Py.
    pub rss: f64,
    /// Σw.
    pub sum_w: f64,
    /// X is the single intercept column: the traces reduce to power sums
    /// of w, computed in one pass without allocating.
    intercept_only: bool,
}

/// True when X is the single intercept column (an intercept-only model).
pub fn is_intercept_only(x: &Matrix) -> bool {
    x.cols == 1 && x.data.iter().all(|v| *v == 1.0)
}

/// y'Py of an intercept-only model at weights 1/(vᵢ + τ²), in two passes
/// without allocating (the same arithmetic, in the same order, as
/// [`Projection::new`]).
pub fn intercept_rss(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    let (mut sw, mut swy) = (0.0, 0.0);
    for (y, v) in y.iter().zip(v) {
        let w = 1.0 / (v + tau2);
        sw += w;
        swy += w * y;
    }
    let beta = (1.0 / sw) * swy;
    let mut rss = 0.0;
    for (y, v) in y.iter().zip(v) {
        let w = 1.0 / (v + tau2);
        let e = y - beta;
        rss += w * e * e;
    }
    rss
}

/// The same y'Py in one pass with one division per study, for root searches
/// that evaluate it many times: with dᵢ = yᵢ − c for a fixed shift c near the
/// weighted mean (the equal-effects estimate), y'Py = Σwd² − (Σwd)²/Σw, and
/// the subtracted term stays small, so nothing cancels.
pub fn intercept_rss_shifted(y: &[f64], v: &[f64], tau2: f64, c: f64) -> f64 {
    let (mut sw, mut s1, mut s2) = (0.0, 0.0, 0.0);
    for (y, v) in y.iter().zip(v) {
        let w = 1.0 / (v + tau2);
        let d = y - c;
        sw += w;
        s1 += w * d;
        s2 += w * d * d;
    }
    (s2 - s1 * s1 / sw).max(0.0)
}

/// The equal-effects (inverse-variance) mean Σ(y/v)/Σ(1/v).
pub fn fixed_mean(y: &[f64], v: &[f64]) -> f64 {
    let (mut sw, mut swy) = (0.0, 0.0);
    for (y, v) in y.iter().zip(v) {
        sw += 1.0 / v;
        swy += y / v;
    }
    swy / sw
}

impl Projection {
    /// Solves the weighted least-squares problem for weights `w`.
    pub fn new(x: &Matrix, y: &[f64], w: &[f64]) -> Result<Projection, StatsError> {
        let intercept_only = is_intercept_only(x);
        let a_inv = x.weighted_gram(w).inverse().ok_or(StatsError::Singular)?;
        let beta = a_inv.mul_vec(&x.weighted_xty(w, y));
        let resid: Vec<f64> = (0..x.rows)
            .map(|i| y[i] - x.row(i).iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>())
            .collect();
        let rss = resid.iter().zip(w).map(|(e, w)| w * e * e).sum();
        Ok(Projection {
            a_inv,
            beta,
            resid,
            rss,
            sum_w: w.iter().sum(),
            intercept_only,
        })
    }

    /// y'PPy.
    pub fn ypp_y(&self, w: &[f64]) -> f64 {
        self.resid
            .iter()
            .zip(w)
            .map(|(e, w)| (w * e) * (w * e))
            .sum()
    }

    /// tr(P).
    pub fn tr_p(&self, x: &Matrix, w: &[f64]) -> f64 {
        if self.intercept_only {
            let s2: f64 = w.iter().map(|w| w * w).sum();
            return self.sum_w - self.a_inv.data[0] * s2;
        }
        let w2: Vec<f64> = w.iter().map(|w| w * w).collect();
        self.sum_w - self.a_inv.mul(&x.weighted_gram(&w2)).trace()
    }

    /// tr(PP).
    pub fn tr_pp(&self, x: &Matrix, w: &[f64]) -> f64 {
        if self.intercept_only {
            let (mut s2, mut s3) = (0.0, 0.0);
            for w in w {
                s2 += w * w;
                s3 += w * w * w;
            }
            let a = self.a_inv.data[0];
            let b = a * s2;
            return s2 - 2.0 * (a * s3) + b * b;
        }
        let w2: Vec<f64> = w.iter().map(|w| w * w).collect();
        let w3: Vec<f64> = w.iter().map(|w| w * w * w).collect();
        let b = self.a_inv.mul(&x.weighted_gram(&w2));
        w2.iter().sum::<f64>() - 2.0 * self.a_inv.mul(&x.weighted_gram(&w3)).trace()
            + b.mul(&b).trace()
    }

    /// tr(PV).
    pub fn tr_pv(&self, x: &Matrix, w: &[f64], v: &[f64]) -> f64 {
        let w2v: Vec<f64> = w.iter().zip(v).map(|(w, v)| w * w * v).collect();
        w.iter().zip(v).map(|(w, v)| w * v).sum::<f64>()
            - self.a_inv.mul(&x.weighted_gram(&w2v)).trace()
    }

    /// tr(PVPV).
    pub fn tr_pvpv(&self, x: &Matrix, w: &[f64], v: &[f64]) -> f64 {
        let w2v: Vec<f64> = w.iter().zip(v).map(|(w, v)| w * w * v).collect();
        let w3v2: Vec<f64> = w.iter().zip(v).map(|(w, v)| w * w * w * v * v).collect();
        let c = self.a_inv.mul(&x.weighted_gram(&w2v));
        w.iter().zip(v).map(|(w, v)| (w * v) * (w * v)).sum::<f64>()
            - 2.0 * self.a_inv.mul(&x.weighted_gram(&w3v2)).trace()
            + c.mul(&c).trace()
    }

    /// tr(PVP).
    pub fn tr_pvp(&self, x: &Matrix, w: &[f64], v: &[f64]) -> f64 {
        let w2: Vec<f64> = w.iter().map(|w| w * w).collect();
        let w2v: Vec<f64> = w.iter().zip(v).map(|(w, v)| w * w * v).collect();
        let w3v: Vec<f64> = w.iter().zip(v).map(|(w, v)| w * w * w * v).collect();
        let b = self.a_inv.mul(&x.weighted_gram(&w2));
        let c = self.a_inv.mul(&x.weighted_gram(&w2v));
        w2v.iter().sum::<f64>() - 2.0 * self.a_inv.mul(&x.weighted_gram(&w3v)).trace()
            + b.mul(&c).trace()
    }
}

/// Weights 1/(vᵢ + τ²).
pub fn weights(v: &[f64], tau2: f64) -> Vec<f64> {
    v.iter().map(|v| 1.0 / (v + tau2)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed forms agree with P built explicitly (k = 4, p = 2).
    #[test]
    fn traces_match_explicit_p() {
        let x = Matrix {
            rows: 4,
            cols: 2,
            data: vec![1.0, 0.5, 1.0, -1.0, 1.0, 2.0, 1.0, 0.0],
        };
        let y = [0.3, -0.2, 0.8, 0.1];
        let v = [0.1, 0.2, 0.05, 0.3];
        let w: Vec<f64> = v.iter().map(|v| 1.0 / (v + 0.07)).collect();
        let pr = Projection::new(&x, &y, &w).unwrap();
        let k = 4;
        let mut p = vec![vec![0.0; k]; k];
        for i in 0..k {
            for j in 0..k {
                let mut h = 0.0;
                for a in 0..2 {
                    for b in 0..2 {
                        h += w[i] * x.at(i, a) * pr.a_inv.at(a, b) * x.at(j, b) * w[j];
                    }
                }
                p[i][j] = if i == j { w[i] } else { 0.0 } - h;
            }
        }
        let mm = |a: &Vec<Vec<f64>>, b: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
            (0..k)
                .map(|i| {
                    (0..k)
                        .map(|j| (0..k).map(|l| a[i][l] * b[l][j]).sum())
                        .collect()
                })
                .collect()
        };
        let tr = |a: &Vec<Vec<f64>>| (0..k).map(|i| a[i][i]).sum::<f64>();
        let vm: Vec<Vec<f64>> = (0..k)
            .map(|i| (0..k).map(|j| if i == j { v[i] } else { 0.0 }).collect())
            .collect();
        let pv = mm(&p, &vm);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-12 * (1.0 + b.abs()), "{a} vs {b}");
        close(pr.tr_p(&x, &w), tr(&p));
        close(pr.tr_pp(&x, &w), tr(&mm(&p, &p)));
        close(pr.tr_pv(&x, &w, &v), tr(&pv));
        close(pr.tr_pvpv(&x, &w, &v), tr(&mm(&pv, &pv)));
        close(pr.tr_pvp(&x, &w, &v), tr(&mm(&pv, &p)));
        let py: Vec<f64> = (0..k)
            .map(|i| (0..k).map(|j| p[i][j] * y[j]).sum())
            .collect();
        close(pr.rss, y.iter().zip(&py).map(|(a, b)| a * b).sum());
        close(pr.ypp_y(&w), py.iter().map(|a| a * a).sum());
    }
}
