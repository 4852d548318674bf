//! Pooling a table of study results: effects ([`crate::workflow::pool::effects`]) → model
//! ([`crate::stats::pool`]) → Q-profile CIs → natural-scale back-transform →
//! optional subgroups and moderators. Shared by `survlit pool` and the `pool`
//! analysis kind; returns result structs, prints nothing.

pub mod design;
pub mod effects;
pub mod from_evidence;
pub mod funnel;

use crate::ingest::RawTable;
use crate::stats::linalg::Matrix;
use crate::stats::pool::bias::{self, BiasTests};
use crate::stats::pool::influence::{influence, Influence};
use crate::stats::pool::predict::Prediction;
use crate::stats::pool::sensitivity::{cumulative, leave_one_out, Refit};
use crate::stats::pool::subgroups::Subgroups;
use crate::stats::pool::{confint, rma, RmaFit, RmaParams};
use crate::stats::StatsError;
use crate::validate::parse_number;

use crate::workflow::pool::effects::{read_effects, Measure, Roles, StudyEffect};

/// Funnel-asymmetry tests have too little power below 10 studies (Sterne et
/// al. 2011, BMJ 343:d4002; Cochrane Handbook §13.3.5.4).
pub const SMALL_STUDY_MIN_K: usize = 10;

/// Fits the model without moderators to studies given as `(label, yi,
/// vi)`: the one call through which a table of per-study effects — a
/// pooled table, the medians kind's figures or contrasts, QE medians —
/// reaches [`rma`].
pub fn fit_studies<L: AsRef<str>>(
    studies: impl IntoIterator<Item = (L, f64, f64)>,
    params: RmaParams,
) -> Result<RmaFit, StatsError> {
    let (mut y, mut v, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    for (label, yi, vi) in studies {
        labels.push(label);
        y.push(yi);
        v.push(vi);
    }
    rma(&y, &v, None, &labels, params).map(without_equal_effects_pi)
}

/// An equal-effects model has no prediction interval (no τ² to predict
/// with; metafor prints none): it is dropped here, so no report, figure or
/// JSON key shows one.
pub fn without_equal_effects_pi(mut fit: RmaFit) -> RmaFit {
    if fit.params.method == crate::stats::pool::Tau2Method::FE {
        fit.pi = None;
    }
    fit
}

/// What to fit.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Measure.
    pub measure: Measure,
    /// Model settings.
    pub params: RmaParams,
    /// Column role overrides.
    pub roles: Roles,
    /// Subgroup column.
    pub by: Option<String>,
    /// Subgroups share one τ² (a meta-regression on the subgroup factor)
    /// rather than each having its own.
    pub common_tau2: bool,
    /// Moderator columns.
    pub mods: Vec<String>,
    /// Refit leaving out each study in turn.
    pub leave_one_out: bool,
    /// Cumulative meta-analysis ordered by this column (numbers ascending, else text).
    pub cumulative_by: Option<String>,
    /// Run the small-study tests (Egger, Begg, trim-and-fill).
    pub bias: bool,
    /// Leave out effects whose SE was back-calculated or approximated.
    pub exclude_derived: bool,
    /// Influence diagnostics for every study.
    pub influence: bool,
}

/// Everything a pooled analysis reports.
#[derive(Debug, Clone)]
pub struct PoolOutcome {
    /// Per-study effects.
    pub effects: Vec<StudyEffect>,
    /// The overall model.
    pub fit: RmaFit,
    /// Q-profile CIs.
    pub ci: Option<confint::HeterogeneityCi>,
    /// Natural-scale estimate, CI, PI.
    pub transformed: Option<[f64; 5]>,
    /// Names of the model coefficients.
    pub coef_names: Vec<String>,
    /// Subgroup estimates and the test for subgroup differences.
    pub subgroups: Option<Subgroups>,
    /// Leave-one-out refits.
    pub leave_one_out: Option<Vec<Refit>>,
    /// Cumulative refits.
    pub cumulative: Option<Vec<Refit>>,
    /// Small-study tests.
    pub bias: Option<BiasTests>,
    /// Influence diagnostics (intercept-only models).
    pub influence: Option<Vec<Influence>>,
    /// Caveats.
    pub warnings: Vec<String>,
}

/// Pools a table; errors are messages naming the study or column.
pub fn pool_table(table: &RawTable, o: &PoolOptions) -> Result<PoolOutcome, Vec<String>> {
    let mut effects = read_effects(table, o.measure, &o.roles)?;
    let mut dropped = Vec::new();
    if o.exclude_derived {
        let (keep, drop): (Vec<_>, Vec<_>) = effects.into_iter().partition(|e| !e.effect.derived);
        effects = keep;
        dropped = drop
            .into_iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    e.study,
                    from_evidence::derived_left_out(&e.effect, "--exclude-derived")
                )
            })
            .collect();
        if effects.is_empty() {
            return Err(vec!["--exclude-derived leaves no studies".into()]);
        }
    }
    let (y, v, labels) = columns(&effects);
    let cell = |e: &StudyEffect, col: &str| cell(table, e, col);
    let (x, coef_names) = if o.mods.is_empty() {
        (None, vec!["intrcpt".to_string()])
    } else {
        design(&effects, &o.mods, &cell)?
    };
    let stats_err = |e: StatsError| vec![e.to_string()];
    let fit = rma(&y, &v, x.as_ref(), &labels, o.params)
        .map(without_equal_effects_pi)
        .map_err(stats_err)?;
    let ci = confint::q_profile(&fit, &y, &v, x.as_ref()).map_err(stats_err)?;
    let hm = harmonic_n(&effects);
    let back = |b: f64| natural(o.measure, b, hm);
    let transformed = (fit.p == 1)
        .then(|| {
            ordered5(
                back(fit.beta[0]),
                back(fit.ci_lb[0]),
                back(fit.ci_ub[0]),
                fit.pi.map(|p| (back(p.0), back(p.1))),
            )
        })
        .flatten();
    let mut warnings: Vec<String> = effects
        .iter()
        .flat_map(|e| {
            e.effect
                .flags
                .iter()
                .map(move |f| format!("{}: {f}", e.study))
        })
        .collect();
    warnings.extend(fit.warnings.iter().cloned());
    warnings.extend(dropped);
    let subgroups = match &o.by {
        None => None,
        Some(col) => Some(subgroups(&effects, col, o, &cell, hm)?),
    };
    let loo = if o.leave_one_out {
        Some(leave_one_out(&y, &v, &labels, o.params).map_err(stats_err)?)
    } else {
        None
    };
    let cumul = match &o.cumulative_by {
        None => None,
        Some(col) => {
            let keys: Vec<String> = effects.iter().map(|e| cell(e, col)).collect();
            let mut order: Vec<usize> = (0..effects.len()).collect();
            let nums: Option<Vec<f64>> = keys.iter().map(|k| parse_number(k).ok()).collect();
            match nums {
                Some(n) => order.sort_by(|&a, &b| n[a].total_cmp(&n[b])),
                None => order.sort_by(|&a, &b| keys[a].cmp(&keys[b])),
            }
            Some(cumulative(&y, &v, &labels, &order, o.params).map_err(stats_err)?)
        }
    };
    let bias = o.bias.then(|| bias::all(&y, &v, o.params));
    let infl = if o.influence && fit.p == 1 {
        Some(influence(&fit, &y, &v).map_err(stats_err)?)
    } else {
        None
    };
    if o.influence && fit.p > 1 {
        warnings
            .push("influence diagnostics are computed for models without moderators only".into());
    }
    Ok(PoolOutcome {
        effects,
        fit,
        ci,
        transformed,
        coef_names,
        subgroups,
        leave_one_out: loo,
        cumulative: cumul,
        bias,
        influence: infl,
        warnings,
    })
}

/// The models the figures of `survlit pool --plots` draw beyond the outcome.
pub struct FigureModels {
    /// The model without moderators: the outcome's own, or refitted
    /// without the moderators when it has them.
    pub base: RmaFit,
    /// Each study's subgroup (with `--by`).
    pub subgroups: Option<Vec<String>>,
    /// With exactly one moderator, numeric in every row: its values and the
    /// fitted line of the meta-regression.
    pub regression: Option<(Vec<f64>, Vec<(f64, Prediction)>)>,
}

/// The models of a pooled table's figures ([`FigureModels`]).
pub fn figure_models(
    table: &RawTable,
    o: &PoolOptions,
    out: &PoolOutcome,
) -> Result<FigureModels, Vec<String>> {
    let base = if out.fit.p == 1 {
        out.fit.clone()
    } else {
        fit_studies(
            out.effects
                .iter()
                .map(|e| (e.study.as_str(), e.effect.yi, e.effect.vi)),
            o.params,
        )
        .map_err(|e| vec![e.to_string()])?
    };
    let subgroups = o.by.as_ref().map(|c| {
        out.effects
            .iter()
            .map(|e| cell(table, e, c))
            .collect::<Vec<_>>()
    });
    let moderator: Option<Vec<f64>> = match o.mods.as_slice() {
        [m] => out
            .effects
            .iter()
            .map(|e| parse_number(&cell(table, e, m)).ok())
            .collect(),
        _ => None,
    };
    let regression = moderator.map(|x| {
        let line = design::regression_line(&out.fit, &x);
        (x, line)
    });
    Ok(FigureModels {
        base,
        subgroups,
        regression,
    })
}

/// The text of a study's row in column `col` (empty when the column or
/// cell is missing).
pub(crate) fn cell(table: &RawTable, e: &StudyEffect, col: &str) -> String {
    table
        .column(&col.to_ascii_lowercase())
        .and_then(|c| table.rows.get(e.row).and_then(|r| table.cells(r).get(c)))
        .map(str::to_string)
        .unwrap_or_default()
}

/// The studies' yi, vi and labels.
pub(crate) fn columns(effects: &[StudyEffect]) -> (Vec<f64>, Vec<f64>, Vec<&str>) {
    (
        effects.iter().map(|e| e.effect.yi).collect(),
        effects.iter().map(|e| e.effect.vi).collect(),
        effects.iter().map(|e| e.study.as_str()).collect(),
    )
}

/// Subgroups by the `col` column (see [`crate::stats::pool::subgroups`]),
/// with natural-scale estimates added.
fn subgroups(
    effects: &[StudyEffect],
    col: &str,
    o: &PoolOptions,
    cell: &dyn Fn(&StudyEffect, &str) -> String,
    hm: f64,
) -> Result<Subgroups, Vec<String>> {
    let mut keys = Vec::with_capacity(effects.len());
    for e in effects {
        let g = cell(e, col);
        if g.is_empty() {
            return Err(vec![format!(
                "study '{}': subgroup column '{col}' is empty",
                e.study
            )]);
        }
        keys.push(g);
    }
    let (names, level) = design::subgroup_levels(&keys);
    let (y, v, labels) = columns(effects);
    let mut sg =
        crate::stats::pool::subgroups::fit(&y, &v, &labels, &level, names, o.params, o.common_tau2)
            .map_err(|e| vec![e.to_string()])?;
    let back = |b: f64| natural(o.measure, b, hm);
    for f in &mut sg.groups {
        f.transformed = back(f.estimate).map(|e| {
            let (a, b) = (
                back(f.ci_lb).unwrap_or(f64::NAN),
                back(f.ci_ub).unwrap_or(f64::NAN),
            );
            [e, a.min(b), a.max(b)]
        });
    }
    Ok(sg)
}

/// Model matrix with an intercept from the moderator columns
/// ([`super::design::model_matrix`]: numeric as they are, others dummy-coded
/// against the first sorted level, R's default coding).
fn design(
    effects: &[StudyEffect],
    mods: &[String],
    cell: &dyn Fn(&StudyEffect, &str) -> String,
) -> Result<(Option<Matrix>, Vec<String>), Vec<String>> {
    let mut columns = Vec::with_capacity(mods.len());
    for m in mods {
        let raw: Vec<String> = effects.iter().map(|e| cell(e, m)).collect();
        if let Some(i) = raw.iter().position(String::is_empty) {
            return Err(vec![format!(
                "study '{}': moderator '{m}' is empty",
                effects[i].study
            )]);
        }
        columns.push((m.clone(), raw));
    }
    let (x, names) = super::design::model_matrix(&columns, true);
    Ok((Some(x), names))
}

/// Harmonic mean of the studies' n (for the PFT back-transform).
pub(crate) fn harmonic_n(effects: &[StudyEffect]) -> f64 {
    crate::stats::effect::harmonic_mean(&effects.iter().filter_map(|e| e.n).collect::<Vec<_>>())
}

/// The natural scale of a measure: HR and ROM exponentiate, proportions back-transform.
pub fn natural(measure: Measure, y: f64, harmonic_n: f64) -> Option<f64> {
    match measure {
        Measure::GEN => None,
        Measure::HR | Measure::ROM => Some(y.exp()),
        Measure::Proportion(s) => Some(s.back(y, harmonic_n)),
        Measure::MED | Measure::DOM => Some(y),
    }
}

/// (estimate, ci_lb, ci_ub, pi_lb, pi_ub) with bounds ordered (cloglog is decreasing).
fn ordered5(
    e: Option<f64>,
    a: Option<f64>,
    b: Option<f64>,
    pi: Option<(Option<f64>, Option<f64>)>,
) -> Option<[f64; 5]> {
    let (e, a, b) = (e?, a?, b?);
    let (c, d) = pi.map_or((f64::NAN, f64::NAN), |(c, d)| {
        (c.unwrap_or(f64::NAN), d.unwrap_or(f64::NAN))
    });
    Some([e, a.min(b), a.max(b), c.min(d), c.max(d)])
}
