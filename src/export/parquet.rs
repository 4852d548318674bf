//! Parquet copies of the CSV exports, for statisticians who read tables
//! into R (arrow), Python (pandas, polars) or DuckDB with their types. Each
//! CSV is read back and written as Parquet with the types its table
//! declared (as DICTIONARY.md lists them): integer, number or text; the
//! CSV's formula neutralisation (a leading `'`) is undone, since Parquet
//! cells are never evaluated.

use polars::prelude::{Column, DataFrame, ParquetCompression, ParquetWriter};

use super::{ColumnType, ExportError, Schema};

/// Undoes [`super::neutralise`]: `'=x` → `=x`.
fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// The CSV `bytes` (header row first) as a Parquet file, each column typed
/// as `schema` declares it (the table that wrote the CSV); a column the
/// schema does not name is text.
pub fn csv_to_parquet(bytes: &[u8], schema: &Schema) -> Result<Vec<u8>, ExportError> {
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
    let declared = |name: &str| {
        schema
            .iter()
            .find(|(c, _)| c == name)
            .map_or(ColumnType::Text, |(_, t)| *t)
    };
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let cells = rows.iter().map(move |r| r.get(i).filter(|c| !c.is_empty()));
            let ty = declared(name);
            let name = name.as_str().into();
            match ty {
                ColumnType::Integer => Column::new(
                    name,
                    cells
                        .map(|c| c.and_then(|c| c.parse::<i64>().ok()))
                        .collect::<Vec<_>>(),
                ),
                ColumnType::Number => Column::new(
                    name,
                    cells
                        .map(|c| c.and_then(|c| c.parse::<f64>().ok()))
                        .collect::<Vec<_>>(),
                ),
                ColumnType::Text => Column::new(
                    name,
                    cells
                        .map(|c| c.map(|c| restore(c).to_string()))
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
        let schema: Schema = [
            ("study_id", ColumnType::Text),
            ("n", ColumnType::Integer),
            ("value", ColumnType::Number),
            ("quote", ColumnType::Text),
        ]
        .map(|(c, t)| (c.to_string(), t))
        .to_vec();
        let bytes = csv_to_parquet(csv, &schema).unwrap();
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
        assert_eq!(
            csv_to_parquet(csv, &schema).unwrap(),
            csv_to_parquet(csv, &schema).unwrap()
        );
        // The declared type holds even when the values would suggest
        // another: whole numbers in a number column stay numbers.
        let whole = b"value\n12\n24\n";
        let schema = vec![("value".to_string(), ColumnType::Number)];
        let df = ParquetReader::new(std::io::Cursor::new(
            csv_to_parquet(whole, &schema).unwrap(),
        ))
        .finish()
        .unwrap();
        assert_eq!(
            df.column("value").unwrap().f64().unwrap().get(1),
            Some(24.0)
        );
    }
}
