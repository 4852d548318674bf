//! What the `pool` kind fits beyond the overall model, from fields of the
//! figures: subgroups (and the test for subgroup differences), a cumulative
//! meta-analysis in a stated order, and a meta-regression on one moderator
//! with its fitted line. The models come from [`crate::stats::pool`].

mod regression;
mod vocab;

pub use regression::regression_line;
pub(crate) use regression::RegressionFit;
pub use vocab::{CumulativeOrder, Moderator, SubgroupField, SubgroupTau2};

use crate::domain::{Figure, Vocab};
use crate::stats::pool::sensitivity::{cumulative, Refit};
use crate::stats::pool::subgroups::{self, Subgroups};
use crate::stats::pool::RmaParams;
use regression::regression;

use crate::workflow::pool::from_evidence::Entered;

type Problem = (String, String);

/// Per-study values of the requested designs.
pub(crate) struct Design {
    subgroup: Option<(SubgroupField, Vec<String>)>,
    order: Option<(CumulativeOrder, Vec<usize>)>,
    moderator: Option<(Moderator, Vec<f64>)>,
    warnings: Vec<String>,
}

/// A figure's value of the subgroup field, as the report prints it.
fn subgroup_value(f: &Figure, field: SubgroupField) -> String {
    match field {
        SubgroupField::Population => f.population.clone(),
        SubgroupField::Group => f.group.clone(),
        SubgroupField::NUnit => f.n_unit.to_string().replace('_', " "),
        SubgroupField::Outcome => f.outcome.to_string().replace('_', " "),
    }
}

/// The studies' indices in the cumulative order, and the warning when a
/// year is missing (those studies come last, in table order).
fn cumulative_order(
    by: CumulativeOrder,
    entered: &[Entered<'_>],
    names: &[String],
    years: &[Option<i32>],
) -> (Vec<usize>, Option<String>) {
    let mut idx: Vec<usize> = (0..entered.len()).collect();
    let mut warning = None;
    match by {
        CumulativeOrder::Year => {
            let missing: Vec<String> = idx
                .iter()
                .filter(|&&i| years[i].is_none())
                .map(|&i| names[i].clone())
                .collect();
            if !missing.is_empty() {
                warning = Some(format!(
                    "cumulative by year: no year for {}; added last, in table order",
                    missing.join(", ")
                ));
            }
            idx.sort_by_key(|&i| (years[i].is_none(), years[i]));
        }
        CumulativeOrder::Precision => {
            idx.sort_by(|&a, &b| entered[a].effect.vi.total_cmp(&entered[b].effect.vi));
        }
        CumulativeOrder::N => {
            idx.sort_by_key(|&i| std::cmp::Reverse(entered[i].figure.n.unwrap_or(0)));
        }
    }
    (idx, warning)
}

/// Each study's moderator value, or the problem naming the studies that lack it.
fn moderator_values(
    m: Moderator,
    entered: &[Entered<'_>],
    names: &[String],
    years: &[Option<i32>],
) -> Result<Vec<f64>, Problem> {
    let value = |i: usize| -> Option<f64> {
        let f = entered[i].figure;
        match m {
            Moderator::Year => years[i].map(f64::from),
            Moderator::N => f.n.map(|n| n as f64),
            Moderator::TimePoint => f.time_point,
        }
    };
    let missing: Vec<String> = (0..entered.len())
        .filter(|&i| value(i).is_none())
        .map(|i| names[i].clone())
        .collect();
    if !missing.is_empty() {
        let m = m.name();
        return Err((
            format!(
                "options.moderator: {m} is missing for {}",
                missing.join(", ")
            ),
            format!("add {m} to those rows of the figures table, or choose another moderator"),
        ));
    }
    Ok((0..entered.len()).filter_map(value).collect())
}

/// The distinct subgroup labels in R's factor order (numerically when every
/// label is a number, else as text: the order of `metafor.R`'s subgroup
/// loop and of the meta-regression's dummy coding), and each study's index
/// into them (shared by the `pool` kind and `survlit pool --by`).
pub(crate) fn subgroup_levels(values: &[String]) -> (Vec<String>, Vec<usize>) {
    crate::workflow::design::level_index(values)
}

impl Design {
    /// The designs' per-study values: `names` are the studies' labels (for
    /// messages), `years` their years of publication.
    pub fn new(
        entered: &[Entered<'_>],
        names: &[String],
        years: &[Option<i32>],
        subgroup: Option<SubgroupField>,
        order: Option<CumulativeOrder>,
        moderator: Option<Moderator>,
    ) -> Result<Design, Problem> {
        let subgroup = subgroup.map(|field| {
            let values = entered
                .iter()
                .map(|e| subgroup_value(e.figure, field))
                .collect();
            (field, values)
        });
        let mut warnings = Vec::new();
        let order = order.map(|by| {
            let (idx, warning) = cumulative_order(by, entered, names, years);
            warnings.extend(warning);
            (by, idx)
        });
        let moderator = match moderator {
            None => None,
            Some(m) => Some((m, moderator_values(m, entered, names, years)?)),
        };
        Ok(Design {
            subgroup,
            order,
            moderator,
            warnings,
        })
    }

    /// The moderator and each study's value.
    pub fn moderator(&self) -> Option<(Moderator, &[f64])> {
        self.moderator.as_ref().map(|(m, x)| (*m, x.as_slice()))
    }

    /// The subgroup field.
    pub fn subgroup_field(&self) -> Option<SubgroupField> {
        self.subgroup.as_ref().map(|(f, _)| *f)
    }

    /// Study i's subgroup.
    pub fn subgroup_of(&self, i: usize) -> Option<String> {
        self.subgroup.as_ref().map(|(_, v)| v[i].clone())
    }

    /// Fits the subgroups (with `tau2` their heterogeneity model), the
    /// cumulative refits and the meta-regression (at least 3 studies).
    pub fn fit(
        &self,
        y: &[f64],
        v: &[f64],
        labels: &[String],
        params: RmaParams,
        tau2: SubgroupTau2,
    ) -> Result<Fitted, Problem> {
        let stats =
            |e: crate::stats::StatsError| (e.to_string(), "check the selected figures".to_string());
        let subgroups = match &self.subgroup {
            None => None,
            Some((_, values)) => {
                let (names, level) = subgroup_levels(values);
                let common = tau2 == SubgroupTau2::Common;
                Some(subgroups::fit(y, v, labels, &level, names, params, common).map_err(stats)?)
            }
        };
        let cumulative = match &self.order {
            None => None,
            Some((by, order)) => Some((
                cumulative(y, v, labels, order, params).map_err(stats)?,
                order.clone(),
                *by,
            )),
        };
        let regression = match &self.moderator {
            None => None,
            Some((_, x)) if x.len() < 3 => None,
            Some((_, x)) => Some(regression(y, v, labels, params, x).map_err(stats)?),
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
            moderator: self.moderator.as_ref().map(|(m, _)| *m),
            subgroup_field: self.subgroup_field(),
        })
    }
}

/// The models fitted on the design.
pub(crate) struct Fitted {
    /// The subgroups' models and the test for subgroup differences.
    pub subgroups: Option<Subgroups>,
    /// Refits, the order (indices of studies) and the order asked for.
    pub cumulative: Option<(Vec<Refit>, Vec<usize>, CumulativeOrder)>,
    /// The meta-regression, when a moderator was given and k ≥ 3.
    pub regression: Option<RegressionFit>,
    /// Caveats of the design (missing years, a regression not fitted).
    pub warnings: Vec<String>,
    /// The moderator.
    pub moderator: Option<Moderator>,
    /// The field the subgroups come from.
    pub subgroup_field: Option<SubgroupField>,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::stats::effect::Effect;

    fn effect(vi: f64) -> Effect {
        Effect {
            yi: 0.5,
            vi,
            derivation: String::new(),
            flags: Vec::new(),
            derived: false,
        }
    }

    fn entered(figures: &[Figure]) -> Vec<Entered<'_>> {
        figures
            .iter()
            .enumerate()
            .map(|(i, f)| Entered {
                figure: f,
                effect: effect(0.1 / (i + 1) as f64),
            })
            .collect()
    }

    fn names(k: usize) -> Vec<String> {
        (0..k).map(|i| format!("S{i}")).collect()
    }

    #[test]
    fn subgroup_levels_follow_r_factor_order() {
        // Text when any label is text ...
        let values: Vec<String> = ["b", "10", "a", "9", "b"].map(String::from).to_vec();
        let (names, level) = subgroup_levels(&values);
        assert_eq!(names, ["10", "9", "a", "b"]);
        assert_eq!(level, [3, 0, 2, 1, 3]);
        // ... numerically when every label is a number, as R sorts them.
        let values: Vec<String> = ["10", "9", "2", "10"].map(String::from).to_vec();
        let (names, level) = subgroup_levels(&values);
        assert_eq!(names, ["2", "9", "10"]);
        assert_eq!(level, [2, 1, 0, 2]);
    }

    #[test]
    fn subgroups_read_the_figure_field_in_words() {
        let mut f = Figure::example("a", 1.0, 10);
        f.n_unit = crate::domain::NUnit::Patients;
        assert_eq!(subgroup_value(&f, SubgroupField::NUnit), "patients");
        assert_eq!(
            subgroup_value(&f, SubgroupField::Outcome),
            "overall survival"
        );
        assert_eq!(subgroup_value(&f, SubgroupField::Population), "population");
    }

    #[test]
    fn cumulative_by_year_puts_studies_without_a_year_last_and_says_so() {
        let figures = [
            Figure::example("a", 1.0, 10),
            Figure::example("b", 1.0, 30),
            Figure::example("c", 1.0, 20),
        ];
        let e = entered(&figures);
        let years = [None, Some(2020), Some(2010)];
        let (order, warning) = cumulative_order(CumulativeOrder::Year, &e, &names(3), &years);
        assert_eq!(order, [2, 1, 0]);
        assert_eq!(
            warning.as_deref(),
            Some("cumulative by year: no year for S0; added last, in table order")
        );
        let (order, warning) = cumulative_order(CumulativeOrder::N, &e, &names(3), &years);
        assert_eq!((order, warning), (vec![1, 2, 0], None));
        // Study i has vi = 0.1 / (i + 1): the last is the most precise.
        let (order, _) = cumulative_order(CumulativeOrder::Precision, &e, &names(3), &years);
        assert_eq!(order, [2, 1, 0]);
    }

    #[test]
    fn a_moderator_missing_for_a_study_is_refused_naming_it() {
        let mut figures = [Figure::example("a", 1.0, 10), Figure::example("b", 1.0, 30)];
        figures[1].time_point = Some(12.0);
        let e = entered(&figures);
        let Err((message, fix)) = Design::new(
            &e,
            &names(2),
            &[None, None],
            None,
            None,
            Some(Moderator::TimePoint),
        ) else {
            panic!("a missing time point must be refused");
        };
        assert_eq!(message, "options.moderator: time_point is missing for S0");
        assert!(fix.starts_with("add time_point to those rows"));
    }

    #[test]
    fn meta_regression_needs_three_studies() {
        let figures = [Figure::example("a", 1.0, 10), Figure::example("b", 1.0, 30)];
        let e = entered(&figures);
        let d = Design::new(&e, &names(2), &[None, None], None, None, Some(Moderator::N)).unwrap();
        assert_eq!(
            d.moderator().map(|(m, x)| (m, x.to_vec())),
            Some((Moderator::N, vec![10.0, 30.0]))
        );
        let params = RmaParams {
            method: crate::stats::pool::Tau2Method::REML,
            test: crate::stats::pool::TestKind::Z,
            level: 0.95,
        };
        let ids = names(2);
        let fitted = d
            .fit(
                &[0.1, 0.3],
                &[0.01, 0.02],
                &ids,
                params,
                SubgroupTau2::Separate,
            )
            .unwrap();
        assert!(fitted.regression.is_none());
        assert_eq!(
            fitted.warnings,
            ["meta-regression not fitted: it needs at least 3 studies"]
        );
        assert_eq!(fitted.moderator, Some(Moderator::N));
    }
}
