//! `survlit pool` without `--json`: a readable summary in metafor's order.

use super::PoolReport;
use crate::number::{p_value, PStyle};

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
        p_value(f.q_pval, PStyle::Metafor)
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
            p_value(f.pval[j], PStyle::Metafor),
            f.ci_lb[j],
            f.ci_ub[j]
        ));
    }
    if let Some((a, b)) = f.pi {
        s.push_str(&format!("prediction interval: {a:.4} to {b:.4}\n"));
    }
    if let Some(t) = r.transformed {
        // An equal-effects model has no prediction interval (metafor
        // prints none): the bounds are NaN and are left out.
        let pi = if t[3].is_finite() && t[4].is_finite() {
            format!("; PI {:.4} to {:.4}", t[3], t[4])
        } else {
            String::new()
        };
        s.push_str(&format!(
            "\non the natural scale: {:.4} ({level} CI {:.4} to {:.4}{pi})\n",
            t[0], t[1], t[2]
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
            p_value(p, PStyle::Metafor)
        ));
    }
    if let Some(sg) = r.subgroups {
        s.push_str(&format!(
            "\nsubgroups ({} tau^2):\n",
            if sg.common_tau2 { "common" } else { "separate" }
        ));
        for f in &sg.groups {
            let i2 = if f.i2.is_finite() {
                format!(", I^2 {:.1}%", f.i2)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "  {}: k = {}, estimate {:.4} ({:.4} to {:.4}), tau^2 {:.4}{i2}\n",
                f.group, f.k, f.estimate, f.ci_lb, f.ci_ub, f.tau2
            ));
        }
        let test = match sg.df2 {
            None => format!("Q({})", sg.df),
            Some(d2) => format!("F({}, {d2})", sg.df),
        };
        s.push_str(&format!(
            "  test for subgroup differences: {test} = {:.4}, p = {}\n",
            sg.stat,
            p_value(sg.pval, PStyle::Metafor)
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
                    p_value(e.pval, PStyle::Metafor),
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
                p_value(k.pval, PStyle::Metafor),
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
