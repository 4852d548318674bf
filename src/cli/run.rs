//! `survlit run [DIR]`: the whole pipeline and a short summary.

use crate::number::count;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::pipeline::{self, RunError, RunOptions, RunStatus};
use crate::validate::{error_count, Severity};

pub(super) fn run(dir: &Path, verbose: bool, opts: RunOptions) -> anyhow::Result<ExitCode> {
    let outcome = match pipeline::run_opts(dir, &opts) {
        Ok(o) => o,
        Err(RunError::Invalid { diagnostics }) => {
            super::print_diagnostics(&diagnostics);
            let errors = error_count(&diagnostics);
            writeln!(
                std::io::stderr(),
                "run stopped: {}; reports/ was not changed",
                count(errors, "error", "errors")
            )?;
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    let warnings: Vec<_> = outcome
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    let e = &outcome.loaded.evidence;
    let mut out = std::io::stdout().lock();
    writeln!(out, "survlit run: {}", outcome.loaded.project.title)?;
    writeln!(
        out,
        "  data: {} figures, {} cases, {} curve points, {} at-risk rows from {} studies; {}",
        e.figures.len(),
        e.cases.len(),
        e.curves.len(),
        e.at_risk.len(),
        e.studies.len(),
        count(warnings.len(), "warning", "warnings")
    )?;
    let rerun = |name: &str| match &outcome.status {
        RunStatus::Unchanged => false,
        RunStatus::Written { rerun, .. } => rerun.iter().any(|r| r == name),
    };
    for o in &outcome.outputs {
        let files: Vec<&str> = o.files.iter().map(|f| f.name.as_str()).collect();
        writeln!(
            out,
            "  {} ({}{}): {} -> {}/{}/{{{}}}",
            o.name,
            o.kind.name(),
            if rerun(&o.name) { "" } else { ", unchanged" },
            o.summary,
            pipeline::REPORTS_DIR,
            o.name,
            files.join(",")
        )?;
    }
    match &outcome.status {
        RunStatus::Unchanged => writeln!(
            out,
            "  nothing changed since the last run: {}/ was left as it was",
            pipeline::REPORTS_DIR
        )?,
        RunStatus::Written {
            rerun,
            reused,
            removed,
            changes,
        } => {
            writeln!(
                out,
                "  {} rerun, {} unchanged{}",
                count(rerun.len(), "analysis", "analyses"),
                reused.len(),
                if removed.is_empty() {
                    String::new()
                } else {
                    format!(", {} removed ({})", removed.len(), removed.join(", "))
                }
            )?;
            for c in changes {
                writeln!(out, "  {c}")?;
            }
            writeln!(
                out,
                "  changes: {}",
                outcome.reports_dir.join("CHANGES.md").display()
            )?;
        }
    }
    writeln!(
        out,
        "  report: {}",
        outcome.reports_dir.join("index.md").display()
    )?;
    let analysis_warnings: Vec<String> = outcome
        .outputs
        .iter()
        .flat_map(|o| {
            o.methods
                .warnings
                .iter()
                .map(|w| format!("{}: {w}", o.name))
        })
        .collect();
    if !analysis_warnings.is_empty() {
        writeln!(
            out,
            "  {}",
            count(
                analysis_warnings.len(),
                "analysis warning",
                "analysis warnings"
            )
        )?;
    }
    if verbose {
        for w in warnings {
            writeln!(out, "{w}")?;
        }
        for w in &analysis_warnings {
            writeln!(out, "warning: {w}")?;
        }
    } else if !warnings.is_empty() || !analysis_warnings.is_empty() {
        writeln!(
            out,
            "  warnings are listed under 'Data quality' in the report (or rerun with --verbose)"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
