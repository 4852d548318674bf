//! Tables of per-study medians and spreads (`study, n, min, q1, median, q3,
//! max` and optionally `mean, sd`) → conversions to mean/SD and pooled
//! medians. Shared by `survlit convert` and `survlit medians`. Every bad
//! cell is an error naming file, line, column, value and the fix; every
//! converted value is flagged as such.

use crate::ingest::RawTable;
use crate::stats::medians::boxcox::{bc_mean_sd, mln_mean_sd};
use crate::stats::medians::fivenum::{self, ClosedForm, Scale, SkewTest};
use crate::stats::medians::pool_med::{pool_med, PooledMedian};
use crate::stats::medians::qe::{qe_fit, qe_study, Convention, GroupSummary};
use crate::stats::medians::FiveNum;
use crate::stats::pool::{rma, RmaFit, RmaParams, Tau2Method, TestKind};

/// One study's row.
#[derive(Debug, Clone, PartialEq)]
pub struct StudySummary {
    /// Study label.
    pub study: String,
    /// Line in the file.
    pub line: usize,
    /// Sample size.
    pub n: f64,
    /// Minimum, quartiles, median, maximum (any may be missing).
    pub five: [Option<f64>; 5],
    /// Mean and SD, when reported instead of (or besides) quantiles.
    pub mean_sd: Option<(f64, f64)>,
    /// The `group` column, when there is one (two-group differences).
    pub group: Option<String>,
}

impl StudySummary {
    fn five_num(&self) -> Option<FiveNum> {
        Some(FiveNum {
            n: self.n,
            min: self.five[0],
            q1: self.five[1],
            median: self.five[2]?,
            q3: self.five[3],
            max: self.five[4],
        })
    }
}

const COLUMNS: [&str; 5] = ["min", "q1", "median", "q3", "max"];

/// Reads the rows: `study` and `n` required; quantile columns any subset.
pub fn read_summaries(table: &RawTable) -> Result<Vec<StudySummary>, Vec<String>> {
    let file = &table.source.display;
    let col = |name: &str| table.column(name);
    let mut errors = Vec::new();
    let (Some(study), Some(n)) = (col("study"), col("n")) else {
        return Err(vec![format!(
            "{file}: needs columns 'study' and 'n' (and any of min, q1, median, q3, max, mean, sd); found: {}",
            table.header.join(", ")
        )]);
    };
    let five_cols = COLUMNS.map(col);
    let (mean_col, sd_col, group_col) = (col("mean"), col("sd"), col("group"));
    let mut out = Vec::new();
    for row in &table.rows {
        let cells = table.cells(row);
        let text = |c: Option<usize>| c.and_then(|i| cells.get(i)).unwrap_or("");
        let label = text(Some(study)).to_string();
        let at = |name: &str, value: &str| {
            format!(
                "{file}, line {}, column '{name}' (value '{value}', study '{label}')",
                row.line
            )
        };
        let mut number = |name: &str, c: Option<usize>| -> Option<f64> {
            let v = text(c);
            if v.is_empty() {
                return None;
            }
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    let fix = if matches!(
                        v.to_ascii_lowercase().as_str(),
                        "nr" | "not reached" | "n.r."
                    ) {
                        "a median not reached is not a number: leave the cell empty and say so in the study's notes (it cannot be pooled as a value)"
                    } else {
                        "write a plain number (decimal point, no units or qualifiers)"
                    };
                    errors.push(format!("{}: not a number; {fix}", at(name, v)));
                    None
                }
            }
        };
        if label.is_empty() {
            errors.push(format!(
                "{file}, line {}: column 'study' is empty; name the study",
                row.line
            ));
            continue;
        }
        let Some(nv) = number("n", Some(n)) else {
            if text(Some(n)).is_empty() {
                errors.push(format!(
                    "{}: n is missing; give the number of patients",
                    at("n", "")
                ));
            }
            continue;
        };
        if nv < 1.0 {
            errors.push(format!("{}: n must be at least 1", at("n", text(Some(n)))));
            continue;
        }
        let five: Vec<Option<f64>> = COLUMNS
            .iter()
            .zip(five_cols)
            .map(|(name, c)| number(name, c))
            .collect();
        let mean = number("mean", mean_col);
        let sd = number("sd", sd_col);
        let present: Vec<(&str, f64)> = COLUMNS
            .iter()
            .zip(&five)
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        if let Some(w) = present.windows(2).find(|w| w[0].1 > w[1].1) {
            errors.push(format!(
                "{}: {} {} is greater than {} {}; the values must satisfy min ≤ q1 ≤ median ≤ q3 ≤ max (a swapped pair?)",
                at(w[0].0, &w[0].1.to_string()),
                w[0].0,
                w[0].1,
                w[1].0,
                w[1].1
            ));
            continue;
        }
        out.push(StudySummary {
            study: label.clone(),
            line: row.line,
            n: nv,
            five: [five[0], five[1], five[2], five[3], five[4]],
            mean_sd: mean.zip(sd),
            group: group_col
                .and_then(|i| cells.get(i))
                .filter(|g| !g.is_empty())
                .map(str::to_string),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// How to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvertMethod {
    /// A closed form.
    Closed(ClosedForm),
    /// Quantile estimation (McGrath 2020b).
    Qe,
    /// Box–Cox (McGrath 2020b).
    Bc,
    /// Maximum likelihood on the Box–Cox scale (Cai 2021).
    Mln,
}

impl ConvertMethod {
    /// Parses the command-line name.
    pub fn parse(s: &str) -> Result<ConvertMethod, String> {
        Ok(match s {
            "luo-wan" => ConvertMethod::Closed(ClosedForm::LuoWan),
            "luo-shi" => ConvertMethod::Closed(ClosedForm::LuoShi),
            "hozo" => ConvertMethod::Closed(ClosedForm::Hozo),
            "qe" => ConvertMethod::Qe,
            "bc" => ConvertMethod::Bc,
            "mln" => ConvertMethod::Mln,
            other => {
                return Err(format!(
                    "unknown conversion method '{other}' (luo-wan, luo-shi, hozo, qe, bc, mln)"
                ))
            }
        })
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            ConvertMethod::Closed(c) => c.name(),
            ConvertMethod::Qe => "qe",
            ConvertMethod::Bc => "bc",
            ConvertMethod::Mln => "mln",
        }
    }
}

/// What to do with a study the skewness test flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkewedPolicy {
    /// Leave it out (Shi et al. 2023's recommendation; the default).
    Exclude,
    /// Convert it on the log scale (Shi 2020b's log-normal method).
    LogNormal,
    /// Convert it anyway, flagged.
    Keep,
}

/// One study's conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedRow {
    /// Study label.
    pub study: String,
    /// Line in the file.
    pub line: usize,
    /// Sample size.
    pub n: f64,
    /// S1, S2, S3, or "mean/sd" when reported directly.
    pub scenario: String,
    /// Mean (reported or converted; NaN when excluded).
    pub mean: f64,
    /// SD (reported or converted; NaN when excluded).
    pub sd: f64,
    /// Whether the values were converted (not reported).
    pub converted: bool,
    /// How: formulas, or the QE family, or "reported".
    pub route: String,
    /// The skewness test, when run.
    pub skew: Option<SkewTest>,
    /// Left out, and why.
    pub excluded: Option<String>,
}

/// Converts each study to a mean and SD (a reported mean and SD is kept).
pub fn convert_all(
    rows: &[StudySummary],
    method: ConvertMethod,
    skewed: SkewedPolicy,
) -> Vec<ConvertedRow> {
    rows.iter()
        .map(|r| {
            let base = ConvertedRow {
                study: r.study.clone(),
                line: r.line,
                n: r.n,
                scenario: String::new(),
                mean: f64::NAN,
                sd: f64::NAN,
                converted: false,
                route: String::new(),
                skew: None,
                excluded: None,
            };
            if let Some((mean, sd)) = r.mean_sd {
                return ConvertedRow { scenario: "mean/sd".into(), mean, sd, route: "reported".into(), ..base };
            }
            let Some(f) = r.five_num() else {
                return ConvertedRow { excluded: Some("no median and no mean/SD".into()), ..base };
            };
            let exclude = |why: String, scenario: String| ConvertedRow { excluded: Some(why), scenario, ..base.clone() };
            // The skewness test on the values as reported.
            let (scenario, skew) = match f.scenario() {
                Ok(sc) => (sc.label().to_string(), Some(fivenum::skew_test(&sc, f.median, f.n))),
                Err(_) => (String::new(), None),
            };
            let skewed_now = skew.is_some_and(|s| s.skewed());
            if skewed_now && skewed == SkewedPolicy::Exclude {
                let s = skew.expect("tested");
                return ConvertedRow {
                    skew,
                    ..exclude(
                        format!(
                            "skewed (Shi 2023 test {:.3} ≥ critical {:.3}); to convert it on the log scale instead, use --skewed lognormal",
                            s.statistic, s.critical
                        ),
                        scenario,
                    )
                };
            }
            let result = if skewed_now && skewed == SkewedPolicy::LogNormal {
                fivenum::convert(&f, ClosedForm::LuoShi, Scale::LogNormal).map(|c| (c.mean, c.sd, c.formulas))
            } else {
                match method {
                    ConvertMethod::Closed(cf) => fivenum::convert(&f, cf, Scale::Normal).map(|c| (c.mean, c.sd, c.formulas)),
                    ConvertMethod::Qe => qe_fit(&f, Convention::MeanSd).map(|fit| {
                        let (m, s) = fit.mean_sd();
                        (m, s, format!("QE (McGrath 2020b), best fit {}", fit.best.family.name()))
                    }),
                    ConvertMethod::Bc => bc_mean_sd(&f).map(|b| {
                        (b.mean, b.sd, format!("BC (McGrath 2020b), lambda {:.4}, expectation by integration", b.lambda))
                    }),
                    ConvertMethod::Mln => mln_mean_sd(&f).map(|b| {
                        (b.mean, b.sd, format!("MLN (Cai 2021), lambda {:.4}, expectation by integration", b.lambda))
                    }),
                }
            };
            match result {
                Ok((mean, sd, route)) => {
                    let route = if skewed_now && skewed == SkewedPolicy::Keep {
                        format!("{route}; skewed, kept as asked")
                    } else {
                        route
                    };
                    ConvertedRow { scenario, mean, sd, converted: true, route, skew, ..base }
                }
                Err(e) => ConvertedRow { skew, ..exclude(e.to_string(), scenario) },
            }
        })
        .collect()
}

/// How to pool medians.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MedianMethod {
    /// Median of medians.
    Mm,
    /// Median of medians weighted by n.
    Wmm,
    /// QE variances, then inverse-variance (REML) pooling.
    Qe,
}

impl MedianMethod {
    /// Parses the command-line name.
    pub fn parse(s: &str) -> Result<MedianMethod, String> {
        Ok(match s {
            "mm" => MedianMethod::Mm,
            "wmm" => MedianMethod::Wmm,
            "qe" => MedianMethod::Qe,
            other => return Err(format!("unknown median method '{other}' (mm, wmm, qe)")),
        })
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            MedianMethod::Mm => "mm",
            MedianMethod::Wmm => "wmm",
            MedianMethod::Qe => "qe",
        }
    }
}

/// One study in a pooled median.
#[derive(Debug, Clone, PartialEq)]
pub struct MedianRow {
    /// Study label.
    pub study: String,
    /// Line in the file.
    pub line: usize,
    /// Sample size.
    pub n: f64,
    /// The study's median (a mean when only mean/SD was reported, QE only).
    pub median: f64,
    /// Its sampling variance (QE), else NaN.
    pub vi: f64,
    /// Weight in percent.
    pub weight: f64,
    /// Route: "median", or the QE family, or "mean/sd (normal)".
    pub route: String,
    /// Left out, and why.
    pub excluded: Option<String>,
}

/// A pooled median.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledMedians {
    /// Method.
    pub method: MedianMethod,
    /// Estimate.
    pub estimate: f64,
    /// CI.
    pub ci_lb: f64,
    /// CI.
    pub ci_ub: f64,
    /// Studies pooled.
    pub k: usize,
    /// The REML fit (QE only).
    pub fit: Option<RmaFit>,
    /// Per-study rows.
    pub rows: Vec<MedianRow>,
}

/// The summary QE takes for one group's row.
fn group_summary(r: &StudySummary) -> Result<GroupSummary, String> {
    match (r.five_num(), r.mean_sd) {
        (Some(f), _) if f.scenario().is_ok() => Ok(GroupSummary::Quantiles(f)),
        (_, Some((mean, sd))) => Ok(GroupSummary::MeanSd { mean, sd, n: r.n }),
        (Some(f), None) => Err(f
            .scenario()
            .err()
            .map_or_else(String::new, |e| e.to_string())),
        (None, None) => Err("no median and no mean/SD".into()),
    }
}

/// Pairs each study's two groups (`group` column) for a difference of
/// medians, group 1 − group 2; every study needs exactly one row of each.
pub fn pair_groups<'a>(
    rows: &'a [StudySummary],
    groups: (&str, &str),
) -> Result<Vec<(&'a StudySummary, Option<&'a StudySummary>)>, Vec<String>> {
    let mut errors = Vec::new();
    let mut studies: Vec<&str> = rows.iter().map(|r| r.study.as_str()).collect();
    studies.dedup();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for study in studies {
        if !seen.insert(study) {
            continue;
        }
        let pick = |g: &str| -> Vec<&'a StudySummary> {
            rows.iter()
                .filter(|r| r.study == study && r.group.as_deref() == Some(g))
                .collect()
        };
        let (a, b) = (pick(groups.0), pick(groups.1));
        match (a.as_slice(), b.as_slice()) {
            ([a], [b]) => out.push((*a, Some(*b))),
            (a, b) => errors.push(format!(
                "study '{study}': needs one row for group '{}' and one for '{}' (found {} and {}); check the group column",
                groups.0,
                groups.1,
                a.len(),
                b.len()
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Pools the studies' medians: each item is one group, or two groups whose
/// difference of medians (group 1 − group 2) is pooled.
pub fn pool_medians(
    items: &[(&StudySummary, Option<&StudySummary>)],
    method: MedianMethod,
) -> Result<PooledMedians, String> {
    let mut out: Vec<MedianRow> = Vec::new();
    for &(r, r2) in items {
        let mut row = MedianRow {
            study: r.study.clone(),
            line: r.line,
            n: r.n + r2.map_or(0.0, |b| b.n),
            median: f64::NAN,
            vi: f64::NAN,
            weight: f64::NAN,
            route: if r2.is_some() {
                "difference of medians"
            } else {
                "median"
            }
            .into(),
            excluded: None,
        };
        match method {
            MedianMethod::Mm | MedianMethod::Wmm => match (r.five[2], r2.map(|b| b.five[2])) {
                (Some(m), None) => row.median = m,
                (Some(m1), Some(Some(m2))) => row.median = m1 - m2,
                _ => row.excluded = Some("no median reported".into()),
            },
            MedianMethod::Qe => {
                let g1 = group_summary(r);
                let g2 = r2.map(group_summary).transpose();
                match (g1, g2) {
                    (Ok(g1), Ok(g2)) => match qe_study(&g1, g2.as_ref()) {
                        Ok(s) => {
                            row.median = s.yi;
                            row.vi = s.vi;
                            let route = |g: &GroupSummary, fam: &str| match g {
                                GroupSummary::MeanSd { .. } => {
                                    "mean/sd (normal: median = mean)".to_string()
                                }
                                GroupSummary::Quantiles(_) => format!("QE, {fam}"),
                            };
                            row.route = match &g2 {
                                None => route(&g1, s.families[0]),
                                Some(g2) => format!(
                                    "{} − {}",
                                    route(&g1, s.families[0]),
                                    route(g2, s.families[1])
                                ),
                            };
                        }
                        Err(e) => row.excluded = Some(e.to_string()),
                    },
                    (Err(e), _) | (_, Err(e)) => row.excluded = Some(e),
                }
            }
        }
        out.push(row);
    }
    let used: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].excluded.is_none())
        .collect();
    if used.is_empty() {
        return Err("no study can be pooled (see each study's reason)".into());
    }
    let y: Vec<f64> = used.iter().map(|&i| out[i].median).collect();
    match method {
        MedianMethod::Mm | MedianMethod::Wmm => {
            let w: Vec<f64> = used.iter().map(|&i| out[i].n).collect();
            let p: PooledMedian = pool_med(&y, (method == MedianMethod::Wmm).then_some(&w[..]))
                .map_err(|e| e.to_string())?;
            let total: f64 = w.iter().sum();
            for &i in &used {
                out[i].weight = if method == MedianMethod::Wmm {
                    100.0 * out[i].n / total
                } else {
                    100.0 / used.len() as f64
                };
            }
            Ok(PooledMedians {
                method,
                estimate: p.estimate,
                ci_lb: p.ci_lb,
                ci_ub: p.ci_ub,
                k: p.k,
                fit: None,
                rows: out,
            })
        }
        MedianMethod::Qe => {
            let v: Vec<f64> = used.iter().map(|&i| out[i].vi).collect();
            let labels: Vec<&str> = used.iter().map(|&i| out[i].study.as_str()).collect();
            let fit = rma(
                &y,
                &v,
                None,
                &labels,
                RmaParams {
                    method: Tau2Method::REML,
                    test: TestKind::Z,
                    level: 0.95,
                },
            )
            .map_err(|e| e.to_string())?;
            for (j, &i) in used.iter().enumerate() {
                out[i].weight = fit.weights[j];
            }
            Ok(PooledMedians {
                method,
                estimate: fit.beta[0],
                ci_lb: fit.ci_lb[0],
                ci_ub: fit.ci_ub[0],
                k: fit.k,
                fit: Some(fit),
                rows: out,
            })
        }
    }
}
