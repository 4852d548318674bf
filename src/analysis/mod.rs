//! Analyses: each `[[analysis]]` kind turns the selected evidence into
//! output files and a report section. A kind is a folder (or a file)
//! implementing [`Kind`] — its typed options, the evidence tables it reads,
//! its run — and one line of the `kinds!` registry below; adding one
//! touches no other kind (ARCHITECTURE.md, "Adding an analysis kind").
//!
//! A kind orchestrates: select rows → a [`crate::workflow`] (statistics) →
//! [`crate::present`] (words, tables, figure data) → [`crate::plot`] and
//! [`crate::export`]. It does no file I/O: it returns bytes.

mod case_table;
pub mod claims_audit;
mod compare;
mod evidence_table;
pub mod medians;
pub mod patients;
pub mod plan;
mod pool;

use crate::domain::{Evidence, Reads};
pub use crate::present::methods::{Methods, Ref};

use crate::export::{ExportError, Schema, Table};
use crate::plot::PlotError;
use crate::project::{AnalysisKind, AnalysisSpec, ProjectError};

/// One file an analysis writes under `reports/<analysis>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// File name within the analysis folder.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
    /// For a CSV, its columns and their types as the table declared them
    /// (its Parquet copy and DICTIONARY.md read this); empty otherwise.
    pub schema: Schema,
}

impl OutputFile {
    /// A file that is not a table (a figure, a script, Markdown).
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes,
            schema: Schema::new(),
        }
    }

    /// A table written as CSV, keeping its schema.
    pub(crate) fn csv(
        spec: &AnalysisSpec,
        name: &str,
        table: &Table,
    ) -> Result<OutputFile, AnalysisError> {
        Ok(OutputFile {
            name: name.into(),
            bytes: crate::export::to_csv(table).map_err(export_err(spec))?,
            schema: table.schema(),
        })
    }
}

/// What an analysis produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisOutput {
    /// The analysis name (folder).
    pub name: String,
    /// Its kind.
    pub kind: AnalysisKind,
    /// Heading.
    pub title: String,
    /// Files to write.
    pub files: Vec<OutputFile>,
    /// One line for the terminal summary.
    pub summary: String,
    /// Markdown body for the report (links are relative to `reports/`).
    pub report: String,
    /// Study ids the analysis used (for the report's sources list).
    pub studies: Vec<String>,
    /// The methods paragraph, its references and the analysis' warnings.
    pub methods: Methods,
}

/// An analysis could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The spec in survlit.toml is wrong (names its line).
    #[error(transparent)]
    Spec(#[from] ProjectError),
    /// A figure failed to render.
    #[error("analysis '{name}': {source}")]
    Plot {
        /// Analysis name.
        name: String,
        /// Cause.
        source: PlotError,
    },
    /// A table failed to export.
    #[error("analysis '{name}': {source}")]
    Export {
        /// Analysis name.
        name: String,
        /// Cause.
        source: ExportError,
    },
}

/// An analysis kind: what it reads, its typed options and its run. Adding a
/// kind is a folder (or file) implementing this and one line in
/// [`kinds!`] below (ARCHITECTURE.md, "Adding an analysis kind").
pub(crate) trait Kind {
    /// Its `[analysis.options]`, typed (`#[serde(deny_unknown_fields)]`).
    type Options: serde::de::DeserializeOwned;
    /// The evidence tables it reads: its cache key and overlap rule follow.
    const READS: Reads;
    /// Under `overlap = "warn"`, whether the studies sharing a cohort are
    /// warned about (a figure comparing them; pooling kinds handle shared
    /// cohorts themselves, tables list rows without comparing them).
    const WARNS_SHARED_COHORTS: bool = false;
    /// Before anything runs (`check`, and `run` before its first analysis):
    /// the problems this kind can see in its spec and the selected evidence.
    /// The default checks the selection, `outputs` and that something is
    /// selected; a kind adds what only it knows (a measure that cannot use
    /// the selected statistics, options its method ignores). `data_ok` is
    /// false when validation found errors (the evidence is then partial, so
    /// only checks that do not depend on it run).
    fn plan(
        spec: &AnalysisSpec,
        options: &Self::Options,
        evidence: &Evidence,
        data_ok: bool,
        planned: &mut plan::Planned,
    ) {
        let _ = options;
        plan::common(spec, Self::READS, evidence, data_ok, planned);
    }
    /// Runs on the evidence (already reduced by the overlap rule) with the
    /// options parsed.
    fn run(
        spec: &AnalysisSpec,
        options: Self::Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError>;
}

/// The registry: one line per kind, `project::AnalysisKind` variant => type.
macro_rules! kinds {
    ($($variant:ident => $kind:ty,)*) => {
        /// The evidence tables a kind reads.
        pub fn reads(kind: AnalysisKind) -> Reads {
            match kind {
                $(AnalysisKind::$variant => <$kind as Kind>::READS,)*
            }
        }

        fn warns_shared_cohorts(kind: AnalysisKind) -> bool {
            match kind {
                $(AnalysisKind::$variant => <$kind as Kind>::WARNS_SHARED_COHORTS,)*
            }
        }

        /// The shared planning step of `check` and `run` (see [`plan`]).
        pub fn plan(spec: &AnalysisSpec, evidence: &Evidence, data_ok: bool) -> plan::Planned {
            let mut planned = plan::Planned::default();
            match spec.kind {
                $(AnalysisKind::$variant => {
                    match spec.options_all::<<$kind as Kind>::Options>() {
                        Ok(o) => <$kind as Kind>::plan(spec, &o, evidence, data_ok, &mut planned),
                        Err(errors) => {
                            planned.errors.extend(errors);
                            plan::common(spec, <$kind as Kind>::READS, evidence, data_ok, &mut planned);
                        }
                    }
                })*
            }
            planned.errors.sort_by_key(|e| e.line);
            planned
        }

        /// Parses an analysis' `[analysis.options]` as its kind's typed
        /// options, without running it.
        pub fn check_options(spec: &AnalysisSpec) -> Result<(), ProjectError> {
            match spec.kind {
                $(AnalysisKind::$variant => spec.options::<<$kind as Kind>::Options>().map(drop),)*
            }
        }

        fn run_kind(spec: &AnalysisSpec, evidence: &Evidence) -> Result<AnalysisOutput, AnalysisError> {
            match spec.kind {
                $(AnalysisKind::$variant => {
                    let options = spec.options::<<$kind as Kind>::Options>()?;
                    <$kind as Kind>::run(spec, options, evidence)
                })*
            }
        }
    };
}

kinds! {
    EvidenceTable => evidence_table::EvidenceTable,
    CaseTable => case_table::CaseTable,
    Compare => compare::Compare,
    Pool => pool::Pool,
    Km => patients::km::Km,
    Reconstruct => patients::reconstruct::Reconstruct,
    Cox => patients::cox::Cox,
    Medians => medians::Medians,
    ClaimsAudit => claims_audit::ClaimsAudit,
}

impl AnalysisError {
    /// A statistic that could not be computed on the analysis' figures (a
    /// model that does not converge, too few studies), located at its entry.
    pub(crate) fn stats<E: std::fmt::Display>(
        spec: &AnalysisSpec,
    ) -> impl Fn(E) -> AnalysisError + '_ {
        move |e| {
            spec.error(e.to_string(), "check the selected figures".into())
                .into()
        }
    }
}

/// Runs one analysis on validated evidence.
pub fn run(spec: &AnalysisSpec, evidence: &Evidence) -> Result<AnalysisOutput, AnalysisError> {
    let planned = plan(spec, evidence, true);
    if let Some(e) = planned.errors.into_iter().next() {
        return Err(e.into());
    }
    let prefix = format!("analysis '{}': ", spec.name);
    let select_warnings = planned.warnings.into_iter().map(|w| {
        let m = w
            .message
            .strip_prefix(&prefix)
            .unwrap_or(&w.message)
            .to_string();
        if w.fix.is_empty() {
            m
        } else {
            format!("{m} ({})", w.fix)
        }
    });
    let overlap = crate::workflow::overlap::apply(
        spec,
        evidence,
        reads(spec.kind),
        warns_shared_cohorts(spec.kind),
    );
    let evidence = overlap.evidence.as_ref().unwrap_or(evidence);
    let mut out = run_kind(spec, evidence)?;
    keep_requested(spec, &mut out)?;
    out.methods.warnings.extend(select_warnings);
    out.methods.warnings.extend(overlap.warnings);
    if !overlap.methods.is_empty() {
        // Before the closing "Computed with survlit …" sentence.
        let text = &mut out.methods.text;
        let at = text.rfind(" Computed with survlit").unwrap_or(text.len());
        text.insert_str(at, &format!(" {}", overlap.methods.join(" ")));
    }
    Ok(out)
}

/// Keeps only the formats listed in `outputs` (all when empty).
fn keep_requested(spec: &AnalysisSpec, out: &mut AnalysisOutput) -> Result<(), AnalysisError> {
    if spec.outputs.is_empty() {
        return Ok(());
    }
    let available: Vec<String> = out
        .files
        .iter()
        .filter_map(|f| f.name.rsplit_once('.').map(|(_, e)| e.to_string()))
        .collect();
    for want in &spec.outputs {
        if !available.iter().any(|a| a == want) {
            return Err(spec
                .error(
                    format!(
                        "outputs: '{want}' is not produced by kind '{}'",
                        spec.kind.name()
                    ),
                    format!("use some of: {}", available.join(", ")),
                )
                .into());
        }
    }
    out.files.retain(|f| {
        f.name
            .rsplit_once('.')
            .is_some_and(|(_, e)| spec.outputs.iter().any(|w| w == e))
    });
    Ok(())
}

/// A figure drawn once as SVG, written as `<stem>.svg`, `<stem>.png` (at
/// the analysis' `dpi`) and `<stem>.pdf`, all from that SVG.
fn figure_files(
    spec: &AnalysisSpec,
    stem: &str,
    svg: Result<String, PlotError>,
) -> Result<[OutputFile; 3], AnalysisError> {
    let dpi = spec.dpi;
    let plot_err = |source| AnalysisError::Plot {
        name: spec.name.clone(),
        source,
    };
    let svg = svg.map_err(plot_err)?;
    let png = crate::plot::svg_to_png(&svg, dpi).map_err(plot_err)?;
    let pdf = crate::plot::svg_to_pdf(&svg).map_err(plot_err)?;
    Ok([
        OutputFile::new(format!("{stem}.svg"), svg.into_bytes()),
        OutputFile::new(format!("{stem}.png"), png),
        OutputFile::new(format!("{stem}.pdf"), pdf),
    ])
}

/// The report title of an analysis.
fn title(spec: &AnalysisSpec, default: &str) -> String {
    spec.title.clone().unwrap_or_else(|| default.to_string())
}

fn export_err(spec: &AnalysisSpec) -> impl Fn(ExportError) -> AnalysisError + '_ {
    move |source| AnalysisError::Export {
        name: spec.name.clone(),
        source,
    }
}
