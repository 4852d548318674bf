//! Kaplan–Meier results as figure data (a fitted curve's steps, confidence
//! band, censor marks and the KMunicate counts at the axis ticks) and as a
//! table in words (median with its CI, S(t) in percent, RMST).

use crate::plot::{time_ticks, KmCurve, KmPlot};
use crate::present::format::num;
use crate::workflow::survival::CurveSummary;

/// The time axis of a Kaplan–Meier figure as the user sets it: ticks,
/// where it ends, its title and the unit it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeAxis {
    /// Ticks, in the shown unit; automatic (1-2-5 steps) when absent.
    pub breaks: Option<Vec<f64>>,
    /// Where the axis ends, in the shown unit; the last follow-up (or the
    /// last break, if later) when absent.
    pub max: Option<f64>,
    /// Axis title; "Time (unit)" when absent.
    pub label: Option<String>,
    /// The unit shown ("months"); no unit in the title when empty.
    pub unit: String,
    /// Shown units per unit of the data (1/12 to show months as years).
    pub scale: f64,
}

impl TimeAxis {
    /// An automatic axis in `unit`, the data's own.
    pub fn in_unit(unit: &str) -> TimeAxis {
        TimeAxis {
            breaks: None,
            max: None,
            label: None,
            unit: unit.to_string(),
            scale: 1.0,
        }
    }

    /// "Time (months)", or "Time" without a unit.
    pub fn default_label(&self) -> String {
        if self.unit.is_empty() {
            "Time".to_string()
        } else {
            format!("Time ({})", self.unit)
        }
    }

    /// The ticks and the end of the axis (shown units) for data whose last
    /// time is `last` (data units); an error says which setting is wrong.
    pub fn ticks_and_end(&self, last: f64) -> Result<(Vec<f64>, f64), String> {
        if let Some(m) = self.max.filter(|m| !(m.is_finite() && *m > 0.0)) {
            return Err(format!("time_max {m} must be a positive number"));
        }
        let last = last * self.scale;
        match &self.breaks {
            None => {
                let end = self.max.unwrap_or(last);
                Ok((time_ticks(end), if end > 0.0 { end } else { 1.0 }))
            }
            Some(b) => {
                if b.is_empty()
                    || b.iter().any(|t| !(t.is_finite() && *t >= 0.0))
                    || b.windows(2).any(|w| w[1] <= w[0])
                {
                    return Err(format!(
                        "time_breaks {b:?} must be increasing times from 0 or later"
                    ));
                }
                let end = self.max.unwrap_or_else(|| last.max(b[b.len() - 1]));
                let ticks: Vec<f64> = b.iter().copied().filter(|t| *t <= end).collect();
                if ticks.is_empty() {
                    return Err(format!("no time_breaks at or before time_max {end}"));
                }
                Ok((ticks, end.max(f64::MIN_POSITIVE)))
            }
        }
    }
}

/// The curves of a Kaplan–Meier figure on `axis`: times shown in its unit,
/// counts at its ticks, everything after its end cut off. `base` carries the
/// figure's words (title, notes, width); its curves, ticks and axis are
/// replaced.
pub fn km_figure(curves: &[CurveSummary], axis: &TimeAxis, base: KmPlot) -> Result<KmPlot, String> {
    let last = curves
        .iter()
        .flat_map(|c| c.fit.steps.last().map(|s| s.time))
        .fold(0.0, f64::max);
    let (ticks, end) = axis.ticks_and_end(last)?;
    let data_ticks: Vec<f64> = ticks.iter().map(|t| t / axis.scale).collect();
    let curves = curves
        .iter()
        .map(|c| shown(plot_curve(c, &data_ticks), axis.scale, end))
        .collect();
    Ok(KmPlot {
        x_label: axis.label.clone().unwrap_or_else(|| axis.default_label()),
        curves,
        ticks,
        x_max: end,
        ..base
    })
}

/// A curve's times in shown units, cut at `end` (its steps carried to it).
pub fn shown(mut c: KmCurve, scale: f64, end: f64) -> KmCurve {
    let cut = |v: &mut Vec<(f64, f64)>| {
        v.iter_mut().for_each(|p| p.0 *= scale);
        let carried = v.iter().rev().find(|p| p.0 <= end).copied();
        let beyond = v.iter().any(|p| p.0 > end);
        v.retain(|p| p.0 <= end);
        (carried, beyond)
    };
    let (carried, beyond) = cut(&mut c.steps);
    if let (Some((_, s)), true) = (carried, beyond) {
        c.steps.push((end, s));
    }
    if let Some(band) = c.band.as_mut() {
        band.iter_mut().for_each(|p| p.0 *= scale);
        let last = band.iter().rev().find(|p| p.0 <= end).copied();
        let beyond = band.iter().any(|p| p.0 > end);
        band.retain(|p| p.0 <= end);
        if let (Some((_, lo, hi)), true) = (last, beyond) {
            band.push((end, lo, hi));
        }
    }
    cut(&mut c.censored);
    cut(&mut c.points);
    c.median = c.median.map(|m| m * scale);
    c
}

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

    /// Breaks and end as set (in years for data in months), automatic
    /// ticks ending at the last follow-up otherwise; the counts follow the
    /// breaks and nothing is drawn after the end.
    #[test]
    fn the_time_axis_follows_the_options_and_the_risk_table_its_breaks() {
        let c = curve(&[], None);
        let auto = TimeAxis::in_unit("months");
        assert_eq!(
            auto.ticks_and_end(8.0).unwrap(),
            (vec![0.0, 2.0, 4.0, 6.0, 8.0], 8.0)
        );
        let axis = TimeAxis {
            breaks: Some(vec![0.0, 3.0, 6.0]),
            max: Some(5.0),
            label: Some("Months since surgery".into()),
            ..TimeAxis::in_unit("months")
        };
        let base = KmPlot {
            title: String::new(),
            subtitle: None,
            x_label: String::new(),
            curves: Vec::new(),
            ticks: Vec::new(),
            x_max: 0.0,
            kmunicate: true,
            width_mm: 85.0,
            footnote: None,
        };
        let p = km_figure(std::slice::from_ref(&c), &axis, base.clone()).unwrap();
        assert_eq!(p.ticks, [0.0, 3.0], "the break after the end is dropped");
        assert_eq!((p.x_max, p.x_label.as_str()), (5.0, "Months since surgery"));
        assert_eq!(p.curves[0].at_risk, [4, 3]);
        assert_eq!(
            p.curves[0].steps.last(),
            Some(&(5.0, 0.5)),
            "carried to the end"
        );
        assert!(p.curves[0].censored.is_empty(), "the censoring at 8 is cut");
        let years = TimeAxis {
            scale: 1.0 / 12.0,
            ..TimeAxis::in_unit("years")
        };
        let p = km_figure(&[c], &years, base).unwrap();
        assert_eq!(p.x_label, "Time (years)");
        assert!((p.x_max - 8.0 / 12.0).abs() < 1e-12);
        assert_eq!(p.ticks, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
        let bad = TimeAxis {
            breaks: Some(vec![0.0, 24.0, 12.0]),
            ..TimeAxis::in_unit("months")
        };
        assert!(bad
            .ticks_and_end(30.0)
            .unwrap_err()
            .contains("must be increasing"));
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
