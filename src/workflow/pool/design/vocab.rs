//! The vocabularies of the design options: which field forms the subgroups,
//! how their heterogeneity is modelled, the cumulative order and the
//! moderator, each spelled as survlit.toml and the CLI spell them.

use crate::domain::{parsed_as_vocab, Vocab};

/// The field of the figures whose values form the subgroups (`subgroup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubgroupField {
    /// The figure's population.
    Population,
    /// The figure's group (arm).
    Group,
    /// What n counts (patients, lesions, ...).
    NUnit,
    /// The outcome.
    Outcome,
}

impl Vocab for SubgroupField {
    const WHAT: &'static str = "subgroup field";
    const ALL: &'static [(&'static str, Self)] = &[
        ("population", Self::Population),
        ("group", Self::Group),
        ("n_unit", Self::NUnit),
        ("outcome", Self::Outcome),
    ];
}

/// How the subgroups' heterogeneity is modelled (`subgroup_tau2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubgroupTau2 {
    /// One τ² per subgroup; differences by the Q-between test (the default).
    #[default]
    Separate,
    /// One τ² shared by all (a mixed-effects model on the subgroup factor).
    Common,
}

impl Vocab for SubgroupTau2 {
    const WHAT: &'static str = "subgroup tau² model";
    const ALL: &'static [(&'static str, Self)] =
        &[("separate", Self::Separate), ("common", Self::Common)];
}

/// The order in which a cumulative meta-analysis adds the studies (`cumulative`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CumulativeOrder {
    /// By year of publication; studies without a year last, in table order.
    Year,
    /// Most precise first (smallest sampling variance).
    Precision,
    /// Largest first (n).
    N,
}

impl Vocab for CumulativeOrder {
    const WHAT: &'static str = "cumulative order";
    const ALL: &'static [(&'static str, Self)] = &[
        ("year", Self::Year),
        ("precision", Self::Precision),
        ("n", Self::N),
    ];
}

/// The moderator of the meta-regression (`moderator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderator {
    /// The study's year of publication.
    Year,
    /// The figure's sample size.
    N,
    /// The figure's time point (months).
    TimePoint,
}

impl Vocab for Moderator {
    const WHAT: &'static str = "moderator";
    const ALL: &'static [(&'static str, Self)] = &[
        ("year", Self::Year),
        ("n", Self::N),
        ("time_point", Self::TimePoint),
    ];
}

parsed_as_vocab!(SubgroupField, SubgroupTau2, CumulativeOrder, Moderator);
