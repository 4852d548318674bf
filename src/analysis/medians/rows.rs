//! Which figures a `medians` analysis reads, the route each one's numbers
//! allow, and why a figure does not enter the pool.

use std::collections::BTreeMap;

use super::options::Options;
use super::{key, Method, Row};
use crate::analysis::AnalysisError;
use crate::domain::{Figure, Statistic};
use crate::project::AnalysisSpec;
use crate::workflow::medians::routes::{route, route_mean, Route};

/// The selected figures the method reads: medians, and means too when
/// means are pooled.
pub(crate) fn read_figures(selected: Vec<&Figure>, method: Method) -> Vec<&Figure> {
    selected
        .into_iter()
        .filter(|f| {
            f.statistic == Statistic::Median
                || (method == Method::Mean && f.statistic == Statistic::Mean)
        })
        .collect()
}

/// Every key of `options.exclude` names a figure read, as `study_id/group`;
/// the error lists the keys that would.
pub(crate) fn check_exclusions(
    spec: &AnalysisSpec,
    figures: &[&Figure],
    exclude: &BTreeMap<String, String>,
) -> Result<(), AnalysisError> {
    let keys: Vec<String> = figures.iter().map(|f| key(f)).collect();
    match exclude.keys().find(|k| !keys.contains(k)) {
        None => Ok(()),
        Some(k) => Err(spec
            .error(
                format!("options.exclude: '{k}' is not among the selected medians"),
                format!(
                    "name a selected figure as study_id/group: {}",
                    keys.join(", ")
                ),
            )
            .into()),
    }
}

/// Each figure with the route its numbers allow under the options' method
/// and, when it is not pooled, why.
pub(crate) fn rows<'a>(figures: &[&'a Figure], o: &Options) -> Vec<Row<'a>> {
    let method = o.method();
    figures
        .iter()
        .map(|&f| {
            let route = if method == Method::Mean {
                route_mean(f, o.conversion(), o.skewed())
            } else {
                route(f)
            };
            let left_out = o.exclude.get(&key(f)).map(String::as_str);
            let status = why_not_pooled(&route, method, left_out, o.exclude_derived);
            Row {
                figure: f,
                route,
                status,
                weight: None,
            }
        })
        .collect()
}

/// Why a figure with this route stays out of a pool by `method` (None: it
/// enters). The analysis' own exclusion comes first, then a value that is
/// no number, then a derived value under `exclude_derived`; a figure with
/// an SE enters any method, one with n only the median-of-medians methods,
/// one with a value only the unweighted median of medians.
pub(crate) fn why_not_pooled(
    route: &Route,
    method: Method,
    left_out: Option<&str>,
    exclude_derived: bool,
) -> Option<String> {
    if let Some(why) = left_out {
        return Some(format!("left out by the analysis: {why}"));
    }
    match (route, method) {
        (Route::NoValue(s), _) => Some(format!("{s}: cannot be pooled as a number")),
        (Route::Se(e, _), _) if exclude_derived && e.derived => {
            Some("converted or model-based value left out by exclude_derived".into())
        }
        (Route::Se(..), _) => None,
        (Route::Listed(s), _) => Some(s.clone()),
        (_, Method::Mean) => Some("no mean and SD".into()),
        (Route::NOnly, Method::Mm | Method::Wmm) => None,
        (Route::ValueOnly, Method::Mm) => None,
        (Route::NOnly, Method::Wald) => {
            Some("no CI and no events: no SE for inverse-variance pooling".into())
        }
        (Route::ValueOnly, Method::Wald) => Some("no CI, events or n: no SE".into()),
        (Route::ValueOnly, Method::Wmm) => Some("no n to weight by".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::{median, median_with_ci, spec};
    use crate::domain::{Figure, ValueStatus};

    fn options(text: &str) -> Options {
        spec(text).options().unwrap()
    }

    /// The route label and status of one figure under these options.
    fn decided(f: &Figure, o: &str) -> (String, Option<String>) {
        let o = options(o);
        let r = rows(&[f], &o).remove(0);
        (r.route.label(), r.status)
    }

    #[test]
    fn a_median_with_a_ci_takes_the_wald_route_and_enters() {
        let (route, status) = decided(&median_with_ci("a", "all", 46.0, 67), "{}");
        assert!(route.starts_with("a: CI → Wald SE"), "{route}");
        assert_eq!(status, None);
    }

    #[test]
    fn a_median_with_events_only_takes_the_model_based_route_and_enters() {
        let f = Figure {
            events: Some(25),
            n: Some(40),
            ..median("b", "all", 20.0)
        };
        let (route, status) = decided(&f, "{}");
        assert!(route.starts_with("b: events, no CI"), "{route}");
        assert_eq!(status, None);
        // The sensitivity analysis leaves the model-based SE out.
        let (_, status) = decided(&f, "{ exclude_derived = true }");
        assert_eq!(
            status.as_deref(),
            Some("converted or model-based value left out by exclude_derived")
        );
    }

    #[test]
    fn a_median_with_n_only_enters_the_medians_of_medians_but_not_wald() {
        let f = Figure {
            n: Some(9),
            ..median("c", "all", 46.0)
        };
        let (route, status) = decided(&f, "{}");
        assert!(route.starts_with("c: median and n only"), "{route}");
        assert_eq!(
            status.as_deref(),
            Some("no CI and no events: no SE for inverse-variance pooling")
        );
        assert_eq!(decided(&f, "{ method = \"mm\" }").1, None);
        assert_eq!(decided(&f, "{ method = \"wmm\" }").1, None);
    }

    #[test]
    fn a_median_without_n_enters_only_the_unweighted_median_of_medians() {
        let f = median("v", "all", 33.0);
        assert_eq!(decided(&f, "{ method = \"mm\" }").1, None);
        assert_eq!(
            decided(&f, "{ method = \"wmm\" }").1.as_deref(),
            Some("no n to weight by")
        );
        assert_eq!(
            decided(&f, "{}").1.as_deref(),
            Some("no CI, events or n: no SE")
        );
    }

    #[test]
    fn a_median_not_reached_is_never_a_number() {
        let f = Figure {
            value_status: ValueStatus::NotReached,
            value: None,
            n: Some(39),
            ..median("d", "all", 0.0)
        };
        for o in ["{}", "{ method = \"mm\" }", "{ method = \"mean\" }"] {
            let (route, status) = decided(&f, o);
            assert_eq!(route, "d: not reached: not a number, never pooled", "{o}");
            assert_eq!(
                status.as_deref(),
                Some("not reached: cannot be pooled as a number"),
                "{o}"
            );
        }
    }

    #[test]
    fn an_exclusion_keeps_its_reason_before_any_other() {
        let f = median_with_ci("a", "spine", 46.0, 67);
        let (_, status) = decided(&f, "{ exclude = { \"a/spine\" = \"same cases as b\" } }");
        assert_eq!(
            status.as_deref(),
            Some("left out by the analysis: same cases as b")
        );
    }

    #[test]
    fn an_exclusion_must_name_a_figure_read() {
        let f = median_with_ci("a", "all", 46.0, 67);
        let s = spec("{}");
        let exclude = BTreeMap::from([("b/all".to_string(), "x".to_string())]);
        let err = check_exclusions(&s, &[&f], &exclude)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("'b/all' is not among the selected medians") && err.contains(": a/all"),
            "{err}"
        );
        let exclude = BTreeMap::from([("a/all".to_string(), "x".to_string())]);
        assert!(check_exclusions(&s, &[&f], &exclude).is_ok());
    }

    #[test]
    fn means_are_read_only_when_means_are_pooled() {
        let mean = Figure {
            statistic: Statistic::Mean,
            ..median("m", "all", 30.0)
        };
        let med = median("n", "all", 30.0);
        assert_eq!(read_figures(vec![&mean, &med], Method::Wald).len(), 1);
        assert_eq!(read_figures(vec![&mean, &med], Method::Mm).len(), 1);
        assert_eq!(read_figures(vec![&mean, &med], Method::Mean).len(), 2);
    }

    #[test]
    fn under_the_mean_method_a_figure_without_a_spread_is_listed() {
        let f = Figure {
            n: Some(9),
            ..median("c", "all", 46.0)
        };
        let (_, status) = decided(&f, "{ method = \"mean\" }");
        assert!(
            status
                .as_deref()
                .is_some_and(|s| s.starts_with("median cannot be converted")),
            "{status:?}"
        );
        assert_eq!(
            why_not_pooled(&Route::NOnly, Method::Mean, None, false).as_deref(),
            Some("no mean and SD")
        );
    }
}
