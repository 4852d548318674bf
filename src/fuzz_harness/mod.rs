//! The fuzz targets' bodies (`fuzz/`, cargo-fuzz), kept in the library so
//! that `cargo test` on stable replays the committed corpus through the same
//! code (`tests/fuzz_corpus.rs`). Each function takes arbitrary bytes, runs
//! them through survlit's readers in memory, and must return without
//! panicking whatever the bytes are: errors and diagnostics are the expected
//! outcome of most inputs. Nothing prints and nothing touches the disk.
//!
//! Not part of survlit's interface: its own floor above `pipeline`, below
//! `cli` (ARCHITECTURE.md, "Floors").

use std::path::Path;
use std::sync::OnceLock;

use crate::domain::Evidence;
use crate::ingest::{read_csv_bytes, RawTable};
use crate::validate::{read_claims, validate, RawTables};
use crate::workflow::medians::{pair_groups, read_summaries};
use crate::workflow::pool::effects::{read_effects, Measure, Roles};
use crate::workflow::reconstruct::curves::{read_at_risk, read_curves};
use crate::workflow::survival::patients::{read_patients, EventCoding, PatientColumns};

/// The table names [`fuzz_ingest_validate`]'s first byte chooses among.
const TABLES: [&str; 5] = ["figures", "cases", "curves", "at_risk", "claims"];

/// Ingest + validate. The first byte chooses the table(s): with its high bit
/// clear, the rest is one CSV table of kind `TABLES[byte % 5]`; with it set,
/// the rest holds up to five CSV tables separated by NUL bytes, read as
/// figures, cases, curves, at-risk and claims together (the rules across
/// tables run on them).
pub fn fuzz_ingest_validate(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut raw = RawTables::default();
    if selector & 0x80 == 0 {
        let kind = usize::from(selector) % TABLES.len();
        let Some(table) = csv_table(TABLES[kind], rest) else {
            return;
        };
        if kind == 4 {
            let _ = read_claims(&table);
        }
        *slot(&mut raw, kind) = Some(table);
    } else {
        for (kind, part) in rest.split(|&b| b == 0).take(TABLES.len()).enumerate() {
            *slot(&mut raw, kind) = csv_table(TABLES[kind], part);
        }
    }
    let _ = validate(&raw);
}

fn slot(raw: &mut RawTables, kind: usize) -> &mut Option<RawTable> {
    match kind {
        0 => &mut raw.figures,
        1 => &mut raw.cases,
        2 => &mut raw.curves,
        3 => &mut raw.at_risk,
        _ => &mut raw.claims,
    }
}

fn csv_table(name: &str, bytes: &[u8]) -> Option<RawTable> {
    read_csv_bytes(bytes, &format!("data/{name}.csv")).ok()
}

/// `survlit.toml`: the bytes as a project file, parsed, then each analysis'
/// options read as its kind's typed options, its `select` checked and the
/// whole plan of `check`/`run` made against the evidence of the repository's
/// `data/` (the LMS review, validated once).
pub fn fuzz_project_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(project) = crate::project::parse(Path::new("."), text) else {
        return;
    };
    for spec in &project.analyses {
        let _ = crate::analysis::check_options(spec);
        let _ = spec.select.check(lms_evidence());
        // The planning step `check` and `run` share: options, selections,
        // measure against data, ignored options.
        let _ = crate::analysis::plan(spec, lms_evidence(), true);
    }
}

fn lms_evidence() -> &'static Evidence {
    static EVIDENCE: OnceLock<Evidence> = OnceLock::new();
    EVIDENCE.get_or_init(|| {
        let table = |name: &str, text: &str| csv_table(name, text.as_bytes());
        validate(&RawTables {
            figures: table("figures", include_str!("../../data/figures.csv")),
            cases: table("cases", include_str!("../../data/cases.csv")),
            claims: table("claims", include_str!("../../data/claims.csv")),
            ..Default::default()
        })
        .0
    })
}

/// The table commands' readers. The first byte chooses the reader (low
/// three bits: pool effects, survival patients, reconstruct curves,
/// reconstruct at-risk, medians) and its options (the high bits: the
/// measure of `pool`, optional columns of `km`/`cox`, the event code). For
/// patients the next three bytes pick the time, event and group columns by
/// position in the header. The rest is the CSV table.
pub fn fuzz_table_readers(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let options = selector >> 3;
    match selector & 0x07 {
        0 => pool_effects(options, rest),
        1 => patients(options, rest),
        2 => {
            if let Some(t) = csv_table("curve", rest) {
                let _ = read_curves(&t);
            }
        }
        3 => {
            if let Some(t) = csv_table("at_risk", rest) {
                let _ = read_at_risk(&t);
            }
        }
        _ => {
            if let Some(t) = csv_table("summaries", rest) {
                if let Ok(rows) = read_summaries(&t) {
                    let groups: Vec<&str> =
                        rows.iter().filter_map(|r| r.group.as_deref()).collect();
                    if let [g1, g2, ..] = groups[..] {
                        let _ = pair_groups(&rows, (g1, g2));
                    }
                }
            }
        }
    }
}

fn pool_effects(options: u8, csv: &[u8]) {
    use crate::domain::Vocab;
    let Some(table) = csv_table("effects", csv) else {
        return;
    };
    let measures = Measure::ALL;
    let measure = measures[usize::from(options) % measures.len()].1;
    let _ = read_effects(&table, measure, &Roles::new(&[]));
}

fn patients(options: u8, data: &[u8]) {
    let [t, e, g, csv @ ..] = data else {
        return;
    };
    let Some(table) = csv_table("patients", csv) else {
        return;
    };
    let width = table.header.len();
    if width == 0 {
        return;
    }
    let name = |b: u8| table.header[usize::from(b) % width].clone();
    let cols = PatientColumns {
        time: name(*t),
        event: name(*e),
        group: (options & 1 == 1).then(|| name(*g)),
        strata: (options & 2 == 2).then(|| name(g.wrapping_add(1))),
        covariates: if options & 4 == 4 {
            vec![name(g.wrapping_add(2))]
        } else {
            Vec::new()
        },
    };
    let code = match options >> 3 {
        0 => None,
        1 => Some("2"),
        _ => Some("1"),
    };
    let _ = read_patients(&table, &cols, &EventCoding::new(code));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lms_evidence_is_read() {
        assert!(!lms_evidence().figures.is_empty());
    }

    #[test]
    fn every_selector_runs_on_a_small_table() {
        for s in 0..=255u8 {
            fuzz_ingest_validate(&[&[s][..], b"study_id,value\nx,1\n\0a\n"].concat());
            fuzz_table_readers(&[&[s, 0, 1, 2][..], b"study,n,group\nx,1,a\ny,2,b\n"].concat());
        }
    }
}
