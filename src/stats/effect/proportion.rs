//! Survival (or control) proportions at a time point on an analysis scale.
//!
//! # Formula (metafor `escalc`; x events of interest, n at risk, p = x/n)
//! - PR: y = p, v = p(1−p)/n
//! - PLN: y = ln p, v = 1/x − 1/n
//! - PLO: y = ln(p/(1−p)), v = 1/x + 1/(n−x)
//! - PAS: y = asin √p, v = 1/(4n)
//! - PFT: y = ½[asin √(x/(n+1)) + asin √((x+1)/(n+1))], v = 1/(4n+2)
//! - CLOGLOG: y = ln(−ln p), v = (1−p)/(n·p·(ln p)²) (delta method)
//!
//! x = 0 or x = n: ½ is added to x and to n − x for PR, PLN, PLO and CLOGLOG
//! (metafor's `to = "only0"`, `add = 1/2`); PAS and PFT need no correction.
//! Back-transform of PFT: Miller (1978) with the harmonic mean of the n's.

use super::{z_crit, Effect, EffectError};
use crate::number::entered;

/// Analysis scale of a proportion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Raw proportion.
    PR,
    /// Log proportion.
    PLN,
    /// Logit.
    PLO,
    /// Arcsine square root.
    PAS,
    /// Freeman–Tukey double arcsine (metafor's scale).
    PFT,
    /// Complementary log-log of survival, ln(−ln S).
    CLOGLOG,
}

impl Scale {
    fn name(self) -> &'static str {
        match self {
            Scale::PR => "PR",
            Scale::PLN => "PLN",
            Scale::PLO => "PLO",
            Scale::PAS => "PAS",
            Scale::PFT => "PFT",
            Scale::CLOGLOG => "CLOGLOG",
        }
    }

    fn needs_correction(self) -> bool {
        !matches!(self, Scale::PAS | Scale::PFT)
    }

    /// The transform applied to a proportion (for CI bounds).
    pub fn transform(self, p: f64) -> f64 {
        match self {
            Scale::PR => p,
            Scale::PLN => p.ln(),
            Scale::PLO => (p / (1.0 - p)).ln(),
            Scale::PAS => p.sqrt().asin(),
            Scale::PFT => f64::NAN,
            Scale::CLOGLOG => (-p.ln()).ln(),
        }
    }

    /// Back to a proportion; `harmonic_n` is used by PFT only.
    pub fn back(self, y: f64, harmonic_n: f64) -> f64 {
        match self {
            Scale::PR => y,
            Scale::PLN => y.exp(),
            Scale::PLO => 1.0 / (1.0 + (-y).exp()),
            Scale::PAS => {
                let s = y.clamp(0.0, std::f64::consts::FRAC_PI_2).sin();
                s * s
            }
            Scale::PFT => miller(y, harmonic_n),
            Scale::CLOGLOG => (-(y.exp())).exp(),
        }
    }
}

/// Freeman–Tukey value of x events in n.
fn pft(x: f64, n: f64) -> f64 {
    0.5 * ((x / (n + 1.0)).sqrt().asin() + ((x + 1.0) / (n + 1.0)).sqrt().asin())
}

/// Miller's (1978) inverse of the Freeman–Tukey transform at sample size n.
pub fn miller(y: f64, n: f64) -> f64 {
    if y <= pft(0.0, n) {
        return 0.0;
    }
    if y >= pft(n, n) {
        return 1.0;
    }
    let s = (2.0 * y).sin();
    let c = (2.0 * y).cos();
    let inner = s + (s - 1.0 / s) / n;
    0.5 * (1.0 - c.signum() * (1.0 - inner * inner).sqrt())
}

/// Effect from x events of interest out of n.
pub fn from_counts(x: f64, n: f64, scale: Scale) -> Result<Effect, EffectError> {
    if !(n > 0.0) || x < 0.0 || x > n {
        return Err(EffectError(format!(
            "need 0 <= events <= n and n > 0 (got {x} of {n})"
        )));
    }
    let mut flags = Vec::new();
    let (mut xx, mut nn) = (x, n);
    if scale.needs_correction() && (x == 0.0 || x == n) {
        xx = x + 0.5;
        nn = n + 1.0;
        flags.push(format!(
            "{} of {}: 1/2 added to events and non-events (continuity correction)",
            x, n
        ));
    }
    let p = xx / nn;
    let (yi, vi) = match scale {
        Scale::PR => (p, p * (1.0 - p) / nn),
        Scale::PLN => (p.ln(), 1.0 / xx - 1.0 / nn),
        Scale::PLO => ((xx / (nn - xx)).ln(), 1.0 / xx + 1.0 / (nn - xx)),
        Scale::PAS => (p.sqrt().asin(), 1.0 / (4.0 * nn)),
        Scale::PFT => (pft(xx, nn), 1.0 / (4.0 * nn + 2.0)),
        Scale::CLOGLOG => ((-p.ln()).ln(), (1.0 - p) / (nn * p * p.ln() * p.ln())),
    };
    Ok(Effect {
        derived: false,
        yi,
        vi,
        derivation: format!("{} from {xx} of {nn} (p = {p:.6})", scale.name()),
        flags,
    })
}

/// Effect from a proportion with a Wald-type CI on the analysis scale (no counts).
pub fn from_ci(
    p: f64,
    lower: f64,
    upper: f64,
    level: f64,
    scale: Scale,
) -> Result<Effect, EffectError> {
    if scale == Scale::PFT {
        return Err(EffectError("PFT needs events and n, not a CI".into()));
    }
    if lower > upper {
        return Err(EffectError(format!(
            "the CI's lower bound {lower} is above its upper bound {upper}: swap the two bounds (or re-check the source)"
        )));
    }
    if !(0.0 < lower && lower <= p && p <= upper && upper < 1.0) {
        return Err(EffectError(format!(
            "need 0 < lower <= p <= upper < 1 (got {}, {}–{})",
            entered(p),
            entered(lower),
            entered(upper)
        )));
    }
    let z = z_crit(level);
    let (tl, tu) = (scale.transform(lower), scale.transform(upper));
    let (lo, hi) = (tl.min(tu), tl.max(tu));
    let se = (hi - lo) / (2.0 * z);
    Ok(Effect {
        derived: false,
        yi: scale.transform(p),
        vi: se * se,
        derivation: format!(
            "{} of p = {}; SE = width of the transformed CI ({}–{}) / (2 x {z:.6}) = {se:.6}",
            scale.name(),
            entered(p),
            entered(lower),
            entered(upper)
        ),
        flags: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_transforms_invert() {
        for s in [
            Scale::PR,
            Scale::PLN,
            Scale::PLO,
            Scale::PAS,
            Scale::CLOGLOG,
        ] {
            let y = s.transform(0.37);
            assert!((s.back(y, 0.0) - 0.37).abs() < 1e-12, "{s:?}");
        }
        for &(x, n) in &[(0.0, 10.0), (3.0, 10.0), (10.0, 10.0), (37.0, 100.0)] {
            assert!((miller(pft(x, n), n) - x / n).abs() < 1e-9, "{x}/{n}");
        }
    }

    #[test]
    fn zero_events_are_corrected_only_where_metafor_does() {
        assert_eq!(from_counts(0.0, 10.0, Scale::PLO).unwrap().flags.len(), 1);
        assert!(from_counts(0.0, 10.0, Scale::PFT).unwrap().flags.is_empty());
        assert!(from_counts(11.0, 10.0, Scale::PR).is_err());
    }
}
