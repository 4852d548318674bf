//! `survlit km`, `logrank` and `cox`: survival analyses of a table of
//! patient rows, as R survival computes them.

use super::vocab::vocab;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::export::survival_json::{
    cox_text, km_text, logrank_text, write_cox_json, write_km_json, write_logrank_json, KmReport,
};
use crate::ingest::read_table;
use crate::plot::{render_forest_svg, render_km_svg, svg_to_pdf, svg_to_png};
use crate::present::km::TimeAxis;
use crate::present::survival_figures::{cox_figure, km_command_figure, reconstruct_figure};
use crate::stats::survival::cox::Ties;
use crate::stats::survival::km::ConfType;
use crate::workflow::survival::patients::{read_patients, EventCoding, PatientColumns, Patients};
use crate::workflow::survival::{
    cox_model_zph, factor_references, group_test, km_curves, summarise, summarise_cox,
};

/// Columns and coding shared by the three commands.
#[derive(Debug, clap::Args)]
pub struct PatientArgs {
    /// CSV (or .xlsx with --sheet) with one row per patient.
    pub file: PathBuf,
    /// Column with the follow-up time.
    #[arg(long, default_value = "time")]
    pub time: String,
    /// Column with the event indicator.
    #[arg(long, default_value = "event")]
    pub event: String,
    /// The value of the event column that means an event (default 1, with
    /// 0 = censored; 2 means R's 1/2 coding, 1 = censored).
    #[arg(long)]
    pub event_code: Option<String>,
    /// Worksheet, for spreadsheets.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Confidence level in percent.
    #[arg(long, default_value_t = 95.0)]
    pub level: f64,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Where a command writes its figure.
#[derive(Debug, clap::Args)]
pub struct FigureArgs {
    /// Write the figure to FILE, as SVG, PNG or PDF after its extension.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Title of the figure (default: the analysis and the file's name).
    #[arg(long, requires = "plot")]
    title: Option<String>,
    /// PNG resolution, dots per inch.
    #[arg(long, default_value_t = 300, requires = "plot")]
    dpi: u32,
}

/// The time axis of a Kaplan–Meier figure.
#[derive(Debug, clap::Args)]
pub struct TimeAxisArgs {
    /// Ticks of the time axis, comma-separated (default: at most 8, at steps
    /// of 1, 2 or 5 × 10^k, up to the last follow-up).
    #[arg(long, value_delimiter = ',', requires = "plot")]
    time_breaks: Vec<f64>,
    /// Where the time axis ends (default: the last follow-up).
    #[arg(long, requires = "plot")]
    time_max: Option<f64>,
    /// Title of the time axis (default "Time (UNIT)", or "Time").
    #[arg(long, requires = "plot")]
    time_label: Option<String>,
    /// The unit of the times in the data, named in the axis title.
    #[arg(long, requires = "plot", value_name = "UNIT")]
    time_unit: Option<String>,
}

impl TimeAxisArgs {
    /// The axis these flags ask for (the data's own unit, no conversion).
    fn axis(&self) -> TimeAxis {
        TimeAxis {
            breaks: (!self.time_breaks.is_empty()).then(|| self.time_breaks.clone()),
            max: self.time_max,
            label: self.time_label.clone(),
            ..TimeAxis::in_unit(self.time_unit.as_deref().unwrap_or(""))
        }
    }
}

/// The format a figure file's extension asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FigureFormat {
    Svg,
    Png,
    Pdf,
}

/// The format of `path` from its extension, or a usage message.
fn figure_format(path: &Path) -> Result<FigureFormat, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg") => Ok(FigureFormat::Svg),
        Some("png") => Ok(FigureFormat::Png),
        Some("pdf") => Ok(FigureFormat::Pdf),
        _ => Err(format!(
            "--plot {}: name a .svg, .png or .pdf file (the format follows the extension)",
            path.display()
        )),
    }
}

/// Writes a drawn figure in the format of `path`'s extension, with the same
/// converters as `survlit pool --plots` and the analyses.
fn write_figure(
    path: &Path,
    format: FigureFormat,
    svg: Result<String, crate::plot::PlotError>,
    dpi: u32,
) -> anyhow::Result<()> {
    let svg = svg?;
    let bytes = match format {
        FigureFormat::Svg => svg.into_bytes(),
        FigureFormat::Png => svg_to_png(&svg, dpi)?,
        FigureFormat::Pdf => svg_to_pdf(&svg)?,
    };
    std::fs::write(path, bytes)
        .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", path.display()))?;
    writeln!(std::io::stderr(), "wrote figure: {}", path.display())?;
    Ok(())
}

/// The figure's format when `--plot` is given, checked before any work.
fn plot_format(f: &FigureArgs) -> Result<Option<FigureFormat>, String> {
    f.plot.as_deref().map(figure_format).transpose()
}

/// The file name a default title names.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    )
}

/// `survlit km`.
#[derive(Debug, clap::Args)]
pub struct KmArgs {
    #[command(flatten)]
    common: PatientArgs,
    #[command(flatten)]
    figure: FigureArgs,
    #[command(flatten)]
    axis: TimeAxisArgs,
    /// Column defining the curves.
    #[arg(long)]
    group: Option<String>,
    /// Column defining strata (one curve per group and stratum).
    #[arg(long)]
    strata: Option<String>,
    /// Pointwise CI type: log (R's default), log-log or plain.
    #[arg(long, default_value = "log", value_parser = vocab::<ConfType>())]
    conf_type: ConfType,
    /// Times at which to report S(t), comma-separated.
    #[arg(long, value_delimiter = ',')]
    times: Vec<f64>,
    /// Restricted mean survival time up to TAU.
    #[arg(long, value_name = "TAU")]
    rmst: Option<f64>,
}

/// `survlit logrank`.
#[derive(Debug, clap::Args)]
pub struct LogRankArgs {
    #[command(flatten)]
    common: PatientArgs,
    /// Column with the groups compared.
    #[arg(long)]
    group: String,
    /// Column with strata (a stratified test).
    #[arg(long)]
    strata: Option<String>,
    /// rho of the G-rho family: 0 log-rank, 1 Peto-Peto.
    #[arg(long, default_value_t = 0.0)]
    rho: f64,
}

/// `survlit cox`.
#[derive(Debug, clap::Args)]
pub struct CoxArgs {
    #[command(flatten)]
    common: PatientArgs,
    #[command(flatten)]
    figure: FigureArgs,
    /// Covariates, comma-separated (text columns become factors, coded
    /// against their first level in sorted order).
    #[arg(long, value_delimiter = ',', required = true)]
    covariates: Vec<String>,
    /// Handling of tied event times: efron (R's default) or breslow.
    #[arg(long, default_value = "efron", value_parser = vocab::<Ties>())]
    ties: Ties,
    /// Column with strata (separate baseline hazards).
    #[arg(long)]
    strata: Option<String>,
    /// Proportional-hazards check: scaled Schoenfeld residual test per
    /// covariate and global, as R's cox.zph (transform "km").
    #[arg(long)]
    zph: bool,
    /// Reference level of a factor covariate, as COLUMN=LEVEL or a LEVEL
    /// (every factor holding it); default the first level in sorted order,
    /// as R's factor().
    #[arg(long, value_name = "[COLUMN=]LEVEL")]
    reference: Option<String>,
}

pub(super) fn usage(m: String) -> anyhow::Result<ExitCode> {
    writeln!(std::io::stderr(), "error: {m}")?;
    Ok(ExitCode::from(2))
}

pub(super) fn data_errors(errors: &[String]) -> anyhow::Result<ExitCode> {
    let mut err = std::io::stderr().lock();
    for e in errors {
        writeln!(err, "error: {e}")?;
    }
    let n = errors.len();
    writeln!(err, "stopped: {n} problem{}", if n == 1 { "" } else { "s" })?;
    Ok(ExitCode::from(1))
}

/// Reads the patient rows; `Err` carries the exit code to return.
fn load(
    a: &PatientArgs,
    group: Option<&str>,
    strata: Option<&str>,
    covariates: &[String],
) -> anyhow::Result<Result<(Patients, Vec<String>), ExitCode>> {
    if !(a.level > 0.0 && a.level < 100.0) {
        return usage(format!("--level {} must be between 0 and 100", a.level)).map(Err);
    }
    let display = a.file.display().to_string();
    let table = read_table(&a.file, &display, a.sheet.as_deref())?;
    let cols = PatientColumns {
        time: a.time.clone(),
        event: a.event.clone(),
        group: group.map(str::to_string),
        strata: strata.map(str::to_string),
        covariates: covariates.to_vec(),
    };
    match read_patients(&table, &cols, &EventCoding::new(a.event_code.as_deref())) {
        Ok(p) => {
            let warnings = dropped_warning(&p, &display).into_iter().collect();
            Ok(Ok((p, warnings)))
        }
        Err(errors) => data_errors(&errors).map(Err),
    }
}

fn dropped_warning(p: &Patients, file: &str) -> Option<String> {
    (!p.dropped.is_empty()).then(|| {
        let lines: Vec<String> = p
            .dropped
            .iter()
            .take(10)
            .map(|(l, c)| format!("{l} ({c})"))
            .collect();
        format!(
            "{file}: {} {} with a missing value left out, as R's na.omit does: line {}{}",
            p.dropped.len(),
            if p.dropped.len() == 1 { "row" } else { "rows" },
            lines.join(", "),
            if p.dropped.len() > 10 { ", ..." } else { "" }
        )
    })
}

pub(super) fn emit(
    json: bool,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    text: impl FnOnce() -> String,
) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if json {
        let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut out);
        write(&mut buf)?;
        writeln!(buf)?;
        buf.flush()?;
    } else {
        write!(out, "{}", text())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn km(a: &KmArgs) -> anyhow::Result<ExitCode> {
    let conf = a.conf_type;
    let format = match plot_format(&a.figure) {
        Ok(f) => f,
        Err(e) => return usage(e),
    };
    let (p, mut warnings) = match load(&a.common, a.group.as_deref(), a.strata.as_deref(), &[])? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let curves = match km_curves(&p, conf, a.common.level / 100.0) {
        Ok(c) => c,
        Err(e) => return data_errors(&[e]),
    };
    for (g, f) in &curves {
        if f.events == 0 {
            warnings.push(format!(
                "group '{g}': every subject is censored; S(t) = 1 throughout"
            ));
        }
    }
    let curves = summarise(curves, &a.times, a.rmst);
    if let (Some(path), Some(format)) = (&a.figure.plot, format) {
        let title = a
            .figure
            .title
            .clone()
            .unwrap_or_else(|| format!("Kaplan–Meier curves: {}", file_name(&a.common.file)));
        let level = a.common.level / 100.0;
        match km_command_figure(&title, &curves, &a.axis.axis(), conf, level) {
            Ok(p) => write_figure(path, format, render_km_svg(&p), a.figure.dpi)?,
            Err(e) => return usage(format!("--{}", e.replace('_', "-"))),
        }
    }
    let report = KmReport {
        curves: &curves,
        warnings: &warnings,
    };
    emit(
        a.common.json,
        |w| Ok(write_km_json(&report, w)?),
        || km_text(&report),
    )
}

pub(super) fn logrank(a: &LogRankArgs) -> anyhow::Result<ExitCode> {
    let (p, warnings) = match load(&a.common, Some(&a.group), a.strata.as_deref(), &[])? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let (names, res) = match group_test(&p, a.rho) {
        Ok(x) => x,
        Err(e) => return data_errors(&[e]),
    };
    emit(
        a.common.json,
        |w| Ok(write_logrank_json(&names, &res, &warnings, w)?),
        || logrank_text(&names, &res, &warnings),
    )
}

pub(super) fn cox(a: &CoxArgs) -> anyhow::Result<ExitCode> {
    let ties = a.ties;
    let format = match plot_format(&a.figure) {
        Ok(f) => f,
        Err(e) => return usage(e),
    };
    let (p, warnings) = match load(&a.common, None, a.strata.as_deref(), &a.covariates)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let (names, fit, zph) = match cox_model_zph(&p, ties, a.zph, a.reference.as_deref()) {
        Ok(x) => x,
        Err(e) => return data_errors(&[e]),
    };
    let mut summary = summarise_cox(names, fit, a.common.level / 100.0, zph);
    summary.references = factor_references(&p, a.reference.as_deref());
    if let (Some(path), Some(format)) = (&a.figure.plot, format) {
        let title = a
            .figure
            .title
            .clone()
            .unwrap_or_else(|| format!("Cox model: {}", file_name(&a.common.file)));
        let svg = render_forest_svg(&cox_figure(&title, &summary));
        write_figure(path, format, svg, a.figure.dpi)?;
    }
    emit(
        a.common.json,
        |w| Ok(write_cox_json(&summary, &warnings, w)?),
        || cox_text(&summary, &warnings),
    )
}

/// `survlit reconstruct`.
#[derive(Debug, clap::Args)]
pub struct ReconstructArgs {
    /// Digitised curve: time,surv CSV (an `arm` column for several arms), a
    /// headerless two-column export, or WebPlotDigitizer's CSV export.
    #[arg(long)]
    curve: PathBuf,
    /// Numbers at risk printed under the figure: time,n_risk (and arm); at
    /// least the number at time 0.
    #[arg(long)]
    at_risk: PathBuf,
    /// Total number of events, when the paper reports it (one arm).
    #[arg(long)]
    events: Option<usize>,
    /// The arm to reconstruct (its name in both files); all when absent.
    #[arg(long)]
    arm: Option<String>,
    /// Write the patients as CSV (arm,time,event).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// The arm the Cox hazard ratios between arms are against (default:
    /// the first arm in the at-risk file).
    #[arg(long, value_name = "ARM")]
    reference: Option<String>,
    #[command(flatten)]
    figure: FigureArgs,
    #[command(flatten)]
    axis: TimeAxisArgs,
}

pub(super) fn reconstruct(a: &ReconstructArgs) -> anyhow::Result<ExitCode> {
    use crate::export::reconstruct_json::ipd_table;
    use crate::export::reconstruct_json::{reconstruct_text, write_reconstruct_json};
    use crate::workflow::reconstruct::curves::{read_at_risk, read_curves};
    use crate::workflow::reconstruct::{arm_curves, arm_hazard_ratios, reconstruct_arms};

    let format = match plot_format(&a.figure) {
        Ok(f) => f,
        Err(e) => return usage(e),
    };

    let curve_name = a.curve.display().to_string();
    let risk_name = a.at_risk.display().to_string();
    let curves = match read_curves(&read_table(&a.curve, &curve_name, None)?) {
        Ok(c) => c,
        Err(e) => return data_errors(&e),
    };
    let risks = match read_at_risk(&read_table(&a.at_risk, &risk_name, None)?) {
        Ok(r) => r,
        Err(e) => return data_errors(&e),
    };
    let arms = match reconstruct_arms(curves, risks, a.events, a.arm.as_deref()) {
        Ok(x) => x,
        Err(e) => return data_errors(&e),
    };
    let hrs = match arm_hazard_ratios(&arms, a.reference.as_deref()) {
        Ok(h) => h,
        Err(e) => return data_errors(&[e]),
    };
    if let Some(path) = &a.out {
        let bytes = crate::export::to_csv(&ipd_table(&arms))?;
        std::fs::write(path, bytes)
            .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", path.display()))?;
    }
    if let (Some(path), Some(format)) = (&a.figure.plot, format) {
        let curves = match arm_curves(&arms) {
            Ok(c) => c,
            Err(e) => return data_errors(&[e]),
        };
        let points: Vec<Vec<(f64, f64)>> = arms.iter().map(|a| a.points.clone()).collect();
        let title = a
            .figure
            .title
            .clone()
            .unwrap_or_else(|| format!("Reconstructed patients: {}", file_name(&a.curve)));
        match reconstruct_figure(&title, &curves, &points, &a.axis.axis()) {
            Ok(p) => write_figure(path, format, render_km_svg(&p), a.figure.dpi)?,
            Err(e) => return usage(format!("--{}", e.replace('_', "-"))),
        }
    }
    emit(
        a.json,
        |w| Ok(write_reconstruct_json(&arms, hrs.as_ref(), w)?),
        || reconstruct_text(&arms, hrs.as_ref()),
    )
}
