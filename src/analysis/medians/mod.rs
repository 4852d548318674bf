//! `medians`: reported median survival figures, each with the route its
//! numbers allow (McGrath et al. 2025 and the a–d):
//!
//! - (a) a median with a CI → Wald SE from the CI;
//! - (b) a median with the number of events, no CI → SE under an
//!   exponential model, SE(log median) = 1/√d (model-based, flagged);
//! - (c) a median with n only → usable by median-of-medians methods only;
//! - (d) "not reached" → never a number: listed, never pooled.
//!
//! Figures that declare the same `cohort` count the same patients: the kind
//! refuses to pool them together and says which to drop. A pooled estimate
//! is given only for what is left — inverse-variance on the median scale
//! (`wald`, REML by default), or the (weighted) median of medians (`mm`,
//! `wmm`) — and with fewer than two figures the report says why nothing was
//! pooled. Writes `medians.csv` (every figure, its route and status, with
//! provenance), a figure, and the report section.
//!
//! A run, step by step: the typed [`options`] → the figures read, each with
//! its route and status (`rows`) → studies sharing a cohort
//! ([`cohorts`]) → the pool (`pooling`) → [`tables`] and the figure → the
//! report section (`report`) → the [`methods`] paragraph. With `contrast`,
//! [`contrast`] pairs the arms of each study instead.

use crate::analysis::Kind;
use crate::domain::{parsed_as_vocab, Evidence, Figure, Reads, StudySource, Vocab};
use crate::export::Table;
use crate::plot::render_compare_svg;
use crate::project::AnalysisSpec;

use super::evidence_table::selected;
use super::{figure_files, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns;
use crate::workflow::medians::routes::Route;
use options::Options;
use report::Section;

pub mod cohorts;
pub mod contrast;
#[cfg(test)]
mod fixtures;
pub mod methods;
pub mod options;
mod plan;
mod pooling;
mod report;
mod rows;
pub mod tables;

pub(crate) use methods::method_name;

/// How the figures are pooled (`method = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// Inverse variance on the median scale, each SE from a CI or events.
    Wald,
    /// The median of the reported medians.
    Mm,
    /// The median of the reported medians, weighted by n.
    Wmm,
    /// Means of a continuous outcome, medians converted to mean/SD.
    Mean,
}

impl Vocab for Method {
    const WHAT: &'static str = "method";
    const ALL: &'static [(&'static str, Self)] = &[
        ("wald", Method::Wald),
        ("mm", Method::Mm),
        ("wmm", Method::Wmm),
        ("mean", Method::Mean),
    ];
}

parsed_as_vocab!(Method);

/// One figure's place in the analysis.
pub(crate) struct Row<'a> {
    /// The figure.
    pub(crate) figure: &'a Figure,
    /// The route its numbers allow.
    pub(crate) route: Route,
    /// Why it is not pooled (None: pooled).
    pub(crate) status: Option<String>,
    /// Weight in percent, when pooled.
    pub(crate) weight: Option<f64>,
}

/// A pooled estimate, its footnote and its `pooled.csv`.
pub(crate) struct Pooled {
    /// Figures pooled.
    pub(crate) k: usize,
    /// The estimate, in the figures' unit.
    pub(crate) estimate: f64,
    /// Lower 95% CI bound.
    pub(crate) lower: f64,
    /// Upper 95% CI bound.
    pub(crate) upper: f64,
    /// The model or CI method, for the result line and the figure.
    pub(crate) footnote: String,
    /// `pooled.csv`.
    pub(crate) table: Table,
}

/// What the pooling step came to.
pub(crate) enum Outcome {
    /// An estimate.
    Pooled(Pooled),
    /// Nothing pooled: the sentence that says why.
    NotPooled(String),
}

impl Outcome {
    /// The estimate, when there is one.
    pub(crate) fn pooled(&self) -> Option<&Pooled> {
        match self {
            Outcome::Pooled(p) => Some(p),
            Outcome::NotPooled(_) => None,
        }
    }
}

/// A figure's key in `options.exclude`: `study_id/group`.
fn key(f: &Figure) -> String {
    format!("{}/{}", f.study_id, f.group)
}

/// A figure as the report names it: the study's short label and the group.
pub(crate) fn figure_label<'s>(f: &Figure, source: &dyn Fn(&str) -> &'s StudySource) -> String {
    format!(
        "{} ({})",
        source(&f.study_id).short_label(&f.study_id),
        f.group
    )
}

/// Reported medians: routes, overlaps, pooled where defensible.
pub(crate) struct Medians;

impl Kind for Medians {
    type Options = Options;
    const READS: Reads = Reads::FIGURES;

    fn plan(
        spec: &AnalysisSpec,
        o: &Options,
        evidence: &Evidence,
        data_ok: bool,
        planned: &mut crate::analysis::plan::Planned,
    ) {
        plan::plan(spec, o, evidence, data_ok, planned);
    }

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let figures = rows::read_figures(selected(spec, evidence)?, o.method());
        let empty = StudySource::default();
        let source = |id: &str| evidence.studies.get(id).unwrap_or(&empty);
        match o.contrast_spec(spec)? {
            Some(c) => contrast::run(spec, &figures, &c, &source),
            None => run_figures(spec, &o, &figures, &source),
        }
    }
}

/// Every figure with its route and status, the pool where defensible, and
/// what the analysis writes.
fn run_figures<'a>(
    spec: &AnalysisSpec,
    o: &Options,
    figures: &[&'a Figure],
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Result<AnalysisOutput, AnalysisError> {
    let method = o.method();
    rows::check_exclusions(spec, figures, &o.exclude)?;
    let heading = title(
        spec,
        if method == Method::Mean {
            "Pooled mean"
        } else {
            "Median survival"
        },
    );
    let mut rows = rows::rows(figures, o);
    let unit = rows
        .first()
        .map_or_else(|| "months".to_string(), |r| r.figure.unit.to_string());
    let (overlap_notes, blocked) = cohorts::shared_cohorts(&rows, source);
    let model = pooling::Model {
        tau2: o.tau2(),
        test: o.test(),
    };
    let outcome = pooling::pool(spec, &mut rows, method, model, &blocked, &unit)?;
    let files = output_files(spec, &heading, &rows, &outcome, method, &unit, source)?;
    let section = Section {
        heading: &heading,
        method,
        unit: &unit,
        overlap_notes: &overlap_notes,
        note: o.note.as_deref(),
    };
    let report = report::report_markdown(spec, &section, &rows, &outcome, source);
    Ok(AnalysisOutput {
        name: spec.name.clone(),
        kind: spec.kind,
        summary: report::summary(&outcome, rows.len(), method, &unit),
        title: heading,
        files,
        report,
        studies: columns::study_ids(rows.iter().map(|r| r.figure.study_id.as_str())),
        methods: methods::methods(method, o.conversion().text(), outcome.pooled().is_some()),
    })
}

/// `medians.csv`, `pooled.csv` when something was pooled, and the figure.
fn output_files<'a>(
    spec: &AnalysisSpec,
    heading: &str,
    rows: &[Row<'a>],
    outcome: &Outcome,
    method: Method,
    unit: &str,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Result<Vec<OutputFile>, AnalysisError> {
    let csv = |name: &str, table: &Table| OutputFile::csv(spec, name, table);
    let mut files = vec![csv("medians.csv", &tables::medians_table(rows, source))?];
    if let Some(p) = outcome.pooled() {
        files.push(csv("pooled.csv", &p.table)?);
    }
    let plot = tables::medians_plot(heading, rows, outcome.pooled(), method, unit, source);
    files.extend(figure_files(spec, "medians", render_compare_svg(&plot))?);
    Ok(files)
}
