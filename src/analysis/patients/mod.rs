//! The kinds that analyse patients: `km` (case-report and reconstructed
//! patients → curves, group test), `cox` (proportional hazards) and
//! `reconstruct` (digitised curves → Guyot patients, QA). Each builds
//! [`crate::workflow::survival::patients::Patients`] and calls the same
//! survival workflow as `survlit km`/`cox`/`reconstruct`.
//!
//! What the three share lives here: where patients come from ([`Source`]),
//! a study's identity, a table written as a CSV file and the "Left out"
//! section of a report.

pub mod compare;
pub mod cox;
#[cfg(test)]
mod fixtures;
pub mod km;
pub mod km_text;
pub mod plan;
pub mod pooled;
pub mod reconstruct;
pub mod tables;

use serde::Deserialize;

use crate::analysis::plan::Planned;
use crate::domain::{parsed_as_vocab, Evidence, StudySource, Unit, Vocab};
use crate::present::km::TimeAxis;
use crate::project::AnalysisSpec;

/// Where the patients of `km` and `cox` come from (their `sources` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The selected case reports (`[data] cases`).
    Cases,
    /// Every selected digitised arm, rebuilt as the `reconstruct` kind does.
    Reconstructed,
}

impl Vocab for Source {
    const WHAT: &'static str = "source";
    const ALL: &'static [(&'static str, Self)] = &[
        ("cases", Self::Cases),
        ("reconstructed", Self::Reconstructed),
    ];
}

parsed_as_vocab!(Source);

/// The sources when the options name none: case reports only.
pub(crate) const DEFAULT_SOURCES: &[Source] = &[Source::Cases];

/// The identity of a study with no bibliographic row: every field empty, so
/// that its label falls back to the study id.
static NO_STUDY: StudySource = StudySource {
    label: None,
    citation: None,
    year: None,
    doi: None,
    pmid: None,
};

/// A study's identity gathered from the evidence (empty when it has none).
pub(crate) fn study_source<'e>(evidence: &'e Evidence, study_id: &str) -> &'e StudySource {
    evidence.studies.get(study_id).unwrap_or(&NO_STUDY)
}

/// The time-axis options of `km` and `reconstruct` (each kind's options
/// hold these fields, read by the functions below so that a bad value is
/// an error of the option, with its line, in `survlit check` as in `run`).
#[derive(Debug, Clone, Default)]
pub(crate) struct TimeOptions {
    /// Ticks, in `time_unit` (default automatic).
    pub time_breaks: Option<Vec<f64>>,
    /// Where the axis ends, in `time_unit` (default the last follow-up).
    pub time_max: Option<f64>,
    /// Axis title (default from the data).
    pub time_label: Option<String>,
    /// Unit shown: days, weeks, months (default) or years.
    pub time_unit: Option<Unit>,
}

/// `time_breaks`: increasing times from 0 or later.
pub(crate) fn increasing_times<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<f64>>, D::Error> {
    let b = Vec::<f64>::deserialize(d)?;
    if b.is_empty()
        || b.iter().any(|t| !(t.is_finite() && *t >= 0.0))
        || b.windows(2).any(|w| w[1] <= w[0])
    {
        return Err(serde::de::Error::custom(format!(
            "time_breaks {b:?} must be increasing times from 0 or later"
        )));
    }
    Ok(Some(b))
}

/// `time_max`: a positive time.
pub(crate) fn positive_time<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<f64>, D::Error> {
    let m = f64::deserialize(d)?;
    if !(m.is_finite() && m > 0.0) {
        return Err(serde::de::Error::custom(format!(
            "time_max {m} must be a positive number"
        )));
    }
    Ok(Some(m))
}

/// `time_unit`: a unit of time.
pub(crate) fn time_unit<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Unit>, D::Error> {
    let text = String::deserialize(d)?;
    let unit = Unit::parse_or_explain(&text).map_err(serde::de::Error::custom)?;
    if unit.months_factor().is_none() {
        return Err(serde::de::Error::custom(format!(
            "time_unit '{unit}' is not a unit of time (use days, weeks, months or years)"
        )));
    }
    Ok(Some(unit))
}

/// The time axis the `km` and `reconstruct` options ask for: breaks and
/// end in `unit` (months unless set; the data are in months), its title.
pub(crate) fn time_axis(t: &TimeOptions) -> TimeAxis {
    let unit = t.time_unit.unwrap_or(Unit::Months);
    let months = unit.months_factor().unwrap_or(1.0);
    let (breaks, max, label) = (t.time_breaks.clone(), t.time_max, t.time_label.clone());
    TimeAxis {
        breaks,
        max,
        label,
        unit: unit.to_string(),
        scale: 1.0 / months,
    }
}

/// The message and fix when no selected digitised arm can be reconstructed
/// (shared by `reconstruct`'s run and the plans).
pub(crate) fn no_arms(skipped: &[String]) -> (String, String) {
    let mut m = "no digitised curve with numbers at risk is selected".to_string();
    if !skipped.is_empty() {
        m.push_str(&format!(" ({})", skipped.join("; ")));
    }
    (
        m,
        "add curves and at_risk tables under [data], or widen select.study".into(),
    )
}

/// The time-axis options against the data's last time (data units), as
/// the figure lays them out: an error at the option that leaves no tick.
pub(crate) fn time_options(spec: &AnalysisSpec, t: &TimeOptions, last: f64, p: &mut Planned) {
    if let Err(m) = time_axis(t).ticks_and_end(last) {
        let key = if m.starts_with("time_max") {
            "time_max"
        } else {
            "time_breaks"
        };
        let m = if m.starts_with(key) {
            format!("options.{m}")
        } else {
            format!("options.{key}: {m}")
        };
        p.error(
            spec,
            spec.option_line(key),
            m,
            "fix the time-axis options".into(),
        );
    }
}

/// "Left out:" and its Markdown list, or nothing when the list is empty.
pub(crate) fn left_out_section(list: &str) -> String {
    if list.is_empty() {
        String::new()
    } else {
        format!("Left out:\n\n{list}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Sources {
        sources: Vec<Source>,
    }

    #[test]
    fn sources_parse_case_reports_and_reconstructed_patients() {
        let s: Sources = toml::from_str(r#"sources = ["cases", "reconstructed"]"#).unwrap();
        assert_eq!(s.sources, [Source::Cases, Source::Reconstructed]);
        assert_eq!(DEFAULT_SOURCES, [Source::Cases]);
    }

    #[test]
    fn an_unknown_source_is_refused_with_the_allowed_ones() {
        let e = toml::from_str::<Sources>(r#"sources = ["case"]"#).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("unknown source 'case'"), "{m}");
        assert!(m.contains("use cases, reconstructed"), "{m}");
    }

    #[test]
    fn a_study_without_identity_is_labelled_by_its_id() {
        let evidence = Evidence::default();
        assert_eq!(
            study_source(&evidence, "smith2020").short_label("smith2020"),
            "smith2020"
        );
    }

    #[test]
    fn nothing_left_out_writes_no_section() {
        assert_eq!(left_out_section(""), "");
        assert_eq!(left_out_section("- a: b\n"), "Left out:\n\n- a: b\n\n");
    }
}
