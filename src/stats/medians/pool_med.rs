//! Median of medians (MM) and weighted median of medians (WM), McGrath et
//! al. 2019, as metamedian's `pool.med` computes them: the pooled estimate
//! is the (weighted) median of the study values; the 95% CI inverts the
//! sign test with its normal approximation, i.e. the (weighted) quantiles
//! at 0.5 ∓ min(0.5, z₀.₉₇₅ / (2√k)). Unweighted quantiles are R's type 7;
//! weighted ones are Hmisc's `wtd.quantile` (weights as frequencies).

use super::MedianError;
use crate::stats::dist::qnorm;

/// A pooled median and its sign-test CI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PooledMedian {
    /// The (weighted) median of the study values.
    pub estimate: f64,
    /// Lower CI bound.
    pub ci_lb: f64,
    /// Upper CI bound.
    pub ci_ub: f64,
    /// Studies pooled.
    pub k: usize,
}

/// Pools study values `y` (medians, or differences of medians), weighted
/// by `w` (e.g. sample sizes) when given.
pub fn pool_med(y: &[f64], w: Option<&[f64]>) -> Result<PooledMedian, MedianError> {
    let k = y.len();
    if k == 0 {
        return Err(MedianError::Empty);
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err(MedianError::NotFinite("a study value"));
    }
    let half = (qnorm(0.975) / (2.0 * (k as f64).sqrt())).min(0.5);
    let probs = [0.5 - half, 0.5, 0.5 + half];
    let q = match w {
        None => {
            let mut s = y.to_vec();
            s.sort_by(f64::total_cmp);
            probs.map(|p| quantile_type7(&s, p))
        }
        Some(w) => {
            if w.len() != k || w.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
                return Err(MedianError::NotFinite("a weight (weights must be > 0)"));
            }
            let table = weight_table(y, w);
            probs.map(|p| weighted_quantile(&table, p))
        }
    };
    Ok(PooledMedian {
        estimate: q[1],
        ci_lb: q[0],
        ci_ub: q[2],
        k,
    })
}

/// R's default quantile (type 7) of sorted values.
pub fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    // R's arithmetic: (1 − h)a + hb, only where the two differ.
    if a == b {
        a
    } else {
        let frac = h - lo as f64;
        (1.0 - frac) * a + frac * b
    }
}

/// Distinct values, ascending, with their summed weights.
fn weight_table(y: &[f64], w: &[f64]) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, f64)> = y.iter().copied().zip(w.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut table: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
    for (v, wt) in pairs {
        match table.last_mut() {
            Some(last) if last.0 == v => last.1 += wt,
            _ => table.push((v, wt)),
        }
    }
    table
}

/// Hmisc's `wtd.quantile(type = "quantile")`: the weights count as
/// frequencies; order statistic 1 + (N − 1)p, interpolated between the
/// smallest values whose cumulative weight reaches its floor and floor + 1.
fn weighted_quantile(table: &[(f64, f64)], p: f64) -> f64 {
    let total: f64 = table.iter().map(|t| t.1).sum();
    let order = 1.0 + (total - 1.0) * p;
    let low = order.floor().max(1.0);
    let high = (low + 1.0).min(total);
    let frac = order - order.floor();
    // The smallest value whose cumulative weight is ≥ v (the last value
    // beyond the total, the first below the first weight).
    let at = |v: f64| {
        let mut cum = 0.0;
        for &(x, wt) in table {
            cum += wt;
            if cum >= v {
                return x;
            }
        }
        table[table.len() - 1].0
    };
    // Hmisc's arithmetic, always interpolated (so equal neighbours can
    // give a value one rounding away from both).
    (1.0 - frac) * at(low) + frac * at(high)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// metamedian's `pool.med` example (man/pool.med.Rd): the pooled
    /// difference of medians is the median, 3.10.
    #[test]
    fn pool_med_example_point_estimate() {
        let y = [5.23, 3.10, 0.50, 0.78, 3.48, 0.59, 2.20, 5.06, 4.00];
        let r = pool_med(&y, None).unwrap();
        assert_eq!(r.estimate, 3.10);
        assert!(r.ci_lb < r.estimate && r.estimate < r.ci_ub);
    }

    #[test]
    fn equal_weights_match_unweighted_at_the_median() {
        let y = [1.0, 4.0, 2.0, 8.0, 5.0];
        let a = pool_med(&y, None).unwrap();
        let b = pool_med(&y, Some(&[1.0; 5])).unwrap();
        assert_eq!(a.estimate, b.estimate);
    }

    #[test]
    fn one_study_is_its_own_interval() {
        let r = pool_med(&[46.0], Some(&[9.0])).unwrap();
        assert_eq!((r.estimate, r.ci_lb, r.ci_ub), (46.0, 46.0, 46.0));
    }
}
