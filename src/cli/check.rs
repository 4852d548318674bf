//! `survlit check [DIR]`: validation alone.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::pipeline;
use crate::validate::error_count;

pub(super) fn run(dir: &Path) -> anyhow::Result<ExitCode> {
    let loaded = pipeline::load(dir)?;
    super::print_diagnostics(&loaded.diagnostics);
    let errors = error_count(&loaded.diagnostics);
    let warnings = loaded.diagnostics.len() - errors;
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
