//! `cox`: a Cox model comparing the groups of the selected patients (case
//! reports and/or reconstructed cohorts, as the `km` kind collects them),
//! stratified by study by default so that patients are compared only with
//! patients from the same source, with the proportional-hazards check.
//! Writes `cox.csv` (one row per coefficient and per PH test) and a report
//! section; a model the data cannot support is explained, not printed.

use crate::analysis::Kind;
use crate::domain::Reads;
use serde::Deserialize;

use crate::domain::Evidence;
use crate::export::{escape_markdown, markdown_table, to_csv, Table};
use crate::project::AnalysisSpec;
use crate::stats::survival::cox::Ties;

use crate::analysis::patients::pooled::{collect, Collected};
use crate::analysis::{export_err, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns;
use crate::present::format::num;
use crate::workflow::design::Labels;
use crate::workflow::survival::patients::Patients;
use crate::workflow::survival::{cox_model_zph, summarise_cox};

/// Options of `cox`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// The comparison: a case column (treatment, sex, cov_<name>), "source"
    /// or "study"; reconstructed patients take their arm's name.
    group: String,
    /// "cases" (default) and/or "reconstructed".
    sources: Option<Vec<String>>,
    /// efron (default) or breslow.
    ties: Option<String>,
    /// Separate baseline hazard per study (default true).
    stratify_by_study: Option<bool>,
}

/// A Cox model comparing groups of patients, stratified by study.
pub(crate) struct Cox;

impl Kind for Cox {
    type Options = Options;
    const READS: Reads = Reads::CASES.and_digitised();

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let ties: Ties = o
            .ties
            .as_deref()
            .unwrap_or("efron")
            .parse()
            .map_err(|e: String| {
                spec.error(format!("options.ties: {e}"), "use efron or breslow".into())
            })?;
        let sources = o.sources.clone().unwrap_or_else(|| vec!["cases".into()]);
        let stratify = o.stratify_by_study.unwrap_or(true);
        let Collected {
            rows,
            pooled,
            reasons,
            reasons_extra,
            ..
        } = collect(spec, evidence, Some(&o.group), &sources)?;
        let heading = title(spec, "Cox proportional hazards model");
        let patients = Patients {
            time: pooled.time.clone(),
            event: pooled.event.clone(),
            group: pooled.group.iter().map(String::as_str).collect(),
            strata: stratify.then(|| pooled.study.iter().map(String::as_str).collect::<Labels>()),
            covariates: vec![(o.group.clone(), pooled.group.clone())],
            dropped: Vec::new(),
        };
        let left_out: String = reasons
            .iter()
            .map(|(c, r)| {
                format!(
                    "- {}: {}\n",
                    escape_markdown(&c.case_id),
                    escape_markdown(r)
                )
            })
            .chain(
                reasons_extra
                    .iter()
                    .map(|r| format!("- {}\n", escape_markdown(r))),
            )
            .collect();
        let n = patients.time.len();
        let events = patients.event.iter().filter(|e| **e).count();
        let mut files = Vec::new();
        let (body, summary) = match cox_model_zph(&patients, ties, true) {
            Ok((names, fit, zph)) => {
                let c = summarise_cox(names, fit, 0.95, zph);
                let mut t = Table::default();
                let kinds: Vec<&str> = c
                    .terms
                    .iter()
                    .map(|_| "coefficient")
                    .chain(c.zph.iter().map(|_| "ph_test"))
                    .collect();
                let term_names: Vec<String> = c
                    .terms
                    .iter()
                    .map(|t| t.term.clone())
                    .chain(c.zph.iter().map(|(t, _)| t.clone()))
                    .collect();
                let coef =
                    |f: &dyn Fn(&crate::workflow::survival::CoxTerm) -> f64| -> Vec<Option<f64>> {
                        c.terms
                            .iter()
                            .map(|t| Some(f(t)))
                            .chain(c.zph.iter().map(|_| None))
                            .collect()
                    };
                t.text(
                    "row",
                    kinds.iter().map(|k| Some((*k).to_string())).collect(),
                )
                .text("term", term_names.into_iter().map(Some).collect())
                .number("coef", coef(&|t| t.coef))
                .number("se", coef(&|t| t.se))
                .number("hr", coef(&|t| t.hr))
                .number("hr_ci_lb", coef(&|t| t.hr_ci_lb))
                .number("hr_ci_ub", coef(&|t| t.hr_ci_ub))
                .number("z", coef(&|t| t.z))
                .number(
                    "chisq",
                    c.terms
                        .iter()
                        .map(|_| None)
                        .chain(c.zph.iter().map(|(_, z)| Some(z.chisq)))
                        .collect(),
                )
                .integer(
                    "df",
                    c.terms
                        .iter()
                        .map(|_| None)
                        .chain(c.zph.iter().map(|(_, z)| Some(z.df as u64)))
                        .collect(),
                )
                .number(
                    "pval",
                    c.terms
                        .iter()
                        .map(|t| Some(t.pval))
                        .chain(c.zph.iter().map(|(_, z)| Some(z.pval)))
                        .collect(),
                );
                files.push(OutputFile {
                    name: "cox.csv".into(),
                    bytes: to_csv(&t).map_err(export_err(spec))?,
                });
                let rows_md: Vec<Vec<String>> = c
                    .terms
                    .iter()
                    .map(|t| {
                        vec![
                            escape_markdown(&t.term),
                            format!(
                                "{} ({}–{})",
                                num(t.hr, 2),
                                num(t.hr_ci_lb, 2),
                                num(t.hr_ci_ub, 2)
                            ),
                            num(t.pval, 4),
                        ]
                    })
                    .collect();
                let ph: Vec<String> = c
                    .zph
                    .iter()
                    .map(|(t, z)| {
                        format!(
                            "{} χ² = {} (df {}), p = {}",
                            escape_markdown(t),
                            num(z.chisq, 2),
                            z.df,
                            num(z.pval, 3)
                        )
                    })
                    .collect();
                (
                    format!(
                        "{}\nn = {n}, events = {events}; likelihood-ratio χ² = {} on {} df (p = {}); concordance {}. Proportional hazards (scaled Schoenfeld residuals, cox.zph): {}.\n\n",
                        markdown_table(&["Term", "HR (95% CI)", "p"], &rows_md),
                        num(c.fit.lr_chisq, 2),
                        c.fit.p(),
                        num(c.lr_pval, 4),
                        num(c.fit.concordance, 3),
                        ph.join("; "),
                    ),
                    format!("n = {n}, {events} events; {} term(s)", c.terms.len()),
                )
            }
            Err(why) => (
                format!(
                    "**Not estimated**: {} (n = {n}, events = {events}).\n\n",
                    escape_markdown(&why)
                ),
                "not estimated".to_string(),
            ),
        };
        let report = format!(
            "{body}{}{}",
            if left_out.is_empty() {
                String::new()
            } else {
                format!("Left out:\n\n{left_out}\n")
            },
            if files.is_empty() {
                String::new()
            } else {
                format!("[cox.csv]({}/cox.csv)\n", spec.name)
            }
        );
        let methods = crate::analysis::Methods::new(
            format!(
                "Patient rows were compared with a Cox proportional-hazards model ({ties} method for tied times){}; hazard ratios are relative to the first level in sorted order, with Wald 95% CIs and the likelihood-ratio test; proportional hazards were checked with the scaled Schoenfeld residuals (cox.zph, identity time transform). {}",
                if stratify { ", stratified by study so that each study keeps its own baseline hazard" } else { "" },
                crate::present::methods::software("R survival 3.5 (coxph, cox.zph)")
            ),
            &[
                crate::analysis::Ref::Cox1972,
                crate::analysis::Ref::Efron1977,
                crate::analysis::Ref::GrambschTherneau1994,
                crate::analysis::Ref::TherneauSurvival,
            ],
        );
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files,
            summary,
            report,
            methods,
            studies: columns::study_ids(
                rows.iter()
                    .map(|c| c.study_id.as_str())
                    .chain(pooled.study.iter().map(String::as_str)),
            ),
        })
    }
}
