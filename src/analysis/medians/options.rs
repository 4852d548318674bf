//! Options of a `medians` analysis, and the method, conversion and skewness
//! policy they name.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Method;
use crate::analysis::AnalysisError;
use crate::project::AnalysisSpec;
use crate::stats::medians::fivenum::ClosedForm;
use crate::workflow::medians::routes::Conversion;
use crate::workflow::medians::SkewedPolicy;

/// Options of `medians`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// wald (default), mm or wmm.
    pub(crate) method: Option<String>,
    /// τ² estimator for wald (default REML).
    pub(crate) tau2: Option<String>,
    /// z (default) or knha, for wald.
    pub(crate) test: Option<String>,
    /// Figures the analysis leaves out, "study_id/group" → reason.
    #[serde(default)]
    pub(crate) exclude: BTreeMap<String, String>,
    /// method = "mean": how medians are converted (luo-shi, luo-wan, hozo, qe).
    pub(crate) conversion: Option<String>,
    /// method = "mean": skewed summaries are excluded (default), converted
    /// on the log scale (lognormal) or kept.
    pub(crate) skewed: Option<String>,
    /// Leave out converted or model-based values (the sensitivity analysis).
    #[serde(default)]
    pub(crate) exclude_derived: bool,
    /// The analyst's rationale (what is pooled and why), printed in the report.
    pub(crate) note: Option<String>,
    /// Two groups to contrast within each study, e.g. ["experimental", "control"].
    pub(crate) contrast: Option<Vec<String>>,
    /// With contrast: difference (default) or ratio of medians.
    pub(crate) effect: Option<String>,
}

/// The method, conversion and skewness policy the options name.
pub(crate) fn parse(
    spec: &AnalysisSpec,
    o: &Options,
) -> Result<(Method, Conversion, SkewedPolicy), AnalysisError> {
    let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
    let method = match o.method.as_deref().unwrap_or("wald") {
        "wald" => Method::Wald,
        "mm" => Method::Mm,
        "wmm" => Method::Wmm,
        "mean" => Method::Mean,
        other => {
            return Err(bad(
                format!("options.method: unknown method '{other}'"),
                "use wald, mm, wmm or mean",
            ))
        }
    };
    let conversion = match o.conversion.as_deref().unwrap_or("luo-shi") {
        "luo-shi" => Conversion::Closed(ClosedForm::LuoShi),
        "luo-wan" => Conversion::Closed(ClosedForm::LuoWan),
        "hozo" => Conversion::Closed(ClosedForm::Hozo),
        "qe" => Conversion::Qe,
        "bc" => Conversion::Bc,
        "mln" => Conversion::Mln,
        other => {
            return Err(bad(
                format!("options.conversion: unknown method '{other}'"),
                "use luo-shi, luo-wan, hozo, qe, bc or mln",
            ))
        }
    };
    let skewed = match o.skewed.as_deref().unwrap_or("exclude") {
        "exclude" => SkewedPolicy::Exclude,
        "lognormal" => SkewedPolicy::LogNormal,
        "keep" => SkewedPolicy::Keep,
        other => {
            return Err(bad(
                format!("options.skewed: unknown policy '{other}'"),
                "use exclude, lognormal or keep",
            ))
        }
    };
    Ok((method, conversion, skewed))
}
