//! Orchestration: project → ingest → validate → analyses → report, and the
//! all-or-nothing write of `reports/`.
//!
//! Nothing is written unless every table validates and every analysis runs:
//! outputs are assembled in memory, written to a temporary folder beside
//! `reports/`, and swapped in with renames, so a failed run leaves the previous
//! reports untouched and no partial report behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::analysis::{self, AnalysisError, AnalysisOutput};
use crate::domain::Evidence;
use crate::ingest::{read_table, IngestError, RawTable};
use crate::project::{self, Project, ProjectError, TableFile};
use crate::report;
use crate::validate::{error_count, validate, Diagnostic, RawTables};

/// Name of the output folder under the project root.
pub const REPORTS_DIR: &str = "reports";

/// Why a run (or check) stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// survlit.toml is missing or wrong.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A data file could not be read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The data has errors; every diagnostic is listed.
    #[error("the data has {} error(s); nothing was written", error_count(.diagnostics))]
    Invalid {
        /// All diagnostics, errors first.
        diagnostics: Vec<Diagnostic>,
    },
    /// An analysis failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// Writing reports failed.
    #[error("writing {path}: {source}")]
    Write {
        /// What was being written.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
}

/// A project with its validated evidence.
#[derive(Debug)]
pub struct Loaded {
    /// The project file.
    pub project: Project,
    /// Validated records (rows with errors left out).
    pub evidence: Evidence,
    /// Every diagnostic, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads survlit.toml and every data table, and validates them.
pub fn load(root: &Path) -> Result<Loaded, RunError> {
    let project = project::load(root)?;
    let d = &project.data;
    if d.figures.is_none() && d.cases.is_none() {
        return Err(ProjectError {
            file: project::PROJECT_FILE.into(),
            line: 1,
            message: "[data] names no figures or cases table".into(),
            fix: "add figures = \"data/figures.csv\" (and/or cases = ...) under [data]".into(),
        }
        .into());
    }
    let read = |t: &Option<TableFile>| -> Result<Option<RawTable>, IngestError> {
        let Some(t) = t else { return Ok(None) };
        match read_table(&root.join(&t.path), &t.display(), t.sheet.as_deref()) {
            Ok(table) => Ok(Some(table)),
            Err(IngestError::MissingSheet { .. }) if t.optional => Ok(None),
            Err(IngestError::Io { source, .. }) => Err(IngestError::Io {
                path: PathBuf::from(&t.path),
                source,
            }),
            Err(other) => Err(other),
        }
    };
    let raw = RawTables {
        figures: read(&d.figures)?,
        cases: read(&d.cases)?,
        curves: read(&d.curves)?,
        at_risk: read(&d.at_risk)?,
    };
    if raw.figures.is_none() && raw.cases.is_none() {
        return Err(ProjectError { file: project::PROJECT_FILE.into(), line: 1, message: "the workbook has neither a 'figures' nor a 'cases' sheet".into(), fix: "name the sheets figures, cases, curves and at_risk, or name each table under [data]".into() }.into());
    }
    let (evidence, diagnostics) = validate(&raw);
    Ok(Loaded {
        project,
        evidence,
        diagnostics,
    })
}

/// The result of a successful run.
#[derive(Debug)]
pub struct RunOutcome {
    /// Project and evidence.
    pub loaded: Loaded,
    /// Each analysis' outputs, in project order.
    pub outputs: Vec<AnalysisOutput>,
    /// The reports folder written.
    pub reports_dir: PathBuf,
}

/// Runs every analysis and writes `reports/`.
pub fn run(root: &Path) -> Result<RunOutcome, RunError> {
    run_with(root, None)
}

/// [`run`], with the PNG resolution of every figure set (`survlit run --dpi`).
pub fn run_with(root: &Path, dpi: Option<u32>) -> Result<RunOutcome, RunError> {
    let mut loaded = load(root)?;
    if let Some(dpi) = dpi {
        for a in &mut loaded.project.analyses {
            a.dpi = dpi;
        }
    }
    if error_count(&loaded.diagnostics) > 0 {
        return Err(RunError::Invalid {
            diagnostics: loaded.diagnostics,
        });
    }
    let outputs = loaded
        .project
        .analyses
        .iter()
        .map(|spec| analysis::run(spec, &loaded.evidence))
        .collect::<Result<Vec<_>, _>>()?;
    let files = assemble(&loaded, &outputs);
    let reports_dir = root.join(REPORTS_DIR);
    write_reports(root, &files)?;
    Ok(RunOutcome {
        loaded,
        outputs,
        reports_dir,
    })
}

/// Every output file keyed by its path under `reports/`.
pub fn assemble(loaded: &Loaded, outputs: &[AnalysisOutput]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for o in outputs {
        for f in &o.files {
            files.insert(format!("{}/{}", o.name, f.name), f.bytes.clone());
        }
    }
    let md = report::index_markdown(
        &loaded.project,
        &loaded.evidence,
        &loaded.diagnostics,
        outputs,
    );
    let html = report::index_html(&loaded.project.title, &md, &files);
    files.insert("index.md".into(), md.into_bytes());
    files.insert("index.html".into(), html.into_bytes());
    files
}

/// Writes all files into a fresh temporary folder, then swaps it in for `reports/`.
fn write_reports(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), RunError> {
    let pid = std::process::id();
    let tmp = root.join(format!(".{REPORTS_DIR}.tmp-{pid}"));
    let old = root.join(format!(".{REPORTS_DIR}.old-{pid}"));
    let reports = root.join(REPORTS_DIR);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RunError::Write { path, source }
    };
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    for (rel, bytes) in files {
        let path = tmp.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    if reports.exists() {
        std::fs::rename(&reports, &old).map_err(io(&reports))?;
    }
    std::fs::rename(&tmp, &reports).map_err(io(&reports))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}
