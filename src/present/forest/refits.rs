//! The cumulative and leave-one-out forest plots: one row per refit of the
//! model, the full model's diamond at the foot.

use crate::plot::{Align, ForestColumn, ForestMark, ForestPlot, ForestRow, RowKind};
use crate::stats::pool::sensitivity::Refit;
use crate::stats::pool::{RmaFit, Tau2Method, TestKind};

use super::{ci_text, shown, ForestAxis, ForestLook};
use crate::number::{estimate_decimals, i2, tau2};
use crate::present::format::num;

/// Which refits a variant shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Studies added one at a time, in the given order.
    Cumulative,
    /// The model without each study.
    LeaveOneOut,
}

/// The refits a variant shows, and how to display them.
#[derive(Clone, Copy)]
pub struct Refits<'a> {
    /// Cumulative or leave-one-out.
    pub variant: Variant,
    /// The refits.
    pub refits: &'a [Refit],
    /// `names[i]` labels `refits[i]`.
    pub names: &'a [String],
    /// The model on all studies.
    pub full: &'a RmaFit,
    /// Analysis scale → display scale.
    pub display: &'a dyn Fn(f64) -> f64,
}

/// The cumulative or leave-one-out forest plot: one row per refit, with
/// the full model's diamond at the foot. `names[i]` labels `refits[i]`.
pub fn refit_forest(
    title: &str,
    subtitle: Option<String>,
    r: &Refits<'_>,
    axis: &ForestAxis,
    look: &ForestLook,
) -> ForestPlot {
    let Refits {
        variant,
        refits,
        names,
        full,
        display,
    } = *r;
    let level = full.params.level;
    let d = estimate_decimals(axis.percent, display(full.beta[0]));
    let est_header = format!("{} [{}% CI]", axis.name, num(level * 100.0, 1));
    let c = |h: &str, a| ForestColumn {
        header: h.into(),
        align: a,
    };
    let left = vec![
        c(
            match variant {
                Variant::Cumulative => "Adding",
                Variant::LeaveOneOut => "Omitting",
            },
            Align::Left,
        ),
        c("k", Align::Right),
    ];
    let right = vec![
        c("tau²", Align::Right),
        c("I² (%)", Align::Right),
        c(&est_header, Align::Right),
    ];
    let mut rows: Vec<ForestRow> = refits
        .iter()
        .zip(names)
        .map(|(r, name)| {
            let (e, lo, hi) = shown(display, r.fit.beta[0], r.fit.ci_lb[0], r.fit.ci_ub[0]);
            ForestRow {
                kind: RowKind::Data,
                cells: vec![
                    match variant {
                        Variant::Cumulative => format!("+ {name}"),
                        Variant::LeaveOneOut => format!("− {name}"),
                    },
                    r.fit.k.to_string(),
                    tau2(r.fit.tau2),
                    i2(r.fit.i2),
                    ci_text(e, lo, hi, d),
                ],
                mark: ForestMark::Study {
                    estimate: e,
                    ci: (lo, hi),
                    weight: None,
                },
                bold: false,
            }
        })
        .collect();
    let (e, lo, hi) = shown(display, full.beta[0], full.ci_lb[0], full.ci_ub[0]);
    rows.push(ForestRow {
        kind: RowKind::Data,
        cells: vec![
            "All studies".into(),
            full.k.to_string(),
            tau2(full.tau2),
            i2(full.i2),
            ci_text(e, lo, hi, d),
        ],
        mark: ForestMark::Summary {
            estimate: e,
            ci: (lo, hi),
        },
        bold: true,
    });
    ForestPlot {
        title: title.to_string(),
        subtitle,
        preset: look.preset,
        width_mm: look.width_mm,
        left,
        right,
        plot_header: est_header,
        rows,
        scale: axis.scale,
        reference: axis.null,
        overall_line: Some(e),
        xlim: look.xlim,
        domain: axis.domain,
        x_label: axis.x_label.clone(),
        favours: look.favours.clone(),
        footnotes: vec![format!(
            "Each row is the {} refitted {}; {}.",
            if full.params.method == Tau2Method::FE {
                "equal-effects model".to_string()
            } else {
                format!("random-effects model ({})", full.params.method)
            },
            match variant {
                Variant::Cumulative => "with the studies up to and including that one",
                Variant::LeaveOneOut => "without that study",
            },
            if full.params.test == TestKind::Knha {
                "Knapp–Hartung CIs"
            } else {
                "Wald CIs"
            }
        )],
        zero_based: false,
        legend: None,
    }
}
