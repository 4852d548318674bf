//! Option vocabularies more than one kind reads.

use super::AnalysisError;

/// The τ² estimator and the test named in an analysis' options (`key` is
/// the option that names the estimator: `method` for `pool`, `tau2` for
/// `medians`); REML and z when not given.
pub(crate) fn model_options(
    spec: &crate::project::AnalysisSpec,
    key: &str,
    method: Option<&str>,
    test: Option<&str>,
) -> Result<(crate::stats::pool::Tau2Method, crate::stats::pool::TestKind), AnalysisError> {
    use crate::stats::pool::{Tau2Method, TestKind};
    let tau2: Tau2Method = method.unwrap_or("REML").parse().map_err(|e: String| {
        spec.error(
            format!("options.{key}: {e}"),
            "use FE, DL, HE, HS, SJ, ML, REML, EB or PM".into(),
        )
    })?;
    let test = match test.unwrap_or("z") {
        "z" => TestKind::Z,
        "knha" => TestKind::Knha,
        other => {
            return Err(spec
                .error(
                    format!("options.test: unknown test '{other}'"),
                    "use z or knha".into(),
                )
                .into())
        }
    };
    Ok((tau2, test))
}
