//! Incremental runs. Each analysis' inputs — its entry in survlit.toml, the
//! rows it can read (figures it selects, and for patient-level kinds every
//! figure, case, curve point and number at risk of its studies), the
//! sources those rows cite, and the survlit version — are hashed (BLAKE3).
//! `reports/manifest.json` records each analysis' hash with its report
//! section and file names; on the next run an analysis whose hash is
//! unchanged is not rerun, its files are taken from `reports/`, and a run in
//! which nothing changed writes nothing at all.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::{AnalysisOutput, Methods, OutputFile};
use crate::domain::Evidence;
use crate::export::Schema;
use crate::project::{AnalysisKind, AnalysisSpec};
use std::collections::BTreeMap;

use super::Loaded;

/// File name of the manifest under `reports/`.
pub const MANIFEST: &str = "manifest.json";

/// The build that wrote a manifest: version and source fingerprint (any
/// change to the code reruns everything).
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("SURVLIT_SOURCE_HASH"));

/// What the last run wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// survlit version that wrote it.
    pub version: String,
    /// Hash of the project-level inputs (title, data files, diagnostics).
    pub project: String,
    /// One entry per analysis, in project order.
    pub analyses: Vec<Entry>,
    /// Every figure and case row the analyses read, by row id: its cells
    /// by column (to say which field of which row changed).
    #[serde(default)]
    pub rows: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// One analysis as the last run left it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Analysis name.
    pub name: String,
    /// Kind.
    pub kind: AnalysisKind,
    /// Hash of its inputs.
    pub key: String,
    /// Heading.
    pub title: String,
    /// Summary line.
    pub summary: String,
    /// Report section (Markdown).
    pub report: String,
    /// Studies used.
    pub studies: Vec<String>,
    /// Methods paragraph, references, warnings.
    pub methods: Methods,
    /// Files under `reports/<name>/`.
    pub files: Vec<String>,
    /// The schema of each CSV among them (columns and declared types), so
    /// a reused analysis' Parquet copy and dictionary entry are typed as a
    /// fresh run types them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Schema>,
    /// Ids of the figure and case rows it read.
    #[serde(default)]
    pub rows: Vec<String>,
}

impl Entry {
    /// The entry for a fresh output.
    pub fn of(o: &AnalysisOutput, key: &str, rows: Vec<String>) -> Entry {
        Entry {
            name: o.name.clone(),
            kind: o.kind,
            key: key.to_string(),
            title: o.title.clone(),
            summary: o.summary.clone(),
            report: o.report.clone(),
            studies: o.studies.clone(),
            methods: o.methods.clone(),
            files: o.files.iter().map(|f| f.name.clone()).collect(),
            schemas: o
                .files
                .iter()
                .filter(|f| !f.schema.is_empty())
                .map(|f| (f.name.clone(), f.schema.clone()))
                .collect(),
            rows,
        }
    }

    /// The output again, its files read back from `reports/` (`None` when
    /// one is missing, so the analysis is rerun). With `read` false the
    /// files are listed but not read.
    pub fn output(&self, reports: &Path, read: bool) -> Option<AnalysisOutput> {
        let files = self
            .files
            .iter()
            .map(|f| {
                let bytes = if read {
                    std::fs::read(reports.join(&self.name).join(f)).ok()?
                } else {
                    Vec::new()
                };
                Some(OutputFile {
                    name: f.clone(),
                    bytes,
                    schema: self.schemas.get(f).cloned().unwrap_or_default(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(AnalysisOutput {
            name: self.name.clone(),
            kind: self.kind,
            title: self.title.clone(),
            files,
            summary: self.summary.clone(),
            report: self.report.clone(),
            studies: self.studies.clone(),
            methods: self.methods.clone(),
        })
    }
}

/// Reads `reports/manifest.json`; `None` when absent or unreadable. A
/// manifest of another build is returned too: its keys (which include the
/// build) match nothing, so everything is rerun, but it still says which
/// rows and results changed.
pub fn read(reports: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(reports.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The manifest as written (pretty JSON, stable order).
pub fn to_bytes(m: &Manifest) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(m).unwrap_or_default();
    out.push(b'\n');
    out
}

fn hex(h: blake3::Hash) -> String {
    h.to_hex().to_string()
}

/// A row's id: its table and the fields that identify it, with a count
/// when several rows share them ("figures:bishop2017/local_control/…").
pub fn figure_id(f: &crate::domain::Figure) -> String {
    format!(
        "figures:{}/{}/{}/{}/{}/{}",
        f.study_id,
        f.outcome,
        f.population,
        f.group,
        f.statistic,
        f.time_point.map_or(String::new(), |t| format!("{t}"))
    )
}

/// A case row's id.
pub fn case_id(c: &crate::domain::Case) -> String {
    format!("cases:{}/{}", c.study_id, c.case_id)
}

/// A claim row's id (claim ids are unique, validation makes sure).
pub fn claim_id(c: &crate::domain::Claim) -> String {
    format!("claims:{}", c.claim_id)
}

/// Ids made unique: the n-th repeat of an id gets "#n".
pub fn unique_ids(ids: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    ids.map(|id| {
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            id
        } else {
            format!("{id}#{n}")
        }
    })
    .collect()
}

/// Hash of the inputs of one analysis, and the ids of the figure and case
/// rows among them (`figure_ids`/`case_ids` give every row's id).
pub fn analysis_inputs(
    spec: &AnalysisSpec,
    evidence: &Evidence,
    figure_ids: &[String],
    case_ids: &[String],
) -> (String, Vec<String>) {
    let mut rows = Vec::new();
    let mut h = blake3::Hasher::new();
    h.update(BUILD.as_bytes());
    h.update(spec.fingerprint().as_bytes());
    let s = &spec.select;
    // What the kind declares it reads (analysis::reads): figures, case rows,
    // the digitised curves of its studies (with those studies' reported
    // figures, which the reconstruction checks read), claims.
    let reads = crate::analysis::reads(spec.kind);
    let per_study = reads.digitised;
    let digitised: std::collections::BTreeSet<&str> = evidence
        .curves
        .iter()
        .map(|p| p.study_id.as_str())
        .collect();
    let selects_figures = reads.figures;
    let mut studies: Vec<&str> = Vec::new();
    for (f, id) in evidence.figures.iter().zip(figure_ids) {
        let checked =
            per_study && digitised.contains(f.study_id.as_str()) && s.matches_study(&f.study_id);
        if (selects_figures && s.matches_figure(f)) || checked {
            h.update(format!("F{f:?}\n").as_bytes());
            studies.push(&f.study_id);
            rows.push(id.clone());
        }
    }
    let uses_cases = reads.cases;
    for (c, id) in evidence.cases.iter().zip(case_ids) {
        if uses_cases && s.matches_case(c) {
            h.update(format!("C{c:?}\n").as_bytes());
            studies.push(&c.study_id);
            rows.push(id.clone());
        }
    }
    if per_study {
        for p in &evidence.curves {
            if s.matches_study(&p.study_id) {
                h.update(format!("P{p:?}\n").as_bytes());
            }
        }
        for r in &evidence.at_risk {
            if s.matches_study(&r.study_id) {
                h.update(format!("R{r:?}\n").as_bytes());
            }
        }
    }
    if reads.claims {
        for c in &evidence.claims {
            h.update(format!("A{c:?}\n").as_bytes());
            rows.push(claim_id(c));
        }
    }
    studies.sort_unstable();
    studies.dedup();
    for id in studies {
        if let Some(src) = evidence.studies.get(id) {
            h.update(format!("S{id}{src:?}\n").as_bytes());
        }
    }
    (hex(h.finalize()), rows)
}

/// Hash of what the whole report depends on besides the analyses: the
/// project title, the validation diagnostics and the version.
pub fn project_key(loaded: &Loaded) -> String {
    let mut h = blake3::Hasher::new();
    h.update(BUILD.as_bytes());
    h.update(loaded.project.title.as_bytes());
    h.update(format!("{:?}", loaded.project.data).as_bytes());
    h.update(format!("{:?}", loaded.diagnostics).as_bytes());
    h.update(
        format!(
            "{} {} {} {} {}",
            loaded.evidence.figures.len(),
            loaded.evidence.cases.len(),
            loaded.evidence.curves.len(),
            loaded.evidence.at_risk.len(),
            loaded.evidence.studies.len()
        )
        .as_bytes(),
    );
    hex(h.finalize())
}
