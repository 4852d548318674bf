//! Subgroup analysis (metafor, separate or common τ²).
//!
//! Separate τ²: one random-effects model per subgroup; subgroup differences
//! by the Q-between test, an equal-effects meta-analysis of the subgroup
//! estimates (`rma(estimates, sei = ses, method = "FE")`).
//!
//! Common τ²: one mixed-effects model with the subgroup factor; the
//! estimates are the coefficients of `mods = ~ factor(g) - 1` (cell means),
//! the test of differences the omnibus moderator test of `mods = ~ factor(g)`
//! (QM, χ² on G − 1 df; F(G − 1, k − G) under Knapp–Hartung). Both models span
//! the same column space, so τ² is the same in each.

use super::{q_between, rma, RmaParams, Tau2Method, TestKind};
use crate::stats::linalg::Matrix;
use crate::stats::StatsError;

/// One subgroup's pooled estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct SubgroupFit {
    /// The subgroup's value in the `by` column.
    pub group: String,
    /// Studies in it.
    pub k: usize,
    /// Pooled estimate (analysis scale), its SE, CI and p-value.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// Lower CI bound.
    pub ci_lb: f64,
    /// Upper CI bound.
    pub ci_ub: f64,
    /// p-value of estimate = 0.
    pub pval: f64,
    /// τ² (the shared one under a common τ²).
    pub tau2: f64,
    /// I² within the subgroup (separate τ² only; NaN under a common τ²).
    pub i2: f64,
    /// Cochran's Q within the subgroup, its df and p-value.
    pub q: f64,
    /// Degrees of freedom of Q (k − 1).
    pub q_df: usize,
    /// p-value of Q.
    pub q_pval: f64,
    /// Natural-scale estimate and CI, where the measure has one.
    pub transformed: Option<[f64; 3]>,
}

/// Subgroup analysis: per-subgroup estimates and the test for differences.
#[derive(Debug, Clone, PartialEq)]
pub struct Subgroups {
    /// Subgroups in sorted order of their labels.
    pub groups: Vec<SubgroupFit>,
    /// One τ² for all subgroups (mixed-effects model) instead of one each.
    pub common_tau2: bool,
    /// Test statistic for subgroup differences: Q-between (χ²), or under a
    /// common τ² with Knapp–Hartung the F statistic of the moderator test.
    pub stat: f64,
    /// Its (numerator) degrees of freedom, G − 1.
    pub df: usize,
    /// Denominator df of the F test (common τ² with Knapp–Hartung), else `None`.
    pub df2: Option<usize>,
    /// p-value.
    pub pval: f64,
}

/// Fits the subgroups. `level[i]` is study i's subgroup, an index into
/// `names` (sorted labels).
pub fn fit(
    y: &[f64],
    v: &[f64],
    labels: &[impl AsRef<str>],
    level: &[usize],
    names: Vec<String>,
    params: RmaParams,
    common_tau2: bool,
) -> Result<Subgroups, StatsError> {
    let g = names.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); g];
    for (i, &l) in level.iter().enumerate() {
        members[l].push(i);
    }
    let mut groups = Vec::with_capacity(g);
    for (name, idx) in names.into_iter().zip(&members) {
        let ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
        let vs: Vec<f64> = idx.iter().map(|&i| v[i]).collect();
        let ls: Vec<&str> = idx
            .iter()
            .map(|&i| labels.get(i).map_or("", |s| s.as_ref()))
            .collect();
        // Under a common τ², only Q within the subgroup comes from this fit.
        let p = if common_tau2 {
            RmaParams {
                method: Tau2Method::FE,
                test: TestKind::Z,
                level: params.level,
            }
        } else {
            params
        };
        let fit = rma(&ys, &vs, None, &ls, p).map_err(|e| StatsError::Subgroup {
            group: name.clone(),
            message: e.to_string(),
        })?;
        groups.push(SubgroupFit {
            group: name,
            k: fit.k,
            estimate: fit.beta[0],
            se: fit.se[0],
            ci_lb: fit.ci_lb[0],
            ci_ub: fit.ci_ub[0],
            pval: fit.pval[0],
            tau2: fit.tau2,
            i2: if common_tau2 { f64::NAN } else { fit.i2 },
            q: fit.q,
            q_df: fit.q_df,
            q_pval: fit.q_pval,
            transformed: None,
        });
    }
    if !common_tau2 {
        let (q, df, p) = q_between(
            &groups
                .iter()
                .map(|f| (f.estimate, f.se))
                .collect::<Vec<_>>(),
        );
        return Ok(Subgroups {
            groups,
            common_tau2,
            stat: q,
            df,
            df2: None,
            pval: p,
        });
    }
    let k = y.len();
    let mut cells = Matrix::zeros(k, g);
    let mut treatment = Matrix::zeros(k, g);
    for (i, &l) in level.iter().enumerate() {
        *cells.at_mut(i, l) = 1.0;
        *treatment.at_mut(i, 0) = 1.0;
        if l > 0 {
            *treatment.at_mut(i, l) = 1.0;
        }
    }
    let fit = rma(y, v, Some(&cells), labels, params)?;
    for (j, f) in groups.iter_mut().enumerate() {
        f.estimate = fit.beta[j];
        f.se = fit.se[j];
        f.ci_lb = fit.ci_lb[j];
        f.ci_ub = fit.ci_ub[j];
        f.pval = fit.pval[j];
        f.tau2 = fit.tau2;
    }
    let (stat, df, df2, pval) = if g < 2 {
        (0.0, 0, None, 1.0)
    } else {
        let test = rma(y, v, Some(&treatment), labels, params)?;
        let (stat, df, p) = test.qm.unwrap_or((f64::NAN, g - 1, f64::NAN));
        (stat, df, test.df.map(|_| k - g), p)
    };
    Ok(Subgroups {
        groups,
        common_tau2,
        stat,
        df,
        df2,
        pval,
    })
}
