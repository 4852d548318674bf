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
/// printed case (DOIs compare case-insensitively; see `cross`), and the
/// invisible characters a copy from a PDF brings along (zero-width spaces
/// and joiners, byte-order marks), which no DOI contains. Works on any text:
/// prefixes are compared with `str::get`, never sliced at a byte that may
/// fall inside a character.
pub fn normalise_doi(raw: &str) -> String {
    let visible: String = raw
        .chars()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .collect();
    let d = visible.trim();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ] {
        if let (Some(head), Some(rest)) = (d.get(..prefix.len()), d.get(prefix.len()..)) {
            if head.eq_ignore_ascii_case(prefix) {
                return rest.trim().to_string();
            }
        }
    }
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::normalise_doi;

    #[test]
    fn a_doi_with_any_character_is_normalised_without_panicking() {
        assert_eq!(normalise_doi("https://doi.org/10.1/x"), "10.1/x");
        assert_eq!(normalise_doi(" DOI: 10.1/x "), "10.1/x");
        // A multi-byte character across the byte where a prefix would end
        // (é is bytes 3–4 here; "doi:" ends at byte 4): the old slicing panicked.
        assert_eq!(normalise_doi("abcé:10.1/x"), "abcé:10.1/x");
        assert_eq!(normalise_doi("é"), "é");
        assert_eq!(
            normalise_doi("httpś://doi.org/10.1/x"),
            "httpś://doi.org/10.1/x"
        );
        // Invisible characters pasted from a PDF are dropped.
        assert_eq!(normalise_doi("\u{FEFF}10.1/x\u{200B}"), "10.1/x");
        assert_eq!(normalise_doi("doi:\u{200B}10.1/x"), "10.1/x");
    }
}
