//! `survlit check [DIR]`: validation alone.

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
            "check failed: {errors} error(s), {warnings} warning(s)"
        )?;
        return Ok(ExitCode::from(1));
    }
    writeln!(
        out,
        "check passed: {} figures, {} cases, {} curve points, {} at-risk rows from {} studies{}; {} analyses declared; {warnings} warning(s)",
        e.figures.len(),
        e.cases.len(),
        e.curves.len(),
        e.at_risk.len(),
        e.studies.len(),
        if e.claims.is_empty() {
            String::new()
        } else {
            format!("; {} claims to audit", e.claims.len())
        },
        loaded.project.analyses.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
