//! Validated records: figures, cases, digitized curves and number-at-risk rows.

use std::collections::BTreeMap;
use std::fmt;

use super::{CaseStatus, NUnit, Outcome, Sex, Statistic, Unit, ValueStatus};

/// Identifier of a source (one paper, or one report of a cohort), e.g. `contartese2022`.
pub type StudyId = String;

/// Where a record was read from: file (and sheet) and line or row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// Path of the file as named in the project (relative to the project root).
    pub file: String,
    /// Worksheet name for spreadsheets.
    pub sheet: Option<String>,
    /// 1-based line (CSV) or row (spreadsheet) of the record.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{}, sheet '{}', row {}", self.file, sheet, self.line),
            None => write!(f, "{}, line {}", self.file, self.line),
        }
    }
}

/// Where a number came from, kept verbatim from the extraction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// Short display label of the study ("Folkert (MSKCC)"), when the
    /// citation does not start with an author.
    pub study_label: Option<String>,
    /// Full citation of the source.
    pub citation: Option<String>,
    /// Publication year.
    pub year: Option<i32>,
    /// DOI, normalised to lower case without a resolver prefix.
    pub doi: Option<String>,
    /// PubMed identifier.
    pub pmid: Option<String>,
    /// Page, table, figure or section where the number is printed.
    pub source_location: Option<String>,
    /// Public address where the number was read.
    pub source_url: Option<String>,
    /// The sentence quoted from the source.
    pub quote: Option<String>,
    /// Extractor's notes.
    pub notes: Option<String>,
    /// Extractor's confidence in the value and its attribution.
    pub confidence: Option<String>,
}

/// An interval around an estimate; either bound may be missing ("not reached").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound, in the figure's canonical unit.
    pub lower: Option<f64>,
    /// Upper bound, in the figure's canonical unit.
    pub upper: Option<f64>,
    /// Decimals printed in the source for the lower and upper bound, so that
    /// reports show "66.0" and "3–108" as the source does.
    pub printed_decimals: [u8; 2],
}

/// A confidence interval with its level (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfidenceInterval {
    /// The bounds.
    pub bounds: Interval,
    /// Coverage, e.g. 0.95.
    pub level: f64,
}

/// Relation in a reported p-value such as `<0.05`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PRelation {
    /// `p = x`
    Equal,
    /// `p < x`
    Less,
    /// `p <= x`
    LessOrEqual,
    /// `p > x`
    Greater,
}

/// A p-value as printed, e.g. `0.03` or `<0.001`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PValue {
    /// The relation printed before the number.
    pub relation: PRelation,
    /// The number, in [0, 1].
    pub value: f64,
}

impl fmt::Display for PValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rel = match self.relation {
            PRelation::Equal => "",
            PRelation::Less => "<",
            PRelation::LessOrEqual => "<=",
            PRelation::Greater => ">",
        };
        write!(f, "{rel}{}", self.value)
    }
}

/// One reported statistic, validated and in canonical units: times in months
/// (ages in years), proportions as 0–1, ratios as ratios.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The source.
    pub study_id: StudyId,
    /// What was measured.
    pub outcome: Outcome,
    /// Short population label, used to group figures.
    pub population: String,
    /// Longer description of the population.
    pub population_detail: Option<String>,
    /// Group or arm within the population (`all` when the whole population).
    pub group: String,
    /// Kind of summary.
    pub statistic: Statistic,
    /// Whether `value` is a number, "not reached" or "not reported".
    pub value_status: ValueStatus,
    /// The value in `unit`.
    pub value: Option<f64>,
    /// Canonical unit of `value`, CI, range, IQR and SD.
    pub unit: Unit,
    /// The value exactly as written in the source table.
    pub reported_value: Option<String>,
    /// The unit as written in the source table.
    pub reported_unit: Unit,
    /// Time point of a proportion, in months.
    pub time_point: Option<f64>,
    /// Number of patients (or lesions, sites).
    pub n: Option<u64>,
    /// What `n` counts.
    pub n_unit: NUnit,
    /// Number of events.
    pub events: Option<u64>,
    /// Confidence interval.
    pub ci: Option<ConfidenceInterval>,
    /// Range (min–max).
    pub range: Option<Interval>,
    /// Interquartile range (Q1–Q3).
    pub iqr: Option<Interval>,
    /// Standard deviation.
    pub sd: Option<f64>,
    /// P-value as printed.
    pub p_value: Option<PValue>,
    /// Time origin of the measurement ("diagnosis of spinal metastasis").
    pub time_origin: Option<String>,
    /// How the source derived the figure (Kaplan–Meier, Cox, ...).
    pub derivation: Option<String>,
    /// Free tags for selecting rows in analyses.
    pub tags: Vec<String>,
    /// The patients this figure counts, when other reports count them too
    /// (the same cohort published twice, reviews pooling the same published
    /// cases): figures of different studies with one cohort are not
    /// independent.
    pub cohort: Option<String>,
    /// Where the number came from.
    pub provenance: Provenance,
    /// Where the row was read.
    pub origin: Origin,
}

/// One patient from a case report or case series.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The source.
    pub study_id: StudyId,
    /// Unique patient identifier.
    pub case_id: String,
    /// Age in years.
    pub age: Option<f64>,
    /// Sex.
    pub sex: Sex,
    /// Primary tumour site.
    pub primary_site: Option<String>,
    /// Treatment of the primary.
    pub primary_treatment: Option<String>,
    /// Months from the primary to the spinal presentation.
    pub latency: Option<f64>,
    /// Spinal level(s).
    pub spinal_level: Option<String>,
    /// Treatment of the metastasis.
    pub treatment: Option<String>,
    /// Adjuvant therapy.
    pub adjuvant: Option<String>,
    /// Follow-up in months.
    pub follow_up: Option<f64>,
    /// What follow-up is counted from.
    pub follow_up_origin: Option<String>,
    /// Status at last follow-up.
    pub status: CaseStatus,
    /// Death indicator: from `event`, or implied by `status`.
    pub event: Option<bool>,
    /// The `event` column as written when it holds a whole number (0, 1,
    /// or a code such as pbc's 2 that a `km`/`cox` analysis names with its
    /// `event_code` option).
    pub event_code: Option<u32>,
    /// Free covariates (`cov_*` columns, without the prefix).
    pub covariates: BTreeMap<String, String>,
    /// Where the data came from.
    pub provenance: Provenance,
    /// Where the row was read.
    pub origin: Origin,
}

impl Figure {
    /// A median overall survival of `value` months reported by `study_id`
    /// for `n` patients, every other field empty: the start of a test's
    /// figure (set the fields the test is about).
    #[cfg(test)]
    pub(crate) fn example(study_id: &str, value: f64, n: u64) -> Figure {
        Figure {
            study_id: study_id.into(),
            outcome: Outcome::OverallSurvival,
            population: "population".into(),
            population_detail: None,
            group: "all".into(),
            statistic: Statistic::Median,
            value_status: ValueStatus::Reported,
            value: Some(value),
            unit: Unit::Months,
            reported_value: Some(value.to_string()),
            reported_unit: Unit::Months,
            time_point: None,
            n: Some(n),
            n_unit: NUnit::Patients,
            events: None,
            ci: None,
            range: None,
            iqr: None,
            sd: None,
            p_value: None,
            time_origin: None,
            derivation: None,
            tags: Vec::new(),
            cohort: None,
            provenance: Provenance::default(),
            origin: Origin {
                file: "data/figures.csv".into(),
                sheet: None,
                line: 2,
            },
        }
    }
}

impl Case {
    /// Whether the patient had the event (died): the `event` column when
    /// given, else what the vital status implies; `None` when neither says.
    pub fn died(&self) -> Option<bool> {
        self.event.or(self.status.event())
    }
}

/// One digitized point of a Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// The source.
    pub study_id: StudyId,
    /// Arm label as printed on the figure.
    pub arm: String,
    /// Time in months.
    pub time: f64,
    /// Survival as a proportion (0–1).
    pub survival: f64,
    /// Figure the point was digitized from.
    pub source_location: Option<String>,
    /// Where the row was read.
    pub origin: Origin,
}

/// One number-at-risk entry printed under a Kaplan–Meier figure.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRisk {
    /// The source.
    pub study_id: StudyId,
    /// Arm label.
    pub arm: String,
    /// Time in months.
    pub time: f64,
    /// Number at risk.
    pub n_risk: u64,
    /// Where the row was read.
    pub origin: Origin,
}

/// The whole validated evidence base of a project.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Reported statistics.
    pub figures: Vec<Figure>,
    /// Patient rows.
    pub cases: Vec<Case>,
    /// Digitized curve points.
    pub curves: Vec<CurvePoint>,
    /// Numbers at risk.
    pub at_risk: Vec<AtRisk>,
    /// One entry per study: the provenance shared by its rows.
    pub studies: BTreeMap<StudyId, StudySource>,
    /// Claims of a draft to audit against the figures.
    pub claims: Vec<super::Claim>,
}

/// The evidence tables an analysis kind reads. Its cache key hashes exactly
/// these rows, and its overlap rule looks at them, so a kind that reads a
/// table it does not declare would be reused stale after an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reads {
    /// Figures matching the selection.
    pub figures: bool,
    /// Case rows matching the selection.
    pub cases: bool,
    /// Of every selected study with digitised curves: its curve points,
    /// numbers at risk and reported figures (the reconstruction checks).
    pub digitised: bool,
    /// The claims table.
    pub claims: bool,
}

impl Reads {
    /// Figures only.
    pub const FIGURES: Reads = Reads {
        figures: true,
        cases: false,
        digitised: false,
        claims: false,
    };
    /// Case rows only.
    pub const CASES: Reads = Reads {
        figures: false,
        cases: true,
        digitised: false,
        claims: false,
    };
    /// These reads and the digitised curves of the selected studies.
    pub const fn and_digitised(self) -> Reads {
        Reads {
            digitised: true,
            ..self
        }
    }
    /// These reads and the claims table.
    pub const fn and_claims(self) -> Reads {
        Reads {
            claims: true,
            ..self
        }
    }
}

/// The cohorts that figures of two or more different studies declare: each
/// with the positions (in the order given) of its figures. A cohort only
/// one study reports is left out: subgroups of one study (its primary and
/// metastatic cases) are disjoint parts of it, not a second count.
pub fn shared_cohorts<'a>(
    figures: impl IntoIterator<Item = &'a Figure>,
) -> BTreeMap<&'a str, Vec<usize>> {
    let mut by_cohort: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut studies: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (i, f) in figures.into_iter().enumerate() {
        if let Some(c) = f.cohort.as_deref() {
            by_cohort.entry(c).or_default().push(i);
            let ids = studies.entry(c).or_default();
            if !ids.contains(&f.study_id.as_str()) {
                ids.push(&f.study_id);
            }
        }
    }
    by_cohort.retain(|c, _| studies[c].len() > 1);
    by_cohort
}

/// Bibliographic identity of a study, gathered from all its rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudySource {
    /// Display label given in the data.
    pub label: Option<String>,
    /// Full citation.
    pub citation: Option<String>,
    /// Year.
    pub year: Option<i32>,
    /// DOI.
    pub doi: Option<String>,
    /// PMID.
    pub pmid: Option<String>,
}

impl StudySource {
    /// A short label such as "Contartese 2022": the `study_label` given in the
    /// data, else the first author's surname and the year, else the study id.
    pub fn short_label(&self, study_id: &str) -> String {
        if let Some(l) = &self.label {
            return l.clone();
        }
        let author = self.citation.as_deref().and_then(|c| {
            let first = c.trim().split([' ', ',']).next()?;
            let ok = first.chars().next().is_some_and(char::is_alphabetic) && first.len() > 1;
            ok.then(|| first.to_string())
        });
        match (author, self.year) {
            (Some(a), Some(y)) => format!("{a} {y}"),
            (Some(a), None) => a,
            (None, _) => study_id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_label_from_citation() {
        let s = StudySource {
            citation: Some("Contartese D, Bandiera S. Title".into()),
            year: Some(2022),
            ..Default::default()
        };
        assert_eq!(s.short_label("contartese2022"), "Contartese 2022");
        let s = StudySource {
            citation: Some("[Authors not visible] Title".into()),
            year: Some(2020),
            ..Default::default()
        };
        assert_eq!(s.short_label("x2020"), "x2020");
    }

    #[test]
    fn a_cohort_is_shared_when_two_studies_declare_it() {
        let with = |study: &str, cohort: Option<&str>| Figure {
            cohort: cohort.map(String::from),
            ..Figure::example(study, 20.0, 10)
        };
        let figures = [
            with("a", Some("c1")),
            with("a", Some("c2")),
            with("a", Some("c2")), // one study's two subgroups: not shared
            with("b", Some("c1")),
            with("b", None),
        ];
        let shared = shared_cohorts(&figures);
        assert_eq!(shared.len(), 1);
        assert_eq!(shared["c1"], [0, 3]);
    }
}
