//! The single wrapper over statrs: standard normal, Student t and χ²
//! quantiles and tail probabilities. Arguments are checked here, so statrs'
//! constructors never see invalid parameters from the rest of the crate.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

fn normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal has valid parameters")
}

/// Φ(x).
pub fn pnorm(x: f64) -> f64 {
    normal().cdf(x)
}

/// Φ⁻¹(p) for p in (0, 1).
pub fn qnorm(p: f64) -> f64 {
    normal().inverse_cdf(p)
}

/// Two-sided p-value of a z statistic.
pub fn p_two_sided_z(z: f64) -> f64 {
    2.0 * normal().sf(z.abs())
}

/// Quantile of Student's t with `df` > 0 degrees of freedom.
pub fn qt(p: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| t.inverse_cdf(p))
}

/// Two-sided p-value of a t statistic.
pub fn p_two_sided_t(t: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| 2.0 * d.sf(t.abs()))
}

/// Upper-tail probability P(χ²_df > x).
pub fn pchisq_upper(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(x))
}

/// Quantile of χ² with `df` degrees of freedom.
///
/// statrs 0.18's `inverse_cdf` returns NaN for df = 1 at small p (e.g.
/// p = 0.025), which the Q-profile CI needs; so the quantile is found here by
/// bisection on statrs' (accurate) CDF, to machine precision.
pub fn qchisq(p: f64, df: f64) -> f64 {
    let Ok(d) = ChiSquared::new(df) else {
        return f64::NAN;
    };
    if !(0.0..1.0).contains(&p) || p.is_nan() {
        return if p == 0.0 { 0.0 } else { f64::NAN };
    }
    let mut hi = df.max(1.0);
    while d.cdf(hi) < p {
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::NAN;
        }
    }
    bisect_cdf(|x| d.cdf(x), p, 0.0, hi)
}

/// The x in [lo, hi] where an increasing CDF reaches p, by bisection down
/// to adjacent floating-point numbers.
fn bisect_cdf(cdf: impl Fn(f64) -> f64, p: f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..2000 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Quantile of the gamma distribution with `shape` and `rate` (through
/// χ²₂ₐ/2, found to machine precision by [`qchisq`]).
pub fn qgamma(p: f64, shape: f64, rate: f64) -> f64 {
    qchisq(p, 2.0 * shape) / (2.0 * rate)
}

/// Density of the gamma distribution with `shape` and `rate`.
pub fn dgamma(x: f64, shape: f64, rate: f64) -> f64 {
    statrs::distribution::Gamma::new(shape, rate).map_or(f64::NAN, |d| {
        use statrs::distribution::Continuous;
        d.pdf(x)
    })
}

/// Quantile of the beta distribution, by bisection on statrs' CDF to
/// machine precision.
pub fn qbeta(p: f64, a: f64, b: f64) -> f64 {
    let Ok(d) = statrs::distribution::Beta::new(a, b) else {
        return f64::NAN;
    };
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    bisect_cdf(|x| d.cdf(x), p, 0.0, 1.0)
}

/// Γ(x).
pub fn gamma_fn(x: f64) -> f64 {
    statrs::function::gamma::gamma(x)
}

/// Quantile of the F distribution's upper tail, P(F_{d1,d2} > x).
pub fn pf_upper(x: f64, d1: f64, d2: f64) -> f64 {
    statrs::distribution::FisherSnedecor::new(d1, d2).map_or(f64::NAN, |d| {
        if x <= 0.0 {
            1.0
        } else {
            d.sf(x)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from R 4.2: qt(0.975, 12), qchisq(0.975, 12),
    /// pchisq(152.2330, 12, lower.tail = FALSE).
    #[test]
    fn known_quantiles() {
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(rel(qnorm(0.975), 1.959963984540054) < 1e-12);
        assert!(rel(qt(0.975, 12.0), 2.1788128296672284) < 1e-9);
        assert!(rel(qchisq(0.975, 12.0), 23.336664158645334) < 1e-9);
        assert!(rel(pchisq_upper(152.2330, 12.0), 1.9967721373353058e-26) < 1e-9);
        // qchisq(c(0.025, 0.005, 0.975), 1) and qchisq(0.025, 2) in R.
        assert!(rel(qchisq(0.025, 1.0), 9.82069117175256171e-04) < 1e-9);
        assert!(rel(qchisq(0.005, 1.0), 3.92704222205158963e-05) < 1e-9);
        assert!(rel(qchisq(0.975, 1.0), 5.02388618731488457) < 1e-12);
        assert!(rel(qchisq(0.025, 2.0), 5.06356159685797530e-02) < 1e-12);
        // qt(0.975, 1), qt(0.975, 2).
        assert!(rel(qt(0.975, 1.0), 12.706204736174698) < 1e-9);
        assert!(rel(qt(0.975, 2.0), 4.302652729749464) < 1e-9);
        // statrs' erfc is accurate to ~5e-11 relative in this range (R: 1e-16);
        // this bounds the p-value agreement with metafor.
        assert!(rel(p_two_sided_z(1.959963984540054), 0.05) < 1e-9);
    }
}
