//! Figures of different studies that declare the same `cohort` count the
//! same patients: they are never pooled together.

use std::collections::{BTreeMap, BTreeSet};

use super::Row;
use crate::domain::{Figure, StudySource};

/// A note for each cohort that two or more studies report, and why pooling
/// is blocked where figures of two of them would enter the pool. (Subgroups
/// of one study, e.g. its primary and metastatic cases, are disjoint parts of
/// its pool, not a second count of it.)
pub(crate) fn shared_cohorts<'s>(
    rows: &[Row<'_>],
    source: &dyn Fn(&str) -> &'s StudySource,
) -> (Vec<String>, Vec<String>) {
    let label = |f: &Figure| {
        format!(
            "{} ({})",
            source(&f.study_id).short_label(&f.study_id),
            f.group
        )
    };
    let mut by_cohort: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(c) = r.figure.cohort.as_deref() {
            by_cohort.entry(c).or_default().push(i);
        }
    }
    let mut overlap_notes = Vec::new();
    let mut blocked = Vec::new();
    for (tag, idx) in &by_cohort {
        // Subgroups of one study (e.g. primary and metastatic cases) are
        // disjoint parts of its pool, not a second count of it.
        let studies: BTreeSet<&str> = idx
            .iter()
            .map(|&i| rows[i].figure.study_id.as_str())
            .collect();
        if studies.len() < 2 {
            continue;
        }
        let mut per_study: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &i in idx {
            let f = rows[i].figure;
            per_study
                .entry(f.study_id.as_str())
                .or_default()
                .push(f.group.as_str());
        }
        let names: Vec<String> = per_study
            .iter()
            .map(|(id, groups)| format!("{} ({})", source(id).short_label(id), groups.join("; ")))
            .collect();
        overlap_notes.push(format!(
            "{} draw on the same patients (cohort '{tag}'): never pool figures of different studies in this group",
            names.join(" and ")
        ));
        let pooled_here: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| rows[i].status.is_none())
            .collect();
        let pooled_studies: BTreeSet<&str> = pooled_here
            .iter()
            .map(|&i| rows[i].figure.study_id.as_str())
            .collect();
        if pooled_studies.len() > 1 {
            blocked.push(format!(
                "{} would be pooled together but share cohort '{tag}'; keep one (list the others in options.exclude, or set overlap = \"exclude\")",
                pooled_here.iter().map(|&i| label(rows[i].figure)).collect::<Vec<_>>().join(" and ")
            ));
        }
    }

    (overlap_notes, blocked)
}
