//! Options of the `pool` analysis kind, as `survlit.toml` spells them, and
//! the defaults the kind applies to the ones left out.

use serde::Deserialize;

use crate::plot::forest::{ColumnKind, Preset};
use crate::present::forest::{ForestLook, ForestSort, Width};
use crate::stats::pool::{RmaParams, Tau2Method, TestKind};
use crate::workflow::pool::design::{CumulativeOrder, Moderator, SubgroupField, SubgroupTau2};
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::SMALL_STUDY_MIN_K;

/// Options of `pool`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PoolOptions {
    /// HR, PR, PLO, PLN, PAS, PFT, CLOGLOG or MED.
    pub(crate) measure: Measure,
    /// τ² estimator (default REML).
    pub(crate) method: Option<Tau2Method>,
    /// z (default) or knha.
    pub(crate) test: Option<TestKind>,
    /// Confidence level in percent (default 95).
    pub(crate) level: Option<f64>,
    /// Leave out effects whose SE was back-calculated or approximated.
    #[serde(default)]
    pub(crate) exclude_derived: bool,
    /// Refit without each study in turn (default true; needs k ≥ 3).
    pub(crate) leave_one_out: Option<bool>,
    /// Fewest studies for the small-study tests (default 10).
    pub(crate) small_study_min_k: Option<usize>,
    /// Forest plot preset: cochrane (default) or compact.
    pub(crate) preset: Option<Preset>,
    /// Forest plot columns left of the axis: study, year, n, events, estimate, weight.
    pub(crate) columns_left: Option<Vec<ColumnKind>>,
    /// Forest plot columns right of the axis.
    pub(crate) columns_right: Option<Vec<ColumnKind>>,
    /// Figure width: "single" (85 mm), "double" (175 mm) or mm.
    pub(crate) width: Option<Width>,
    /// Labels under the axis, left and right of the null.
    pub(crate) favours: Option<Vec<String>>,
    /// Forest plot axis limits (display scale).
    pub(crate) xlim: Option<Vec<f64>>,
    /// Forest plot row order: entered (default), estimate, weight or year.
    pub(crate) sort: Option<ForestSort>,
    /// Subgroups by a field of the figures: population, group, n_unit or outcome.
    pub(crate) subgroup: Option<SubgroupField>,
    /// separate (default; one tau² per subgroup) or common.
    pub(crate) subgroup_tau2: Option<SubgroupTau2>,
    /// Cumulative meta-analysis, studies added by year, precision or n.
    pub(crate) cumulative: Option<CumulativeOrder>,
    /// Meta-regression (and bubble plot) on year, n or time_point.
    pub(crate) moderator: Option<Moderator>,
    /// Centre of the funnel plot's significance contours, display scale
    /// (default 1 for hazard and median ratios, 0 for differences).
    pub(crate) funnel_null: Option<f64>,
}

impl PoolOptions {
    /// The model settings: REML, z inference and a 95% level unless given.
    pub(crate) fn params(&self) -> RmaParams {
        RmaParams {
            method: self.method.unwrap_or(Tau2Method::REML),
            test: self.test.unwrap_or(TestKind::Z),
            level: self.level.unwrap_or(95.0) / 100.0,
        }
    }

    /// Whether the leave-one-out refits and the small-study tests run (default yes).
    pub(crate) fn sensitivity(&self) -> bool {
        self.leave_one_out.unwrap_or(true)
    }

    /// The fewest studies for the small-study tests (default 10).
    pub(crate) fn min_k_bias(&self) -> usize {
        self.small_study_min_k.unwrap_or(SMALL_STUDY_MIN_K)
    }

    /// How the forest plots look; the message names the bad option.
    pub(crate) fn look(&self) -> Result<ForestLook, String> {
        ForestLook::parse(
            self.preset,
            self.columns_left.as_deref(),
            self.columns_right.as_deref(),
            self.width.as_ref(),
            self.favours.as_deref(),
            self.xlim.as_deref(),
        )
        .map(|look| ForestLook {
            sort: self.sort.unwrap_or_default(),
            ..look
        })
        .map_err(|e| format!("options.{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(toml: &str) -> Result<PoolOptions, String> {
        toml::from_str(toml).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_are_reml_z_95_with_sensitivity() {
        let o = options("measure = \"HR\"").unwrap();
        let p = o.params();
        assert_eq!(
            (p.method, p.test, p.level),
            (Tau2Method::REML, TestKind::Z, 0.95)
        );
        assert!(o.sensitivity());
        assert_eq!(o.min_k_bias(), 10);
        assert!(!o.exclude_derived);
    }

    #[test]
    fn closed_vocabularies_parse_to_their_variants() {
        let o = options(
            "measure = \"PLO\"\nmethod = \"DL\"\ntest = \"knha\"\nsubgroup = \"n_unit\"\n\
             subgroup_tau2 = \"common\"\ncumulative = \"precision\"\nmoderator = \"time_point\"\n\
             preset = \"compact\"\ncolumns_left = [\"study\", \"year\"]\nsort = \"weight\"",
        )
        .unwrap();
        assert_eq!(o.subgroup, Some(SubgroupField::NUnit));
        assert_eq!(o.subgroup_tau2, Some(SubgroupTau2::Common));
        assert_eq!(o.cumulative, Some(CumulativeOrder::Precision));
        assert_eq!(o.moderator, Some(Moderator::TimePoint));
        assert_eq!(o.params().test, TestKind::Knha);
        let look = o.look().unwrap();
        assert_eq!(look.preset, Preset::Compact);
        assert_eq!(look.left, vec![ColumnKind::Study, ColumnKind::Year]);
        assert_eq!(look.sort, ForestSort::Weight);
        let e = options("measure = \"HR\"\nsort = \"size\"").unwrap_err();
        assert!(e.contains("use entered, estimate, weight, year"), "{e}");
    }

    #[test]
    fn a_wrong_word_names_the_vocabulary_and_the_allowed_words() {
        let e = options("measure = \"HR\"\ncumulative = \"date\"").unwrap_err();
        assert!(e.contains("unknown cumulative order 'date'"), "{e}");
        assert!(e.contains("use year, precision, n"), "{e}");
        let e = options("measure = \"HR\"\nmoderator = \"age\"").unwrap_err();
        assert!(e.contains("use year, n, time_point"), "{e}");
    }

    #[test]
    fn forest_look_errors_name_the_option() {
        let o = options("measure = \"HR\"\nxlim = [2.0, 1.0]").unwrap();
        assert!(o.look().unwrap_err().starts_with("options.xlim:"));
    }
}
