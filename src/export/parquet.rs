//! Parquet copies of the CSV exports, for statisticians who read tables
//! into R (arrow), Python (pandas, polars) or DuckDB with their types. Each
//! CSV is read back and written as Parquet with the types its values have
//! (the same inference as DICTIONARY.md): integer, number or text; the
//! CSV's formula neutralisation (a leading `'`) is undone, since Parquet
//! cells are never evaluated.

use polars::prelude::{Column, DataFrame, ParquetCompression, ParquetWriter};

use super::dictionary::column_type;
use super::ExportError;

/// Undoes [`super::neutralise`]: `'=x` → `=x`.
fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// The CSV `bytes` (header row first) as a Parquet file.
pub fn csv_to_parquet(bytes: &[u8]) -> Result<Vec<u8>, ExportError> {
    let err = |e: &dyn std::fmt::Display| ExportError(e.to_string());
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| err(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| err(&e))?;
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let cells: Vec<&str> = rows.iter().map(|r| r.get(i).unwrap_or("")).collect();
            let given = |c: &&str| !c.is_empty();
            match column_type(&cells) {
                "integer" => Column::new(
                    name.as_str().into(),
                    cells
                        .iter()
                        .map(|c| given(c).then(|| c.parse::<i64>().ok()).flatten())
                        .collect::<Vec<_>>(),
                ),
                "number" => Column::new(
                    name.as_str().into(),
                    cells
                        .iter()
                        .map(|c| given(c).then(|| c.parse::<f64>().ok()).flatten())
                        .collect::<Vec<_>>(),
                ),
                _ => Column::new(
                    name.as_str().into(),
                    cells
                        .iter()
                        .map(|c| given(c).then(|| restore(c).to_string()))
                        .collect::<Vec<_>>(),
                ),
            }
        })
        .collect();
    let mut df = DataFrame::new(rows.len(), columns).map_err(|e| err(&e))?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut df)
        .map_err(|e| err(&e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{ParquetReader, SerReader};

    #[test]
    fn types_and_values_survive_and_neutralised_text_is_restored() {
        let csv = b"study_id,n,value,quote\ns1,9,46.5,'=HYPERLINK(x)\ns2,,0.25,plain\n";
        let bytes = csv_to_parquet(csv).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!(df.shape(), (2, 4));
        let n = df.column("n").unwrap().i64().unwrap();
        assert_eq!((n.get(0), n.get(1)), (Some(9), None));
        let v = df.column("value").unwrap().f64().unwrap();
        assert_eq!(v.get(0), Some(46.5));
        let q = df.column("quote").unwrap().str().unwrap();
        assert_eq!(q.get(0), Some("=HYPERLINK(x)"));
        assert_eq!(q.get(1), Some("plain"));
        // Deterministic: the same table gives the same bytes.
        assert_eq!(csv_to_parquet(csv).unwrap(), csv_to_parquet(csv).unwrap());
    }
}
