//! What a contrast writes: `contrasts.csv` (each study's arms, effect and
//! status, with provenance), `pooled.csv` and the forest plot. Formatting
//! only.

use super::{Contrast, ContrastSpec, Pair, PooledContrast};
use crate::domain::{Figure, StudySource};
use crate::export::Table;
use crate::number::fixed;
use crate::plot::{CompareGroup, ComparePlot, CompareRow, IntervalKind, PlotInterval, Scale};
use crate::present::columns::{self, Sourced};
use crate::stats::effect::wald_ci;
use crate::stats::pool::RmaFit;

/// `contrasts.csv`: one row per study, both arms' medians, the effect, its
/// SE and derivation, the reason it is not pooled and its weight; the
/// provenance columns are those of the study's first arm.
pub(crate) fn contrasts_table<'a>(
    pairs: &[Pair<'a>],
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Table {
    let firsts: Vec<&Figure> = pairs.iter().filter_map(|p| p.first.or(p.second)).collect();
    let sourced: Vec<Sourced<'_>> = Sourced::of(&firsts, &|f| source(&f.study_id));
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    let arm_value = |f: Option<&Figure>| f.and_then(|f| f.value);
    t.number(
        "median_1",
        pairs.iter().map(|p| arm_value(p.first)).collect(),
    )
    .number(
        "median_2",
        pairs.iter().map(|p| arm_value(p.second)).collect(),
    )
    .number(
        "effect",
        pairs
            .iter()
            .map(|p| p.effect.as_ref().map(|e| e.yi))
            .collect(),
    )
    .number(
        "se",
        pairs
            .iter()
            .map(|p| p.effect.as_ref().map(|e| e.sei()))
            .collect(),
    )
    .text(
        "derivation",
        pairs
            .iter()
            .map(|p| p.effect.as_ref().map(|e| e.derivation.clone()))
            .collect(),
    )
    .text("reason", pairs.iter().map(|p| p.why_not.clone()).collect())
    .number("weight_percent", pairs.iter().map(|p| p.weight).collect());
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}

/// `pooled.csv`: the fit on the pooling scale and the estimate as shown.
pub(crate) fn pooled_table(c: &ContrastSpec<'_>, fit: &RmaFit) -> Table {
    let display = |y: f64| c.contrast.display(y);
    let scale = match c.contrast {
        Contrast::Ratio => "log ratio of medians",
        Contrast::Difference => "difference of medians (months)",
    };
    let mut t = Table::default();
    t.text(
        "contrast",
        vec![Some(format!("{} vs {}", c.groups[0], c.groups[1]))],
    )
    .text("scale", vec![Some(scale.into())])
    .text("tau2_method", vec![Some(c.tau2.to_string())])
    .text("test", vec![Some(c.test.to_string())])
    .integer("k", vec![Some(fit.k as u64)])
    .number("estimate", vec![Some(fit.beta[0])])
    .number("se", vec![Some(fit.se[0])])
    .number("ci_lower", vec![Some(fit.ci_lb[0])])
    .number("ci_upper", vec![Some(fit.ci_ub[0])])
    .number("pval", vec![Some(fit.pval[0])])
    .number("tau2", vec![Some(fit.tau2)])
    .number("i2_percent", vec![Some(fit.i2)])
    .number("q", vec![Some(fit.q)])
    .number("display_estimate", vec![Some(display(fit.beta[0]))])
    .number("display_ci_lower", vec![Some(display(fit.ci_lb[0]))])
    .number("display_ci_upper", vec![Some(display(fit.ci_ub[0]))]);
    t
}

/// The forest plot: each study's effect as shown with its 95% CI and
/// weight, and the pooled estimate as a diamond.
pub(crate) fn forest_plot<'a>(
    heading: &str,
    pairs: &[Pair<'a>],
    pooled: Option<&PooledContrast>,
    c: &ContrastSpec<'_>,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> ComparePlot {
    let mut rows: Vec<CompareRow> = pairs
        .iter()
        .map(|p| study_row(p, c.contrast, source))
        .collect();
    if let Some(p) = pooled {
        rows.push(pooled_row(p.shown));
    }
    let ratio = c.contrast == Contrast::Ratio;
    ComparePlot {
        title: heading.to_string(),
        subtitle: Some(format!(
            "{} vs {}: {} per study with 95% CI; diamond: pooled.",
            c.groups[0],
            c.groups[1],
            if ratio {
                "ratio of medians"
            } else {
                "difference of medians"
            }
        )),
        x_label: if ratio {
            "Ratio of median survival (log scale)".into()
        } else {
            "Difference in median survival (months)".into()
        },
        value_header: "Estimate [95% CI]  weight".into(),
        label_header: "Study".into(),
        estimate_name: if ratio { "ratio" } else { "difference" }.into(),
        scale: if ratio { Scale::Log } else { Scale::Linear },
        groups: vec![CompareGroup {
            heading: None,
            rows,
        }],
        reference: Some(if ratio { 1.0 } else { 0.0 }),
        footnote: pooled.map(|p| p.model_line.clone()),
    }
}

/// One study's line of the forest: its effect and CI as shown with its
/// weight, or "not pooled"; n as `n₁/n₂`.
fn study_row<'a>(
    p: &Pair<'a>,
    contrast: Contrast,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> CompareRow {
    let display = |y: f64| contrast.display(y);
    let (value, interval, text) = match &p.effect {
        Some(e) => {
            let (a, b) = wald_ci(e.yi, e.vi, 0.95);
            (
                Some(display(e.yi)),
                Some(PlotInterval {
                    kind: IntervalKind::Ci,
                    lower: Some(display(a)),
                    upper: Some(display(b)),
                }),
                format!(
                    "{} [{}, {}]{}",
                    fixed(display(e.yi), 2),
                    fixed(display(a), 2),
                    fixed(display(b), 2),
                    p.weight
                        .map_or(String::new(), |w| format!("  {}%", fixed(w, 1)))
                ),
            )
        }
        None => (None, None, "not pooled".to_string()),
    };
    let n = |f: Option<&Figure>| f.and_then(|f| f.n).map_or("—".into(), |n| n.to_string());
    CompareRow {
        summary: false,
        pi: None,
        label: source(p.study_id).short_label(p.study_id),
        detail: String::new(),
        n_text: format!("{}/{}", n(p.first), n(p.second)),
        value,
        value_text: text,
        interval,
    }
}

/// The pooled diamond.
fn pooled_row((e, l, u): (f64, f64, f64)) -> CompareRow {
    CompareRow {
        summary: true,
        pi: None,
        label: "Random-effects model".into(),
        detail: String::new(),
        n_text: String::new(),
        value: Some(e),
        value_text: format!("{} [{}, {}]", fixed(e, 2), fixed(l, 2), fixed(u, 2)),
        interval: Some(PlotInterval {
            kind: IntervalKind::Ci,
            lower: Some(l),
            upper: Some(u),
        }),
    }
}
