//! Tables out: tidy CSV (through polars) and Markdown. Exporters format; they
//! never compute a statistic.
//!
//! An analysis builds a [`Table`] of typed columns (explicit row structs turned
//! into columns by the analysis, so the CSV schema is one piece of code); this
//! module writes it. Numbers are written in their shortest round-trip form,
//! missing values as empty cells, so output is byte-stable across runs.

pub mod dictionary;
pub mod digitize;
pub mod json;
mod markdown;
pub mod medians_json;
pub mod parquet;
pub mod pool_json;
pub mod reconstruct_json;
pub mod survival_json;

pub use markdown::{escape_markdown, markdown_table};

use polars::prelude::{Column, CsvWriter, DataFrame, SerWriter};

/// Values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text (empty = missing).
    Text(Vec<Option<String>>),
    /// Real numbers.
    Number(Vec<Option<f64>>),
    /// Whole numbers.
    Integer(Vec<Option<u64>>),
}

/// The type of a column, as the table that wrote it declares it: what
/// Parquet stores and DICTIONARY.md lists (never re-guessed from the CSV
/// text, so a column keeps its type when its values happen to be whole or
/// empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// Text.
    Text,
    /// Real numbers.
    Number,
    /// Whole numbers.
    Integer,
}

impl ColumnType {
    /// Its name in DICTIONARY.md.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Number => "number",
            ColumnType::Integer => "integer",
        }
    }
}

/// A table's columns and their types, in order.
pub type Schema = Vec<(String, ColumnType)>;

impl Values {
    /// The column's type.
    pub fn column_type(&self) -> ColumnType {
        match self {
            Values::Text(_) => ColumnType::Text,
            Values::Number(_) => ColumnType::Number,
            Values::Integer(_) => ColumnType::Integer,
        }
    }

    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Number(v) => v.len(),
            Values::Integer(v) => v.len(),
        }
    }
}

/// A tidy table: named, typed columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Columns in output order.
    pub columns: Vec<(String, Values)>,
}

impl Table {
    /// Adds a text column.
    pub fn text(&mut self, name: &str, values: Vec<Option<String>>) -> &mut Self {
        self.columns.push((name.to_string(), Values::Text(values)));
        self
    }

    /// Adds a number column.
    pub fn number(&mut self, name: &str, values: Vec<Option<f64>>) -> &mut Self {
        self.columns
            .push((name.to_string(), Values::Number(values)));
        self
    }

    /// Adds a whole-number column.
    pub fn integer(&mut self, name: &str, values: Vec<Option<u64>>) -> &mut Self {
        self.columns
            .push((name.to_string(), Values::Integer(values)));
        self
    }

    /// The columns and their types.
    pub fn schema(&self) -> Schema {
        self.columns
            .iter()
            .map(|(name, values)| (name.clone(), values.column_type()))
            .collect()
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }
}

/// The table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing table: {0}")]
pub struct ExportError(String);

/// Writes a table as CSV (header row, comma-separated, `\n` line ends).
pub fn to_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let height = table.height();
    let columns: Vec<Column> = table
        .columns
        .iter()
        .map(|(name, values)| match values {
            Values::Text(v) => Column::new(
                name.as_str().into(),
                v.iter()
                    .map(|x| x.as_deref().map(neutralise))
                    .collect::<Vec<_>>(),
            ),
            Values::Number(v) => Column::new(
                name.as_str().into(),
                v.iter().map(|x| x.map(tidy_float)).collect::<Vec<_>>(),
            ),
            Values::Integer(v) => Column::new(name.as_str().into(), v.clone()),
        })
        .collect();
    let mut df = DataFrame::new(height, columns).map_err(|e| ExportError(e.to_string()))?;
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .finish(&mut df)
        .map_err(|e| ExportError(e.to_string()))?;
    Ok(out)
}

/// A text cell that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so
/// opening an export in Excel or LibreOffice shows the text instead of
/// evaluating it (OWASP "CSV injection"). Number columns are never touched.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Rounds away binary noise from unit conversions (5.2 years × 12 =
/// 62.400000000000006 months) by keeping 12 significant digits.
pub fn tidy_float(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let s = format!("{v:.11e}");
    s.parse().unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_numbers_are_not() {
        let mut t = Table::default();
        t.text(
            "citation",
            vec![
                Some("=HYPERLINK(\"http://x\")".into()),
                Some("+1".into()),
                Some("@SUM(A1)".into()),
                Some("-2".into()),
                Some("Smith 2020".into()),
            ],
        )
        .number(
            "value",
            vec![Some(-2.5), Some(1.0), None, Some(0.0), Some(3.0)],
        );
        let csv = String::from_utf8(to_csv(&t).unwrap()).unwrap();
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\",-2.5"),
            "{csv}"
        );
        assert!(
            csv.contains("'+1,1.0") && csv.contains("'@SUM(A1),") && csv.contains("'-2,0.0"),
            "{csv}"
        );
        assert!(csv.contains("\nSmith 2020,3.0"), "{csv}");
    }

    #[test]
    fn csv_round_trips_numbers_and_missing() {
        let mut t = Table::default();
        t.text("study_id", vec![Some("a".into()), Some("b, c".into())])
            .number("value", vec![Some(5.2 * 12.0), None])
            .integer("n", vec![Some(9), None]);
        let csv = String::from_utf8(to_csv(&t).unwrap()).unwrap();
        assert_eq!(csv, "study_id,value,n\na,62.4,9\n\"b, c\",,\n");
    }
}
