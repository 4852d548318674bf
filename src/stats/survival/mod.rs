//! Survival analysis on patient rows, as R's survival package defines it:
//! Kaplan–Meier curves ([`km`]), the G-ρ family of log-rank tests
//! ([`logrank`]) and Cox proportional hazards ([`cox`]). Pure computation:
//! slices in, result structs out.
//!
//! Events are `true`, censorings `false`; times are finite and ≥ 0.

pub mod cox;
pub mod digitised;
pub mod km;
pub mod logrank;
pub mod reconstruct;
pub mod zph;

/// Why a survival statistic could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SurvError {
    /// No subjects.
    #[error("no subjects")]
    Empty,
    /// Time and event columns differ in length.
    #[error("{times} times but {events} event indicators")]
    Length {
        /// Times.
        times: usize,
        /// Events.
        events: usize,
    },
    /// A time is negative or not finite.
    #[error("subject {index}: time {time} must be finite and >= 0")]
    BadTime {
        /// 0-based subject.
        index: usize,
        /// The time.
        time: f64,
    },
    /// A covariate value is not finite.
    #[error("subject {index}: covariate '{term}' is {value}")]
    BadCovariate {
        /// 0-based subject.
        index: usize,
        /// The term.
        term: String,
        /// The value.
        value: f64,
    },
    /// The test needs at least two groups.
    #[error("need at least two groups, got {0}")]
    OneGroup(usize),
    /// No events at all.
    #[error("no events: every subject is censored")]
    NoEvents,
    /// The information matrix is singular (collinear covariates, or a
    /// covariate constant within every risk set).
    #[error("the Cox information matrix is singular (collinear or constant covariates)")]
    Singular,
    /// The groups never meet in a risk set (e.g. each stratum holds one
    /// group only), so the test has no information.
    #[error("the groups never share a risk set within a stratum: the test has no information")]
    NoInformation,
    /// A covariate does not vary within any stratum.
    #[error("covariate {0} is constant within every stratum: its coefficient cannot be estimated")]
    ConstantInStrata(usize),
    /// Newton–Raphson did not converge (e.g. monotone likelihood: a
    /// covariate perfectly separates events).
    #[error("Cox model did not converge in {0} iterations (a coefficient may be infinite: check for a covariate that separates events)")]
    DidNotConverge(usize),
}

/// Lengths agree, at least one subject, times finite and ≥ 0.
pub(crate) fn check_input(time: &[f64], event: &[bool]) -> Result<(), SurvError> {
    if time.len() != event.len() {
        return Err(SurvError::Length {
            times: time.len(),
            events: event.len(),
        });
    }
    if time.is_empty() {
        return Err(SurvError::Empty);
    }
    if let Some((index, &time)) = time
        .iter()
        .enumerate()
        .find(|(_, t)| !(t.is_finite() && **t >= 0.0))
    {
        return Err(SurvError::BadTime { index, time });
    }
    Ok(())
}

/// Subjects sorted by time, as `(key, tag)` pairs: `key` orders as the
/// time does and `tag` carries what the caller needs per subject (event,
/// group). Sorting these 16-byte pairs directly, instead of an index vector
/// compared through the time slice, keeps the sort in cache: at 10⁶
/// subjects it is several times faster. Times must have passed
/// [`check_input`] (finite, ≥ 0): the bit patterns of non-negative floats
/// order as their values, once −0 is folded into +0.
pub(crate) fn sorted_by_time(
    time: &[f64],
    tag: impl Fn(usize) -> u32,
    members: impl Iterator<Item = usize>,
) -> Vec<(u64, u32)> {
    let mut keyed: Vec<(u64, u32)> = members.map(|i| (time_key(time[i]), tag(i))).collect();
    keyed.sort_unstable();
    keyed
}

/// The sort key of a time that passed [`check_input`].
pub(crate) fn time_key(t: f64) -> u64 {
    (t + 0.0).to_bits()
}

/// The time back from its key.
pub(crate) fn key_time(k: u64) -> f64 {
    f64::from_bits(k)
}

#[cfg(test)]
mod sort_tests {
    use super::*;

    #[test]
    fn keys_order_as_times() {
        let t = [3.5, 0.0, -0.0, 1e-300, 2.0, 1e300, 2.0];
        let s = sorted_by_time(&t, |i| i as u32, 0..t.len());
        let times: Vec<f64> = s.iter().map(|p| key_time(p.0)).collect();
        assert_eq!(times, vec![0.0, 0.0, 1e-300, 2.0, 2.0, 3.5, 1e300]);
        assert!(times[0].is_sign_positive() && times[1].is_sign_positive());
    }
}
