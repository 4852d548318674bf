//! The arms of each study under a contrast: which figures pair up, the
//! effect of G1 against G2, and why a study cannot give one.

use std::collections::BTreeMap;

use super::{Contrast, ContrastSpec, Pair};
use crate::analysis::AnalysisError;
use crate::domain::Figure;
use crate::project::AnalysisSpec;
use crate::stats::effect::{median, Effect};
use crate::workflow::medians::routes::{route, Route};

/// Each study's figures of G1 and of G2, by study id (studies with neither
/// group are not listed).
pub(crate) type ByStudy<'a> = BTreeMap<&'a str, [Vec<&'a Figure>; 2]>;

/// The figures of the two groups, study by study.
pub(crate) fn group_by_study<'a>(figures: &[&'a Figure], groups: [&str; 2]) -> ByStudy<'a> {
    let mut by_study: ByStudy<'a> = BTreeMap::new();
    for &f in figures {
        if let Some(k) = groups.iter().position(|g| *g == f.group) {
            by_study.entry(f.study_id.as_str()).or_default()[k].push(f);
        }
    }
    by_study
}

/// Every key of `options.exclude` names a study with a contrasted group.
pub(crate) fn check_exclusions(
    spec: &AnalysisSpec,
    by_study: &ByStudy<'_>,
    exclude: &BTreeMap<String, String>,
) -> Result<(), AnalysisError> {
    match exclude.keys().find(|k| !by_study.contains_key(k.as_str())) {
        None => Ok(()),
        Some(k) => Err(spec
            .error(
                format!("options.exclude: '{k}' is not a study with the contrasted groups"),
                "with contrast, exclude names a study_id".into(),
            )
            .into()),
    }
}

/// One pair per study, with its effect or why it has none.
pub(crate) fn pair_up<'a>(by_study: &ByStudy<'a>, c: &ContrastSpec<'_>) -> Vec<Pair<'a>> {
    by_study
        .iter()
        .map(|(&study_id, [a, b])| {
            let (effect, why_not) = match c.exclude.get(study_id) {
                Some(why) => (None, Some(format!("left out by the analysis: {why}"))),
                None => match study_effect(a, b, c) {
                    Ok(e) => (Some(e), None),
                    Err(why) => (None, Some(why)),
                },
            };
            Pair {
                study_id,
                first: a.first().copied(),
                second: b.first().copied(),
                effect,
                why_not,
                weight: None,
            }
        })
        .collect()
}

/// G1 against G2 in one study, or why not: each group needs exactly one
/// figure, and each arm an SE.
fn study_effect(a: &[&Figure], b: &[&Figure], c: &ContrastSpec<'_>) -> Result<Effect, String> {
    let [g1, g2] = c.groups;
    if a.len() > 1 || b.len() > 1 {
        return Err(format!(
            "{} figures for '{g1}' and {} for '{g2}': make each group unique (population or group)",
            a.len(),
            b.len(),
        ));
    }
    let (Some(fa), Some(fb)) = (a.first(), b.first()) else {
        let missing = if a.is_empty() { g1 } else { g2 };
        return Err(format!("no '{missing}' figure in this study"));
    };
    match (arm_effect(fa), arm_effect(fb)) {
        (Ok(ea), Ok(eb)) => {
            median::contrast(&ea, &eb, c.contrast == Contrast::Ratio).map_err(|e| e.to_string())
        }
        (Err(e), _) => Err(format!("{g1}: {e}")),
        (_, Err(e)) => Err(format!("{g2}: {e}")),
    }
}

/// An arm's median and its variance (from its CI, or its events), or the
/// route that gives none.
pub(crate) fn arm_effect(f: &Figure) -> Result<Effect, String> {
    match route(f) {
        Route::Se(e, _) => Ok(e),
        other => Err(other.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::{median, median_with_ci};
    use crate::stats::pool::{Tau2Method, TestKind};

    fn spec_of<'s>(contrast: Contrast, exclude: &'s BTreeMap<String, String>) -> ContrastSpec<'s> {
        ContrastSpec {
            groups: ["experimental", "control"],
            contrast,
            tau2: Tau2Method::REML,
            test: TestKind::Z,
            exclude,
            note: None,
        }
    }

    fn pairs_of<'a>(figures: &[&'a Figure], exclude: &BTreeMap<String, String>) -> Vec<Pair<'a>> {
        let c = spec_of(Contrast::Difference, exclude);
        pair_up(&group_by_study(figures, c.groups), &c)
    }

    #[test]
    fn arms_pair_within_a_study_and_other_groups_are_ignored() {
        let figures = [
            median_with_ci("a", "experimental", 14.0, 50),
            median_with_ci("a", "control", 10.0, 50),
            median_with_ci("a", "all", 12.0, 100),
            median_with_ci("b", "all", 12.0, 100),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let pairs = pairs_of(&refs, &BTreeMap::new());
        assert_eq!(pairs.len(), 1, "study b has neither group");
        let p = &pairs[0];
        assert_eq!(p.study_id, "a");
        assert_eq!(p.first.map(|f| f.group.as_str()), Some("experimental"));
        assert_eq!(p.second.map(|f| f.group.as_str()), Some("control"));
        assert_eq!(p.why_not, None);
        assert!((p.effect.as_ref().unwrap().yi - 4.0).abs() < 1e-12);
    }

    #[test]
    fn a_study_missing_one_group_is_listed_with_the_group_it_lacks() {
        let figures = [
            median_with_ci("a", "experimental", 14.0, 50),
            median_with_ci("b", "control", 10.0, 50),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let pairs = pairs_of(&refs, &BTreeMap::new());
        assert_eq!(
            pairs[0].why_not.as_deref(),
            Some("no 'control' figure in this study")
        );
        assert_eq!(
            pairs[1].why_not.as_deref(),
            Some("no 'experimental' figure in this study")
        );
        assert!(pairs.iter().all(|p| p.effect.is_none()));
    }

    #[test]
    fn an_arm_without_an_se_names_its_group_and_route() {
        let figures = [
            median_with_ci("a", "experimental", 14.0, 50),
            Figure {
                n: Some(40),
                ..median("a", "control", 9.0)
            },
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let why = pairs_of(&refs, &BTreeMap::new())[0]
            .why_not
            .clone()
            .unwrap();
        assert!(why.starts_with("control: c: median and n only"), "{why}");
    }

    #[test]
    fn two_figures_for_one_group_block_the_study() {
        let figures = [
            median_with_ci("a", "experimental", 14.0, 50),
            Figure {
                population: "other".into(),
                ..median_with_ci("a", "experimental", 15.0, 50)
            },
            median_with_ci("a", "control", 10.0, 50),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let why = pairs_of(&refs, &BTreeMap::new())[0]
            .why_not
            .clone()
            .unwrap();
        assert!(
            why.starts_with("2 figures for 'experimental' and 1 for 'control'"),
            "{why}"
        );
    }

    #[test]
    fn an_excluded_study_keeps_its_reason_and_an_unknown_one_is_an_error() {
        let figures = [
            median_with_ci("a", "experimental", 14.0, 50),
            median_with_ci("a", "control", 10.0, 50),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let exclude = BTreeMap::from([("a".to_string(), "interim analysis".to_string())]);
        let p = &pairs_of(&refs, &exclude)[0];
        assert_eq!(
            p.why_not.as_deref(),
            Some("left out by the analysis: interim analysis")
        );
        assert!(p.effect.is_none());
        let spec = crate::analysis::medians::fixtures::spec("{}");
        let by_study = group_by_study(&refs, ["experimental", "control"]);
        let unknown = BTreeMap::from([("z".to_string(), "x".to_string())]);
        let err = check_exclusions(&spec, &by_study, &unknown).unwrap_err();
        assert!(err
            .to_string()
            .contains("'z' is not a study with the contrasted groups"));
    }

    #[test]
    fn the_ratio_is_pooled_on_the_log_scale_and_shown_as_the_ratio() {
        let figures = [
            median_with_ci("a", "experimental", 20.0, 50),
            median_with_ci("a", "control", 10.0, 50),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let exclude = BTreeMap::new();
        let c = spec_of(Contrast::Ratio, &exclude);
        let p = &pair_up(&group_by_study(&refs, c.groups), &c)[0];
        let yi = p.effect.as_ref().unwrap().yi;
        assert!((yi - 2f64.ln()).abs() < 1e-12);
        assert!((Contrast::Ratio.display(yi) - 2.0).abs() < 1e-12);
        assert_eq!(Contrast::Difference.display(yi), yi);
    }
}
