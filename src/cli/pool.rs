//! `survlit pool FILE --measure M ...`: pool a table of study results as metafor does.

use crate::number::count;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::vocab::vocab;
use crate::export::pool_json::{to_text, write_json, PoolReport};
use crate::ingest::read_table;
use crate::plot::{svg_to_pdf, svg_to_png, Preset};
use crate::present::forest::{ForestLook, ForestSort, Width};
use crate::present::table_figures::figures;
use crate::stats::pool::{RmaParams, Tau2Method, TestKind};
use crate::workflow::pool::effects::{Measure, Roles};
use crate::workflow::pool::{pool_table, PoolOptions};

/// Arguments of `survlit pool`.
#[derive(Debug, clap::Args)]
pub struct PoolArgs {
    /// CSV (or .xlsx with --sheet) with one row per study.
    pub file: PathBuf,
    /// GEN, HR, PR, PLO, PLN, PAS, PFT, CLOGLOG, MED, DOM or ROM.
    #[arg(long, value_parser = vocab::<Measure>())]
    pub measure: Measure,
    /// tau^2 estimator: FE (EE), DL, HE, HS, SJ, ML, REML, EB, PM.
    #[arg(long, default_value = "REML", value_parser = vocab::<Tau2Method>())]
    pub method: Tau2Method,
    /// z or knha (Knapp-Hartung).
    #[arg(long, default_value = "z", value_parser = vocab::<TestKind>())]
    pub test: TestKind,
    /// Confidence level in percent.
    #[arg(long, default_value_t = 95.0)]
    pub level: f64,
    /// Column with subgroups (test for subgroup differences).
    #[arg(long)]
    pub by: Option<String>,
    /// With --by: one tau^2 per subgroup (separate, the default) or one
    /// shared by all (common: a mixed-effects model on the subgroup factor).
    #[arg(long, value_name = "separate|common", default_value = "separate", value_parser = ["separate", "common"])]
    pub subgroup_tau2: String,
    /// Moderator columns for meta-regression, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub mods: Vec<String>,
    /// Map a role to another column name: --col ROLE=NAME (repeatable).
    #[arg(long = "col", value_name = "ROLE=NAME")]
    pub cols: Vec<String>,
    /// Refit leaving out each study in turn.
    #[arg(long)]
    pub leave_one_out: bool,
    /// Cumulative meta-analysis ordered by this column (e.g. year).
    #[arg(long, value_name = "COL")]
    pub cumulative: Option<String>,
    /// Small-study effects: Egger's regression test (mixed-effects and classical) and Begg's rank test.
    #[arg(long)]
    pub bias: bool,
    /// Sensitivity analysis: leave out effects whose SE was back-calculated or
    /// approximated (HR from a p-value or from p and events, one-sided median SEs).
    #[arg(long)]
    pub exclude_derived: bool,
    /// Influence diagnostics (rstudent, DFFITS, Cook's D, cov.r, tau2 and Q without each study, hat, DFBETAS).
    #[arg(long)]
    pub influence: bool,
    /// Worksheet, for spreadsheets.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Print one JSON object (keys follow metafor).
    #[arg(long)]
    pub json: bool,
    /// Write the figures (forest, funnel, and with the options that produce
    /// them cumulative, leave-one-out and bubble plots) as SVG, PNG and PDF
    /// into this folder.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Forest plot layout: cochrane or compact.
    #[arg(long, default_value = "cochrane", value_parser = vocab::<Preset>())]
    pub preset: Preset,
    /// Forest plot row order: entered, estimate, weight or year.
    #[arg(long, default_value = "entered", value_parser = vocab::<ForestSort>())]
    pub sort: ForestSort,
    /// Figure width: single (85 mm), double (175 mm) or a number of mm.
    #[arg(long)]
    pub width: Option<String>,
    /// PNG resolution.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(72..=2400))]
    pub dpi: u32,
}

pub(super) fn run(a: &PoolArgs) -> anyhow::Result<ExitCode> {
    let usage = |m: String| -> anyhow::Result<ExitCode> {
        writeln!(std::io::stderr(), "error: {m}")?;
        Ok(ExitCode::from(2))
    };
    let (measure, method, test) = (a.measure, a.method, a.test);
    if !(a.level > 0.0 && a.level < 100.0) {
        return usage(format!(
            "--level {} must be between 0 and 100 (e.g. 95)",
            a.level
        ));
    }
    let mut roles = Vec::new();
    let known = crate::workflow::pool::effects::known_roles();
    for c in &a.cols {
        match c.split_once('=') {
            Some((r, _)) if !known.contains(&r.trim()) => {
                let r = r.trim();
                let hint = crate::domain::closest(r, known.iter().copied())
                    .map_or_else(String::new, |s| format!("did you mean '{s}'? "));
                return usage(format!(
                    "--col '{c}': '{r}' is not a role; {hint}roles: {}",
                    known.join(", ")
                ));
            }
            Some((r, n)) => roles.push((r.trim().to_string(), n.trim().to_string())),
            None => {
                return usage(format!(
                    "--col '{c}' must look like ROLE=NAME (e.g. --col hr=hazard_ratio)"
                ))
            }
        }
    }
    let display = a.file.display().to_string();
    let table = read_table(Path::new(&a.file), &display, a.sheet.as_deref())?;
    let absent = absent_columns(a, &table);
    if !absent.is_empty() {
        let mut err = std::io::stderr().lock();
        for e in &absent {
            writeln!(err, "error: {e}")?;
        }
        writeln!(
            err,
            "pool stopped: {}",
            count(absent.len(), "problem", "problems")
        )?;
        return Ok(ExitCode::from(1));
    }
    let opts = PoolOptions {
        measure,
        params: RmaParams {
            method,
            test,
            level: a.level / 100.0,
        },
        roles: Roles::new(&roles),
        by: a.by.clone(),
        common_tau2: a.subgroup_tau2 == "common",
        mods: a.mods.clone(),
        leave_one_out: a.leave_one_out,
        cumulative_by: a.cumulative.clone(),
        bias: a.bias,
        exclude_derived: a.exclude_derived,
        influence: a.influence,
    };
    let outcome = match pool_table(&table, &opts) {
        Ok(o) => o,
        Err(errors) => {
            let mut err = std::io::stderr().lock();
            for e in &errors {
                writeln!(err, "error: {e}")?;
            }
            writeln!(
                err,
                "pool stopped: {}",
                count(errors.len(), "problem", "problems")
            )?;
            return Ok(ExitCode::from(1));
        }
    };
    let report = PoolReport {
        measure: measure.to_string(),
        fit: &outcome.fit,
        ci: outcome.ci,
        studies: outcome
            .effects
            .iter()
            .map(|e| {
                (
                    e.study.as_str(),
                    e.effect.yi,
                    e.effect.vi,
                    e.effect.derivation.as_str(),
                )
            })
            .collect(),
        transformed: outcome.transformed,
        coef_names: outcome.coef_names.clone(),
        subgroups: outcome.subgroups.as_ref(),
        leave_one_out: outcome.leave_one_out.as_deref(),
        cumulative: outcome.cumulative.as_deref(),
        bias: outcome.bias.as_ref(),
        influence: outcome.influence.as_deref(),
        warnings: outcome.warnings.clone(),
    };
    if let Some(dir) = &a.plots {
        let width = match a.width.as_deref() {
            None => None,
            Some(w) => Some(match w.parse::<f64>() {
                Ok(mm) => Width::Mm(mm),
                Err(_) => Width::Named(w.to_string()),
            }),
        };
        let look = match ForestLook::parse(Some(a.preset), None, None, width.as_ref(), None, None) {
            Ok(l) => ForestLook { sort: a.sort, ..l },
            Err(e) => return usage(format!("--{e}")),
        };
        let title = format!(
            "{} pooled from {}",
            crate::present::format::capitalise(&measure_words(measure)),
            a.file
                .file_name()
                .map_or(display.clone(), |f| f.to_string_lossy().into_owned())
        );
        let drawn = match figures(&title, &table, &opts, &outcome, &look) {
            Ok(d) => d,
            Err(errors) => return usage(errors.join("; ")),
        };
        std::fs::create_dir_all(dir)?;
        let mut err = std::io::stderr().lock();
        for d in drawn {
            let svg = d.svg?;
            std::fs::write(
                dir.join(format!("{}.png", d.stem)),
                svg_to_png(&svg, a.dpi)?,
            )?;
            std::fs::write(dir.join(format!("{}.pdf", d.stem)), svg_to_pdf(&svg)?)?;
            std::fs::write(dir.join(format!("{}.svg", d.stem)), svg)?;
            writeln!(
                err,
                "wrote {}: {}.{{svg,png,pdf}}",
                d.caption,
                dir.join(&d.stem).display()
            )?;
        }
    }
    let mut out = std::io::stdout().lock();
    if a.json {
        let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut out);
        write_json(&report, &mut buf)?;
        writeln!(buf)?;
        buf.flush()?;
    } else {
        write!(out, "{}", to_text(&report))?;
    }
    // The process ends here: freeing 10⁵ rows one by one costs more than the
    // fit (≈ 8 ms at k = 10⁵); the OS reclaims them at exit.
    drop(report);
    std::mem::forget(outcome);
    std::mem::forget(table);
    Ok(ExitCode::SUCCESS)
}

/// "hazard ratios", "proportions", "effects".
fn measure_words(m: Measure) -> String {
    match m {
        Measure::HR => "hazard ratios".into(),
        Measure::Proportion(_) => "proportions".into(),
        Measure::MED => "median survival times".into(),
        Measure::DOM => "differences of medians".into(),
        Measure::ROM => "ratios of medians".into(),
        Measure::GEN => "effects".into(),
    }
}

/// The columns named by --by, --mods and --cumulative that the table does
/// not have, each as a message with the closest column present (without
/// this, an absent --by column read as "empty" in every row, and an absent
/// --cumulative column ordered nothing).
fn absent_columns(a: &PoolArgs, table: &crate::ingest::RawTable) -> Vec<String> {
    let named =
        a.by.iter()
            .map(|c| ("--by", c))
            .chain(a.mods.iter().map(|c| ("--mods", c)))
            .chain(a.cumulative.iter().map(|c| ("--cumulative", c)));
    named
        .filter(|(_, c)| table.column(&c.trim().to_ascii_lowercase()).is_none())
        .map(|(flag, c)| {
            let header = table.header.iter().map(String::as_str);
            let hint = match crate::domain::closest(c, header) {
                Some(s) => format!("did you mean '{s}'?"),
                None => format!("columns: {}", table.header.join(", ")),
            };
            format!(
                "{}: {flag} {c}: no such column; {hint}",
                table.source.display
            )
        })
        .collect()
}
