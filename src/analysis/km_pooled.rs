//! Patients pooled from case reports and reconstructed curves, and the
//! comparison of their curves within studies.

use crate::domain::{Evidence, StudySource};
use crate::export::Table;

use super::format::num;
use super::patients::Patients;

/// Every patient entering the pooled analysis, with its source.
#[derive(Debug, Default)]
pub(super) struct Pooled {
    pub(super) study: Vec<String>,
    pub(super) patient: Vec<String>,
    pub(super) source: Vec<&'static str>,
    pub(super) group: Vec<String>,
    pub(super) time: Vec<f64>,
    pub(super) event: Vec<bool>,
}

impl Pooled {
    pub(super) fn push(
        &mut self,
        study: &str,
        patient: &str,
        source: &'static str,
        group: &str,
        time: f64,
        event: bool,
    ) {
        self.study.push(study.to_string());
        self.patient.push(patient.to_string());
        self.source.push(source);
        self.group.push(group.to_string());
        self.time.push(time);
        self.event.push(event);
    }

    /// One row per patient, flagged by source, with the study's identity.
    pub(super) fn table(&self, evidence: &Evidence) -> Table {
        let empty = StudySource::default();
        let src = |id: &str| evidence.studies.get(id).unwrap_or(&empty);
        let mut t = Table::default();
        t.text(
            "study_id",
            self.study.iter().map(|s| Some(s.clone())).collect(),
        )
        .text(
            "study_label",
            self.study
                .iter()
                .map(|s| Some(src(s).short_label(s)))
                .collect(),
        )
        .text(
            "citation",
            self.study.iter().map(|s| src(s).citation.clone()).collect(),
        )
        .text(
            "doi",
            self.study.iter().map(|s| src(s).doi.clone()).collect(),
        )
        .text(
            "pmid",
            self.study.iter().map(|s| src(s).pmid.clone()).collect(),
        )
        .text(
            "patient",
            self.patient.iter().map(|s| Some(s.clone())).collect(),
        )
        .text(
            "source",
            self.source.iter().map(|s| Some((*s).to_string())).collect(),
        )
        .text(
            "group",
            self.group.iter().map(|s| Some(s.clone())).collect(),
        )
        .number("time_months", self.time.iter().map(|t| Some(*t)).collect())
        .integer(
            "event",
            self.event.iter().map(|e| Some(u64::from(*e))).collect(),
        );
        t
    }
}

/// Log-rank and Cox between the curves, both stratified by study: the
/// comparison a pooled analysis of several sources can defend.
pub(super) fn compare_groups(pooled: &Pooled) -> Result<String, String> {
    use super::design::Labels;
    use crate::stats::survival::cox::Ties;
    let p = Patients {
        time: pooled.time.clone(),
        event: pooled.event.clone(),
        group: pooled.group.iter().map(String::as_str).collect(),
        strata: Some(pooled.study.iter().map(String::as_str).collect::<Labels>()),
        covariates: vec![("group".into(), pooled.group.clone())],
        dropped: Vec::new(),
    };
    let mixed = pooled.study.iter().zip(&pooled.group).fold(
        std::collections::BTreeMap::<&str, std::collections::BTreeSet<&str>>::new(),
        |mut m, (s, g)| {
            m.entry(s.as_str()).or_default().insert(g.as_str());
            m
        },
    );
    if !mixed.values().any(|g| g.len() > 1) {
        return Err("no study contributes patients to more than one group, so a comparison within studies has no information, and one across studies would confound the groups with the studies".into());
    }
    let (names, lr) = super::survival_fits::group_test(&p, 0.0)?;
    let (terms, fit) = super::survival_fits::cox_model(&p, Ties::Efron)?;
    let cox = super::survival_fits::summarise_cox(terms, fit, 0.95, Vec::new());
    let mut s = format!(
        "Comparison stratified by study: log-rank χ² = {} on {} df, p = {}.",
        num(lr.chisq, 2),
        lr.df,
        num(lr.pval, 4)
    );
    for t in &cox.terms {
        s.push_str(&format!(
            " Cox (Efron, strata = study) HR for {} vs {}: {} (95% CI {}–{}), p = {}.",
            t.term.trim_start_matches("group"),
            names.first().map_or("", String::as_str),
            num(t.hr, 2),
            num(t.hr_ci_lb, 2),
            num(t.hr_ci_ub, 2),
            num(t.pval, 4)
        ));
    }
    Ok(s)
}
