//! Evidence-table figures → effect sizes for pooling: the best route each
//! figure's reported numbers allow, or the reason it cannot enter.

use crate::domain::{Figure, PRelation, Statistic, ValueStatus};
use crate::stats::effect::{hr, median, proportion, Effect};
use crate::stats::pool::bias::{self, BiasTests};
use crate::stats::pool::confint::{self, HeterogeneityCi};
use crate::stats::pool::sensitivity::{leave_one_out, Refit};
use crate::stats::pool::{rma, RmaFit, RmaParams};
use crate::stats::StatsError;

use super::effects::Measure;

/// A figure that entered, with its effect.
#[derive(Debug, Clone)]
pub struct Entered<'a> {
    /// The figure.
    pub figure: &'a Figure,
    /// Its effect.
    pub effect: Effect,
}

/// Splits figures into those with an effect and those excluded (with the
/// reason); `exclude_derived` also leaves out effects whose SE was
/// back-calculated or approximated (the "drop derived values" sensitivity analysis).
pub fn effects<'a>(
    figures: &[&'a Figure],
    measure: Measure,
    exclude_derived: bool,
) -> (Vec<Entered<'a>>, Vec<(&'a Figure, String)>) {
    let mut entered = Vec::new();
    let mut excluded = Vec::new();
    for &f in figures {
        match effect(f, measure) {
            Ok(effect) if exclude_derived && effect.derived => {
                excluded.push((f, derived_left_out(&effect, "exclude_derived")))
            }
            Ok(effect) => entered.push(Entered { figure: f, effect }),
            Err(reason) => excluded.push((f, reason)),
        }
    }
    (entered, excluded)
}

/// Why an effect whose SE was back-calculated or approximated was left out,
/// naming the `option` that asked for it (shared with `survlit pool
/// --exclude-derived`).
pub(crate) fn derived_left_out(effect: &Effect, option: &str) -> String {
    format!("derived value left out by {option} ({})", effect.derivation)
}

/// The entered effects as the models take them: yi, vi and the study ids.
pub(crate) fn columns(entered: &[Entered<'_>]) -> (Vec<f64>, Vec<f64>, Vec<String>) {
    (
        entered.iter().map(|e| e.effect.yi).collect(),
        entered.iter().map(|e| e.effect.vi).collect(),
        entered.iter().map(|e| e.figure.study_id.clone()).collect(),
    )
}

/// Harmonic mean of the entered figures' n (for the PFT back-transform).
pub(crate) fn harmonic_n(entered: &[Entered<'_>]) -> f64 {
    let ns: Vec<f64> = entered
        .iter()
        .filter_map(|e| e.figure.n.map(|n| n as f64))
        .collect();
    crate::stats::effect::harmonic_mean(&ns)
}

/// The overall model of the entered effects and the Q-profile CI of its τ².
pub(crate) struct Overall {
    /// The model without moderators; none below two studies.
    pub fit: Option<RmaFit>,
    /// The Q-profile CIs of τ² and the other heterogeneity measures.
    pub ci: Option<HeterogeneityCi>,
}

impl Overall {
    /// Each entered effect's weight in the model (%), none when nothing was pooled.
    pub fn weights(&self, k: usize) -> Vec<Option<f64>> {
        self.fit.as_ref().map_or(vec![None; k], |f| {
            f.weights.iter().map(|w| Some(*w)).collect()
        })
    }
}

/// Fits the overall model when at least two effects entered (one study is
/// not a meta-analysis), with the Q-profile CI of τ².
pub(crate) fn fit_overall(
    y: &[f64],
    v: &[f64],
    labels: &[String],
    params: RmaParams,
) -> Result<Overall, StatsError> {
    if y.len() < 2 {
        return Ok(Overall {
            fit: None,
            ci: None,
        });
    }
    let fit = super::without_equal_effects_pi(rma(y, v, None, labels, params)?);
    let ci = confint::q_profile(&fit, y, v, None)?;
    Ok(Overall { fit: Some(fit), ci })
}

/// The sensitivity models of a pooled analysis.
pub(crate) struct SensitivityFits {
    /// Leave-one-out refits (refit i leaves out study i); none below 3 studies.
    pub refits: Option<Vec<Refit>>,
    /// The small-study tests; none below `min_k_bias` studies.
    pub bias: Option<BiasTests>,
}

/// Leave-one-out refits (k ≥ 3: fewer leaves nothing to pool) and the
/// small-study tests (k ≥ `min_k_bias`: fewer gives them no useful power).
pub(crate) fn sensitivity_fits(
    y: &[f64],
    v: &[f64],
    ids: &[String],
    params: RmaParams,
    min_k_bias: usize,
) -> Result<SensitivityFits, StatsError> {
    let k = y.len();
    let refits = if k >= 3 {
        Some(leave_one_out(y, v, ids, params)?)
    } else {
        None
    };
    let bias = (k >= min_k_bias).then(|| bias::all(y, v, params));
    Ok(SensitivityFits { refits, bias })
}

fn effect(f: &Figure, measure: Measure) -> Result<Effect, String> {
    if f.value_status != ValueStatus::Reported {
        return Err(format!(
            "value {}",
            f.value_status.to_string().replace('_', " ")
        ));
    }
    let v = f.value.ok_or("no value")?;
    let ci = f.ci.and_then(|c| {
        Some((
            c.bounds.lower?,
            c.bounds.upper?,
            c.level,
            c.bounds.printed_decimals,
        ))
    });
    match measure {
        Measure::HR => {
            if !f.statistic.is_ratio() {
                return Err(format!("statistic {} is not a hazard ratio", f.statistic));
            }
            if let Some((l, u, level, dec)) = ci {
                let d = f
                    .reported_value
                    .as_deref()
                    .and_then(|t| t.split_once('.'))
                    .map_or(0, |(_, d)| d.len() as u32);
                return hr::from_ci(hr::PrintedCi {
                    estimate: v,
                    lower: l,
                    upper: u,
                    level,
                    decimals: Some([d, u32::from(dec[0]), u32::from(dec[1])]),
                })
                .map_err(|e| e.to_string());
            }
            match f.p_value {
                Some(p) if p.relation == PRelation::Equal => {
                    hr::from_p(v, p.value, hr::Sides::Two).map_err(|e| e.to_string())
                }
                Some(p) => Err(format!(
                    "only a CI or an exact p-value gives an SE; p is reported as {p}"
                )),
                None => Err("no CI and no p-value".into()),
            }
        }
        Measure::Proportion(scale) => {
            if !f.statistic.is_proportion() {
                return Err(format!("statistic {} is not a proportion", f.statistic));
            }
            if let Some((l, u, level, _)) = ci {
                return proportion::from_ci(v, l, u, level, scale).map_err(|e| e.to_string());
            }
            let n = f.n.ok_or("no n and no CI")? as f64;
            let mut e = proportion::from_counts(v * n, n, scale).map_err(|e| e.to_string())?;
            if f.statistic == Statistic::ProportionAtT {
                e.derived = true;
                e.flags.push(format!("approximate: {:.1} of {n} taken as events from the reported proportion ({}; censoring ignored)", v * n, f.derivation.as_deref().unwrap_or("time-to-event")));
            }
            Ok(e)
        }
        Measure::MED => {
            if f.statistic != Statistic::Median {
                return Err(format!("statistic {} is not a median", f.statistic));
            }
            let c = f.ci.ok_or("median without a CI has no Wald SE")?;
            median::med(median::ReportedMedian {
                median: Some(v),
                lower: c.bounds.lower,
                upper: c.bounds.upper,
                level: c.level,
            })
            .map_err(|e| e.to_string())
        }
        Measure::GEN | Measure::DOM | Measure::ROM => Err(format!(
            "measure {measure} needs a table of effects (survlit pool), not evidence-table figures"
        )),
    }
}

/// Figures of different studies that declare the same cohort are not independent.
pub(crate) fn shared_cohorts(entered: &[Entered<'_>]) -> Vec<String> {
    crate::domain::shared_cohorts(entered.iter().map(|e| e.figure))
        .into_iter()
        .map(|(c, idx)| {
            let mut ids: Vec<&str> = Vec::new();
            for &i in &idx {
                let id = entered[i].figure.study_id.as_str();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            format!(
                "{} report the same cohort ('{c}'): the same patients are counted more than once; exclude all but one (overlap = \"exclude\")",
                ids.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::effect::proportion::Scale;
    use crate::stats::pool::{Tau2Method, TestKind};

    /// Local control of 0.8 at 12 months in 50 patients, with no CI: its
    /// SE comes from counts taken from the proportion (derived).
    fn proportion_without_ci(study: &str) -> Figure {
        let mut f = Figure::example(study, 0.8, 50);
        f.statistic = Statistic::ProportionAtT;
        f.time_point = Some(12.0);
        f
    }

    const PLO: Measure = Measure::Proportion(Scale::PLO);

    #[test]
    fn exclude_derived_leaves_out_counts_taken_from_a_proportion() {
        let f = proportion_without_ci("a");
        let (entered, excluded) = effects(&[&f], PLO, false);
        assert_eq!((entered.len(), excluded.len()), (1, 0));
        assert!(entered[0].effect.derived);
        assert!(entered[0].effect.flags[0].starts_with("approximate: 40.0 of 50"));
        let (entered, excluded) = effects(&[&f], PLO, true);
        assert!(entered.is_empty());
        assert!(excluded[0]
            .1
            .starts_with("derived value left out by exclude_derived ("));
    }

    #[test]
    fn a_figure_of_another_statistic_is_excluded_with_the_reason() {
        let median = Figure::example("a", 20.0, 50);
        let (_, excluded) = effects(&[&median], Measure::HR, false);
        assert_eq!(excluded[0].1, "statistic median is not a hazard ratio");
        let (_, excluded) = effects(&[&median], Measure::MED, false);
        assert_eq!(excluded[0].1, "median without a CI has no Wald SE");
        let mut missing = Figure::example("a", 20.0, 50);
        missing.value = None;
        let (_, excluded) = effects(&[&missing], Measure::MED, false);
        assert_eq!(excluded[0].1, "no value");
    }

    #[test]
    fn one_study_is_not_pooled_and_small_samples_skip_the_sensitivity_fits() {
        let params = RmaParams {
            method: Tau2Method::REML,
            test: TestKind::Z,
            level: 0.95,
        };
        let one = fit_overall(&[0.1], &[0.01], &["a".into()], params).unwrap();
        assert!(one.fit.is_none() && one.ci.is_none());
        assert_eq!(one.weights(1), [None]);
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let (y, v) = ([0.1, 0.3, 0.2], [0.01, 0.02, 0.015]);
        let s = sensitivity_fits(&y[..2], &v[..2], &ids[..2], params, 10).unwrap();
        assert!(s.refits.is_none() && s.bias.is_none());
        let s = sensitivity_fits(&y, &v, &ids, params, 3).unwrap();
        assert_eq!(s.refits.map(|r| r.len()), Some(3));
        assert!(s.bias.is_some());
    }

    #[test]
    fn the_harmonic_n_ignores_figures_without_n() {
        let a = Figure::example("a", 1.0, 10);
        let mut b = Figure::example("b", 1.0, 30);
        let c = Figure::example("c", 1.0, 15);
        b.n = None;
        let e = |f| Entered {
            figure: f,
            effect: Effect {
                yi: 0.0,
                vi: 1.0,
                derivation: String::new(),
                flags: Vec::new(),
                derived: false,
            },
        };
        assert!((harmonic_n(&[e(&a), e(&b), e(&c)]) - 12.0).abs() < 1e-12);
    }
}
