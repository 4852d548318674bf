//! Log hazard ratios from the ways papers report them.
//!
//! # Formula
//! - HR + CI at level L: yᵢ = ln HR, SE = (ln ub − ln lb)/(2·z_{(1+L)/2}).
//! - HR + p: z = Φ⁻¹(1 − p/2) (two-sided) or Φ⁻¹(1 − p) (one-sided),
//!   SE = |ln HR|/z.
//! - O − E and V (log-rank): yᵢ = (O − E)/V, vᵢ = 1/V.
//! - p + total events d + allocation ratio r (research : control):
//!   V = d·r/(1 + r)², O − E = ±z·√V, so yᵢ = ±z/√V, vᵢ = 1/V (the sign
//!   from the reported direction).
//!
//! # References
//! Parmar, Torri & Stewart (1998) Stat Med 17:2815–34; Tierney et al. (2007)
//! Trials 8:16.

use super::{z_crit, Effect, EffectError};
use crate::stats::dist;

/// Whether a reported p-value is two-sided (the default) or one-sided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    /// Two-sided.
    Two,
    /// One-sided.
    One,
}

/// A CI with the decimals printed for its three numbers, for the rounding check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintedCi {
    /// Estimate.
    pub estimate: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Level (0–1).
    pub level: f64,
    /// Decimals printed for estimate, lower, upper (`None` when unknown).
    pub decimals: Option<[u32; 3]>,
}

/// Log HR from HR and its CI. Flags a CI whose log-scale asymmetry is larger
/// than the printed rounding can explain.
pub fn from_ci(ci: PrintedCi) -> Result<Effect, EffectError> {
    let PrintedCi {
        estimate: hr,
        lower,
        upper,
        level,
        decimals,
    } = ci;
    if !(hr > 0.0 && lower > 0.0 && upper > 0.0) {
        return Err(EffectError(format!(
            "a hazard ratio and its CI bounds must be > 0 (got {hr}, {lower}–{upper})"
        )));
    }
    if lower > upper {
        return Err(EffectError(format!(
            "the CI's lower bound {lower} is above its upper bound {upper}: swap the two bounds (or re-check the source)"
        )));
    }
    if hr < lower || hr > upper {
        return Err(EffectError(format!(
            "HR {hr} is not inside its CI {lower}–{upper}"
        )));
    }
    let z = z_crit(level);
    let (yi, ll, lu) = (hr.ln(), lower.ln(), upper.ln());
    let se = (lu - ll) / (2.0 * z);
    let mut flags = Vec::new();
    let asym = (yi - (ll + lu) / 2.0).abs();
    // Largest asymmetry rounding of the printed numbers can produce on the log scale.
    let slack = decimals.map_or(0.0, |[d0, d1, d2]| {
        let h = super::rounding_half_unit;
        h(d0) / hr + 0.5 * (h(d1) / lower + h(d2) / upper)
    }) + 1e-12;
    if asym > slack {
        flags.push(format!(
            "CI asymmetric on the log scale beyond rounding: ln HR = {yi:.4} but the CI midpoint is {:.4} (|difference| {asym:.4} > {slack:.4}); the CI may not be a Wald interval on the log scale, or a number may be mistyped",
            (ll + lu) / 2.0
        ));
    }
    Ok(Effect {
        derived: false,
        yi,
        vi: se * se,
        derivation: format!(
            "yi = ln({hr}); SE = (ln {upper} - ln {lower}) / (2 x {z:.6}) = {se:.6} ({}% CI)",
            fmt_level(level)
        ),
        flags,
    })
}

/// Log HR from HR and a p-value.
pub fn from_p(hr: f64, p: f64, sides: Sides) -> Result<Effect, EffectError> {
    if hr <= 0.0 {
        return Err(EffectError(format!(
            "a hazard ratio must be > 0 (got {hr})"
        )));
    }
    if !(p > 0.0 && p < 1.0) {
        return Err(EffectError(format!(
            "p = {p} cannot give a standard error (need 0 < p < 1)"
        )));
    }
    if hr == 1.0 {
        return Err(EffectError(
            "HR = 1 with a p-value gives no standard error (ln HR = 0)".into(),
        ));
    }
    let z = z_from_p(p, sides);
    let se = hr.ln().abs() / z;
    let side = if sides == Sides::Two {
        "two-sided"
    } else {
        "one-sided"
    };
    Ok(Effect {
        derived: true,
        yi: hr.ln(),
        vi: se * se,
        derivation: format!(
            "yi = ln({hr}); z = {z:.6} from {side} p = {p}; SE = |yi| / z = {se:.6}"
        ),
        flags: vec![],
    })
}

/// Log HR from the log-rank O − E and its variance V.
pub fn from_o_minus_e(o_minus_e: f64, v: f64) -> Result<Effect, EffectError> {
    if v <= 0.0 {
        return Err(EffectError(format!(
            "the log-rank variance V must be > 0 (got {v})"
        )));
    }
    Ok(Effect {
        derived: false,
        yi: o_minus_e / v,
        vi: 1.0 / v,
        derivation: format!("yi = (O-E)/V = {o_minus_e}/{v}; vi = 1/V"),
        flags: vec![],
    })
}

/// Log HR from a p-value, total events and allocation ratio; `favours_research`
/// gives the sign (true: HR < 1).
pub fn from_p_events(
    p: f64,
    sides: Sides,
    events: f64,
    ratio: f64,
    favours_research: bool,
) -> Result<Effect, EffectError> {
    if !(p > 0.0 && p < 1.0) || events <= 0.0 || ratio <= 0.0 {
        return Err(EffectError(format!("need 0 < p < 1, events > 0 and allocation ratio > 0 (got p = {p}, events = {events}, ratio = {ratio})")));
    }
    let z = z_from_p(p, sides);
    let v = events * ratio / ((1.0 + ratio) * (1.0 + ratio));
    let sign = if favours_research { -1.0 } else { 1.0 };
    Ok(Effect {
        derived: true,
        yi: sign * z / v.sqrt(),
        vi: 1.0 / v,
        derivation: format!("V = d r / (1+r)^2 = {events} x {ratio} / {:.4} = {v:.6}; O-E = {}z sqrt(V), z = {z:.6}; yi = (O-E)/V, vi = 1/V (Tierney 2007)", (1.0 + ratio) * (1.0 + ratio), if favours_research { "-" } else { "+" }),
        flags: vec!["approximate: O-E and V reconstructed from a p-value and the number of events".into()],
    })
}

/// The z statistic whose two-sided (or one-sided) p-value is `p`.
fn z_from_p(p: f64, sides: Sides) -> f64 {
    match sides {
        Sides::Two => dist::qnorm(1.0 - p / 2.0),
        Sides::One => dist::qnorm(1.0 - p),
    }
}

fn fmt_level(level: f64) -> String {
    let s = format!("{:.2}", level * 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folkert (MSKCC): HR 0.345 (95% CI 0.132–0.901) is symmetric on the log scale within rounding.
    #[test]
    fn hr_from_ci_and_rounding_check() {
        let e = from_ci(PrintedCi {
            estimate: 0.345,
            lower: 0.132,
            upper: 0.901,
            level: 0.95,
            decimals: Some([3, 3, 3]),
        })
        .unwrap();
        assert!((e.yi - 0.345f64.ln()).abs() < 1e-15);
        let se = (0.901f64.ln() - 0.132f64.ln()) / (2.0 * 1.959963984540054);
        assert!((e.vi - se * se).abs() < 1e-12);
        assert!(e.flags.is_empty(), "{:?}", e.flags);
        let bad = from_ci(PrintedCi {
            estimate: 0.5,
            lower: 0.132,
            upper: 0.901,
            level: 0.95,
            decimals: Some([1, 3, 3]),
        })
        .unwrap();
        assert_eq!(bad.flags.len(), 1);
    }

    #[test]
    fn hr_from_p_inverts_the_wald_test() {
        let e = from_p(0.7, 0.05, Sides::Two).unwrap();
        assert!(((0.7f64.ln() / e.vi.sqrt()).abs() - 1.959963984540054).abs() < 1e-9);
        assert!(from_p(1.0, 0.5, Sides::Two).is_err());
    }

    #[test]
    fn p_and_events_equal_allocation() {
        // d = 100, r = 1: V = 25; z(0.05) = 1.96; yi = -1.96/5.
        let e = from_p_events(0.05, Sides::Two, 100.0, 1.0, true).unwrap();
        assert!((e.vi - 1.0 / 25.0).abs() < 1e-15);
        assert!((e.yi + 1.959963984540054 / 5.0).abs() < 1e-9);
    }
}
