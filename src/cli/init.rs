//! `survlit init DIR`: a small example project.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(dir: &Path) -> anyhow::Result<ExitCode> {
    let written = crate::project::write_example(dir)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "created an example survlit project in {}:",
        dir.display()
    )?;
    for f in written {
        writeln!(out, "  {}", f.display())?;
    }
    writeln!(
        out,
        "next: survlit check {0} && survlit run {0}",
        dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
