//! Evidence-table figures → effect sizes for pooling: the best route each
//! figure's reported numbers allow, or the reason it cannot enter.

use crate::domain::{Figure, PRelation, Statistic, ValueStatus};
use crate::stats::effect::{hr, median, proportion, Effect};

use super::effects::Measure;

/// A figure that entered, with its effect.
#[derive(Debug, Clone)]
pub struct Entered<'a> {
    /// The figure.
    pub figure: &'a Figure,
    /// Its effect.
    pub effect: Effect,
}

/// Splits figures into those with an effect and those excluded (with the
/// reason); `exclude_derived` also leaves out effects whose SE was
/// back-calculated or approximated (the "drop derived values" sensitivity analysis).
pub fn effects<'a>(
    figures: &[&'a Figure],
    measure: Measure,
    exclude_derived: bool,
) -> (Vec<Entered<'a>>, Vec<(&'a Figure, String)>) {
    let mut entered = Vec::new();
    let mut excluded = Vec::new();
    for &f in figures {
        match effect(f, measure) {
            Ok(effect) if exclude_derived && effect.derived => excluded.push((
                f,
                format!(
                    "derived value left out by exclude_derived ({})",
                    effect.derivation
                ),
            )),
            Ok(effect) => entered.push(Entered { figure: f, effect }),
            Err(reason) => excluded.push((f, reason)),
        }
    }
    (entered, excluded)
}

fn effect(f: &Figure, measure: Measure) -> Result<Effect, String> {
    if f.value_status != ValueStatus::Reported {
        return Err(format!(
            "value {}",
            f.value_status.to_string().replace('_', " ")
        ));
    }
    let v = f.value.ok_or("no value")?;
    let ci = f.ci.and_then(|c| {
        Some((
            c.bounds.lower?,
            c.bounds.upper?,
            c.level,
            c.bounds.printed_decimals,
        ))
    });
    match measure {
        Measure::HR => {
            if !f.statistic.is_ratio() {
                return Err(format!("statistic {} is not a hazard ratio", f.statistic));
            }
            if let Some((l, u, level, dec)) = ci {
                let d = f
                    .reported_value
                    .as_deref()
                    .and_then(|t| t.split_once('.'))
                    .map_or(0, |(_, d)| d.len() as u32);
                return hr::from_ci(hr::PrintedCi {
                    estimate: v,
                    lower: l,
                    upper: u,
                    level,
                    decimals: Some([d, u32::from(dec[0]), u32::from(dec[1])]),
                })
                .map_err(|e| e.to_string());
            }
            match f.p_value {
                Some(p) if p.relation == PRelation::Equal => {
                    hr::from_p(v, p.value, hr::Sides::Two).map_err(|e| e.to_string())
                }
                Some(p) => Err(format!(
                    "only a CI or an exact p-value gives an SE; p is reported as {p}"
                )),
                None => Err("no CI and no p-value".into()),
            }
        }
        Measure::Proportion(scale) => {
            if !f.statistic.is_proportion() {
                return Err(format!("statistic {} is not a proportion", f.statistic));
            }
            if let Some((l, u, level, _)) = ci {
                return proportion::from_ci(v, l, u, level, scale).map_err(|e| e.to_string());
            }
            let n = f.n.ok_or("no n and no CI")? as f64;
            let mut e = proportion::from_counts(v * n, n, scale).map_err(|e| e.to_string())?;
            if f.statistic == Statistic::ProportionAtT {
                e.derived = true;
                e.flags.push(format!("approximate: {:.1} of {n} taken as events from the reported proportion ({}; censoring ignored)", v * n, f.derivation.as_deref().unwrap_or("time-to-event")));
            }
            Ok(e)
        }
        Measure::MED => {
            if f.statistic != Statistic::Median {
                return Err(format!("statistic {} is not a median", f.statistic));
            }
            let c = f.ci.ok_or("median without a CI has no Wald SE")?;
            median::med(median::ReportedMedian {
                median: Some(v),
                lower: c.bounds.lower,
                upper: c.bounds.upper,
                level: c.level,
            })
            .map_err(|e| e.to_string())
        }
        Measure::GEN | Measure::DOM | Measure::ROM => Err(format!(
            "measure {measure} needs a table of effects (survlit pool), not evidence-table figures"
        )),
    }
}

/// Figures of different studies that declare the same cohort are not independent.
pub(crate) fn shared_cohorts(entered: &[Entered<'_>]) -> Vec<String> {
    let mut by_cohort: std::collections::BTreeMap<&str, Vec<&str>> =
        std::collections::BTreeMap::new();
    for e in entered {
        if let Some(c) = e.figure.cohort.as_deref() {
            let ids = by_cohort.entry(c).or_default();
            if !ids.contains(&e.figure.study_id.as_str()) {
                ids.push(&e.figure.study_id);
            }
        }
    }
    by_cohort
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(c, ids)| {
            format!(
                "{} report the same cohort ('{c}'): the same patients are counted more than once; exclude all but one (overlap = \"exclude\")",
                ids.join(", ")
            )
        })
        .collect()
}
