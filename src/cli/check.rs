//! `survlit check [DIR]`: validation alone.

use crate::number::count;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::pipeline;
use crate::validate::error_count;

pub(super) fn run(dir: &Path) -> anyhow::Result<ExitCode> {
    let loaded = pipeline::load(dir)?;
    // Errors first, then the data's and the analyses' warnings.
    let mut all = loaded.diagnostics.clone();
    all.extend(loaded.analysis_warnings.iter().cloned());
    all.sort_by_key(|d| d.severity);
    super::print_diagnostics(&all);
    let errors = error_count(&all);
    let warnings = all.len() - errors;
    let e = &loaded.evidence;
    let mut out = std::io::stdout().lock();
    if errors > 0 {
        writeln!(
            std::io::stderr(),
            "check failed: {}, {}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        )?;
        return Ok(ExitCode::from(1));
    }
    writeln!(
        out,
        "check passed: {}, {}, {}, {} from {}{}; {} declared; {}",
        count(e.figures.len(), "figure", "figures"),
        count(e.cases.len(), "case", "cases"),
        count(e.curves.len(), "curve point", "curve points"),
        count(e.at_risk.len(), "at-risk row", "at-risk rows"),
        count(e.studies.len(), "study", "studies"),
        if e.claims.is_empty() {
            String::new()
        } else {
            format!("; {} to audit", count(e.claims.len(), "claim", "claims"))
        },
        count(loaded.project.analyses.len(), "analysis", "analyses"),
        count(warnings, "warning", "warnings")
    )?;
    Ok(ExitCode::SUCCESS)
}
