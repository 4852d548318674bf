//! The kinds that analyse patients: `km` (case-report and reconstructed
//! patients → curves, group test), `cox` (proportional hazards) and
//! `reconstruct` (digitised curves → Guyot patients, QA). Each builds
//! [`crate::workflow::survival::patients::Patients`] and calls the same
//! survival workflow as `survlit km`/`cox`/`reconstruct`.
//!
//! What the three share lives here: where patients come from ([`Source`]),
//! a study's identity, a table written as a CSV file and the "Left out"
//! section of a report.

pub mod cox;
#[cfg(test)]
mod fixtures;
pub mod km;
pub mod pooled;
pub mod reconstruct;
pub mod tables;

use crate::domain::{parsed_as_vocab, Evidence, StudySource, Unit, Vocab};
use crate::present::km::TimeAxis;

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

/// The time axis the `km` and `reconstruct` options ask for: breaks and
/// end in `unit` (months unless set; the data are in months), its title.
pub(crate) fn time_axis(
    breaks: Option<Vec<f64>>,
    max: Option<f64>,
    label: Option<String>,
    unit: Option<&str>,
) -> Result<TimeAxis, String> {
    let unit = match unit {
        None => Unit::Months,
        Some(u) => Unit::parse_or_explain(u).map_err(|e| format!("options.time_unit: {e}"))?,
    };
    let months = unit.months_factor().ok_or_else(|| {
        format!("options.time_unit: '{unit}' is not a time unit (use days, weeks, months or years)")
    })?;
    Ok(TimeAxis {
        breaks,
        max,
        label,
        unit: unit.to_string(),
        scale: 1.0 / months,
    })
}

/// "1 event", "2 events".
pub(crate) fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
