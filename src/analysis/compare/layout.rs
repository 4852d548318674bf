//! The rows of the figure: their order, the headings they sit under, and
//! what each row's label says besides the study (group, outcome, statistic,
//! time point) and which interval it draws.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Figure, Interval, StudySource, ValueStatus, Vocab};
use crate::plot::{CompareGroup, CompareRow, IntervalKind, PlotInterval};
use crate::present::format::{display_factor, estimate_text, n_text, num, statistic_words};

use super::GroupBy;

/// The heading a figure sits under (empty without headings).
pub(super) fn group_key(f: &Figure, by: GroupBy, source: &StudySource) -> String {
    match by {
        GroupBy::Population => f.population.clone(),
        GroupBy::Outcome => f.outcome.name().replace('_', " "),
        GroupBy::Study => source.short_label(&f.study_id),
        GroupBy::None => String::new(),
    }
}

/// The figures in display order: groups in order of their first line in
/// the data; within a group by year (undated last), then study label, then
/// line.
pub(super) fn in_display_order<'a>(
    rows: &[&'a Figure],
    by: GroupBy,
    source: &dyn Fn(&'a Figure) -> &'a StudySource,
) -> Vec<&'a Figure> {
    let key = |f: &'a Figure| group_key(f, by, source(f));
    let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
    for f in rows {
        let line = first_line.entry(key(f)).or_insert(f.origin.line);
        *line = (*line).min(f.origin.line);
    }
    let mut ordered = rows.to_vec();
    ordered.sort_by_cached_key(|f| {
        let s = source(f);
        (
            first_line[&key(f)],
            s.year.unwrap_or(i32::MAX),
            s.short_label(&f.study_id),
            f.origin.line,
        )
    });
    ordered
}

/// What a row's detail names besides its group: only what varies across
/// the figure and is not already a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Details {
    /// The statistic, when the figures mix statistics.
    pub statistic: bool,
    /// The outcome, when they mix outcomes not grouped by outcome.
    pub outcome: bool,
    /// The time point, when they are at different time points.
    pub time: bool,
}

impl Details {
    /// What varies across `rows`.
    pub(super) fn of(rows: &[&Figure], by: GroupBy) -> Details {
        let statistics: BTreeSet<_> = rows.iter().map(|f| f.statistic).collect();
        let outcomes: BTreeSet<_> = rows.iter().map(|f| f.outcome).collect();
        Details {
            statistic: statistics.len() > 1,
            outcome: outcomes.len() > 1 && by != GroupBy::Outcome,
            time: time_points(rows).len() > 1,
        }
    }
}

/// The distinct time points, as printed (two decimals at most).
pub(super) fn time_points(rows: &[&Figure]) -> BTreeSet<String> {
    rows.iter()
        .filter_map(|f| f.time_point.map(|t| num(t, 2)))
        .collect()
}

/// The ordered rows under their headings; consecutive rows with one key
/// share a group, and without headings all rows share one.
pub(super) fn plot_groups<'a>(
    ordered: &[&'a Figure],
    by: GroupBy,
    details: Details,
    source: &dyn Fn(&'a Figure) -> &'a StudySource,
) -> Vec<CompareGroup> {
    let mut groups: Vec<CompareGroup> = Vec::new();
    for f in ordered {
        let heading = (by != GroupBy::None).then(|| group_key(f, by, source(f)));
        let row = plot_row(f, source(f), details);
        match groups.last_mut() {
            Some(g) if g.heading == heading => g.rows.push(row),
            _ => groups.push(CompareGroup {
                heading,
                rows: vec![row],
            }),
        }
    }
    groups
}

/// One figure's row: label, detail, n, the marker (only for a reported
/// number) and its interval, all on the display scale.
pub(super) fn plot_row(f: &Figure, s: &StudySource, details: Details) -> CompareRow {
    let k = display_factor(f);
    CompareRow {
        summary: false,
        pi: None,
        label: s.short_label(&f.study_id),
        detail: detail(f, details),
        n_text: n_text(f),
        value: if f.value_status == ValueStatus::Reported {
            f.value.map(|v| v * k)
        } else {
            None
        },
        value_text: estimate_text(f),
        interval: interval(f, k),
    }
}

/// The words after the study: group (unless "all"), then outcome,
/// statistic and time point where [`Details`] asks for them.
fn detail(f: &Figure, details: Details) -> String {
    let mut parts: Vec<String> = Vec::new();
    if f.group != "all" {
        parts.push(f.group.clone());
    }
    if details.outcome {
        parts.push(f.outcome.name().replace('_', " "));
    }
    if details.statistic {
        parts.push(statistic_words(f.statistic));
    }
    if details.time {
        if let Some(t) = f.time_point {
            parts.push(format!("at {} mo", num(t, 2)));
        }
    }
    parts.join(", ")
}

/// The interval drawn, scaled by `k`: the CI, else the IQR, else the range
/// (a missing bound stays open and is drawn as an arrow).
pub(super) fn interval(f: &Figure, k: f64) -> Option<PlotInterval> {
    let scaled = |i: &Interval, kind| PlotInterval {
        kind,
        lower: i.lower.map(|v| v * k),
        upper: i.upper.map(|v| v * k),
    };
    f.ci.map(|c| scaled(&c.bounds, IntervalKind::Ci))
        .or_else(|| f.iqr.as_ref().map(|i| scaled(i, IntervalKind::Iqr)))
        .or_else(|| f.range.as_ref().map(|i| scaled(i, IntervalKind::Range)))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::{ConfidenceInterval, Origin, Outcome, Statistic, Unit};

    /// A reported median of `outcome` in months, read at `line`.
    pub(in crate::analysis::compare) fn median(
        study: &str,
        outcome: Outcome,
        line: usize,
    ) -> Figure {
        Figure {
            study_id: study.into(),
            outcome,
            population: "all patients".into(),
            reported_value: Some("20".into()),
            origin: Origin {
                file: "figures.csv".into(),
                sheet: None,
                line,
            },
            ..Figure::example(study, 20.0, 30)
        }
    }

    /// A proportion (0–1) at `months`, read at `line`.
    pub(in crate::analysis::compare) fn at_time(study: &str, months: f64, line: usize) -> Figure {
        Figure {
            statistic: Statistic::ProportionAtT,
            value: Some(0.5),
            unit: Unit::Proportion,
            reported_value: Some("50".into()),
            reported_unit: Unit::Percent,
            time_point: Some(months),
            ..median(study, Outcome::LocalControl, line)
        }
    }

    fn with_year(year: Option<i32>) -> StudySource {
        StudySource {
            year,
            ..StudySource::default()
        }
    }

    fn bounds(lower: Option<f64>, upper: Option<f64>) -> Interval {
        Interval {
            lower,
            upper,
            printed_decimals: [0, 0],
        }
    }

    #[test]
    fn groups_follow_the_data_and_rows_go_by_year_then_label_then_line() {
        let mut a = median("old", Outcome::OverallSurvival, 9);
        a.population = "late".into();
        let mut b = median("new", Outcome::OverallSurvival, 3);
        b.population = "early".into();
        let c = Figure {
            population: "late".into(),
            ..median("undated", Outcome::OverallSurvival, 2)
        };
        let d = Figure {
            population: "late".into(),
            ..median("new", Outcome::OverallSurvival, 5)
        };
        let year = |f: &Figure| match f.study_id.as_str() {
            "old" => 1999,
            "new" => 2020,
            _ => 0,
        };
        let sources: Vec<StudySource> = [&a, &b, &c, &d]
            .iter()
            .map(|f| with_year((year(f) > 0).then(|| year(f))))
            .collect();
        let rows = [&a, &b, &c, &d];
        let source = |f: &Figure| &sources[rows.iter().position(|r| std::ptr::eq(*r, f)).unwrap()];
        // "late" first appears at line 2 (c), before "early" (line 3).
        let ordered = in_display_order(&rows, GroupBy::Population, &source);
        let lines: Vec<usize> = ordered.iter().map(|f| f.origin.line).collect();
        assert_eq!(lines, [9, 5, 2, 3]);
        let groups = plot_groups(
            &ordered,
            GroupBy::Population,
            Details::of(&rows, GroupBy::Population),
            &source,
        );
        let headings: Vec<Option<&str>> = groups.iter().map(|g| g.heading.as_deref()).collect();
        assert_eq!(headings, [Some("late"), Some("early")]);
        let flat = plot_groups(
            &ordered,
            GroupBy::None,
            Details::of(&rows, GroupBy::None),
            &source,
        );
        assert_eq!(
            (flat.len(), flat[0].heading.clone(), flat[0].rows.len()),
            (1, None, 4)
        );
    }

    #[test]
    fn details_name_only_what_varies_and_is_not_a_heading() {
        let os = median("a", Outcome::OverallSurvival, 2);
        let pfs = median("b", Outcome::ProgressionFreeSurvival, 3);
        let mixed = [&os, &pfs];
        let by_population = Details::of(&mixed, GroupBy::Population);
        assert_eq!(
            by_population,
            Details {
                statistic: false,
                outcome: true,
                time: false
            }
        );
        assert!(!Details::of(&mixed, GroupBy::Outcome).outcome);
        let mut arm = at_time("c", 12.0, 4);
        arm.group = "surgery".into();
        let times = [&arm, &at_time("d", 24.0, 5)];
        let details = Details::of(&times, GroupBy::Population);
        assert!(details.time && !details.statistic);
        assert_eq!(detail(&arm, details), "surgery, at 12 mo");
    }

    #[test]
    fn the_interval_drawn_is_the_ci_else_the_iqr_else_the_range() {
        let mut f = median("a", Outcome::OverallSurvival, 2);
        f.range = Some(bounds(Some(2.0), Some(80.0)));
        assert_eq!(interval(&f, 1.0).unwrap().kind, IntervalKind::Range);
        f.iqr = Some(bounds(Some(10.0), Some(30.0)));
        assert_eq!(interval(&f, 1.0).unwrap().kind, IntervalKind::Iqr);
        f.ci = Some(ConfidenceInterval {
            bounds: bounds(Some(15.0), None),
            level: 0.95,
        });
        let ci = interval(&f, 1.0).unwrap();
        assert_eq!(
            (ci.kind, ci.lower, ci.upper),
            (IntervalKind::Ci, Some(15.0), None)
        );
        assert!(interval(&median("b", Outcome::OverallSurvival, 3), 1.0).is_none());
    }

    #[test]
    fn proportions_are_drawn_in_percent_and_an_unreached_median_has_no_marker() {
        let mut p = at_time("a", 12.0, 2);
        p.iqr = Some(bounds(Some(0.4), Some(0.6)));
        let none = Details {
            statistic: false,
            outcome: false,
            time: false,
        };
        let row = plot_row(&p, &StudySource::default(), none);
        assert_eq!(row.value, Some(50.0));
        assert_eq!(row.interval.unwrap().upper, Some(60.0));
        assert_eq!(row.label, "a");
        let mut nr = median("b", Outcome::OverallSurvival, 3);
        nr.value_status = ValueStatus::NotReached;
        assert_eq!(plot_row(&nr, &StudySource::default(), none).value, None);
    }
}
