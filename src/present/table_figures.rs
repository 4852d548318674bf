//! The figures of `survlit pool --plots`, from a pooled table.

use crate::ingest::RawTable;
use crate::stats::pool::rma;
use crate::stats::StatsError;
use crate::validate::parse_number;
use crate::workflow::pool::effects::{Measure, StudyEffect};
use crate::workflow::pool::{columns, harmonic_n, natural, PoolOptions, PoolOutcome};

/// The figures of a pooled table (`survlit pool --plots`): the forest plot
/// of the model without moderators (with subgroups when `--by` is given),
/// the cumulative and leave-one-out forests when they were run, the funnel
/// plot (contour-enhanced around the measure's null) and, with one numeric
/// moderator, the bubble plot of the meta-regression.
pub fn figures(
    title: &str,
    table: &RawTable,
    o: &PoolOptions,
    out: &PoolOutcome,
    look: &crate::present::forest::ForestLook,
) -> Result<Vec<crate::present::pool_figures::Drawn>, Vec<String>> {
    use crate::plot::Scale;
    use crate::present::forest::{ForestAxis, ForestStudy};
    use crate::present::pool_figures::{draw, PoolFigures, Regression};
    use crate::present::pool_models::{analysis_scale_label, estimate_name};
    use crate::workflow::pool::design::default_null;
    let (y, v, labels) = columns(&out.effects);
    let stats_err = |e: StatsError| vec![e.to_string()];
    let base = if out.fit.p == 1 {
        out.fit.clone()
    } else {
        rma(&y, &v, None, &labels, o.params).map_err(stats_err)?
    };
    let hm = harmonic_n(&out.effects);
    let percent = matches!(o.measure, Measure::Proportion(_));
    let display =
        |b: f64| natural(o.measure, b, hm).map_or(b, |x| if percent { 100.0 * x } else { x });
    let cell = |e: &StudyEffect, col: &str| -> String {
        table
            .column(&col.to_ascii_lowercase())
            .and_then(|c| table.rows.get(e.row).and_then(|r| table.cells(r).get(c)))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let studies: Vec<ForestStudy> = out
        .effects
        .iter()
        .map(|e| ForestStudy {
            label: e.study.clone(),
            year: None,
            n: e.n
                .map_or(String::new(), |n| crate::present::format::num(n, 0)),
            events: String::new(),
            yi: e.effect.yi,
            vi: e.effect.vi,
            subgroup: o.by.as_ref().map(|c| cell(e, c)),
        })
        .collect();
    let moderator: Option<Vec<f64>> = match o.mods.as_slice() {
        [m] => out
            .effects
            .iter()
            .map(|e| parse_number(&cell(e, m)).ok())
            .collect(),
        _ => None,
    };
    let regression = moderator.map(|x| Regression {
        label: o.mods[0].clone(),
        line: crate::workflow::pool::design::regression_line(&out.fit, &x),
        x,
        fit: &out.fit,
    });
    let name = estimate_name(o.measure);
    let f = PoolFigures {
        title,
        studies: &studies,
        fit: &base,
        tau2_ci: if out.fit.p == 1 {
            out.ci.map(|c| c.tau2)
        } else {
            None
        },
        subgroups: out.subgroups.as_ref(),
        loo: out.leave_one_out.as_deref(),
        cumulative: out.cumulative.as_ref().map(|r| {
            (
                r.as_slice(),
                r.iter().map(|x| x.study.clone()).collect(),
                format!("ordered by {}", o.cumulative_by.as_deref().unwrap_or("")),
            )
        }),
        regression,
        display: &display,
        axis: ForestAxis {
            scale: if matches!(o.measure, Measure::HR | Measure::ROM) {
                Scale::Log
            } else {
                Scale::Linear
            },
            null: match o.measure {
                Measure::HR | Measure::ROM => Some(1.0),
                Measure::DOM | Measure::GEN => Some(0.0),
                _ => None,
            },
            x_label: if matches!(o.measure, Measure::HR | Measure::ROM) {
                format!("{name} (log scale)")
            } else {
                name.clone()
            },
            name,
            domain: percent.then_some((0.0, 100.0)),
        },
        look: look.clone(),
        funnel_null: default_null(o.measure),
        analysis_scale: analysis_scale_label(o.measure),
        funnel_note: if base.k < 10 {
            format!(
                "With k = {}, asymmetry cannot be judged (tests need k ≥ 10; Sterne et al. 2011).",
                base.k
            )
        } else {
            "Asymmetry tests: run survlit pool with --bias.".into()
        },
    };
    Ok(draw(&f))
}
