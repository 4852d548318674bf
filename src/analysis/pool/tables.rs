//! The tables the `pool` kind writes: every selected figure with its
//! derivation or exclusion reason (`effects.csv`), and the pooled model
//! (`pooled.csv`), and the kind's tables written as CSV. Formatting only;
//! the numbers come from the fit.

use crate::analysis::{AnalysisError, OutputFile};
use crate::domain::{Figure, StudySource};
use crate::export::Table;
use crate::stats::pool::confint::HeterogeneityCi;
use crate::stats::pool::{RmaFit, RmaParams};

use crate::present::columns::{self, Sourced};
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::from_evidence::Entered;

use super::report::Shown;
use super::Pooling;
use crate::present::pool_models::natural_unit;

impl Pooling<'_> {
    /// `pooled.csv`: the model on the analysis and the natural scale.
    pub(super) fn pooled_file(
        &self,
        fit: &RmaFit,
        ci: Option<&HeterogeneityCi>,
        shown: &Shown,
    ) -> Result<OutputFile, AnalysisError> {
        let t = pooled_table(
            self.o.measure,
            self.o.params(),
            fit,
            ci,
            (shown.est, shown.lo, shown.hi, shown.pi),
            natural_unit(self.o.measure),
            &self.entered,
        );
        self.csv("pooled.csv", &t)
    }

    /// A table written as CSV.
    pub(super) fn csv(&self, name: &str, t: &Table) -> Result<OutputFile, AnalysisError> {
        OutputFile::csv(self.spec, name, t)
    }
}

/// Pooled rows (with their weights) then excluded rows (with the reason).
pub(crate) fn effects_table<'a>(
    entered: &[Entered<'a>],
    excluded: &[(&'a Figure, String)],
    weights: &[Option<f64>],
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Table {
    let mut all: Vec<(&Figure, Option<&Entered<'_>>, Option<f64>, Option<String>)> = entered
        .iter()
        .zip(weights)
        .map(|(e, w)| (e.figure, Some(e), *w, None))
        .collect();
    all.extend(
        excluded
            .iter()
            .map(|(f, r)| (*f, None, None, Some(r.clone()))),
    );
    let sourced: Vec<Sourced<'_>> = all
        .iter()
        .map(|(f, ..)| Sourced {
            study_id: &f.study_id,
            provenance: &f.provenance,
            study: source(&f.study_id),
            origin: &f.origin,
        })
        .collect();
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    t.text(
        "group",
        all.iter().map(|(f, ..)| Some(f.group.clone())).collect(),
    )
    .text(
        "statistic",
        all.iter()
            .map(|(f, ..)| Some(f.statistic.to_string()))
            .collect(),
    )
    .number("value", all.iter().map(|(f, ..)| f.value).collect())
    .text(
        "status",
        all.iter()
            .map(|(_, e, ..)| Some(if e.is_some() { "pooled" } else { "excluded" }.to_string()))
            .collect(),
    )
    .text("reason", all.iter().map(|(.., r)| r.clone()).collect())
    .number(
        "yi",
        all.iter()
            .map(|(_, e, ..)| e.map(|e| e.effect.yi))
            .collect(),
    )
    .number(
        "vi",
        all.iter()
            .map(|(_, e, ..)| e.map(|e| e.effect.vi))
            .collect(),
    )
    .number("weight_pct", all.iter().map(|(_, _, w, _)| *w).collect())
    .text(
        "derivation",
        all.iter()
            .map(|(_, e, ..)| e.map(|e| e.effect.derivation.clone()))
            .collect(),
    )
    .text(
        "flags",
        all.iter()
            .map(|(_, e, ..)| {
                e.map(|e| e.effect.flags.join("; "))
                    .filter(|s| !s.is_empty())
            })
            .collect(),
    );
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}

/// One row: the model on the analysis scale, on the natural scale
/// (estimate, CI, PI), and its heterogeneity.
pub(crate) fn pooled_table(
    measure: Measure,
    params: RmaParams,
    fit: &RmaFit,
    ci: Option<&HeterogeneityCi>,
    natural: (f64, f64, f64, Option<(f64, f64)>),
    unit: &str,
    entered: &[Entered<'_>],
) -> Table {
    let (est, lo, hi, pi) = natural;
    let one = |x: f64| vec![Some(x)];
    let mut p = Table::default();
    p.text("measure", vec![Some(measure.to_string())])
        .text("method", vec![Some(params.method.to_string())])
        .text("test", vec![Some(params.test.to_string())])
        .number("level", one(params.level * 100.0))
        .integer("k", vec![Some(fit.k as u64)]);
    for (name, x) in [
        ("estimate", fit.beta[0]),
        ("se", fit.se[0]),
        ("ci_lb", fit.ci_lb[0]),
        ("ci_ub", fit.ci_ub[0]),
        ("pval", fit.pval[0]),
    ] {
        p.number(name, one(x));
    }
    p.number("pi_lb", vec![fit.pi.map(|x| x.0)])
        .number("pi_ub", vec![fit.pi.map(|x| x.1)]);
    p.number("estimate_natural", one(est))
        .number("ci_lb_natural", one(lo))
        .number("ci_ub_natural", one(hi))
        .number("pi_lb_natural", vec![pi.map(|x| x.0)])
        .number("pi_ub_natural", vec![pi.map(|x| x.1)])
        .text("natural_unit", vec![Some(unit.to_string())]);
    p.number("tau2", one(fit.tau2))
        .number("tau2_ci_lb", vec![ci.map(|c| c.tau2.0)])
        .number("tau2_ci_ub", vec![ci.map(|c| c.tau2.1)])
        .number("i2", one(fit.i2))
        .number("h2", one(fit.h2))
        .number("q", one(fit.q))
        .integer("q_df", vec![Some(fit.q_df as u64)])
        .number("q_pval", one(fit.q_pval));
    p.text(
        "studies",
        vec![Some(
            entered
                .iter()
                .map(|e| e.figure.study_id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        )],
    );
    p
}
