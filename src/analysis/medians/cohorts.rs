//! Figures of different studies that declare the same `cohort` count the
//! same patients: they are never pooled together.

use std::collections::{BTreeMap, BTreeSet};

use super::{figure_label, Row};
use crate::domain::{shared_cohorts as shared_cohorts_of, StudySource};

/// A note for each cohort that two or more studies report, and why pooling
/// is blocked where figures of two of them would enter the pool. (Subgroups
/// of one study, e.g. its primary and metastatic cases, are disjoint parts of
/// its pool, not a second count of it.)
pub(crate) fn shared_cohorts<'s>(
    rows: &[Row<'_>],
    source: &dyn Fn(&str) -> &'s StudySource,
) -> (Vec<String>, Vec<String>) {
    let mut overlap_notes = Vec::new();
    let mut blocked = Vec::new();
    for (tag, idx) in &shared_cohorts_of(rows.iter().map(|r| r.figure)) {
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
                pooled_here.iter().map(|&i| figure_label(rows[i].figure, source)).collect::<Vec<_>>().join(" and ")
            ));
        }
    }

    (overlap_notes, blocked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::{median_with_ci, no_source};
    use crate::domain::Figure;
    use crate::workflow::medians::routes::route;

    fn in_cohort(study_id: &str, group: &str, cohort: &str) -> Figure {
        Figure {
            cohort: Some(cohort.into()),
            ..median_with_ci(study_id, group, 40.0, 30)
        }
    }

    fn rows<'a>(figures: &'a [Figure], left_out: &[&str]) -> Vec<Row<'a>> {
        figures
            .iter()
            .map(|f| Row {
                figure: f,
                route: route(f),
                status: left_out
                    .contains(&f.study_id.as_str())
                    .then(|| "left out by the analysis: same cases".to_string()),
                weight: None,
            })
            .collect()
    }

    #[test]
    fn two_studies_of_one_cohort_block_the_pool_and_say_which_to_drop() {
        let figures = [
            in_cohort("review2022", "all", "published"),
            in_cohort("review2025", "all", "published"),
        ];
        let (notes, blocked) = shared_cohorts(&rows(&figures, &[]), &no_source);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("review2022 (all) and review2025 (all) draw on the same patients (cohort 'published')"), "{}", notes[0]);
        assert_eq!(blocked.len(), 1);
        assert!(blocked[0].starts_with("review2022 (all) and review2025 (all) would be pooled together but share cohort 'published'; keep one"), "{}", blocked[0]);
    }

    #[test]
    fn a_study_left_out_unblocks_the_pool_but_the_overlap_is_still_noted() {
        let figures = [
            in_cohort("review2022", "all", "published"),
            in_cohort("review2025", "all", "published"),
        ];
        let (notes, blocked) = shared_cohorts(&rows(&figures, &["review2022"]), &no_source);
        assert_eq!(notes.len(), 1);
        assert!(blocked.is_empty(), "{blocked:?}");
    }

    #[test]
    fn subgroups_of_one_study_in_one_cohort_are_no_overlap() {
        let figures = [
            in_cohort("series2020", "primary", "own"),
            in_cohort("series2020", "metastatic", "own"),
        ];
        let (notes, blocked) = shared_cohorts(&rows(&figures, &[]), &no_source);
        assert!(notes.is_empty() && blocked.is_empty());
    }
}
