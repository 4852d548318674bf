//! Output of `survlit medians` and `survlit convert`: JSON (one object per
//! study on a line) or a readable table. Formats what the analysis computed.

use crate::domain::Vocab;
use std::fmt::Write as _;

use serde::Serialize;

use super::json::{write_rows, Num};
use crate::workflow::medians::{ConvertedRow, PooledMedians};

#[derive(Serialize)]
struct MedianStudy<'a> {
    study: &'a str,
    line: usize,
    n: Num,
    median: Num,
    vi: Num,
    weight: Num,
    route: &'a str,
    excluded: Option<&'a str>,
}

#[derive(Serialize)]
struct MediansJson<'a> {
    method: &'a str,
    estimate: Num,
    ci_lb: Num,
    ci_ub: Num,
    k: usize,
    ci: &'a str,
    tau2: Option<Num>,
    i2: Option<Num>,
    q: Option<Num>,
    studies: Vec<MedianStudy<'a>>,
}

/// How the CI was obtained, for the reader.
pub fn median_ci_text(p: &PooledMedians) -> &'static str {
    match p.method {
        crate::workflow::medians::MedianMethod::Qe => {
            "95% Wald CI of the REML pooled estimate (QE variances, McGrath 2020a)"
        }
        _ => "95% CI by inverting the sign test, normal approximation (McGrath 2019)",
    }
}

/// Writes the pooled median as JSON.
pub fn write_medians_json(p: &PooledMedians, w: &mut dyn std::io::Write) -> serde_json::Result<()> {
    let studies = p
        .rows
        .iter()
        .map(|r| MedianStudy {
            study: &r.study,
            line: r.line,
            n: Num(r.n),
            median: Num(r.median),
            vi: Num(r.vi),
            weight: Num(r.weight),
            route: &r.route,
            excluded: r.excluded.as_deref(),
        })
        .collect();
    let json = MediansJson {
        method: p.method.name(),
        estimate: Num(p.estimate),
        ci_lb: Num(p.ci_lb),
        ci_ub: Num(p.ci_ub),
        k: p.k,
        ci: median_ci_text(p),
        tau2: p.fit.as_ref().map(|f| Num(f.tau2)),
        i2: p.fit.as_ref().map(|f| Num(f.i2)),
        q: p.fit.as_ref().map(|f| Num(f.q)),
        studies,
    };
    write_rows(&json, w)
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "-".into()
    }
}

/// The pooled median as a readable table.
pub fn medians_text(p: &PooledMedians) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<28} {:>6} {:>10} {:>8}  route",
        "study", "n", "median", "weight%"
    );
    for r in &p.rows {
        let route = r
            .excluded
            .as_ref()
            .map_or(r.route.clone(), |e| format!("left out: {e}"));
        let _ = writeln!(
            s,
            "{:<28} {:>6} {:>10} {:>8}  {route}",
            r.study,
            r.n,
            num(r.median),
            num(r.weight)
        );
    }
    let _ = writeln!(
        s,
        "\npooled median ({}, k = {}): {} ({} to {})\n{}",
        p.method.name(),
        p.k,
        num(p.estimate),
        num(p.ci_lb),
        num(p.ci_ub),
        median_ci_text(p)
    );
    if let Some(f) = &p.fit {
        let _ = writeln!(
            s,
            "tau^2 = {}, I^2 = {:.2}%, Q({}) = {}",
            num(f.tau2),
            f.i2,
            f.q_df,
            num(f.q)
        );
    }
    s
}

#[derive(Serialize)]
struct ConvertStudy<'a> {
    study: &'a str,
    line: usize,
    n: Num,
    scenario: &'a str,
    mean: Num,
    sd: Num,
    converted: bool,
    route: &'a str,
    skew_statistic: Option<Num>,
    skew_critical: Option<Num>,
    skewed: Option<bool>,
    excluded: Option<&'a str>,
}

#[derive(Serialize)]
struct ConvertJson<'a> {
    to: &'a str,
    method: &'a str,
    k_converted: usize,
    k_excluded: usize,
    studies: Vec<ConvertStudy<'a>>,
}

/// Writes the conversions as JSON.
pub fn write_convert_json(
    method: &str,
    rows: &[ConvertedRow],
    w: &mut dyn std::io::Write,
) -> serde_json::Result<()> {
    let studies = rows
        .iter()
        .map(|r| ConvertStudy {
            study: &r.study,
            line: r.line,
            n: Num(r.n),
            scenario: &r.scenario,
            mean: Num(r.mean),
            sd: Num(r.sd),
            converted: r.converted,
            route: &r.route,
            skew_statistic: r.skew.map(|t| Num(t.statistic)),
            skew_critical: r.skew.map(|t| Num(t.critical)),
            skewed: r.skew.map(|t| t.skewed()),
            excluded: r.excluded.as_deref(),
        })
        .collect();
    let json = ConvertJson {
        to: "mean-sd",
        method,
        k_converted: rows.iter().filter(|r| r.converted).count(),
        k_excluded: rows.iter().filter(|r| r.excluded.is_some()).count(),
        studies,
    };
    write_rows(&json, w)
}

/// The conversions as a readable table.
pub fn convert_text(method: &str, rows: &[ConvertedRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<28} {:>6} {:>8} {:>10} {:>10}  route",
        "study", "n", "summary", "mean", "sd"
    );
    for r in rows {
        let route = r
            .excluded
            .as_ref()
            .map_or(r.route.clone(), |e| format!("left out: {e}"));
        let _ = writeln!(
            s,
            "{:<28} {:>6} {:>8} {:>10} {:>10}  {route}",
            r.study,
            r.n,
            r.scenario,
            num(r.mean),
            num(r.sd)
        );
    }
    let _ = writeln!(
        s,
        "\n{} converted with {method}, {} left out; converted values are estimates (flag them in sensitivity analyses)",
        rows.iter().filter(|r| r.converted).count(),
        rows.iter().filter(|r| r.excluded.is_some()).count()
    );
    s
}
