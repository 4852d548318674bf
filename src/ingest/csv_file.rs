//! CSV reading with physical line numbers.

use std::path::Path;

use super::{normalise_header, IngestError, RawTable, TableSource};

/// Reads a CSV file (comma-separated, double-quoted, UTF-8) into a raw table.
/// Fully blank records are skipped; ragged rows are padded or kept for
/// validation to report.
pub fn read_csv(path: &Path, display: &str) -> Result<RawTable, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_csv_bytes(&bytes, display)
}

/// Reads CSV text already in memory (what [`read_csv`] does after reading
/// the file; the fuzz targets call it directly).
pub fn read_csv_bytes(bytes: &[u8], display: &str) -> Result<RawTable, IngestError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let source = TableSource {
        display: display.to_string(),
        sheet: None,
    };
    // One record buffer reused for every row: no allocation per record
    // beyond the cells themselves.
    let mut rec = csv::StringRecord::new();
    let header = match reader.read_record(&mut rec) {
        Ok(true) => {
            if let Some(e) = semicolons(&bytes, rec.len(), display) {
                return Err(e);
            }
            rec.iter().map(normalise_header).collect::<Vec<_>>()
        }
        Ok(false) => {
            return Err(IngestError::Empty {
                display: display.to_string(),
            })
        }
        Err(e) => return Err(csv_error(display, &e)),
    };
    let mut lines = LineCounter {
        bytes,
        offset: 0,
        line: 1,
    };
    let mut table = RawTable::new(source, header);
    // Sized from the file: one record per line at most, cell text no
    // longer than the file. Growing by doubling instead would touch (and
    // page-fault) about twice the memory at 10⁶ rows.
    let records = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    table.reserve(records, bytes.len());
    while reader
        .read_record(&mut rec)
        .map_err(|e| csv_error(display, &e))?
    {
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Physical line of the record's first byte (quoted fields may span lines).
        let line = rec
            .position()
            .map_or(0, |p| lines.line_at(p.byte() as usize));
        table.push_row(line, rec.len(), rec.iter());
    }
    Ok(table)
}

/// A file whose first line splits into more fields on ';' than on ','
/// (at least three): the CSV a spreadsheet writes under a European locale,
/// often with decimal commas. Read as comma-separated, every column would
/// be "missing"; one message says what the file is instead.
fn semicolons(bytes: &[u8], fields: usize, display: &str) -> Option<IngestError> {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b';')
        .from_reader(first);
    let by_semicolon = reader.records().next()?.ok()?.len();
    if by_semicolon < 3 || by_semicolon <= fields {
        return None;
    }
    // The first number written with a decimal comma (`0,8`), as an example.
    let decimal_comma = bytes
        .windows(3)
        .position(|w| w[0].is_ascii_digit() && w[1] == b',' && w[2].is_ascii_digit())
        .map(|at| {
            let digits = |b: &u8| b.is_ascii_digit();
            let start = bytes[..=at].iter().rev().take_while(|b| digits(b)).count();
            let end = bytes[at + 2..].iter().take_while(|b| digits(b)).count();
            String::from_utf8_lossy(&bytes[at + 1 - start..at + 2 + end]).into_owned()
        });
    Some(IngestError::Semicolons {
        display: display.to_string(),
        fields: by_semicolon,
        decimal_comma,
    })
}

/// Physical line numbers of byte offsets, counted incrementally (records come
/// in increasing order, so the whole file is scanned once).
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// Line of the first content byte at or after `offset` (a record's
    /// position can point at blank lines the reader skipped).
    fn line_at(&mut self, offset: usize) -> usize {
        let mut offset = offset.min(self.bytes.len());
        while offset < self.bytes.len() && matches!(self.bytes[offset], b'\n' | b'\r') {
            offset += 1;
        }
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

fn csv_error(display: &str, e: &csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "the file is not valid UTF-8 (save it as CSV UTF-8)".to_string()
        }
        _ => e.to_string(),
    };
    IngestError::Csv {
        display: display.to_string(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_separated_file_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "study;hr;ci_lb;ci_ub\na;0,8;0,6;1,05\n").unwrap();
        let e = read_csv(&p, "t.csv").unwrap_err().to_string();
        assert!(
            e.starts_with("t.csv looks semicolon-separated (4 fields separated by ';'"),
            "{e}"
        );
        assert!(e.contains("and decimal commas (0,8)"), "{e}");
        // A comma-separated file whose cells hold semicolons is read as usual.
        std::fs::write(&p, "study,quote\na,\"x; y; z; w\"\n").unwrap();
        assert_eq!(read_csv(&p, "t.csv").unwrap().rows.len(), 1);
    }

    #[test]
    fn keeps_physical_lines_across_multiline_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "\u{feff}A, b\n1,\"x\ny\"\n\n2,z\n").unwrap();
        let t = read_csv(&p, "t.csv").unwrap();
        assert_eq!(t.header, vec!["a", "b"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 5);
        assert_eq!(
            t.cells(&t.rows[1]).iter().collect::<Vec<_>>(),
            vec!["2", "z"]
        );
        assert_eq!(t.rows[1].fields, 2);
    }
}
