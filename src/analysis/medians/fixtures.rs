//! Hand-made specs and figures for the unit tests of the `medians` kind.

use super::Row;
use crate::domain::{ConfidenceInterval, Figure, Interval, StudySource};
use crate::project::AnalysisSpec;
use crate::workflow::medians::routes::Route;

/// A `medians` analysis named `m` with these options (a TOML inline table).
pub(crate) fn spec(options: &str) -> AnalysisSpec {
    AnalysisSpec::example("m", "medians", options)
}

/// A median overall survival of `value` months reported by `study_id` for
/// `group`, with nothing else: no n, CI, events or cohort.
pub(crate) fn median(study_id: &str, group: &str, value: f64) -> Figure {
    Figure {
        population: "spinal LMS".into(),
        group: group.into(),
        n: None,
        ..Figure::example(study_id, value, 0)
    }
}

/// A 95% CI from `lower` to `upper`.
pub(crate) fn ci(lower: f64, upper: f64) -> Option<ConfidenceInterval> {
    Some(ConfidenceInterval {
        bounds: Interval {
            lower: Some(lower),
            upper: Some(upper),
            printed_decimals: [0, 0],
        },
        level: 0.95,
    })
}

/// A median with its 95% CI and n: the Wald route (a).
pub(crate) fn median_with_ci(study_id: &str, group: &str, value: f64, n: u64) -> Figure {
    Figure {
        ci: ci(value * 0.5, value * 1.5),
        n: Some(n),
        ..median(study_id, group, value)
    }
}

/// No study has a citation: labels fall back to the study id.
pub(crate) fn no_source<'a>(_: &str) -> &'a StudySource {
    static EMPTY: std::sync::OnceLock<StudySource> = std::sync::OnceLock::new();
    EMPTY.get_or_init(StudySource::default)
}

/// A row of `figure` with its `route` and `status` (None: it enters), no
/// weight yet.
pub(crate) fn row<'a>(figure: &'a Figure, route: Route, status: Option<&str>) -> Row<'a> {
    Row {
        figure,
        route,
        status: status.map(str::to_string),
        weight: None,
    }
}
