//! `case-table`: the selected patient rows with provenance, a swimmer plot,
//! and each study's aggregate figures cross-checked against its own rows
//! ([`checks`]).

pub mod checks;
mod tables;

use serde::Deserialize;

use crate::analysis::Kind;
use crate::domain::{Case, Evidence, Reads, StudySource};
use crate::export::markdown_table;
use crate::project::AnalysisSpec;

use super::{title, AnalysisError, AnalysisOutput, Methods, OutputFile, Ref};
use crate::present::columns;
use checks::{against_cases, CaseCheck};
use tables::{cases_markdown, cases_table};

/// Options of `case-table` (none yet; unknown keys are errors).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {}

/// The selected case rows with provenance, cross-checks and a swimmer plot.
pub(crate) struct CaseTable;

impl Kind for CaseTable {
    type Options = Options;
    const READS: Reads = Reads::CASES;

    fn plan(
        spec: &AnalysisSpec,
        _options: &Options,
        evidence: &Evidence,
        data_ok: bool,
        p: &mut crate::analysis::plan::Planned,
    ) {
        let extra = spec.select.figure_only_keys();
        if !extra.is_empty() {
            p.error(
                spec,
                spec.select_line(extra[0]),
                format!(
                    "select keys {} do not apply to patient rows",
                    extra.join(", ")
                ),
                "a case-table selects by study and exclude_study only".into(),
            );
        }
        crate::analysis::plan::common(spec, Self::READS, evidence, data_ok, p);
    }

    fn run(
        spec: &AnalysisSpec,
        _options: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let rows = selected_cases(spec, evidence)?;
        let empty = StudySource::default();
        let source = |c: &Case| evidence.studies.get(&c.study_id).unwrap_or(&empty);
        let heading = title(spec, "Case table");
        let table = cases_markdown(&rows, &source);
        let mut files = vec![
            OutputFile::csv(spec, "cases.csv", &cases_table(&rows, &source))?,
            OutputFile::new(
                "cases.md",
                format!("# {heading}\n\nOne row per patient. Times in months. Full provenance is in `cases.csv`.\n\n{table}").into_bytes(),
            ),
        ];
        let figure = swimmer_figure(spec, &heading, &rows, &source, &mut files)?;
        // What the studies report in aggregate, recomputed from their rows.
        let checks = against_cases(&rows, evidence);
        let studies = columns::study_ids(rows.iter().map(|c| c.study_id.as_str()));
        let report = format!(
            "{figure}{}. [cases.md]({name}/cases.md) · [cases.csv]({name}/cases.csv)\n\n{table}{}",
            counts(&rows, studies.len()),
            checks_section(&checks, &|id| {
                evidence.studies.get(id).unwrap_or(&empty).short_label(id)
            }),
            name = spec.name
        );
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files,
            summary: format!("{} patients from {} studies", rows.len(), studies.len()),
            report,
            studies,
            methods: methods(&checks).warn(disagreements(&checks)),
        })
    }
}

/// The cases the selection admits. Selecting by a figure-only key (outcome,
/// statistic, …) or selecting none is an error.
fn selected_cases<'a>(
    spec: &AnalysisSpec,
    evidence: &'a Evidence,
) -> Result<Vec<&'a Case>, AnalysisError> {
    let extra = spec.select.figure_only_keys();
    if !extra.is_empty() {
        return Err(spec
            .error(
                format!(
                    "select keys {} do not apply to patient rows",
                    extra.join(", ")
                ),
                "a case-table selects by study and exclude_study only".into(),
            )
            .into());
    }
    let rows: Vec<&Case> = evidence
        .cases
        .iter()
        .filter(|c| spec.select.matches_case(c))
        .collect();
    if rows.is_empty() {
        return Err(spec
            .error(
                "select matches no cases".into(),
                "check select.study against data/cases".into(),
            )
            .into());
    }
    Ok(rows)
}

/// The swimmer plot's files (added to `files`) and its image line for the
/// report; nothing when no case has a follow-up time.
fn swimmer_figure<'a>(
    spec: &AnalysisSpec,
    heading: &str,
    rows: &[&'a Case],
    source: &dyn Fn(&Case) -> &'a StudySource,
    files: &mut Vec<OutputFile>,
) -> Result<String, AnalysisError> {
    let label = |c: &Case| source(c).short_label(&c.study_id);
    let Some(plot) = crate::present::swimmer::swimmer(heading, rows, &label) else {
        return Ok(String::new());
    };
    files.extend(super::figure_files(
        spec,
        "swimmer",
        crate::plot::render_swimmer_svg(&plot),
    )?);
    Ok(format!(
        "![{}]({}/swimmer.png)\n\n",
        crate::export::escape_markdown(&plot.title),
        spec.name
    ))
}

/// "12 patients from 5 studies; 7 deaths; 9 with both follow-up and vital
/// status (usable for survival analysis)".
fn counts(rows: &[&Case], studies: usize) -> String {
    let deaths = rows.iter().filter(|c| c.event == Some(true)).count();
    let with_fu = rows
        .iter()
        .filter(|c| c.follow_up.is_some() && c.event.is_some())
        .count();
    format!(
        "{} patients from {studies} studies; {deaths} deaths; {with_fu} with both follow-up and vital status (usable for survival analysis)",
        rows.len()
    )
}

/// The cross-checks as a table under the cases, each study by its label;
/// empty when no study reports a checkable figure.
fn checks_section(checks: &[CaseCheck], label: &dyn Fn(&str) -> String) -> String {
    if checks.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = checks
        .iter()
        .map(|c| {
            vec![
                label(&c.study_id),
                c.what.clone(),
                c.reported.clone(),
                c.recomputed.clone(),
                c.verdict.clone(),
            ]
        })
        .collect();
    format!(
        "\n\nCross-checks: what each study reports in aggregate against its own case rows\n\n{}",
        markdown_table(
            &["Study", "Figure", "Reported", "From the case rows", "Check"],
            &rows
        )
    )
}

/// One warning per check that disagrees ("not checkable" is no warning).
fn disagreements(checks: &[CaseCheck]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c.verdict.starts_with("disagrees"))
        .map(|c| format!("{}: {} {}", c.study_id, c.what, c.verdict))
        .collect()
}

/// The methods paragraph; Kaplan–Meier is cited when a check used it.
fn methods(checks: &[CaseCheck]) -> Methods {
    Methods::new(
        format!(
            "Patients described in case reports and case series are listed as extracted, one row per patient, each with its source location and quotation; follow-up times are converted to months. The swimmer plot draws each patient with a follow-up time as a bar to the last follow-up, ending in the status reported. Where a study also reports aggregate figures for its patients (mean or median age, deaths, median overall survival, survival at a time point), they are recomputed from its case rows (survival by Kaplan–Meier) and compared at the precision the source printed; a figure is not checkable when the case table lacks some of its patients or values. {}",
            crate::present::methods::software("")
        ),
        if checks.iter().any(|c| c.what.contains("Kaplan")) {
            &[Ref::KaplanMeier1958][..]
        } else {
            &[][..]
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn checked(study: &str, what: &str, verdict: &str) -> CaseCheck {
        CaseCheck {
            study_id: study.into(),
            what: what.into(),
            reported: "2".into(),
            recomputed: "2".into(),
            verdict: verdict.into(),
        }
    }

    #[test]
    fn only_disagreements_are_warned_about() {
        let checks = [
            checked("a", "deaths", "agrees"),
            checked(
                "b",
                "mean age",
                "disagrees: the case rows give 41.5, the source 43",
            ),
            checked(
                "c",
                "deaths",
                "not checkable: vital status missing in 1 case row",
            ),
        ];
        assert_eq!(
            disagreements(&checks),
            ["b: mean age disagrees: the case rows give 41.5, the source 43"]
        );
    }

    #[test]
    fn kaplan_meier_is_cited_only_when_a_check_used_it() {
        let plain = [checked("a", "deaths", "agrees")];
        assert!(methods(&plain).refs.is_empty());
        let km = [checked(
            "a",
            "median overall survival (Kaplan–Meier)",
            "agrees",
        )];
        assert_eq!(methods(&km).refs, [Ref::KaplanMeier1958]);
    }

    #[test]
    fn the_cross_checks_section_is_left_out_without_checks_and_labels_studies() {
        assert_eq!(checks_section(&[], &|id| id.to_uppercase()), "");
        let section = checks_section(&[checked("a", "deaths", "agrees")], &|id| id.to_uppercase());
        assert!(section.starts_with("\n\nCross-checks: what each study reports"));
        assert!(
            section.contains("| A | deaths | 2 | 2 | agrees |"),
            "{section}"
        );
    }

    #[test]
    fn covariate_columns_are_every_name_any_row_gives_sorted_once() {
        let case = |covs: &[&str]| Case {
            study_id: "s".into(),
            case_id: "c".into(),
            age: None,
            sex: crate::domain::Sex::Unknown,
            primary_site: None,
            primary_treatment: None,
            latency: None,
            spinal_level: None,
            treatment: None,
            adjuvant: None,
            follow_up: Some(3.0),
            follow_up_origin: None,
            status: crate::domain::CaseStatus::Unknown,
            event: Some(true),
            event_code: Some(1),
            covariates: covs
                .iter()
                .map(|c| (c.to_string(), "x".to_string()))
                .collect::<BTreeMap<_, _>>(),
            provenance: Default::default(),
            origin: crate::domain::Origin {
                file: "cases.csv".into(),
                sheet: None,
                line: 2,
            },
        };
        let (a, b) = (case(&["stage", "ecog"]), case(&["ecog", "kps"]));
        assert_eq!(tables::covariate_names(&[&a, &b]), ["ecog", "kps", "stage"]);
        let mut unknown = case(&[]);
        unknown.event = None;
        assert_eq!(
            counts(&[&a, &b, &unknown], 1),
            "3 patients from 1 studies; 2 deaths; 2 with both follow-up and vital status (usable for survival analysis)"
        );
    }
}
