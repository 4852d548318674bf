//! `survlit digitize FIGURE`: a Kaplan–Meier figure read with no clicks,
//! as JSON or as curves.csv, at_risk.csv and overlay.png for a person to
//! confirm.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::digitize::{self, Digitized};
use crate::export::digitize::{at_risk_table, curves_table, Provenance};
use crate::export::to_csv;
use crate::ingest::figure::{self, FigureBytes};
use crate::plot::overlay::overlay_png;

/// Arguments of `survlit digitize`.
#[derive(Debug, clap::Args)]
pub struct DigitizeArgs {
    /// The figure: PNG, JPEG or PDF.
    pub figure: PathBuf,
    /// Page of a PDF (1-based).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Print one JSON object (axes, arms with their step corners and censor
    /// times, numbers at risk, warnings) instead of writing files.
    #[arg(long)]
    pub json: bool,
    /// Folder for curves.csv, at_risk.csv and overlay.png (default:
    /// FIGURE's name with `_digitized`, beside it).
    #[arg(long, value_name = "DIR", conflicts_with = "json")]
    pub out: Option<PathBuf>,
    /// study_id written on every row (default: the figure's file name).
    #[arg(long, value_name = "ID")]
    pub study: Option<String>,
    /// Unit of the x axis written on every row (the axis title is not read).
    #[arg(long, default_value = "months", value_parser = ["days", "weeks", "months", "years"])]
    pub time_unit: String,
}

/// Runs `survlit digitize`.
pub fn run(a: &DigitizeArgs) -> anyhow::Result<ExitCode> {
    let fig = figure::read(&a.figure)?;
    let raster = match fig.content {
        FigureBytes::Raster(r) => r,
        FigureBytes::Pdf(bytes) => match crate::ingest::figure::pdf_page(&bytes, a.page) {
            Ok(r) => r,
            Err(e) => anyhow::bail!("'{}': {e}", a.figure.display()),
        },
    };
    let d = match digitize::read_raster(&raster) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: '{}': {e}", a.figure.display());
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &d)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let dir = a.out.clone().unwrap_or_else(|| default_dir(&a.figure));
    std::fs::create_dir_all(&dir)?;
    let stem = a.figure.file_stem().map_or_else(
        || "figure".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let name = a
        .figure
        .file_name()
        .map_or_else(|| stem.clone(), |s| s.to_string_lossy().into_owned());
    let source = format!("{name} (auto-digitised, blake3 {})", &fig.hash[..12]);
    let prov = Provenance {
        study_id: a.study.as_deref().unwrap_or(&stem),
        time_unit: &a.time_unit,
        source: &source,
    };
    std::fs::write(dir.join("curves.csv"), to_csv(&curves_table(&d, &prov))?)?;
    std::fs::write(dir.join("at_risk.csv"), to_csv(&at_risk_table(&d, &prov))?)?;
    std::fs::write(dir.join("overlay.png"), overlay_png(&raster, &d)?)?;
    summary(&mut out, &d, &dir)?;
    Ok(ExitCode::SUCCESS)
}

fn default_dir(figure: &Path) -> PathBuf {
    let stem = figure
        .file_stem()
        .map_or_else(|| "figure".into(), |s| s.to_string_lossy().into_owned());
    figure
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{stem}_digitized"))
}

fn summary(out: &mut impl Write, d: &Digitized, dir: &Path) -> std::io::Result<()> {
    writeln!(
        out,
        "x axis {} to {}; y axis {} to {} ({})",
        d.x_axis.min, d.x_axis.max, d.y_axis.min, d.y_axis.max, d.y_axis.scale
    )?;
    for a in &d.arms {
        let n_risk = d.at_risk.iter().filter(|r| r.arm == a.name).count();
        let last = a.points.last().map_or(1.0, |p| p.surv);
        writeln!(
            out,
            "{}: {} step corners, survival {:.3} at the end, {} censor mark{}, {} number{} at risk",
            a.name,
            a.points.len(),
            last,
            a.censor_times.len(),
            if a.censor_times.len() == 1 { "" } else { "s" },
            n_risk,
            if n_risk == 1 { "" } else { "s" }
        )?;
    }
    for w in &d.warnings {
        writeln!(out, "warning: {w}")?;
    }
    writeln!(
        out,
        "wrote {}/curves.csv, at_risk.csv and overlay.png: check the overlay before using the numbers",
        dir.display()
    )
}
