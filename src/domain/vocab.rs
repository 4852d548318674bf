//! Controlled vocabularies of the evidence tables: outcomes, statistics, units,
//! case status, sex, value status and denominators.
//!
//! Each vocabulary is an enum spelled in `snake_case` at the edges (files,
//! survlit.toml) and matched exhaustively in code. Parsing accepts a few common
//! aliases (`%` for percent, `hr` for hazard_ratio) and, when a word is not
//! known, suggests the closest one ("did you mean ...").

use std::fmt;

/// A closed vocabulary read from a table cell or a project file.
pub trait Vocab: Sized + Copy + 'static {
    /// What the vocabulary is called in messages ("statistic", "unit", ...).
    const WHAT: &'static str;
    /// Canonical spellings, in the order they are documented.
    const ALL: &'static [(&'static str, Self)];
    /// Extra accepted spellings (lower case).
    const ALIASES: &'static [(&'static str, Self)] = &[];

    /// Parses a cell, case-insensitively, accepting aliases.
    fn parse(text: &str) -> Option<Self> {
        let key = normalise(text);
        Self::ALL
            .iter()
            .chain(Self::ALIASES)
            .find(|(name, _)| normalise(name) == key)
            .map(|(_, v)| *v)
    }

    /// Parses a word of survlit.toml or the command line, or says what is
    /// allowed (and the closest word, when it looks like a typo).
    fn parse_or_explain(text: &str) -> Result<Self, String> {
        Self::parse(text).ok_or_else(|| {
            let hint =
                Self::suggest(text).map_or(String::new(), |s| format!(" (did you mean '{s}'?)"));
            format!(
                "unknown {} '{}'{hint}; use {}",
                Self::WHAT,
                text.trim(),
                Self::allowed()
            )
        })
    }

    /// The canonical spelling.
    fn name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(n, _)| *n)
            .expect("every variant is listed in ALL")
    }

    /// The canonical spellings joined for messages.
    fn allowed() -> String {
        Self::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The closest canonical spelling, when one is close enough to be a typo.
    fn suggest(text: &str) -> Option<&'static str> {
        // Compared as they are parsed (case and separators aside), shown
        // as they are spelled.
        let keys: Vec<String> = Self::ALL.iter().map(|(n, _)| normalise(n)).collect();
        let best = closest(text, keys.iter().map(String::as_str))?;
        let at = keys.iter().position(|k| k == best)?;
        Some(Self::ALL[at].0)
    }
}

/// A word as vocabularies compare it: trimmed, lower case, spaces and
/// hyphens as underscores.
fn normalise(text: &str) -> String {
    text.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// `FromStr` (through [`Vocab::parse_or_explain`]) and serde's `Deserialize`
/// (through `FromStr`) for vocabularies, so survlit.toml, the command line
/// and every message share one parser per vocabulary.
macro_rules! parsed_as_vocab {
    ($($t:ty),+ $(,)?) => {$(
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$t as $crate::domain::Vocab>::parse_or_explain(s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )+};
}
pub(crate) use parsed_as_vocab;

/// The closest candidate to `text` by edit distance, if it is plausibly a typo
/// (distance at most a third of the word, and at least 2 allowed), or if
/// `text` is a prefix of exactly one candidate.
pub fn closest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    if key.is_empty() {
        return None;
    }
    let candidates: Vec<&str> = candidates.collect();
    let prefixed: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| c.starts_with(&key))
        .collect();
    if prefixed.len() == 1 && key.len() >= 3 {
        return Some(prefixed[0]);
    }
    let length = key.chars().count();
    let limit = (length / 3).max(2);
    candidates
        .into_iter()
        // The distance is at least the difference in length: skipping those
        // candidates changes nothing but the time a long cell takes (a
        // pasted paragraph against every word was quadratic; found by
        // fuzzing at ~50 validations a second).
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (edit_distance(&key, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

macro_rules! vocab {
    ($(#[$doc:meta])* $name:ident, $what:literal, [$($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)?], aliases [$($alias:literal => $avariant:ident),* $(,)?]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* #[doc = concat!("Spelled `", $text, "`.")] $variant),+ }
        impl Vocab for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [(&'static str, Self)] = &[$(($text, $name::$variant)),+];
            const ALIASES: &'static [(&'static str, Self)] = &[$(($alias, $name::$avariant)),*];
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.name()) }
        }
    };
}

vocab!(
    /// What was measured.
    Outcome, "outcome",
    [
        OverallSurvival = "overall_survival",
        CancerSpecificSurvival = "cancer_specific_survival",
        ProgressionFreeSurvival = "progression_free_survival",
        DiseaseFreeSurvival = "disease_free_survival",
        LocalControl = "local_control",
        LocalFailure = "local_failure",
        LocalRecurrence = "local_recurrence",
        LocalProgressionFreeSurvival = "local_progression_free_survival",
        SpinalFailureFreeSurvival = "spinal_failure_free_survival",
        Latency = "latency",
        TimeToReoperation = "time_to_reoperation",
        TimeToLocalRecurrence = "time_to_local_recurrence",
        TimeToDeath = "time_to_death",
        FollowUp = "follow_up",
        Age = "age",
    ],
    aliases ["os" => OverallSurvival, "css" => CancerSpecificSurvival, "pfs" => ProgressionFreeSurvival,
             "dfs" => DiseaseFreeSurvival, "lc" => LocalControl, "age_at_presentation" => Age,
             "latency_primary_to_bone_metastasis" => Latency]
);

vocab!(
    /// The kind of summary a paper reports.
    Statistic, "statistic",
    [
        Median = "median",
        Mean = "mean",
        /// Survival (or control) proportion at a time point, from KM or actuarial estimates.
        ProportionAtT = "proportion_at_t",
        /// A crude proportion (events / n), not a time-to-event estimate.
        CrudeProportion = "crude_proportion",
        HazardRatio = "hazard_ratio",
        AdjustedHazardRatio = "adjusted_hazard_ratio",
        SubdistributionHazardRatio = "subdistribution_hazard_ratio",
        Rate = "rate",
        Count = "count",
    ],
    aliases ["hr" => HazardRatio, "ahr" => AdjustedHazardRatio, "shr" => SubdistributionHazardRatio,
             "proportion" => CrudeProportion, "survival_at_t" => ProportionAtT]
);

vocab!(
    /// Units of a reported value, as written in the source.
    Unit, "unit",
    [
        Days = "days",
        Weeks = "weeks",
        Months = "months",
        Years = "years",
        Percent = "percent",
        Proportion = "proportion",
        Ratio = "ratio",
        Count = "count",
        PerPersonMonth = "per_person_month",
        PerPersonYear = "per_person_year",
    ],
    aliases ["day" => Days, "d" => Days, "week" => Weeks, "wk" => Weeks, "month" => Months, "mo" => Months,
             "year" => Years, "yr" => Years, "yrs" => Years, "%" => Percent, "pct" => Percent]
);

vocab!(
    /// Vital and disease status of a patient at last follow-up.
    CaseStatus, "status",
    [
        AliveNed = "alive_ned",
        AliveDisease = "alive_disease",
        AliveUnknown = "alive_unknown",
        DeadDisease = "dead_disease",
        DeadOther = "dead_other",
        DeadUnknownCause = "dead_unknown_cause",
        Unknown = "unknown",
    ],
    aliases ["alive_unknown_disease_status" => AliveUnknown, "ned" => AliveNed, "awd" => AliveDisease,
             "dod" => DeadDisease, "doc" => DeadOther]
);

vocab!(
    /// Sex of a patient.
    Sex, "sex",
    [Female = "f", Male = "m", Unknown = "unknown"],
    aliases ["female" => Female, "male" => Male, "w" => Female]
);

vocab!(
    /// Whether `value` holds a number, or why it is empty.
    ValueStatus, "value_status",
    [Reported = "reported", NotReached = "not_reached", NotReported = "not_reported"],
    aliases ["nr" => NotReached]
);

vocab!(
    /// What `n` counts.
    NUnit, "n_unit",
    [Patients = "patients", Lesions = "lesions", TreatmentSites = "treatment_sites"],
    aliases ["patient" => Patients, "lesion" => Lesions, "sites" => TreatmentSites]
);

vocab!(
    /// Scale of digitized survival values.
    SurvivalScale, "survival_scale",
    [Proportion = "proportion", Percent = "percent"],
    aliases ["%" => Percent]
);

/// Days in a month: a Julian year of 365.25 days over 12 months.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

impl Unit {
    /// Months per one of this unit, for time units.
    pub fn months_factor(self) -> Option<f64> {
        match self {
            Unit::Days => Some(1.0 / DAYS_PER_MONTH),
            Unit::Weeks => Some(7.0 / DAYS_PER_MONTH),
            Unit::Months => Some(1.0),
            Unit::Years => Some(12.0),
            _ => None,
        }
    }

    /// True for days, weeks, months and years.
    pub fn is_time(self) -> bool {
        self.months_factor().is_some()
    }
}

impl Statistic {
    /// Proportions are stored as 0–1 after ingest.
    pub fn is_proportion(self) -> bool {
        matches!(self, Statistic::ProportionAtT | Statistic::CrudeProportion)
    }

    /// Ratios must be positive and are compared on the log scale.
    pub fn is_ratio(self) -> bool {
        matches!(
            self,
            Statistic::HazardRatio
                | Statistic::AdjustedHazardRatio
                | Statistic::SubdistributionHazardRatio
        )
    }

    /// Units a value of this statistic may be reported in.
    pub fn allowed_units(self) -> &'static [Unit] {
        use Unit::*;
        match self {
            Statistic::Median | Statistic::Mean => &[Days, Weeks, Months, Years, Count],
            Statistic::ProportionAtT | Statistic::CrudeProportion => &[Percent, Proportion],
            Statistic::HazardRatio
            | Statistic::AdjustedHazardRatio
            | Statistic::SubdistributionHazardRatio => &[Ratio],
            Statistic::Rate => &[PerPersonMonth, PerPersonYear],
            Statistic::Count => &[Count],
        }
    }
}

impl Outcome {
    /// Ages are kept in years; every other time is normalised to months.
    pub fn is_age(self) -> bool {
        matches!(self, Outcome::Age)
    }
}

impl CaseStatus {
    /// The death indicator implied by the status: `Some(true)` for dead,
    /// `Some(false)` for alive, `None` when unknown.
    pub fn event(self) -> Option<bool> {
        match self {
            CaseStatus::AliveNed | CaseStatus::AliveDisease | CaseStatus::AliveUnknown => {
                Some(false)
            }
            CaseStatus::DeadDisease | CaseStatus::DeadOther | CaseStatus::DeadUnknownCause => {
                Some(true)
            }
            CaseStatus::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aliases_and_case() {
        assert_eq!(Unit::parse("Months"), Some(Unit::Months));
        assert_eq!(Unit::parse("%"), Some(Unit::Percent));
        assert_eq!(Statistic::parse("HR"), Some(Statistic::HazardRatio));
        assert_eq!(
            CaseStatus::parse("alive_unknown_disease_status"),
            Some(CaseStatus::AliveUnknown)
        );
        assert_eq!(Statistic::parse("medain"), None);
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(Statistic::suggest("medain"), Some("median"));
        assert_eq!(Unit::suggest("monhts"), Some("months"));
        assert_eq!(
            Outcome::suggest("overall_surival"),
            Some("overall_survival")
        );
        assert_eq!(Statistic::suggest("zzzzzz"), None);
    }

    #[test]
    fn every_variant_has_a_name() {
        for (text, v) in Statistic::ALL {
            assert_eq!(v.name(), *text);
        }
    }

    #[test]
    fn time_factors() {
        assert_eq!(Unit::Years.months_factor(), Some(12.0));
        assert!((Unit::Days.months_factor().unwrap() * 365.25 - 12.0).abs() < 1e-12);
        assert!(Unit::Percent.months_factor().is_none());
    }
}
