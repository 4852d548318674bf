//! Patients pooled from case reports and reconstructed curves: who enters a
//! patient-level analysis and why others do not, each patient's group and
//! provenance, and the comparison of their curves within studies.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Case, Evidence, Origin, Provenance};
use crate::export::{escape_markdown, Table};
use crate::project::AnalysisSpec;

use crate::analysis::patients::reconstruct::{reconstruct_selected, ArmResult};
use crate::analysis::patients::{study_source, Source};
use crate::analysis::AnalysisError;
use crate::present::columns::{self, Sourced};
use crate::workflow::design::Labels;
use crate::workflow::survival::patients::Patients;

/// One patient entering a pooled analysis.
#[derive(Debug, Clone)]
pub(crate) struct PooledPatient {
    /// Study.
    pub study: String,
    /// Case id, or "arm#k" for the k-th reconstructed patient of an arm.
    pub patient: String,
    /// Where the patient comes from.
    pub source: Source,
    /// Group label.
    pub group: String,
    /// Follow-up, months.
    pub time: f64,
    /// Event (true) or censored.
    pub event: bool,
    /// The row's provenance: the case's, or the digitised figure's.
    pub provenance: Provenance,
    /// Where the row was read: the case, or the arm's first digitised point.
    pub origin: Origin,
}

/// Every patient entering the pooled analysis, with its source.
#[derive(Debug, Default)]
pub(crate) struct Pooled {
    /// The patients, case reports first.
    pub rows: Vec<PooledPatient>,
}

impl Pooled {
    /// The entered cases, each with its group and its event under `code`.
    fn add_cases(&mut self, entered: &[&Case], groups: &[String], code: Option<u32>) {
        for (c, g) in entered.iter().zip(groups) {
            self.rows.push(PooledPatient {
                study: c.study_id.clone(),
                patient: c.case_id.clone(),
                source: Source::Cases,
                group: g.clone(),
                time: c.follow_up.unwrap_or(0.0),
                event: case_event(c, code).unwrap_or(false),
                provenance: c.provenance.clone(),
                origin: c.origin.clone(),
            });
        }
    }

    /// The patients of every reconstructed arm, grouped as `group` says.
    fn add_arms(&mut self, arms: &[ArmResult], group: Option<&str>) {
        for a in arms {
            let g = arm_group(a, group);
            for (k, p) in a.result.patients.iter().enumerate() {
                self.rows.push(PooledPatient {
                    study: a.study_id.clone(),
                    patient: format!("{}#{}", a.arm, k + 1),
                    source: Source::Reconstructed,
                    group: g.clone(),
                    time: p.time,
                    event: p.event,
                    provenance: a.provenance.clone(),
                    origin: a.origin.clone(),
                });
            }
        }
    }

    /// The patients for the survival workflow: by group, stratified by study
    /// when asked, with the group as the Cox covariate `covariate` when named.
    pub(crate) fn patients(&self, by_study: bool, covariate: Option<&str>) -> Patients {
        let groups: Vec<String> = self.rows.iter().map(|p| p.group.clone()).collect();
        Patients {
            time: self.rows.iter().map(|p| p.time).collect(),
            event: self.rows.iter().map(|p| p.event).collect(),
            group: self.rows.iter().map(|p| p.group.as_str()).collect(),
            strata: by_study.then(|| {
                self.rows
                    .iter()
                    .map(|p| p.study.as_str())
                    .collect::<Labels>()
            }),
            covariates: covariate
                .map(|name| (name.to_string(), groups))
                .into_iter()
                .collect(),
            dropped: Vec::new(),
        }
    }

    /// How many patients come from `source`.
    pub(crate) fn count(&self, source: Source) -> usize {
        self.rows.iter().filter(|p| p.source == source).count()
    }

    /// Whether some study contributes patients to more than one group: the
    /// only information a comparison within studies has.
    pub(crate) fn some_study_spans_groups(&self) -> bool {
        let mut groups = BTreeMap::<&str, BTreeSet<&str>>::new();
        for p in &self.rows {
            groups.entry(&p.study).or_default().insert(&p.group);
        }
        groups.values().any(|g| g.len() > 1)
    }

    /// One row per patient, flagged by source, with the provenance columns
    /// every export carries (study identity, source location, data file and
    /// line).
    pub(crate) fn table(&self, evidence: &Evidence) -> Table {
        let sourced: Vec<Sourced<'_>> = self
            .rows
            .iter()
            .map(|p| Sourced {
                study_id: &p.study,
                provenance: &p.provenance,
                study: study_source(evidence, &p.study),
                origin: &p.origin,
            })
            .collect();
        let text = |f: &dyn Fn(&PooledPatient) -> String| {
            self.rows.iter().map(|p| Some(f(p))).collect::<Vec<_>>()
        };
        let mut t = Table::default();
        columns::identity(&mut t, &sourced);
        t.text("patient", text(&|p| p.patient.clone()))
            .text("source", text(&|p| source_label(p.source).to_string()))
            .text("group", text(&|p| p.group.clone()))
            .number(
                "time_months",
                self.rows.iter().map(|p| Some(p.time)).collect(),
            )
            .integer(
                "event",
                self.rows.iter().map(|p| Some(u64::from(p.event))).collect(),
            );
        columns::location(&mut t, &sourced);
        columns::data_origin(&mut t, &sourced);
        t
    }
}

/// How a patient's source is named in `pooled_patients.csv`.
fn source_label(source: Source) -> &'static str {
    match source {
        Source::Cases => "case report",
        Source::Reconstructed => "reconstructed",
    }
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
    /// The `event` value that means an event (`event_code` option).
    pub event_code: Option<u32>,
}

impl Collected<'_> {
    /// A case's event under the analysis' event code.
    pub(crate) fn event(&self, c: &Case) -> Option<bool> {
        case_event(c, self.event_code)
    }

    /// One line naming the selected cases whose `event` holds a code other
    /// than 0 or 1 when no `event_code` is set (their status decides).
    pub(crate) fn unread_codes(&self) -> Option<String> {
        if self.event_code.is_some() {
            return None;
        }
        let odd: Vec<&Case> = self
            .rows
            .iter()
            .copied()
            .filter(|c| c.event_code.is_some_and(|v| v > 1))
            .collect();
        let codes: BTreeSet<u32> = odd.iter().filter_map(|c| c.event_code).collect();
        (!odd.is_empty()).then(|| {
            format!(
                "{} with an event code other than 0 or 1 ({}): read by their vital status; set options.event_code to name the code of the event (any other value is then censored)",
                if odd.len() == 1 { "1 case".to_string() } else { format!("{} cases", odd.len()) },
                codes.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            )
        })
    }

    /// The Markdown list of what was left out: each case (named by
    /// `case_name`) with its reason, then each arm that could not be
    /// reconstructed.
    pub(crate) fn left_out_list(&self, case_name: &dyn Fn(&Case) -> String) -> String {
        self.reasons
            .iter()
            .map(|(c, r)| format!("- {}: {}\n", case_name(c), escape_markdown(r)))
            .chain(
                self.reasons_extra
                    .iter()
                    .map(|r| format!("- {}\n", escape_markdown(r))),
            )
            .collect()
    }
}

/// Collects the patients of an analysis from case reports and/or
/// reconstructed curves, each labelled with its `group` (a case column,
/// "source" or "study"; one group when absent).
pub(crate) fn collect<'a>(
    spec: &AnalysisSpec,
    evidence: &'a Evidence,
    group: Option<&str>,
    sources: &[Source],
    event_code: Option<u32>,
) -> Result<Collected<'a>, AnalysisError> {
    let use_cases = sources.contains(&Source::Cases);
    let use_reconstructed = sources.contains(&Source::Reconstructed);
    let rows: Vec<&Case> = evidence
        .cases
        .iter()
        .filter(|c| spec.select.matches_case(c))
        .collect();
    if rows.is_empty() && !use_reconstructed {
        let (m, fix) = if evidence.cases.is_empty() {
            ("the patients come from case reports (sources), but there are no case rows (the cases table is empty, or none is named under [data])", "add the cases table under [data], or set sources = [\"reconstructed\"] to use digitised curves")
        } else {
            (
                "select matches no cases",
                "check select.study against data/cases",
            )
        };
        return Err(spec.error(m.into(), fix.into()).into());
    }
    let (entered, reasons) = enter(&rows, event_code);
    if let Some(Err((m, fix))) = group.map(|g| check_group(g, sources)) {
        return Err(spec.error(m, fix).into());
    }
    let entered = if use_cases { entered } else { Vec::new() };
    let groups: Vec<String> = entered
        .iter()
        .map(|c| case_group(c, group, use_reconstructed))
        .collect();
    let (arms, reasons_extra) = if use_reconstructed {
        reconstruct_selected(spec, evidence, &Default::default())
    } else {
        (Vec::new(), Vec::new())
    };
    let mut pooled = Pooled::default();
    pooled.add_cases(&entered, &groups, event_code);
    pooled.add_arms(&arms, group);
    Ok(Collected {
        rows,
        entered,
        groups,
        reasons,
        reasons_extra,
        pooled,
        reconstructed_arms: arms.len(),
        event_code,
    })
}

/// A case's event: with an event code, whether its `event` column holds
/// that code (any other value censored, as R's `status == K`); else, or
/// when the column is empty, its `event` column as 0/1 or what its vital
/// status implies.
pub(crate) fn case_event(c: &Case, code: Option<u32>) -> Option<bool> {
    match (code, c.event_code) {
        (Some(k), Some(v)) => Some(v == k),
        _ => c.died(),
    }
}

/// Why a case cannot enter a survival analysis (it needs a follow-up time
/// and a known vital status), or `None` when it enters.
fn left_out_reason(c: &Case, code: Option<u32>) -> Option<&'static str> {
    match (c.follow_up, case_event(c, code)) {
        (Some(_), Some(_)) => None,
        (None, _) => Some("no follow-up time reported"),
        (Some(_), None) => {
            Some("vital status not reported: cannot be counted as an event or a censoring")
        }
    }
}

/// The cases that enter, and those left out with their reason.
fn enter<'a>(rows: &[&'a Case], code: Option<u32>) -> (Vec<&'a Case>, Vec<(&'a Case, String)>) {
    let mut entered = Vec::new();
    let mut reasons = Vec::new();
    for c in rows {
        match left_out_reason(c, code) {
            None => entered.push(*c),
            Some(why) => reasons.push((*c, why.to_string())),
        }
    }
    (entered, reasons)
}

/// The case columns `group` can name besides `cov_<name>`.
const GROUP_COLUMNS: &[&str] = &["treatment", "sex", "follow_up_origin", "source", "study"];

/// The fix of an unknown `group`.
const GROUP_FIX: &str = "use treatment, sex, follow_up_origin, source, study or cov_<name>";

/// Whether `group` names a column the patients can be grouped by (with
/// case reports among the `sources`, a case column; reconstructed patients
/// alone take their arm's name whatever it says): the error message and its
/// fix (with the closest column) when it does not.
pub(crate) fn check_group(group: &str, sources: &[Source]) -> Result<(), (String, String)> {
    if !sources.contains(&Source::Cases)
        || GROUP_COLUMNS.contains(&group)
        || group.starts_with("cov_")
    {
        return Ok(());
    }
    let fix = match crate::domain::closest(group, GROUP_COLUMNS.iter().copied()) {
        Some(c) => format!("did you mean '{c}'? {GROUP_FIX}"),
        None => GROUP_FIX.to_string(),
    };
    Err((format!("options.group: unknown case column '{group}'"), fix))
}

/// A case's group under the `group` option: a case column, "source" or
/// "study"; "All cases" when absent ("All patients" when reconstructed
/// patients join them). `group` has passed [`check_group`].
fn case_group(c: &Case, group: Option<&str>, with_reconstructed: bool) -> String {
    let stated = |v: &Option<String>| v.clone().unwrap_or_else(|| "not stated".into());
    match group {
        None if with_reconstructed => "All patients".into(),
        None => "All cases".into(),
        Some("treatment") => stated(&c.treatment),
        Some("sex") => c.sex.to_string(),
        Some("source") => "case report".into(),
        // The id, not the label: two studies can share "Smith 2020".
        Some("study") => c.study_id.clone(),
        Some("follow_up_origin") => stated(&c.follow_up_origin),
        Some(other) => stated(
            &other
                .strip_prefix("cov_")
                .and_then(|name| c.covariates.get(name).cloned()),
        ),
    }
}

/// The group of a reconstructed arm's patients: "All patients" when no group
/// is named, "reconstructed" by source, the study by study, else the arm.
fn arm_group(a: &ArmResult, group: Option<&str>) -> String {
    match group {
        None => "All patients".to_string(),
        Some("source") => "reconstructed".into(),
        Some("study") => a.study_id.clone(),
        Some(_) => a.arm.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::patients::fixtures::{digitised_arm, origin};
    use crate::domain::{CaseStatus, Sex};

    fn case(id: &str, follow_up: Option<f64>, status: CaseStatus) -> Case {
        Case {
            study_id: "jones2019".into(),
            case_id: id.into(),
            age: None,
            sex: Sex::Female,
            primary_site: None,
            primary_treatment: None,
            latency: None,
            spinal_level: None,
            treatment: Some("surgery".into()),
            adjuvant: None,
            follow_up,
            follow_up_origin: None,
            status,
            event: None,
            event_code: None,
            covariates: Default::default(),
            provenance: Provenance {
                source_location: Some("Case report".into()),
                ..Default::default()
            },
            origin: origin("data/cases.csv", 2),
        }
    }

    /// Two cases (one without follow-up) and one digitised arm of 10
    /// patients, all dying at 1, 2, … 10 months.
    fn evidence() -> Evidence {
        Evidence {
            cases: vec![
                case("jones2019_1", Some(30.0), CaseStatus::DeadDisease),
                case("jones2019_2", None, CaseStatus::AliveNed),
            ],
            ..digitised_arm(0.0)
        }
    }

    fn spec() -> AnalysisSpec {
        AnalysisSpec::example("k", "km", "{}")
    }

    #[test]
    fn a_case_without_follow_up_is_left_out_with_its_reason() {
        let e = evidence();
        let c = collect(&spec(), &e, None, &[Source::Cases], None).unwrap();
        assert_eq!(c.entered.len(), 1);
        assert_eq!(c.reasons.len(), 1);
        assert_eq!(c.reasons[0].0.case_id, "jones2019_2");
        assert_eq!(c.reasons[0].1, "no follow-up time reported");
        assert_eq!(c.pooled.rows.len(), 1);
        assert_eq!(c.groups, ["All cases"]);
    }

    #[test]
    fn a_case_of_unknown_vital_status_is_left_out_with_its_reason() {
        let c = case("x", Some(3.0), CaseStatus::Unknown);
        assert_eq!(
            left_out_reason(&c, None),
            Some("vital status not reported: cannot be counted as an event or a censoring")
        );
        let known = Case {
            event: Some(true),
            ..c
        };
        assert_eq!(
            left_out_reason(&known, None),
            None,
            "the event column suffices"
        );
    }

    #[test]
    fn cases_and_reconstructed_sources_pool_both() {
        let e = evidence();
        let c = collect(
            &spec(),
            &e,
            Some("source"),
            &[Source::Cases, Source::Reconstructed],
            None,
        )
        .unwrap();
        assert_eq!(c.reconstructed_arms, 1);
        assert_eq!(c.pooled.count(Source::Cases), 1);
        assert_eq!(c.pooled.count(Source::Reconstructed), 10);
        let groups: BTreeSet<&str> = c.pooled.rows.iter().map(|p| p.group.as_str()).collect();
        assert_eq!(groups, BTreeSet::from(["case report", "reconstructed"]));
        assert_eq!(c.pooled.rows[1].patient, "Surgery#1");
        // Each study holds one source: nothing to compare within studies.
        assert!(super::super::compare::compare_groups(&c.pooled, None)
            .unwrap_err()
            .starts_with("no study contributes"));
    }

    #[test]
    fn reconstructed_only_keeps_the_case_reasons_but_no_case() {
        let e = evidence();
        let c = collect(&spec(), &e, None, &[Source::Reconstructed], None).unwrap();
        assert!(c.entered.is_empty() && c.groups.is_empty());
        assert_eq!(c.reasons.len(), 1);
        assert!(c.pooled.rows.iter().all(|p| p.group == "All patients"));
    }

    #[test]
    fn an_unknown_group_column_names_the_allowed_ones() {
        let c = case("x", Some(3.0), CaseStatus::AliveNed);
        let cases = &[Source::Cases, Source::Reconstructed];
        let (m, fix) = check_group("arm", cases).unwrap_err();
        assert_eq!(m, "options.group: unknown case column 'arm'");
        assert_eq!(fix, GROUP_FIX);
        let (_, fix) = check_group("treatmnt", cases).unwrap_err();
        assert!(fix.starts_with("did you mean 'treatment'?"), "{fix}");
        assert!(check_group("cov_grade", cases).is_ok());
        // Reconstructed patients alone are grouped by arm whatever it says.
        assert!(check_group("arm", &[Source::Reconstructed]).is_ok());
        assert_eq!(case_group(&c, Some("cov_grade"), false), "not stated");
        assert_eq!(case_group(&c, Some("treatment"), false), "surgery");
        assert_eq!(case_group(&c, None, true), "All patients");
    }

    /// An unknown group is refused even when no case enters (it used to
    /// pass unnoticed when every case lacked a follow-up).
    #[test]
    fn an_unknown_group_is_refused_whoever_enters() {
        let e = Evidence {
            cases: vec![case("y", None, CaseStatus::AliveNed)],
            ..Evidence::default()
        };
        let err = collect(&spec(), &e, Some("arm"), &[Source::Cases], None)
            .err()
            .expect("refused");
        assert!(
            err.to_string().contains("unknown case column 'arm'"),
            "{err}"
        );
    }

    #[test]
    fn pooled_rows_carry_their_provenance_columns() {
        let e = evidence();
        let c = collect(
            &spec(),
            &e,
            None,
            &[Source::Cases, Source::Reconstructed],
            None,
        )
        .unwrap();
        let csv = String::from_utf8(crate::export::to_csv(&c.pooled.table(&e)).unwrap()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "study_id,study_label,citation,year,doi,pmid,patient,source,group,time_months,event,\
             source_location,source_url,quote,confidence,notes,data_file,data_line"
        );
        let case = lines.next().unwrap();
        assert!(case.contains("case report") && case.ends_with("Case report,,,,,data/cases.csv,2"));
        // A reconstructed patient: the figure and the arm's first point.
        assert!(lines
            .next()
            .unwrap()
            .ends_with("Figure 2,,,,,data/curves.csv,2"));
    }
}
