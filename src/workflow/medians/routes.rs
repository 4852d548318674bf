//! The route each figure's numbers allow in the `medians` kind: for median
//! survival, (a) CI → Wald SE, (b) events → exponential-model SE, (c) n
//! only, (d) not reached; for means of a continuous outcome, a mean with
//! its SD, or a median with a range/IQR converted to a mean and SD.

use crate::domain::{Figure, Statistic, ValueStatus};
use crate::stats::effect::{median, Effect};
use crate::stats::medians::boxcox::{bc_mean_sd, mln_mean_sd};
use crate::stats::medians::fivenum::{self, ClosedForm};
use crate::stats::medians::qe::{qe_fit, Convention};
use crate::stats::medians::FiveNum;

use crate::number::num;
use crate::workflow::medians::{ConvertMethod, SkewedPolicy};

/// The route a figure's numbers allow.
#[derive(Debug, Clone)]
pub(crate) enum Route {
    /// (a) or (b), or a (converted) mean: a value with an SE.
    Se(Effect, String),
    /// A continuous-outcome figure that cannot enter (why).
    Listed(String),
    /// (c) a median and n, nothing for an SE.
    NOnly,
    /// A median with neither n nor CI nor events.
    ValueOnly,
    /// (d) not reached (or not reported).
    NoValue(String),
}

impl Route {
    pub(crate) fn label(&self) -> String {
        match self {
            Route::Se(_, r) => r.clone(),
            Route::Listed(s) => s.clone(),
            Route::NOnly => "c: median and n only: median-of-medians methods only".into(),
            Route::ValueOnly => "median without n, CI or events: listed only".into(),
            Route::NoValue(s) => format!("d: {s}: not a number, never pooled"),
        }
    }
}

pub(crate) fn route(f: &Figure) -> Route {
    if f.value_status != ValueStatus::Reported {
        return Route::NoValue(f.value_status.to_string().replace('_', " "));
    }
    let Some(v) = f.value else {
        return Route::NoValue("no value".into());
    };
    if let Some(c) =
        f.ci.filter(|c| c.bounds.lower.is_some() || c.bounds.upper.is_some())
    {
        // A CI that cannot give an SE (median outside it) is reported, not
        // silently replaced by a weaker route.
        return match median::med(median::ReportedMedian {
            median: Some(v),
            lower: c.bounds.lower,
            upper: c.bounds.upper,
            level: c.level,
        }) {
            Ok(e) => Route::Se(
                e,
                "a: CI → Wald SE = (upper − lower)/(2z) (McGrath 2025)".into(),
            ),
            Err(e) => Route::Listed(format!("CI unusable: {e}; check the source")),
        };
    }
    if let Some(d) = f.events {
        if let Ok(e) = median::med_from_events(v, d) {
            return Route::Se(
                e,
                "b: events, no CI → SE(log median) = 1/√d, exponential model (model-based)".into(),
            );
        }
    }
    if f.n.is_some() {
        Route::NOnly
    } else {
        Route::ValueOnly
    }
}

impl ConvertMethod {
    pub(crate) fn text(self) -> &'static str {
        match self {
            ConvertMethod::Closed(ClosedForm::LuoShi) => {
                "Luo 2018 mean; Wan 2014 SD, Shi 2020 with five numbers"
            }
            ConvertMethod::Closed(ClosedForm::LuoWan) => "Luo 2018 mean, Wan 2014 SD",
            ConvertMethod::Closed(ClosedForm::Hozo) => {
                "Hozo 2005 (Wan 2014 for an IQR, Bland 2015 for five numbers)"
            }
            ConvertMethod::Qe => "quantile estimation, McGrath 2020b",
            ConvertMethod::Bc => "Box-Cox, McGrath 2020b, expectation by integration",
            ConvertMethod::Mln => "MLN, Cai 2021, expectation by integration",
        }
    }
}

/// The route of a continuous-outcome figure when means are pooled: a mean
/// with its SD and n, or a median with a range and/or IQR converted (and
/// flagged), or why it cannot enter.
pub(crate) fn route_mean(f: &Figure, conversion: ConvertMethod, skewed: SkewedPolicy) -> Route {
    if f.value_status != ValueStatus::Reported {
        return Route::NoValue(f.value_status.to_string().replace('_', " "));
    }
    let Some(v) = f.value else {
        return Route::NoValue("no value".into());
    };
    let Some(n) = f.n else {
        return Route::Listed("no n: cannot be weighted".into());
    };
    let n = n as f64;
    if f.statistic == Statistic::Mean {
        return match f.sd {
            Some(sd) if sd > 0.0 => Route::Se(
                median::mean_sd(
                    v,
                    sd,
                    n,
                    false,
                    format!("yi = mean {v}; SE = SD/sqrt(n) = {sd}/sqrt({n})"),
                ),
                "mean and SD: SE = SD/√n".into(),
            ),
            _ => Route::Listed("mean without SD: no SE, listed only".into()),
        };
    }
    let five = FiveNum {
        n,
        min: f.range.and_then(|r| r.lower),
        q1: f.iqr.and_then(|r| r.lower),
        median: v,
        q3: f.iqr.and_then(|r| r.upper),
        max: f.range.and_then(|r| r.upper),
    };
    let sc = match five.scenario() {
        Ok(sc) => sc,
        Err(e) => return Route::Listed(format!("median cannot be converted: {e}")),
    };
    let skew = fivenum::skew_test(&sc, v, n);
    let lognormal = skew.skewed() && skewed == SkewedPolicy::LogNormal;
    if skew.skewed() && skewed == SkewedPolicy::Exclude {
        return Route::Listed(format!(
            "median ({}) skewed by the Shi 2023 test ({:.3} ≥ {:.3}): not converted",
            sc.label(),
            skew.statistic,
            skew.critical
        ));
    }
    let converted = if lognormal {
        fivenum::convert(&five, ClosedForm::LuoShi, fivenum::Scale::LogNormal)
            .map(|c| (c.mean, c.sd, c.formulas))
    } else {
        match conversion {
            ConvertMethod::Closed(cf) => fivenum::convert(&five, cf, fivenum::Scale::Normal)
                .map(|c| (c.mean, c.sd, c.formulas)),
            ConvertMethod::Qe => qe_fit(&five, Convention::MeanSd).map(|q| {
                let (m, s) = q.mean_sd();
                (
                    m,
                    s,
                    format!("QE (McGrath 2020b), best fit {}", q.best.family.name()),
                )
            }),
            ConvertMethod::Bc => bc_mean_sd(&five).map(|b| {
                (
                    b.mean,
                    b.sd,
                    format!("BC (McGrath 2020b), lambda {:.4}", b.lambda),
                )
            }),
            ConvertMethod::Mln => mln_mean_sd(&five).map(|b| {
                (
                    b.mean,
                    b.sd,
                    format!("MLN (Cai 2021), lambda {:.4}", b.lambda),
                )
            }),
        }
    };
    match converted {
        Ok((mean, sd, how)) => {
            let spread = match sc.label() {
                "S1" => "range",
                "S2" => "IQR",
                _ => "range and IQR",
            };
            let mut flags = vec![format!(
                "converted from the median with {spread} ({how}): mean {}, SD {}",
                num(mean, 2),
                num(sd, 2)
            )];
            if skew.skewed() && !lognormal {
                flags.push(format!(
                    "skewed by the Shi 2023 test ({:.3} ≥ {:.3}), converted as normal as asked",
                    skew.statistic, skew.critical
                ));
            }
            Route::Se(
                Effect {
                    flags,
                    ..median::mean_sd(
                        mean,
                        sd,
                        n,
                        true,
                        format!("{how}: mean {mean:.6}, SD {sd:.6}; SE = SD/sqrt({n})"),
                    )
                },
                format!("median with {spread} → mean/SD ({how}); converted, flagged"),
            )
        }
        Err(e) => Route::Listed(format!("median cannot be converted: {e}")),
    }
}
