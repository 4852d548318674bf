//! Column groups shared by every exported table: who the source is, where in
//! it the number is printed, and where the row was read. One place, so every
//! export carries provenance the same way.

use crate::domain::{Figure, Origin, Provenance, StudySource};
use crate::export::Table;

/// A row's source: its own provenance and its study's (the fallback).
pub(crate) struct Sourced<'a> {
    /// Study id.
    pub study_id: &'a str,
    /// The row's provenance.
    pub provenance: &'a Provenance,
    /// The study's identity gathered from all its rows.
    pub study: &'a StudySource,
    /// Where the row was read.
    pub origin: &'a Origin,
}

/// A row that carries its own source: a figure or a case.
pub(crate) trait SourcedRow {
    /// Study id.
    fn study_id(&self) -> &str;
    /// The row's provenance.
    fn provenance(&self) -> &Provenance;
    /// Where the row was read.
    fn origin(&self) -> &Origin;
}

impl SourcedRow for Figure {
    fn study_id(&self) -> &str {
        &self.study_id
    }
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl SourcedRow for crate::domain::Case {
    fn study_id(&self) -> &str {
        &self.study_id
    }
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl<'a> Sourced<'a> {
    /// The sources of figure or case rows.
    pub(crate) fn of<T: SourcedRow>(
        rows: &[&'a T],
        study: &dyn Fn(&'a T) -> &'a StudySource,
    ) -> Vec<Sourced<'a>> {
        rows.iter()
            .map(|r| Sourced {
                study_id: r.study_id(),
                provenance: r.provenance(),
                study: study(r),
                origin: r.origin(),
            })
            .collect()
    }
}

/// `study_id, study_label, citation, year, doi, pmid`: the row's own values,
/// else its study's.
pub(crate) fn identity(t: &mut Table, rows: &[Sourced<'_>]) {
    let text = |g: &dyn Fn(&Sourced<'_>) -> Option<String>| rows.iter().map(g).collect::<Vec<_>>();
    t.text("study_id", text(&|r| Some(r.study_id.to_string())))
        .text(
            "study_label",
            text(&|r| Some(r.study.short_label(r.study_id))),
        )
        .text(
            "citation",
            text(&|r| {
                r.provenance
                    .citation
                    .clone()
                    .or_else(|| r.study.citation.clone())
            }),
        )
        .integer(
            "year",
            rows.iter()
                .map(|r| {
                    r.provenance
                        .year
                        .or(r.study.year)
                        .and_then(|y| u64::try_from(y).ok())
                })
                .collect(),
        )
        .text(
            "doi",
            text(&|r| r.provenance.doi.clone().or_else(|| r.study.doi.clone())),
        )
        .text(
            "pmid",
            text(&|r| r.provenance.pmid.clone().or_else(|| r.study.pmid.clone())),
        );
}

/// `source_location, source_url, quote, confidence, notes`.
pub(crate) fn location(t: &mut Table, rows: &[Sourced<'_>]) {
    let text = |g: &dyn Fn(&Provenance) -> Option<String>| {
        rows.iter().map(|r| g(r.provenance)).collect::<Vec<_>>()
    };
    t.text("source_location", text(&|p| p.source_location.clone()))
        .text("source_url", text(&|p| p.source_url.clone()))
        .text("quote", text(&|p| p.quote.clone()))
        .text("confidence", text(&|p| p.confidence.clone()))
        .text("notes", text(&|p| p.notes.clone()));
}

/// `data_file, data_line`: where in `data/` the row is.
pub(crate) fn data_origin(t: &mut Table, rows: &[Sourced<'_>]) {
    t.text(
        "data_file",
        rows.iter().map(|r| Some(r.origin.file.clone())).collect(),
    )
    .integer(
        "data_line",
        rows.iter().map(|r| Some(r.origin.line as u64)).collect(),
    );
}

/// Sorted, unique study ids.
pub(crate) fn study_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = ids.map(str::to_string).collect();
    v.sort();
    v.dedup();
    v
}
