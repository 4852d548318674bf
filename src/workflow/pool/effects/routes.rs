//! The routes from a row's numbers to an effect: per measure, the first
//! combination of reported numbers the row gives, in order of preference
//! (for an HR: HR with its CI, HR with its p-value, O − E with V, a p-value
//! with the events).

use super::{Measure, NUMERIC_ROLES};
use crate::stats::effect::{hr, median, proportion, Effect, EffectError};

/// One row's numbers by role, with what the row says about reading them.
/// The numeric fields are named as their roles ([`NUMERIC_ROLES`]; `ci_level`
/// is read into `level`).
#[derive(Debug, Clone, Copy)]
pub(super) struct RowNumbers {
    yi: Option<f64>,
    vi: Option<f64>,
    sei: Option<f64>,
    hr: Option<f64>,
    ci_lb: Option<f64>,
    ci_ub: Option<f64>,
    pval: Option<f64>,
    o_minus_e: Option<f64>,
    v: Option<f64>,
    events: Option<f64>,
    ratio: Option<f64>,
    pub(super) n: Option<f64>,
    proportion: Option<f64>,
    median: Option<f64>,
    median1: Option<f64>,
    ci_lb1: Option<f64>,
    ci_ub1: Option<f64>,
    median2: Option<f64>,
    ci_lb2: Option<f64>,
    ci_ub2: Option<f64>,
    /// CI level (0–1): `ci_level` in percent or as a fraction, 0.95 when blank.
    level: f64,
    /// Decimals printed in hr, ci_lb and ci_ub (for the rounding check).
    hr_decimals: [u32; 3],
    /// Whether the p-value is one-sided.
    sides: hr::Sides,
    /// Whether a p-value without an HR favours the research arm.
    favours_research: bool,
}

impl RowNumbers {
    /// From the parsed values and texts of [`NUMERIC_ROLES`] and the
    /// `favours` and `sides` cells.
    pub(super) fn new(
        values: [Option<f64>; NUMERIC_ROLES.len()],
        texts: &[Option<&str>; NUMERIC_ROLES.len()],
        favours: Option<&str>,
        sides: Option<&str>,
    ) -> RowNumbers {
        let [yi, vi, sei, hr, ci_lb, ci_ub, ci_level, pval, o_minus_e, v, events, ratio, n, proportion, median, median1, ci_lb1, ci_ub1, median2, ci_lb2, ci_ub2] =
            values;
        let decimals = |t: Option<&str>| t.map_or(0, printed_decimals);
        RowNumbers {
            yi,
            vi,
            sei,
            hr,
            ci_lb,
            ci_ub,
            pval,
            o_minus_e,
            v,
            events,
            ratio,
            n,
            proportion,
            median,
            median1,
            ci_lb1,
            ci_ub1,
            median2,
            ci_lb2,
            ci_ub2,
            level: ci_level_fraction(ci_level),
            // Roles 3, 4, 5: hr, ci_lb, ci_ub.
            hr_decimals: [decimals(texts[3]), decimals(texts[4]), decimals(texts[5])],
            sides: sides_of(sides),
            favours_research: favours.is_some_and(|t| {
                t.eq_ignore_ascii_case("research") || t.eq_ignore_ascii_case("treatment")
            }),
        }
    }
}

/// Decimals printed in a number ("0.72" → 2).
fn printed_decimals(text: &str) -> u32 {
    text.split_once('.').map_or(0, |(_, d)| d.len() as u32)
}

/// A `ci_level` cell as a fraction: 95 and 0.95 both mean 95%; blank is 95%.
pub(super) fn ci_level_fraction(level: Option<f64>) -> f64 {
    match level {
        Some(l) if l > 1.0 => l / 100.0,
        Some(l) => l,
        None => 0.95,
    }
}

/// A `sides` cell: "1" or "one" is one-sided, anything else two-sided.
fn sides_of(text: Option<&str>) -> hr::Sides {
    if text.is_some_and(|t| t == "1" || t.eq_ignore_ascii_case("one")) {
        hr::Sides::One
    } else {
        hr::Sides::Two
    }
}

/// The effect of one row on the measure, by the first route its numbers allow.
pub(super) fn effect_of(measure: Measure, r: &RowNumbers) -> Result<Effect, EffectError> {
    match measure {
        Measure::GEN => generic_effect(r),
        Measure::HR => hazard_ratio_effect(r),
        Measure::Proportion(scale) => proportion_effect(r, scale),
        Measure::MED => median::med(reported(r.median, r.ci_lb, r.ci_ub, r.level)),
        Measure::DOM | Measure::ROM => {
            let a = reported(r.median1, r.ci_lb1, r.ci_ub1, r.level);
            let b = reported(r.median2, r.ci_lb2, r.ci_ub2, r.level);
            if measure == Measure::DOM {
                median::dom(a, b)
            } else {
                median::rom(a, b)
            }
        }
    }
}

/// GEN: yi with vi, else yi with sei.
fn generic_effect(r: &RowNumbers) -> Result<Effect, EffectError> {
    let given = |yi: f64, vi: f64, derivation: &str| Effect {
        derived: false,
        yi,
        vi,
        derivation: derivation.into(),
        flags: vec![],
    };
    match (r.yi, r.vi, r.sei) {
        (Some(y), Some(v), _) => Ok(given(y, v, "given yi, vi")),
        (Some(y), None, Some(s)) => Ok(given(y, s * s, "given yi, sei; vi = sei^2")),
        _ => Err(EffectError("needs yi with vi or sei".into())),
    }
}

/// HR, in order of preference: HR with its CI, HR with its p-value, O − E
/// with V, a p-value with the events.
fn hazard_ratio_effect(r: &RowNumbers) -> Result<Effect, EffectError> {
    match (r.hr, r.ci_lb, r.ci_ub, r.pval, r.o_minus_e, r.v, r.events) {
        (Some(h), Some(l), Some(u), _, _, _, _) => hr::from_ci(hr::PrintedCi {
            estimate: h,
            lower: l,
            upper: u,
            level: r.level,
            decimals: Some(r.hr_decimals),
        }),
        (Some(h), _, _, Some(p), _, _, _) => hr::from_p(h, p, r.sides),
        (_, _, _, _, Some(oe), Some(v), _) => hr::from_o_minus_e(oe, v),
        (None, _, _, Some(p), _, _, Some(d)) => hr::from_p_events(
            p,
            r.sides,
            d,
            r.ratio.unwrap_or(1.0),
            r.favours_research,
        ),
        _ => Err(EffectError(
            "needs hr with ci_lb and ci_ub, or hr with pval, or o_minus_e with v, or pval with events (and ratio, favours)".into(),
        )),
    }
}

/// A proportion from events and n, else a proportion and n, else a
/// proportion with its CI.
fn proportion_effect(r: &RowNumbers, scale: proportion::Scale) -> Result<Effect, EffectError> {
    match (r.events, r.n, r.proportion, r.ci_lb, r.ci_ub) {
        (Some(x), Some(n), _, _, _) => proportion::from_counts(x, n, scale),
        (None, Some(n), Some(p), _, _) => proportion::from_counts(as_fraction(p) * n, n, scale),
        (None, _, Some(p), Some(l), Some(u)) => {
            // One unit per row: a CI bound of 0.5 beside 3 (percent) is 0.5%.
            let f = if p > 1.0 || l > 1.0 || u > 1.0 {
                0.01
            } else {
                1.0
            };
            proportion::from_ci(p * f, l * f, u * f, r.level, scale)
        }
        _ => Err(EffectError(
            "needs events and n, or proportion and n, or proportion with ci_lb and ci_ub".into(),
        )),
    }
}

/// Proportions may be written 0–1 or 0–100 (a column mixing the two is
/// refused by [`super::mixed_percent`]; "0.5%" is read as a percent).
fn as_fraction(p: f64) -> f64 {
    if p > 1.0 {
        p / 100.0
    } else {
        p
    }
}

/// A median with its CI as the median measures read it.
fn reported(m: Option<f64>, l: Option<f64>, u: Option<f64>, level: f64) -> median::ReportedMedian {
    median::ReportedMedian {
        median: m,
        lower: l,
        upper: u,
        level,
    }
}
