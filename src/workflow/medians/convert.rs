//! Per-study conversions of medians and spreads to mean/SD (closed forms,
//! QE, Box–Cox, MLN), with the skewness test and the policy for skewed rows.

use super::StudySummary;
use crate::domain::{parsed_as_vocab, Vocab};
use crate::stats::medians::boxcox::{bc_mean_sd, mln_mean_sd};
use crate::stats::medians::fivenum::{self, ClosedForm, Scale, SkewTest};
use crate::stats::medians::qe::{qe_fit, Convention};

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

/// `--method` of `survlit convert` and `conversion = "…"` of a `medians`
/// analysis: one vocabulary.
impl Vocab for ConvertMethod {
    const WHAT: &'static str = "conversion";
    const ALL: &'static [(&'static str, Self)] = &[
        ("luo-shi", ConvertMethod::Closed(ClosedForm::LuoShi)),
        ("luo-wan", ConvertMethod::Closed(ClosedForm::LuoWan)),
        ("hozo", ConvertMethod::Closed(ClosedForm::Hozo)),
        ("qe", ConvertMethod::Qe),
        ("bc", ConvertMethod::Bc),
        ("mln", ConvertMethod::Mln),
    ];
}

parsed_as_vocab!(ConvertMethod);

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
