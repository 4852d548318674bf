//! Pooled medians of study summaries: (weighted) median of medians, QE and
//! differences of medians between paired groups.

use super::StudySummary;
use crate::domain::{parsed_as_vocab, Vocab};
use crate::stats::medians::pool_med::{pool_med, PooledMedian};
use crate::stats::medians::qe::{qe_study, GroupSummary};
use crate::stats::pool::{RmaFit, RmaParams, Tau2Method, TestKind};
use crate::workflow::pool::fit_studies;

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

/// `--method` of `survlit medians`.
impl Vocab for MedianMethod {
    const WHAT: &'static str = "median method";
    const ALL: &'static [(&'static str, Self)] = &[
        ("mm", MedianMethod::Mm),
        ("wmm", MedianMethod::Wmm),
        ("qe", MedianMethod::Qe),
    ];
}

parsed_as_vocab!(MedianMethod);

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
            let studies = used
                .iter()
                .map(|&i| (out[i].study.as_str(), out[i].median, out[i].vi));
            let params = RmaParams {
                method: Tau2Method::REML,
                test: TestKind::Z,
                level: 0.95,
            };
            let fit = fit_studies(studies, params).map_err(|e| e.to_string())?;
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
