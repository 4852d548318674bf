//! Display formatting shared by the tables and figures of every analysis kind.

use crate::domain::{Figure, Interval, Statistic, Unit, ValueStatus, Vocab};

pub use crate::number::num;

/// Decimals printed in the source for this figure (from the reported text), 0–3.
pub fn decimals(f: &Figure) -> usize {
    f.reported_value
        .as_deref()
        .and_then(|t| t.split_once('.'))
        .map_or(0, |(_, d)| d.len().min(3))
}

/// Factor from the canonical unit to the display unit (proportions → %).
pub fn display_factor(f: &Figure) -> f64 {
    if f.unit == Unit::Proportion {
        100.0
    } else {
        1.0
    }
}

/// The display unit's name.
pub fn display_unit(unit: Unit) -> &'static str {
    match unit {
        Unit::Proportion => "%",
        Unit::Months => "months",
        Unit::Years => "years",
        Unit::Ratio => "",
        Unit::Count => "",
        Unit::PerPersonMonth => "per person-month",
        other => other.name(),
    }
}

/// A number with exactly `decimals` decimals (keeps the source's "66.0").
pub fn fixed(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

fn converted(f: &Figure) -> bool {
    f.reported_unit != f.unit && f.reported_unit != Unit::Percent
}

/// Display form of a value in its figure's display unit: the source's printed
/// decimals; a converted value (5.2 years) gets one more, trailing zeros
/// trimmed, and names what the source printed ("62.4 (5.2 years)").
pub fn value_text(f: &Figure, v: f64) -> String {
    let shown = v * display_factor(f);
    if converted(f) {
        let printed = f
            .reported_value
            .as_deref()
            .map(|r| format!(" ({r} {})", f.reported_unit))
            .unwrap_or_default();
        format!("{}{printed}", num(shown, decimals(f) + 1))
    } else {
        fixed(shown, decimals(f))
    }
}

/// A bound with the decimals the source printed (one more, trimmed, when converted).
fn bound(f: &Figure, v: Option<f64>, printed: u8) -> String {
    v.map_or_else(
        || "NR".to_string(),
        |x| {
            let shown = x * display_factor(f);
            if converted(f) {
                num(shown, usize::from(printed) + 1)
            } else {
                fixed(shown, usize::from(printed))
            }
        },
    )
}

fn interval_text(f: &Figure, label: &str, i: &Interval) -> String {
    format!(
        "{label} {}–{}",
        bound(f, i.lower, i.printed_decimals[0]),
        bound(f, i.upper, i.printed_decimals[1])
    )
}

/// "59.6 (95% CI 33.3–66.0)", "13 (range 0.3–97)", "62.4 (5.2 years)", "not reached".
pub fn estimate_text(f: &Figure) -> String {
    let core = match (f.value_status, f.value) {
        (ValueStatus::NotReached, _) => return with_spread(f, "not reached".into()),
        (ValueStatus::NotReported, _) | (_, None) => return with_spread(f, "not reported".into()),
        (ValueStatus::Reported, Some(v)) => value_text(f, v),
    };
    with_spread(f, core)
}

fn with_spread(f: &Figure, core: String) -> String {
    let mut parts = Vec::new();
    if let Some(ci) = &f.ci {
        parts.push(interval_text(
            f,
            &format!("{}% CI", num(ci.level * 100.0, 1)),
            &ci.bounds,
        ));
    }
    if let Some(i) = &f.iqr {
        parts.push(interval_text(f, "IQR", i));
    }
    if let Some(r) = &f.range {
        parts.push(interval_text(f, "range", r));
    }
    if let Some(sd) = f.sd {
        parts.push(format!("SD {}", num(sd * display_factor(f), 3)));
    }
    if parts.is_empty() {
        core
    } else {
        format!("{core} ({})", parts.join("; "))
    }
}

/// "46 months", "87.9%", "HR 0.35".
pub fn estimate_with_unit(f: &Figure) -> String {
    let text = estimate_text(f);
    match f.unit {
        _ if f.value.is_none() => text,
        Unit::Proportion => match text.split_once(' ') {
            Some((v, rest)) => format!("{v}% {rest}"),
            None => format!("{text}%"),
        },
        Unit::Ratio | Unit::Count => text,
        u => match text.split_once(' ') {
            Some((v, rest)) => format!("{v} {} {rest}", display_unit(u)),
            None => format!("{text} {}", display_unit(u)),
        },
    }
}

/// "n = 9", "120 lesions", "—".
pub fn n_text(f: &Figure) -> String {
    match f.n {
        None => "—".into(),
        Some(n) => match f.n_unit {
            crate::domain::NUnit::Patients => n.to_string(),
            u => format!("{n} {}", u.to_string().replace('_', " ")),
        },
    }
}

/// Human words for a statistic ("median", "hazard ratio").
pub fn statistic_words(s: Statistic) -> String {
    match s {
        Statistic::ProportionAtT => "proportion".into(),
        Statistic::CrudeProportion => "crude proportion".into(),
        other => other.name().replace('_', " "),
    }
}

/// Capitalises the first letter.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// The source of a figure as one line: location, DOI or PMID.
pub fn source_text(location: Option<&str>, doi: Option<&str>, pmid: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(l) = location {
        parts.push(l.to_string());
    }
    if let Some(d) = doi {
        parts.push(format!("doi:{d}"));
    } else if let Some(p) = pmid {
        parts.push(format!("PMID {p}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_trim() {
        assert_eq!(num(46.0, 1), "46");
        assert_eq!(num(59.6, 1), "59.6");
        assert_eq!(num(0.879 * 100.0, 3), "87.9");
        assert_eq!(num(62.400000000000006, 2), "62.4");
    }
}
