//! Reading `survlit.toml`: the TOML shapes, and every error with the line
//! it is on and a fix.

use std::path::Path;

use serde::Deserialize;

use super::{
    AnalysisKind, AnalysisSpec, DataFiles, Overlap, Project, ProjectError, Selection, TableFile,
    PROJECT_FILE,
};
use crate::domain::closest;

pub(super) fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// 1-based line of a byte offset. Counted on the bytes, so an offset inside
/// a multi-byte character (or past the end) is a line, never a panic.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectToml {
    title: Option<String>,
    #[serde(default)]
    data: DataToml,
    #[serde(default)]
    figures: FiguresToml,
    #[serde(default)]
    analysis: Vec<toml::Spanned<AnalysisToml>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FiguresToml {
    dpi: Option<u32>,
}

/// PNG resolution when neither the project nor the command line sets one.
pub const DEFAULT_DPI: u32 = 300;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DataToml {
    workbook: Option<String>,
    figures: Option<String>,
    cases: Option<String>,
    curves: Option<String>,
    at_risk: Option<String>,
    claims: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalysisToml {
    name: String,
    kind: AnalysisKind,
    title: Option<String>,
    #[serde(default)]
    select: Selection,
    options: Option<toml::Spanned<toml::Table>>,
    #[serde(default)]
    outputs: Vec<String>,
    #[serde(default)]
    overlap: Overlap,
}

/// Reads `DIR/survlit.toml`.
pub fn load(root: &Path) -> Result<Project, ProjectError> {
    let path = root.join(PROJECT_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| ProjectError {
        file: path.display().to_string(),
        line: 0,
        message: format!("cannot read the project file: {e}"),
        fix: format!(
            "run survlit in a project directory, or create one with `survlit init {}`",
            root.display()
        ),
    })?;
    parse(root, &text)
}

/// Parses the text of a project file.
pub fn parse(root: &Path, text: &str) -> Result<Project, ProjectError> {
    let source: std::sync::Arc<str> = text.into();
    let doc: ProjectToml = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        let message = e.message().trim().to_string();
        let fix = fix_for(&message);
        ProjectError {
            file: PROJECT_FILE.into(),
            line,
            message,
            fix,
        }
    })?;
    let data = data_files(doc.data);
    let dpi = doc.figures.dpi.unwrap_or(DEFAULT_DPI);
    if !(72..=2400).contains(&dpi) {
        return Err(ProjectError {
            file: PROJECT_FILE.into(),
            line: text
                .lines()
                .position(|l| l.trim_start().starts_with("dpi"))
                .map_or(1, |i| i + 1),
            message: format!("[figures] dpi = {dpi} is outside 72–2400"),
            fix: "journals ask for 300 (photos) to 600 or 1200 (line art) dpi".into(),
        });
    }
    let mut analyses: Vec<AnalysisSpec> = Vec::new();
    for spanned in doc.analysis {
        let line = line_of(text, spanned.span().start);
        let a = spanned.into_inner();
        let err = |message: String, fix: &str| ProjectError {
            file: PROJECT_FILE.into(),
            line,
            message,
            fix: fix.into(),
        };
        if a.name.is_empty()
            || !a
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        {
            return Err(err(
                format!("analysis name '{}' is not a folder-safe name", a.name),
                "use letters, digits, '-' and '_' (it names reports/<name>/)",
            ));
        }
        if let Some(first) = analyses.iter().find(|b| b.name == a.name) {
            return Err(err(
                format!(
                    "analysis name '{}' is already used at line {}",
                    a.name, first.line
                ),
                "give every analysis a unique name",
            ));
        }
        let (options, options_span) = match a.options {
            Some(o) => {
                let span = o.span();
                (o.into_inner(), Some(span))
            }
            None => (toml::Table::new(), None),
        };
        analyses.push(AnalysisSpec {
            name: a.name,
            kind: a.kind,
            title: a.title,
            select: a.select,
            line,
            options,
            options_span,
            source: source.clone(),
            outputs: a.outputs,
            overlap: a.overlap,
            dpi,
        });
    }
    Ok(Project {
        root: root.to_path_buf(),
        title: doc.title.unwrap_or_else(|| "survlit project".into()),
        data,
        analyses,
    })
}

fn data_files(d: DataToml) -> DataFiles {
    let one = |explicit: Option<String>, sheet: &str| -> Option<TableFile> {
        match explicit {
            Some(p) => Some(match p.split_once('#') {
                Some((path, sheet)) => TableFile {
                    path: path.into(),
                    sheet: Some(sheet.into()),
                    optional: false,
                },
                None => {
                    let is_sheet = [".xlsx", ".xlsm", ".xls", ".ods"]
                        .iter()
                        .any(|e| p.to_ascii_lowercase().ends_with(e));
                    TableFile {
                        sheet: is_sheet.then(|| sheet.to_string()),
                        path: p,
                        optional: false,
                    }
                }
            }),
            None => d.workbook.as_ref().map(|w| TableFile {
                path: w.clone(),
                sheet: Some(sheet.into()),
                optional: true,
            }),
        }
    };
    DataFiles {
        figures: one(d.figures.clone(), "figures"),
        cases: one(d.cases.clone(), "cases"),
        curves: one(d.curves.clone(), "curves"),
        at_risk: one(d.at_risk.clone(), "at_risk"),
        claims: one(d.claims.clone(), "claims"),
    }
}

/// Turns serde's "unknown field `x`, expected one of ..." into a did-you-mean.
fn fix_for(message: &str) -> String {
    let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
    let word = message.split('`').nth(1).unwrap_or("");
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        if let Some(s) = closest(word, expected.iter().copied()) {
            return format!("did you mean '{s}'? allowed: {}", expected.join(", "));
        }
        return format!("allowed: {}", expected.join(", "));
    }
    "see the survlit.toml section of the README".into()
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn line_of_an_offset_inside_a_character_is_its_line() {
        // Byte 1 is inside 'é' (2 bytes): slicing the text there panicked.
        assert_eq!(line_of("é\nx", 1), 1);
        assert_eq!(line_of("a\n\u{200B}b", 3), 2);
        assert_eq!(line_of("a\nb", 99), 2);
    }
}
