//! Small-study effects: Egger's regression test and Begg's rank correlation
//! (metafor `regtest`, `ranktest`), with minimum-k guards that say why a test
//! was not run.
//!
//! # Formula
//! - Egger, mixed-effects (metafor's default `model = "rma"`): the model with
//!   the standard error as moderator, yᵢ = β₀ + β₁·√vᵢ + uᵢ + eᵢ, same τ²
//!   estimator and test; the test of β₁, and β₀ as the "limit estimate".
//! - Egger, classical (`model = "lm"`): weighted least squares with weights
//!   1/vᵢ and a t(k−2) test — the equal-effects model with Knapp–Hartung
//!   scaling is exactly that regression.
//! - Begg: Kendall's τ between yᵢ* = (yᵢ − β̂_FE)/√(vᵢ − v_β̂) and vᵢ; like
//!   metafor (`exact = TRUE`), the exact null distribution whenever there are
//!   no ties (up to k = 200 here), else the normal approximation with the
//!   tie-corrected variance of R's `cor.test(method = "kendall")`.
//!
//! # References
//! Egger et al. (1997) BMJ 315:629–34; Begg & Mazumdar (1994) Biometrics
//! 50:1088–101; Sterne & Egger (2005).

use super::trimfill::{trimfill, K0Estimator, TrimFill};
use super::{rma, RmaParams, Tau2Method, TestKind, NO_LABELS};
use crate::stats::dist;
use crate::stats::linalg::Matrix;
use crate::stats::StatsError;

/// Smallest k for which the tests are run.
pub const MIN_K: usize = 3;
/// Largest k for the exact Kendall distribution (O(k³) recursion).
const EXACT_MAX_K: usize = 200;

/// Result of Egger's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Egger {
    /// z or t statistic of the standard-error coefficient.
    pub stat: f64,
    /// Degrees of freedom of a t test.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub pval: f64,
    /// Limit estimate (intercept: the effect as SE → 0).
    pub limit: f64,
    /// Its CI.
    pub limit_ci: (f64, f64),
}

/// Egger's test; `classical` selects the weighted regression (`model = "lm"`).
pub fn egger(y: &[f64], v: &[f64], params: RmaParams, classical: bool) -> Result<Egger, String> {
    let k = y.len();
    if k < MIN_K {
        return Err(format!("Egger's test needs at least {MIN_K} studies (k = {k}): the regression has two coefficients"));
    }
    let mut x = Matrix::zeros(k, 2);
    for i in 0..k {
        *x.at_mut(i, 0) = 1.0;
        *x.at_mut(i, 1) = v[i].sqrt();
    }
    let p = if classical {
        RmaParams {
            method: Tau2Method::FE,
            test: TestKind::Knha,
            level: params.level,
        }
    } else {
        params
    };
    let fit = rma(y, v, Some(&x), NO_LABELS, p).map_err(|e: StatsError| e.to_string())?;
    Ok(Egger {
        stat: fit.stat[1],
        df: fit.df,
        pval: fit.pval[1],
        limit: fit.beta[0],
        limit_ci: (fit.ci_lb[0], fit.ci_ub[0]),
    })
}

/// Every small-study test; each is a result or the reason it was not run.
#[derive(Debug, Clone, PartialEq)]
pub struct BiasTests {
    /// Egger, mixed-effects.
    pub egger: Result<Egger, String>,
    /// Egger, classical weighted regression.
    pub classical: Result<Egger, String>,
    /// Begg's rank correlation.
    pub begg: Result<Begg, String>,
    /// Trim-and-fill (L0, side estimated).
    pub trimfill: Result<TrimFill, String>,
}

/// Runs every small-study test with the model's settings.
pub fn all(y: &[f64], v: &[f64], params: RmaParams) -> BiasTests {
    BiasTests {
        egger: egger(y, v, params, false),
        classical: egger(y, v, params, true),
        begg: begg(y, v),
        trimfill: if y.len() < MIN_K {
            Err(format!(
                "trim-and-fill needs at least {MIN_K} studies (k = {})",
                y.len()
            ))
        } else {
            trimfill(y, v, params, K0Estimator::L0, None).map_err(|e| e.to_string())
        },
    }
}

/// Result of Begg's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Begg {
    /// Kendall's τ (τ-b with ties).
    pub tau: f64,
    /// Two-sided p-value.
    pub pval: f64,
    /// Whether the exact null distribution was used.
    pub exact: bool,
}

/// Begg's rank correlation test.
pub fn begg(y: &[f64], v: &[f64]) -> Result<Begg, String> {
    let k = y.len();
    if k < MIN_K {
        return Err(format!(
            "Begg's test needs at least {MIN_K} studies (k = {k})"
        ));
    }
    let fe = rma(
        y,
        v,
        None,
        NO_LABELS,
        RmaParams {
            method: Tau2Method::FE,
            test: TestKind::Z,
            level: 0.95,
        },
    )
    .map_err(|e| e.to_string())?;
    let vb = fe.vb.at(0, 0);
    let ys: Vec<f64> = y
        .iter()
        .zip(v)
        .map(|(y, v)| (y - fe.beta[0]) / (v - vb).sqrt())
        .collect();
    Ok(kendall(&ys, v))
}

/// Kendall's τ test as R's `cor.test(x, y, method = "kendall")`.
pub fn kendall(x: &[f64], y: &[f64]) -> Begg {
    let n = x.len();
    let (mut s, mut tx, mut ty) = (0i64, 0usize, 0usize);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = ((x[i] - x[j]).signum(), (y[i] - y[j]).signum());
            if x[i] == x[j] {
                tx += 1;
            }
            if y[i] == y[j] {
                ty += 1;
            }
            if x[i] != x[j] && y[i] != y[j] {
                s += (a * b) as i64;
            }
        }
    }
    let n0 = (n * (n - 1) / 2) as f64;
    let tau = s as f64 / ((n0 - tx as f64) * (n0 - ty as f64)).sqrt();
    let ties = tx > 0 || ty > 0;
    if n <= EXACT_MAX_K && !ties {
        // Exact: T = number of concordant pairs = (S + n0)/2.
        let t = ((s as f64 + n0) / 2.0).round() as usize;
        let counts = mahonian(n);
        let total: f64 = counts.iter().sum();
        // Concordant pairs T = n0 − inversions; P(T ≤ t) = P(inv ≥ n0 − t).
        let n0u = n * (n - 1) / 2;
        let le: f64 = counts[n0u - t..].iter().sum::<f64>() / total;
        let ge: f64 = counts[..=n0u - t].iter().sum::<f64>() / total;
        Begg {
            tau,
            pval: (2.0 * le.min(ge)).min(1.0),
            exact: true,
        }
    } else {
        let nf = n as f64;
        let var0 = nf * (nf - 1.0) * (2.0 * nf + 5.0);
        let tie_term = |x: &[f64]| -> (f64, f64, f64) {
            let mut sorted = x.to_vec();
            sorted.sort_by(f64::total_cmp);
            let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
            let mut i = 0;
            while i < sorted.len() {
                let mut j = i;
                while j + 1 < sorted.len() && sorted[j + 1] == sorted[i] {
                    j += 1;
                }
                let t = (j - i + 1) as f64;
                a += t * (t - 1.0) * (2.0 * t + 5.0);
                b += t * (t - 1.0) * (t - 2.0);
                c += t * (t - 1.0);
                i = j + 1;
            }
            (a, b, c)
        };
        let (xa, xb, xc) = tie_term(x);
        let (ya, yb, yc) = tie_term(y);
        let var = (var0 - xa - ya) / 18.0
            + xb * yb / (9.0 * nf * (nf - 1.0) * (nf - 2.0))
            + xc * yc / (2.0 * nf * (nf - 1.0));
        let z = s as f64 / var.sqrt();
        Begg {
            tau,
            pval: dist::p_two_sided_z(z),
            exact: false,
        }
    }
}

/// Probability of each inversion count 0..=n(n−1)/2 for a random permutation
/// of n items (Mahonian numbers divided by n!, built normalised so large n
/// cannot overflow).
fn mahonian(n: usize) -> Vec<f64> {
    let max = n * (n - 1) / 2;
    let mut row = vec![0.0; max + 1];
    row[0] = 1.0;
    for m in 2..=n {
        let mut next = vec![0.0; max + 1];
        let top = m * (m - 1) / 2;
        let mut window = 0.0;
        for (t, slot) in next.iter_mut().enumerate().take(top + 1) {
            window += row[t];
            if t >= m {
                window -= row[t - m];
            }
            *slot = window / m as f64;
        }
        row = next;
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mahonian_numbers() {
        let m3: Vec<f64> = mahonian(3).iter().map(|p| p * 6.0).collect();
        assert_eq!(m3, vec![1.0, 2.0, 2.0, 1.0]);
        assert!((mahonian(150).iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    /// R: cor.test(x, y, method = "kendall", exact = FALSE) with ties in both.
    #[test]
    fn kendall_with_ties_matches_r() {
        let x = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 6.0, 7.0];
        let y = [2.0, 1.0, 3.0, 3.0, 5.0, 4.0, 6.0, 8.0, 7.0, 7.0];
        let k = kendall(&x, &y);
        assert!(!k.exact);
        let (tau_r, p_r) = (0.7383045377557883, 0.0044047371642061146);
        assert!((k.tau - tau_r).abs() < 1e-12, "{}", k.tau);
        assert!((k.pval - p_r).abs() < 1e-9 * p_r, "{}", k.pval);
    }

    #[test]
    fn guards_say_why() {
        assert!(egger(
            &[0.1, 0.2],
            &[0.1, 0.1],
            RmaParams {
                method: Tau2Method::REML,
                test: TestKind::Z,
                level: 0.95
            },
            false
        )
        .unwrap_err()
        .contains("at least 3"));
        assert!(begg(&[0.1], &[0.1]).unwrap_err().contains("at least 3"));
    }
}
