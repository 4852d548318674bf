//! Rules for the figures table: one row per reported statistic.

use crate::domain::{
    ConfidenceInterval, Figure, Interval, NUnit, Outcome, PRelation, PValue, Statistic, Unit,
    ValueStatus, Vocab,
};
use crate::ingest::RawTable;

use super::bounds::{check_crude, check_domain, check_interval};
use super::cells::{check_header, Cells};
use super::provenance::{read_provenance, PROVENANCE_COLUMNS};
use super::Diagnostic;

/// Columns that must be in the header.
pub const REQUIRED: &[&str] = &[
    "study_id",
    "outcome",
    "population",
    "statistic",
    "value",
    "unit",
];

/// Every column the figures table knows, in documentation order.
pub const COLUMNS: &[&str] = &[
    "study_id",
    "study_label",
    "citation",
    "year",
    "doi",
    "pmid",
    "outcome",
    "population",
    "population_detail",
    "group",
    "statistic",
    "value_status",
    "value",
    "unit",
    "time_point",
    "time_point_unit",
    "n",
    "n_unit",
    "events",
    "ci_lower",
    "ci_upper",
    "ci_level",
    "range_min",
    "range_max",
    "iqr_lower",
    "iqr_upper",
    "sd",
    "p_value",
    "time_origin",
    "derivation",
    "source_location",
    "source_url",
    "quote",
    "notes",
    "confidence",
    "tags",
    "cohort",
];

/// Reads and checks every row; rows with errors are left out of the result.
pub fn read_figures(table: &RawTable, diags: &mut Vec<Diagnostic>) -> Vec<Figure> {
    debug_assert!(
        REQUIRED.iter().all(|r| COLUMNS.contains(r))
            && PROVENANCE_COLUMNS.iter().all(|p| COLUMNS.contains(p))
    );
    if !check_header(table, REQUIRED, COLUMNS, None, diags) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &table.rows {
        let before = super::diagnostic::error_count(diags);
        let fig = read_row(&mut Cells::new(table, row, diags));
        if super::diagnostic::error_count(diags) == before {
            out.extend(fig);
        }
    }
    out
}

fn read_row(c: &mut Cells<'_>) -> Option<Figure> {
    let study_id = c.required("study_id", "the study identifier, e.g. contartese2022");
    if let Some(id) = &study_id {
        if !id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.'))
        {
            c.error(
                "study_id",
                "bad-study-id",
                format!("study_id '{id}' has spaces or symbols"),
                "use letters, digits, '_', '-' or '.' (e.g. smith2020)".into(),
            );
        }
    }
    let outcome = required_vocab::<Outcome>(c, "outcome");
    let population = c.required("population", "a short population label");
    let statistic = required_vocab::<Statistic>(c, "statistic");
    let unit = required_vocab::<Unit>(c, "unit");
    let value_status = c
        .vocab::<ValueStatus>("value_status")
        .unwrap_or(ValueStatus::Reported);
    let value = c.number("value");
    let provenance = read_provenance(c);
    let (study_id, outcome, population, statistic, unit) =
        (study_id?, outcome?, population?, statistic?, unit?);

    if !statistic.allowed_units().contains(&unit) {
        let allowed: Vec<&str> = statistic.allowed_units().iter().map(|u| u.name()).collect();
        c.error(
            "unit",
            "unit-mismatch",
            format!("unit '{unit}' does not fit statistic '{statistic}'"),
            format!("use one of: {}", allowed.join(", ")),
        );
        return None;
    }
    // Presence of the raw cell: an unparsable value is reported once, as such.
    match (value_status, c.text("value").map(|_| ())) {
        (ValueStatus::Reported, None) => c.error(
            "value",
            "missing-value",
            "value is empty".into(),
            "fill in the value, or set value_status to not_reached or not_reported".into(),
        ),
        (ValueStatus::NotReached | ValueStatus::NotReported, Some(_)) => c.error(
            "value",
            "value-status",
            format!("a value is given but value_status is '{value_status}'"),
            "empty the value, or set value_status to reported".into(),
        ),
        _ => {}
    }

    let n = c.number("n").and_then(|v| {
        if v <= 0.0 {
            c.error("n", "n-positive", format!("n must be > 0, got {v}"), "write the number of patients (or lesions) the figure is based on, or leave it empty".into());
            None
        } else {
            c.count("n")
        }
    });
    let events = c.count("events");
    if let (Some(e), Some(n)) = (events, n) {
        if e > n {
            c.error(
                "events",
                "events-exceed-n",
                format!("events ({e}) exceed n ({n})"),
                "check both numbers against the source".into(),
            );
        }
    }
    let n_unit = c.vocab::<NUnit>("n_unit").unwrap_or(NUnit::Patients);

    let time_point = read_time_point(c, statistic);
    let ci_lower = c.number("ci_lower");
    let ci_upper = c.number("ci_upper");
    let ci_level = read_ci_level(c, ci_lower.is_some() || ci_upper.is_some());
    let range = (c.number("range_min"), c.number("range_max"));
    let iqr = (c.number("iqr_lower"), c.number("iqr_upper"));
    let sd = c.number("sd");
    if sd.is_some_and(|s| s < 0.0) {
        c.error(
            "sd",
            "sd-negative",
            "a standard deviation cannot be negative".into(),
            "check the sign against the source".into(),
        );
    }
    let p_value = read_p_value(c);

    check_interval(
        c,
        value,
        (ci_lower, ci_upper),
        ("ci_lower", "ci_upper"),
        "confidence interval",
        "ci",
    );
    check_interval(
        c,
        value,
        range,
        ("range_min", "range_max"),
        "range",
        "range",
    );
    check_interval(
        c,
        value,
        iqr,
        ("iqr_lower", "iqr_upper"),
        "interquartile range",
        "iqr",
    );
    let numeric = [
        ("value", value),
        ("ci_lower", ci_lower),
        ("ci_upper", ci_upper),
        ("range_min", range.0),
        ("range_max", range.1),
        ("iqr_lower", iqr.0),
        ("iqr_upper", iqr.1),
    ];
    check_domain(c, unit, statistic, &numeric);
    if statistic == Statistic::CrudeProportion {
        check_crude(c, value, unit, events, n);
    }

    let (factor, canonical) = canonical_unit(unit, outcome);
    let scale = |v: Option<f64>| v.map(|x| x * factor);
    let printed = |col: &str| {
        c.text(col)
            .and_then(|t| t.split_once('.'))
            .map_or(0, |(_, d)| d.len().min(6) as u8)
    };
    let decimals = |cols: [&str; 2]| [printed(cols[0]), printed(cols[1])];
    let interval = |(lo, hi): (Option<f64>, Option<f64>), cols: [&str; 2]| {
        (lo.is_some() || hi.is_some()).then(|| Interval {
            lower: scale(lo),
            upper: scale(hi),
            printed_decimals: decimals(cols),
        })
    };
    Some(Figure {
        study_id,
        outcome,
        population,
        population_detail: c.string("population_detail"),
        group: c.string("group").unwrap_or_else(|| "all".to_string()),
        statistic,
        value_status,
        value: scale(value),
        unit: canonical,
        reported_value: c.string("value"),
        reported_unit: unit,
        time_point,
        n,
        n_unit,
        events,
        ci: interval((ci_lower, ci_upper), ["ci_lower", "ci_upper"]).map(|bounds| {
            ConfidenceInterval {
                bounds,
                level: ci_level,
            }
        }),
        range: interval(range, ["range_min", "range_max"]),
        iqr: interval(iqr, ["iqr_lower", "iqr_upper"]),
        sd: scale(sd),
        p_value,
        time_origin: c.string("time_origin"),
        derivation: c.string("derivation"),
        tags: c.text("tags").map(split_tags).unwrap_or_default(),
        cohort: c.string("cohort"),
        provenance,
        origin: c.origin(),
    })
}

/// Factor to the canonical unit and the canonical unit: times → months
/// (ages → years), percent → proportion, per person-year → per person-month.
pub fn canonical_unit(unit: Unit, outcome: Outcome) -> (f64, Unit) {
    match (unit.months_factor(), outcome.is_age()) {
        (Some(f), true) => (f / 12.0, Unit::Years),
        (Some(f), false) => (f, Unit::Months),
        (None, _) => match unit {
            Unit::Percent => (0.01, Unit::Proportion),
            Unit::PerPersonYear => (1.0 / 12.0, Unit::PerPersonMonth),
            other => (1.0, other),
        },
    }
}

fn required_vocab<T: Vocab>(c: &mut Cells<'_>, column: &str) -> Option<T> {
    if c.text(column).is_none() {
        c.error(
            column,
            "missing-value",
            format!("{column} is empty"),
            format!("use one of: {}", T::allowed()),
        );
        return None;
    }
    c.vocab::<T>(column)
}

fn read_time_point(c: &mut Cells<'_>, statistic: Statistic) -> Option<f64> {
    let tp = c.number("time_point");
    if statistic == Statistic::ProportionAtT && tp.is_none() && c.text("time_point").is_none() {
        c.error(
            "time_point",
            "missing-value",
            "a proportion_at_t needs its time point".into(),
            "fill in time_point (e.g. 12) and time_point_unit (e.g. months)".into(),
        );
    }
    let tp = tp?;
    if tp < 0.0 {
        c.error(
            "time_point",
            "negative-time",
            format!("time point {tp} is negative"),
            "times count from the time origin and cannot be negative".into(),
        );
        return None;
    }
    let Some(unit) = c.vocab::<Unit>("time_point_unit") else {
        if c.text("time_point_unit").is_none() {
            c.error(
                "time_point_unit",
                "missing-value",
                "time_point_unit is empty".into(),
                "write the unit of time_point: days, weeks, months or years".into(),
            );
        }
        return None;
    };
    match unit.months_factor() {
        Some(f) => Some(tp * f),
        None => {
            c.error(
                "time_point_unit",
                "unit-mismatch",
                format!("'{unit}' is not a unit of time"),
                "use days, weeks, months or years".into(),
            );
            None
        }
    }
}

fn read_ci_level(c: &mut Cells<'_>, has_bounds: bool) -> f64 {
    match c.number("ci_level") {
        Some(l) if l > 0.0 && l < 1.0 => l,
        Some(l) if l > 1.0 && l < 100.0 => l / 100.0,
        Some(l) => {
            c.error(
                "ci_level",
                "bad-ci-level",
                format!("confidence level {l} is not in (0, 1) or (1, 100)"),
                "write 0.95 or 95".into(),
            );
            0.95
        }
        None => {
            if has_bounds {
                c.warn(
                    "ci_level",
                    "ci-level-assumed",
                    "CI bounds without a level: 95% assumed".into(),
                    "write the level printed in the source in ci_level".into(),
                );
            }
            0.95
        }
    }
}

fn read_p_value(c: &mut Cells<'_>) -> Option<PValue> {
    let text = c.text("p_value")?;
    let (relation, rest) =
        if let Some(r) = text.strip_prefix("<=").or_else(|| text.strip_prefix('≤')) {
            (PRelation::LessOrEqual, r)
        } else if let Some(r) = text.strip_prefix('<') {
            (PRelation::Less, r)
        } else if let Some(r) = text.strip_prefix('>') {
            (PRelation::Greater, r)
        } else {
            (PRelation::Equal, text.strip_prefix('=').unwrap_or(text))
        };
    let rest = rest
        .trim()
        .trim_start_matches(['p', 'P'])
        .trim()
        .trim_start_matches('=')
        .trim();
    match rest.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Some(PValue { relation, value: v }),
        _ => {
            c.error(
                "p_value",
                "bad-p-value",
                format!("'{text}' is not a p-value"),
                "write a number in [0, 1], optionally after <, <= or > (e.g. <0.001)".into(),
            );
            None
        }
    }
}

/// Splits a tags cell on ';' or ',' into trimmed lower-case tags.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = text
        .split([';', ','])
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}
