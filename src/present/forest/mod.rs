//! Forest plots of pooled analyses, built from fitted models: the main
//! plot (studies, subgroups with their diamonds and heterogeneity, the
//! overall diamond, the prediction interval and the tests under it), and
//! the cumulative and leave-one-out variants. Numbers come from
//! [`crate::stats::pool`]; this module only lays them out as text and
//! marks for [`crate::plot::render_forest_svg`].

use crate::number::{p_value, PStyle};
use crate::plot::{ColumnKind, ForestColumn, ForestPlot, Scale};
use crate::stats::pool::subgroups::Subgroups;
use crate::stats::pool::{RmaFit, TestKind};

use super::format::num;
use crate::number::{estimate_decimals, fixed, i2 as i2_text, statistic, tau2 as tau2_text};

pub mod look;
pub mod published;
pub mod refits;
mod rows;

pub use look::{ForestLook, ForestSort, Width};
pub use refits::{refit_forest, Refits, Variant};

/// One study's row.
#[derive(Debug, Clone)]
pub struct ForestStudy {
    /// Label (study · group).
    pub label: String,
    /// Publication year.
    pub year: Option<i32>,
    /// Sample size text.
    pub n: String,
    /// Events text.
    pub events: String,
    /// Effect and sampling variance on the analysis scale.
    pub yi: f64,
    /// Sampling variance.
    pub vi: f64,
    /// Subgroup, when the analysis has subgroups.
    pub subgroup: Option<String>,
    /// The published CI (display scale), shown and marked instead of the
    /// re-derived one when they differ beyond rounding
    /// ([`published::published_ci`]).
    pub published_ci: Option<(f64, f64)>,
}

/// The measure's axis.
#[derive(Debug, Clone)]
pub struct ForestAxis {
    /// Scale of the display values.
    pub scale: Scale,
    /// Null value on the display scale.
    pub null: Option<f64>,
    /// Axis label.
    pub x_label: String,
    /// Name of the estimate in column headers ("Hazard ratio", "Proportion (%)").
    pub name: String,
    /// Values the display scale can take.
    pub domain: Option<(f64, f64)>,
    /// The display values are percentages (one decimal).
    pub percent: bool,
    /// The events column's header ("Events", "Controlled/total").
    pub events_header: String,
}

/// What the main forest plot needs from the fit.
pub struct ForestFit<'a> {
    /// The overall model.
    pub fit: &'a RmaFit,
    /// Q-profile CI of τ², when computed.
    pub tau2_ci: Option<(f64, f64)>,
    /// Subgroups, in the order of their names.
    pub subgroups: Option<&'a Subgroups>,
    /// Analysis scale → display scale.
    pub display: &'a dyn Fn(f64) -> f64,
}

fn columns(kinds: &[ColumnKind], axis: &ForestAxis, level: f64) -> Vec<ForestColumn> {
    kinds
        .iter()
        .map(|k| ForestColumn {
            header: match k {
                ColumnKind::Study => "Study".into(),
                ColumnKind::Year => "Year".into(),
                ColumnKind::N => "Total".into(),
                ColumnKind::Events if kinds.contains(&ColumnKind::N) => {
                    axis.events_header.trim_end_matches(" / total").to_string()
                }
                ColumnKind::Events => axis.events_header.clone(),
                ColumnKind::Weight => "Weight (%)".into(),
                ColumnKind::Estimate => format!("{} [{}% CI]", axis.name, num(level * 100.0, 1)),
            },
            align: k.align(),
        })
        .collect()
}

/// "0.85 [0.78, 0.91]" at `d` decimals (one choice per figure).
fn ci_text(est: f64, lo: f64, hi: f64, d: usize) -> String {
    format!("{} [{}, {}]", fixed(est, d), fixed(lo, d), fixed(hi, d))
}

/// Display estimate and CI, ordered (a decreasing transform flips them).
fn shown(display: &dyn Fn(f64) -> f64, est: f64, lo: f64, hi: f64) -> (f64, f64, f64) {
    let (a, b) = (display(lo), display(hi));
    (display(est), a.min(b), a.max(b))
}

fn p_text(p: f64) -> String {
    p_value(p, PStyle::Prose)
}

/// "Heterogeneity: tau² = … (95% CI …–…); I² = …%; Q(df) = …, p = …",
/// the CI of τ² only when one was computed, at its `level`. The forest
/// and the pool report both write it.
pub fn heterogeneity(
    tau2: f64,
    tau2_ci: Option<(f64, f64)>,
    level: f64,
    i2: f64,
    q: f64,
    df: usize,
    p: f64,
) -> String {
    format!(
        "Heterogeneity: tau² = {}{}; I² = {}%; Q({df}) = {}, {}",
        tau2_text(tau2),
        tau2_ci.map_or(String::new(), |(a, b)| format!(
            " ({}% CI {}–{})",
            num(level * 100.0, 1),
            tau2_text(a),
            tau2_text(b)
        )),
        i2_text(i2),
        statistic(q),
        p_text(p)
    )
}

/// The main forest plot: the study rows (under their subgroups, each with
/// its subtotal and heterogeneity), the overall diamond, the prediction
/// interval, and the tests as footnotes.
pub fn pooled_forest(
    title: &str,
    subtitle: Option<String>,
    studies: &[ForestStudy],
    f: &ForestFit<'_>,
    axis: &ForestAxis,
    look: &ForestLook,
) -> ForestPlot {
    let level = f.fit.params.level;
    let look = &without_empty_columns(look, studies);
    let decimals = estimate_decimals(axis.percent, (f.display)(f.fit.beta[0]));
    let layout = rows::Layout::new(studies, f, look, decimals);
    let (overall, overall_estimate) = layout.overall_row();
    let mut rows = layout.body();
    rows.push(overall);
    rows.extend(layout.prediction_row());
    ForestPlot {
        title: title.to_string(),
        subtitle,
        preset: look.preset,
        width_mm: look.width_mm,
        left: columns(&look.left, axis, level),
        right: columns(&look.right, axis, level),
        plot_header: plot_header(look, axis, level),
        rows,
        scale: axis.scale,
        reference: axis.null,
        overall_line: Some(overall_estimate),
        xlim: look.xlim,
        domain: axis.domain,
        x_label: axis.x_label.clone(),
        favours: look.favours.clone(),
        footnotes: footnotes(f, studies, level),
        zero_based: false,
        legend: None,
    }
}

/// The look without the columns that have nothing to show for any study
/// (events, totals, years).
fn without_empty_columns(look: &ForestLook, studies: &[ForestStudy]) -> ForestLook {
    let has = |k: &ColumnKind| match k {
        ColumnKind::Events => studies.iter().any(|s| !s.events.is_empty()),
        ColumnKind::N => studies.iter().any(|s| !s.n.is_empty()),
        ColumnKind::Year => studies.iter().any(|s| s.year.is_some()),
        _ => true,
    };
    ForestLook {
        left: look.left.iter().copied().filter(has).collect(),
        right: look.right.iter().copied().filter(has).collect(),
        ..look.clone()
    }
}

/// The header over the plot: the measure is named once, over its numbers,
/// when they are shown (empty then), else over the axis.
fn plot_header(look: &ForestLook, axis: &ForestAxis, level: f64) -> String {
    if look.right.contains(&ColumnKind::Estimate) || look.left.contains(&ColumnKind::Estimate) {
        String::new()
    } else {
        format!("{} [{}% CI]", axis.name, num(level * 100.0, 1))
    }
}

/// The footnotes: overall heterogeneity, the test for the overall effect
/// and, with subgroups, the test for subgroup differences.
fn footnotes(f: &ForestFit<'_>, studies: &[ForestStudy], level: f64) -> Vec<String> {
    let fit = f.fit;
    let mut notes = vec![
        heterogeneity(
            fit.tau2,
            f.tau2_ci,
            fit.params.level,
            fit.i2,
            fit.q,
            fit.q_df,
            fit.q_pval,
        ),
        overall_test(fit),
    ];
    notes.extend(f.subgroups.map(subgroup_test));
    notes.extend(published_note(studies, level));
    notes
}

/// The mark on a study whose published CI is shown.
pub const PUBLISHED_MARK: &str = "†";

/// "† Published 95% CI, …": under the plot when a row shows its published
/// CI (it differs beyond rounding from the one re-derived from the SE
/// that entered the pooling).
fn published_note(studies: &[ForestStudy], level: f64) -> Option<String> {
    let marked: Vec<&str> = studies
        .iter()
        .filter(|s| s.published_ci.is_some())
        .map(|s| s.label.as_str())
        .collect();
    (!marked.is_empty()).then(|| {
        format!(
            "{PUBLISHED_MARK} {}: the published {}% CI is shown; it differs beyond rounding from the CI re-derived from the SE used in pooling.",
            marked.join("; "),
            num(level * 100.0, 1)
        )
    })
}

/// "Test for overall effect: z = …, p = …" (t with its df under Knapp–Hartung).
fn overall_test(fit: &RmaFit) -> String {
    let stat = fit.stat[0];
    match (fit.params.test, fit.df) {
        (TestKind::Knha, Some(df)) => format!(
            "Test for overall effect: t({}) = {}, {} (Knapp–Hartung)",
            num(df, 0),
            statistic(stat),
            p_text(fit.pval[0])
        ),
        _ => format!(
            "Test for overall effect: z = {}, {}",
            statistic(stat),
            p_text(fit.pval[0])
        ),
    }
}

/// "Test for subgroup differences: Q(df) = …" (F with two df under a
/// common τ² with Knapp–Hartung), worded as the report words it.
fn subgroup_test(sg: &Subgroups) -> String {
    format!(
        "Test for subgroup differences: {}{}",
        crate::present::pool_models::subgroup_test_text(sg),
        if sg.common_tau2 {
            " (common tau²)"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pool::{rma, RmaParams, Tau2Method, NO_LABELS};

    /// A study with the given events and year (total always blank).
    fn study(label: &str, yi: f64, events: &str, year: Option<i32>) -> ForestStudy {
        ForestStudy {
            label: label.into(),
            year,
            n: String::new(),
            events: events.into(),
            yi,
            vi: 0.04,
            subgroup: None,
            published_ci: None,
        }
    }

    fn params(method: Tau2Method, test: TestKind) -> RmaParams {
        RmaParams {
            method,
            test,
            level: 0.95,
        }
    }

    fn every_column() -> ForestLook {
        ForestLook {
            left: vec![ColumnKind::Study, ColumnKind::Year, ColumnKind::N],
            right: vec![ColumnKind::Events, ColumnKind::Weight, ColumnKind::Estimate],
            ..ForestLook::default()
        }
    }

    fn axis() -> ForestAxis {
        ForestAxis {
            scale: Scale::Log,
            null: Some(1.0),
            x_label: "Hazard ratio".into(),
            name: "Hazard ratio".into(),
            domain: None,
            percent: false,
            events_header: "Events".into(),
        }
    }

    #[test]
    fn columns_no_study_fills_are_dropped_and_the_rest_kept_in_order() {
        let studies = [study("A", 0.1, "", Some(2001)), study("B", 0.2, "", None)];
        let look = without_empty_columns(&every_column(), &studies);
        assert_eq!(look.left, [ColumnKind::Study, ColumnKind::Year]);
        assert_eq!(look.right, [ColumnKind::Weight, ColumnKind::Estimate]);
        let with_events = [study("A", 0.1, "12", None)];
        let look = without_empty_columns(&every_column(), &with_events);
        assert_eq!(look.left, [ColumnKind::Study]);
        assert_eq!(
            look.right,
            [ColumnKind::Events, ColumnKind::Weight, ColumnKind::Estimate]
        );
    }

    #[test]
    fn the_measure_heads_the_plot_only_when_no_column_shows_the_estimates() {
        let shown = every_column();
        assert_eq!(plot_header(&shown, &axis(), 0.95), "");
        let hidden = ForestLook {
            right: vec![ColumnKind::Weight],
            ..every_column()
        };
        assert_eq!(plot_header(&hidden, &axis(), 0.95), "Hazard ratio [95% CI]");
    }

    #[test]
    fn the_overall_test_is_t_under_knapp_hartung_and_z_otherwise() {
        let (y, v) = ([0.1, 0.3, -0.2, 0.4], [0.04, 0.05, 0.03, 0.06]);
        let z = rma(&y, &v, None, NO_LABELS, params(Tau2Method::DL, TestKind::Z)).unwrap();
        assert!(overall_test(&z).starts_with("Test for overall effect: z = "));
        let t = rma(
            &y,
            &v,
            None,
            NO_LABELS,
            params(Tau2Method::DL, TestKind::Knha),
        )
        .unwrap();
        assert!(overall_test(&t).starts_with("Test for overall effect: t(3) = "));
        assert!(overall_test(&t).ends_with(" (Knapp–Hartung)"));
    }

    #[test]
    fn a_prediction_interval_row_follows_the_overall_diamond_last() {
        let studies = [
            study("A", 0.1, "", None),
            study("B", 0.5, "", None),
            study("C", -0.3, "", None),
        ];
        let y: Vec<f64> = studies.iter().map(|s| s.yi).collect();
        let fit = rma(
            &y,
            &[0.04; 3],
            None,
            NO_LABELS,
            params(Tau2Method::REML, TestKind::Z),
        )
        .unwrap();
        let f = ForestFit {
            fit: &fit,
            tau2_ci: None,
            subgroups: None,
            display: &f64::exp,
        };
        let plot = pooled_forest("T", None, &studies, &f, &axis(), &every_column());
        let labels: Vec<&str> = plot.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(
            labels,
            [
                "A",
                "B",
                "C",
                "Random-effects model (REML) (k\u{a0}=\u{a0}3)",
                "Prediction interval"
            ]
        );
        assert_eq!(plot.footnotes.len(), 2);
    }
}
