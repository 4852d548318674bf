//! The command line: the only place that knows clap, stdout/stderr and exit
//! codes. Exit codes: 0 success, 1 data, project or analysis error (and, for
//! `audit`, any claim not supported), 2 usage.

mod audit;
mod check;
mod digitize;
mod init;
mod medians;
mod pool;
mod run;
mod survival;
mod vocab;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::validate::Diagnostic;

/// survlit: validated evidence tables and figures from published survival data.
#[derive(Debug, Parser)]
#[command(name = "survlit", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a small example project that runs.
    Init {
        /// Directory to create (must not already hold a survlit.toml).
        dir: PathBuf,
    },
    /// Validate the project's data and print every problem.
    Check {
        /// Project directory (holding survlit.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Validate, run every analysis and write reports/.
    Run {
        /// Project directory (holding survlit.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print every warning, not only the count.
        #[arg(long, short)]
        verbose: bool,
        /// PNG resolution of every figure (default: the project's [figures] dpi, else 300).
        #[arg(long, value_parser = clap::value_parser!(u32).range(72..=2400))]
        dpi: Option<u32>,
        /// Say what changed since the reports committed at this git revision
        /// (e.g. HEAD~3, a tag), in the terminal and in reports/CHANGES.md.
        #[arg(long, value_name = "REV")]
        since: Option<String>,
    },
    /// Check the claims of a draft against the project's evidence table
    /// (exit code 1 if any claim is not supported).
    Audit(audit::AuditArgs),
    /// Pool a table of study results (one row per study) as metafor does.
    Pool(pool::PoolArgs),
    /// Kaplan-Meier curves of patient rows, as R's survfit.
    Km(survival::KmArgs),
    /// Log-rank (G-rho) test between groups, as R's survdiff.
    Logrank(survival::LogRankArgs),
    /// Cox proportional hazards model, as R's coxph.
    Cox(survival::CoxArgs),
    /// Patient rows reconstructed from a digitised KM curve (Guyot 2012).
    Reconstruct(survival::ReconstructArgs),
    /// Read a Kaplan–Meier figure (PNG, JPEG, PDF) with no clicks: axes,
    /// curves, censor marks and numbers at risk, for a person to confirm.
    Digitize(digitize::DigitizeArgs),
    /// Pool reported medians: median of medians, weighted, or QE.
    Medians(medians::MediansArgs),
    /// Estimate means and SDs from medians with ranges and/or IQRs.
    Convert(medians::ConvertArgs),
    /// Print a shell completion script, e.g. `survlit completions bash >
    /// ~/.local/share/bash-completion/completions/survlit`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Parses arguments and runs; the binary's whole body.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init { dir } => init::run(&dir),
        Command::Check { dir } => check::run(&dir),
        Command::Run {
            dir,
            verbose,
            dpi,
            since,
        } => run::run(&dir, verbose, crate::pipeline::RunOptions { dpi, since }),
        Command::Audit(args) => audit::run(&args),
        Command::Pool(args) => pool::run(&args),
        Command::Km(args) => survival::km(&args),
        Command::Logrank(args) => survival::logrank(&args),
        Command::Cox(args) => survival::cox(&args),
        Command::Reconstruct(args) => survival::reconstruct(&args),
        Command::Digitize(args) => digitize::run(&args),
        Command::Medians(args) => medians::medians(&args),
        Command::Convert(args) => medians::convert(&args),
        Command::Completions { shell } => completions(shell),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`survlit run | head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {}", message(&e));
            ExitCode::from(1)
        }
    }
}

/// An error and its causes, each cause once: a library error whose message
/// already quotes its cause (`cannot read 'x': No such file ...`) is not
/// followed by that cause again.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
    }
    text
}

/// Writes the completion script of `shell` to stdout: subcommands, flags and
/// every vocabulary's possible values (from `cli::vocab`).
fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "survlit", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints diagnostics to stderr, errors first.
fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}
