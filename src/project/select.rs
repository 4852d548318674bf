//! Which rows an analysis uses: `[analysis.select]`.

use serde::Deserialize;

use crate::domain::{closest, Case, Evidence, Figure, Outcome, Statistic, Vocab};

/// A single value or a list in TOML (`study = "a"` or `study = ["a", "b"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// Nothing given: no constraint.
    #[default]
    #[serde(skip)]
    Any,
    /// One value.
    One(String),
    /// Several values (any may match).
    Many(Vec<String>),
}

impl OneOrMany {
    /// The listed values.
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::Any => Vec::new(),
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }

    fn is_any(&self) -> bool {
        matches!(self, OneOrMany::Any)
    }

    fn admits(&self, value: &str) -> bool {
        self.is_any() || self.values().iter().any(|v| v.eq_ignore_ascii_case(value))
    }
}

/// Row filters; every given key must match (AND), any value of a key may match (OR).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Outcomes, e.g. `overall_survival`.
    #[serde(default)]
    pub outcome: OneOrMany,
    /// Statistics, e.g. `median`.
    #[serde(default)]
    pub statistic: OneOrMany,
    /// Population labels, exactly as in the data (case-insensitive).
    #[serde(default)]
    pub population: OneOrMany,
    /// Group labels.
    #[serde(default)]
    pub group: OneOrMany,
    /// Study ids.
    #[serde(default)]
    pub study: OneOrMany,
    /// Studies to leave out.
    #[serde(default)]
    pub exclude_study: OneOrMany,
    /// Tags (a row matches when it carries any of them).
    #[serde(default)]
    pub tag: OneOrMany,
    /// Time point of proportions, in months.
    pub time_point: Option<f64>,
}

/// Time points are compared to this many months (print rounding of 12 vs 12.0001).
const TIME_POINT_TOLERANCE: f64 = 1e-6;

impl Selection {
    /// Does a figure match?
    pub fn matches_figure(&self, f: &Figure) -> bool {
        (self.outcome.is_any()
            || self
                .outcome
                .values()
                .iter()
                .any(|o| Outcome::parse(o) == Some(f.outcome)))
            && (self.statistic.is_any()
                || self
                    .statistic
                    .values()
                    .iter()
                    .any(|s| Statistic::parse(s) == Some(f.statistic)))
            && self.population.admits(&f.population)
            && self.group.admits(&f.group)
            && self.study.admits(&f.study_id)
            && !(!self.exclude_study.is_any() && self.exclude_study.admits(&f.study_id))
            && (self.tag.is_any() || f.tags.iter().any(|t| self.tag.admits(t)))
            && self.time_point.is_none_or(|t| {
                f.time_point
                    .is_some_and(|ft| (ft - t).abs() < TIME_POINT_TOLERANCE)
            })
    }

    /// Does a case match? Only `study` and `exclude_study` apply to cases.
    pub fn matches_case(&self, c: &Case) -> bool {
        self.matches_study(&c.study_id)
    }

    /// Whether rows of this study are selected (by `study` and `exclude_study`).
    pub fn matches_study(&self, study_id: &str) -> bool {
        self.study.admits(study_id)
            && !(!self.exclude_study.is_any() && self.exclude_study.admits(study_id))
    }

    /// Keys that constrain figures only (reported when used on a case table).
    pub fn figure_only_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        for (k, v) in [
            ("outcome", &self.outcome),
            ("statistic", &self.statistic),
            ("population", &self.population),
            ("group", &self.group),
            ("tag", &self.tag),
        ] {
            if !v.is_any() {
                keys.push(k);
            }
        }
        if self.time_point.is_some() {
            keys.push("time_point");
        }
        keys
    }

    /// Checks every named value against the vocabularies and the data, so a
    /// typo is an error instead of an empty analysis. A study, population,
    /// group or tag that is absent and close to no value in the data is taken
    /// as removed from the data (a living review drops and restores sources):
    /// the analysis runs without it and the returned warning says so. Returns
    /// the warnings, or (message, fix) for the first error (see
    /// [`Selection::check_all`]).
    pub fn check(&self, evidence: &Evidence) -> Result<Vec<String>, (String, String)> {
        let checked = self.check_all(evidence, true);
        match checked.errors.into_iter().next() {
            Some((_, m, f)) => Err((m, f)),
            None => Ok(checked.warnings.into_iter().map(|(_, w)| w).collect()),
        }
    }

    /// Every problem of the selection at once: unknown outcome and
    /// statistic words, and (when `against_data`, i.e. the data validated)
    /// values absent from the data. Each names its `select` key.
    pub fn check_all(&self, evidence: &Evidence, against_data: bool) -> SelectCheck {
        let mut c = SelectCheck::default();
        for o in self.outcome.values() {
            if Outcome::parse(o).is_none() {
                let (m, f) = unknown::<Outcome>("outcome", o);
                c.errors.push(("outcome", m, f));
            }
        }
        for s in self.statistic.values() {
            if Statistic::parse(s).is_none() {
                let (m, f) = unknown::<Statistic>("statistic", s);
                c.errors.push(("statistic", m, f));
            }
        }
        if !against_data {
            return c;
        }
        let studies: Vec<&str> = evidence.studies.keys().map(String::as_str).collect();
        present("study", &self.study.values(), &studies, &mut c);
        present(
            "exclude_study",
            &self.exclude_study.values(),
            &studies,
            &mut c,
        );
        let populations: Vec<&str> = evidence
            .figures
            .iter()
            .map(|f| f.population.as_str())
            .collect();
        present(
            "population",
            &self.population.values(),
            &populations,
            &mut c,
        );
        let groups: Vec<&str> = evidence.figures.iter().map(|f| f.group.as_str()).collect();
        present("group", &self.group.values(), &groups, &mut c);
        let tags: Vec<&str> = evidence
            .figures
            .iter()
            .flat_map(|f| f.tags.iter().map(String::as_str))
            .collect();
        present("tag", &self.tag.values(), &tags, &mut c);
        c
    }

    /// For a selection that matches no figure: each constraint that no
    /// figure meets on its own (an outcome, statistic or time point absent
    /// from the data), as (key, message, fix).
    pub fn unmet(&self, evidence: &Evidence) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        let f = &evidence.figures;
        let outcomes: Vec<Outcome> = f.iter().map(|f| f.outcome).collect();
        for o in self.outcome.values() {
            if let Some(p) = Outcome::parse(o).filter(|p| !outcomes.contains(p)) {
                let mut present: Vec<&str> = outcomes.iter().map(|o| o.name()).collect();
                present.sort_unstable();
                present.dedup();
                out.push((
                    "outcome",
                    format!("select.outcome: no figure reports {}", p.name()),
                    format!("outcomes in the data: {}", present.join(", ")),
                ));
            }
        }
        let statistics: Vec<Statistic> = f.iter().map(|f| f.statistic).collect();
        for s in self.statistic.values() {
            if let Some(p) = Statistic::parse(s).filter(|p| !statistics.contains(p)) {
                let mut present: Vec<&str> = statistics.iter().map(|s| s.name()).collect();
                present.sort_unstable();
                present.dedup();
                out.push((
                    "statistic",
                    format!("select.statistic: no figure is a {}", p.name()),
                    format!("statistics in the data: {}", present.join(", ")),
                ));
            }
        }
        if let Some(t) = self.time_point {
            if !f.iter().any(|f| {
                f.time_point
                    .is_some_and(|ft| (ft - t).abs() < TIME_POINT_TOLERANCE)
            }) {
                out.push((
                    "time_point",
                    format!("select.time_point: no figure is at {t} months"),
                    "time points are in months (12 for 1 year)".into(),
                ));
            }
        }
        out
    }
}

/// The problems of a selection: errors and warnings, each with its `select` key.
#[derive(Debug, Default)]
pub struct SelectCheck {
    /// (key, message, fix) of each error.
    pub errors: Vec<(&'static str, String, String)>,
    /// (key, message) of each warning.
    pub warnings: Vec<(&'static str, String)>,
}

/// Each named value must be in the data (case-insensitively). An absent value
/// close to a present one is a typo (an error naming the likely value); an
/// absent value close to none was removed from the data (a warning).
fn present(key: &'static str, named: &[&str], in_data: &[&str], c: &mut SelectCheck) {
    for value in named {
        if in_data.iter().any(|q| q.eq_ignore_ascii_case(value)) {
            continue;
        }
        let lower: Vec<String> = in_data
            .iter()
            .map(|q| q.to_lowercase().replace([' ', '-'], "_"))
            .collect();
        if closest(value, lower.iter().map(String::as_str)).is_some() {
            let (m, f) = not_in_data(key, value, dedup(in_data.to_vec()));
            c.errors.push((key, m, f));
            continue;
        }
        c.warnings.push((key, format!(
            "select.{key}: '{value}' is not in the data and resembles no value there, so it is taken as removed from the data; the analysis ran without it (restore the rows, or delete '{value}' from the selection)"
        )));
    }
}

fn dedup(mut v: Vec<&str>) -> impl Iterator<Item = &str> {
    v.sort_unstable();
    v.dedup();
    v.into_iter()
}

fn unknown<T: Vocab>(key: &str, value: &str) -> (String, String) {
    let fix = match T::suggest(value) {
        Some(s) => format!("did you mean '{s}'? allowed: {}", T::allowed()),
        None => format!("allowed: {}", T::allowed()),
    };
    (format!("select.{key}: unknown {} '{value}'", T::WHAT), fix)
}

fn not_in_data<'a>(
    key: &str,
    value: &str,
    present: impl Iterator<Item = &'a str>,
) -> (String, String) {
    let present: Vec<&str> = present.collect();
    let fix = match closest(value, present.iter().copied()) {
        Some(s) => format!("did you mean '{s}'?"),
        None if present.len() <= 12 => format!("values in the data: {}", present.join(", ")),
        None => "check the spelling against the data tables".to_string(),
    };
    (format!("select.{key}: '{value}' is not in the data"), fix)
}
