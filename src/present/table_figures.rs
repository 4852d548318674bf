//! The figures of `survlit pool --plots`, from a pooled table.

use crate::ingest::RawTable;
use crate::present::forest::{ForestAxis, ForestLook, ForestStudy};
use crate::present::pool_figures::{
    draw, forest_axis, funnel_note, Drawn, PoolFigures, Regression,
};
use crate::present::pool_models::{analysis_scale_label, display_scale, estimate_name};
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::funnel::default_null;
use crate::workflow::pool::{
    figure_models, harmonic_n, PoolOptions, PoolOutcome, SMALL_STUDY_MIN_K,
};

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
    look: &ForestLook,
) -> Result<Vec<Drawn>, Vec<String>> {
    let models = figure_models(table, o, out)?;
    let base = &models.base;
    let display = display_scale(o.measure, harmonic_n(&out.effects));
    let studies = forest_studies(out, models.subgroups.as_deref());
    let regression = models.regression.map(|(x, line)| Regression {
        label: o.mods[0].clone(),
        line,
        x,
        fit: &out.fit,
    });
    let f = PoolFigures {
        title,
        studies: &studies,
        fit: base,
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
        axis: axis(o.measure),
        look: look.clone(),
        funnel_null: default_null(o.measure),
        analysis_scale: analysis_scale_label(o.measure),
        funnel_note: funnel_note(
            base.k,
            SMALL_STUDY_MIN_K,
            if o.bias {
                "Asymmetry tests are printed with the pooled results."
            } else {
                "Asymmetry tests: run survlit pool with --bias."
            },
        ),
    };
    Ok(draw(&f))
}

/// One forest row per study of the table: its label and n, no year or
/// events (a table of effects has neither).
fn forest_studies(out: &PoolOutcome, subgroups: Option<&[String]>) -> Vec<ForestStudy> {
    out.effects
        .iter()
        .enumerate()
        .map(|(i, e)| ForestStudy {
            label: e.study.clone(),
            year: None,
            n: e.n
                .map_or(String::new(), |n| crate::present::format::num(n, 0)),
            events: String::new(),
            yi: e.effect.yi,
            vi: e.effect.vi,
            subgroup: subgroups.map(|s| s[i].clone()),
            published_ci: None,
        })
        .collect()
}

/// The measure's axis as `survlit pool` labels it: the estimate's name
/// (on the log scale for ratios), bounded as the `pool` kind bounds it
/// (proportions to 0–100, medians to ≥ 0: a median cannot be negative).
fn axis(measure: Measure) -> ForestAxis {
    let name = estimate_name(measure);
    let x_label = if matches!(measure, Measure::HR | Measure::ROM) {
        format!("{name} (log scale)")
    } else {
        name
    };
    forest_axis(measure, x_label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::Scale;
    use crate::stats::effect::proportion::Scale as PScale;

    #[test]
    fn ratios_are_labelled_on_the_log_scale() {
        let a = axis(Measure::ROM);
        assert_eq!(a.x_label, "Ratio of medians (log scale)");
        assert_eq!(a.scale, Scale::Log);
        assert_eq!(a.null, Some(1.0));
    }

    #[test]
    fn bounded_as_the_pool_kind_bounds_them() {
        assert_eq!(
            axis(Measure::Proportion(PScale::PLO)).domain,
            Some((0.0, 100.0))
        );
        // A median cannot be negative (the kind's axis; the CLI's was unbounded).
        assert_eq!(axis(Measure::MED).domain, Some((0.0, f64::INFINITY)));
        assert_eq!(axis(Measure::HR).domain, None);
        assert_eq!(axis(Measure::MED).x_label, "Median (months)");
    }

    #[test]
    fn generic_effects_have_a_null_of_zero() {
        assert_eq!(axis(Measure::GEN).null, Some(0.0));
        assert_eq!(axis(Measure::GEN).scale, Scale::Linear);
    }
}
