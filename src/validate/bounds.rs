//! Numeric bounds of a reported figure: intervals in order with the estimate
//! inside, values within their domain (proportions in [0, 1] or [0, 100] %,
//! times ≥ 0, ratios > 0), and crude proportions that agree with events / n.

use crate::domain::{Statistic, Unit};

use super::cells::Cells;

/// Tolerance for a crude proportion against events / n (rounding in print).
const CRUDE_TOLERANCE: f64 = 0.01;

/// Bounds in order, estimate inside them (for a central statistic).
pub(super) fn check_interval(
    c: &mut Cells<'_>,
    value: Option<f64>,
    (lo, hi): (Option<f64>, Option<f64>),
    cols: (&str, &str),
    what: &str,
    code: &'static str,
) {
    let order_code = match code {
        "ci" => "ci-order",
        "range" => "range-order",
        _ => "iqr-order",
    };
    let outside_code = match code {
        "ci" => "estimate-outside-ci",
        "range" => "estimate-outside-range",
        _ => "estimate-outside-iqr",
    };
    if let (Some(l), Some(h)) = (lo, hi) {
        if l > h {
            c.error(
                cols.0,
                order_code,
                format!("{what}: lower bound {l} is above upper bound {h}"),
                format!("swap {} and {}, or re-check the source", cols.0, cols.1),
            );
            return;
        }
    }
    let Some(v) = value else { return };
    if let Some(l) = lo.filter(|l| v < *l) {
        c.error(
            cols.0,
            outside_code,
            format!(
                "estimate {v} lies below its {what} ({l} to {})",
                fmt_opt(hi)
            ),
            "re-check the estimate and the interval against the source".into(),
        );
    } else if let Some(h) = hi.filter(|h| v > *h) {
        c.error(
            cols.1,
            outside_code,
            format!(
                "estimate {v} lies above its {what} ({} to {h})",
                fmt_opt(lo)
            ),
            "re-check the estimate and the interval against the source".into(),
        );
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "not reached".to_string(), |x| x.to_string())
}

/// Proportions within [0, 1] (or [0, 100] %), times non-negative, ratios positive.
pub(super) fn check_domain(
    c: &mut Cells<'_>,
    unit: Unit,
    statistic: Statistic,
    numbers: &[(&str, Option<f64>)],
) {
    for &(col, v) in numbers {
        let Some(v) = v else { continue };
        match unit {
            Unit::Percent if !(0.0..=100.0).contains(&v) => c.error(col, "proportion-range", format!("{v}% is outside 0–100%"), "a percentage lies between 0 and 100; check the unit column (proportion vs percent)".into()),
            Unit::Proportion if !(0.0..=1.0).contains(&v) => c.error(col, "proportion-range", format!("proportion {v} is outside 0–1"), "a proportion lies between 0 and 1; if the source prints a percentage, set unit to percent".into()),
            u if u.is_time() && v < 0.0 => c.error(col, "negative-time", format!("time {v} {u} is negative"), "times count from the time origin and cannot be negative".into()),
            Unit::Ratio if statistic.is_ratio() && v <= 0.0 => c.error(col, "ratio-positive", format!("ratio {v} is not positive"), "a hazard ratio and its bounds are > 0; a log-scale value must be exponentiated first".into()),
            Unit::Count if v < 0.0 => c.error(col, "negative-count", format!("count {v} is negative"), "check the sign against the source".into()),
            _ => {}
        }
    }
}

/// A crude proportion should equal events / n up to print rounding.
pub(super) fn check_crude(
    c: &mut Cells<'_>,
    value: Option<f64>,
    unit: Unit,
    events: Option<u64>,
    n: Option<u64>,
) {
    let (Some(v), Some(e), Some(n)) = (value, events, n) else {
        return;
    };
    let p = if unit == Unit::Percent { v / 100.0 } else { v };
    let expected = e as f64 / n as f64;
    if (p - expected).abs() > CRUDE_TOLERANCE {
        c.warn(
            "value",
            "crude-mismatch",
            format!(
                "crude proportion {v} {unit} differs from events/n = {e}/{n} = {:.3}",
                expected
            ),
            "check value, events and n against the source".into(),
        );
    }
}
