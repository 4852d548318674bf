//! Descriptive statistics of a sample (what a paper's "mean age 43.2 years,
//! range 36–47" summarises), as R's `mean`, `median` and `range` compute them.

use super::medians::pool_med::quantile_type7;

/// Mean, median and range of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Size.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median (the middle value, or the mean of the two middle ones).
    pub median: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// The summary of `values`; `None` when empty or any value is not finite.
pub fn describe(values: &[f64]) -> Option<Summary> {
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(Summary {
        n: values.len(),
        mean: values.iter().sum::<f64>() / values.len() as f64,
        median: quantile_type7(&sorted, 0.5),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_mean_median_and_range() {
        // R: mean(c(50, 61, 47)) = 52.66667; median = 50; range 47 61.
        let s = describe(&[50.0, 61.0, 47.0]).unwrap();
        assert!((s.mean - 52.666_666_666_666_664).abs() < 1e-12);
        assert_eq!((s.median, s.min, s.max, s.n), (50.0, 47.0, 61.0, 3));
        // Even n: the mean of the two middle values (median(c(1, 2, 4, 9)) = 3).
        assert_eq!(describe(&[9.0, 1.0, 4.0, 2.0]).unwrap().median, 3.0);
        assert!(describe(&[]).is_none());
        assert!(describe(&[1.0, f64::NAN]).is_none());
    }
}
