//! Problems found in the data: each names where it is, what is wrong, and the fix.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the run (exit code 1).
    Error,
    /// Reported in the terminal and in the report's data-quality section.
    Warning,
}

/// Where a diagnostic points: file (and sheet), line or row, column, value.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file as the project names it.
    pub file: String,
    /// Worksheet, for spreadsheets.
    pub sheet: Option<String>,
    /// 1-based line (CSV) or row (spreadsheet); `None` for a whole-file problem.
    pub line: Option<usize>,
    /// Column name.
    pub column: Option<String>,
    /// The offending cell, verbatim.
    pub value: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet '{sheet}'")?;
        }
        if let Some(line) = self.line {
            let word = if self.sheet.is_some() { "row" } else { "line" };
            write!(f, ", {word} {line}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ", column '{col}'")?;
        }
        if let Some(v) = &self.value {
            write!(f, " (value '{v}')")?;
        }
        Ok(())
    }
}

/// One problem in the data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// Stable short code of the rule, e.g. `ci-order`.
    pub code: &'static str,
    /// What is wrong (lower case, no trailing period).
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}]: {}: {}",
            self.code, self.location, self.message
        )?;
        if !self.fix.is_empty() {
            write!(f, "\n  fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// Counts errors in a list of diagnostics.
pub fn error_count(diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}
