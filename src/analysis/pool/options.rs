//! Options of the `pool` analysis kind, as `survlit.toml` spells them.

use serde::Deserialize;

use crate::present::forest::Width;

/// Options of `pool`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PoolOptions {
    /// HR, PR, PLO, PLN, PAS, PFT, CLOGLOG or MED.
    pub(crate) measure: String,
    /// τ² estimator (default REML).
    pub(crate) method: Option<String>,
    /// z (default) or knha.
    pub(crate) test: Option<String>,
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
    pub(crate) preset: Option<String>,
    /// Forest plot columns left of the axis: study, year, n, events, estimate, weight.
    pub(crate) columns_left: Option<Vec<String>>,
    /// Forest plot columns right of the axis.
    pub(crate) columns_right: Option<Vec<String>>,
    /// Figure width: "single" (85 mm), "double" (175 mm) or mm.
    pub(crate) width: Option<Width>,
    /// Labels under the axis, left and right of the null.
    pub(crate) favours: Option<Vec<String>>,
    /// Forest plot axis limits (display scale).
    pub(crate) xlim: Option<Vec<f64>>,
    /// Subgroups by a field of the figures: population, group, n_unit or outcome.
    pub(crate) subgroup: Option<String>,
    /// separate (default; one tau² per subgroup) or common.
    pub(crate) subgroup_tau2: Option<String>,
    /// Cumulative meta-analysis, studies added by year, precision or n.
    pub(crate) cumulative: Option<String>,
    /// Meta-regression (and bubble plot) on year, n or time_point.
    pub(crate) moderator: Option<String>,
    /// Centre of the funnel plot's significance contours, display scale
    /// (default 1 for hazard and median ratios, 0 for differences).
    pub(crate) funnel_null: Option<f64>,
}
