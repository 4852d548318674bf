//! Patient rows ([`crate::workflow::survival::patients`]) → survival fits: Kaplan–Meier curves
//! per group (and stratum), the G-ρ test between groups, a Cox model with
//! its design matrix. Shared by the `km`, `logrank` and `cox` commands and
//! the `km` analysis kind.

pub mod patients;

use crate::stats::survival::cox::{cox, CoxFit, Ties};
use crate::stats::survival::km::{kaplan_meier, ConfType, KmFit, Quantile, SurvAt};
use crate::stats::survival::logrank::{log_rank, LogRank};
use crate::stats::survival::zph::{cox_zph, ZphTest};

use super::design::{levels, model_matrix_ref, Labels};
use crate::workflow::survival::patients::Patients;

/// One curve per group × stratum, labelled "group" or "group, stratum",
/// in R's level order.
pub fn km_curves(p: &Patients, conf: ConfType, level: f64) -> Result<Vec<(String, KmFit)>, String> {
    let combined: Labels;
    let labels: &Labels = match &p.strata {
        None => &p.group,
        Some(s) => {
            let texts: Vec<String> = (0..p.group.len())
                .map(|i| {
                    let (g, s) = (p.group.get(i), s.get(i));
                    if g == "all" {
                        s.to_string()
                    } else {
                        format!("{g}, {s}")
                    }
                })
                .collect();
            combined = texts.iter().map(String::as_str).collect();
            &combined
        }
    };
    let (names, idx) = labels.levels();
    let mut sizes = vec![0usize; names.len()];
    idx.iter().for_each(|&l| sizes[l] += 1);
    let mut members: Vec<Vec<usize>> = sizes.into_iter().map(Vec::with_capacity).collect();
    for (i, &l) in idx.iter().enumerate() {
        members[l].push(i);
    }
    let fit = |l: &String, m: &[usize]| {
        let t: Vec<f64> = m.iter().map(|&i| p.time[i]).collect();
        let e: Vec<bool> = m.iter().map(|&i| p.event[i]).collect();
        kaplan_meier(&t, &e, conf, level)
            .map(|f| (l.clone(), f))
            .map_err(|e| format!("group '{l}': {e}"))
    };
    // Large data: the curves are independent, so fit them on all cores
    // (results are collected in level order, identical to a serial run).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if p.time.len() < PARALLEL_MIN_ROWS || threads < 2 || names.len() < 2 {
        return names.iter().zip(&members).map(|(l, m)| fit(l, m)).collect();
    }
    let jobs: Vec<(&String, &Vec<usize>)> = names.iter().zip(&members).collect();
    let per = jobs.len().div_ceil(threads);
    let fit_all =
        |chunk: &[(&String, &Vec<usize>)]| chunk.iter().map(|(l, m)| fit(l, m)).collect::<Vec<_>>();
    std::thread::scope(|scope| {
        let mut chunks = jobs.chunks(per);
        let first = chunks.next().unwrap_or_default();
        let handles: Vec<_> = chunks
            .map(|chunk| scope.spawn(move || fit_all(chunk)))
            .collect();
        // The first chunk runs here, where the memory the input table
        // freed can be reused instead of fresh pages being zeroed.
        let mut fits = fit_all(first);
        for h in handles {
            fits.extend(h.join().expect("a KM worker thread panicked"));
        }
        fits.into_iter().collect()
    })
}

/// Below this many rows a second thread costs more than it saves.
const PARALLEL_MIN_ROWS: usize = 50_000;

/// The G-ρ test between the groups, within strata. Returns the group
/// labels in the order of the result's groups.
pub fn group_test(p: &Patients, rho: f64) -> Result<(Vec<String>, LogRank), String> {
    let (names, g) = p.group.levels();
    let strata = p.strata.as_ref().map(|s| s.levels().1);
    let res = log_rank(&p.time, &p.event, &g, strata.as_deref(), rho).map_err(|e| e.to_string())?;
    Ok((names, res))
}

/// The Cox model on the covariates (factors treatment-coded against their
/// first sorted level, or the level `reference` names), stratified when a
/// stratum column was named.
pub fn cox_model(
    p: &Patients,
    ties: Ties,
    reference: Option<&str>,
) -> Result<(Vec<String>, CoxFit), String> {
    cox_model_zph(p, ties, false, reference).map(|(n, f, _)| (n, f))
}

/// The (column, level) pairs a reference names: "COLUMN=LEVEL", or a bare
/// LEVEL for every factor covariate holding it. A level no factor holds is
/// an error listing each factor's levels.
pub fn resolve_reference(p: &Patients, reference: &str) -> Result<Vec<(String, String)>, String> {
    let (column, level) = match reference.split_once('=') {
        Some((c, l)) => (Some(c.trim()), l.trim()),
        None => (None, reference.trim()),
    };
    let factors: Vec<(&String, Vec<String>)> = p
        .covariates
        .iter()
        .filter(|(name, _)| column.is_none_or(|c| c.eq_ignore_ascii_case(name)))
        .map(|(name, values)| (name, levels(values)))
        .collect();
    let found: Vec<(String, String)> = factors
        .iter()
        .filter(|(_, lv)| lv.iter().any(|l| l == level))
        .map(|(name, _)| ((*name).clone(), level.to_string()))
        .collect();
    if found.is_empty() {
        let known: Vec<String> = factors
            .iter()
            .map(|(name, lv)| format!("{name}: {}", lv.join(", ")))
            .collect();
        return Err(format!(
            "reference '{reference}': no covariate has the level '{level}' (levels of {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join("; ")
            }
        ));
    }
    Ok(found)
}

/// The Cox model and, when asked, its proportional-hazards check per
/// covariate (a factor's dummies tested together) and globally.
pub fn cox_model_zph(
    p: &Patients,
    ties: Ties,
    zph: bool,
    reference: Option<&str>,
) -> Result<(Vec<String>, CoxFit, Vec<(String, ZphTest)>), String> {
    if p.covariates.is_empty() {
        return Err("name at least one covariate (--covariates A,B)".into());
    }
    let references = match reference {
        Some(r) => resolve_reference(p, r)?,
        None => Vec::new(),
    };
    let (x, names, terms) = model_matrix_ref(&p.covariates, false, &references);
    if x.cols == 0 {
        return Err("the covariates have a single value each: there is nothing to compare".into());
    }
    let strata = p.strata.as_ref().map(|s| s.levels().1);
    let fit = cox(&p.time, &p.event, &x, strata.as_deref(), ties).map_err(|e| e.to_string())?;
    let tests = if zph {
        let cols: Vec<Vec<usize>> = terms.iter().map(|(_, c)| c.clone()).collect();
        let res = cox_zph(&p.time, &p.event, &x, strata.as_deref(), &fit, &cols)
            .map_err(|e| e.to_string())?;
        terms
            .iter()
            .map(|(n, _)| n.clone())
            .chain(std::iter::once("GLOBAL".to_string()))
            .zip(res)
            .collect()
    } else {
        Vec::new()
    };
    Ok((names, fit, tests))
}

/// The level a factor covariate's hazard ratios are relative to.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorReference {
    /// Covariate.
    pub covariate: String,
    /// Its reference level.
    pub level: String,
    /// Chosen by the user (else R's default, the first sorted level).
    pub chosen: bool,
}

/// The reference level of every factor covariate: the one `reference`
/// names, else the first in sorted order (R's `factor()` default).
pub fn factor_references(p: &Patients, reference: Option<&str>) -> Vec<FactorReference> {
    let chosen = reference
        .and_then(|r| resolve_reference(p, r).ok())
        .unwrap_or_default();
    p.covariates
        .iter()
        .filter(|(_, v)| v.iter().any(|x| crate::validate::parse_number(x).is_err()))
        .filter_map(|(name, values)| {
            let picked = chosen.iter().find(|(c, _)| c == name);
            let level = match picked {
                Some((_, l)) => l.clone(),
                None => levels(values).into_iter().next()?,
            };
            Some(FactorReference {
                covariate: name.clone(),
                level,
                chosen: picked.is_some(),
            })
        })
        .collect()
}

/// A curve with the summaries the commands and reports print.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSummary {
    /// Group label.
    pub label: String,
    /// The fit.
    pub fit: KmFit,
    /// Median with its CI (R's rule; `None` = not reached).
    pub median: Quantile,
    /// RMST: (τ, estimate, SE).
    pub rmst: Option<(f64, f64, f64)>,
    /// S at the chosen times.
    pub at: Vec<SurvAt>,
}

/// Medians, RMST to `tau` and S at `times` for each curve.
pub fn summarise(
    curves: Vec<(String, KmFit)>,
    times: &[f64],
    tau: Option<f64>,
) -> Vec<CurveSummary> {
    curves
        .into_iter()
        .map(|(label, fit)| CurveSummary {
            median: fit.quantile(0.5),
            rmst: tau.map(|t| {
                let (m, se) = fit.rmst(t);
                (t, m, se)
            }),
            at: times.iter().map(|&t| fit.surv_at(t)).collect(),
            label,
            fit,
        })
        .collect()
}

/// One Cox coefficient as reported.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxTerm {
    /// Term name (factor terms: column + level).
    pub term: String,
    /// log HR.
    pub coef: f64,
    /// Its SE.
    pub se: f64,
    /// HR.
    pub hr: f64,
    /// Lower CI bound of the HR.
    pub hr_ci_lb: f64,
    /// Upper CI bound of the HR.
    pub hr_ci_ub: f64,
    /// Wald z.
    pub z: f64,
    /// Two-sided p.
    pub pval: f64,
}

/// A Cox fit with everything its output prints.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxSummary {
    /// The fit.
    pub fit: CoxFit,
    /// CI level.
    pub level: f64,
    /// Coefficients.
    pub terms: Vec<CoxTerm>,
    /// p of the likelihood-ratio test.
    pub lr_pval: f64,
    /// p of the Wald test.
    pub wald_pval: f64,
    /// p of the score test.
    pub score_pval: f64,
    /// Proportional-hazards check per covariate and GLOBAL (when asked).
    pub zph: Vec<(String, ZphTest)>,
    /// The reference level of each factor covariate (set by the caller).
    pub references: Vec<FactorReference>,
}

/// Coefficient table and test p-values at `level`.
pub fn summarise_cox(
    names: Vec<String>,
    fit: CoxFit,
    level: f64,
    zph: Vec<(String, ZphTest)>,
) -> CoxSummary {
    let terms = names
        .into_iter()
        .enumerate()
        .map(|(j, term)| {
            let (hr, lo, hi) = fit.hazard_ratio(j, level);
            CoxTerm {
                term,
                coef: fit.coef[j],
                se: fit.se[j],
                hr,
                hr_ci_lb: lo,
                hr_ci_ub: hi,
                z: fit.z(j),
                pval: fit.pval(j),
            }
        })
        .collect();
    CoxSummary {
        lr_pval: fit.chisq_pval(fit.lr_chisq),
        wald_pval: fit.chisq_pval(fit.wald_chisq),
        score_pval: fit.chisq_pval(fit.score_chisq),
        terms,
        level,
        fit,
        zph,
        references: Vec::new(),
    }
}
