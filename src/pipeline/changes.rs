//! `reports/CHANGES.md`: what a run changed against the previous one —
//! analyses added, removed and rerun; for each rerun analysis its result
//! before → after and the input rows that changed (added, removed, or
//! edited with the field and its old and new value).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::Evidence;
use crate::export::escape_markdown;
use crate::validate::RawTables;

use super::incremental::{Entry, Manifest};

type Cells = BTreeMap<String, String>;

/// Pseudo-column holding a row's line in its file.
const LINE: &str = "(line)";

/// Every figure and case row's cells by column, keyed by row id
/// (`figure_ids`/`case_ids` in evidence order).
pub fn row_cells(
    raw: &RawTables,
    evidence: &Evidence,
    figure_ids: &[String],
    case_ids: &[String],
) -> BTreeMap<String, Cells> {
    let mut out = BTreeMap::new();
    let mut add = |table: &Option<crate::ingest::RawTable>, line: usize, id: &str| {
        let Some(t) = table else { return };
        let Some(row) = t.rows.iter().find(|r| r.line == line) else {
            return;
        };
        let cells = t.cells(row);
        let mut map: Cells = t
            .header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), cells.get(i).unwrap_or("").to_string()))
            .collect();
        // The line is exported with every row (provenance), so a row that
        // moved is a change too, reported apart from edits.
        map.insert(LINE.into(), line.to_string());
        out.insert(id.to_string(), map);
    };
    for (f, id) in evidence.figures.iter().zip(figure_ids) {
        add(&raw.figures, f.origin.line, id);
    }
    for (c, id) in evidence.cases.iter().zip(case_ids) {
        add(&raw.cases, c.origin.line, id);
    }
    for c in &evidence.claims {
        add(&raw.claims, c.origin.line, &super::incremental::claim_id(c));
    }
    out
}

/// What changed in the inputs of one analysis.
fn row_changes(old: &Manifest, new: &Manifest, a: Option<&Entry>, b: &Entry) -> Vec<String> {
    let before: BTreeSet<&String> = a.map_or(BTreeSet::new(), |e| e.rows.iter().collect());
    let after: BTreeSet<&String> = b.rows.iter().collect();
    let mut out = Vec::new();
    let mut moved = 0;
    for id in after.difference(&before) {
        let edited_elsewhere = old.rows.contains_key(*id);
        out.push(if edited_elsewhere {
            format!("now selected: {id}")
        } else {
            format!("added: {id}")
        });
    }
    for id in before.difference(&after) {
        out.push(if new.rows.contains_key(*id) {
            format!("no longer selected: {id}")
        } else {
            format!("removed: {id}")
        });
    }
    for id in before.intersection(&after) {
        let (Some(x), Some(y)) = (old.rows.get(*id), new.rows.get(*id)) else {
            continue;
        };
        let fields: Vec<String> = x
            .keys()
            .chain(y.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| x.get(*k) != y.get(*k) && k.as_str() != LINE)
            .map(|k| {
                format!(
                    "{k}: '{}' → '{}'",
                    x.get(k).map_or("", String::as_str),
                    y.get(k).map_or("", String::as_str)
                )
            })
            .collect();
        if !fields.is_empty() {
            out.push(format!("edited: {id} — {}", fields.join("; ")));
        } else if x.get(LINE) != y.get(LINE) {
            moved += 1;
        }
    }
    if moved > 0 {
        out.push(format!(
            "{moved} row(s) moved to another line of their file (a row above them was added or removed); only their line numbers changed"
        ));
    }
    out
}

/// CHANGES.md and the lines the CLI prints: against the previous run, or
/// (`since`) against the reports committed at a git revision.
pub fn report(
    old: Option<&Manifest>,
    new: &Manifest,
    since: Option<&str>,
) -> (String, Vec<String>) {
    let mut md = match since {
        Some(rev) => format!("# Changes since {}\n\n", escape_markdown(rev)),
        None => String::from("# Changes since the previous run\n\n"),
    };
    let mut lines = Vec::new();
    if let Some(rev) = since {
        lines.push(format!("compared with the reports at {rev}"));
    }
    let Some(old) = old else {
        md.push_str(&format!(
            "First run (or the previous run's manifest is missing): all {} analyses were run.\n",
            new.analyses.len()
        ));
        lines.push(format!("first run: {} analyses", new.analyses.len()));
        return (md, lines);
    };
    // Another build reruns everything; only what moved is worth listing.
    let other_build = old.version != new.version;
    if other_build {
        md.push_str(&format!(
            "The survlit build differs ({} → {}), so every analysis was rerun; listed below are only the analyses whose result, report or input rows changed.\n\n",
            old.version, new.version
        ));
        lines.push("survlit build changed: every analysis rerun".into());
    }
    let find = |m: &'_ Manifest, name: &str| m.analyses.iter().find(|e| e.name == name).cloned();
    let added: Vec<&Entry> = new
        .analyses
        .iter()
        .filter(|e| find(old, &e.name).is_none())
        .collect();
    let removed: Vec<&Entry> = old
        .analyses
        .iter()
        .filter(|e| find(new, &e.name).is_none())
        .collect();
    let rerun: Vec<(Entry, &Entry)> = new
        .analyses
        .iter()
        .filter_map(|e| {
            find(old, &e.name)
                .filter(|o| o.key != e.key)
                .filter(|o| {
                    !other_build
                        || o.summary != e.summary
                        || o.report != e.report
                        || !row_changes(old, new, Some(o), e).is_empty()
                })
                .map(|o| (o, e))
        })
        .collect();
    if old.project != new.project && !other_build {
        md.push_str("Project settings, data files or validation results changed.\n\n");
        lines.push("project settings, data files or validation results changed".into());
    }
    if added.is_empty() && removed.is_empty() && rerun.is_empty() {
        md.push_str("No analysis changed.\n");
    }
    for e in &added {
        md.push_str(&format!(
            "## Added: {} (`{}`)\n\n{}\n\n",
            escape_markdown(&e.title),
            e.name,
            escape_markdown(&e.summary)
        ));
        lines.push(format!("added {}: {}", e.name, e.summary));
    }
    for e in &removed {
        md.push_str(&format!(
            "## Removed: {} (`{}`)\n\nWas: {}\n\n",
            escape_markdown(&e.title),
            e.name,
            escape_markdown(&e.summary)
        ));
        lines.push(format!("removed {} (was: {})", e.name, e.summary));
    }
    for (o, e) in &rerun {
        md.push_str(&format!(
            "## Rerun: {} (`{}`)\n\n",
            escape_markdown(&e.title),
            e.name
        ));
        if o.summary == e.summary {
            md.push_str(&format!(
                "Result unchanged: {}\n\n",
                escape_markdown(&e.summary)
            ));
            lines.push(format!(
                "rerun {}: result unchanged ({})",
                e.name, e.summary
            ));
        } else {
            md.push_str(&format!(
                "Result: {} → **{}**\n\n",
                escape_markdown(&o.summary),
                escape_markdown(&e.summary)
            ));
            lines.push(format!("rerun {}: {} -> {}", e.name, o.summary, e.summary));
        }
        let rows = row_changes(old, new, Some(o), e);
        if rows.is_empty() {
            md.push_str("Inputs: the analysis' options, a cited source, a digitised curve or the survlit version changed.\n\n");
        } else {
            md.push_str("Rows that changed:\n\n");
            for r in &rows {
                md.push_str(&format!("- {}\n", escape_markdown(r)));
            }
            md.push('\n');
        }
        for r in rows.iter().take(5) {
            lines.push(format!("    {r}"));
        }
        if rows.len() > 5 {
            lines.push(format!(
                "    … and {} more (CHANGES.md lists them all)",
                rows.len() - 5
            ));
        }
    }
    (md, lines)
}
