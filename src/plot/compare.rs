//! The comparison plot: reported estimates (medians, means, proportions or
//! ratios) across studies, one row each, with their CI, IQR or range, grouped
//! under headings. Columns: label · n · axis · estimate text. It is drawn by
//! the forest plot's layout ([`super::render_forest_svg`]), so it has the
//! same journal width, type sizes, wrapping and overlap guarantees.

use super::{
    render_forest_svg, Align, ForestColumn, ForestMark, ForestPlot, ForestRow, PlotError, Preset,
    RowKind,
};

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Linear from 0 (times, percentages).
    Linear,
    /// Logarithmic (ratios), with a reference line at 1.
    Log,
}

/// What an interval around an estimate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalKind {
    /// Confidence interval.
    Ci,
    /// Interquartile range.
    Iqr,
    /// Minimum–maximum.
    Range,
}

/// An interval in display units; a missing bound is open ("not reached").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotInterval {
    /// Kind.
    pub kind: IntervalKind,
    /// Lower bound.
    pub lower: Option<f64>,
    /// Upper bound.
    pub upper: Option<f64>,
}

/// One row: a study's figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// Main label (study).
    pub label: String,
    /// Secondary label (group, time point).
    pub detail: String,
    /// Sample size text.
    pub n_text: String,
    /// Estimate in display units; `None` draws no marker.
    pub value: Option<f64>,
    /// Estimate as text, with its interval.
    pub value_text: String,
    /// Interval to draw.
    pub interval: Option<PlotInterval>,
    /// A pooled estimate: drawn as a diamond over its CI, label in bold.
    pub summary: bool,
    /// Prediction interval of a pooled estimate (dashed line).
    pub pi: Option<(f64, f64)>,
}

/// Rows under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareGroup {
    /// Heading (e.g. the population); `None` for no heading.
    pub heading: Option<String>,
    /// Rows.
    pub rows: Vec<CompareRow>,
}

/// Everything the comparison plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparePlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Axis label with unit.
    pub x_label: String,
    /// Header of the estimate column.
    pub value_header: String,
    /// Header of the label column.
    pub label_header: String,
    /// Name of the estimate in the legend ("median").
    pub estimate_name: String,
    /// Axis scale.
    pub scale: Scale,
    /// Groups in display order.
    pub groups: Vec<CompareGroup>,
    /// Vertical reference line (the null effect: 1 for ratios, 0 for differences).
    pub reference: Option<f64>,
    /// Line under the legend (heterogeneity statistics of a forest plot).
    pub footnote: Option<String>,
}

/// Renders the plot as SVG text.
pub fn render_compare_svg(p: &ComparePlot) -> Result<String, PlotError> {
    render_forest_svg(&to_forest(p))
}

/// The comparison as forest-plot rows: headings, one row per figure
/// (circle and its interval), pooled rows as diamonds with their
/// prediction interval on a row of its own.
fn to_forest(p: &ComparePlot) -> ForestPlot {
    let column = |header: &str, align| ForestColumn {
        header: header.into(),
        align,
    };
    let mut rows = Vec::new();
    for g in &p.groups {
        if let Some(h) = &g.heading {
            rows.push(ForestRow {
                kind: RowKind::Heading,
                cells: vec![h.clone()],
                mark: ForestMark::None,
                bold: true,
            });
        }
        for r in &g.rows {
            let label = if r.detail.is_empty() {
                r.label.clone()
            } else {
                format!("{} · {}", r.label, r.detail)
            };
            let mark = match (r.summary, r.value, r.interval) {
                (
                    true,
                    Some(v),
                    Some(PlotInterval {
                        lower: Some(a),
                        upper: Some(b),
                        ..
                    }),
                ) => ForestMark::Summary {
                    estimate: v,
                    ci: (a, b),
                },
                (_, value, interval) => ForestMark::Interval {
                    estimate: value,
                    lower: interval.and_then(|i| i.lower),
                    upper: interval.and_then(|i| i.upper),
                    kind: interval.map_or(IntervalKind::Ci, |i| i.kind),
                },
            };
            rows.push(ForestRow {
                kind: RowKind::Data,
                cells: vec![label, r.n_text.clone(), r.value_text.clone()],
                mark,
                bold: r.summary,
            });
            if let Some((a, b)) = r.pi {
                rows.push(ForestRow {
                    kind: RowKind::Data,
                    cells: vec![
                        "Prediction interval".into(),
                        String::new(),
                        format!(
                            "[{}, {}]",
                            super::text::tick_text(a),
                            super::text::tick_text(b)
                        ),
                    ],
                    mark: ForestMark::Prediction { pi: (a, b) },
                    bold: false,
                });
            }
        }
    }
    ForestPlot {
        title: p.title.clone(),
        subtitle: p.subtitle.clone(),
        preset: Preset::Cochrane,
        width_mm: None,
        left: vec![
            column(&p.label_header, Align::Left),
            column("n", Align::Right),
        ],
        right: vec![column(&p.value_header, Align::Right)],
        plot_header: String::new(),
        rows,
        scale: p.scale,
        reference: p.reference,
        overall_line: None,
        xlim: None,
        domain: None,
        x_label: p.x_label.clone(),
        favours: None,
        footnotes: p.footnote.iter().cloned().collect(),
        zero_based: p.scale == Scale::Linear,
        legend: Some(p.estimate_name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot() -> ComparePlot {
        let row = |label: &str, v: f64, i: Option<PlotInterval>| CompareRow {
            summary: false,
            pi: None,
            label: label.into(),
            detail: "all".into(),
            n_text: "9".into(),
            value: Some(v),
            value_text: format!("{v}"),
            interval: i,
        };
        ComparePlot {
            reference: None,
            footnote: None,
            title: "Median overall survival".into(),
            subtitle: None,
            x_label: "Median overall survival (months)".into(),
            value_header: "Median (months)".into(),
            label_header: "Study".into(),
            estimate_name: "median".into(),
            scale: Scale::Linear,
            groups: vec![CompareGroup {
                heading: Some("spine".into()),
                rows: vec![
                    row("A 2020", 46.0, None),
                    row(
                        "B 2021",
                        14.1,
                        Some(PlotInterval {
                            kind: IntervalKind::Ci,
                            lower: Some(8.6),
                            upper: None,
                        }),
                    ),
                ],
            }],
        }
    }

    #[test]
    fn svg_has_every_label_and_is_deterministic() {
        let a = render_compare_svg(&plot()).unwrap();
        for needle in [
            "Median overall survival (months)",
            "A 2020",
            "B 2021",
            "spine",
            "bound not reached",
            "confidence interval",
        ] {
            assert!(a.contains(needle), "missing {needle}");
        }
        assert_eq!(a, render_compare_svg(&plot()).unwrap());
    }

    #[test]
    fn png_is_a_png() {
        let png = super::super::svg_to_png(&render_compare_svg(&plot()).unwrap(), 300).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    #[test]
    fn axis_starts_at_zero_and_covers_values() {
        let (lo, hi) = crate::plot::forest::limits(&to_forest(&plot()));
        assert_eq!(lo, 0.0);
        assert!((46.0..=60.0).contains(&hi), "{hi}");
    }

    /// No overlaps, and the open bound is an arrow (a polygon).
    #[test]
    fn no_overlaps_and_open_bounds_are_arrows() {
        let svg = render_compare_svg(&plot()).unwrap();
        assert!(
            crate::plot::check::layout_problems(&svg).is_empty(),
            "{:?}",
            crate::plot::check::layout_problems(&svg)
        );
        assert!(
            svg.matches("<polygon").count() >= 2,
            "arrow in the plot and the legend"
        );
    }
}
