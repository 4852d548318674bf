//! The planning step `survlit check` and `survlit run` share, so the two
//! can never disagree: each analysis' options parsed into its kind's typed
//! `Options` (every unknown key and wrong value at its line), its
//! selection checked against the validated evidence (every typo at once),
//! an analysis that selects nothing, and what the kind itself knows
//! ([`super::Kind::plan`]: a measure that cannot use what is selected,
//! options the chosen method ignores).

use crate::domain::{Evidence, Reads};
use crate::project::{AnalysisSpec, ProjectError};

/// What planning an analysis found: errors stop `check` and `run`;
/// warnings are printed by `check` and go into the analysis' report.
#[derive(Debug, Default)]
pub struct Planned {
    /// Each stops the run (file, line, message, fix).
    pub errors: Vec<ProjectError>,
    /// Each is reported.
    pub warnings: Vec<ProjectError>,
}

impl Planned {
    /// An error at `line` of this analysis.
    pub(crate) fn error(&mut self, spec: &AnalysisSpec, line: usize, message: String, fix: String) {
        self.errors.push(ProjectError {
            line,
            ..spec.error(message, fix)
        });
    }

    /// A warning at `line` of this analysis.
    pub(crate) fn warn(&mut self, spec: &AnalysisSpec, line: usize, message: String, fix: String) {
        self.warnings.push(ProjectError {
            line,
            ..spec.error(message, fix)
        });
    }

    /// Warns that option `key`, set in survlit.toml, has no effect, and why.
    pub(crate) fn ignored(&mut self, spec: &AnalysisSpec, key: &str, why: &str) {
        if spec.has_option(key) {
            self.warn(
                spec,
                spec.option_line(key),
                format!("options.{key} is ignored: {why}"),
                format!("delete {key}, or set what it depends on"),
            );
        }
    }
}

/// The file extensions an analysis can write (for checking `outputs`).
const FORMATS: &[&str] = &["csv", "md", "svg", "png", "pdf", "R"];

/// The generic part of every kind's plan: the selection's words and values,
/// `outputs`, and (with validated data) a selection that matches nothing.
pub(crate) fn common(
    spec: &AnalysisSpec,
    reads: Reads,
    evidence: &Evidence,
    data_ok: bool,
    p: &mut Planned,
) {
    let checked = spec.select.check_all(evidence, data_ok);
    for (key, m, f) in checked.errors {
        p.error(spec, spec.select_line(key), m, f);
    }
    for (key, m) in checked.warnings {
        p.warnings.push(ProjectError {
            line: spec.select_line(key),
            ..spec.error(m, String::new())
        });
    }
    for want in &spec.outputs {
        if !FORMATS.contains(&want.as_str()) {
            let fix = match crate::domain::closest(want, FORMATS.iter().copied()) {
                Some(s) => format!("did you mean '{s}'? formats: {}", FORMATS.join(", ")),
                None => format!("formats: {}", FORMATS.join(", ")),
            };
            p.error(
                spec,
                spec.line,
                format!("outputs: '{want}' is not a format survlit writes"),
                fix,
            );
        }
    }
    if !data_ok || !p.errors.is_empty() {
        return;
    }
    let figures_only = reads.figures && !reads.cases && !reads.digitised && !reads.claims;
    if figures_only
        && !evidence
            .figures
            .iter()
            .any(|f| spec.select.matches_figure(f))
    {
        if evidence.figures.is_empty() {
            p.error(spec, spec.line, "selects no figures: there are no figure rows (the figures table is empty, or none is named under [data])".into(), "add the extracted figures to the figures table (or remove this analysis)".into());
            return;
        }
        let unmet = spec.select.unmet(evidence);
        if unmet.is_empty() {
            p.error(
                spec,
                spec.line,
                "select matches no figures".into(),
                "loosen [analysis.select], or check its values against data/figures".into(),
            );
        }
        for (key, m, f) in unmet {
            p.error(spec, spec.select_line(key), m, f);
        }
    }
    let cases_only = reads.cases && !reads.figures && !reads.digitised;
    if cases_only && !evidence.cases.iter().any(|c| spec.select.matches_case(c)) {
        let why = if evidence.cases.is_empty() {
            "selects no cases: there are no case rows (the cases table is empty, or none is named under [data])"
        } else {
            "select matches no cases"
        };
        p.error(
            spec,
            spec.line,
            why.into(),
            "check select.study against data/cases".into(),
        );
    }
}
