//! `survlit pool` output: one JSON object whose keys follow metafor, or a
//! readable summary. Formats what the fit holds; computes nothing but the
//! display back-transform the caller passes in.

use serde_json::{json, Map, Value};

use crate::stats::pool::bias::{Begg, BiasTests, Egger};
use crate::stats::pool::confint::HeterogeneityCi;
use crate::stats::pool::influence::Influence;
use crate::stats::pool::sensitivity::Refit;
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
    pub studies: Vec<(String, f64, f64, String)>,
    /// Natural-scale (estimate, ci_lb, ci_ub, pi_lb, pi_ub), when the measure has one.
    pub transformed: Option<[f64; 5]>,
    /// Coefficient names (meta-regression).
    pub coef_names: Vec<String>,
    /// Subgroup results (label, fit, transformed estimate/ci) and the Q-between test.
    pub subgroups: Option<(Vec<(String, RmaFit, Option<[f64; 3]>)>, f64, usize, f64)>,
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

fn egger_json(e: &Result<Egger, String>, model: &str) -> Value {
    match e {
        Ok(e) => {
            json!({"model": model, "predictor": "sei", "stat": num(e.stat), "df": e.df.map_or(Value::Null, num), "pval": num(e.pval), "limit_estimate": num(e.limit), "limit_ci_lb": num(e.limit_ci.0), "limit_ci_ub": num(e.limit_ci.1)})
        }
        Err(why) => json!({"model": model, "not_run": why}),
    }
}

fn begg_json(b: &Result<Begg, String>) -> Value {
    match b {
        Ok(b) => json!({"tau": num(b.tau), "pval": num(b.pval), "exact": b.exact}),
        Err(why) => json!({"not_run": why}),
    }
}

fn refits(rs: &[Refit], key: &str) -> Value {
    Value::Array(rs.iter().map(|r| json!({key: r.study, "k": r.fit.k, "estimate": num(r.fit.beta[0]), "se": num(r.fit.se[0]), "ci_lb": num(r.fit.ci_lb[0]), "ci_ub": num(r.fit.ci_ub[0]), "pval": num(r.fit.pval[0]), "q": num(r.fit.q), "tau2": num(r.fit.tau2), "i2": num(r.fit.i2)})).collect())
}

fn num(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}

/// The JSON object.
pub fn to_json(r: &PoolReport<'_>) -> Value {
    let f = r.fit;
    let mut o = Map::new();
    o.insert("k".into(), json!(f.k));
    o.insert("measure".into(), json!(r.measure));
    o.insert("method".into(), json!(f.params.method.to_string()));
    o.insert("test".into(), json!(f.params.test.to_string()));
    o.insert("level".into(), num(f.params.level * 100.0));
    for (key, v) in [
        ("estimate", f.beta[0]),
        ("se", f.se[0]),
        ("stat", f.stat[0]),
    ] {
        o.insert(key.into(), num(v));
    }
    o.insert("df".into(), f.df.map_or(Value::Null, num));
    for (key, v) in [
        ("pval", f.pval[0]),
        ("ci_lb", f.ci_lb[0]),
        ("ci_ub", f.ci_ub[0]),
    ] {
        o.insert(key.into(), num(v));
    }
    o.insert("pi_lb".into(), f.pi.map_or(Value::Null, |p| num(p.0)));
    o.insert("pi_ub".into(), f.pi.map_or(Value::Null, |p| num(p.1)));
    o.insert("tau2".into(), num(f.tau2));
    o.insert("tau2_se".into(), num(f.tau2_se));
    o.insert(
        "tau2_ci_lb".into(),
        r.ci.map_or(Value::Null, |c| num(c.tau2.0)),
    );
    o.insert(
        "tau2_ci_ub".into(),
        r.ci.map_or(Value::Null, |c| num(c.tau2.1)),
    );
    o.insert("tau".into(), num(f.tau2.sqrt()));
    o.insert("i2".into(), num(f.i2));
    o.insert("i2_ci_lb".into(), r.ci.map_or(Value::Null, |c| num(c.i2.0)));
    o.insert("i2_ci_ub".into(), r.ci.map_or(Value::Null, |c| num(c.i2.1)));
    o.insert("h2".into(), num(f.h2));
    o.insert("h2_ci_lb".into(), r.ci.map_or(Value::Null, |c| num(c.h2.0)));
    o.insert("h2_ci_ub".into(), r.ci.map_or(Value::Null, |c| num(c.h2.1)));
    o.insert("q".into(), num(f.q));
    o.insert("q_df".into(), json!(f.q_df));
    o.insert("q_pval".into(), num(f.q_pval));
    if let Some(t) = r.transformed {
        o.insert("transformed".into(), json!({"estimate": num(t[0]), "ci_lb": num(t[1]), "ci_ub": num(t[2]), "pi_lb": num(t[3]), "pi_ub": num(t[4])}));
    }
    o.insert(
        "studies".into(),
        Value::Array(r.studies.iter().zip(&f.weights).map(|((s, y, v, d), w)| json!({"study": s, "yi": num(*y), "vi": num(*v), "weight": num(*w), "derivation": d})).collect()),
    );
    if f.p > 1 {
        let coefs: Vec<Value> = (0..f.p).map(|j| json!({"term": r.coef_names.get(j).cloned().unwrap_or_default(), "estimate": num(f.beta[j]), "se": num(f.se[j]), "stat": num(f.stat[j]), "pval": num(f.pval[j]), "ci_lb": num(f.ci_lb[j]), "ci_ub": num(f.ci_ub[j])})).collect();
        let mut m = json!({"coefficients": coefs});
        if let Some((qm, df, p)) = f.qm {
            m["qm"] = num(qm);
            m["qm_df"] = json!(df);
            m["qm_pval"] = num(p);
        }
        o.insert("moderators".into(), m);
    }
    if let Some((groups, qb, df, p)) = &r.subgroups {
        let gs: Vec<Value> = groups
            .iter()
            .map(|(g, fit, t)| {
                let mut v = json!({"group": g, "k": fit.k, "estimate": num(fit.beta[0]), "se": num(fit.se[0]), "ci_lb": num(fit.ci_lb[0]), "ci_ub": num(fit.ci_ub[0]), "pval": num(fit.pval[0]), "tau2": num(fit.tau2), "i2": num(fit.i2), "q": num(fit.q), "q_df": fit.q_df, "q_pval": num(fit.q_pval)});
                if let Some(t) = t {
                    v["transformed"] = json!({"estimate": num(t[0]), "ci_lb": num(t[1]), "ci_ub": num(t[2])});
                }
                v
            })
            .collect();
        o.insert("subgroups".into(), json!({"groups": gs, "q_between": num(*qb), "q_between_df": df, "q_between_pval": num(*p)}));
    }
    if let Some(rs) = r.leave_one_out {
        o.insert("leave_one_out".into(), refits(rs, "omitted"));
    }
    if let Some(inf) = r.influence {
        let rows: Vec<Value> = r.studies.iter().zip(inf).map(|((s, ..), d)| json!({"study": s, "rstudent": num(d.rstudent), "dffits": num(d.dffits), "cook_d": num(d.cook_d), "cov_r": num(d.cov_r), "tau2_del": num(d.tau2_del), "qe_del": num(d.qe_del), "hat": num(d.hat), "weight": num(d.weight), "dfbetas": num(d.dfbetas), "influential": d.influential})).collect();
        o.insert("influence".into(), Value::Array(rows));
    }
    if let Some(b) = r.bias {
        o.insert("regtest".into(), egger_json(&b.egger, "rma"));
        o.insert("regtest_classical".into(), egger_json(&b.classical, "lm"));
        o.insert("ranktest".into(), begg_json(&b.begg));
        o.insert(
            "trimfill".into(),
            match &b.trimfill {
                Ok(t) => json!({"estimator": "L0", "k0": t.k0, "se_k0": num(t.se_k0), "side": if t.side == crate::stats::pool::trimfill::Side::Left { "left" } else { "right" }, "estimate": num(t.fit.beta[0]), "se": num(t.fit.se[0]), "ci_lb": num(t.fit.ci_lb[0]), "ci_ub": num(t.fit.ci_ub[0]), "tau2": num(t.fit.tau2), "filled": t.filled.iter().map(|(y, v)| json!({"yi": num(*y), "vi": num(*v)})).collect::<Vec<_>>()}),
                Err(why) => json!({"not_run": why}),
            },
        );
    }
    if let Some(rs) = r.cumulative {
        o.insert("cumulative".into(), refits(rs, "added"));
    }
    o.insert("warnings".into(), json!(r.warnings));
    Value::Object(o)
}

/// A readable summary in metafor's order.
pub fn to_text(r: &PoolReport<'_>) -> String {
    let f = r.fit;
    let level = format!("{}%", (f.params.level * 100.0 * 1000.0).round() / 1000.0);
    let mut s = String::new();
    let model = if f.params.method == crate::stats::pool::Tau2Method::FE {
        "Equal-effects model".to_string()
    } else {
        format!("Random-effects model, tau^2 estimator {}", f.params.method)
    };
    s.push_str(&format!(
        "{model} (k = {}; measure {}; test {})\n\n",
        f.k, r.measure, f.params.test
    ));
    if f.params.method != crate::stats::pool::Tau2Method::FE {
        let ci = |c: Option<(f64, f64)>, d: usize| {
            c.map_or(String::new(), |(a, b)| {
                format!("  [{level} CI {a:.d$}, {b:.d$}]")
            })
        };
        s.push_str(&format!(
            "tau^2 = {:.4} (SE {:.4}){}\n",
            f.tau2,
            f.tau2_se,
            ci(r.ci.map(|c| c.tau2), 4)
        ));
        s.push_str(&format!(
            "tau   = {:.4}{}\n",
            f.tau2.sqrt(),
            ci(r.ci.map(|c| c.tau), 4)
        ));
    }
    s.push_str(&format!(
        "I^2   = {:.2}%{}\n",
        f.i2,
        r.ci.map_or(String::new(), |c| format!(
            "  [{level} CI {:.2}%, {:.2}%]",
            c.i2.0, c.i2.1
        ))
    ));
    s.push_str(&format!(
        "H^2   = {:.2}{}\n",
        f.h2,
        r.ci.map_or(String::new(), |c| format!(
            "  [{level} CI {:.2}, {:.2}]",
            c.h2.0, c.h2.1
        ))
    ));
    s.push_str(&format!(
        "Q({}) = {:.4}, p = {}\n\n",
        f.q_df,
        f.q,
        fmt_p(f.q_pval)
    ));
    let stat = if f.df.is_some() { "t" } else { "z" };
    s.push_str(&format!(
        "{:<14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
        "", "estimate", "se", stat, "p", "ci.lb", "ci.ub"
    ));
    for j in 0..f.p {
        let name = r
            .coef_names
            .get(j)
            .cloned()
            .unwrap_or_else(|| "estimate".into());
        s.push_str(&format!(
            "{:<14} {:>9.4} {:>9.4} {:>9.4} {:>9} {:>9.4} {:>9.4}\n",
            name,
            f.beta[j],
            f.se[j],
            f.stat[j],
            fmt_p(f.pval[j]),
            f.ci_lb[j],
            f.ci_ub[j]
        ));
    }
    if let Some((a, b)) = f.pi {
        s.push_str(&format!("prediction interval: {a:.4} to {b:.4}\n"));
    }
    if let Some(t) = r.transformed {
        s.push_str(&format!(
            "\non the natural scale: {:.4} ({level} CI {:.4} to {:.4}; PI {:.4} to {:.4})\n",
            t[0], t[1], t[2], t[3], t[4]
        ));
    }
    if let Some((qm, df, p)) = f.qm {
        let name = if f.df.is_some() {
            format!("F({df}, {})", f.k - f.p)
        } else {
            format!("QM({df})")
        };
        s.push_str(&format!(
            "\ntest of moderators: {name} = {qm:.4}, p = {}\n",
            fmt_p(p)
        ));
    }
    if let Some((groups, qb, df, p)) = &r.subgroups {
        s.push_str("\nsubgroups (separate tau^2):\n");
        for (g, fit, _) in groups {
            s.push_str(&format!(
                "  {g}: k = {}, estimate {:.4} ({:.4} to {:.4}), tau^2 {:.4}, I^2 {:.1}%\n",
                fit.k, fit.beta[0], fit.ci_lb[0], fit.ci_ub[0], fit.tau2, fit.i2
            ));
        }
        s.push_str(&format!(
            "  test for subgroup differences: Q({df}) = {qb:.4}, p = {}\n",
            fmt_p(*p)
        ));
    }
    for (title, rs) in [
        ("leave-one-out (study omitted)", r.leave_one_out),
        ("cumulative (study added)", r.cumulative),
    ] {
        if let Some(rs) = rs {
            s.push_str(&format!("\n{title}:\n"));
            for x in rs {
                s.push_str(&format!(
                    "  {:<28} k = {:>3}  {:>9.4} [{:.4}, {:.4}]  tau^2 {:.4}  I^2 {:.1}%\n",
                    x.study,
                    x.fit.k,
                    x.fit.beta[0],
                    x.fit.ci_lb[0],
                    x.fit.ci_ub[0],
                    x.fit.tau2,
                    x.fit.i2
                ));
            }
        }
    }
    if let Some(inf) = r.influence {
        s.push_str("\ninfluence (metafor's definitions; * = influential):\n");
        s.push_str(&format!(
            "  {:<24} {:>9} {:>9} {:>8} {:>7} {:>8} {:>9} {:>6}\n",
            "study", "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat"
        ));
        for ((name, ..), d) in r.studies.iter().zip(inf) {
            s.push_str(&format!(
                "  {:<24} {:>9.4} {:>9.4} {:>8.4} {:>7.4} {:>8.4} {:>9.4} {:>6.4}{}\n",
                name,
                d.rstudent,
                d.dffits,
                d.cook_d,
                d.cov_r,
                d.tau2_del,
                d.qe_del,
                d.hat,
                if d.influential { " *" } else { "" }
            ));
        }
    }
    if let Some(b) = r.bias {
        s.push_str("\nsmall-study effects:\n");
        for (name, e) in [
            ("Egger (mixed-effects)", &b.egger),
            ("Egger (classical)", &b.classical),
        ] {
            match e {
                Ok(e) => s.push_str(&format!(
                    "  {name}: {} = {:.4}, p = {}; limit estimate {:.4} [{:.4}, {:.4}]\n",
                    if e.df.is_some() { "t" } else { "z" },
                    e.stat,
                    fmt_p(e.pval),
                    e.limit,
                    e.limit_ci.0,
                    e.limit_ci.1
                )),
                Err(why) => s.push_str(&format!("  {name}: not run ({why})\n")),
            }
        }
        match &b.begg {
            Ok(k) => s.push_str(&format!(
                "  Begg rank correlation: Kendall's tau = {:.4}, p = {}{}\n",
                k.tau,
                fmt_p(k.pval),
                if k.exact { " (exact)" } else { "" }
            )),
            Err(why) => s.push_str(&format!("  Begg rank correlation: not run ({why})\n")),
        }
        match &b.trimfill {
            Ok(t) => s.push_str(&format!("  trim-and-fill (L0): {} missing on the {} (SE {:.4}); filled estimate {:.4} [{:.4}, {:.4}]\n", t.k0, if t.side == crate::stats::pool::trimfill::Side::Left { "left" } else { "right" }, t.se_k0, t.fit.beta[0], t.fit.ci_lb[0], t.fit.ci_ub[0])),
            Err(why) => s.push_str(&format!("  trim-and-fill: not run ({why})\n")),
        }
    }
    for w in &r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

fn fmt_p(p: f64) -> String {
    if p < 1e-4 {
        "<.0001".into()
    } else {
        format!("{p:.4}")
    }
}
