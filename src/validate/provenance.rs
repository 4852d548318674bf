//! Provenance columns shared by figures and cases.

use crate::domain::Provenance;

use super::cells::Cells;

/// Provenance columns every table with sources may carry.
pub const PROVENANCE_COLUMNS: &[&str] = &[
    "study_label",
    "citation",
    "year",
    "doi",
    "pmid",
    "source_location",
    "source_url",
    "quote",
    "notes",
    "confidence",
];

/// Reads and checks the provenance columns of a row.
pub fn read_provenance(c: &mut Cells<'_>) -> Provenance {
    let year = c.number("year").and_then(|y| {
        if y.fract() != 0.0 || !(1800.0..=2100.0).contains(&y) {
            c.error(
                "year",
                "bad-year",
                format!("year {y} is not a publication year"),
                "write a four-digit year such as 2022".into(),
            );
            None
        } else {
            Some(y as i32)
        }
    });
    let doi = c.text("doi").and_then(|raw| {
        let d = normalise_doi(raw);
        if d.starts_with("10.") && d.contains('/') {
            Some(d)
        } else {
            c.error(
                "doi",
                "bad-doi",
                format!("'{raw}' is not a DOI"),
                "write the DOI as 10.xxxx/yyyy (a https://doi.org/ prefix is accepted)".into(),
            );
            None
        }
    });
    let pmid = c.text("pmid").and_then(|raw| {
        let p = raw.trim().trim_start_matches("PMID:").trim();
        if !p.is_empty() && p.chars().all(|ch| ch.is_ascii_digit()) {
            Some(p.to_string())
        } else {
            c.error(
                "pmid",
                "bad-pmid",
                format!("'{raw}' is not a PubMed id"),
                "write the digits only, e.g. 36611309".into(),
            );
            None
        }
    });
    Provenance {
        study_label: c.string("study_label"),
        citation: c.string("citation"),
        year,
        doi,
        pmid,
        source_location: c.string("source_location"),
        source_url: c.string("source_url"),
        quote: c.string("quote"),
        notes: c.string("notes"),
        confidence: c.string("confidence"),
    }
}

/// Strips resolver prefixes (`https://doi.org/`, `doi:`) from a DOI, keeping its
/// printed case (DOIs compare case-insensitively; see `cross`).
pub fn normalise_doi(raw: &str) -> String {
    let d = raw.trim();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ] {
        if d.len() >= prefix.len() && d[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return d[prefix.len()..].trim().to_string();
        }
    }
    d.to_string()
}
