//! `compare`: reported estimates side by side in one figure — point, CI (or
//! IQR, or range) where given, labelled with study, group and n, grouped under
//! headings. Nothing is pooled: this is the first review figure.
//!
//! The steps: the selected figures ([`selected`]), checked to share one
//! unit; put in display order under their headings ([`layout`]); named
//! ([`words`]); drawn, tabulated and described ([`tables`]).

mod layout;
mod tables;
mod words;

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde::Deserialize;

use crate::analysis::Kind;
use crate::domain::{parsed_as_vocab, Evidence, Figure, Reads, StudySource, Unit, Vocab};
use crate::plot::{render_compare_svg, CompareGroup, ComparePlot, Scale};
use crate::project::AnalysisSpec;

use super::evidence_table::selected;
use super::{AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns;
use layout::{in_display_order, plot_groups, Details};
use words::Words;

/// What rows are grouped under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum GroupBy {
    /// Population label (default).
    #[default]
    Population,
    /// Outcome.
    Outcome,
    /// Study.
    Study,
    /// No headings.
    None,
}

impl Vocab for GroupBy {
    const WHAT: &'static str = "group_by";
    const ALL: &'static [(&'static str, Self)] = &[
        ("population", Self::Population),
        ("outcome", Self::Outcome),
        ("study", Self::Study),
        ("none", Self::None),
    ];
}

parsed_as_vocab!(GroupBy);

/// Options of `compare`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// Grouping of rows.
    #[serde(default)]
    group_by: GroupBy,
    /// Axis label (default from outcome, statistic and unit).
    x_label: Option<String>,
    /// Line under the title.
    subtitle: Option<String>,
    /// PNG resolution (default: the project's, 300 dpi).
    dpi: Option<u32>,
}

/// Reported medians or proportions side by side in one figure.
pub(crate) struct Compare;

impl Kind for Compare {
    type Options = Options;
    const READS: Reads = Reads::FIGURES;
    const WARNS_SHARED_COHORTS: bool = true;

    fn plan(
        spec: &AnalysisSpec,
        _options: &Options,
        evidence: &Evidence,
        data_ok: bool,
        p: &mut crate::analysis::plan::Planned,
    ) {
        crate::analysis::plan::common(spec, Self::READS, evidence, data_ok, p);
        if data_ok && p.errors.is_empty() {
            let rows: Vec<&Figure> = evidence
                .figures
                .iter()
                .filter(|f| spec.select.matches_figure(f))
                .collect();
            if let Err(AnalysisError::Spec(e)) = one_unit(spec, &rows) {
                p.errors.push(e);
            }
        }
    }

    fn run(
        spec: &AnalysisSpec,
        opts: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let rows = selected(spec, evidence)?;
        one_unit(spec, &rows)?;
        let empty = StudySource::default();
        let source = |f: &Figure| evidence.studies.get(&f.study_id).unwrap_or(&empty);
        let ordered = in_display_order(&rows, opts.group_by, &source);
        let groups = plot_groups(
            &ordered,
            opts.group_by,
            Details::of(&rows, opts.group_by),
            &source,
        );
        let words = Words::of(&rows);
        let plot = compare_plot(spec, &opts, &words, rows[0].unit, groups);
        let spec = with_dpi(spec, opts.dpi);
        let mut files = super::figure_files(&spec, "compare", render_compare_svg(&plot))?.to_vec();
        let data = tables::plot_data(&ordered, &plot, &source);
        files.push(OutputFile::csv(&spec, "compare.csv", &data)?);
        let studies = columns::study_ids(rows.iter().map(|f| f.study_id.as_str()));
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: plot.title.clone(),
            files,
            summary: format!("{} figures from {} studies", rows.len(), studies.len()),
            report: tables::report(&spec, &plot.title, &ordered, &rows, &words, &source),
            studies,
            methods: tables::methods(),
        })
    }
}

/// Refuses figures in different units: they cannot share one axis.
fn one_unit(spec: &AnalysisSpec, rows: &[&Figure]) -> Result<(), AnalysisError> {
    let units: BTreeSet<&str> = rows.iter().map(|f| f.unit.name()).collect();
    if units.len() > 1 {
        return Err(spec
            .error(
                format!(
                    "selects figures in different units ({}) that cannot share one axis",
                    units.into_iter().collect::<Vec<_>>().join(", ")
                ),
                "narrow select.statistic or select.outcome so that all figures are times, or all proportions, or all ratios".into(),
            )
            .into());
    }
    Ok(())
}

/// The figure: titles and headers from `words`, a log axis with a line at 1
/// for ratios, a linear one otherwise.
fn compare_plot(
    spec: &AnalysisSpec,
    opts: &Options,
    words: &Words,
    unit: Unit,
    groups: Vec<CompareGroup>,
) -> ComparePlot {
    ComparePlot {
        reference: (unit == Unit::Ratio).then_some(1.0),
        footnote: None,
        title: super::title(spec, &words.title()),
        subtitle: opts.subtitle.clone(),
        x_label: opts.x_label.clone().unwrap_or_else(|| words.x_label()),
        value_header: words.value_header(),
        label_header: "Study · group".into(),
        estimate_name: words.statistic.clone(),
        scale: if unit == Unit::Ratio {
            Scale::Log
        } else {
            Scale::Linear
        },
        groups,
    }
}

/// The spec with the analysis' own `dpi`, which wins over the project's.
fn with_dpi(spec: &AnalysisSpec, dpi: Option<u32>) -> Cow<'_, AnalysisSpec> {
    match dpi {
        Some(dpi) => {
            let mut s = spec.clone();
            s.dpi = dpi;
            Cow::Owned(s)
        }
        None => Cow::Borrowed(spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_by_defaults_to_population_and_reads_its_four_words() {
        assert_eq!(Options::default().group_by, GroupBy::Population);
        assert_eq!("Outcome".parse::<GroupBy>(), Ok(GroupBy::Outcome));
        assert_eq!("none".parse::<GroupBy>(), Ok(GroupBy::None));
        let err = "studdy".parse::<GroupBy>().unwrap_err();
        assert_eq!(
            err,
            "unknown group_by 'studdy' (did you mean 'study'?); use population, outcome, study, none"
        );
    }

    #[test]
    fn options_read_group_by_as_a_word_and_refuse_unknown_ones() {
        let o: Options = toml::from_str("group_by = \"study\"\ndpi = 150").unwrap();
        assert_eq!((o.group_by, o.dpi), (GroupBy::Study, Some(150)));
        let err = toml::from_str::<Options>("group_by = \"populaton\"").unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown group_by 'populaton' (did you mean 'population'?)"),
            "{err}"
        );
    }
}
