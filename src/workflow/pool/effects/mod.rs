//! A table of study results → effect sizes on the analysis scale, choosing per
//! row the best route the reported numbers allow and recording it. Used by
//! `survlit pool`; the `pool` kind derives its effects from figures in
//! `workflow::pool::from_evidence` on the same measures. Every bad row is
//! reported, naming the study; nothing panics.

use std::collections::BTreeMap;

use crate::domain::{closest, parsed_as_vocab, Vocab};
use crate::ingest::{RawRow, RawTable};
use crate::stats::effect::{proportion, Effect};
use crate::validate::parse_number;

mod columns;
mod routes;

pub use columns::known_roles;

use routes::{effect_of, RowNumbers};

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
    let missing = missing_columns(table, measure, roles);
    if !missing.is_empty() {
        return Err(missing);
    }
    let columns = Columns::resolve(table, roles);
    let mut out = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        match read_row(table, i, row, &columns, roles, measure) {
            Ok(effect) => out.push(effect),
            Err(e) => errors.push(e),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(format!("{}: no studies (k = 0)", table.source.display));
    }
    if matches!(measure, Measure::Proportion(_)) {
        errors.extend(mixed_percent(table, columns.numeric[13], roles));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The roles a measure cannot do without, each missing one as a message
/// saying how to map it.
fn missing_columns(table: &RawTable, measure: Measure, roles: &Roles) -> Vec<String> {
    let needed: &[&str] = match measure {
        Measure::GEN => &["study", "yi"],
        Measure::HR => &["study"],
        Measure::Proportion(_) => &["study"],
        Measure::MED => &["study", "median"],
        Measure::DOM | Measure::ROM => &["study", "median1", "median2"],
    };
    let mut missing: Vec<String> = needed
        .iter()
        .filter(|r| table.column(roles.name(r)).is_none())
        .map(|r| {
            let hint = closest(roles.name(r), table.header.iter().map(String::as_str))
                .map_or_else(String::new, |s| format!(" (did you mean '{s}'?)"));
            format!(
                "{}: required column '{}' (role {r}) is missing{hint}; map another column with --col {r}=NAME",
                table.source.display,
                roles.name(r)
            )
        })
        .collect();
    if missing.is_empty() {
        missing.extend(columns::missing_route(table, measure, roles));
    }
    missing
}

/// Every role's column, resolved once; rows are then read by index.
struct Columns {
    /// The study label.
    study: Option<usize>,
    /// Which arm a p-value favours ("research"/"treatment" or not).
    favours: Option<usize>,
    /// Whether a p-value is one- or two-sided.
    sides: Option<usize>,
    /// The numeric roles, in the order of [`NUMERIC_ROLES`].
    numeric: [Option<usize>; NUMERIC_ROLES.len()],
}

impl Columns {
    /// Looks each role up under its (possibly mapped) name.
    fn resolve(table: &RawTable, roles: &Roles) -> Columns {
        let col = |role: &str| table.column(roles.name(role));
        Columns {
            study: col("study"),
            favours: col("favours"),
            sides: col("sides"),
            numeric: NUMERIC_ROLES.map(col),
        }
    }
}

/// A proportion column written in percent (a value above 1) that also
/// holds bare values of at most 1: "0.5" there could be 50% or 0.5%, so
/// the row must say which ("50" or "0.5%").
fn mixed_percent(table: &RawTable, column: Option<usize>, roles: &Roles) -> Vec<String> {
    let Some(c) = column else {
        return Vec::new();
    };
    let bare: Vec<(usize, &str, f64)> = table
        .rows
        .iter()
        .filter_map(|row| {
            let t = table.cells(row).get(c)?.trim();
            parse_number(t).ok().map(|v| (row.line, t, v))
        })
        .collect();
    let Some(&(_, example, _)) = bare.iter().find(|(_, _, v)| *v > 1.0) else {
        return Vec::new();
    };
    bare.iter()
        .filter(|(_, _, v)| *v > 0.0 && *v <= 1.0)
        .map(|(line, t, v)| {
            format!(
                "{}, line {line}: column '{}' is in percent elsewhere (e.g. {example}), so '{t}' is ambiguous: write {} for {}%, or {t}% for {t} percent",
                table.source.display,
                roles.name("proportion"),
                crate::number::num(v * 100.0, 6),
                crate::number::num(v * 100.0, 6)
            )
        })
        .collect()
}

/// A cell written with a percent sign ("0.5%") as a fraction (0.005).
fn percent_cell(t: &str) -> Option<f64> {
    let v = t.strip_suffix('%')?.trim().parse::<f64>().ok()?;
    v.is_finite().then_some(v / 100.0)
}

/// One row read into an effect, or the message naming its file, line and
/// study.
fn read_row(
    table: &RawTable,
    i: usize,
    row: &RawRow,
    columns: &Columns,
    roles: &Roles,
    measure: Measure,
) -> Result<StudyEffect, String> {
    let cells = table.cells(row);
    let at = |c: Option<usize>| {
        c.and_then(|c| cells.get(c))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    };
    let study = at(columns.study).map_or_else(|| format!("row {}", i + 1), str::to_string);
    let place = || {
        format!(
            "{}, line {}, study '{study}'",
            table.source.display, row.line
        )
    };
    let texts = columns.numeric.map(at);
    let values =
        parse_numbers(&texts, roles, measure).map_err(|bad| format!("{}: {bad}", place()))?;
    // Index 6 of NUMERIC_ROLES is ci_level: a level outside (0, 100) % has
    // no z quantile (statrs panicked on it; found by fuzzing).
    let level = routes::ci_level_fraction(values[6]);
    if !(level > 0.0 && level < 1.0) {
        return Err(format!(
            "{}: ci_level '{}' must be a percent between 0 and 100 (e.g. 95) or a fraction (0.95)",
            place(),
            texts[6].unwrap_or_default()
        ));
    }
    let numbers = RowNumbers::new(values, &texts, at(columns.favours), at(columns.sides));
    let effect = effect_of(measure, &numbers).map_err(|e| format!("{}: {e}", place()))?;
    if !(effect.yi.is_finite() && effect.vi.is_finite() && effect.vi > 0.0) {
        return Err(format!(
            "{}: gives yi = {}, vi = {}: an effect must be finite with a positive variance",
            place(),
            effect.yi,
            effect.vi
        ));
    }
    Ok(StudyEffect {
        study,
        line: row.line,
        row: i,
        effect,
        n: numbers.n,
    })
}

/// The numeric cells of a row parsed, or every cell that is not a number
/// (joined with "; ").
fn parse_numbers(
    texts: &[Option<&str>; NUMERIC_ROLES.len()],
    roles: &Roles,
    measure: Measure,
) -> Result<[Option<f64>; NUMERIC_ROLES.len()], String> {
    let mut values = [None; NUMERIC_ROLES.len()];
    let mut bad = Vec::new();
    let proportion = matches!(measure, Measure::Proportion(_));
    for ((slot, text), role) in values.iter_mut().zip(texts).zip(NUMERIC_ROLES) {
        if let Some(t) = text {
            if proportion && ["proportion", "ci_lb", "ci_ub"].contains(&role) {
                if let Some(v) = percent_cell(t) {
                    *slot = Some(v);
                    continue;
                }
            }
            match parse_number(t) {
                Ok(v) => *slot = Some(v),
                Err(fix) => bad.push(format!(
                    "column '{}': '{t}' is not a number ({fix})",
                    roles.name(role)
                )),
            }
        }
    }
    if bad.is_empty() {
        Ok(values)
    } else {
        Err(bad.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::routes::ci_level_fraction;
    use super::*;
    use crate::ingest::TableSource;
    use crate::stats::effect::hr;

    /// A table from a header and rows of cells, lines numbered from 2.
    fn table(header: &[&str], rows: &[&[&str]]) -> RawTable {
        let mut t = RawTable::new(
            TableSource {
                display: "effects.csv".into(),
                sheet: None,
            },
            header.iter().map(|h| h.to_string()).collect(),
        );
        for (i, r) in rows.iter().enumerate() {
            t.push_row(i + 2, r.len(), r.iter().copied());
        }
        t
    }

    #[test]
    fn a_proportion_at_most_one_in_a_percent_column_must_say_its_unit() {
        use crate::stats::effect::proportion::Scale;
        let read = |rows: &[&[&str]]| {
            read_effects(
                &table(&["study", "proportion", "n"], rows),
                Measure::Proportion(Scale::PR),
                &Roles::default(),
            )
        };
        // "0.5" beside 45: 50% or 0.5%? Refused, naming both spellings.
        let err = read(&[&["A", "45", "100"], &["B", "0.5", "200"]]).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0].contains("line 3")
                && err[0].contains("write 50 for 50%, or 0.5% for 0.5 percent"),
            "{err:?}"
        );
        // "0.5%" is explicit: half a percent.
        let ok = read(&[&["A", "45", "100"], &["B", "0.5%", "200"]]).unwrap();
        assert!(
            (ok[1].effect.yi - 0.005).abs() < 1e-12,
            "{}",
            ok[1].effect.yi
        );
        // Fractions alone stay fractions.
        let ok = read(&[&["A", "0.45", "100"], &["B", "0.5", "200"]]).unwrap();
        assert!((ok[1].effect.yi - 0.5).abs() < 1e-12);
    }

    fn read_hr(header: &[&str], rows: &[&[&str]]) -> Result<Vec<StudyEffect>, Vec<String>> {
        read_effects(&table(header, rows), Measure::HR, &Roles::default())
    }

    #[test]
    fn a_ci_level_outside_0_to_100_percent_is_a_row_error_not_a_panic() {
        for level in ["150", "-5", "0", "100", "NaN"] {
            for measure in [Measure::HR, Measure::MED] {
                let errors = read_effects(
                    &table(
                        &["study", "hr", "ci_lb", "ci_ub", "median", "ci_level"],
                        &[&["A", "0.72", "0.55", "0.94", "0.8", level]],
                    ),
                    measure,
                    &Roles::default(),
                )
                .unwrap_err();
                assert!(errors[0].contains("ci_level"), "{level}: {errors:?}");
            }
        }
    }

    #[test]
    fn hr_with_a_ci_is_read_from_the_ci_even_when_a_p_value_is_given() {
        let got = read_hr(
            &["study", "hr", "ci_lb", "ci_ub", "pval"],
            &[&["A", "0.72", "0.55", "0.94", "0.02"]],
        )
        .unwrap();
        let want = hr::from_ci(hr::PrintedCi {
            estimate: 0.72,
            lower: 0.55,
            upper: 0.94,
            level: 0.95,
            decimals: Some([2, 2, 2]),
        })
        .unwrap();
        assert_eq!(got[0].effect, want);
        assert_eq!(got[0].study, "A");
    }

    #[test]
    fn hr_without_a_full_ci_falls_back_to_its_p_value() {
        let got = read_hr(
            &["study", "hr", "ci_lb", "pval", "sides"],
            &[&["B", "0.8", "0.6", "0.03", "one"]],
        )
        .unwrap();
        assert_eq!(
            got[0].effect,
            hr::from_p(0.8, 0.03, hr::Sides::One).unwrap()
        );
    }

    #[test]
    fn o_minus_e_with_v_is_used_when_there_is_no_hr() {
        let got = read_hr(
            &["study", "o_minus_e", "v", "pval", "events"],
            &[&["C", "-4.1", "12.5", "0.2", "40"]],
        )
        .unwrap();
        assert_eq!(got[0].effect, hr::from_o_minus_e(-4.1, 12.5).unwrap());
    }

    #[test]
    fn a_p_value_with_events_reads_ratio_and_favours() {
        let got = read_hr(
            &["study", "pval", "events", "ratio", "favours"],
            &[&["D", "0.04", "60", "2", "Treatment"]],
        )
        .unwrap();
        let want = hr::from_p_events(0.04, hr::Sides::Two, 60.0, 2.0, true).unwrap();
        assert_eq!(got[0].effect, want);
    }

    #[test]
    fn a_row_without_a_route_is_an_error_naming_its_line_and_study() {
        let errors =
            read_hr(&["study", "hr", "ci_lb", "ci_ub"], &[&["E", "0.7", "", ""]]).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("effects.csv, line 2, study 'E': needs hr with ci_lb"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_table_without_the_columns_of_any_route_is_one_error_with_did_you_mean() {
        let rows: &[&[&str]] = &[&["E", "0.7", "0.5", "0.9"], &["F", "0.8", "0.6", "1.1"]];
        let errors = read_hr(&["study", "hr", "ci_lo", "ci_ub"], rows).unwrap_err();
        assert_eq!(
            errors,
            ["effects.csv: measure HR needs the columns hr, ci_lb, ci_ub; or hr, pval; or o_minus_e, v; or pval, events; the table has study, hr, ci_lo, ci_ub: no column 'ci_lb': did you mean 'ci_lo'? (rename it, or --col ci_lb=ci_lo)"]
        );
    }

    #[test]
    fn every_bad_number_of_a_row_is_named_and_other_rows_still_read() {
        let errors = read_hr(
            &["study", "hr", "ci_lb", "ci_ub"],
            &[&["F", "0.7", "0.5", "0.9"], &["", "x", "0.5", "y"]],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0]
            .starts_with("effects.csv, line 3, study 'row 2': column 'hr': 'x' is not a number"));
        assert!(errors[0].contains("; column 'ci_ub': 'y' is not a number"));
    }

    #[test]
    fn a_missing_required_column_names_the_role_to_map() {
        let t = table(&["study", "estimate"], &[&["A", "1.2"]]);
        let errors = read_effects(&t, Measure::GEN, &Roles::default()).unwrap_err();
        assert_eq!(
            errors,
            ["effects.csv: required column 'yi' (role yi) is missing; map another column with --col yi=NAME"]
        );
        let mapped = Roles::new(&[("yi".into(), "Estimate".into())]);
        assert!(read_effects(&t, Measure::GEN, &mapped).is_err_and(
            |e| e[0].contains("no column 'vi' (add it, or map another with --col vi=NAME)")
        ));
    }

    #[test]
    fn generic_effects_prefer_vi_over_sei() {
        let t = table(
            &["study", "yi", "vi", "sei"],
            &[&["A", "0.1", "0.04", "0.5"], &["B", "0.2", "", "0.3"]],
        );
        let got = read_effects(&t, Measure::GEN, &Roles::default()).unwrap();
        assert_eq!(
            (got[0].effect.vi, got[0].effect.derivation.as_str()),
            (0.04, "given yi, vi")
        );
        assert!((got[1].effect.vi - 0.09).abs() < 1e-12);
    }

    #[test]
    fn ci_levels_read_as_percent_or_fraction() {
        assert_eq!(ci_level_fraction(Some(90.0)), 0.9);
        assert_eq!(ci_level_fraction(Some(0.9)), 0.9);
        assert_eq!(ci_level_fraction(None), 0.95);
    }

    #[test]
    fn a_zero_variance_is_refused_and_an_empty_table_has_no_studies() {
        let t = table(&["study", "yi", "vi"], &[&["A", "0.1", "0"]]);
        let errors = read_effects(&t, Measure::GEN, &Roles::default()).unwrap_err();
        assert!(errors[0].ends_with(
            "gives yi = 0.1, vi = 0: an effect must be finite with a positive variance"
        ));
        let empty = table(&["study", "yi", "vi"], &[]);
        assert_eq!(
            read_effects(&empty, Measure::GEN, &Roles::default()).unwrap_err(),
            ["effects.csv: no studies (k = 0)"]
        );
    }
}
