//! Patients pooled from case reports and reconstructed curves, and the
//! comparison of their curves within studies.

use crate::domain::{Case, Evidence, StudySource};
use crate::export::Table;
use crate::project::AnalysisSpec;

use crate::analysis::AnalysisError;
use crate::present::format::num;
use crate::workflow::survival::patients::Patients;

/// Every patient entering the pooled analysis, with its source.
#[derive(Debug, Default)]
pub(crate) struct Pooled {
    pub(crate) study: Vec<String>,
    pub(crate) patient: Vec<String>,
    pub(crate) source: Vec<&'static str>,
    pub(crate) group: Vec<String>,
    pub(crate) time: Vec<f64>,
    pub(crate) event: Vec<bool>,
}

impl Pooled {
    pub(crate) fn push(
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
    pub(crate) fn table(&self, evidence: &Evidence) -> Table {
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
pub(crate) fn compare_groups(pooled: &Pooled) -> Result<String, String> {
    use crate::stats::survival::cox::Ties;
    use crate::workflow::design::Labels;
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
    let (names, lr) = crate::workflow::survival::group_test(&p, 0.0)?;
    let (terms, fit) = crate::workflow::survival::cox_model(&p, Ties::Efron)?;
    let cox = crate::workflow::survival::summarise_cox(terms, fit, 0.95, Vec::new());
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

/// Who enters a patient-level analysis, and why others do not.
pub(crate) struct Collected<'a> {
    /// Every selected case.
    pub rows: Vec<&'a Case>,
    /// Cases with a follow-up time and a known vital status (when cases are a source).
    pub entered: Vec<&'a Case>,
    /// Their group labels.
    pub groups: Vec<String>,
    /// Cases left out, and why.
    pub reasons: Vec<(&'a Case, String)>,
    /// Arms that could not be reconstructed, and why.
    pub reasons_extra: Vec<String>,
    /// Every patient entering, flagged by source.
    pub pooled: Pooled,
    /// Digitised arms reconstructed.
    pub reconstructed_arms: usize,
}

/// Collects the patients of an analysis from case reports and/or
/// reconstructed curves, each labelled with its `group` (a case column,
/// "source" or "study"; one group when absent).
pub(crate) fn collect<'a>(
    spec: &AnalysisSpec,
    evidence: &'a Evidence,
    group: Option<&str>,
    sources: &[String],
) -> Result<Collected<'a>, AnalysisError> {
    let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
    let rows: Vec<&Case> = evidence
        .cases
        .iter()
        .filter(|c| spec.select.matches_case(c))
        .collect();
    let mut reasons_extra: Vec<String> = Vec::new();
    if let Some(bad_source) = sources
        .iter()
        .find(|s| !matches!(s.as_str(), "cases" | "reconstructed"))
    {
        return Err(bad(
            format!("options.sources: unknown source '{bad_source}'"),
            "use cases and/or reconstructed",
        ));
    }
    let use_cases = sources.iter().any(|s| s == "cases");
    let use_reconstructed = sources.iter().any(|s| s == "reconstructed");
    if rows.is_empty() && !use_reconstructed {
        return Err(bad(
            "select matches no cases".into(),
            "check select.study against data/cases",
        ));
    }
    let group_of = |c: &Case| -> Result<String, AnalysisError> {
        Ok(match group {
            None if use_reconstructed => "All patients".into(),
            None => "All cases".into(),
            Some("treatment") => c.treatment.clone().unwrap_or_else(|| "not stated".into()),
            Some("sex") => c.sex.to_string(),
            Some("source") => "case report".into(),
            // The id, not the label: two studies can share "Smith 2020".
            Some("study") => c.study_id.clone(),
            Some("follow_up_origin") => c
                .follow_up_origin
                .clone()
                .unwrap_or_else(|| "not stated".into()),
            Some(other) => match other.strip_prefix("cov_") {
                Some(name) => c
                    .covariates
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| "not stated".into()),
                None => {
                    return Err(bad(
                        format!("options.group: unknown case column '{other}'"),
                        "use treatment, sex, follow_up_origin, source, study or cov_<name>",
                    ))
                }
            },
        })
    };
    // Who enters: a follow-up time and a known vital status.
    let mut entered: Vec<&Case> = Vec::new();
    let mut reasons: Vec<(&Case, String)> = Vec::new();
    for c in &rows {
        let event = c.event.or(c.status.event());
        match (c.follow_up, event) {
            (Some(_), Some(_)) => entered.push(c),
            (None, _) => reasons.push((c, "no follow-up time reported".into())),
            (Some(_), None) => reasons.push((
                c,
                "vital status not reported: cannot be counted as an event or a censoring".into(),
            )),
        }
    }
    let mut groups = Vec::with_capacity(entered.len());
    for c in &entered {
        groups.push(group_of(c)?);
    }
    let (entered, groups) = if use_cases {
        (entered, groups)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut pooled = Pooled::default();
    for (c, g) in entered.iter().zip(&groups) {
        pooled.push(
            &c.study_id,
            &c.case_id,
            "case report",
            g,
            c.follow_up.unwrap_or(0.0),
            c.event.or(c.status.event()).unwrap_or(false),
        );
    }
    let mut reconstructed_arms = 0;
    if use_reconstructed {
        let (arms, skipped) = crate::analysis::patients::reconstruct::reconstruct_selected(
            spec,
            evidence,
            &Default::default(),
        );
        reasons_extra.extend(skipped);
        reconstructed_arms = arms.len();
        for a in &arms {
            let g = match group {
                None => "All patients".to_string(),
                Some("source") => "reconstructed".into(),
                Some("study") => a.study_id.clone(),
                Some(_) => a.arm.clone(),
            };
            for (k, p) in a.result.patients.iter().enumerate() {
                pooled.push(
                    &a.study_id,
                    &format!("{}#{}", a.arm, k + 1),
                    "reconstructed",
                    &g,
                    p.time,
                    p.event,
                );
            }
        }
    }
    Ok(Collected {
        rows,
        entered,
        groups,
        reasons,
        reasons_extra,
        pooled,
        reconstructed_arms,
    })
}
