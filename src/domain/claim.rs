//! A claim made in a draft (a sentence citing a number), to be audited
//! against the evidence table.

use super::{Origin, Outcome, Statistic, StudyId, Unit};

/// How closely a cited figure must agree with the claim's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimMatch {
    /// Equal once rounded to the claim's printed precision ("46" matches
    /// 45.5–46.5; "76.4%" matches 76.35–76.45 %).
    Rounded,
    /// Within 10 % of the claim ("around 5 years").
    Approximate,
}

/// One claim of a draft: its number and what it says the number is.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Identifier, unique in the claims table.
    pub claim_id: String,
    /// The sentence of the draft.
    pub text: String,
    /// The number, in the canonical unit (months, proportion, ...).
    pub value: f64,
    /// Half the width the claim's number covers, in the canonical unit.
    pub tolerance: f64,
    /// Canonical unit of `value`.
    pub unit: Unit,
    /// The number as written in the claims table.
    pub reported_value: String,
    /// The unit as written.
    pub reported_unit: Unit,
    /// What the claim says the number is (median, proportion_at_t, ...).
    pub statistic: Option<Statistic>,
    /// Outcome, when the claim names one.
    pub outcome: Option<Outcome>,
    /// Population the claim attributes the number to ("bone LMS").
    pub population: Option<String>,
    /// Time point of a proportion, in months.
    pub time_point: Option<f64>,
    /// Number of patients the claim gives.
    pub n: Option<u64>,
    /// The study the claim cites (none: unsourced).
    pub study_id: Option<StudyId>,
    /// How close the number must be.
    pub matching: ClaimMatch,
    /// Where in the draft the claim is (section, page).
    pub location: Option<String>,
    /// Where the row was read.
    pub origin: Origin,
}
