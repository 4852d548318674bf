//! The `reconstruct` report: the QA table, the hazard ratios of the
//! reconstructed arms against their reference arm, the reported-HR
//! cross-checks (and why one was not made), the overlay figures, the notes
//! and the warnings.

use crate::export::{escape_markdown, markdown_table};
use crate::project::AnalysisSpec;

use crate::analysis::patients::reconstruct::checks::{ArmHr, HrCheck};
use crate::analysis::patients::reconstruct::qa::{qa_row, ArmQa, QA_HEADER};
use crate::analysis::patients::reconstruct::ArmResult;
use crate::present::format::num;

/// The hazard ratios of a reconstruction and its cross-checks.
pub(crate) struct Checks {
    /// Each arm against its study's reference arm.
    pub arm_hrs: Vec<ArmHr>,
    /// Reported hazard ratios checked.
    pub hr_checks: Vec<HrCheck>,
    /// Reported hazard ratios not checked, and why.
    pub unchecked: Vec<String>,
}

/// The report section: the QA table, the hazard ratios and cross-checks,
/// the overlay figures, the notes and the link to `ipd.csv`.
pub(crate) fn report(
    spec: &AnalysisSpec,
    arms: &[ArmResult],
    qas: &[ArmQa],
    checks: &Checks,
    skipped: &[String],
    label: &dyn Fn(&str) -> String,
) -> String {
    let qa_rows: Vec<Vec<String>> = arms
        .iter()
        .zip(qas)
        .map(|(a, qa)| qa_row(a, qa, label(&a.study_id)))
        .collect();
    let figures: String = (1..=arms.len())
        .map(|i| format!("![QA {i}]({}/qa_{i}.png)\n", spec.name))
        .collect();
    let notes = notes_list(arms, skipped);
    format!(
        "{}\n{}{}{figures}\n{}[ipd.csv]({}/ipd.csv)\n",
        markdown_table(&QA_HEADER, &qa_rows),
        arm_hr_section(&checks.arm_hrs, label),
        hr_section(&checks.hr_checks, &checks.unchecked, label),
        if notes.is_empty() {
            String::new()
        } else {
            format!("Notes:\n\n{notes}\n")
        },
        spec.name
    )
}

/// The table of each arm's hazard ratio against its study's reference arm,
/// with which arm that is and why; nothing without a study of two arms.
fn arm_hr_section(hrs: &[ArmHr], label: &dyn Fn(&str) -> String) -> String {
    if hrs.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = hrs
        .iter()
        .map(|h| {
            vec![
                escape_markdown(&label(&h.study_id)),
                escape_markdown(&format!("{} vs {}", h.arm, h.reference)),
                format!("{} ({}–{})", num(h.hr.0, 2), num(h.hr.1, 2), num(h.hr.2, 2)),
                num(h.pval, 4),
            ]
        })
        .collect();
    let mut refs: Vec<String> = Vec::new();
    for h in hrs {
        let line = format!(
            "{}: reference arm {}, {}.",
            escape_markdown(&label(&h.study_id)),
            escape_markdown(&h.reference),
            h.why
        );
        if !refs.contains(&line) {
            refs.push(line);
        }
    }
    format!(
        "Hazard ratios of the reconstructed arms (Cox, Efron ties), each against its study's reference arm\n\n{}\n{}\n\n",
        markdown_table(&["Study", "Arms", "HR (95% CI)", "p"], &rows),
        refs.join(" ")
    )
}

/// The table of reported hazard ratios checked against the reconstruction,
/// then each reported hazard ratio that could not be checked and why;
/// nothing when there is neither.
fn hr_section(
    hr_checks: &[HrCheck],
    unchecked: &[String],
    label: &dyn Fn(&str) -> String,
) -> String {
    let mut s = String::new();
    if !hr_checks.is_empty() {
        let rows: Vec<Vec<String>> = hr_checks
            .iter()
            .map(|c| {
                vec![
                    label(&c.study_id),
                    c.compared.clone(),
                    c.reported.clone(),
                    c.reconstructed.clone(),
                    c.verdict.clone(),
                ]
            })
            .collect();
        s.push_str(&format!(
            "Cross-checks: hazard ratios (the Cox HR of the reconstructed arms against the HR the paper reports)\n\n{}\n",
            markdown_table(
                &["Study", "Compared", "Reported", "Reconstructed", "Check"],
                &rows
            )
        ));
    }
    if !unchecked.is_empty() {
        s.push_str("Reported hazard ratios not cross-checked:\n\n");
        for u in unchecked {
            s.push_str(&format!("- {}\n", escape_markdown(u)));
        }
        s.push('\n');
    }
    s
}

/// The Markdown list of each arm's cleaning notes and reconstruction
/// warnings, then of the arms that could not be reconstructed.
fn notes_list(arms: &[ArmResult], skipped: &[String]) -> String {
    arms.iter()
        .flat_map(|a| {
            a.cleaning.iter().chain(&a.result.warnings).map(move |n| {
                format!(
                    "- {}/{}: {}\n",
                    escape_markdown(&a.study_id),
                    escape_markdown(&a.arm),
                    escape_markdown(n)
                )
            })
        })
        .chain(
            skipped
                .iter()
                .map(|s| format!("- {}\n", escape_markdown(s))),
        )
        .collect()
}

/// The warnings: every arm whose QA warns, then every reported hazard ratio
/// whose reconstruction lies outside its CI.
pub(crate) fn qa_warnings(arms: &[ArmResult], qas: &[ArmQa], hr_checks: &[HrCheck]) -> Vec<String> {
    let arms = arms.iter().zip(qas).filter_map(|(a, qa)| {
        qa.verdict.strip_prefix("warn: ").map(|w| {
            format!(
                "{}/{}: reconstruction disagrees with the paper: {w}",
                a.study_id, a.arm
            )
        })
    });
    let hrs = hr_checks.iter().filter_map(|c| {
        c.verdict
            .strip_prefix("warn: ")
            .map(|w| format!("{} ({}): {w} ({})", c.study_id, c.compared, c.reported))
    });
    arms.chain(hrs).collect()
}
