//! `case-table`: the selected patient rows with provenance.

pub mod checks;

use crate::analysis::Kind;
use crate::domain::Reads;
use serde::Deserialize;

use crate::domain::{Case, Evidence, StudySource};
use crate::export::{markdown_table, to_csv, Table};
use crate::project::AnalysisSpec;

use super::{export_err, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns::{self, Sourced};
use crate::present::format::{num, source_text};

/// Options of `case-table` (none yet; unknown keys are errors).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {}

/// The selected case rows with provenance, cross-checks and a swimmer plot.
pub(crate) struct CaseTable;

impl Kind for CaseTable {
    type Options = Options;
    const READS: Reads = Reads::CASES;

    fn run(
        spec: &AnalysisSpec,
        _options: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
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
        let empty = StudySource::default();
        let source = |c: &Case| evidence.studies.get(&c.study_id).unwrap_or(&empty);
        let covariates: Vec<String> = {
            let mut names: Vec<String> = rows
                .iter()
                .flat_map(|c| c.covariates.keys().cloned())
                .collect();
            names.sort();
            names.dedup();
            names
        };
        let text =
            |g: &dyn Fn(&Case) -> Option<String>| rows.iter().map(|c| g(c)).collect::<Vec<_>>();
        let mut t = Table::default();
        let sourced = Sourced::of(&rows, &source);
        columns::identity(&mut t, &sourced);
        t.text("case_id", text(&|c| Some(c.case_id.clone())))
            .number("age_years", rows.iter().map(|c| c.age).collect())
            .text("sex", text(&|c| Some(c.sex.to_string())))
            .text("primary_site", text(&|c| c.primary_site.clone()))
            .text("primary_treatment", text(&|c| c.primary_treatment.clone()))
            .number("latency_months", rows.iter().map(|c| c.latency).collect())
            .text("spinal_level", text(&|c| c.spinal_level.clone()))
            .text("treatment", text(&|c| c.treatment.clone()))
            .text("adjuvant", text(&|c| c.adjuvant.clone()))
            .number(
                "follow_up_months",
                rows.iter().map(|c| c.follow_up).collect(),
            )
            .text("follow_up_origin", text(&|c| c.follow_up_origin.clone()))
            .text("status", text(&|c| Some(c.status.to_string())))
            .integer(
                "event",
                rows.iter().map(|c| c.event.map(u64::from)).collect(),
            );
        columns::location(&mut t, &sourced);
        for name in &covariates {
            t.text(
                &format!("cov_{name}"),
                rows.iter()
                    .map(|c| c.covariates.get(name).cloned())
                    .collect(),
            );
        }
        columns::data_origin(&mut t, &sourced);
        let csv = to_csv(&t).map_err(export_err(spec))?;

        let opt = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |x| num(x, 1));
        let md_rows: Vec<Vec<String>> = rows
            .iter()
            .map(|c| {
                let s = source(c);
                vec![
                    c.case_id.clone(),
                    s.short_label(&c.study_id),
                    format!(
                        "{} {}",
                        c.age.map_or_else(|| "?".into(), |a| num(a, 1)),
                        c.sex
                    ),
                    c.primary_site.clone().unwrap_or_default(),
                    opt(c.latency),
                    c.spinal_level.clone().unwrap_or_default(),
                    c.treatment.clone().unwrap_or_default(),
                    c.adjuvant.clone().unwrap_or_default(),
                    opt(c.follow_up),
                    c.follow_up_origin.clone().unwrap_or_default(),
                    c.status.to_string(),
                    source_text(
                        c.provenance.source_location.as_deref(),
                        s.doi.as_deref(),
                        s.pmid.as_deref(),
                    ),
                ]
            })
            .collect();
        let heading = title(spec, "Case table");
        let header = [
            "Case",
            "Study",
            "Age/sex",
            "Primary",
            "Latency (months)",
            "Level",
            "Treatment",
            "Adjuvant",
            "Follow-up (months)",
            "Follow-up from",
            "Status",
            "Source",
        ];
        let table = markdown_table(&header, &md_rows);
        let md = format!("# {heading}\n\nOne row per patient. Times in months. Full provenance is in `cases.csv`.\n\n{table}");
        let studies = columns::study_ids(rows.iter().map(|c| c.study_id.as_str()));
        let mut files = vec![
            OutputFile {
                name: "cases.csv".into(),
                bytes: csv,
            },
            OutputFile {
                name: "cases.md".into(),
                bytes: md.into_bytes(),
            },
        ];
        let swimmer = crate::present::swimmer::swimmer(&heading, &rows, &|c| {
            source(c).short_label(&c.study_id)
        });
        let figure = match &swimmer {
            Some(p) => {
                files.extend(super::figure_files(
                    spec,
                    "swimmer",
                    crate::plot::render_swimmer_svg(p),
                )?);
                format!(
                    "![{}]({}/swimmer.png)\n\n",
                    crate::export::escape_markdown(&p.title),
                    spec.name
                )
            }
            None => String::new(),
        };
        let deaths = rows.iter().filter(|c| c.event == Some(true)).count();
        let with_fu = rows
            .iter()
            .filter(|c| c.follow_up.is_some() && c.event.is_some())
            .count();
        // What the studies report in aggregate, recomputed from their rows.
        let checks = crate::analysis::case_table::checks::against_cases(&rows, evidence);
        let check_section = if checks.is_empty() {
            String::new()
        } else {
            let check_rows: Vec<Vec<String>> = checks
                .iter()
                .map(|c| {
                    vec![
                        evidence
                            .studies
                            .get(&c.study_id)
                            .unwrap_or(&empty)
                            .short_label(&c.study_id),
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
                    &check_rows
                )
            )
        };
        let warnings: Vec<String> = checks
            .iter()
            .filter(|c| c.verdict.starts_with("disagrees"))
            .map(|c| format!("{}: {} {}", c.study_id, c.what, c.verdict))
            .collect();
        let report = format!(
            "{figure}{} patients from {} studies; {deaths} deaths; {with_fu} with both follow-up and vital status (usable for survival analysis). [cases.md]({name}/cases.md) · [cases.csv]({name}/cases.csv)\n\n{table}{check_section}",
            rows.len(),
            studies.len(),
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
            methods: super::Methods::new(
                format!(
                    "Patients described in case reports and case series are listed as extracted, one row per patient, each with its source location and quotation; follow-up times are converted to months. The swimmer plot draws each patient with a follow-up time as a bar to the last follow-up, ending in the status reported. Where a study also reports aggregate figures for its patients (mean or median age, deaths, median overall survival, survival at a time point), they are recomputed from its case rows (survival by Kaplan–Meier) and compared at the precision the source printed; a figure is not checkable when the case table lacks some of its patients or values. {}",
                    crate::present::methods::software("")
                ),
                if checks.iter().any(|c| c.what.contains("Kaplan")) {
                    &[super::Ref::KaplanMeier1958][..]
                } else {
                    &[][..]
                },
            )
            .warn(warnings),
        })
    }
}
