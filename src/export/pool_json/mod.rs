//! `survlit pool` output: one JSON object whose keys follow metafor, or a
//! readable summary. Formats what the fit holds; computes nothing but the
//! display back-transform the caller passes in.

use serde::ser::{SerializeMap, Serializer};

use super::json::{Num, Rows};
use serde::Serialize;

use crate::stats::pool::bias::BiasTests;
use crate::stats::pool::confint::HeterogeneityCi;
use crate::stats::pool::influence::Influence;
use crate::stats::pool::sensitivity::Refit;
use crate::stats::pool::subgroups::Subgroups;
use crate::stats::pool::RmaFit;

/// Everything one pooled model reports.
#[derive(Debug, Clone)]
pub struct PoolReport<'a> {
    /// Measure code.
    pub measure: String,
    /// The fit.
    pub fit: &'a RmaFit,
    /// Q-profile CIs.
    pub ci: Option<HeterogeneityCi>,
    /// Study labels, effects, variances, in input order.
    pub studies: Vec<(&'a str, f64, f64, &'a str)>,
    /// Natural-scale (estimate, ci_lb, ci_ub, pi_lb, pi_ub), when the measure has one.
    pub transformed: Option<[f64; 5]>,
    /// Coefficient names (meta-regression).
    pub coef_names: Vec<String>,
    /// Subgroup estimates and the test for subgroup differences.
    pub subgroups: Option<&'a Subgroups>,
    /// Leave-one-out refits.
    pub leave_one_out: Option<&'a [Refit]>,
    /// Cumulative refits.
    pub cumulative: Option<&'a [Refit]>,
    /// Small-study tests.
    pub bias: Option<&'a BiasTests>,
    /// Influence diagnostics, in study order.
    pub influence: Option<&'a [Influence]>,
    /// Caveats from effect derivations and the fit.
    pub warnings: Vec<String>,
}

mod rows;
mod text;

use rows::{
    begg_json, egger_json, num, opt, refits, trimfill_json, Coefficient, FBetween, GroupRow,
    InfluenceRow, Interval3, Interval5, Moderators, QBetween, StudyRow, SubgroupsJson,
};

/// The JSON object, serialized straight to the writer (no intermediate
/// value tree: a fit over 10⁵ studies writes 10⁵ rows without building them).
struct ReportJson<'r, 'a>(&'r PoolReport<'a>);

impl Serialize for ReportJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let f = r.fit;
        let ci = r.ci;
        let pair = |g: fn(&HeterogeneityCi) -> (f64, f64)| {
            ci.as_ref()
                .map(g)
                .map_or((None, None), |(a, b)| (Some(Num(a)), Some(Num(b))))
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("k", &f.k)?;
        m.serialize_entry("measure", &r.measure)?;
        m.serialize_entry("method", &f.params.method.to_string())?;
        m.serialize_entry("test", &f.params.test.to_string())?;
        m.serialize_entry("level", &num(f.params.level * 100.0))?;
        m.serialize_entry("estimate", &num(f.beta[0]))?;
        m.serialize_entry("se", &num(f.se[0]))?;
        m.serialize_entry("stat", &num(f.stat[0]))?;
        m.serialize_entry("df", &opt(f.df))?;
        m.serialize_entry("pval", &num(f.pval[0]))?;
        m.serialize_entry("ci_lb", &num(f.ci_lb[0]))?;
        m.serialize_entry("ci_ub", &num(f.ci_ub[0]))?;
        m.serialize_entry("pi_lb", &opt(f.pi.map(|p| p.0)))?;
        m.serialize_entry("pi_ub", &opt(f.pi.map(|p| p.1)))?;
        m.serialize_entry("tau2", &num(f.tau2))?;
        m.serialize_entry("tau2_se", &num(f.tau2_se))?;
        let (lb, ub) = pair(|c| c.tau2);
        m.serialize_entry("tau2_ci_lb", &lb)?;
        m.serialize_entry("tau2_ci_ub", &ub)?;
        m.serialize_entry("tau", &num(f.tau2.sqrt()))?;
        m.serialize_entry("i2", &num(f.i2))?;
        let (lb, ub) = pair(|c| c.i2);
        m.serialize_entry("i2_ci_lb", &lb)?;
        m.serialize_entry("i2_ci_ub", &ub)?;
        m.serialize_entry("h2", &num(f.h2))?;
        let (lb, ub) = pair(|c| c.h2);
        m.serialize_entry("h2_ci_lb", &lb)?;
        m.serialize_entry("h2_ci_ub", &ub)?;
        m.serialize_entry("q", &num(f.q))?;
        m.serialize_entry("q_df", &f.q_df)?;
        m.serialize_entry("q_pval", &num(f.q_pval))?;
        if let Some(t) = r.transformed {
            m.serialize_entry(
                "transformed",
                &Interval5 {
                    estimate: num(t[0]),
                    ci_lb: num(t[1]),
                    ci_ub: num(t[2]),
                    pi_lb: num(t[3]),
                    pi_ub: num(t[4]),
                },
            )?;
        }
        m.serialize_entry(
            "studies",
            &Rows(
                r.studies
                    .iter()
                    .zip(&f.weights)
                    .map(|((study, y, v, d), w)| StudyRow {
                        study,
                        yi: num(*y),
                        vi: num(*v),
                        weight: num(*w),
                        derivation: d,
                    }),
            ),
        )?;
        if f.p > 1 {
            let coefficients = (0..f.p)
                .map(|j| Coefficient {
                    term: r.coef_names.get(j).map_or("", String::as_str),
                    estimate: num(f.beta[j]),
                    se: num(f.se[j]),
                    stat: num(f.stat[j]),
                    pval: num(f.pval[j]),
                    ci_lb: num(f.ci_lb[j]),
                    ci_ub: num(f.ci_ub[j]),
                })
                .collect();
            m.serialize_entry(
                "moderators",
                &Moderators {
                    coefficients,
                    qm: f.qm.map(|q| num(q.0)),
                    qm_df: f.qm.map(|q| q.1),
                    qm_pval: f.qm.map(|q| num(q.2)),
                },
            )?;
        }
        if let Some(sg) = r.subgroups {
            let groups = sg
                .groups
                .iter()
                .map(|f| GroupRow {
                    group: &f.group,
                    k: f.k,
                    estimate: num(f.estimate),
                    se: num(f.se),
                    ci_lb: num(f.ci_lb),
                    ci_ub: num(f.ci_ub),
                    pval: num(f.pval),
                    tau2: num(f.tau2),
                    i2: num(f.i2),
                    q: num(f.q),
                    q_df: f.q_df,
                    q_pval: num(f.q_pval),
                    transformed: f.transformed.map(|t| Interval3 {
                        estimate: num(t[0]),
                        ci_lb: num(t[1]),
                        ci_ub: num(t[2]),
                    }),
                })
                .collect();
            let (q, f) = match sg.df2 {
                None => (
                    Some(QBetween {
                        q_between: num(sg.stat),
                        q_between_df: sg.df,
                        q_between_pval: num(sg.pval),
                    }),
                    None,
                ),
                Some(df2) => (
                    None,
                    Some(FBetween {
                        f_between: num(sg.stat),
                        f_between_df1: sg.df,
                        f_between_df2: df2,
                        f_between_pval: num(sg.pval),
                    }),
                ),
            };
            m.serialize_entry(
                "subgroups",
                &SubgroupsJson {
                    tau2_model: if sg.common_tau2 { "common" } else { "separate" },
                    groups,
                    q,
                    f,
                },
            )?;
        }
        if let Some(rs) = r.leave_one_out {
            m.serialize_entry("leave_one_out", &refits(rs, true))?;
        }
        if let Some(inf) = r.influence {
            m.serialize_entry(
                "influence",
                &Rows(
                    r.studies
                        .iter()
                        .zip(inf)
                        .map(|((study, ..), d)| InfluenceRow {
                            study,
                            rstudent: num(d.rstudent),
                            dffits: num(d.dffits),
                            cook_d: num(d.cook_d),
                            cov_r: num(d.cov_r),
                            tau2_del: num(d.tau2_del),
                            qe_del: num(d.qe_del),
                            hat: num(d.hat),
                            weight: num(d.weight),
                            dfbetas: num(d.dfbetas),
                            influential: d.influential,
                        }),
                ),
            )?;
        }
        if let Some(b) = r.bias {
            m.serialize_entry("regtest", &egger_json(&b.egger, "rma"))?;
            m.serialize_entry("regtest_classical", &egger_json(&b.classical, "lm"))?;
            m.serialize_entry("ranktest", &begg_json(&b.begg))?;
            m.serialize_entry("trimfill", &trimfill_json(&b.trimfill))?;
        }
        if let Some(rs) = r.cumulative {
            m.serialize_entry("cumulative", &refits(rs, false))?;
        }
        m.serialize_entry("warnings", &r.warnings)?;
        m.end()
    }
}

/// Writes the JSON object (keys in metafor's order) to `w`: indented, with
/// each row of an array (a study, a subgroup, a refit) on one line, so the
/// output reads like a table and stays small at k = 10⁵.
pub fn write_json<W: std::io::Write>(r: &PoolReport<'_>, w: W) -> serde_json::Result<()> {
    super::json::write_rows(&ReportJson(r), w)
}

pub use text::to_text;
