//! Forest plots of pooled analyses, built from fitted models: the main
//! plot (studies, subgroups with their diamonds and heterogeneity, the
//! overall diamond, the prediction interval and the tests under it), and
//! the cumulative and leave-one-out variants. Numbers come from
//! [`crate::stats::pool`]; this module only lays them out as text and
//! marks for [`crate::plot::render_forest_svg`].

use serde::Deserialize;

use crate::plot::{
    ColumnKind, ForestColumn, ForestMark, ForestPlot, ForestRow, Preset, RowKind, Scale,
    DOUBLE_COLUMN_MM, SINGLE_COLUMN_MM,
};
use crate::stats::pool::subgroups::Subgroups;
use crate::stats::pool::{RmaFit, Tau2Method, TestKind};

use super::format::{estimate, num};

pub mod refits;

pub use refits::{refit_forest, Refits, Variant};

/// A figure width: a journal column by name, or millimetres.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Width {
    /// "single" (85 mm) or "double" (175 mm).
    Named(String),
    /// Millimetres.
    Mm(f64),
}

impl Width {
    /// The width in mm.
    pub fn mm(&self) -> Result<f64, String> {
        match self {
            Width::Named(n) if n == "single" => Ok(SINGLE_COLUMN_MM),
            Width::Named(n) if n == "double" => Ok(DOUBLE_COLUMN_MM),
            Width::Named(n) => Err(format!(
                "unknown width {n:?}; use \"single\" (85 mm), \"double\" (175 mm) or a number of mm"
            )),
            Width::Mm(mm) if (40.0..=400.0).contains(mm) => Ok(*mm),
            Width::Mm(mm) => Err(format!("width {mm} mm is outside 40–400 mm")),
        }
    }
}

/// How the forest plots look (options of the analysis).
#[derive(Debug, Clone, Default)]
pub struct ForestLook {
    /// Preset.
    pub preset: Preset,
    /// Columns left of the axis (default: the preset's).
    pub left: Vec<ColumnKind>,
    /// Columns right of the axis.
    pub right: Vec<ColumnKind>,
    /// Width in mm (default: the preset's).
    pub width_mm: Option<f64>,
    /// "Favours …" labels under the axis.
    pub favours: Option<(String, String)>,
    /// Axis limits (display scale).
    pub xlim: Option<(f64, f64)>,
}

impl ForestLook {
    /// From the analysis' option values; messages name the option.
    pub fn parse(
        preset: Option<&str>,
        left: Option<&[String]>,
        right: Option<&[String]>,
        width: Option<&Width>,
        favours: Option<&[String]>,
        xlim: Option<&[f64]>,
    ) -> Result<ForestLook, String> {
        let preset: Preset = preset.unwrap_or("cochrane").parse()?;
        let (dl, dr) = preset.default_columns();
        let cols = |v: Option<&[String]>, d: Vec<ColumnKind>, key: &str| {
            v.map_or(Ok(d), |v| {
                v.iter()
                    .map(|c| c.parse::<ColumnKind>().map_err(|e| format!("{key}: {e}")))
                    .collect()
            })
        };
        let pair = |v: &[f64]| match v {
            [a, b] if a.is_finite() && b.is_finite() && a < b => Ok((*a, *b)),
            _ => Err("xlim: give two increasing numbers, e.g. [0.1, 10]".to_string()),
        };
        Ok(ForestLook {
            preset,
            left: cols(left, dl, "columns_left")?,
            right: cols(right, dr, "columns_right")?,
            width_mm: width.map(Width::mm).transpose()?,
            favours: match favours {
                None => None,
                Some([a, b]) => Some((a.clone(), b.clone())),
                Some(_) => return Err("favours: give two labels, left and right".into()),
            },
            xlim: xlim.map(pair).transpose()?,
        })
    }
}

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
                ColumnKind::Events => "Events".into(),
                ColumnKind::Weight => "Weight (%)".into(),
                ColumnKind::Estimate => format!("{} [{}% CI]", axis.name, num(level * 100.0, 1)),
            },
            align: k.align(),
        })
        .collect()
}

fn ci_text(est: f64, lo: f64, hi: f64) -> String {
    format!("{} [{}, {}]", estimate(est), estimate(lo), estimate(hi))
}

/// Display estimate and CI, ordered (a decreasing transform flips them).
fn shown(display: &dyn Fn(f64) -> f64, est: f64, lo: f64, hi: f64) -> (f64, f64, f64) {
    let (a, b) = (display(lo), display(hi));
    (display(est), a.min(b), a.max(b))
}

fn p_text(p: f64) -> String {
    if p < 0.0001 {
        "p < 0.0001".into()
    } else {
        format!("p = {}", num(p, 4))
    }
}

/// "Heterogeneity: tau² = …; I² = …%; Q(df) = …, p = …".
fn heterogeneity(
    tau2: f64,
    tau2_ci: Option<(f64, f64)>,
    i2: f64,
    q: f64,
    df: usize,
    p: f64,
) -> String {
    format!(
        "Heterogeneity: tau² = {}{}; I² = {}%; Q({df}) = {}, {}",
        num(tau2, 4),
        tau2_ci.map_or(String::new(), |(a, b)| format!(
            " (95% CI {}–{})",
            num(a, 4),
            num(b, 4)
        )),
        num(i2, 1),
        num(q, 2),
        p_text(p)
    )
}

/// Model name for the overall row.
pub fn model_name(fit: &RmaFit) -> String {
    if fit.params.method == Tau2Method::FE {
        "Equal-effects model".into()
    } else {
        format!("Random-effects model ({})", fit.params.method)
    }
}

/// The main forest plot.
pub fn pooled_forest(
    title: &str,
    subtitle: Option<String>,
    studies: &[ForestStudy],
    f: &ForestFit<'_>,
    axis: &ForestAxis,
    look: &ForestLook,
) -> ForestPlot {
    let fit = f.fit;
    let level = fit.params.level;
    // Columns with nothing to show for any study are left out.
    let has = |k: &ColumnKind| match k {
        ColumnKind::Events => studies.iter().any(|s| !s.events.is_empty()),
        ColumnKind::N => studies.iter().any(|s| !s.n.is_empty()),
        ColumnKind::Year => studies.iter().any(|s| s.year.is_some()),
        _ => true,
    };
    let look = &ForestLook {
        left: look.left.iter().copied().filter(has).collect(),
        right: look.right.iter().copied().filter(has).collect(),
        ..look.clone()
    };
    let total_w: f64 = fit.weights.iter().sum();
    let pct = |w: f64| {
        if total_w > 0.0 {
            100.0 * w / total_w
        } else {
            0.0
        }
    };
    let cells =
        |kinds: &[ColumnKind], s: Option<&ForestStudy>, label: &str, w: Option<f64>, est: &str| {
            kinds
                .iter()
                .map(|k| match k {
                    ColumnKind::Study => label.to_string(),
                    ColumnKind::Year => s
                        .and_then(|s| s.year)
                        .map_or(String::new(), |y| y.to_string()),
                    ColumnKind::N => s.map_or(String::new(), |s| s.n.clone()),
                    ColumnKind::Events => s.map_or(String::new(), |s| s.events.clone()),
                    ColumnKind::Weight => w.map_or(String::new(), |w| num(w, 1)),
                    ColumnKind::Estimate => est.to_string(),
                })
                .collect::<Vec<_>>()
        };
    let row_cells = |s: Option<&ForestStudy>, label: &str, w: Option<f64>, est: &str| {
        let mut c = cells(&look.left, s, label, w, est);
        c.extend(cells(&look.right, s, label, w, est));
        c
    };
    let study_row = |i: usize| {
        let s = &studies[i];
        let z = crate::stats::effect::wald_ci(s.yi, s.vi, level);
        let (e, lo, hi) = shown(f.display, s.yi, z.0, z.1);
        ForestRow {
            kind: RowKind::Data,
            cells: row_cells(
                Some(s),
                &s.label,
                Some(pct(fit.weights[i])),
                &ci_text(e, lo, hi),
            ),
            mark: ForestMark::Study {
                estimate: e,
                ci: (lo, hi),
                weight: Some(fit.weights[i]),
            },
            bold: false,
        }
    };
    let mut rows = Vec::new();
    match f.subgroups {
        Some(sg) => {
            for g in &sg.groups {
                let members: Vec<usize> = (0..studies.len())
                    .filter(|&i| studies[i].subgroup.as_deref() == Some(g.group.as_str()))
                    .collect();
                rows.push(ForestRow {
                    kind: RowKind::Heading,
                    cells: vec![g.group.clone()],
                    mark: ForestMark::None,
                    bold: true,
                });
                rows.extend(members.iter().map(|&i| study_row(i)));
                let (e, lo, hi) = shown(f.display, g.estimate, g.ci_lb, g.ci_ub);
                let w: f64 = members.iter().map(|&i| pct(fit.weights[i])).sum();
                rows.push(ForestRow {
                    kind: RowKind::Data,
                    cells: row_cells(
                        None,
                        &format!("Subtotal (k\u{a0}=\u{a0}{})", g.k),
                        Some(w),
                        &ci_text(e, lo, hi),
                    ),
                    mark: ForestMark::Summary {
                        estimate: e,
                        ci: (lo, hi),
                    },
                    bold: true,
                });
                let note = if g.k < 2 {
                    "Heterogeneity: not applicable (one study)".to_string()
                } else if sg.common_tau2 {
                    format!(
                        "Q({}) = {}, {} (tau² shared by all subgroups)",
                        g.q_df,
                        num(g.q, 2),
                        p_text(g.q_pval)
                    )
                } else {
                    heterogeneity(g.tau2, None, g.i2, g.q, g.q_df, g.q_pval)
                };
                rows.push(ForestRow {
                    kind: RowKind::Note,
                    cells: vec![note],
                    mark: ForestMark::None,
                    bold: false,
                });
            }
        }
        None => rows.extend((0..studies.len()).map(study_row)),
    }
    let (e, lo, hi) = shown(f.display, fit.beta[0], fit.ci_lb[0], fit.ci_ub[0]);
    rows.push(ForestRow {
        kind: RowKind::Data,
        cells: row_cells(
            None,
            &format!("{} (k\u{a0}=\u{a0}{})", model_name(fit), fit.k),
            Some(100.0),
            &ci_text(e, lo, hi),
        ),
        mark: ForestMark::Summary {
            estimate: e,
            ci: (lo, hi),
        },
        bold: true,
    });
    if let Some((a, b)) = fit.pi {
        let (a, b) = ((f.display)(a), (f.display)(b));
        let (a, b) = (a.min(b), a.max(b));
        rows.push(ForestRow {
            kind: RowKind::Data,
            cells: row_cells(
                None,
                "Prediction interval",
                None,
                &format!("[{}, {}]", estimate(a), estimate(b)),
            ),
            mark: ForestMark::Prediction { pi: (a, b) },
            bold: false,
        });
    }
    let mut footnotes = vec![heterogeneity(
        fit.tau2, f.tau2_ci, fit.i2, fit.q, fit.q_df, fit.q_pval,
    )];
    let stat = fit.stat[0];
    footnotes.push(match (fit.params.test, fit.df) {
        (TestKind::Knha, Some(df)) => format!(
            "Test for overall effect: t({}) = {}, {} (Knapp–Hartung)",
            num(df, 0),
            num(stat, 2),
            p_text(fit.pval[0])
        ),
        _ => format!(
            "Test for overall effect: z = {}, {}",
            num(stat, 2),
            p_text(fit.pval[0])
        ),
    });
    if let Some(sg) = f.subgroups {
        footnotes.push(match sg.df2 {
            Some(df2) => format!(
                "Test for subgroup differences: F({}, {df2}) = {}, {} (common tau²)",
                sg.df,
                num(sg.stat, 2),
                p_text(sg.pval)
            ),
            None => format!(
                "Test for subgroup differences: Q({}) = {}, {}{}",
                sg.df,
                num(sg.stat, 2),
                p_text(sg.pval),
                if sg.common_tau2 {
                    " (common tau²)"
                } else {
                    ""
                }
            ),
        });
    }
    ForestPlot {
        title: title.to_string(),
        subtitle,
        preset: look.preset,
        width_mm: look.width_mm,
        left: columns(&look.left, axis, level),
        right: columns(&look.right, axis, level),
        // The measure is named once, over its numbers, when they are shown.
        plot_header: if look.right.contains(&ColumnKind::Estimate)
            || look.left.contains(&ColumnKind::Estimate)
        {
            String::new()
        } else {
            format!("{} [{}% CI]", axis.name, num(level * 100.0, 1))
        },
        rows,
        scale: axis.scale,
        reference: axis.null,
        overall_line: Some(e),
        xlim: look.xlim,
        domain: axis.domain,
        x_label: axis.x_label.clone(),
        favours: look.favours.clone(),
        footnotes,
        zero_based: false,
        legend: None,
    }
}
