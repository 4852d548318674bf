//! The forest plot of a meta-analysis, laid out for a journal page: a
//! preset (Cochrane/RevMan-like, or a compact JAMA/BMJ-like one), text
//! columns left and right of the axis, subgroup headings and diamonds, the
//! overall diamond, a prediction-interval bar, heterogeneity lines under the
//! plot, a log axis for ratios and arrows where a CI leaves the axis.
//!
//! The figure is as wide as a journal column (85 or 175 mm); long cells
//! wrap, and if the columns leave too little room for the axis the text
//! shrinks (to 85 %) before the figure widens. Rows grow with their text,
//! so no two texts overlap at any number of studies.

mod axis;
mod draw;
mod layout;
mod marks;

use super::{register_fonts, render_svg, IntervalKind, PlotError, Scale};
use crate::domain::{parsed_as_vocab, Vocab};
#[cfg(test)]
pub(crate) use layout::limits;
pub(crate) use layout::Layout;

/// Single journal column, in mm.
pub const SINGLE_COLUMN_MM: f64 = 85.0;
/// Double journal column (full page width), in mm.
pub const DOUBLE_COLUMN_MM: f64 = 175.0;

/// Layout preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// Cochrane/RevMan-like: full page width, 8 pt text, events and weight
    /// columns, no shading.
    #[default]
    Cochrane,
    /// JAMA/BMJ-like: one column wide, 7 pt text, study and estimate only,
    /// alternate rows shaded.
    Compact,
}

impl Vocab for Preset {
    const WHAT: &'static str = "forest preset";
    const ALL: &'static [(&'static str, Self)] =
        &[("cochrane", Preset::Cochrane), ("compact", Preset::Compact)];
    const ALIASES: &'static [(&'static str, Self)] = &[
        ("revman", Preset::Cochrane),
        ("jama", Preset::Compact),
        ("bmj", Preset::Compact),
    ];
}

/// Sizes of a preset (points and millimetres).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub body_pt: f64,
    pub title_pt: f64,
    pub width_mm: f64,
    pub stripes: bool,
    /// Smallest share of the width left to the axis before text shrinks.
    pub min_plot_share: f64,
}

impl Preset {
    pub(crate) fn style(self) -> Style {
        match self {
            Preset::Cochrane => Style {
                body_pt: 8.0,
                title_pt: 9.5,
                width_mm: DOUBLE_COLUMN_MM,
                stripes: false,
                min_plot_share: 0.22,
            },
            Preset::Compact => Style {
                body_pt: 7.0,
                title_pt: 8.0,
                width_mm: SINGLE_COLUMN_MM,
                stripes: true,
                min_plot_share: 0.25,
            },
        }
    }

    /// The default columns: (left, right).
    pub fn default_columns(self) -> (Vec<ColumnKind>, Vec<ColumnKind>) {
        match self {
            Preset::Cochrane => (
                vec![ColumnKind::Study, ColumnKind::Events, ColumnKind::N],
                vec![ColumnKind::Weight, ColumnKind::Estimate],
            ),
            Preset::Compact => (vec![ColumnKind::Study], vec![ColumnKind::Estimate]),
        }
    }
}

/// What a text column shows; the analysis fills the cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Study label (and group).
    Study,
    /// Publication year.
    Year,
    /// Sample size.
    N,
    /// Events.
    Events,
    /// Estimate [CI].
    Estimate,
    /// Weight in the model, %.
    Weight,
}

impl Vocab for ColumnKind {
    const WHAT: &'static str = "forest column";
    const ALL: &'static [(&'static str, Self)] = &[
        ("study", ColumnKind::Study),
        ("year", ColumnKind::Year),
        ("n", ColumnKind::N),
        ("events", ColumnKind::Events),
        ("estimate", ColumnKind::Estimate),
        ("weight", ColumnKind::Weight),
    ];
}

parsed_as_vocab!(Preset, ColumnKind);

impl ColumnKind {
    /// Text alignment: labels left, numbers right.
    pub fn align(self) -> Align {
        match self {
            ColumnKind::Study => Align::Left,
            _ => Align::Right,
        }
    }
}

/// Horizontal alignment of a column's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Flush right (numbers).
    Right,
}

/// A text column.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestColumn {
    /// Header text.
    pub header: String,
    /// Alignment.
    pub align: Align,
}

/// What is drawn in a row's plot area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ForestMark {
    /// Nothing.
    None,
    /// A study: square (area ∝ weight when given) on its CI.
    Study {
        /// Estimate (display scale).
        estimate: f64,
        /// CI (display scale).
        ci: (f64, f64),
        /// Weight in the model; `None` draws a small fixed square.
        weight: Option<f64>,
    },
    /// A pooled estimate: a diamond spanning its CI.
    Summary {
        /// Estimate.
        estimate: f64,
        /// CI.
        ci: (f64, f64),
    },
    /// A prediction interval: a bar.
    Prediction {
        /// The interval.
        pi: (f64, f64),
    },
    /// A reported estimate (circle) with the interval its source gives: a
    /// CI (line with caps), an IQR (box) or a range (dashed line); a missing
    /// bound ("not reached") runs to the axis edge as an arrow.
    Interval {
        /// Estimate; `None` draws no circle.
        estimate: Option<f64>,
        /// Lower bound.
        lower: Option<f64>,
        /// Upper bound.
        upper: Option<f64>,
        /// What the interval is.
        kind: IntervalKind,
    },
}

/// A row's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A study or summary row with one cell per column.
    Data,
    /// A subgroup heading: `cells[0]` in bold across the left columns and axis.
    Heading,
    /// A note (a subgroup's heterogeneity, the test for subgroup
    /// differences): `cells[0]` in small text across the left columns and axis.
    Note,
}

/// One row of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    /// Role.
    pub kind: RowKind,
    /// Texts: one per column (left columns, then right) for data rows; one for others.
    pub cells: Vec<String>,
    /// Drawn in the plot area.
    pub mark: ForestMark,
    /// Bold text (summary rows).
    pub bold: bool,
}

/// Everything a forest plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestPlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Preset.
    pub preset: Preset,
    /// Width in mm (default: the preset's column width).
    pub width_mm: Option<f64>,
    /// Columns left of the axis.
    pub left: Vec<ForestColumn>,
    /// Columns right of the axis.
    pub right: Vec<ForestColumn>,
    /// Header over the axis ("Hazard ratio [95% CI]").
    pub plot_header: String,
    /// Rows, top to bottom.
    pub rows: Vec<ForestRow>,
    /// Axis scale.
    pub scale: Scale,
    /// The null line (1 for ratios, 0 for differences).
    pub reference: Option<f64>,
    /// A dotted line at the overall estimate.
    pub overall_line: Option<f64>,
    /// Axis limits given by the analyst; CIs beyond them end in arrows.
    pub xlim: Option<(f64, f64)>,
    /// Values the measure can take (0–100 for percentages); the axis never
    /// leaves it.
    pub domain: Option<(f64, f64)>,
    /// Axis label.
    pub x_label: String,
    /// Labels under the axis, left and right of the null line ("Favours A").
    pub favours: Option<(String, String)>,
    /// Lines under the plot (heterogeneity, tests).
    pub footnotes: Vec<String>,
    /// The linear axis starts at 0 (times, percentages).
    pub zero_based: bool,
    /// Name of the estimate in a legend of the marks ("median"); the legend
    /// is drawn when set and lists only the kinds of interval shown.
    pub legend: Option<String>,
}

/// Renders the plot as SVG text.
pub fn render_forest_svg(p: &ForestPlot) -> Result<String, PlotError> {
    register_fonts();
    let l = Layout::new(p);
    render_svg((l.width, l.height), |root| {
        draw::draw(root, p, &l).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests;
