//! Hand-made evidence for the unit tests of the patient kinds.

use crate::domain::{AtRisk, CurvePoint, Evidence, Origin};

/// Line `line` of `file`.
pub(crate) fn origin(file: &str, line: usize) -> Origin {
    Origin {
        file: file.into(),
        sheet: None,
        line,
    }
}

/// One digitised arm ("smith2020", "Surgery") of 10 patients dying at 1,
/// 2, … 10 months, its points on lines 2–12 of curves.csv, with one number
/// at risk (10) printed at `risk_from` months.
pub(crate) fn digitised_arm(risk_from: f64) -> Evidence {
    let point = |time: f64, survival: f64, line: usize| CurvePoint {
        study_id: "smith2020".into(),
        arm: "Surgery".into(),
        time,
        survival,
        source_location: Some("Figure 2".into()),
        origin: origin("data/curves.csv", line),
    };
    let mut curves = vec![point(0.0, 1.0, 2)];
    curves.extend((1..=10).map(|i| point(i as f64, 1.0 - i as f64 / 10.0, i + 2)));
    Evidence {
        curves,
        at_risk: vec![AtRisk {
            study_id: "smith2020".into(),
            arm: "Surgery".into(),
            time: risk_from,
            n_risk: 10,
            origin: origin("data/at_risk.csv", 2),
        }],
        ..Default::default()
    }
}
