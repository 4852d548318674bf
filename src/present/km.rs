//! Kaplan–Meier results as figure data (a fitted curve's steps, confidence
//! band, censor marks and the KMunicate counts at the axis ticks) and as a
//! table in words (median with its CI, S(t) in percent, RMST).

use crate::plot::KmCurve;
use crate::present::format::num;
use crate::workflow::survival::CurveSummary;

/// Steps, band and censor marks of a curve, with counts at the ticks.
pub fn plot_curve(c: &CurveSummary, ticks: &[f64]) -> KmCurve {
    let mut steps = vec![(0.0, 1.0)];
    let mut band = vec![(0.0, 1.0, 1.0)];
    let mut censored = Vec::new();
    for s in &c.fit.steps {
        if s.n_event > 0 {
            steps.push((s.time, s.surv));
            band.push((s.time, s.ci_lb, s.ci_ub));
        }
        if s.n_censor > 0 {
            censored.push((s.time, s.surv));
        }
    }
    // Carry the curve to the last observation.
    if let Some(last) = c.fit.steps.last() {
        if steps.last().is_some_and(|p| p.0 < last.time) {
            steps.push((last.time, last.surv));
            band.push((last.time, last.ci_lb, last.ci_ub));
        }
    }
    // Cumulative counts by each tick (the KMunicate rows).
    let by = |t: f64, f: fn(&crate::stats::survival::km::KmStep) -> usize| {
        c.fit
            .steps
            .iter()
            .filter(|s| s.time <= t)
            .map(f)
            .sum::<usize>()
    };
    KmCurve {
        label: format!("{} (n = {})", c.label, c.fit.n),
        steps,
        band: Some(band),
        censored,
        at_risk: ticks.iter().map(|t| c.fit.surv_at(*t).n_risk).collect(),
        censored_by: ticks.iter().map(|t| by(*t, |s| s.n_censor)).collect(),
        events_by: ticks.iter().map(|t| by(*t, |s| s.n_event)).collect(),
        median: c.median.estimate,
        points: Vec::new(),
    }
}

/// A median (or one of its bounds) in months, or "not reached".
pub fn months_or_not_reached(v: Option<f64>) -> String {
    v.map_or_else(|| "not reached".to_string(), |x| num(x, 1))
}

/// Header of the table of curves ([`summary_row`]): group, n, events, the
/// median, S at each of `times` and, when asked, the RMST to `rmst`.
pub fn summary_header(times: &[f64], rmst: Option<f64>) -> Vec<String> {
    let mut header = vec![
        "Group".to_string(),
        "n".into(),
        "events".into(),
        "median (95% CI), months".into(),
    ];
    header.extend(times.iter().map(|t| format!("S({}) (95% CI)", num(*t, 1))));
    if let Some(t) = rmst {
        header.push(format!("RMST to {} (SE)", num(t, 1)));
    }
    header
}

/// A curve's row of the table: S(t) in percent with its CI, or "beyond
/// follow-up" at a time after the curve's last observation.
pub fn summary_row(c: &CurveSummary) -> Vec<String> {
    let last = c.fit.steps.last().map_or(0.0, |s| s.time);
    let mut r = vec![
        c.label.clone(),
        c.fit.n.to_string(),
        c.fit.events.to_string(),
        format!(
            "{} ({}–{})",
            months_or_not_reached(c.median.estimate),
            months_or_not_reached(c.median.ci_lb),
            months_or_not_reached(c.median.ci_ub)
        ),
    ];
    r.extend(c.at.iter().map(|a| {
        if a.n_risk == 0 && a.time > last {
            "beyond follow-up".to_string()
        } else {
            format!(
                "{} ({}–{})",
                num(100.0 * a.surv, 0),
                percent_bound(a.ci_lb),
                percent_bound(a.ci_ub)
            )
        }
    }));
    if let Some((_, m, se)) = c.rmst {
        r.push(format!("{} ({})", num(m, 1), num(se, 1)));
    }
    r
}

/// A CI bound of S(t) in percent, or "—" where it is undefined.
fn percent_bound(v: f64) -> String {
    if v.is_finite() {
        num(100.0 * v, 0)
    } else {
        "—".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::survival::km::{kaplan_meier, ConfType};
    use crate::workflow::survival::summarise;

    /// Four patients, events at 2, 4 and 6 months, one censored at 8.
    fn curve(times: &[f64], rmst: Option<f64>) -> CurveSummary {
        let fit = kaplan_meier(
            &[2.0, 4.0, 6.0, 8.0],
            &[true, true, true, false],
            ConfType::Log,
            0.95,
        )
        .unwrap();
        summarise(vec![("All cases".into(), fit)], times, rmst).remove(0)
    }

    #[test]
    fn a_time_after_the_last_observation_is_beyond_follow_up() {
        let row = summary_row(&curve(&[3.0, 12.0], None));
        assert_eq!(row[0..3], ["All cases", "4", "3"]);
        assert!(row[4].starts_with("75 ("), "{row:?}");
        assert_eq!(row[5], "beyond follow-up");
    }

    #[test]
    fn a_median_the_upper_band_never_reaches_is_not_reached() {
        let row = summary_row(&curve(&[], None));
        assert!(row[3].starts_with("5 ("), "{row:?}");
        assert!(row[3].ends_with("–not reached)"), "{row:?}");
    }

    #[test]
    fn the_rmst_column_appears_only_when_asked() {
        assert_eq!(summary_header(&[12.0], None).len(), 5);
        let header = summary_header(&[12.0], Some(6.0));
        assert_eq!(header[4..], ["S(12) (95% CI)", "RMST to 6 (SE)"]);
        assert_eq!(summary_row(&curve(&[12.0], Some(6.0))).len(), 6);
    }
}
