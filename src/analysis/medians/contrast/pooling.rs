//! The random-effects pool of the studies' contrasts (inverse variance,
//! through `stats::pool::rma`), when at least two studies give one.

use super::{ContrastSpec, Pair, PooledContrast};
use crate::analysis::AnalysisError;
use crate::project::AnalysisSpec;
use crate::stats::pool::RmaParams;
use crate::workflow::pool::fit_studies;

/// Pools the pairs with an effect and gives each its weight in percent;
/// None when fewer than two have one.
pub(crate) fn pool(
    spec: &AnalysisSpec,
    pairs: &mut [Pair<'_>],
    c: &ContrastSpec<'_>,
) -> Result<Option<PooledContrast>, AnalysisError> {
    let used: Vec<usize> = (0..pairs.len())
        .filter(|&i| pairs[i].effect.is_some())
        .collect();
    if used.len() < 2 {
        return Ok(None);
    }
    let params = RmaParams {
        method: c.tau2,
        test: c.test,
        level: 0.95,
    };
    let studies = used.iter().map(|&i| {
        let (yi, vi) = pairs[i]
            .effect
            .as_ref()
            .map_or((f64::NAN, f64::NAN), |e| (e.yi, e.vi));
        (pairs[i].study_id, yi, vi)
    });
    let fit = fit_studies(studies, params).map_err(AnalysisError::stats(spec))?;
    for (j, &i) in used.iter().enumerate() {
        pairs[i].weight = Some(fit.weights[j]);
    }
    let shown = |y: f64| c.contrast.display(y);
    Ok(Some(PooledContrast {
        shown: (shown(fit.beta[0]), shown(fit.ci_lb[0]), shown(fit.ci_ub[0])),
        model_line: crate::present::pool_models::model_line(&fit),
        fit,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::contrast::pairs::{group_by_study, pair_up};
    use crate::analysis::medians::contrast::Contrast;
    use crate::analysis::medians::fixtures::{median_with_ci, spec};
    use crate::domain::Figure;
    use crate::stats::pool::{Tau2Method, TestKind};
    use std::collections::BTreeMap;

    #[test]
    fn studies_with_an_effect_are_pooled_and_weighted_only_from_two_on() {
        let exclude = BTreeMap::new();
        let c = ContrastSpec {
            groups: ["experimental", "control"],
            contrast: Contrast::Difference,
            tau2: Tau2Method::REML,
            test: TestKind::Z,
            exclude: &exclude,
            note: None,
        };
        let figures = [
            median_with_ci("a", "experimental", 14.0, 50),
            median_with_ci("a", "control", 10.0, 50),
            median_with_ci("b", "experimental", 20.0, 60),
            median_with_ci("b", "control", 15.0, 60),
            median_with_ci("c", "experimental", 20.0, 60),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let mut pairs = pair_up(&group_by_study(&refs, c.groups), &c);
        let pooled = pool(&spec("{}"), &mut pairs, &c).unwrap().unwrap();
        assert_eq!(pooled.fit.k, 2);
        let w: Vec<Option<f64>> = pairs.iter().map(|p| p.weight).collect();
        assert!(w[0].is_some() && w[1].is_some() && w[2].is_none(), "{w:?}");
        let mut one = pair_up(&group_by_study(&refs[..2], c.groups), &c);
        assert!(pool(&spec("{}"), &mut one, &c).unwrap().is_none());
        assert_eq!(one[0].weight, None);
    }
}
