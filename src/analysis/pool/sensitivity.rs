//! The sensitivity sections of the `pool` kind: the model refitted without
//! each study (`leave_one_out.csv`), and the small-study tests (Egger,
//! Begg, trim-and-fill) — or, below the minimum k, the reason they were not
//! run. The fits come from [`crate::workflow::pool::from_evidence`]; this
//! module lays them out.

use crate::export::{escape_markdown, Table};
use crate::stats::pool::bias::BiasTests;
use crate::stats::pool::sensitivity::Refit;
use crate::workflow::pool::from_evidence::SensitivityFits;

use crate::number::{fixed, i2, p_value, statistic, PStyle};
use crate::present::columns::{self, Sourced};

/// What the sensitivity sections produced.
pub(crate) struct Sensitivity {
    /// The leave-one-out table, when k ≥ 3.
    pub leave_one_out: Option<Table>,
    /// Markdown for the report.
    pub markdown: String,
}

/// The leave-one-out table and the report's sensitivity sections, from the
/// fits of `k` studies: `names` are the studies' readable labels (in the
/// report), `sourced` their provenance (in the CSV); `display` maps the
/// analysis scale to the reported one. The sections say why a part did not
/// run (k < 3; k < `min_k_bias`).
pub(crate) fn sensitivity(
    fits: &SensitivityFits,
    k: usize,
    names: &[String],
    sourced: &[Sourced<'_>],
    display: &dyn Fn(f64) -> f64,
    min_k_bias: usize,
    decimals: usize,
) -> Sensitivity {
    let estimate = |x: f64| fixed(x, decimals);
    let mut md = String::new();
    let leave_one_out = match &fits.refits {
        Some(refits) => {
            md.push_str(&loo_markdown(refits, names, display, &estimate));
            Some(loo_table(refits, sourced, display))
        }
        None => {
            md.push_str(&format!(
                "Leave-one-out: not run (k = {k}; leaving one out of fewer than 3 studies leaves nothing to pool).\n\n"
            ));
            None
        }
    };
    match &fits.bias {
        Some(b) => md.push_str(&bias_markdown(b, display, &estimate)),
        None => md.push_str(&format!(
            "Small-study effects: not tested (k = {k}; Egger's and Begg's tests and trim-and-fill need at least {min_k_bias} studies to have useful power — Sterne et al. 2011).\n\n"
        )),
    }
    Sensitivity {
        leave_one_out,
        markdown: md,
    }
}

/// A CI's bounds on the display scale, lower first (a decreasing
/// back-transform swaps them).
fn ordered(display: &dyn Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let (a, b) = (display(a), display(b));
    (a.min(b), a.max(b))
}

/// One row per refit, named by the omitted study (its provenance columns,
/// then the model without it).
fn loo_table(refits: &[Refit], sourced: &[Sourced<'_>], display: &dyn Fn(f64) -> f64) -> Table {
    let mut t = Table::default();
    columns::identity(&mut t, sourced);
    let cis: Vec<(f64, f64)> = refits
        .iter()
        .map(|r| ordered(display, r.fit.ci_lb[0], r.fit.ci_ub[0]))
        .collect();
    t.text(
        "refit",
        refits
            .iter()
            .map(|_| Some("model without this study".to_string()))
            .collect(),
    )
    .integer("k", refits.iter().map(|r| Some(r.fit.k as u64)).collect())
    .number(
        "estimate",
        refits
            .iter()
            .map(|r| Some(display(r.fit.beta[0])))
            .collect(),
    )
    .number("ci_lb", cis.iter().map(|c| Some(c.0)).collect())
    .number("ci_ub", cis.iter().map(|c| Some(c.1)).collect())
    .number("pval", refits.iter().map(|r| Some(r.fit.pval[0])).collect())
    .number("tau2", refits.iter().map(|r| Some(r.fit.tau2)).collect())
    .number("i2", refits.iter().map(|r| Some(r.fit.i2)).collect())
    .number("q", refits.iter().map(|r| Some(r.fit.q)).collect());
    columns::location(&mut t, sourced);
    columns::data_origin(&mut t, sourced);
    t
}

fn loo_markdown(
    refits: &[Refit],
    names: &[String],
    display: &dyn Fn(f64) -> f64,
    estimate: &dyn Fn(f64) -> String,
) -> String {
    let mut s = String::from(
        "Leave-one-out (the model refitted without each study):\n\n| omitted | k | estimate [CI] | I² |\n|---|---|---|---|\n",
    );
    for (r, name) in refits.iter().zip(names) {
        let (lo, hi) = ordered(display, r.fit.ci_lb[0], r.fit.ci_ub[0]);
        s.push_str(&format!(
            "| {} | {} | {} [{}, {}] | {}% |\n",
            escape_markdown(name),
            r.fit.k,
            estimate(display(r.fit.beta[0])),
            estimate(lo),
            estimate(hi),
            i2(r.fit.i2)
        ));
    }
    s.push('\n');
    s
}

fn bias_markdown(
    b: &BiasTests,
    display: &dyn Fn(f64) -> f64,
    estimate: &dyn Fn(f64) -> String,
) -> String {
    let mut s = String::from("Small-study effects:\n\n");
    for (name, e) in [
        ("Egger's test (mixed-effects)", &b.egger),
        ("Egger's test (classical)", &b.classical),
    ] {
        match e {
            Ok(e) => s.push_str(&format!(
                "- {name}: {} = {}, {}\n",
                if e.df.is_some() { "t" } else { "z" },
                statistic(e.stat),
                p_value(e.pval, PStyle::Prose)
            )),
            Err(why) => s.push_str(&format!("- {name}: not run ({})\n", escape_markdown(why))),
        }
    }
    match &b.begg {
        Ok(k) => s.push_str(&format!(
            "- Begg's rank correlation: Kendall's tau = {}, {}\n",
            fixed(k.tau, 3),
            p_value(k.pval, PStyle::Prose)
        )),
        Err(why) => s.push_str(&format!(
            "- Begg's rank correlation: not run ({})\n",
            escape_markdown(why)
        )),
    }
    match &b.trimfill {
        Ok(t) => {
            let (lo, hi) = ordered(display, t.fit.ci_lb[0], t.fit.ci_ub[0]);
            s.push_str(&format!(
                "- Trim-and-fill (L0): {} imputed on the {} side; adjusted estimate {} [{}, {}]\n",
                crate::number::count(t.k0, "study", "studies"),
                if t.side == crate::stats::pool::trimfill::Side::Left {
                    "left"
                } else {
                    "right"
                },
                estimate(display(t.fit.beta[0])),
                estimate(lo),
                estimate(hi)
            ));
        }
        Err(why) => s.push_str(&format!(
            "- Trim-and-fill: not run ({})\n",
            escape_markdown(why)
        )),
    }
    s.push('\n');
    s
}
