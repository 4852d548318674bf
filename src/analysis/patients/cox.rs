//! `cox`: a Cox model comparing the groups of the selected patients (case
//! reports and/or reconstructed cohorts, as the `km` kind collects them),
//! stratified by study by default so that patients are compared only with
//! patients from the same source, with the proportional-hazards check.
//! Writes `cox.csv` (one row per coefficient and per PH test) and a report
//! section; a model the data cannot support is explained, not printed.

use crate::analysis::Kind;
use crate::domain::Reads;
use serde::Deserialize;

use crate::domain::{Case, Evidence};
use crate::export::{escape_markdown, markdown_table, Table};
use crate::project::AnalysisSpec;
use crate::stats::survival::cox::Ties;

use crate::analysis::patients::compare::reference_group;
use crate::analysis::patients::plan::{self, PatientOptions};
use crate::analysis::patients::pooled::{collect, Collected};
use crate::analysis::patients::tables::patient_table;
use crate::analysis::patients::{left_out_section, study_source, Source, DEFAULT_SOURCES};
use crate::analysis::plan::Planned;
use crate::analysis::{title, AnalysisError, AnalysisOutput, Methods, OutputFile, Ref};
use crate::present::columns;
use crate::present::format::num;
use crate::workflow::survival::{cox_model_zph, summarise_cox, CoxSummary, CoxTerm};

/// Options of `cox`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// The comparison: a case column (treatment, sex, cov_<name>), "source"
    /// or "study"; reconstructed patients take their arm's name.
    group: String,
    /// "cases" (default) and/or "reconstructed".
    sources: Option<Vec<Source>>,
    /// efron (default) or breslow.
    ties: Option<Ties>,
    /// Separate baseline hazard per study (default true).
    stratify_by_study: Option<bool>,
    /// The group the hazard ratios are against (default: the first group
    /// in the data).
    reference: Option<String>,
    /// The value of the cases' `event` column that means an event (any
    /// other value censored); default 1 = event, 0 = censored.
    event_code: Option<u32>,
}

impl Options {
    /// Where the patients come from (case reports by default).
    fn sources(&self) -> &[Source] {
        self.sources.as_deref().unwrap_or(DEFAULT_SOURCES)
    }

    /// How tied times enter (Efron, R's default, unless set).
    fn ties(&self) -> Ties {
        self.ties.unwrap_or(Ties::Efron)
    }

    /// Whether each study keeps its own baseline hazard (yes unless set).
    fn stratified(&self) -> bool {
        self.stratify_by_study.unwrap_or(true)
    }
}

/// A Cox model comparing groups of patients, stratified by study.
pub(crate) struct Cox;

impl Kind for Cox {
    type Options = Options;
    const READS: Reads = Reads::CASES.and_digitised();

    fn plan(spec: &AnalysisSpec, o: &Options, evidence: &Evidence, data_ok: bool, p: &mut Planned) {
        let who = PatientOptions {
            group: Some(&o.group),
            sources: o.sources(),
            event_code: o.event_code,
            reference: o.reference.as_deref(),
            reference_refused: true,
        };
        plan::patients(spec, Self::READS, &who, evidence, data_ok, p);
    }

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let collected = collect(spec, evidence, Some(&o.group), o.sources(), o.event_code)?;
        let patients = collected.pooled.patients(o.stratified(), Some(&o.group));
        let n = patients.time.len();
        let events = patients.event.iter().filter(|e| **e).count();
        let mut files = patient_files(spec, evidence, &collected)?;
        let groups = collected.pooled.rows.iter().map(|p| p.group.as_str());
        let (reference, why) = reference_group(groups, o.reference.as_deref())
            .map_err(|e| spec.error(e, "name one of the groups".into()))?;
        let fitted = cox_model_zph(
            &patients,
            o.ties(),
            true,
            Some(&format!("{}={reference}", o.group)),
        );
        let (body, summary) = match fitted {
            Ok((names, fit, zph)) => {
                let c = summarise_cox(names, fit, 0.95, zph);
                files.push(OutputFile::csv(spec, "cox.csv", &cox_table(&c))?);
                (
                    format!(
                        "Hazard ratios against {}, {}.\n\n{}",
                        escape_markdown(&reference),
                        escape_markdown(&why),
                        model_section(&c, n, events)
                    ),
                    format!(
                        "n = {n}, {}; {}",
                        crate::number::count(events, "event", "events"),
                        crate::number::count(c.terms.len(), "term", "terms")
                    ),
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
        let left_out = collected.left_out_list(&|c| escape_markdown(&c.case_id));
        let link = files
            .iter()
            .map(|f| format!("[{0}]({1}/{0})", f.name, spec.name))
            .collect::<Vec<_>>()
            .join(" · ")
            + "\n";
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: title(spec, "Cox proportional hazards model"),
            files,
            summary,
            report: format!("{body}{}{link}", left_out_section(&left_out)),
            methods: methods_paragraph(o.ties(), o.stratified()).warn(collected.unread_codes()),
            studies: columns::study_ids(
                collected
                    .rows
                    .iter()
                    .map(|c| c.study_id.as_str())
                    .chain(collected.pooled.rows.iter().map(|p| p.study.as_str())),
            ),
        })
    }
}

/// `patients.csv` (every selected case: entered, or left out and why, with
/// its provenance) and, when reconstructed arms are pooled in,
/// `pooled_patients.csv` (every patient of the model with its source).
fn patient_files(
    spec: &AnalysisSpec,
    evidence: &Evidence,
    c: &Collected<'_>,
) -> Result<Vec<OutputFile>, AnalysisError> {
    let source = |case: &Case| study_source(evidence, &case.study_id);
    let table = patient_table(
        &c.rows,
        &c.entered,
        &c.groups,
        &c.reasons,
        &source,
        &|case| c.event(case),
    );
    let mut files = vec![OutputFile::csv(spec, "patients.csv", &table)?];
    if c.reconstructed_arms > 0 {
        files.push(OutputFile::csv(
            spec,
            "pooled_patients.csv",
            &c.pooled.table(evidence),
        )?);
    }
    Ok(files)
}

/// `cox.csv`: one row per coefficient, then one per proportional-hazards
/// test (each term, then GLOBAL).
fn cox_table(c: &CoxSummary) -> Table {
    let coefficients = c.terms.iter().map(|_| "coefficient");
    let ph_tests = c.zph.iter().map(|_| "ph_test");
    let coef = |f: &dyn Fn(&CoxTerm) -> f64| -> Vec<Option<f64>> {
        c.terms
            .iter()
            .map(|t| Some(f(t)))
            .chain(c.zph.iter().map(|_| None))
            .collect()
    };
    let mut t = Table::default();
    t.text(
        "row",
        coefficients
            .chain(ph_tests)
            .map(|k| Some(k.to_string()))
            .collect(),
    )
    .text(
        "term",
        c.terms
            .iter()
            .map(|t| Some(t.term.clone()))
            .chain(c.zph.iter().map(|(t, _)| Some(t.clone())))
            .collect(),
    )
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
    t
}

/// The fitted model in words: the hazard ratios, the likelihood-ratio test,
/// the concordance and the proportional-hazards tests.
fn model_section(c: &CoxSummary, n: usize, events: usize) -> String {
    let rows: Vec<Vec<String>> = c
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
    format!(
        "{}\nn = {n}, events = {events}; likelihood-ratio χ² = {} on {} df (p = {}); concordance {}. Proportional hazards (scaled Schoenfeld residuals, cox.zph): {}.\n\n",
        markdown_table(&["Term", "HR (95% CI)", "p"], &rows),
        num(c.fit.lr_chisq, 2),
        c.fit.p(),
        num(c.lr_pval, 4),
        num(c.fit.concordance, 3),
        ph.join("; "),
    )
}

/// The methods paragraph: the model, its ties method and strata, the
/// reference level, the tests and the PH check.
fn methods_paragraph(ties: Ties, stratified: bool) -> Methods {
    Methods::new(
        format!(
            "Patient rows were compared with a Cox proportional-hazards model ({ties} method for tied times){}; hazard ratios are relative to the reference group (options.reference, else the first group in the data), with Wald 95% CIs and the likelihood-ratio test; proportional hazards were checked with the scaled Schoenfeld residuals (cox.zph, identity time transform). {}",
            if stratified { ", stratified by study so that each study keeps its own baseline hazard" } else { "" },
            crate::present::methods::software("R survival 3.5 (coxph, cox.zph)")
        ),
        &[
            Ref::Cox1972,
            Ref::Efron1977,
            Ref::GrambschTherneau1994,
            Ref::TherneauSurvival,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(toml: &str) -> Options {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn defaults_are_case_reports_efron_and_strata_by_study() {
        let o = options("group = \"treatment\"");
        assert_eq!(o.sources(), [Source::Cases]);
        assert_eq!(o.ties(), Ties::Efron);
        assert!(o.stratified());
    }

    #[test]
    fn ties_and_sources_are_read_as_words_of_their_vocabularies() {
        let o = options(
            "group = \"source\"\nties = \"breslow\"\nsources = [\"cases\", \"reconstructed\"]\nstratify_by_study = false",
        );
        assert_eq!(o.ties(), Ties::Breslow);
        assert_eq!(o.sources(), [Source::Cases, Source::Reconstructed]);
        assert!(!o.stratified());
        let e = toml::from_str::<Options>("group = \"sex\"\nties = \"exact\"").unwrap_err();
        assert!(e.to_string().contains("unknown ties method 'exact'"), "{e}");
    }

    #[test]
    fn the_methods_name_the_ties_and_the_strata_only_when_stratified() {
        let m = methods_paragraph(Ties::Breslow, false).text;
        assert!(m.contains("(breslow method for tied times);"), "{m}");
        assert!(!m.contains("stratified by study"), "{m}");
        let m = methods_paragraph(Ties::Efron, true).text;
        assert!(
            m.contains("(efron method for tied times), stratified by study"),
            "{m}"
        );
    }

    /// Cox of two groups of three patients: the hazard ratio is of the
    /// second level in sorted order against the first (the reference arm).
    #[test]
    fn the_reference_arm_is_the_first_group_in_sorted_order() {
        use crate::workflow::survival::patients::Patients;
        let group = [
            "Surgery",
            "Surgery",
            "Surgery",
            "Observation",
            "Observation",
            "Observation",
        ];
        let p = Patients {
            time: vec![5.0, 9.0, 14.0, 2.0, 4.0, 8.0],
            event: vec![true, false, true, true, true, true],
            group: group.iter().copied().collect(),
            strata: None,
            covariates: vec![(
                "treatment".into(),
                group.iter().map(|g| g.to_string()).collect(),
            )],
            dropped: Vec::new(),
        };
        let (names, fit, zph) = cox_model_zph(&p, Ties::Efron, true, None).unwrap();
        let c = summarise_cox(names, fit, 0.95, zph);
        assert_eq!(c.terms.len(), 1);
        assert_eq!(c.terms[0].term, "treatmentSurgery");
        assert!(
            c.terms[0].hr < 1.0,
            "Surgery lives longer than the reference"
        );
        let md = model_section(&c, 6, 5);
        assert!(
            md.starts_with("| Term | HR (95% CI) | p |\n|---|---|---|\n| treatmentSurgery |"),
            "{md}"
        );
        let csv = String::from_utf8(crate::export::to_csv(&cox_table(&c)).unwrap()).unwrap();
        let rows: Vec<&str> = csv.lines().map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(rows, ["row", "coefficient", "ph_test", "ph_test"]);
    }
}
