//! `survlit medians FILE --method mm|wmm|qe` and `survlit convert FILE --to
//! mean-sd --method ...`: pooled medians, and means/SDs from medians.

use std::path::PathBuf;
use std::process::ExitCode;

use super::survival::{data_errors, emit, usage};
use super::vocab::vocab;
use crate::domain::Vocab;
use crate::export::medians_json::{
    convert_text, medians_text, write_convert_json, write_medians_json,
};
use crate::ingest::read_table;
use crate::workflow::medians::{
    convert_all, pair_groups, pool_medians, read_summaries, ConvertMethod, MedianMethod,
    SkewedPolicy, StudySummary,
};

/// Arguments of `survlit medians`.
#[derive(Debug, clap::Args)]
pub struct MediansArgs {
    /// CSV (or .xlsx with --sheet) with columns study, n, median and, for
    /// qe, q1/q3 and/or min/max (or mean, sd).
    pub file: PathBuf,
    /// mm (median of medians), wmm (weighted by n) or qe (quantile
    /// estimation variances, REML pooling).
    #[arg(long, value_parser = vocab::<MedianMethod>())]
    pub method: MedianMethod,
    /// Pool the difference of medians between two groups, G1 − G2: the
    /// table then has a `group` column and one row per study and group.
    #[arg(long, value_name = "G1,G2", value_delimiter = ',')]
    pub diff: Vec<String>,
    /// Worksheet, for spreadsheets.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `survlit convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// CSV (or .xlsx with --sheet) with columns study, n and any of min, q1,
    /// median, q3, max (a reported mean and sd are kept as they are).
    pub file: PathBuf,
    /// Target: mean-sd.
    #[arg(long, value_parser = ["mean-sd"])]
    pub to: String,
    /// luo-shi (Luo mean, Wan/Shi SD: metafor's recommended), luo-wan, hozo,
    /// qe (quantile estimation), bc (Box-Cox) or mln (Cai 2021). bc and mln
    /// integrate where estmeansd simulates, so no seed is needed.
    #[arg(long, default_value = "luo-shi", value_parser = vocab::<ConvertMethod>())]
    pub method: ConvertMethod,
    /// Studies the Shi 2023 skewness test flags: exclude (default), convert
    /// on the log scale (lognormal), or keep them as normal (keep).
    #[arg(long, default_value = "exclude", value_parser = vocab::<SkewedPolicy>())]
    pub skewed: SkewedPolicy,
    /// Worksheet, for spreadsheets.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn load(
    file: &std::path::Path,
    sheet: Option<&str>,
) -> anyhow::Result<Result<Vec<StudySummary>, ExitCode>> {
    let display = file.display().to_string();
    let table = read_table(file, &display, sheet)?;
    match read_summaries(&table) {
        Ok(rows) => Ok(Ok(rows)),
        Err(errors) => data_errors(&errors).map(Err),
    }
}

pub(super) fn medians(a: &MediansArgs) -> anyhow::Result<ExitCode> {
    let method = a.method;
    let rows = match load(&a.file, a.sheet.as_deref())? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let items = match a.diff.as_slice() {
        [] => rows.iter().map(|r| (r, None)).collect(),
        [g1, g2] => match pair_groups(&rows, (g1, g2)) {
            Ok(items) => items,
            Err(errors) => return data_errors(&errors),
        },
        _ => return usage("--diff takes two group names: --diff G1,G2".into()),
    };
    let pooled = match pool_medians(&items, method) {
        Ok(p) => p,
        Err(e) => return data_errors(&[e]),
    };
    emit(
        a.json,
        |w| Ok(write_medians_json(&pooled, w)?),
        || medians_text(&pooled),
    )
}

pub(super) fn convert(a: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let (method, skewed) = (a.method, a.skewed);
    let rows = match load(&a.file, a.sheet.as_deref())? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let out = convert_all(&rows, method, skewed);
    emit(
        a.json,
        |w| Ok(write_convert_json(method.name(), &out, w)?),
        || convert_text(method.name(), &out),
    )
}
