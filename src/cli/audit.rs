//! `survlit audit CLAIMS [DIR]`: the claims of a draft checked against the
//! project's evidence table. Exit code 1 when any claim is not supported.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::analysis::claims_audit::{findings_table, tally};
use crate::audit::{audit, claim_value, Verdict};
use crate::ingest::read_table;
use crate::pipeline;
use crate::validate::{error_count, read_claims, Diagnostic, Severity};

/// Arguments of `survlit audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Claims table (CSV, or a spreadsheet; `file.xlsx#sheet` names the sheet):
    /// claim_id, text, value, unit, statistic, outcome, population,
    /// time_point, time_point_unit, n, study_id, match, location, notes.
    pub claims: PathBuf,
    /// Project directory whose evidence the claims are checked against.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also write the verdicts as a tidy CSV.
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub(super) fn run(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = pipeline::load(&args.dir)?;
    if error_count(&loaded.diagnostics) > 0 {
        super::print_diagnostics(&loaded.diagnostics);
        writeln!(std::io::stderr(), "{}", stopped(&loaded.diagnostics))?;
        return Ok(ExitCode::from(1));
    }
    let text = args.claims.to_string_lossy();
    let (path, sheet) = match text.split_once('#') {
        Some((p, s)) => (PathBuf::from(p), Some(s.to_string())),
        None => {
            let is_sheet = [".xlsx", ".xlsm", ".xls", ".ods"]
                .iter()
                .any(|e| text.to_ascii_lowercase().ends_with(e));
            (args.claims.clone(), is_sheet.then(|| "claims".to_string()))
        }
    };
    let table = read_table(&path, &path.display().to_string(), sheet.as_deref())?;
    let (claims, diags) = read_claims(&table);
    super::print_diagnostics(&diags);
    if error_count(&diags) > 0 {
        writeln!(
            std::io::stderr(),
            "audit stopped: {} in {}",
            crate::number::count(error_count(&diags), "error", "errors"),
            path.display()
        )?;
        return Ok(ExitCode::from(1));
    }
    loaded.evidence.claims = claims;
    let findings = audit(&loaded.evidence);
    let mut out = std::io::stdout().lock();
    writeln!(out, "survlit audit: {}", tally(&findings))?;
    for f in &findings {
        let cites = f.claim.study_id.as_deref().unwrap_or("no source");
        let verdict = match f.verdict {
            Verdict::Supported => "supported".to_string(),
            v => v.name().to_uppercase(),
        };
        writeln!(
            out,
            "  {:<12} {} ({cites}): {}",
            verdict,
            f.claim.claim_id,
            claim_value(&f.claim)
        )?;
        for r in &f.reasons {
            writeln!(out, "      - {r}")?;
        }
        if !f.source_says.is_empty() {
            writeln!(out, "      source: {}", f.source_says)?;
        }
    }
    if let Some(csv) = &args.csv {
        let bytes = crate::export::to_csv(&findings_table(&findings))?;
        write_file(csv, &bytes)?;
        writeln!(out, "  verdicts: {}", csv.display())?;
    }
    let unsupported = findings
        .iter()
        .filter(|f| f.verdict != Verdict::Supported)
        .count();
    Ok(if unsupported > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

/// Why the audit stops before reading the claims: how many errors each
/// file holds (survlit.toml's own, or a data table's), listed above.
fn stopped(diagnostics: &[Diagnostic]) -> String {
    let mut by_file: Vec<(&str, usize)> = Vec::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        match by_file.iter_mut().find(|(f, _)| *f == d.location.file) {
            Some(seen) => seen.1 += 1,
            None => by_file.push((&d.location.file, 1)),
        }
    }
    let files: Vec<String> = by_file
        .iter()
        .map(|(f, n)| format!("{} in {f}", crate::number::count(*n, "error", "errors")))
        .collect();
    format!(
        "audit stopped: {} (listed above; fix them, then survlit check lists what remains)",
        files.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Location;

    fn error(file: &str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location: Location {
                file: file.into(),
                ..Location::default()
            },
            code: "x",
            message: String::new(),
            fix: String::new(),
        }
    }

    /// Errors in survlit.toml are named as such, not as the data's.
    #[test]
    fn the_stop_names_the_files_holding_the_errors() {
        let m = stopped(&[
            error("survlit.toml"),
            error("data/figures.csv"),
            error("survlit.toml"),
        ]);
        assert!(
            m.starts_with("audit stopped: 2 errors in survlit.toml, 1 error in data/figures.csv"),
            "{m}"
        );
        assert!(!m.contains("data has errors"), "{m}");
    }
}
