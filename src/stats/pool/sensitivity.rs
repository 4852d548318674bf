//! Sensitivity analyses: leave-one-out and cumulative meta-analysis (metafor
//! `leave1out.rma.uni`, `cumul.rma.uni`): the same model refitted on subsets.

use super::{rma, RmaFit, RmaParams};
use crate::stats::StatsError;

/// One refit: which studies were in, and the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Refit {
    /// Label of the study left out (leave-one-out) or last added (cumulative).
    pub study: String,
    /// The model on that subset.
    pub fit: RmaFit,
}

/// The model refitted k times, each time without one study.
pub fn leave_one_out(
    y: &[f64],
    v: &[f64],
    labels: &[impl AsRef<str>],
    params: RmaParams,
) -> Result<Vec<Refit>, StatsError> {
    let k = y.len();
    if k < 2 {
        return Err(StatsError::TooFewStudies { k, min: 2 });
    }
    (0..k)
        .map(|i| {
            let keep = |s: &[f64]| {
                s.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, x)| *x)
                    .collect::<Vec<_>>()
            };
            let lab: Vec<&str> = labels
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, s)| s.as_ref())
                .collect();
            Ok(Refit {
                study: labels
                    .get(i)
                    .map_or_else(String::new, |s| s.as_ref().to_string()),
                fit: rma(&keep(y), &keep(v), None, &lab, params)?,
            })
        })
        .collect()
}

/// Cumulative meta-analysis in the given order (indices into the studies).
pub fn cumulative(
    y: &[f64],
    v: &[f64],
    labels: &[impl AsRef<str>],
    order: &[usize],
    params: RmaParams,
) -> Result<Vec<Refit>, StatsError> {
    (1..=order.len())
        .map(|j| {
            let idx = &order[..j];
            let pick = |s: &[f64]| idx.iter().map(|&i| s[i]).collect::<Vec<_>>();
            let lab: Vec<&str> = idx
                .iter()
                .map(|&i| labels.get(i).map_or("", |s| s.as_ref()))
                .collect();
            Ok(Refit {
                study: lab.last().map_or_else(String::new, |s| (*s).to_string()),
                fit: rma(&pick(y), &pick(v), None, &lab, params)?,
            })
        })
        .collect()
}
