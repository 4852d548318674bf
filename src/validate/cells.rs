//! Typed access to the cells of one raw row, collecting diagnostics instead of
//! failing: every rule reports and validation goes on.

use crate::domain::{closest, Origin, Vocab};
use crate::ingest::{RawRow, RawTable};

use super::{Diagnostic, Location, Severity};

/// One row being read, with the diagnostics sink.
pub struct Cells<'a> {
    table: &'a RawTable,
    row: &'a RawRow,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Cells<'a> {
    /// Starts reading `row` of `table`.
    pub fn new(table: &'a RawTable, row: &'a RawRow, diags: &'a mut Vec<Diagnostic>) -> Self {
        Cells { table, row, diags }
    }

    /// Where this row came from.
    pub fn origin(&self) -> Origin {
        Origin {
            file: self.table.source.display.clone(),
            sheet: self.table.source.sheet.clone(),
            line: self.row.line,
        }
    }

    /// The trimmed text of a column, `None` when the column is absent or the cell empty.
    pub fn text(&self, column: &str) -> Option<&'a str> {
        let i = self.table.column(column)?;
        let s = self.table.cells(self.row).get(i)?;
        (!s.is_empty()).then_some(s)
    }

    /// Owned text of a column.
    pub fn string(&self, column: &str) -> Option<String> {
        self.text(column).map(str::to_string)
    }

    /// Text of a required column; reports an error when empty.
    pub fn required(&mut self, column: &str, what: &str) -> Option<String> {
        let t = self.string(column);
        if t.is_none() {
            self.error(
                column,
                "missing-value",
                format!("{column} is empty"),
                format!("fill in {what}"),
            );
        }
        t
    }

    /// A number, or `None` when empty; reports unparsable text.
    pub fn number(&mut self, column: &str) -> Option<f64> {
        let text = self.text(column)?;
        match parse_number(text) {
            Ok(v) => Some(v),
            Err(fix) => {
                self.error(
                    column,
                    "not-a-number",
                    format!("'{text}' is not a number"),
                    fix,
                );
                None
            }
        }
    }

    /// A non-negative whole number, or `None` when empty.
    pub fn count(&mut self, column: &str) -> Option<u64> {
        let v = self.number(column)?;
        if v < 0.0 || v.fract() != 0.0 || v > 1e12 {
            self.error(
                column,
                "not-a-count",
                format!("{column} must be a whole number ≥ 0, got {v}"),
                "write a whole number of patients, events or lesions".into(),
            );
            return None;
        }
        Some(v as u64)
    }

    /// A vocabulary word; reports unknown words with a suggestion.
    pub fn vocab<T: Vocab>(&mut self, column: &str) -> Option<T> {
        let text = self.text(column)?;
        if let Some(v) = T::parse(text) {
            return Some(v);
        }
        let fix = match T::suggest(text) {
            Some(s) => format!("did you mean '{s}'? allowed: {}", T::allowed()),
            None => format!("use one of: {}", T::allowed()),
        };
        self.error(
            column,
            "unknown-word",
            format!("unknown {} '{text}'", T::WHAT),
            fix,
        );
        None
    }

    /// Reports an error on a column of this row.
    pub fn error(&mut self, column: &str, code: &'static str, message: String, fix: String) {
        self.push(Severity::Error, column, code, message, fix);
    }

    /// Reports a warning on a column of this row.
    pub fn warn(&mut self, column: &str, code: &'static str, message: String, fix: String) {
        self.push(Severity::Warning, column, code, message, fix);
    }

    fn push(
        &mut self,
        severity: Severity,
        column: &str,
        code: &'static str,
        message: String,
        fix: String,
    ) {
        let location = Location {
            file: self.table.source.display.clone(),
            sheet: self.table.source.sheet.clone(),
            line: Some(self.row.line),
            column: Some(column.to_string()),
            value: self.text(column).map(str::to_string),
        };
        self.diags.push(Diagnostic {
            severity,
            location,
            code,
            message,
            fix,
        });
    }
}

/// Parses a number as reviewers write it; the error is the fix to suggest.
pub fn parse_number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if let Ok(v) = t.parse::<f64>() {
        if v.is_finite() {
            return Ok(v);
        }
        return Err("write a finite number".into());
    }
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "nr" | "not reached" | "n.r." | "na" | "n/a" | "nan" | "-" | "—"
    ) {
        return Err(
            "leave the cell empty and set value_status to not_reached or not_reported".into(),
        );
    }
    if let Some(stripped) = t.strip_suffix('%') {
        if stripped.trim().parse::<f64>().is_ok() {
            return Err(format!(
                "write {} without '%' and set the unit column to percent",
                stripped.trim()
            ));
        }
    }
    if t.contains(',') && t.replace(',', ".").parse::<f64>().is_ok() {
        return Err(format!("use a decimal point: {}", t.replace(',', ".")));
    }
    if t.starts_with(['<', '>', '≤', '≥', '~']) {
        return Err("write the number alone; put the qualifier in notes".into());
    }
    Err("write a plain number such as 46 or 0.879".into())
}

/// Every record must have as many fields as the header: an unquoted comma in
/// a citation or quote shifts every later column.
pub fn check_widths(table: &RawTable, diags: &mut Vec<Diagnostic>) {
    let width = table.header.len();
    for row in table.rows.iter().filter(|r| r.fields != width) {
        let (column, message) = if row.fields > width {
            (
                None,
                format!(
                    "the record has {} fields but the header has {width}",
                    row.fields
                ),
            )
        } else {
            (table.header.get(row.fields).cloned(), format!("the record has {} fields but the header has {width}; it ends before column '{}'", row.fields, table.header.get(row.fields).map_or("", String::as_str)))
        };
        diags.push(Diagnostic {
            severity: Severity::Error,
            location: Location { file: table.source.display.clone(), sheet: table.source.sheet.clone(), line: Some(row.line), column, value: None },
            code: "row-width",
            message,
            fix: "wrap any value that contains a comma in double quotes (\"Smith A, Jones B\"), and give every row one field per column".into(),
        });
    }
}

/// Checks a table's header: required columns present, no unknown columns
/// (with a suggestion), no duplicates. `allow_prefix` admits free columns
/// (e.g. `cov_` covariates in cases).
pub fn check_header(
    table: &RawTable,
    required: &[&str],
    known: &[&str],
    allow_prefix: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut ok = true;
    let loc = |column: Option<String>| Location {
        file: table.source.display.clone(),
        sheet: table.source.sheet.clone(),
        line: Some(1),
        column,
        value: None,
    };
    for &req in required {
        if table.column(req).is_none() {
            ok = false;
            diags.push(Diagnostic {
                severity: Severity::Error,
                location: loc(Some(req.to_string())),
                code: "missing-column",
                message: format!("required column '{req}' is missing"),
                fix: format!("add a column named '{req}' to the header row"),
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for h in &table.header {
        if h.is_empty() {
            continue;
        }
        if !seen.insert(h.as_str()) {
            ok = false;
            diags.push(Diagnostic {
                severity: Severity::Error,
                location: loc(Some(h.clone())),
                code: "duplicate-column",
                message: format!("column '{h}' appears twice"),
                fix: "keep one column of that name".into(),
            });
        }
        let free = allow_prefix.is_some_and(|p| h.starts_with(p));
        if !known.contains(&h.as_str()) && !free {
            let mut fix = match closest(h, known.iter().copied()) {
                Some(s) => format!("did you mean '{s}'?"),
                None => format!("known columns: {}", known.join(", ")),
            };
            if let Some(p) = allow_prefix {
                fix.push_str(&format!(
                    " (to keep it as a free covariate, name it '{p}{h}')"
                ));
            }
            diags.push(Diagnostic {
                severity: Severity::Error,
                location: loc(Some(h.clone())),
                code: "unknown-column",
                message: format!("unknown column '{h}'"),
                fix,
            });
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_fixes_are_specific() {
        assert_eq!(parse_number(" 46.0 "), Ok(46.0));
        assert!(parse_number("NR").unwrap_err().contains("value_status"));
        assert!(parse_number("87.9%").unwrap_err().contains("percent"));
        assert!(parse_number("1,5").unwrap_err().contains("1.5"));
        assert!(parse_number("inf").is_err());
    }
}
