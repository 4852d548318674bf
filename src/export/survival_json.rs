//! Output of `survlit km`, `logrank` and `cox`: JSON (keys as R names
//! things) or a readable table. Formats summaries the analysis computed.

use crate::number::{p_value, PStyle};
use serde::Serialize;

use super::json::{write_rows, Num, Rows};
use crate::stats::survival::km::KmStep;
use crate::stats::survival::logrank::LogRank;
use crate::workflow::survival::{CoxSummary, CurveSummary};

/// What the km command reports for each curve.
#[derive(Debug, Clone)]
pub struct KmReport<'a> {
    /// Curves with their summaries.
    pub curves: &'a [CurveSummary],
    /// Caveats (dropped rows, small groups).
    pub warnings: &'a [String],
}

fn opt(v: Option<f64>) -> Num {
    Num(v.unwrap_or(f64::NAN))
}

#[derive(Serialize)]
struct StepRow {
    time: Num,
    n_risk: usize,
    n_event: usize,
    n_censor: usize,
    surv: Num,
    se_surv: Num,
    ci_lb: Num,
    ci_ub: Num,
}

fn step_row(s: &KmStep) -> StepRow {
    StepRow {
        time: Num(s.time),
        n_risk: s.n_risk,
        n_event: s.n_event,
        n_censor: s.n_censor,
        surv: Num(s.surv),
        se_surv: Num(s.se_surv()),
        ci_lb: Num(s.ci_lb),
        ci_ub: Num(s.ci_ub),
    }
}

#[derive(Serialize)]
struct AtRow {
    time: Num,
    n_risk: usize,
    surv: Num,
    se_surv: Num,
    ci_lb: Num,
    ci_ub: Num,
}

#[derive(Serialize)]
#[serde(bound(serialize = "I: Iterator<Item = StepRow> + Clone"))]
struct GroupJson<'a, I: Iterator<Item = StepRow> + Clone> {
    group: &'a str,
    n: usize,
    events: usize,
    median: Num,
    median_ci_lb: Num,
    median_ci_ub: Num,
    median_reached: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    rmst_tau: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rmst: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rmst_se: Option<Num>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    at_times: Vec<AtRow>,
    table: Rows<I>,
}

#[derive(Serialize)]
struct KmJson<'a, G: Serialize> {
    conf_type: String,
    level: Num,
    groups: Vec<G>,
    warnings: &'a [String],
}

/// Writes the km JSON.
pub fn write_km_json<W: std::io::Write>(r: &KmReport<'_>, w: W) -> serde_json::Result<()> {
    let first = r.curves.first().map(|c| &c.fit);
    let groups: Vec<_> = r
        .curves
        .iter()
        .map(|c| GroupJson {
            group: &c.label,
            n: c.fit.n,
            events: c.fit.events,
            median: opt(c.median.estimate),
            median_ci_lb: opt(c.median.ci_lb),
            median_ci_ub: opt(c.median.ci_ub),
            median_reached: c.median.estimate.is_some(),
            rmst_tau: c.rmst.map(|x| Num(x.0)),
            rmst: c.rmst.map(|x| Num(x.1)),
            rmst_se: c.rmst.map(|x| Num(x.2)),
            at_times: c
                .at
                .iter()
                .map(|a| AtRow {
                    time: Num(a.time),
                    n_risk: a.n_risk,
                    surv: Num(a.surv),
                    se_surv: Num(a.se_surv),
                    ci_lb: Num(a.ci_lb),
                    ci_ub: Num(a.ci_ub),
                })
                .collect(),
            table: Rows(c.fit.steps.iter().map(step_row)),
        })
        .collect();
    write_rows(
        &KmJson {
            conf_type: first.map_or("log".into(), |f| f.conf_type.to_string()),
            level: Num(first.map_or(0.95, |f| f.level) * 100.0),
            groups,
            warnings: r.warnings,
        },
        w,
    )
}

fn cell(v: Option<f64>, d: usize) -> String {
    v.map_or_else(|| "NR".into(), |x| format!("{x:.d$}"))
}

/// A readable summary of the km command.
pub fn km_text(r: &KmReport<'_>) -> String {
    let mut s = String::new();
    if let Some(c) = r.curves.first() {
        s.push_str(&format!(
            "Kaplan-Meier, {}% CI ({}); NR = not reached\n\n",
            c.fit.level * 100.0,
            c.fit.conf_type
        ));
    }
    let tau = r.curves.first().and_then(|c| c.rmst).map(|x| x.0);
    s.push_str(&format!(
        "{:<24} {:>6} {:>7} {:>10} {:>10} {:>10}{}\n",
        "group",
        "n",
        "events",
        "median",
        "ci.lb",
        "ci.ub",
        tau.map_or(String::new(), |t| format!(
            " {:>10} {:>9}",
            format!("rmst({t})"),
            "se"
        ))
    ));
    for c in r.curves {
        s.push_str(&format!(
            "{:<24} {:>6} {:>7} {:>10} {:>10} {:>10}{}\n",
            c.label,
            c.fit.n,
            c.fit.events,
            cell(c.median.estimate, 2),
            cell(c.median.ci_lb, 2),
            cell(c.median.ci_ub, 2),
            c.rmst
                .map_or(String::new(), |(_, a, b)| format!(" {a:>10.3} {b:>9.3}"))
        ));
    }
    if r.curves.iter().any(|c| !c.at.is_empty()) {
        s.push_str(&format!(
            "\n{:<24} {:>10} {:>7} {:>8} {:>8} {:>8} {:>8}\n",
            "group", "time", "n.risk", "surv", "se", "ci.lb", "ci.ub"
        ));
        for c in r.curves {
            for a in &c.at {
                s.push_str(&format!(
                    "{:<24} {:>10} {:>7} {:>8.4} {:>8.4} {:>8.4} {:>8.4}\n",
                    c.label, a.time, a.n_risk, a.surv, a.se_surv, a.ci_lb, a.ci_ub
                ));
            }
        }
    }
    for w in r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

#[derive(Serialize)]
struct LogRankGroup<'a> {
    group: &'a str,
    n: usize,
    observed: Num,
    expected: Num,
}

#[derive(Serialize)]
struct LogRankJson<'a> {
    test: &'static str,
    rho: Num,
    chisq: Num,
    df: usize,
    pval: Num,
    groups: Vec<LogRankGroup<'a>>,
    warnings: &'a [String],
}

fn test_name(rho: f64) -> &'static str {
    if rho == 0.0 {
        "log-rank"
    } else if rho == 1.0 {
        "Peto-Peto"
    } else {
        "G-rho"
    }
}

/// Writes the logrank JSON.
pub fn write_logrank_json<W: std::io::Write>(
    names: &[String],
    r: &LogRank,
    warnings: &[String],
    w: W,
) -> serde_json::Result<()> {
    write_rows(
        &LogRankJson {
            test: test_name(r.rho),
            rho: Num(r.rho),
            chisq: Num(r.chisq),
            df: r.df,
            pval: Num(r.pval),
            groups: names
                .iter()
                .zip(&r.groups)
                .map(|(g, c)| LogRankGroup {
                    group: g,
                    n: c.n,
                    observed: Num(c.observed),
                    expected: Num(c.expected),
                })
                .collect(),
            warnings,
        },
        w,
    )
}

/// A readable log-rank table, as R prints `survdiff`.
pub fn logrank_text(names: &[String], r: &LogRank, warnings: &[String]) -> String {
    let mut s = format!(
        "{} test (rho = {})\n\n{:<24} {:>6} {:>10} {:>10} {:>12}\n",
        test_name(r.rho),
        r.rho,
        "group",
        "N",
        "Observed",
        "Expected",
        "(O-E)^2/E"
    );
    for (g, c) in names.iter().zip(&r.groups) {
        s.push_str(&format!(
            "{:<24} {:>6} {:>10.2} {:>10.2} {:>12.3}\n",
            g,
            c.n,
            c.observed,
            c.expected,
            (c.observed - c.expected).powi(2) / c.expected
        ));
    }
    s.push_str(&format!(
        "\nChisq = {:.4} on {} degrees of freedom, p = {}\n",
        r.chisq,
        r.df,
        p_value(r.pval, PStyle::Scientific)
    ));
    for w in warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

#[derive(Serialize)]
struct CoefRow<'a> {
    term: &'a str,
    coef: Num,
    se: Num,
    hr: Num,
    hr_ci_lb: Num,
    hr_ci_ub: Num,
    z: Num,
    pval: Num,
}

#[derive(Serialize)]
struct CoxJson<'a> {
    n: usize,
    events: usize,
    ties: String,
    level: Num,
    coefficients: Vec<CoefRow<'a>>,
    loglik0: Num,
    loglik: Num,
    lr_chisq: Num,
    lr_df: usize,
    lr_pval: Num,
    wald_chisq: Num,
    wald_pval: Num,
    score_chisq: Num,
    score_pval: Num,
    concordance: Num,
    iterations: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    zph: Vec<ZphRow<'a>>,
    reference: Vec<RefRow<'a>>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct RefRow<'a> {
    covariate: &'a str,
    level: &'a str,
    chosen_by: &'static str,
}

#[derive(Serialize)]
struct ZphRow<'a> {
    term: &'a str,
    chisq: Num,
    df: usize,
    pval: Num,
}

/// Writes the cox JSON.
pub fn write_cox_json<W: std::io::Write>(
    c: &CoxSummary,
    warnings: &[String],
    w: W,
) -> serde_json::Result<()> {
    let f = &c.fit;
    write_rows(
        &CoxJson {
            n: f.n,
            events: f.events,
            ties: f.ties.to_string(),
            level: Num(c.level * 100.0),
            coefficients: c
                .terms
                .iter()
                .map(|t| CoefRow {
                    term: &t.term,
                    coef: Num(t.coef),
                    se: Num(t.se),
                    hr: Num(t.hr),
                    hr_ci_lb: Num(t.hr_ci_lb),
                    hr_ci_ub: Num(t.hr_ci_ub),
                    z: Num(t.z),
                    pval: Num(t.pval),
                })
                .collect(),
            loglik0: Num(f.loglik0),
            loglik: Num(f.loglik),
            lr_chisq: Num(f.lr_chisq),
            lr_df: f.p(),
            lr_pval: Num(c.lr_pval),
            wald_chisq: Num(f.wald_chisq),
            wald_pval: Num(c.wald_pval),
            score_chisq: Num(f.score_chisq),
            score_pval: Num(c.score_pval),
            concordance: Num(f.concordance),
            iterations: f.iterations,
            zph: c
                .zph
                .iter()
                .map(|(t, z)| ZphRow {
                    term: t,
                    chisq: Num(z.chisq),
                    df: z.df,
                    pval: Num(z.pval),
                })
                .collect(),
            reference: c
                .references
                .iter()
                .map(|r| RefRow {
                    covariate: &r.covariate,
                    level: &r.level,
                    chosen_by: reference_why(r.chosen),
                })
                .collect(),
            warnings,
        },
        w,
    )
}

/// Why a factor's reference level is the one it is.
fn reference_why(chosen: bool) -> &'static str {
    if chosen {
        "--reference"
    } else {
        "first level in sorted order (R's factor default)"
    }
}

/// A readable Cox summary, in the layout of R's `summary(coxph)`.
pub fn cox_text(c: &CoxSummary, warnings: &[String]) -> String {
    let f = &c.fit;
    let mut s = format!(
        "Cox proportional hazards (ties: {}); n = {}, events = {}\n\n{:<20} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8}\n",
        f.ties, f.n, f.events, "term", "coef", "se", "HR", "ci.lb", "ci.ub", "z", "p"
    );
    for t in &c.terms {
        s.push_str(&format!(
            "{:<20} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>8.3} {:>8}\n",
            t.term,
            t.coef,
            t.se,
            t.hr,
            t.hr_ci_lb,
            t.hr_ci_ub,
            t.z,
            p_value(t.pval, PStyle::Scientific)
        ));
    }
    s.push_str(&format!(
        "\nConcordance = {:.3}\nLikelihood ratio test = {:.2} on {} df, p = {}\nWald test = {:.2} on {} df, p = {}\nScore (logrank) test = {:.2} on {} df, p = {}\n",
        f.concordance,
        f.lr_chisq,
        f.p(),
        p_value(c.lr_pval, PStyle::Scientific),
        f.wald_chisq,
        f.p(),
        p_value(c.wald_pval, PStyle::Scientific),
        f.score_chisq,
        f.p(),
        p_value(c.score_pval, PStyle::Scientific)
    ));
    for r in &c.references {
        s.push_str(&format!(
            "Reference level of {}: {} ({}{})\n",
            r.covariate,
            r.level,
            reference_why(r.chosen),
            if r.chosen {
                ""
            } else {
                "; choose another with --reference"
            }
        ));
    }
    if !c.zph.is_empty() {
        s.push_str("\nProportional hazards (cox.zph, km transform):\n");
        for (t, z) in &c.zph {
            s.push_str(&format!(
                "  {:<18} chisq = {:>8.4}  df = {}  p = {}\n",
                t,
                z.chisq,
                z.df,
                p_value(z.pval, PStyle::Scientific)
            ));
        }
    }
    for w in warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}
