//! Orchestration: project → ingest → validate → analyses → report, and the
//! all-or-nothing write of `reports/`.
//!
//! Nothing is written unless every table validates and every analysis runs:
//! outputs are assembled in memory, written to a temporary folder beside
//! `reports/`, and swapped in atomically ([`write`]), so a failed or killed
//! run leaves the previous reports whole. Analyses whose inputs did not
//! change are not rerun ([`incremental`]).

mod changes;
pub mod incremental;
mod since;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::analysis::{self, AnalysisError, AnalysisOutput};
use crate::domain::Evidence;
use crate::ingest::{read_table, IngestError, RawTable};
use crate::project::{self, Project, ProjectError, TableFile};
use crate::report;
use crate::validate::{error_count, validate, Diagnostic, Location, RawTables, Severity};

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
    #[error("the project has {}; nothing was written", crate::number::count(error_count(.diagnostics), "error", "errors"))]
    Invalid {
        /// All diagnostics, errors first.
        diagnostics: Vec<Diagnostic>,
    },
    /// An analysis failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// `--since REV`: the reports of that revision could not be read.
    #[error("--since {rev}: {message}")]
    Since {
        /// The revision asked for.
        rev: String,
        /// What git or the manifest said.
        message: String,
    },
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
    /// Every diagnostic, errors first: survlit.toml's (unknown keys,
    /// options, selections, data files that cannot be read), then the data's.
    pub diagnostics: Vec<Diagnostic>,
    /// The analyses' planning warnings (options ignored, selected values
    /// taken as removed): `check` prints them; `run` puts them in each
    /// analysis' report.
    pub analysis_warnings: Vec<Diagnostic>,
    /// The tables as read (for saying which cell of which row changed).
    pub raw: RawTables,
}

/// A problem of survlit.toml as a diagnostic (file and line, message, fix).
fn project_diagnostic(e: ProjectError, severity: Severity, code: &'static str) -> Diagnostic {
    Diagnostic {
        severity,
        location: Location {
            file: e.file,
            line: (e.line > 0).then_some(e.line),
            ..Location::default()
        },
        code,
        message: e.message,
        fix: e.fix,
    }
}

/// Reads survlit.toml and every data table, validates them, and plans
/// every analysis (the step `check` and `run` share): every problem of the
/// project file, the data files and the data at once. Only a project file
/// that cannot be read or is not TOML stops here.
pub fn load(root: &Path) -> Result<Loaded, RunError> {
    let (project, problems) = project::load_lenient(root)?;
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|e| project_diagnostic(e, Severity::Error, "project"))
        .collect();
    let d = &project.data;
    if d.figures.is_none() && d.cases.is_none() {
        diagnostics.push(project_diagnostic(
            ProjectError {
                file: project::PROJECT_FILE.into(),
                line: 1,
                message: "[data] names no figures or cases table".into(),
                fix: "add figures = \"data/figures.csv\" (and/or cases = ...) under [data]".into(),
            },
            Severity::Error,
            "project",
        ));
    }
    let mut sheets_seen = None;
    let mut read = |t: &Option<TableFile>| -> Option<RawTable> {
        let t = t.as_ref()?;
        match read_table(&root.join(&t.path), &t.display(), t.sheet.as_deref()) {
            Ok(table) => Some(table),
            Err(IngestError::MissingSheet { available, .. }) if t.optional => {
                sheets_seen = Some(available);
                None
            }
            Err(e) => {
                diagnostics.push(ingest_diagnostic(root, t, &e));
                None
            }
        }
    };
    let raw = RawTables {
        figures: read(&d.figures),
        cases: read(&d.cases),
        curves: read(&d.curves),
        at_risk: read(&d.at_risk),
        claims: read(&d.claims),
    };
    if let (None, None, Some(sheets)) = (&raw.figures, &raw.cases, &sheets_seen) {
        let line = d.figures.as_ref().map_or(1, |t| t.line);
        diagnostics.push(project_diagnostic(
            ProjectError {
                file: project::PROJECT_FILE.into(),
                line,
                message: format!("the workbook has neither a 'figures' nor a 'cases' sheet (its sheets: {sheets})"),
                fix: "name the sheets figures, cases, curves and at_risk, or name each table under [data] (e.g. figures = \"data/extraction.xlsx#Sheet1\")".into(),
            },
            Severity::Error,
            "project",
        ));
    }
    let (evidence, data_diagnostics) = validate(&raw);
    // The evidence is whole when every table was read and no row was left
    // out for an error; only then are selections checked against it.
    let data_ok =
        !diagnostics.iter().any(|d| d.code == "data-file") && error_count(&data_diagnostics) == 0;
    let mut analysis_warnings = Vec::new();
    for spec in &project.analyses {
        let planned = analysis::plan(spec, &evidence, data_ok);
        diagnostics.extend(
            planned
                .errors
                .into_iter()
                .map(|e| project_diagnostic(e, Severity::Error, "analysis")),
        );
        analysis_warnings.extend(
            planned
                .warnings
                .into_iter()
                .map(|e| project_diagnostic(e, Severity::Warning, "analysis")),
        );
    }
    diagnostics.sort_by_key(|d| d.location.line);
    diagnostics.extend(data_diagnostics);
    // Errors first (survlit.toml's before the data's), then warnings.
    diagnostics.sort_by_key(|d| d.severity);
    Ok(Loaded {
        project,
        evidence,
        diagnostics,
        analysis_warnings,
        raw,
    })
}

/// A file beside a missing one whose name is close to it (`data/figs.csv`
/// → `data/figures.csv`), as the project would name it.
fn nearby_file(root: &Path, rel: &str) -> Option<String> {
    let rel = Path::new(rel);
    let name = rel.file_name()?.to_str()?;
    let dir = rel.parent().unwrap_or(Path::new(""));
    let names: Vec<String> = std::fs::read_dir(root.join(dir))
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    let near = crate::domain::closest(name, names.iter().map(String::as_str))?;
    Some(dir.join(near).display().to_string())
}

/// A data file that cannot be read, at the line of survlit.toml naming it.
fn ingest_diagnostic(root: &Path, t: &TableFile, e: &IngestError) -> Diagnostic {
    let (message, fix) = match e {
        IngestError::Io { source, .. } => (
            format!("cannot read the data file '{}': {source}", t.path),
            if source.kind() == std::io::ErrorKind::NotFound {
                match nearby_file(root, &t.path) {
                    Some(near) => format!("did you mean '{near}'?"),
                    None => "check the path (relative to the folder holding survlit.toml), or create the file".to_string(),
                }
            } else {
                "check the file's permissions".to_string()
            },
        ),
        other => {
            let text = other.to_string();
            match text.split_once("; fix: ") {
                Some((m, f)) => (m.to_string(), f.to_string()),
                None => (text, String::new()),
            }
        }
    };
    Diagnostic {
        severity: Severity::Error,
        location: Location {
            file: project::PROJECT_FILE.into(),
            line: Some(t.line),
            ..Location::default()
        },
        code: "data-file",
        message,
        fix,
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunStatus {
    /// Nothing changed since the last run; nothing was written.
    Unchanged,
    /// `reports/` was rewritten.
    Written {
        /// Analyses that ran (new or with changed inputs).
        rerun: Vec<String>,
        /// Analyses taken unchanged from the previous run.
        reused: Vec<String>,
        /// Analyses of the previous run that are no longer in the project.
        removed: Vec<String>,
        /// What changed, one line each (the gist of `reports/CHANGES.md`).
        changes: Vec<String>,
    },
}

/// The result of a successful run.
#[derive(Debug)]
pub struct RunOutcome {
    /// Project and evidence.
    pub loaded: Loaded,
    /// Each analysis' outputs, in project order (file contents are empty
    /// when the run was [`RunStatus::Unchanged`]).
    pub outputs: Vec<AnalysisOutput>,
    /// The reports folder written.
    pub reports_dir: PathBuf,
    /// What was rerun.
    pub status: RunStatus,
}

/// Runs every analysis and writes `reports/`.
pub fn run(root: &Path) -> Result<RunOutcome, RunError> {
    run_with(root, None)
}

/// How `survlit run` was asked to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// PNG resolution of every figure (`--dpi`), overriding the project's.
    pub dpi: Option<u32>,
    /// Say what changed since the reports committed at this git revision
    /// (`--since REV`) instead of since the previous run.
    pub since: Option<String>,
}

/// [`run`], with the PNG resolution of every figure set (`survlit run --dpi`).
pub fn run_with(root: &Path, dpi: Option<u32>) -> Result<RunOutcome, RunError> {
    run_opts(
        root,
        &RunOptions {
            dpi,
            ..RunOptions::default()
        },
    )
}

/// [`run`] with every option of `survlit run`.
pub fn run_opts(root: &Path, opts: &RunOptions) -> Result<RunOutcome, RunError> {
    let dpi = opts.dpi;
    let baseline = match &opts.since {
        Some(rev) => Some((rev.as_str(), since::manifest_at(root, rev)?)),
        None => None,
    };
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
    let reports_dir = root.join(REPORTS_DIR);
    let figure_ids =
        incremental::unique_ids(loaded.evidence.figures.iter().map(incremental::figure_id));
    let case_ids = incremental::unique_ids(loaded.evidence.cases.iter().map(incremental::case_id));
    let (keys, input_rows): (Vec<String>, Vec<Vec<String>>) = loaded
        .project
        .analyses
        .iter()
        .map(|spec| incremental::analysis_inputs(spec, &loaded.evidence, &figure_ids, &case_ids))
        .unzip();
    let project_key = incremental::project_key(&loaded);
    let previous = incremental::read(&reports_dir);
    let old = |name: &str, key: &str| {
        previous
            .as_ref()
            .and_then(|m| m.analyses.iter().find(|e| e.name == name && e.key == key))
    };
    // Nothing changed: same project inputs, same analyses in the same order
    // with the same inputs. Nothing is written (unless CHANGES.md is to be
    // rewritten against another revision).
    if let Some(m) = previous.as_ref().filter(|_| baseline.is_none()) {
        let same = m.project == project_key
            && m.analyses.len() == keys.len()
            && m.analyses
                .iter()
                .zip(loaded.project.analyses.iter().zip(&keys))
                .all(|(e, (spec, key))| e.name == spec.name && &e.key == key);
        if same {
            let outputs: Option<Vec<AnalysisOutput>> = m
                .analyses
                .iter()
                .map(|e| e.output(&reports_dir, false))
                .collect();
            if let Some(outputs) = outputs {
                return Ok(RunOutcome {
                    loaded,
                    outputs,
                    reports_dir,
                    status: RunStatus::Unchanged,
                });
            }
        }
    }
    let (mut rerun, mut reused) = (Vec::new(), Vec::new());
    let mut outputs = Vec::with_capacity(keys.len());
    for (spec, key) in loaded.project.analyses.iter().zip(&keys) {
        match old(&spec.name, key).and_then(|e| e.output(&reports_dir, true)) {
            Some(o) => {
                reused.push(spec.name.clone());
                outputs.push(o);
            }
            None => {
                rerun.push(spec.name.clone());
                outputs.push(analysis::run(spec, &loaded.evidence)?);
            }
        }
    }
    let removed: Vec<String> = previous.as_ref().map_or(Vec::new(), |m| {
        m.analyses
            .iter()
            .filter(|e| !loaded.project.analyses.iter().any(|s| s.name == e.name))
            .map(|e| e.name.clone())
            .collect()
    });
    let mut files = assemble(&loaded, &outputs)?;
    let used: std::collections::BTreeSet<&String> = input_rows.iter().flatten().collect();
    let mut rows = changes::row_cells(&loaded.raw, &loaded.evidence, &figure_ids, &case_ids);
    rows.retain(|id, _| used.contains(id));
    let manifest = incremental::Manifest {
        version: incremental::BUILD.into(),
        project: project_key,
        analyses: outputs
            .iter()
            .zip(keys.iter().zip(input_rows))
            .map(|(o, (k, r))| incremental::Entry::of(o, k, r))
            .collect(),
        rows,
    };
    let (changes_md, change_lines) = match &baseline {
        Some((rev, m)) => changes::report(Some(m), &manifest, Some(rev)),
        None => changes::report(previous.as_ref(), &manifest, None),
    };
    files.insert("CHANGES.md".into(), changes_md.into_bytes());
    files.insert(
        incremental::MANIFEST.into(),
        incremental::to_bytes(&manifest),
    );
    write::write_reports(root, &files)?;
    Ok(RunOutcome {
        loaded,
        outputs,
        reports_dir,
        status: RunStatus::Written {
            rerun,
            reused,
            removed,
            changes: change_lines,
        },
    })
}

/// Every output file keyed by its path under `reports/`: the analyses'
/// files, a Parquet copy of every CSV, DICTIONARY.md and the report.
pub fn assemble(
    loaded: &Loaded,
    outputs: &[AnalysisOutput],
) -> Result<BTreeMap<String, Vec<u8>>, RunError> {
    let mut files = BTreeMap::new();
    let mut schemas = BTreeMap::new();
    for o in outputs {
        for f in &o.files {
            let path = format!("{}/{}", o.name, f.name);
            files.insert(path.clone(), f.bytes.clone());
            if let Some(stem) = f.name.strip_suffix(".csv") {
                let parquet =
                    crate::export::parquet::csv_to_parquet(&f.bytes, &f.schema).map_err(|e| {
                        AnalysisError::Export {
                            name: o.name.clone(),
                            source: e,
                        }
                    })?;
                files.insert(format!("{}/{stem}.parquet", o.name), parquet);
                schemas.insert(path, f.schema.clone());
            }
        }
    }
    files.insert(
        "DICTIONARY.md".into(),
        crate::export::dictionary::markdown(&schemas).into_bytes(),
    );
    let md = report::index_markdown(
        &loaded.project,
        &loaded.evidence,
        &loaded.diagnostics,
        outputs,
    );
    let sections: BTreeMap<String, String> = outputs
        .iter()
        .map(|o| (o.name.clone(), o.title.clone()))
        .collect();
    let html = report::index_html(&loaded.project.title, &md, &files, &sections);
    files.insert("index.md".into(), md.into_bytes());
    files.insert("index.html".into(), html.into_bytes());
    Ok(files)
}
