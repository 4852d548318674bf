//! The case rows as tables: the CSV with every field and full provenance
//! (one `cov_<name>` column per covariate any row gives), and the Markdown
//! table of the report.

use crate::domain::{Case, StudySource};
use crate::export::{markdown_table, Table};
use crate::present::columns::{self, Sourced};
use crate::present::format::{num, source_text};

/// The covariate names of `rows`, sorted, each once.
pub(super) fn covariate_names(rows: &[&Case]) -> Vec<String> {
    let mut names: Vec<String> = rows
        .iter()
        .flat_map(|c| c.covariates.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `cases.csv`: identity, every field, location, the covariates, data origin.
pub(super) fn cases_table<'a>(
    rows: &[&'a Case],
    source: &dyn Fn(&'a Case) -> &'a StudySource,
) -> Table {
    let text = |g: &dyn Fn(&Case) -> Option<String>| rows.iter().map(|c| g(c)).collect::<Vec<_>>();
    let mut t = Table::default();
    let sourced = Sourced::of(rows, source);
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
    for name in &covariate_names(rows) {
        t.text(
            &format!("cov_{name}"),
            rows.iter()
                .map(|c| c.covariates.get(name).cloned())
                .collect(),
        );
    }
    columns::data_origin(&mut t, &sourced);
    t
}

/// The Markdown table of the cases: one row per patient, times to one
/// decimal, "—" for an unknown time and "?" for an unknown age.
pub(super) fn cases_markdown<'a>(
    rows: &[&'a Case],
    source: &dyn Fn(&'a Case) -> &'a StudySource,
) -> String {
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
    markdown_table(&header, &md_rows)
}
