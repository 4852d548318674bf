//! `claims-audit`: each claim of a draft (`[data] claims`) checked against
//! the evidence table, with a verdict and what the source actually says.

use crate::analysis::Kind;
use crate::domain::Reads;
use serde::Deserialize;

use crate::audit::{audit, claim_value, Finding, Verdict};
use crate::domain::{Evidence, Vocab};
use crate::export::{markdown_table, Table};
use crate::project::AnalysisSpec;

use super::{title, AnalysisError, AnalysisOutput, OutputFile};

/// Options of `claims-audit` (none yet; unknown keys are errors).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {}

/// A draft's claims checked against the selected figures.
pub(crate) struct ClaimsAudit;

impl Kind for ClaimsAudit {
    type Options = Options;
    const READS: Reads = Reads::FIGURES.and_claims();

    fn plan(
        spec: &AnalysisSpec,
        _options: &Options,
        evidence: &Evidence,
        data_ok: bool,
        p: &mut crate::analysis::plan::Planned,
    ) {
        crate::analysis::plan::common(spec, Self::READS, evidence, data_ok, p);
        if data_ok && evidence.claims.is_empty() {
            p.error(
                spec,
                spec.line,
                "kind 'claims-audit' needs claims, and the project has none".into(),
                "add claims = \"data/claims.csv\" under [data] (columns: claim_id, text, value, unit, statistic, outcome, population, study_id, ...)".into(),
            );
        }
    }

    fn run(
        spec: &AnalysisSpec,
        _options: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        if evidence.claims.is_empty() {
            return Err(spec
                .error(
                    "kind 'claims-audit' needs claims, and the project has none".into(),
                    "add claims = \"data/claims.csv\" under [data] (columns: claim_id, text, value, unit, statistic, outcome, population, study_id, ...)".into(),
                )
                .into());
        }
        // The audit reads the figures the selection admits (all by default).
        let scoped = Evidence {
            figures: evidence
                .figures
                .iter()
                .filter(|f| spec.select.matches_figure(f))
                .cloned()
                .collect(),
            studies: evidence.studies.clone(),
            claims: evidence.claims.clone(),
            ..Evidence::default()
        };
        let findings = audit(&scoped);
        let csv = OutputFile::csv(spec, "audit.csv", &findings_table(&findings))?;
        let heading = title(spec, "Claims audit");
        let table = findings_markdown(&findings);
        let counts = tally(&findings);
        let md = format!("# {heading}\n\n{counts}.\n\n{table}");
        let report = format!(
            "{counts}. [audit.md]({name}/audit.md) · [audit.csv]({name}/audit.csv)\n\n{table}",
            name = spec.name
        );
        let mut studies: Vec<String> = findings
            .iter()
            .filter_map(|f| f.figure.as_ref().map(|g| g.study_id.clone()))
            .collect();
        studies.sort();
        studies.dedup();
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files: vec![
                csv,
                OutputFile::new("audit.md", md.into_bytes()),
            ],
            summary: counts,
            report,
            studies,
            methods: super::Methods::new(
                format!(
                    "Each claim of the draft was checked against the extracted figures of the study it cites: a claim is supported when that study reports the number (equal at the claim's printed precision, or within 10% where the claim says 'about') as the same statistic, outcome, time point, number of patients and population (every content word of the claimed population found in the source's population, detail or group, allowing inflections and synonyms such as spine/spinal, LMS/leiomyosarcoma); a mismatch when the study prints the number as something else; unsupported when no source is cited; not found when the cited study is not in the evidence table or prints no such number. {}",
                    crate::present::methods::software("")
                ),
                &[],
            ),
        })
    }
}

/// "6 claims: 4 supported, 1 mismatch, 1 unsupported".
pub fn tally(findings: &[Finding]) -> String {
    let parts: Vec<String> = [
        Verdict::Supported,
        Verdict::Mismatch,
        Verdict::Unsupported,
        Verdict::NotFound,
    ]
    .iter()
    .filter_map(|v| {
        let n = findings.iter().filter(|f| f.verdict == *v).count();
        (n > 0).then(|| format!("{n} {}", v.name()))
    })
    .collect();
    format!(
        "{}: {}",
        crate::number::count(findings.len(), "claim", "claims"),
        parts.join(", ")
    )
}

fn findings_markdown(findings: &[Finding]) -> String {
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                f.claim.claim_id.clone(),
                f.claim.text.clone(),
                claim_value(&f.claim),
                f.claim.study_id.clone().unwrap_or_else(|| "—".into()),
                match f.verdict {
                    Verdict::Supported => "supported".into(),
                    v => v.name().to_uppercase(),
                },
                why(f),
            ]
        })
        .collect();
    markdown_table(
        &[
            "Claim",
            "Draft says",
            "Value",
            "Cites",
            "Verdict",
            "What the source says",
        ],
        &rows,
    )
}

fn why(f: &Finding) -> String {
    let mut parts = f.reasons.clone();
    if !f.source_says.is_empty() {
        parts.push(f.source_says.clone());
    }
    parts.join("; ")
}

/// One row per claim: the claim as given, the verdict, the reasons and the
/// figure behind it with its provenance.
pub fn findings_table(findings: &[Finding]) -> Table {
    let text = |g: &dyn Fn(&Finding) -> Option<String>| findings.iter().map(g).collect::<Vec<_>>();
    let mut t = Table::default();
    t.text("claim_id", text(&|f| Some(f.claim.claim_id.clone())))
        .text("text", text(&|f| Some(f.claim.text.clone())))
        .text("location", text(&|f| f.claim.location.clone()))
        .text(
            "reported_value",
            text(&|f| Some(f.claim.reported_value.clone())),
        )
        .text(
            "reported_unit",
            text(&|f| Some(f.claim.reported_unit.to_string())),
        )
        .number(
            "value",
            findings.iter().map(|f| Some(f.claim.value)).collect(),
        )
        .text("unit", text(&|f| Some(f.claim.unit.to_string())))
        .text(
            "statistic",
            text(&|f| f.claim.statistic.map(|s| s.name().to_string())),
        )
        .text(
            "outcome",
            text(&|f| f.claim.outcome.map(|o| o.name().to_string())),
        )
        .text("population", text(&|f| f.claim.population.clone()))
        .text("study_id", text(&|f| f.claim.study_id.clone()))
        .text("verdict", text(&|f| Some(f.verdict.name().to_string())))
        .text(
            "reasons",
            text(&|f| (!f.reasons.is_empty()).then(|| f.reasons.join("; "))),
        )
        .text(
            "source_says",
            text(&|f| (!f.source_says.is_empty()).then(|| f.source_says.clone())),
        )
        .text(
            "source_file",
            text(&|f| f.figure.as_ref().map(|g| g.origin.file.clone())),
        )
        .integer(
            "source_line",
            findings
                .iter()
                .map(|f| f.figure.as_ref().map(|g| g.origin.line as u64))
                .collect(),
        )
        .text(
            "source_location",
            text(&|f| {
                f.figure
                    .as_ref()
                    .and_then(|g| g.provenance.source_location.clone())
            }),
        )
        .text(
            "source_quote",
            text(&|f| f.figure.as_ref().and_then(|g| g.provenance.quote.clone())),
        )
        .text("claims_file", text(&|f| Some(f.claim.origin.file.clone())))
        .integer(
            "claims_line",
            findings
                .iter()
                .map(|f| Some(f.claim.origin.line as u64))
                .collect(),
        );
    t
}
