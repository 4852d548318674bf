//! Files → raw tables. The only module that reads `data/`.
//!
//! A [`RawTable`] is a header plus rows of trimmed text cells, each row
//! remembering the line (CSV) or row (spreadsheet) it came from, so that every
//! later diagnostic can name file, sheet, line and column. Typing, units and
//! vocabularies are the job of [`crate::validate`]; this module only reads.
//!
//! CSV is read with the `csv` crate rather than polars: validation needs the
//! raw text of every cell and the physical line of every record, which polars'
//! typed, schema-inferring reader does not keep.

mod csv_file;
pub mod figure;
mod xlsx;

use std::path::{Path, PathBuf};

pub use csv_file::{read_csv, read_csv_bytes};
pub use xlsx::read_xlsx_sheet;

/// Where a table was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSource {
    /// The file as the project names it (relative path, for messages).
    pub display: String,
    /// Worksheet, for spreadsheets.
    pub sheet: Option<String>,
}

/// Where a record's cells sit in its table's text buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellSpan {
    /// Index of the record's first cell end in the table's `ends`.
    first: u32,
    /// Number of cells.
    len: u32,
}

/// One record of a raw table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based line (CSV) or row (spreadsheet) where the record starts.
    pub line: usize,
    /// Number of fields the record had before padding (CSV); validation
    /// reports records whose width differs from the header's.
    pub fields: usize,
    /// Its cells (read them with [`RawTable::cells`]).
    cells: CellSpan,
}

/// A table as read from a file: header and text cells. Every cell's text is
/// kept in one buffer (no allocation per row or cell: at 10⁶ rows that is
/// the difference between ~40 and ~160 MB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    /// Where it came from.
    pub source: TableSource,
    /// Column names, trimmed and lower-cased.
    pub header: Vec<String>,
    /// Records in file order.
    pub rows: Vec<RawRow>,
    text: String,
    ends: Vec<u32>,
}

/// The cells of one record.
#[derive(Debug, Clone, Copy)]
pub struct RowCells<'a> {
    text: &'a str,
    ends: &'a [u32],
    start: u32,
}

impl<'a> RowCells<'a> {
    /// Cell `i` (trimmed), `None` past the last.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { self.start } else { self.ends[i - 1] } as usize;
        self.text.get(start..end)
    }

    /// The first cell.
    pub fn first(&self) -> Option<&'a str> {
        self.get(0)
    }

    /// Number of cells (padded to the header's width).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// No cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl RawTable {
    /// An empty table with this header.
    pub fn new(source: TableSource, header: Vec<String>) -> RawTable {
        RawTable {
            source,
            header,
            rows: Vec::new(),
            text: String::new(),
            ends: Vec::new(),
        }
    }

    /// Reserves room for `rows` more records holding about `text` bytes of
    /// cell text (a reader that knows the file's size avoids regrowing).
    pub fn reserve(&mut self, rows: usize, text: usize) {
        self.rows.reserve_exact(rows);
        self.ends.reserve_exact(rows * self.header.len());
        self.text.reserve_exact(text);
    }

    /// Appends a record: its cells (stored trimmed, and padded with empty
    /// cells to the header's width), its line and its field count before
    /// padding.
    pub fn push_row<'c>(
        &mut self,
        line: usize,
        fields: usize,
        cells: impl IntoIterator<Item = &'c str>,
    ) {
        let first = self.ends.len();
        for c in cells {
            self.text.push_str(trim_cell(c));
            self.ends
                .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        }
        while self.ends.len() - first < self.header.len() {
            self.ends
                .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        }
        let len = self.ends.len() - first;
        self.rows.push(RawRow {
            line,
            fields,
            cells: CellSpan {
                first: u32::try_from(first).unwrap_or(u32::MAX),
                len: u32::try_from(len).unwrap_or(u32::MAX),
            },
        });
    }

    /// The cells of a record of this table.
    pub fn cells(&self, row: &RawRow) -> RowCells<'_> {
        let first = row.cells.first as usize;
        let ends = &self.ends[first..first + row.cells.len as usize];
        let start = if first == 0 { 0 } else { self.ends[first - 1] };
        RowCells {
            text: &self.text,
            ends,
            start,
        }
    }

    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Errors that stop a file from being read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("cannot read '{path}': {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV is malformed (e.g. an unterminated quote).
    #[error("{display}, line {line}: malformed CSV: {message}; fix: check quoting on that line (a field with a comma or quote must be wrapped in double quotes, inner quotes doubled)")]
    Csv {
        /// The file as named in the project.
        display: String,
        /// Line of the problem.
        line: u64,
        /// What the CSV parser said.
        message: String,
    },
    /// The file is separated by semicolons (a European-locale export).
    #[error("{display} looks semicolon-separated ({fields} fields separated by ';' in its header{}), as spreadsheets export CSV under a European locale; survlit reads comma-separated CSV with '.' decimals; fix: save it as comma-separated CSV with '.' as the decimal separator (LibreOffice: Save As, Text CSV, field delimiter ','; Excel: set the list separator to ',' and save as CSV UTF-8), or save the workbook as .xlsx and name that file instead", .decimal_comma.as_ref().map_or(String::new(), |d| format!(", and decimal commas ({d})")))]
    Semicolons {
        /// The file as named in the project.
        display: String,
        /// Fields of the header when split on ';'.
        fields: usize,
        /// The first number written with a decimal comma (`0,8`), if any.
        decimal_comma: Option<String>,
    },
    /// The spreadsheet could not be opened.
    #[error("cannot open spreadsheet '{display}': {message}")]
    Workbook {
        /// The file as named in the project.
        display: String,
        /// What the reader said.
        message: String,
    },
    /// A requested sheet is missing.
    #[error("{display}: no sheet named '{sheet}' (sheets: {available}); fix: rename the sheet, or point survlit.toml at the right one")]
    MissingSheet {
        /// The workbook.
        display: String,
        /// The sheet asked for.
        sheet: String,
        /// Sheets present.
        available: String,
    },
    /// The table has no header row.
    #[error("{display}: the table is empty; fix: the first row must name the columns")]
    Empty {
        /// The file (and sheet) as named in the project.
        display: String,
    },
}

/// Reads a table from a `.csv` file or one sheet of an `.xlsx` workbook,
/// chosen by the file's extension. `display` is how messages name the file.
pub fn read_table(
    path: &Path,
    display: &str,
    sheet: Option<&str>,
) -> Result<RawTable, IngestError> {
    let is_xlsx = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "xlsx" | "xlsm" | "xls" | "ods"
        )
    });
    if is_xlsx {
        let sheet = sheet.unwrap_or("Sheet1");
        read_xlsx_sheet(path, display, sheet)
    } else {
        read_csv(path, display)
    }
}

/// A cell without surrounding whitespace; cells that start and end with a
/// visible ASCII byte (nearly all) are returned without scanning.
fn trim_cell(c: &str) -> &str {
    match (c.as_bytes().first(), c.as_bytes().last()) {
        (Some(&a), Some(&b)) if (b'!'..=b'~').contains(&a) && (b'!'..=b'~').contains(&b) => c,
        _ => c.trim(),
    }
}

/// Lower-cases and trims a header cell; strips a UTF-8 byte-order mark.
fn normalise_header(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
}
