//! The rows and blocks of the `survlit pool` JSON object: studies,
//! subgroups, moderators, refits, influence and the small-study tests, with
//! metafor's key names.

use serde::Serialize;

use crate::export::json::Num;
use crate::stats::pool::bias::{Begg, Egger};
use crate::stats::pool::sensitivity::Refit;
use crate::stats::pool::trimfill::{Side, TrimFill};

pub(super) fn num(v: f64) -> Num {
    Num(v)
}

pub(super) fn opt(v: Option<f64>) -> Option<Num> {
    v.map(Num)
}

#[derive(Serialize)]
pub(super) struct StudyRow<'a> {
    pub(super) study: &'a str,
    pub(super) yi: Num,
    pub(super) vi: Num,
    pub(super) weight: Num,
    pub(super) derivation: &'a str,
}

#[derive(Serialize)]
pub(super) struct Interval3 {
    pub(super) estimate: Num,
    pub(super) ci_lb: Num,
    pub(super) ci_ub: Num,
}

#[derive(Serialize)]
pub(super) struct Interval5 {
    pub(super) estimate: Num,
    pub(super) ci_lb: Num,
    pub(super) ci_ub: Num,
    pub(super) pi_lb: Num,
    pub(super) pi_ub: Num,
}

#[derive(Serialize)]
pub(super) struct GroupRow<'a> {
    pub(super) group: &'a str,
    pub(super) k: usize,
    pub(super) estimate: Num,
    pub(super) se: Num,
    pub(super) ci_lb: Num,
    pub(super) ci_ub: Num,
    pub(super) pval: Num,
    pub(super) tau2: Num,
    pub(super) i2: Num,
    pub(super) q: Num,
    pub(super) q_df: usize,
    pub(super) q_pval: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) transformed: Option<Interval3>,
}

#[derive(Serialize)]
pub(super) struct QBetween {
    pub(super) q_between: Num,
    pub(super) q_between_df: usize,
    pub(super) q_between_pval: Num,
}

#[derive(Serialize)]
pub(super) struct FBetween {
    pub(super) f_between: Num,
    pub(super) f_between_df1: usize,
    pub(super) f_between_df2: usize,
    pub(super) f_between_pval: Num,
}

#[derive(Serialize)]
pub(super) struct SubgroupsJson<'a> {
    pub(super) tau2_model: &'static str,
    pub(super) groups: Vec<GroupRow<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub(super) q: Option<QBetween>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub(super) f: Option<FBetween>,
}

#[derive(Serialize)]
pub(super) struct Coefficient<'a> {
    pub(super) term: &'a str,
    pub(super) estimate: Num,
    pub(super) se: Num,
    pub(super) stat: Num,
    pub(super) pval: Num,
    pub(super) ci_lb: Num,
    pub(super) ci_ub: Num,
}

#[derive(Serialize)]
pub(super) struct Moderators<'a> {
    pub(super) coefficients: Vec<Coefficient<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) qm: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) qm_df: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) qm_pval: Option<Num>,
}

#[derive(Serialize)]
pub(super) struct RefitRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) omitted: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) added: Option<&'a str>,
    pub(super) k: usize,
    pub(super) estimate: Num,
    pub(super) se: Num,
    pub(super) ci_lb: Num,
    pub(super) ci_ub: Num,
    pub(super) pval: Num,
    pub(super) q: Num,
    pub(super) tau2: Num,
    pub(super) i2: Num,
}

#[derive(Serialize)]
pub(super) struct InfluenceRow<'a> {
    pub(super) study: &'a str,
    pub(super) rstudent: Num,
    pub(super) dffits: Num,
    pub(super) cook_d: Num,
    pub(super) cov_r: Num,
    pub(super) tau2_del: Num,
    pub(super) qe_del: Num,
    pub(super) hat: Num,
    pub(super) weight: Num,
    pub(super) dfbetas: Num,
    pub(super) influential: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Outcome<T> {
    Ran(T),
    NotRun { not_run: String },
}

#[derive(Serialize)]
pub(super) struct EggerJson {
    pub(super) model: &'static str,
    pub(super) predictor: &'static str,
    pub(super) stat: Num,
    pub(super) df: Option<Num>,
    pub(super) pval: Num,
    pub(super) limit_estimate: Num,
    pub(super) limit_ci_lb: Num,
    pub(super) limit_ci_ub: Num,
}

#[derive(Serialize)]
pub(super) struct BeggJson {
    pub(super) tau: Num,
    pub(super) pval: Num,
    pub(super) exact: bool,
}

#[derive(Serialize)]
pub(super) struct Filled {
    pub(super) yi: Num,
    pub(super) vi: Num,
}

#[derive(Serialize)]
pub(super) struct TrimFillJson {
    pub(super) estimator: &'static str,
    pub(super) k0: usize,
    pub(super) se_k0: Num,
    pub(super) side: &'static str,
    pub(super) estimate: Num,
    pub(super) se: Num,
    pub(super) ci_lb: Num,
    pub(super) ci_ub: Num,
    pub(super) tau2: Num,
    pub(super) filled: Vec<Filled>,
}

pub(super) fn egger_json(e: &Result<Egger, String>, model: &'static str) -> Outcome<EggerJson> {
    match e {
        Ok(e) => Outcome::Ran(EggerJson {
            model,
            predictor: "sei",
            stat: num(e.stat),
            df: opt(e.df),
            pval: num(e.pval),
            limit_estimate: num(e.limit),
            limit_ci_lb: num(e.limit_ci.0),
            limit_ci_ub: num(e.limit_ci.1),
        }),
        Err(why) => Outcome::NotRun {
            not_run: why.clone(),
        },
    }
}

pub(super) fn begg_json(b: &Result<Begg, String>) -> Outcome<BeggJson> {
    match b {
        Ok(b) => Outcome::Ran(BeggJson {
            tau: num(b.tau),
            pval: num(b.pval),
            exact: b.exact,
        }),
        Err(why) => Outcome::NotRun {
            not_run: why.clone(),
        },
    }
}

pub(super) fn trimfill_json(t: &Result<TrimFill, String>) -> Outcome<TrimFillJson> {
    match t {
        Ok(t) => Outcome::Ran(TrimFillJson {
            estimator: "L0",
            k0: t.k0,
            se_k0: num(t.se_k0),
            side: if t.side == Side::Left {
                "left"
            } else {
                "right"
            },
            estimate: num(t.fit.beta[0]),
            se: num(t.fit.se[0]),
            ci_lb: num(t.fit.ci_lb[0]),
            ci_ub: num(t.fit.ci_ub[0]),
            tau2: num(t.fit.tau2),
            filled: t
                .filled
                .iter()
                .map(|(y, v)| Filled {
                    yi: num(*y),
                    vi: num(*v),
                })
                .collect(),
        }),
        Err(why) => Outcome::NotRun {
            not_run: why.clone(),
        },
    }
}

pub(super) fn refits<'a>(rs: &'a [Refit], omitted: bool) -> Vec<RefitRow<'a>> {
    rs.iter()
        .map(|r| RefitRow {
            omitted: omitted.then_some(r.study.as_str()),
            added: (!omitted).then_some(r.study.as_str()),
            k: r.fit.k,
            estimate: num(r.fit.beta[0]),
            se: num(r.fit.se[0]),
            ci_lb: num(r.fit.ci_lb[0]),
            ci_ub: num(r.fit.ci_ub[0]),
            pval: num(r.fit.pval[0]),
            q: num(r.fit.q),
            tau2: num(r.fit.tau2),
            i2: num(r.fit.i2),
        })
        .collect()
}
