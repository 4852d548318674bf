//! Analyses: each kind turns the selected evidence into output files and a
//! report section. Kinds live in one file each; adding a kind (pool, km,
//! reconstruct, medians) adds a file and a variant, and touches no other kind.
//!
//! An analysis orchestrates: select rows → (statistics from [`crate::stats`]
//! when the kind needs them) → presentation data → [`crate::plot`] and
//! [`crate::export`]. It does no file I/O: it returns bytes.

mod case_checks;
mod case_table;
pub mod claims_audit;
mod columns;
mod compare;
mod cox_kind;
pub mod curve_input;
pub mod design;
pub mod effects;
mod evidence_table;
mod figure_effects;
pub mod forest;
pub mod format;
mod km;
mod km_pooled;
mod km_tables;
pub mod median_summaries;
mod medians_contrast;
mod medians_kind;
mod medians_routes;
mod medians_tables;
pub mod methods;
mod overlap;
pub mod patients;
mod pool;
mod pool_design;
pub mod pool_figures;
mod pool_metafor;
mod pool_methods;
mod pool_options;
mod pool_sensitivity;
mod pool_tables;
pub mod pooling;
mod reconstruct_checks;
mod reconstruct_kind;
pub mod reconstruction;
pub mod survival_fits;
mod swimmer;

use crate::domain::Evidence;
pub use methods::{Methods, Ref};

use crate::export::ExportError;
use crate::plot::PlotError;
use crate::project::{AnalysisKind, AnalysisSpec, ProjectError};

/// One file an analysis writes under `reports/<analysis>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// File name within the analysis folder.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
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

/// Runs one analysis on validated evidence.
pub fn run(spec: &AnalysisSpec, evidence: &Evidence) -> Result<AnalysisOutput, AnalysisError> {
    let select_warnings = spec
        .select
        .check(evidence)
        .map_err(|(m, f)| spec.error(m, f))?;
    let overlap = overlap::apply(spec, evidence);
    let evidence = overlap.evidence.as_ref().unwrap_or(evidence);
    let mut out = match spec.kind {
        AnalysisKind::EvidenceTable => evidence_table::run(spec, evidence)?,
        AnalysisKind::CaseTable => case_table::run(spec, evidence)?,
        AnalysisKind::Compare => compare::run(spec, evidence)?,
        AnalysisKind::Pool => pool::run(spec, evidence)?,
        AnalysisKind::Km => km::run(spec, evidence)?,
        AnalysisKind::Reconstruct => reconstruct_kind::run(spec, evidence)?,
        AnalysisKind::Cox => cox_kind::run(spec, evidence)?,
        AnalysisKind::Medians => medians_kind::run(spec, evidence)?,
        AnalysisKind::ClaimsAudit => claims_audit::run(spec, evidence)?,
    };
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
        OutputFile {
            name: format!("{stem}.svg"),
            bytes: svg.into_bytes(),
        },
        OutputFile {
            name: format!("{stem}.png"),
            bytes: png,
        },
        OutputFile {
            name: format!("{stem}.pdf"),
            bytes: pdf,
        },
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
