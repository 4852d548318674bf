//! `evidence-table`: the selected figures as one tidy table with provenance.

use crate::analysis::Kind;
use crate::domain::Reads;
use serde::Deserialize;

use crate::domain::{Evidence, Figure, StudySource, Vocab};
use crate::export::{markdown_table, Table};
use crate::project::AnalysisSpec;

use super::{title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns::{self, Sourced};
use crate::present::format::{estimate_with_unit, n_text, source_text, statistic_words};

/// Options of `evidence-table` (none yet; unknown keys are errors).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {}

/// Selected figures in a stable, readable order; selecting none is an error
/// (a typo in the selection must not produce an empty analysis).
pub(super) fn selected<'a>(
    spec: &AnalysisSpec,
    evidence: &'a Evidence,
) -> Result<Vec<&'a Figure>, AnalysisError> {
    let mut rows: Vec<&Figure> = evidence
        .figures
        .iter()
        .filter(|f| spec.select.matches_figure(f))
        .collect();
    if rows.is_empty() {
        return Err(spec
            .error(
                "select matches no figures".into(),
                "loosen [analysis.select], or check its values against data/figures".into(),
            )
            .into());
    }
    rows.sort_by(|a, b| {
        (a.outcome, a.statistic, &a.study_id, &a.population, &a.group)
            .cmp(&(b.outcome, b.statistic, &b.study_id, &b.population, &b.group))
            .then(
                a.time_point
                    .unwrap_or(-1.0)
                    .total_cmp(&b.time_point.unwrap_or(-1.0)),
            )
    });
    Ok(rows)
}

/// A tidy table of the selected figures with provenance.
pub(crate) struct EvidenceTable;

impl Kind for EvidenceTable {
    type Options = Options;
    const READS: Reads = Reads::FIGURES;

    fn run(
        spec: &AnalysisSpec,
        _options: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let rows = selected(spec, evidence)?;
        let empty = StudySource::default();
        let source = |f: &Figure| evidence.studies.get(&f.study_id).unwrap_or(&empty);
        let csv = OutputFile::csv(spec, "evidence.csv", &figure_table(&rows, &source))?;

        let md_rows: Vec<Vec<String>> = rows
            .iter()
            .map(|f| {
                let s = source(f);
                let tp = f
                    .time_point
                    .map(|t| format!(" at {} months", crate::present::format::num(t, 2)))
                    .unwrap_or_default();
                vec![
                    s.short_label(&f.study_id),
                    f.outcome.name().replace('_', " "),
                    if f.group == "all" {
                        f.population.clone()
                    } else {
                        format!("{} · {}", f.population, f.group)
                    },
                    format!("{}{tp}", statistic_words(f.statistic)),
                    estimate_with_unit(f),
                    n_text(f),
                    f.time_origin.clone().unwrap_or_default(),
                    source_text(
                        f.provenance.source_location.as_deref(),
                        s.doi.as_deref(),
                        s.pmid.as_deref(),
                    ),
                ]
            })
            .collect();
        let heading = title(spec, "Evidence table");
        let table = markdown_table(
            &[
                "Study",
                "Outcome",
                "Population · group",
                "Statistic",
                "Estimate",
                "n",
                "Time origin",
                "Source",
            ],
            &md_rows,
        );
        let md = format!("# {heading}\n\nTimes in months; proportions in percent. Full provenance (citation, quote, notes, confidence) is in `evidence.csv`.\n\n{table}");
        let studies = columns::study_ids(rows.iter().map(|f| f.study_id.as_str()));
        let report = format!(
            "{} figures from {} studies: [evidence.md]({name}/evidence.md) · [evidence.csv]({name}/evidence.csv)\n",
            rows.len(),
            studies.len(),
            name = spec.name
        );
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files: vec![
                csv,
                OutputFile::new("evidence.md", md.into_bytes()),
            ],
            summary: format!("{} figures from {} studies", rows.len(), studies.len()),
            report,
            studies,
            methods: super::Methods::new(
                format!(
                    "Reported figures are tabulated as extracted, in canonical units (months, proportions shown in percent), with their citation, DOI/PMID, location in the source and the quoted sentence. Nothing is estimated. {}",
                    crate::present::methods::software("")
                ),
                &[],
            ),
        })
    }
}

/// The tidy figures table: every field, canonical units, provenance on every row.
pub(super) fn figure_table<'a>(
    rows: &[&'a Figure],
    source: &dyn Fn(&'a Figure) -> &'a StudySource,
) -> Table {
    let sourced = Sourced::of(rows, source);
    let text =
        |g: &dyn Fn(&Figure) -> Option<String>| rows.iter().map(|f| g(f)).collect::<Vec<_>>();
    let num = |g: &dyn Fn(&Figure) -> Option<f64>| rows.iter().map(|f| g(f)).collect::<Vec<_>>();
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    t.text("outcome", text(&|f| Some(f.outcome.to_string())))
        .text("population", text(&|f| Some(f.population.clone())))
        .text("group", text(&|f| Some(f.group.clone())))
        .text("statistic", text(&|f| Some(f.statistic.to_string())))
        .text("value_status", text(&|f| Some(f.value_status.to_string())))
        .number("value", num(&|f| f.value))
        .text("unit", text(&|f| Some(f.unit.to_string())))
        .number("time_point_months", num(&|f| f.time_point))
        .integer("n", rows.iter().map(|f| f.n).collect())
        .text("n_unit", text(&|f| Some(f.n_unit.to_string())))
        .integer("events", rows.iter().map(|f| f.events).collect())
        .number("ci_lower", num(&|f| f.ci.and_then(|c| c.bounds.lower)))
        .number("ci_upper", num(&|f| f.ci.and_then(|c| c.bounds.upper)))
        .number("ci_level", num(&|f| f.ci.map(|c| c.level)))
        .number("range_min", num(&|f| f.range.and_then(|r| r.lower)))
        .number("range_max", num(&|f| f.range.and_then(|r| r.upper)))
        .number("iqr_lower", num(&|f| f.iqr.and_then(|r| r.lower)))
        .number("iqr_upper", num(&|f| f.iqr.and_then(|r| r.upper)))
        .number("sd", num(&|f| f.sd))
        .text("p_value", text(&|f| f.p_value.map(|p| p.to_string())))
        .text("time_origin", text(&|f| f.time_origin.clone()))
        .text("derivation", text(&|f| f.derivation.clone()))
        .text("reported_value", text(&|f| f.reported_value.clone()))
        .text(
            "reported_unit",
            text(&|f| Some(f.reported_unit.to_string())),
        );
    columns::location(&mut t, &sourced);
    t.text("population_detail", text(&|f| f.population_detail.clone()))
        .text(
            "tags",
            text(&|f| (!f.tags.is_empty()).then(|| f.tags.join(";"))),
        );
    columns::data_origin(&mut t, &sourced);
    t
}
