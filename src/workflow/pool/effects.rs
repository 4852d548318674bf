//! A table of study results → effect sizes on the analysis scale, choosing per
//! row the best route the reported numbers allow and recording it. Used by
//! `survlit pool`; the `pool` kind derives its effects from figures in
//! `figure_effects.rs` on the same measures. Every bad row is
//! reported, naming the study; nothing panics.

use std::collections::BTreeMap;

use crate::domain::{parsed_as_vocab, Vocab};
use crate::ingest::RawTable;
use crate::stats::effect::{hr, median, proportion, Effect, EffectError};
use crate::validate::parse_number;

/// What is pooled (metafor's measure codes, plus survlit's median measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Generic yi with vi or sei.
    GEN,
    /// Log hazard ratio.
    HR,
    /// A proportion on one of six scales.
    Proportion(proportion::Scale),
    /// Median survival.
    MED,
    /// Difference of medians.
    DOM,
    /// Log ratio of medians.
    ROM,
}

impl Vocab for Measure {
    const WHAT: &'static str = "measure";
    const ALL: &'static [(&'static str, Self)] = &[
        ("GEN", Measure::GEN),
        ("HR", Measure::HR),
        ("PR", Measure::Proportion(proportion::Scale::PR)),
        ("PLO", Measure::Proportion(proportion::Scale::PLO)),
        ("PLN", Measure::Proportion(proportion::Scale::PLN)),
        ("PAS", Measure::Proportion(proportion::Scale::PAS)),
        ("PFT", Measure::Proportion(proportion::Scale::PFT)),
        ("CLOGLOG", Measure::Proportion(proportion::Scale::CLOGLOG)),
        ("MED", Measure::MED),
        ("DOM", Measure::DOM),
        ("ROM", Measure::ROM),
    ];
}

parsed_as_vocab!(Measure);

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Measure::Proportion(s) => write!(f, "{s:?}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One study's effect with its row.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyEffect {
    /// Study label.
    pub study: String,
    /// Line in the input.
    pub line: usize,
    /// Index of the row in the table read.
    pub row: usize,
    /// The effect.
    pub effect: Effect,
    /// Sample size (proportions; used by the PFT back-transform).
    pub n: Option<f64>,
}

/// Column names for each role (defaults, overridable with `--col ROLE=NAME`).
#[derive(Debug, Clone, Default)]
pub struct Roles(BTreeMap<String, String>);

impl Roles {
    /// Default names, with overrides `ROLE=NAME`.
    pub fn new(overrides: &[(String, String)]) -> Self {
        let mut m = BTreeMap::new();
        for (role, name) in overrides {
            m.insert(role.clone(), name.to_ascii_lowercase());
        }
        Roles(m)
    }

    fn name<'a>(&'a self, role: &'a str) -> &'a str {
        self.0.get(role).map_or(role, String::as_str)
    }
}

/// Numeric input roles, in the order they are read.
const NUMERIC_ROLES: [&str; 21] = [
    "yi",
    "vi",
    "sei",
    "hr",
    "ci_lb",
    "ci_ub",
    "ci_level",
    "pval",
    "o_minus_e",
    "v",
    "events",
    "ratio",
    "n",
    "proportion",
    "median",
    "median1",
    "ci_lb1",
    "ci_ub1",
    "median2",
    "ci_lb2",
    "ci_ub2",
];

/// Reads effects from a table. Returns the effects or every row's error.
pub fn read_effects(
    table: &RawTable,
    measure: Measure,
    roles: &Roles,
) -> Result<Vec<StudyEffect>, Vec<String>> {
    let needed: &[&str] = match measure {
        Measure::GEN => &["study", "yi"],
        Measure::HR => &["study"],
        Measure::Proportion(_) => &["study"],
        Measure::MED => &["study", "median"],
        Measure::DOM | Measure::ROM => &["study", "median1", "median2"],
    };
    let missing: Vec<String> = needed.iter().filter(|r| table.column(roles.name(r)).is_none()).map(|r| format!("{}: required column '{}' (role {r}) is missing; map another column with --col {r}=NAME", table.source.display, roles.name(r))).collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    // Resolve every role's column once; rows are then read by index.
    let col = |role: &str| table.column(roles.name(role));
    let study_col = col("study");
    let favours_col = col("favours");
    let sides_col = col("sides");
    let numeric_cols: [Option<usize>; NUMERIC_ROLES.len()] = NUMERIC_ROLES.map(&col);
    let mut out = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let at = |c: Option<usize>| {
            c.and_then(|c| table.cells(row).get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let cell = |role: &str| at(col(role));
        let study_text = at(study_col);
        let place = || {
            format!(
                "{}, line {}, study '{}'",
                table.source.display,
                row.line,
                study_text.map_or_else(|| format!("row {}", i + 1), str::to_string)
            )
        };
        let mut vals = [None; NUMERIC_ROLES.len()];
        let mut bad = Vec::new();
        for ((slot, c), role) in vals.iter_mut().zip(numeric_cols).zip(NUMERIC_ROLES) {
            if let Some(t) = at(c) {
                match parse_number(t) {
                    Ok(v) => *slot = Some(v),
                    Err(fix) => bad.push(format!(
                        "column '{}': '{t}' is not a number ({fix})",
                        roles.name(role)
                    )),
                }
            }
        }
        if !bad.is_empty() {
            errors.push(format!("{}: {}", place(), bad.join("; ")));
            continue;
        }
        let decimals = |role: &str| {
            cell(role).map_or(0, |t| t.split_once('.').map_or(0, |(_, d)| d.len() as u32))
        };
        let [r_yi, r_vi, r_sei, r_hr, r_ci_lb, r_ci_ub, r_ci_level, r_pval, r_o_minus_e, r_v, r_events, r_ratio, r_n, r_proportion, r_median, r_median1, r_ci_lb1, r_ci_ub1, r_median2, r_ci_lb2, r_ci_ub2] =
            vals;
        let level = match r_ci_level {
            Some(l) if l > 1.0 => l / 100.0,
            Some(l) => l,
            None => 0.95,
        };
        let favours_research = at(favours_col).is_some_and(|t| {
            t.eq_ignore_ascii_case("research") || t.eq_ignore_ascii_case("treatment")
        });
        let sides = if at(sides_col).is_some_and(|t| t == "1" || t.eq_ignore_ascii_case("one")) {
            hr::Sides::One
        } else {
            hr::Sides::Two
        };
        let result: Result<Effect, EffectError> = match measure {
            Measure::GEN => match (r_yi, r_vi, r_sei) {
                (Some(y), Some(v), _) => Ok(Effect {
        derived: false, yi: y, vi: v, derivation: "given yi, vi".into(), flags: vec![] }),
                (Some(y), None, Some(s)) => Ok(Effect {
        derived: false, yi: y, vi: s * s, derivation: "given yi, sei; vi = sei^2".into(), flags: vec![] }),
                _ => Err(EffectError("needs yi with vi or sei".into())),
            },
            Measure::HR => match (r_hr, r_ci_lb, r_ci_ub, r_pval, r_o_minus_e, r_v, r_events) {
                (Some(h), Some(l), Some(u), _, _, _, _) => hr::from_ci(hr::PrintedCi { estimate: h, lower: l, upper: u, level, decimals: Some([decimals("hr"), decimals("ci_lb"), decimals("ci_ub")]) }),
                (Some(h), _, _, Some(p), _, _, _) => hr::from_p(h, p, sides),
                (_, _, _, _, Some(oe), Some(v), _) => hr::from_o_minus_e(oe, v),
                (None, _, _, Some(p), _, _, Some(d)) => hr::from_p_events(p, sides, d, r_ratio.unwrap_or(1.0), favours_research),
                _ => Err(EffectError("needs hr with ci_lb and ci_ub, or hr with pval, or o_minus_e with v, or pval with events (and ratio, favours)".into())),
            },
            Measure::Proportion(scale) => match (r_events, r_n, r_proportion, r_ci_lb, r_ci_ub) {
                (Some(x), Some(n), _, _, _) => proportion::from_counts(x, n, scale),
                (None, Some(n), Some(p), _, _) => proportion::from_counts(as_fraction(p) * n, n, scale),
                (None, _, Some(p), Some(l), Some(u)) => proportion::from_ci(as_fraction(p), as_fraction(l), as_fraction(u), level, scale),
                _ => Err(EffectError("needs events and n, or proportion and n, or proportion with ci_lb and ci_ub".into())),
            },
            Measure::MED => median::med(reported(r_median, r_ci_lb, r_ci_ub, level)),
            Measure::DOM | Measure::ROM => {
                let a = reported(r_median1, r_ci_lb1, r_ci_ub1, level);
                let b = reported(r_median2, r_ci_lb2, r_ci_ub2, level);
                if measure == Measure::DOM { median::dom(a, b) } else { median::rom(a, b) }
            }
        };
        match result {
            Ok(effect) if !(effect.yi.is_finite() && effect.vi.is_finite() && effect.vi > 0.0) => {
                errors.push(format!(
                    "{}: gives yi = {}, vi = {}: an effect must be finite with a positive variance",
                    place(),
                    effect.yi,
                    effect.vi
                ))
            }
            Ok(effect) => out.push(StudyEffect {
                study: study_text.map_or_else(|| format!("row {}", i + 1), str::to_string),
                line: row.line,
                row: i,
                effect,
                n: r_n,
            }),
            Err(e) => errors.push(format!("{}: {e}", place())),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(format!("{}: no studies (k = 0)", table.source.display));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Proportions may be written 0–1 or 0–100.
fn as_fraction(p: f64) -> f64 {
    if p > 1.0 {
        p / 100.0
    } else {
        p
    }
}

fn reported(m: Option<f64>, l: Option<f64>, u: Option<f64>, level: f64) -> median::ReportedMedian {
    median::ReportedMedian {
        median: m,
        lower: l,
        upper: u,
        level,
    }
}
