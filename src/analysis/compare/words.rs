//! The names of what the figure shows: the statistic, the outcome, the time
//! point and the unit, as they read in the title, the axis label and the
//! column headers.

use std::collections::BTreeSet;

use crate::domain::{Figure, Vocab};
use crate::present::format::{capitalise, display_unit, statistic_words};

use super::layout::time_points;

/// What the figures have in common, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Words {
    /// The statistic ("median"), or "estimate" when they mix statistics.
    pub statistic: String,
    /// The outcome ("overall survival"), or empty when they mix outcomes.
    pub outcome: String,
    /// " at 12 months" when all share one time point, else empty.
    pub at: String,
    /// " (months)" for the unit, empty for a unitless one.
    pub unit_suffix: String,
    /// Proportions of one outcome: named by the outcome alone ("Local
    /// control at 12 months (%)", not "Proportion local control ...").
    pub all_proportions: bool,
    /// Several statistics (means and medians of latency): also named by
    /// the outcome alone.
    pub mixed_statistics: bool,
}

impl Words {
    /// The words for `rows` (not empty, one unit).
    pub(super) fn of(rows: &[&Figure]) -> Words {
        let statistics: BTreeSet<_> = rows.iter().map(|f| f.statistic).collect();
        let outcomes: BTreeSet<_> = rows.iter().map(|f| f.outcome).collect();
        let times = time_points(rows);
        let unit_word = display_unit(rows[0].unit);
        Words {
            statistic: if statistics.len() == 1 {
                statistic_words(rows[0].statistic)
            } else {
                "estimate".into()
            },
            outcome: if outcomes.len() == 1 {
                rows[0].outcome.name().replace('_', " ")
            } else {
                String::new()
            },
            at: match (times.len(), times.iter().next()) {
                (1, Some(t)) => format!(" at {t} months"),
                _ => String::new(),
            },
            unit_suffix: if unit_word.is_empty() {
                String::new()
            } else {
                format!(" ({unit_word})")
            },
            all_proportions: rows.iter().all(|f| f.statistic.is_proportion())
                && outcomes.len() == 1,
            mixed_statistics: statistics.len() > 1,
        }
    }

    /// The default title: "Median overall survival across studies".
    pub(super) fn title(&self) -> String {
        capitalise(&format!(
            "{} {} across studies",
            self.statistic, self.outcome
        ))
    }

    /// The default axis label: what is measured, the time point, the unit.
    pub(super) fn x_label(&self) -> String {
        let measure = if self.all_proportions || self.mixed_statistics {
            self.outcome.clone()
        } else {
            format!("{} {}", self.statistic, self.outcome)
        };
        capitalise(&format!("{measure}{}{}", self.at, self.unit_suffix).replace("  ", " "))
    }

    /// The header over the figure's values: the outcome for proportions,
    /// else the statistic, with the unit.
    pub(super) fn value_header(&self) -> String {
        let what = if self.all_proportions {
            &self.outcome
        } else {
            &self.statistic
        };
        capitalise(&format!("{what}{}", self.unit_suffix))
    }

    /// The header of the estimates in the Markdown table: the statistic
    /// with the unit.
    pub(super) fn table_header(&self) -> String {
        capitalise(&format!("{}{}", self.statistic, self.unit_suffix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compare::layout::tests::{at_time, median};
    use crate::domain::{Outcome, Statistic};

    #[test]
    fn proportions_of_one_outcome_are_named_by_the_outcome_at_their_time() {
        let (a, b) = (at_time("a", 12.0, 2), at_time("b", 12.0, 3));
        let words = Words::of(&[&a, &b]);
        assert_eq!(words.x_label(), "Local control at 12 months (%)");
        assert_eq!(words.value_header(), "Local control (%)");
        assert_eq!(words.title(), "Proportion local control across studies");
        assert_eq!(words.table_header(), "Proportion (%)");
    }

    #[test]
    fn one_statistic_names_the_axis_and_mixed_ones_read_as_estimates() {
        let os = median("a", Outcome::OverallSurvival, 2);
        let words = Words::of(&[&os]);
        assert_eq!(words.x_label(), "Median overall survival (months)");
        let mean = Figure {
            statistic: Statistic::Mean,
            ..median("b", Outcome::OverallSurvival, 3)
        };
        let mixed = Words::of(&[&os, &mean]);
        assert_eq!(mixed.statistic, "estimate");
        assert_eq!(mixed.x_label(), "Overall survival (months)");
        let pfs = median("c", Outcome::ProgressionFreeSurvival, 4);
        let outcomes = Words::of(&[&os, &pfs]);
        assert_eq!(outcomes.x_label(), "Median (months)");
        assert_eq!(outcomes.title(), "Median  across studies");
    }
}
