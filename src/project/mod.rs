//! The project file, `survlit.toml`: which data files to read and which
//! analyses to run. Unknown keys, unknown kinds and misspelled options are
//! errors that name the line.
//!
//! ```toml
//! title = "Spinal metastases of uterine leiomyosarcoma"
//!
//! [data]
//! figures = "data/figures.csv"
//! cases = "data/cases.csv"
//!
//! [[analysis]]
//! name = "os-medians"
//! kind = "compare"
//! select = { outcome = "overall_survival", statistic = "median" }
//! options = { group_by = "population" }
//! ```

mod init;
mod parse;
mod select;

use std::path::PathBuf;

use serde::Deserialize;

pub use init::{write_example, ExampleError};
pub use parse::{line_of, load, load_all, load_lenient, parse, parse_all};
pub use select::{OneOrMany, Selection};

/// File name of the project file.
pub const PROJECT_FILE: &str = "survlit.toml";

/// A parsed project file.
#[derive(Debug, Clone)]
pub struct Project {
    /// Project root (the directory holding survlit.toml).
    pub root: PathBuf,
    /// Title shown in the report.
    pub title: String,
    /// Data tables.
    pub data: DataFiles,
    /// Analyses, in file order.
    pub analyses: Vec<AnalysisSpec>,
}

/// Where each table is read from: a CSV, or a spreadsheet and its sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataFiles {
    /// Figures table.
    pub figures: Option<TableFile>,
    /// Cases table.
    pub cases: Option<TableFile>,
    /// Curves table.
    pub curves: Option<TableFile>,
    /// Numbers-at-risk table.
    pub at_risk: Option<TableFile>,
    /// Claims of a draft to audit.
    pub claims: Option<TableFile>,
}

/// One table's file (relative to the project root) and, for spreadsheets, sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFile {
    /// Path relative to the project root, as written.
    pub path: String,
    /// Sheet name for spreadsheets.
    pub sheet: Option<String>,
    /// True when the table comes from `workbook = ...` rather than being
    /// named: a missing sheet then means "no such table", not an error.
    pub optional: bool,
    /// Line of survlit.toml that names the file (for "file not found").
    pub line: usize,
}

impl TableFile {
    /// How messages name this table.
    pub fn display(&self) -> String {
        self.path.clone()
    }
}

/// Analysis kinds. New kinds (pool, km, reconstruct, medians) are new
/// variants with their own module in [`crate::analysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnalysisKind {
    /// Matching figures as one tidy table with provenance (CSV + Markdown).
    EvidenceTable,
    /// Matching patient rows as a table with provenance (CSV + Markdown).
    CaseTable,
    /// Reported medians or proportions side by side in one figure (SVG + PNG).
    Compare,
    /// Figures pooled with the metafor-validated engine (CSV + forest plot).
    Pool,
    /// Kaplan–Meier analysis of case-report patients (CSV + KM figure).
    Km,
    /// Patient rows reconstructed from digitised curves, with QA (CSV + overlays).
    Reconstruct,
    /// Cox model comparing groups of patients, stratified by study (CSV).
    Cox,
    /// Reported medians with the route each allows, overlaps, and a pooled
    /// median where defensible (CSV + figure).
    Medians,
    /// Claims of a draft checked against the evidence (CSV + Markdown).
    ClaimsAudit,
}

impl AnalysisKind {
    /// The kebab-case name used in survlit.toml.
    pub fn name(self) -> &'static str {
        match self {
            AnalysisKind::EvidenceTable => "evidence-table",
            AnalysisKind::CaseTable => "case-table",
            AnalysisKind::Compare => "compare",
            AnalysisKind::Pool => "pool",
            AnalysisKind::Km => "km",
            AnalysisKind::Reconstruct => "reconstruct",
            AnalysisKind::Cox => "cox",
            AnalysisKind::Medians => "medians",
            AnalysisKind::ClaimsAudit => "claims-audit",
        }
    }
}

/// One `[[analysis]]` entry.
#[derive(Debug, Clone)]
pub struct AnalysisSpec {
    /// Unique name; also the output folder `reports/<name>/`.
    pub name: String,
    /// What to run.
    pub kind: AnalysisKind,
    /// Heading in the report.
    pub title: Option<String>,
    /// Which rows.
    pub select: Selection,
    /// Line of the `[[analysis]]` entry in survlit.toml.
    pub line: usize,
    /// Kind-specific options, still as TOML; each kind reads its own with
    /// [`AnalysisSpec::options`].
    options: toml::Table,
    /// Position among the `[[analysis]]` entries (to find its options'
    /// spans in `source` again).
    index: usize,
    source: std::sync::Arc<str>,
    /// Output formats requested (empty = the kind's defaults).
    pub outputs: Vec<String>,
    /// What to do with figures of one cohort reported by several studies,
    /// and with near-duplicate patients across studies.
    pub overlap: Overlap,
    /// PNG resolution of this analysis' figures (`[figures] dpi`, or
    /// `survlit run --dpi`; 300 by default).
    pub dpi: u32,
}

/// `overlap = "warn" | "exclude"` of an analysis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Overlap {
    /// Keep every selected row; say which ones overlap (the default).
    #[default]
    Warn,
    /// Keep one study per cohort (the largest) and the first report of a
    /// patient described twice; the methods text lists what was left out.
    Exclude,
}

/// A problem in survlit.toml.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {message}\n  fix: {fix}", if *.line > 0 { format!(", line {line}") } else { String::new() })]
pub struct ProjectError {
    /// The project file.
    pub file: String,
    /// 1-based line (0: the whole file, e.g. it cannot be read).
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl AnalysisSpec {
    /// The analysis `name` of `kind` with these options (a TOML inline
    /// table, `{}` for none), as survlit.toml would declare it: the start
    /// of a kind's unit test.
    #[cfg(test)]
    pub(crate) fn example(name: &str, kind: &str, options: &str) -> AnalysisSpec {
        let toml = format!(
            "title = \"t\"\n[[analysis]]\nname = \"{name}\"\nkind = \"{kind}\"\noptions = {options}\n"
        );
        parse(std::path::Path::new("."), &toml)
            .unwrap()
            .analyses
            .remove(0)
    }

    /// Everything in the entry that can change what the analysis writes
    /// (for deciding whether a rerun is needed).
    pub fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            self.name,
            self.kind.name(),
            self.title,
            self.select,
            self.options,
            self.outputs,
            self.overlap,
            self.dpi
        )
    }

    /// Deserialises the kind's options; the first problem (see
    /// [`AnalysisSpec::options_all`]).
    pub fn options<T: serde::de::DeserializeOwned>(&self) -> Result<T, ProjectError> {
        self.options_all().map_err(|mut e| e.swap_remove(0))
    }

    /// Deserialises the kind's options, naming every unknown key and every
    /// wrong value at its line.
    pub fn options_all<T: serde::de::DeserializeOwned>(&self) -> Result<T, Vec<ProjectError>> {
        let empty = || toml::Spanned::new(0..0, toml::de::DeValue::Table(Default::default()));
        let value = parse::options_value(&self.source, self.index).unwrap_or_else(empty);
        let (t, problems) = parse::de_all::<T>(&value);
        let line_span = self.line_span();
        match t {
            Some(t) => Ok(t),
            None => Err(problems
                .iter()
                .map(|(span, key, message)| {
                    let span = if span.is_empty() && span.start == 0 {
                        &line_span
                    } else {
                        span
                    };
                    parse::option_error(self, span, key.as_deref(), message)
                })
                .collect()),
        }
    }

    /// The byte span of this entry's first line (for problems with no span of their own).
    fn line_span(&self) -> std::ops::Range<usize> {
        let start: usize = self
            .source
            .split_inclusive('\n')
            .take(self.line.saturating_sub(1))
            .map(str::len)
            .sum();
        start..start
    }

    /// Whether the entry sets option `key` (for saying an option is ignored).
    pub fn has_option(&self, key: &str) -> bool {
        self.options.contains_key(key)
    }

    /// The line of option `key` of this entry, else the entry's line.
    pub fn option_line(&self, key: &str) -> usize {
        parse::options_value(&self.source, self.index)
            .and_then(|v| {
                let t = v.get_ref().as_table()?;
                t.iter()
                    .find(|(k, _)| k.get_ref().as_ref() == key)
                    .map(|(k, _)| line_of(&self.source, k.span().start))
            })
            .unwrap_or(self.line)
    }

    /// A project error located at this analysis.
    pub fn error(&self, message: String, fix: String) -> ProjectError {
        ProjectError {
            file: PROJECT_FILE.into(),
            line: self.line,
            message: format!("analysis '{}': {message}", self.name),
            fix,
        }
    }

    /// The line of `select.key` of this entry, else the entry's line.
    pub fn select_line(&self, key: &str) -> usize {
        let Ok(doc) = toml::de::DeTable::parse(&self.source) else {
            return self.line;
        };
        let found = (|| {
            let items = doc.get_ref().get("analysis")?.get_ref().as_array()?;
            let select = items.get(self.index)?.get_ref().get("select")?;
            let t = select.get_ref().as_table()?;
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == key)
                .map(|(k, _)| line_of(&self.source, k.span().start))
                .or_else(|| Some(line_of(&self.source, select.span().start)))
        })();
        found.unwrap_or(self.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn unknown_keys_name_their_line() {
        let e = parse(
            Path::new("."),
            "title = 'x'\n\n[[analysis]]\nname = 'a'\nkind = 'compare'\nselct = {}\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.fix.contains("'select'"), "{}", e.fix);
        let e = parse(
            Path::new("."),
            "[[analysis]]\nname = 'a'\nkind = 'comprae'\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.fix.contains("'compare'"), "{}", e.fix);
    }

    #[test]
    fn option_errors_name_their_line() {
        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct O {
            #[allow(dead_code)]
            group_by: Option<String>,
        }
        let p = parse(Path::new("."), "[[analysis]]\nname = 'a'\nkind = 'compare'\n[analysis.options]\ngroup_by = 'study'\ngroupby = 1\n").unwrap();
        let e = p.analyses[0].options::<O>().unwrap_err();
        assert_eq!(e.line, 6, "{e}");
    }

    #[test]
    fn every_bad_option_is_named_at_once() {
        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct O {
            measure: String,
            level: Option<f64>,
            leave_one_out: Option<bool>,
        }
        let p = parse(
            Path::new("."),
            "[[analysis]]\nname = 'a'\nkind = 'pool'\n[analysis.options]\nmeasure = 1\nlevle = 95\nleave_one_out = 'no'\n",
        )
        .unwrap();
        let mut e = p.analyses[0].options_all::<O>().unwrap_err();
        e.sort_by_key(|e| e.line);
        let got: Vec<(usize, &str)> = e.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, 5);
        assert!(
            got[0]
                .1
                .starts_with("analysis 'a': options.measure: invalid type"),
            "{got:?}"
        );
        assert_eq!(got[1], (6, "analysis 'a': options: unknown key 'levle'"));
        assert_eq!(
            e[1].fix,
            "did you mean 'level'? allowed: measure, level, leave_one_out"
        );
        assert_eq!(got[2].0, 7);
        // No "missing field `measure`" after its wrong value was reported.
        assert!(!e.iter().any(|e| e.message.contains("missing field")));
    }

    #[test]
    fn every_project_problem_is_named_at_once() {
        let e = parse_all(
            Path::new("."),
            "titel = 'x'\n[data]\nfigurs = 'f.csv'\n[[analysis]]\nname = 'a b'\nkind = 'pool'\n[[analysis]]\nname = 'c'\n",
        )
        .unwrap_err();
        let got: Vec<(usize, &str)> = e.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "unknown key 'titel'"),
                (3, "[data]: unknown key 'figurs'"),
                (5, "analysis name 'a b' is not a folder-safe name"),
                (7, "analysis 'c' has no kind"),
            ]
        );
    }

    #[test]
    fn workbook_gives_sheets() {
        let p = parse(
            Path::new("."),
            "[data]\nworkbook = 'data/x.xlsx'\ncases = 'data/cases.csv'\n",
        )
        .unwrap();
        assert_eq!(
            p.data.figures,
            Some(TableFile {
                path: "data/x.xlsx".into(),
                sheet: Some("figures".into()),
                optional: true,
                line: 2,
            })
        );
        assert_eq!(
            p.data.cases,
            Some(TableFile {
                path: "data/cases.csv".into(),
                sheet: None,
                optional: false,
                line: 3,
            })
        );
    }
}
