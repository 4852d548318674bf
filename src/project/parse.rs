//! Reading `survlit.toml`: the TOML shapes, and every error at once, each
//! with the line it is on and a fix.
//!
//! The file is parsed once into spanned TOML (`toml::de::DeTable`); each
//! key is then checked on its own (unknown keys with a did-you-mean, each
//! value deserialised into its type), so a typo in one place does not hide
//! a typo in another. Typed values that fail name the line of the key or
//! value that is wrong, from the span `toml` gives the error.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::{
    AnalysisKind, AnalysisSpec, DataFiles, Overlap, Project, ProjectError, Selection, TableFile,
    PROJECT_FILE,
};
use crate::domain::closest;

/// 1-based line of a byte offset. Counted on the bytes, so an offset inside
/// a multi-byte character (or past the end) is a line, never a panic.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FiguresToml {
    dpi: Option<u32>,
}

/// PNG resolution when neither the project nor the command line sets one.
pub const DEFAULT_DPI: u32 = 300;

/// The top-level keys of survlit.toml.
const TOP_KEYS: &[&str] = &["title", "data", "figures", "analysis"];
/// The keys of `[data]`.
const DATA_KEYS: &[&str] = &[
    "workbook", "figures", "cases", "curves", "at_risk", "claims",
];
/// The keys of an `[[analysis]]` entry.
const ANALYSIS_KEYS: &[&str] = &[
    "name", "kind", "title", "select", "options", "outputs", "overlap",
];

/// Reads `DIR/survlit.toml`; the first problem only (see [`load_all`]).
pub fn load(root: &Path) -> Result<Project, ProjectError> {
    load_all(root).map_err(|mut e| e.swap_remove(0))
}

/// Reads `DIR/survlit.toml`, every problem at once (sorted by line).
pub fn load_all(root: &Path) -> Result<Project, Vec<ProjectError>> {
    let path = root.join(PROJECT_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        vec![ProjectError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read the project file: {e}"),
            fix: format!(
                "run survlit in a project directory, or create one with `survlit init {}`",
                root.display()
            ),
        }]
    })?;
    parse_all(root, &text)
}

/// Parses the text of a project file; the first problem only (see [`parse_all`]).
pub fn parse(root: &Path, text: &str) -> Result<Project, ProjectError> {
    parse_all(root, text).map_err(|mut e| e.swap_remove(0))
}

/// Collects a file's problems.
struct Problems<'t> {
    text: &'t str,
    list: Vec<ProjectError>,
}

impl Problems<'_> {
    fn push(&mut self, span: &Range<usize>, message: String, fix: String) {
        self.list.push(ProjectError {
            file: PROJECT_FILE.into(),
            line: line_of(self.text, span.start),
            message,
            fix,
        });
    }

    /// Every key of `table` not in `allowed` is an error with a did-you-mean;
    /// the allowed ones are returned with their values.
    fn known<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        allowed: &[&str],
        context: &str,
    ) -> Vec<(&'a str, &'a Spanned<DeValue<'i>>)> {
        let mut out = Vec::new();
        for (k, v) in table {
            let key: &str = k.get_ref();
            if allowed.contains(&key) {
                out.push((key, v));
            } else {
                let fix = match closest(key, allowed.iter().copied()) {
                    Some(s) => format!("did you mean '{s}'? allowed: {}", allowed.join(", ")),
                    None => format!("allowed: {}", allowed.join(", ")),
                };
                self.push(&k.span(), format!("{context}unknown key '{key}'"), fix);
            }
        }
        out
    }

    /// A value as `T`; each problem named at its line (see [`de_all`]).
    fn value<T: DeserializeOwned>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        context: &str,
        fix: &str,
    ) -> Option<T> {
        let (t, errs) = de_all::<T>(value);
        for (span, key, message) in errs {
            let at = key.map_or_else(String::new, |k| format!("{k}: "));
            let fix = fix_for(&message).unwrap_or_else(|| fix.to_string());
            self.push(&span, format!("{context}{at}{}", tidy(&message)), fix);
        }
        t
    }
}

/// A problem of a value: its span, the key it is about, the message.
pub(super) type ValueProblem = (Range<usize>, Option<String>, String);

/// Deserialises `value` as `T`, collecting every problem rather than the
/// first: when the value is a table, a key that fails (unknown, or a value
/// of the wrong word or type) is recorded and left out, and the rest is
/// tried again, so one run names every bad key of an options table. Each
/// problem is (span, the key it is about, message).
pub(super) fn de_all<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
) -> (Option<T>, Vec<ValueProblem>) {
    let mut value = value.clone();
    let mut removed: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    loop {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(t) => return (problems.is_empty().then_some(t), problems),
            Err(e) => {
                let message = e.message().trim().to_string();
                let span = e.span().unwrap_or_else(|| value.span());
                // A field required but already reported as wrong.
                if let Some(field) = missing_field(&message) {
                    if removed.iter().any(|r| r == field) {
                        return (None, problems);
                    }
                }
                let DeValue::Table(table) = value.get_ref() else {
                    problems.push((span, None, message));
                    return (None, problems);
                };
                let culprit = table.iter().find_map(|(k, v)| {
                    let (ks, vs) = (k.span(), v.span());
                    let inside = |s: &Range<usize>| {
                        s.start <= span.start && span.start < s.end.max(s.start + 1)
                    };
                    (inside(&ks) || inside(&vs)).then(|| k.get_ref().to_string())
                });
                let Some(key) = culprit else {
                    problems.push((span, None, message));
                    return (None, problems);
                };
                let unknown = message.starts_with("unknown field");
                problems.push((span, (!unknown).then(|| key.clone()), message));
                let mut rest = DeTable::new();
                for (k, v) in table {
                    if **k.get_ref() != *key {
                        rest.insert(k.clone(), v.clone());
                    }
                }
                removed.push(key);
                value = Spanned::new(value.span(), DeValue::Table(rest));
            }
        }
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// Parses the text of a project file, reporting every problem at once.
pub fn parse_all(root: &Path, text: &str) -> Result<Project, Vec<ProjectError>> {
    match parse_lenient(root, text)? {
        (project, problems) if problems.is_empty() => Ok(project),
        (_, problems) => Err(problems),
    }
}

/// Reads `DIR/survlit.toml` as far as it goes: the project (without the
/// analyses that have errors) and every problem; `Err` only when the file
/// cannot be read or is not TOML.
pub fn load_lenient(root: &Path) -> Result<(Project, Vec<ProjectError>), ProjectError> {
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
    parse_lenient(root, &text).map_err(|mut e| e.swap_remove(0))
}

/// [`parse_all`], keeping what parsed: the project (analyses with errors
/// left out) and every problem, sorted by line.
fn parse_lenient(
    root: &Path,
    text: &str,
) -> Result<(Project, Vec<ProjectError>), Vec<ProjectError>> {
    let source: std::sync::Arc<str> = text.into();
    let doc = DeTable::parse(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        vec![ProjectError {
            file: PROJECT_FILE.into(),
            line,
            message: e.message().trim().to_string(),
            fix: "see the survlit.toml section of the README".into(),
        }]
    })?;
    let mut p = Problems {
        text,
        list: Vec::new(),
    };
    let (mut title, mut data, mut dpi) = (None, DataFiles::default(), DEFAULT_DPI);
    let mut analyses: Vec<AnalysisSpec> = Vec::new();
    for (key, value) in p.known(doc.get_ref(), TOP_KEYS, "") {
        match key {
            "title" => title = p.value::<String>(value, "title: ", "write title = \"...\""),
            "data" => data = data_files(&mut p, value),
            "figures" => dpi = figures_dpi(&mut p, value),
            _ => match value.get_ref() {
                DeValue::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        if let Some(a) = analysis(&mut p, item, index, &analyses, &source) {
                            analyses.push(a);
                        }
                    }
                }
                _ => p.push(
                    &value.span(),
                    "'analysis' must be a list of [[analysis]] tables".into(),
                    "write each analysis under its own [[analysis]] header".into(),
                ),
            },
        }
    }
    for a in &mut analyses {
        a.dpi = dpi;
    }
    p.list.sort_by_key(|e| e.line);
    let project = Project {
        root: root.to_path_buf(),
        title: title.unwrap_or_else(|| "survlit project".into()),
        data,
        analyses,
    };
    Ok((project, p.list))
}

fn figures_dpi(p: &mut Problems<'_>, value: &Spanned<DeValue<'_>>) -> u32 {
    let Some(f) = p.value::<FiguresToml>(value, "[figures] ", "the only key is dpi") else {
        return DEFAULT_DPI;
    };
    let dpi = f.dpi.unwrap_or(DEFAULT_DPI);
    if !(72..=2400).contains(&dpi) {
        let span = value
            .get_ref()
            .get("dpi")
            .map_or_else(|| value.span(), |v| v.span());
        p.push(
            &span,
            format!("[figures] dpi = {dpi} is outside 72–2400"),
            "journals ask for 300 (photos) to 600 or 1200 (line art) dpi".into(),
        );
    }
    dpi
}

/// One `[[analysis]]` entry, or `None` when it has errors (recorded).
fn analysis(
    p: &mut Problems<'_>,
    item: &Spanned<DeValue<'_>>,
    index: usize,
    before: &[AnalysisSpec],
    source: &std::sync::Arc<str>,
) -> Option<AnalysisSpec> {
    let span = item.span();
    let line = line_of(p.text, span.start);
    let Some(table) = item.get_ref().as_table() else {
        p.push(
            &span,
            "an [[analysis]] entry must be a table".into(),
            "write each analysis under its own [[analysis]] header".into(),
        );
        return None;
    };
    let errors_before = p.list.len();
    let (mut name, mut kind, mut title) = (None, None, None);
    let (mut select, mut options) = (Selection::default(), toml::Table::new());
    let (mut outputs, mut overlap) = (Vec::new(), Overlap::default());
    let mut named_at = span.clone();
    for (key, v) in p.known(table, ANALYSIS_KEYS, "[[analysis]]: ") {
        match key {
            "name" => {
                named_at = v.span();
                name = p.value::<String>(v, "analysis name: ", "write name = \"...\"");
            }
            "kind" => kind = p.value::<AnalysisKind>(v, "analysis kind: ", ""),
            "title" => title = p.value::<String>(v, "analysis title: ", "write title = \"...\""),
            "select" => {
                select = p
                    .value::<Selection>(v, "select: ", "see the select keys in the README")
                    .unwrap_or_default()
            }
            "options" => {
                options = p
                    .value::<toml::Table>(v, "options: ", "options is a table")
                    .unwrap_or_default()
            }
            "outputs" => {
                outputs = p
                    .value::<Vec<String>>(v, "outputs: ", "a list, e.g. [\"csv\", \"svg\"]")
                    .unwrap_or_default()
            }
            _ => overlap = p.value::<Overlap>(v, "overlap: ", "").unwrap_or_default(),
        }
    }
    let at = format!("the [[analysis]] entry at line {line}");
    let Some(name) = name else {
        if !table.contains_key("name") {
            p.push(
                &span,
                format!("{at} has no name"),
                "add name = \"...\" (it names reports/<name>/)".into(),
            );
        }
        return None;
    };
    if kind.is_none() && !table.contains_key("kind") {
        let kinds = ALL_KINDS.map(AnalysisKind::name).join(", ");
        p.push(
            &span,
            format!("analysis '{name}' has no kind"),
            format!("add kind = \"...\": {kinds}"),
        );
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        p.push(
            &named_at,
            format!("analysis name '{name}' is not a folder-safe name"),
            "use letters, digits, '-' and '_' (it names reports/<name>/)".into(),
        );
    }
    if let Some(first) = before.iter().find(|b| b.name == name) {
        p.push(
            &named_at,
            format!(
                "analysis name '{name}' is already used at line {}",
                first.line
            ),
            "give every analysis a unique name".into(),
        );
    }
    let kind = kind?;
    // An analysis whose name and kind are sound is kept even when another
    // of its keys is wrong (that key is reported): its options are then
    // still checked, so one `check` names every problem.
    if p.list[errors_before..]
        .iter()
        .any(|e| e.message.contains("analysis name '"))
    {
        return None;
    }
    Some(AnalysisSpec {
        name,
        kind,
        title,
        select,
        line,
        options,
        index,
        source: source.clone(),
        outputs,
        overlap,
        dpi: DEFAULT_DPI,
    })
}

/// Every kind, for messages.
const ALL_KINDS: [AnalysisKind; 9] = [
    AnalysisKind::EvidenceTable,
    AnalysisKind::CaseTable,
    AnalysisKind::Compare,
    AnalysisKind::Pool,
    AnalysisKind::Km,
    AnalysisKind::Reconstruct,
    AnalysisKind::Cox,
    AnalysisKind::Medians,
    AnalysisKind::ClaimsAudit,
];

/// `[data]`: each table's file, with the line that names it.
fn data_files(p: &mut Problems<'_>, value: &Spanned<DeValue<'_>>) -> DataFiles {
    let Some(table) = value.get_ref().as_table() else {
        p.push(
            &value.span(),
            "[data] must be a table".into(),
            "write [data] then figures = \"data/figures.csv\"".into(),
        );
        return DataFiles::default();
    };
    let mut paths: Vec<(&str, String, usize)> = Vec::new();
    for (key, v) in p.known(table, DATA_KEYS, "[data]: ") {
        let fix = format!("write {key} = \"data/{key}.csv\"");
        if let Some(path) = p.value::<String>(v, &format!("[data] {key}: "), &fix) {
            paths.push((key, path, line_of(p.text, v.span().start)));
        }
    }
    let workbook = paths.iter().find(|(k, _, _)| *k == "workbook").cloned();
    let one = |sheet: &str| -> Option<TableFile> {
        let Some((_, path, line)) = paths.iter().find(|(k, _, _)| *k == sheet) else {
            return workbook.as_ref().map(|(_, w, line)| TableFile {
                path: w.clone(),
                sheet: Some(sheet.into()),
                optional: true,
                line: *line,
            });
        };
        Some(match path.split_once('#') {
            Some((file, s)) => TableFile {
                path: file.into(),
                sheet: Some(s.into()),
                optional: false,
                line: *line,
            },
            None => {
                let is_sheet = [".xlsx", ".xlsm", ".xls", ".ods"]
                    .iter()
                    .any(|e| path.to_ascii_lowercase().ends_with(e));
                TableFile {
                    sheet: is_sheet.then(|| sheet.to_string()),
                    path: path.clone(),
                    optional: false,
                    line: *line,
                }
            }
        })
    };
    DataFiles {
        figures: one("figures"),
        cases: one("cases"),
        curves: one("curves"),
        at_risk: one("at_risk"),
        claims: one("claims"),
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as "unknown key
/// 'x'" (the allowed words go into the fix), and "unknown variant" as
/// "unknown value".
fn tidy(message: &str) -> String {
    let word = message.split('`').nth(1).unwrap_or("");
    if message.starts_with("unknown field `") {
        format!("unknown key '{word}'")
    } else if message.starts_with("unknown variant `") {
        format!("unknown value '{word}'")
    } else {
        message.to_string()
    }
}

/// Turns serde's "unknown field `x`, expected one of ..." (or "unknown
/// variant") into a did-you-mean; `None` for other messages.
fn fix_for(message: &str) -> Option<String> {
    if !(message.starts_with("unknown field") || message.starts_with("unknown variant")) {
        return None;
    }
    let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
    let word = message.split('`').nth(1).unwrap_or("");
    Some(match closest(word, expected.iter().copied()) {
        Some(s) => format!("did you mean '{s}'? allowed: {}", expected.join(", ")),
        None => format!("allowed: {}", expected.join(", ")),
    })
}

/// The options table of analysis `index` of `source`, spanned, for
/// [`AnalysisSpec::options_all`]; `None` when it declares none.
pub(super) fn options_value(source: &str, index: usize) -> Option<Spanned<DeValue<'_>>> {
    let doc = DeTable::parse(source).ok()?;
    let doc = doc.into_inner();
    let (_, analyses) = doc
        .into_iter()
        .find(|(k, _)| **k.get_ref() == *"analysis")?;
    let DeValue::Array(items) = analyses.into_inner() else {
        return None;
    };
    let item = items.into_iter().nth(index)?;
    let DeValue::Table(t) = item.into_inner() else {
        return None;
    };
    t.into_iter()
        .find(|(k, _)| **k.get_ref() == *"options")
        .map(|(_, v)| v)
}

/// A problem of an analysis' options at its line.
pub(super) fn option_error(
    spec: &AnalysisSpec,
    span: &Range<usize>,
    key: Option<&str>,
    message: &str,
) -> ProjectError {
    let at = key.map_or_else(|| "options: ".to_string(), |k| format!("options.{k}: "));
    // A vocabulary's message ends "; use A, B, C": the words are the fix.
    let (message, words) = match message.split_once("; use ") {
        Some((m, words)) => (m, Some(format!("use {words}"))),
        None => (message, None),
    };
    ProjectError {
        file: PROJECT_FILE.into(),
        line: line_of(&spec.source, span.start),
        message: format!("analysis '{}': {at}{}", spec.name, tidy(message)),
        fix: fix_for(message).or(words).unwrap_or_else(|| {
            format!(
                "see the options of kind '{}' in the README",
                spec.kind.name()
            )
        }),
    }
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
