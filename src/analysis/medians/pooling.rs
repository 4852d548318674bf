//! The pooled estimate of a `medians` analysis — inverse-variance (`wald`,
//! `mean`) through `stats::pool::rma`, or the (weighted) median of medians
//! (`mm`, `wmm`) through `stats::medians::pool_med` — or why nothing is
//! pooled.

use super::tables::{inverse_variance_table, median_of_medians_table};
use super::{key, method_name, Method, Outcome, Pooled, Row};
use crate::analysis::AnalysisError;
use crate::project::AnalysisSpec;
use crate::stats::medians::pool_med::pool_med;
use crate::stats::pool::{RmaParams, Tau2Method, TestKind};
use crate::workflow::medians::routes::Route;
use crate::workflow::pool::fit_studies;

/// The τ² estimator and test of an inverse-variance pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Model {
    /// τ² estimator.
    pub(crate) tau2: Tau2Method,
    /// Inference.
    pub(crate) test: TestKind,
}

/// Pools the rows without a status by `method` and gives each its weight
/// in percent — unless figures of a shared cohort would enter together
/// (`blocked`) or fewer than two figures are left.
pub(crate) fn pool(
    spec: &AnalysisSpec,
    rows: &mut [Row<'_>],
    method: Method,
    model: Model,
    blocked: &[String],
    unit: &str,
) -> Result<Outcome, AnalysisError> {
    let used: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].status.is_none())
        .collect();
    if let Some(why) = not_pooled(blocked, used.len(), rows.len(), method) {
        return Ok(Outcome::NotPooled(why));
    }
    let pooled = match method {
        Method::Wald | Method::Mean => inverse_variance(spec, rows, &used, method, model, unit)?,
        Method::Mm | Method::Wmm => median_of_medians(spec, rows, &used, method, unit)?,
    };
    Ok(Outcome::Pooled(pooled))
}

/// Why nothing is pooled, when nothing is: figures of one cohort would
/// enter together, or fewer than two of the `total` figures can enter.
pub(crate) fn not_pooled(
    blocked: &[String],
    entering: usize,
    total: usize,
    method: Method,
) -> Option<String> {
    if !blocked.is_empty() {
        Some(format!("Not pooled: {}.", blocked.join("; ")))
    } else if entering < 2 {
        Some(format!(
            "Not pooled: only {entering} of the {total} figures can enter a pool by {} (k < 2); each figure's status says why.",
            method_name(method)
        ))
    } else {
        None
    }
}

/// Inverse-variance random-effects pool of the rows `used` (each has an SE).
fn inverse_variance(
    spec: &AnalysisSpec,
    rows: &mut [Row<'_>],
    used: &[usize],
    method: Method,
    model: Model,
    unit: &str,
) -> Result<Pooled, AnalysisError> {
    let params = RmaParams {
        method: model.tau2,
        test: model.test,
        level: 0.95,
    };
    let studies = used.iter().map(|&i| match &rows[i].route {
        Route::Se(e, _) => (key(rows[i].figure), e.yi, e.vi),
        _ => unreachable!("wald pools only figures with an SE"),
    });
    let fit = fit_studies(studies, params).map_err(AnalysisError::stats(spec))?;
    for (j, &i) in used.iter().enumerate() {
        rows[i].weight = Some(fit.weights[j]);
    }
    Ok(Pooled {
        k: used.len(),
        estimate: fit.beta[0],
        lower: fit.ci_lb[0],
        upper: fit.ci_ub[0],
        footnote: crate::present::pool_models::model_line(&fit),
        table: inverse_variance_table(method, model.tau2, model.test, &fit, unit),
    })
}

/// The (weighted) median of the reported values of the rows `used`, with
/// a CI from inverting the sign test.
fn median_of_medians(
    spec: &AnalysisSpec,
    rows: &mut [Row<'_>],
    used: &[usize],
    method: Method,
    unit: &str,
) -> Result<Pooled, AnalysisError> {
    let y: Vec<f64> = used
        .iter()
        .map(|&i| rows[i].figure.value.unwrap_or(f64::NAN))
        .collect();
    let n: Vec<f64> = used
        .iter()
        .map(|&i| rows[i].figure.n.map_or(f64::NAN, |n| n as f64))
        .collect();
    let p = pool_med(&y, (method == Method::Wmm).then_some(&n[..]))
        .map_err(AnalysisError::stats(spec))?;
    for (&i, w) in used.iter().zip(median_weights(method, &n)) {
        rows[i].weight = Some(w);
    }
    Ok(Pooled {
        k: used.len(),
        estimate: p.estimate,
        lower: p.ci_lb,
        upper: p.ci_ub,
        footnote: "95% CI by inverting the sign test (normal approximation)".into(),
        table: median_of_medians_table(method, &p, unit),
    })
}

/// Each pooled figure's weight in percent: its share of the patients for
/// the weighted median of medians, an equal share otherwise.
pub(crate) fn median_weights(method: Method, n: &[f64]) -> Vec<f64> {
    let total: f64 = n.iter().sum();
    n.iter()
        .map(|&ni| {
            if method == Method::Wmm {
                100.0 * ni / total
            } else {
                100.0 / n.len() as f64
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::{median, median_with_ci, spec};
    use crate::analysis::medians::options::Options;
    use crate::analysis::medians::rows::rows;
    use crate::domain::Figure;

    const REML_Z: Model = Model {
        tau2: Tau2Method::REML,
        test: TestKind::Z,
    };

    #[test]
    fn a_shared_cohort_blocks_the_pool_before_the_count_is_looked_at() {
        let why = not_pooled(&["a and b share cohort 'x'".into()], 5, 5, Method::Wald);
        assert_eq!(
            why.as_deref(),
            Some("Not pooled: a and b share cohort 'x'.")
        );
    }

    #[test]
    fn fewer_than_two_entering_figures_are_not_pooled_and_the_method_is_named() {
        let why = not_pooled(&[], 1, 3, Method::Wmm).unwrap();
        assert!(
            why.starts_with("Not pooled: only 1 of the 3 figures can enter a pool by weighted median of medians (k < 2)"),
            "{why}"
        );
        assert_eq!(not_pooled(&[], 2, 3, Method::Wmm), None);
    }

    #[test]
    fn weights_follow_n_only_for_the_weighted_median_of_medians() {
        assert_eq!(median_weights(Method::Wmm, &[30.0, 10.0]), [75.0, 25.0]);
        assert_eq!(median_weights(Method::Mm, &[30.0, 10.0]), [50.0, 50.0]);
    }

    #[test]
    fn only_rows_without_a_status_are_pooled_and_weighted() {
        let figures = [
            median_with_ci("a", "all", 20.0, 30),
            median_with_ci("b", "all", 30.0, 40),
            Figure {
                n: Some(9),
                ..median("c", "all", 46.0)
            },
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let o: Options = spec("{}").options().unwrap();
        let mut r = rows(&refs, &o);
        let out = pool(&spec("{}"), &mut r, Method::Wald, REML_Z, &[], "months").unwrap();
        let p = out.pooled().expect("two figures with an SE pool");
        assert_eq!(p.k, 2);
        assert!(r[0].weight.is_some() && r[1].weight.is_some());
        assert_eq!(r[2].weight, None);
        let blocked = ["x".to_string()];
        let mut r = rows(&refs, &o);
        let out = pool(
            &spec("{}"),
            &mut r,
            Method::Wald,
            REML_Z,
            &blocked,
            "months",
        )
        .unwrap();
        assert!(out.pooled().is_none());
        assert!(r.iter().all(|r| r.weight.is_none()));
    }
}
