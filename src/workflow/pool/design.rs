//! What the `pool` kind fits beyond the overall model, from fields of the
//! figures: subgroups (and the test for subgroup differences), a cumulative
//! meta-analysis in a stated order, and a meta-regression on one moderator
//! with its fitted line. The models come from [`crate::stats::pool`].

use crate::domain::Figure;
use crate::stats::linalg::Matrix;
use crate::stats::pool::predict::Prediction;
use crate::stats::pool::sensitivity::{cumulative, Refit};
use crate::stats::pool::subgroups::{self, Subgroups};
use crate::stats::pool::{rma, RmaFit, RmaParams};

use super::effects::Measure;
use crate::workflow::pool::from_evidence::Entered;

type Problem = (String, String);

/// Per-study values of the requested designs.
pub(crate) struct Design {
    subgroup: Option<(String, Vec<String>)>,
    order: Option<(String, Vec<usize>)>,
    moderator: Option<(String, Vec<f64>)>,
    warnings: Vec<String>,
}

fn subgroup_value(f: &Figure, field: &str) -> Option<String> {
    match field {
        "population" => Some(f.population.clone()),
        "group" => Some(f.group.clone()),
        "n_unit" => Some(f.n_unit.to_string().replace('_', " ")),
        "outcome" => Some(f.outcome.to_string().replace('_', " ")),
        _ => None,
    }
}

impl Design {
    pub fn new(
        entered: &[Entered<'_>],
        names: &[String],
        years: &[Option<i32>],
        subgroup: Option<&str>,
        order: Option<&str>,
        moderator: Option<&str>,
    ) -> Result<Design, Problem> {
        let mut warnings = Vec::new();
        let subgroup = match subgroup {
            None => None,
            Some(field) => {
                let values: Option<Vec<String>> = entered
                    .iter()
                    .map(|e| subgroup_value(e.figure, field))
                    .collect();
                let values = values.ok_or_else(|| {
                    (
                        format!("options.subgroup: unknown field '{field}'"),
                        "use population, group, n_unit or outcome".to_string(),
                    )
                })?;
                Some((field.to_string(), values))
            }
        };
        let order = match order {
            None => None,
            Some(by) => {
                let mut idx: Vec<usize> = (0..entered.len()).collect();
                match by {
                    "year" => {
                        let year = |i: usize| years[i];
                        let missing: Vec<String> = idx
                            .iter()
                            .filter(|&&i| year(i).is_none())
                            .map(|&i| names[i].clone())
                            .collect();
                        if !missing.is_empty() {
                            warnings.push(format!(
                                "cumulative by year: no year for {}; added last, in table order",
                                missing.join(", ")
                            ));
                        }
                        idx.sort_by_key(|&i| (year(i).is_none(), year(i)));
                        Some(("by year of publication".to_string(), idx))
                    }
                    "precision" => {
                        idx.sort_by(|&a, &b| entered[a].effect.vi.total_cmp(&entered[b].effect.vi));
                        Some(("most precise first (smallest variance)".to_string(), idx))
                    }
                    "n" => {
                        idx.sort_by_key(|&i| std::cmp::Reverse(entered[i].figure.n.unwrap_or(0)));
                        Some(("largest first (n)".to_string(), idx))
                    }
                    other => {
                        return Err((
                            format!("options.cumulative: unknown order '{other}'"),
                            "use year, precision or n".into(),
                        ))
                    }
                }
            }
        };
        let moderator = match moderator {
            None => None,
            Some(m) => {
                let value = |i: usize| -> Option<f64> {
                    let f = entered[i].figure;
                    match m {
                        "year" => years[i].map(f64::from),
                        "n" => f.n.map(|n| n as f64),
                        "time_point" => f.time_point,
                        _ => None,
                    }
                };
                if !matches!(m, "year" | "n" | "time_point") {
                    return Err((
                        format!("options.moderator: unknown moderator '{m}'"),
                        "use year, n or time_point".into(),
                    ));
                }
                let missing: Vec<String> = (0..entered.len())
                    .filter(|&i| value(i).is_none())
                    .map(|i| names[i].clone())
                    .collect();
                if !missing.is_empty() {
                    return Err((
                        format!("options.moderator: {m} is missing for {}", missing.join(", ")),
                        format!("add {m} to those rows of the figures table, or choose another moderator"),
                    ));
                }
                let label = match m {
                    "year" => "year of publication",
                    "n" => "sample size",
                    _ => "time point (months)",
                };
                Some((
                    label.to_string(),
                    (0..entered.len()).filter_map(value).collect(),
                ))
            }
        };
        Ok(Design {
            subgroup,
            order,
            moderator,
            warnings,
        })
    }

    /// Study i's subgroup.
    /// The moderator's name and each study's value.
    pub fn moderator(&self) -> Option<(&str, &[f64])> {
        self.moderator
            .as_ref()
            .map(|(m, x)| (m.as_str(), x.as_slice()))
    }

    /// The subgroup field's name.
    pub fn subgroup_field(&self) -> Option<&str> {
        self.subgroup.as_ref().map(|(f, _)| f.as_str())
    }

    pub fn subgroup_of(&self, i: usize) -> Option<String> {
        self.subgroup.as_ref().map(|(_, v)| v[i].clone())
    }

    /// Fits the subgroups, the cumulative refits and the meta-regression.
    pub fn fit(
        &self,
        y: &[f64],
        v: &[f64],
        labels: &[String],
        params: RmaParams,
        subgroup_tau2: Option<&str>,
    ) -> Result<Fitted, Problem> {
        let stats =
            |e: crate::stats::StatsError| (e.to_string(), "check the selected figures".to_string());
        let subgroups = match &self.subgroup {
            None => None,
            Some((_, values)) => {
                let common = match subgroup_tau2.unwrap_or("separate") {
                    "separate" => false,
                    "common" => true,
                    other => {
                        return Err((
                            format!("options.subgroup_tau2: unknown value '{other}'"),
                            "use separate or common".into(),
                        ))
                    }
                };
                let mut names: Vec<String> = values.clone();
                names.sort();
                names.dedup();
                let level: Vec<usize> = values
                    .iter()
                    .map(|g| names.iter().position(|n| n == g).unwrap_or(0))
                    .collect();
                Some(subgroups::fit(y, v, labels, &level, names, params, common).map_err(stats)?)
            }
        };
        let cumulative = match &self.order {
            None => None,
            Some((name, order)) => Some((
                cumulative(y, v, labels, order, params).map_err(stats)?,
                order.clone(),
                name.clone(),
            )),
        };
        let regression = match &self.moderator {
            None => None,
            Some((_, x)) if x.len() < 3 => None,
            Some((_, x)) => {
                let mut m = Matrix::zeros(x.len(), 2);
                for (i, xi) in x.iter().enumerate() {
                    *m.at_mut(i, 0) = 1.0;
                    *m.at_mut(i, 1) = *xi;
                }
                let fit = rma(y, v, Some(&m), labels, params).map_err(stats)?;
                let line = regression_line(&fit, x);
                Some(RegressionFit { fit, line })
            }
        };
        let mut warnings = self.warnings.clone();
        if matches!(&self.moderator, Some((_, x)) if x.len() < 3) {
            warnings.push("meta-regression not fitted: it needs at least 3 studies".into());
        }
        Ok(Fitted {
            subgroups,
            cumulative,
            regression,
            warnings,
            moderator: self.moderator.as_ref().map(|(l, _)| l.clone()),
            subgroup_field: self.subgroup.as_ref().map(|(f, _)| f.clone()),
        })
    }
}

/// A fitted meta-regression and its line.
pub(crate) struct RegressionFit {
    /// The mixed-effects model.
    pub fit: RmaFit,
    /// Its predictions along the moderator's range.
    pub line: Vec<(f64, Prediction)>,
}

/// The fitted line of a one-moderator meta-regression at 41 points across
/// the moderator's range (the bubble plot's line and band).
pub fn regression_line(fit: &RmaFit, x: &[f64]) -> Vec<(f64, Prediction)> {
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let grid: Vec<f64> = (0..=40)
        .map(|j| lo + (hi - lo) * f64::from(j) / 40.0)
        .collect();
    let rows: Vec<Vec<f64>> = grid.iter().map(|g| vec![1.0, *g]).collect();
    grid.iter()
        .zip(crate::stats::pool::predict::predict(fit, &rows))
        .filter_map(|(g, p)| p.map(|p| (*g, p)))
        .collect()
}

/// The models fitted on the design.
pub(crate) struct Fitted {
    pub subgroups: Option<Subgroups>,
    /// Refits, the order (indices of studies) and its name.
    pub cumulative: Option<(Vec<Refit>, Vec<usize>, String)>,
    pub regression: Option<RegressionFit>,
    pub warnings: Vec<String>,
    /// The moderator's label.
    pub moderator: Option<String>,
    /// The field the subgroups come from.
    pub subgroup_field: Option<String>,
}

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

/// The default null of the funnel's contours (analysis scale).
pub(crate) fn default_null(measure: Measure) -> Option<f64> {
    match measure {
        Measure::HR | Measure::ROM | Measure::DOM | Measure::GEN => Some(0.0),
        _ => None,
    }
}
