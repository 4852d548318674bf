//! Patient-level data reconstructed from a published Kaplan–Meier curve
//! (Guyot, Ades, Ouwens & Welton 2012, BMC Med Res Methodol 12:9): from
//! digitised (time, S) points, the numbers at risk printed under the figure
//! and, when reported, the total number of events.
//!
//! Within each interval between printed at-risk times, censorings are
//! spread evenly and their number adjusted until the estimated number at
//! risk at the next printed time matches the printed one; events at each
//! digitised point are those that reproduce the curve's drop. In the last
//! interval the censoring rate is the average of the earlier ones, or is
//! adjusted so that the total number of events matches the reported one.
//! Events sit at the digitised times, censorings at the midpoints between
//! digitised times, and patients still at risk at the end are censored at
//! the last digitised time. The result is deterministic.
//!
//! Input tiers: points with only the number at risk at time 0 (N); points
//! with numbers at risk at several times; either of these plus the total
//! events. [`Reconstruction::tier`] says which was used.

use super::km::{kaplan_meier, ConfType};
use super::SurvError;

/// What the reconstruction had to work with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Curve points and N only (no censoring can be inferred).
    Points,
    /// Curve points and N plus the total number of events.
    PointsEvents,
    /// Curve points and numbers at risk at several times.
    PointsRisk,
    /// Curve points, numbers at risk and the total number of events.
    PointsRiskEvents,
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Tier::Points => "points + N",
            Tier::PointsEvents => "points + N + total events",
            Tier::PointsRisk => "points + numbers at risk",
            Tier::PointsRiskEvents => "points + numbers at risk + total events",
        })
    }
}

/// One reconstructed patient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Patient {
    /// Time of the event or censoring.
    pub time: f64,
    /// Event (`true`) or censored.
    pub event: bool,
}

/// Agreement between the reconstruction and what was published.
#[derive(Debug, Clone, PartialEq)]
pub struct Qa {
    /// max |S_reconstructed(t) − S_digitised(t)| over the digitised points.
    pub max_abs_diff: f64,
    /// Root mean square of the same differences.
    pub rms_diff: f64,
    /// (time, printed, reconstructed) numbers at risk, at the printed times
    /// before the last digitised point.
    pub at_risk: Vec<(f64, usize, usize)>,
}

impl Qa {
    /// Largest |printed − reconstructed| / printed number at risk (0 when
    /// only N was printed).
    pub fn max_at_risk_rel_diff(&self) -> f64 {
        self.at_risk
            .iter()
            .map(|(_, p, q)| (*p as f64 - *q as f64).abs() / (*p as f64).max(1.0))
            .fold(0.0, f64::max)
    }
}

/// The reconstructed arm.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconstruction {
    /// Patients, events first then censorings, each in time order.
    pub patients: Vec<Patient>,
    /// The input tier used.
    pub tier: Tier,
    /// Agreement with the inputs.
    pub qa: Qa,
    /// Caveats (inconsistent inputs, adjustments).
    pub warnings: Vec<String>,
}

impl Reconstruction {
    /// Number of events.
    pub fn events(&self) -> usize {
        self.patients.iter().filter(|p| p.event).count()
    }
}

const MAX_ADJUST: usize = 10_000;

/// Reconstructs one arm. `times`/`surv` are the cleaned digitised points
/// (ascending strictly in time, S non-increasing in [0, 1], starting at
/// (0, 1)); `risk` the printed (time, number at risk), the first at time 0.
pub fn reconstruct(
    times: &[f64],
    surv: &[f64],
    risk: &[(f64, usize)],
    total_events: Option<usize>,
) -> Result<Reconstruction, SurvError> {
    let mut warnings = Vec::new();
    let nt = times.len();
    if nt < 2 || risk.is_empty() {
        return Err(SurvError::Empty);
    }
    // Intervals between printed times that hold digitised points.
    let mut lower = Vec::new();
    let mut upper = Vec::new();
    let mut nrisk: Vec<i64> = Vec::new();
    for (j, &(t, n)) in risk.iter().enumerate() {
        let next = risk.get(j + 1).map_or(f64::INFINITY, |r| r.0);
        let lo = times.partition_point(|x| *x < t);
        let hi = times.partition_point(|x| *x < next);
        if lo >= hi {
            warnings.push(format!(
                "no digitised point between at-risk times {t} and {next}: that interval is skipped"
            ));
            continue;
        }
        lower.push(lo);
        upper.push(hi - 1);
        nrisk.push(n as i64);
    }
    if lower.is_empty() {
        return Err(SurvError::Empty);
    }
    lower[0] = 0;
    let nint = lower.len();
    let printed: Vec<(f64, usize)> = risk.to_vec();
    let mut n_hat = vec![nrisk[0] + 1; nt + 1];
    let mut cen = vec![0i64; nt];
    let mut d = vec![0i64; nt];
    let mut km_hat = vec![1.0f64; nt];
    let mut last_i = vec![0usize; nint];
    let mut n_censor = vec![0i64; nint];

    // Spread `count` censorings evenly on (a, b], binned by the digitised
    // times from index `from` to `to` (bins (t_k, t_k+1], the first closed).
    let spread = |cen: &mut [i64], count: i64, from: usize, to: usize| {
        for c in cen.iter_mut().take(to).skip(from) {
            *c = 0;
        }
        if count <= 0 {
            return;
        }
        let (a, b) = (times[from], times[to]);
        for j in 1..=count {
            let t = a + j as f64 * (b - a) / (count + 1) as f64;
            // Bin k with t_k < t <= t_k+1 (t = a goes to the first bin).
            let k = times[from..=to].partition_point(|x| *x < t).max(1) - 1 + from;
            cen[k.min(to - 1)] += 1;
        }
    };
    let events_at = |n: i64, s: f64, km_last: f64| -> i64 {
        if km_last <= 0.0 || n <= 0 {
            return 0;
        }
        ((n as f64 * (1.0 - s / km_last)).round() as i64).clamp(0, n)
    };

    for i in 0..nint.saturating_sub(1) {
        let (lo, hi, next_lo) = (lower[i], upper[i], lower[i + 1]);
        n_censor[i] =
            (nrisk[i] as f64 * surv[next_lo] / surv[lo] - nrisk[i + 1] as f64).round() as i64;
        let mut guard = 0;
        let mut last = last_i[i];
        while n_hat[next_lo] > nrisk[i + 1] || (n_hat[next_lo] < nrisk[i + 1] && n_censor[i] > 0) {
            guard += 1;
            if guard > MAX_ADJUST {
                warnings.push(format!("interval from {}: censoring could not be matched to the printed number at risk", times[lo]));
                break;
            }
            if n_censor[i] <= 0 {
                n_censor[i] = 0;
            }
            spread(&mut cen, n_censor[i], lo, next_lo);
            n_hat[lo] = nrisk[i];
            last = last_i[i];
            for k in lo..=hi {
                if i == 0 && k == lo {
                    d[k] = 0;
                    km_hat[k] = 1.0;
                } else {
                    d[k] = events_at(n_hat[k], surv[k], km_hat[last]);
                    km_hat[k] = if n_hat[k] > 0 {
                        km_hat[last] * (1.0 - d[k] as f64 / n_hat[k] as f64)
                    } else {
                        km_hat[last]
                    };
                }
                n_hat[k + 1] = n_hat[k] - d[k] - cen[k];
                if d[k] != 0 {
                    last = k;
                }
            }
            n_censor[i] += n_hat[next_lo] - nrisk[i + 1];
        }
        if n_hat[next_lo] < nrisk[i + 1] {
            warnings.push(format!(
                "at time {}: the curve leaves fewer at risk ({}) than printed ({}); the printed number is lowered",
                times[next_lo], n_hat[next_lo], nrisk[i + 1]
            ));
            nrisk[i + 1] = n_hat[next_lo];
        }
        last_i[i + 1] = last;
    }

    // Last interval.
    let li = nint - 1;
    let (lo, hi) = (lower[li], upper[li]);
    n_censor[li] = if nint > 1 {
        let span_before = times[upper[li - 1]] - times[lower[0]];
        let rate = if span_before > 0.0 {
            n_censor[..li].iter().sum::<i64>() as f64 / span_before
        } else {
            0.0
        };
        ((rate * (times[hi] - times[lo])).round() as i64).min(nrisk[li])
    } else {
        0
    };
    let last_interval = |cen: &mut Vec<i64>,
                         d: &mut Vec<i64>,
                         km_hat: &mut Vec<f64>,
                         n_hat: &mut Vec<i64>,
                         ncen: i64| {
        if hi > lo {
            spread(cen, ncen.max(0), lo, hi);
        }
        n_hat[lo] = nrisk[li];
        let mut last = last_i[li];
        for k in lo..=hi {
            d[k] = events_at(n_hat[k], surv[k], km_hat[last]);
            km_hat[k] = if n_hat[k] > 0 {
                km_hat[last] * (1.0 - d[k] as f64 / n_hat[k] as f64)
            } else {
                km_hat[last]
            };
            n_hat[k + 1] = n_hat[k] - d[k] - cen[k];
            if n_hat[k + 1] < 0 {
                n_hat[k + 1] = 0;
                cen[k] = n_hat[k] - d[k];
            }
            if d[k] != 0 {
                last = k;
            }
        }
    };
    last_interval(&mut cen, &mut d, &mut km_hat, &mut n_hat, n_censor[li]);
    if let Some(tot) = total_events {
        let tot = tot as i64;
        let before: i64 = if nint > 1 {
            d[..=upper[li - 1]].iter().sum()
        } else {
            0
        };
        if nint > 1 && before >= tot {
            warnings.push(format!(
                "the curve implies {before} events before the last at-risk time, at least the {tot} reported: no events placed after it"
            ));
            for k in lo..=hi {
                d[k] = 0;
                if k < hi {
                    cen[k] = 0;
                }
                n_hat[k + 1] = nrisk[li];
            }
        } else {
            let mut sumd: i64 = d[..=hi].iter().sum();
            let mut guard = 0;
            while sumd > tot || (sumd < tot && n_censor[li] > 0) {
                guard += 1;
                if guard > MAX_ADJUST {
                    warnings.push("total events could not be matched exactly".into());
                    break;
                }
                n_censor[li] += sumd - tot;
                if n_censor[li] <= 0 {
                    n_censor[li] = 0;
                }
                last_interval(&mut cen, &mut d, &mut km_hat, &mut n_hat, n_censor[li]);
                sumd = d[..=hi].iter().sum();
            }
            if sumd != tot {
                warnings.push(format!("reconstructed {sumd} events, {tot} reported"));
            }
        }
    }

    // Patients: events at digitised times, censorings at midpoints, the rest
    // censored at the last digitised time.
    let n0 = nrisk[0];
    let mut patients = Vec::with_capacity(n0.max(0) as usize);
    for k in 0..nt {
        for _ in 0..d[k].max(0) {
            patients.push(Patient {
                time: times[k],
                event: true,
            });
        }
    }
    for k in 0..nt - 1 {
        for _ in 0..cen[k].max(0) {
            patients.push(Patient {
                time: (times[k] + times[k + 1]) / 2.0,
                event: false,
            });
        }
    }
    let rest = n0 - patients.len() as i64;
    if rest < 0 {
        warnings.push(format!(
            "{} more events and censorings than patients; the counts are inconsistent",
            -rest
        ));
    }
    for _ in 0..rest.max(0) {
        patients.push(Patient {
            time: times[nt - 1],
            event: false,
        });
    }

    let tier = match (nint > 1 || risk.len() > 1, total_events.is_some()) {
        (false, false) => Tier::Points,
        (false, true) => Tier::PointsEvents,
        (true, false) => Tier::PointsRisk,
        (true, true) => Tier::PointsRiskEvents,
    };
    let qa = qa(&patients, times, surv, &printed)?;
    Ok(Reconstruction {
        patients,
        tier,
        qa,
        warnings,
    })
}

/// The KM of the reconstruction against the digitised points and the
/// printed numbers at risk.
fn qa(
    patients: &[Patient],
    times: &[f64],
    surv: &[f64],
    printed: &[(f64, usize)],
) -> Result<Qa, SurvError> {
    let t: Vec<f64> = patients.iter().map(|p| p.time).collect();
    let e: Vec<bool> = patients.iter().map(|p| p.event).collect();
    let fit = kaplan_meier(&t, &e, ConfType::Log, 0.95)?;
    let diffs: Vec<f64> = times
        .iter()
        .zip(surv)
        .map(|(t, s)| (fit.surv_at(*t).surv - s).abs())
        .collect();
    let max_abs_diff = diffs.iter().copied().fold(0.0, f64::max);
    let rms_diff = (diffs.iter().map(|d| d * d).sum::<f64>() / diffs.len() as f64).sqrt();
    // Printed times at or after the last digitised point say nothing the
    // reconstruction can match (everyone left is censored at that point).
    let end = times.last().copied().unwrap_or(0.0);
    let at_risk = printed
        .iter()
        .filter(|(time, _)| *time < end)
        .map(|&(time, n)| {
            let idx = fit.steps.partition_point(|s| s.time < time);
            (time, n, fit.steps.get(idx).map_or(0, |s| s.n_risk))
        })
        .collect();
    Ok(Qa {
        max_abs_diff,
        rms_diff,
        at_risk,
    })
}
