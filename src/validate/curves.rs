//! Rules for digitized Kaplan–Meier curves and number-at-risk tables.

use std::collections::BTreeMap;

use crate::domain::{AtRisk, CurvePoint, SurvivalScale};
use crate::ingest::RawTable;
use crate::number::entered;

use super::cases::timed;
use super::cells::{check_header, Cells};
use super::{Diagnostic, Location, Severity};

/// Columns of the curves table.
pub const CURVE_COLUMNS: &[&str] = &[
    "study_id",
    "arm",
    "time",
    "time_unit",
    "survival",
    "survival_scale",
    "source_location",
    "notes",
];
/// Required columns of the curves table.
pub const CURVE_REQUIRED: &[&str] = &["study_id", "arm", "time", "time_unit", "survival"];
/// Columns of the at-risk table.
pub const AT_RISK_COLUMNS: &[&str] = &[
    "study_id",
    "arm",
    "time",
    "time_unit",
    "n_risk",
    "source_location",
    "notes",
];
/// Required columns of the at-risk table.
pub const AT_RISK_REQUIRED: &[&str] = &["study_id", "arm", "time", "time_unit", "n_risk"];

/// How far a digitized curve may rise between consecutive points before it is
/// an error rather than clicking noise (absolute, on the 0–1 scale).
pub const DIGITIZING_NOISE: f64 = 0.02;

/// The `study_id`, `arm` and `time` (in months) shared by curve and at-risk rows.
fn arm_and_time(
    c: &mut Cells<'_>,
    time_fix: &str,
) -> (Option<String>, Option<String>, Option<f64>) {
    let study_id = c.required("study_id", "the study identifier");
    let arm = c.required("arm", "the arm label printed on the figure");
    if c.text("time").is_none() {
        c.error(
            "time",
            "missing-value",
            "time is empty".into(),
            time_fix.into(),
        );
    }
    (study_id, arm, timed(c, "time", "time_unit"))
}

/// Reads and checks curve points.
pub fn read_curves(table: &RawTable, diags: &mut Vec<Diagnostic>) -> Vec<CurvePoint> {
    if !check_header(table, CURVE_REQUIRED, CURVE_COLUMNS, None, diags) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &table.rows {
        let mut c = Cells::new(table, row, diags);
        let (study_id, arm, time) = arm_and_time(&mut c, "fill in the digitized time");
        let scale = c
            .vocab::<SurvivalScale>("survival_scale")
            .unwrap_or(SurvivalScale::Proportion);
        let raw = c.number("survival");
        if raw.is_none() && c.text("survival").is_none() {
            c.error(
                "survival",
                "missing-value",
                "survival is empty".into(),
                "fill in the digitized survival".into(),
            );
        }
        let survival = raw.and_then(|s| {
            let (p, top) = match scale {
                SurvivalScale::Percent => (s / 100.0, 100.0),
                SurvivalScale::Proportion => (s, 1.0),
            };
            if (0.0..=1.0).contains(&p) {
                Some(p)
            } else {
                let fix = if scale == SurvivalScale::Proportion && s <= 100.0 {
                    "the value looks like a percentage: set survival_scale to percent"
                } else {
                    "survival lies in [0, 1] (or [0, 100] with survival_scale = percent)"
                };
                c.error(
                    "survival",
                    "survival-range",
                    format!("survival {} is outside 0–{top}", entered(s)),
                    fix.into(),
                );
                None
            }
        });
        if let (Some(study_id), Some(arm), Some(time), Some(survival)) =
            (study_id, arm, time, survival)
        {
            let source_location = c.string("source_location");
            out.push(CurvePoint {
                study_id,
                arm,
                time,
                survival,
                source_location,
                origin: c.origin(),
            });
        }
    }
    check_monotone(&out, diags);
    out
}

/// A KM curve may not rise by more than digitizing noise: each larger rise is
/// an error at its row; rises within the noise are one warning per arm,
/// naming how many there are and the largest.
fn check_monotone(points: &[CurvePoint], diags: &mut Vec<Diagnostic>) {
    let mut arms: BTreeMap<(&str, &str), Vec<&CurvePoint>> = BTreeMap::new();
    for p in points {
        arms.entry((&p.study_id, &p.arm)).or_default().push(p);
    }
    for ((study, arm), mut pts) in arms {
        pts.sort_by(|a, b| {
            a.time
                .total_cmp(&b.time)
                .then(b.survival.total_cmp(&a.survival))
        });
        let mut lowest = f64::INFINITY;
        let mut lowest_line = 0;
        // (count, largest rise, its point) of the rises within the noise.
        let mut noise: Option<(usize, f64, &CurvePoint)> = None;
        for p in pts {
            if p.survival > lowest + 1e-12 {
                let rise = p.survival - lowest;
                if rise > DIGITIZING_NOISE {
                    diags.push(Diagnostic {
                        severity: Severity::Error,
                        location: location(&p.origin, "survival", &entered(p.survival)),
                        code: "curve-rises",
                        message: format!(
                            "curve '{study}' arm '{arm}' rises from {} (line {lowest_line}) to {} at time {} months: a Kaplan–Meier curve never rises",
                            entered(lowest),
                            entered(p.survival),
                            entered(p.time)
                        ),
                        fix: "re-digitize the point, or check that two arms are not mixed under one arm label".into(),
                    });
                } else {
                    noise = Some(match noise {
                        Some((n, max, at)) if max >= rise => (n + 1, max, at),
                        Some((n, ..)) => (n + 1, rise, p),
                        None => (1, rise, p),
                    });
                }
            }
            if p.survival < lowest {
                lowest = p.survival;
                lowest_line = p.origin.line;
            }
        }
        if let Some((n, max, at)) = noise {
            let times = if n == 1 {
                "once".to_string()
            } else {
                format!("{n} times")
            };
            diags.push(Diagnostic {
                severity: Severity::Warning,
                location: location(&at.origin, "survival", &entered(at.survival)),
                code: "curve-rises",
                message: format!(
                    "curve '{study}' arm '{arm}' rises {times} within digitizing noise ({DIGITIZING_NOISE}); the largest rise is {} at time {} months",
                    entered(max),
                    entered(at.time)
                ),
                fix: "usually harmless clicking noise; reconstruction enforces a non-increasing curve".into(),
            });
        }
    }
}

/// Reads and checks numbers at risk.
pub fn read_at_risk(table: &RawTable, diags: &mut Vec<Diagnostic>) -> Vec<AtRisk> {
    if !check_header(table, AT_RISK_REQUIRED, AT_RISK_COLUMNS, None, diags) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &table.rows {
        let mut c = Cells::new(table, row, diags);
        let (study_id, arm, time) =
            arm_and_time(&mut c, "fill in the time printed above the number at risk");
        if c.text("n_risk").is_none() {
            c.error(
                "n_risk",
                "missing-value",
                "n_risk is empty".into(),
                "fill in the number at risk".into(),
            );
        }
        let n_risk = c.count("n_risk");
        if let (Some(study_id), Some(arm), Some(time), Some(n_risk)) = (study_id, arm, time, n_risk)
        {
            out.push(AtRisk {
                study_id,
                arm,
                time,
                n_risk,
                origin: c.origin(),
            });
        }
    }
    let mut arms: BTreeMap<(&str, &str), Vec<&AtRisk>> = BTreeMap::new();
    for r in &out {
        arms.entry((&r.study_id, &r.arm)).or_default().push(r);
    }
    for ((study, arm), mut rows) in arms {
        rows.sort_by(|a, b| a.time.total_cmp(&b.time));
        for w in rows.windows(2) {
            let (prev, cur) = (w[0], w[1]);
            if cur.time == prev.time {
                diags.push(Diagnostic {
                    severity: Severity::Error,
                    location: location(&cur.origin, "time", &cur.time.to_string()),
                    code: "duplicate-time",
                    message: format!(
                        "at-risk table '{study}' arm '{arm}' has time {} twice (also line {})",
                        cur.time, prev.origin.line
                    ),
                    fix: "keep one number at risk per printed time".into(),
                });
            } else if cur.n_risk > prev.n_risk {
                diags.push(Diagnostic {
                    severity: Severity::Error,
                    location: location(&cur.origin, "n_risk", &cur.n_risk.to_string()),
                    code: "at-risk-increases",
                    message: format!(
                        "number at risk rises from {} (line {}) to {} in '{study}' arm '{arm}'",
                        prev.n_risk, prev.origin.line, cur.n_risk
                    ),
                    fix:
                        "numbers at risk never increase over time; check the row and the arm label"
                            .into(),
                });
            }
        }
    }
    out
}

pub(super) fn location(origin: &crate::domain::Origin, column: &str, value: &str) -> Location {
    Location {
        file: origin.file.clone(),
        sheet: origin.sheet.clone(),
        line: Some(origin.line),
        column: Some(column.to_string()),
        // No "(value '')" after a location that names no value.
        value: (!value.is_empty()).then(|| value.to_string()),
    }
}
