//! The centre of a funnel plot's significance contours on the analysis
//! scale: the `funnel_null` option or the measure's null (shared by the
//! `pool` kind and `survlit pool --plots`).

use crate::workflow::pool::effects::Measure;

/// The null on the analysis scale for a value on the display scale.
pub(crate) fn analysis_scale_null(measure: Measure, n: f64) -> Result<f64, String> {
    match measure {
        Measure::HR | Measure::ROM if n > 0.0 => Ok(n.ln()),
        Measure::HR | Measure::ROM => Err(format!(
            "options.funnel_null = {n}: a ratio's null must be positive"
        )),
        Measure::DOM | Measure::GEN => Ok(n),
        _ => Err(
            "options.funnel_null: significance contours need a comparative measure (HR, ROM, DOM)"
                .into(),
        ),
    }
}

/// The centre of the funnel's contours on the analysis scale: `asked` (the
/// `funnel_null` option, display scale) or the measure's default.
pub(crate) fn funnel_null(measure: Measure, asked: Option<f64>) -> Result<Option<f64>, String> {
    match asked {
        Some(n) => analysis_scale_null(measure, n).map(Some),
        None => Ok(default_null(measure)),
    }
}

/// The default null of the funnel's contours (analysis scale).
pub(crate) fn default_null(measure: Measure) -> Option<f64> {
    match measure {
        Measure::HR | Measure::ROM | Measure::DOM | Measure::GEN => Some(0.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::effect::proportion::Scale;

    #[test]
    fn the_funnel_is_centred_on_the_null_of_comparative_measures_only() {
        assert_eq!(funnel_null(Measure::HR, None), Ok(Some(0.0)));
        assert_eq!(funnel_null(Measure::DOM, None), Ok(Some(0.0)));
        assert_eq!(funnel_null(Measure::Proportion(Scale::PLO), None), Ok(None));
        assert_eq!(funnel_null(Measure::MED, None), Ok(None));
        assert_eq!(funnel_null(Measure::HR, Some(2.0)), Ok(Some(2f64.ln())));
        assert!(funnel_null(Measure::HR, Some(0.0))
            .unwrap_err()
            .contains("a ratio's null must be positive"));
        assert!(funnel_null(Measure::Proportion(Scale::PLO), Some(0.5))
            .unwrap_err()
            .contains("need a comparative measure"));
    }
}
