//! Spreadsheet reading (.xlsx, .xls, .ods) with calamine: one sheet per table.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::{normalise_header, IngestError, RawTable, TableSource};

/// Reads one worksheet as a raw table. Row numbers are the spreadsheet's own
/// (1-based, counting from the first row of the sheet), so messages point at
/// the row a reviewer sees.
pub fn read_xlsx_sheet(path: &Path, display: &str, sheet: &str) -> Result<RawTable, IngestError> {
    let mut wb = open_workbook_auto(path).map_err(|e| IngestError::Workbook {
        display: display.to_string(),
        message: e.to_string(),
    })?;
    let names = wb.sheet_names();
    let Some(actual) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(sheet))
        .cloned()
    else {
        return Err(IngestError::MissingSheet {
            display: display.to_string(),
            sheet: sheet.to_string(),
            available: names.join(", "),
        });
    };
    let range = wb
        .worksheet_range(&actual)
        .map_err(|e| IngestError::Workbook {
            display: display.to_string(),
            message: e.to_string(),
        })?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut iter = range.rows().enumerate();
    let source = TableSource {
        display: display.to_string(),
        sheet: Some(actual.clone()),
    };
    let header: Vec<String> = loop {
        match iter.next() {
            Some((_, cells)) if cells.iter().all(|c| matches!(c, Data::Empty)) => continue,
            Some((_, cells)) => {
                // Leading empty columns of the used range are kept as "" so
                // that column positions still match the sheet's letters.
                let mut h = vec![String::new(); first_col];
                h.extend(cells.iter().map(|c| normalise_header(&cell_text(c))));
                break h;
            }
            None => {
                return Err(IngestError::Empty {
                    display: format!("{display} [{actual}]"),
                })
            }
        }
    };
    let width = header.len();
    let mut table = RawTable::new(source, header);
    for (i, cells) in iter {
        let mut texts = vec![String::new(); first_col];
        texts.extend(cells.iter().map(cell_text));
        if texts.iter().all(String::is_empty) {
            continue;
        }
        // A sheet's rows all span the used range, so width is never ragged.
        table.push_row(first_row + i + 1, width, texts.iter().map(String::as_str));
    }
    Ok(table)
}

/// A cell as text. Numbers print in Rust's shortest round-trip form, so
/// 46 stays "46" and 0.879 stays "0.879".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => format_number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERROR {e:?}"),
    }
}

fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}
