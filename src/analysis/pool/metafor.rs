//! The metafor-ready export of a pooled analysis: `metafor.csv` (one row
//! per pooled figure: `study, yi, vi, sei` on the analysis scale, with `ni`
//! (for the PFT back-transform), the subgroup and moderator the fit used, and each row's source) and
//! `metafor.R`, which refits the analysis with R metafor from that file and
//! prints every number the report prints — the overall model, its τ² CI,
//! the subgroups and their test (separate τ²: Q-between, an equal-effects
//! model of the subgroup estimates; common τ²: the moderator test), the
//! meta-regression, leave-one-out, the small-study tests and the
//! cumulative refits — ending with `numbers`, a table of them on the
//! report's scale (tests/metafor_scripts.rs checks it against the report).

use crate::export::{to_csv, ExportError, Table};
use crate::stats::effect::proportion::Scale;
use crate::stats::pool::{RmaParams, Tau2Method, TestKind};
use crate::workflow::pool::effects::Measure;

use crate::analysis::{export_err, AnalysisError, OutputFile};
use crate::workflow::pool::design;
use crate::workflow::pool::from_evidence::Entered;

use super::Pooling;

impl Pooling<'_> {
    /// `metafor.csv` and `metafor.R`, with the design's subgroups and moderator.
    pub(super) fn metafor_files(
        &self,
        design: &design::Design,
        fitted: &design::Fitted,
    ) -> Result<[OutputFile; 2], AnalysisError> {
        use crate::domain::Vocab;
        let k = self.entered.len();
        let d = Design {
            subgroup: design.subgroup_field().map(|f| {
                let of = (0..k).map(|i| design.subgroup_of(i).unwrap_or_default());
                (f.name(), of.collect())
            }),
            common_tau2: fitted.subgroups.as_ref().is_some_and(|s| s.common_tau2),
            moderator: design.moderator().map(|(m, x)| (m.name(), x)),
            leave_one_out: self.o.sensitivity() && k >= 3,
            bias: self.o.sensitivity() && k >= self.o.min_k_bias(),
            cumulative: fitted.cumulative.as_ref().map(|c| c.1.clone()),
        };
        files(
            &self.spec.name,
            self.o.measure,
            self.o.params(),
            &self.entered,
            &d,
        )
        .map_err(export_err(self.spec))
    }
}

/// What the R script needs to know about the design.
pub(crate) struct Design<'a> {
    /// Subgroup field and each study's subgroup.
    pub subgroup: Option<(&'a str, Vec<String>)>,
    /// The subgroups share one τ² (a mixed-effects model on the factor).
    pub common_tau2: bool,
    /// Moderator name and each study's value.
    pub moderator: Option<(&'a str, &'a [f64])>,
    /// Leave-one-out refits were run.
    pub leave_one_out: bool,
    /// The small-study tests were run.
    pub bias: bool,
    /// The cumulative order (indices of the studies), when asked for.
    pub cumulative: Option<Vec<usize>>,
}

/// `metafor.csv` and `metafor.R` for an analysis named `name`.
pub(crate) fn files(
    name: &str,
    measure: Measure,
    params: RmaParams,
    entered: &[Entered<'_>],
    design: &Design<'_>,
) -> Result<[OutputFile; 2], ExportError> {
    let mut t = Table::default();
    let text =
        |g: &dyn Fn(&Entered<'_>) -> Option<String>| entered.iter().map(g).collect::<Vec<_>>();
    t.text(
        "study",
        entered
            .iter()
            .map(|e| {
                Some(if e.figure.group == "all" {
                    e.figure.study_id.clone()
                } else {
                    format!("{} ({})", e.figure.study_id, e.figure.group)
                })
            })
            .collect(),
    )
    .number("yi", entered.iter().map(|e| Some(e.effect.yi)).collect())
    .number("vi", entered.iter().map(|e| Some(e.effect.vi)).collect())
    .number(
        "sei",
        entered.iter().map(|e| Some(e.effect.sei())).collect(),
    )
    .integer("ni", entered.iter().map(|e| e.figure.n).collect());
    if let Some((field, values)) = &design.subgroup {
        t.text(field, values.iter().map(|s| Some(s.clone())).collect());
    }
    // A moderator on n is the `ni` column already.
    if let Some((m, x)) = design.moderator.filter(|(m, _)| *m != "n") {
        t.number(m, x.iter().map(|v| Some(*v)).collect());
    }
    t.text("measure", text(&|_| Some(measure.to_string())))
        .text("derivation", text(&|e| Some(e.effect.derivation.clone())))
        .text("data_file", text(&|e| Some(e.figure.origin.file.clone())))
        .integer(
            "data_line",
            entered
                .iter()
                .map(|e| Some(e.figure.origin.line as u64))
                .collect(),
        );
    Ok([
        OutputFile {
            name: "metafor.csv".into(),
            bytes: to_csv(&t)?,
            schema: t.schema(),
        },
        OutputFile::new(
            "metafor.R",
            script(name, measure, params, design).into_bytes(),
        ),
    ])
}

/// The report's scale as an R function of the analysis scale: metafor's
/// back-transformation, in percent for proportions.
fn shown(measure: Measure) -> &'static str {
    match measure {
        Measure::HR | Measure::ROM => "exp(x)",
        Measure::Proportion(s) => match s {
            Scale::PR => "100 * x",
            Scale::PLO => "100 * transf.ilogit(x)",
            Scale::PLN => "100 * exp(x)",
            Scale::PAS => "100 * transf.iarcsin(x)",
            Scale::PFT => "100 * transf.ipft.hm(x, targs = list(ni = dat$ni))",
            Scale::CLOGLOG => "100 * (1 - exp(-exp(x)))",
        },
        _ => "x",
    }
}

/// An R string literal.
fn r_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn script(name: &str, measure: Measure, params: RmaParams, design: &Design<'_>) -> String {
    let fe = params.method == Tau2Method::FE;
    let inference = format!(
        "test = \"{}\", level = {}",
        if params.test == TestKind::Knha {
            "knha"
        } else {
            "z"
        },
        crate::number::num(params.level * 100.0, 4)
    );
    let args = format!(
        "data = dat, method = \"{}\", test = \"{}\", level = {}, control = ctrl",
        params.method,
        if params.test == TestKind::Knha {
            "knha"
        } else {
            "z"
        },
        crate::number::num(params.level * 100.0, 4)
    );
    let mut s = format!(
        "# Refits survlit analysis '{name}' with R metafor from metafor.csv (yi, vi on\n\
         # the {measure} scale) and prints every number survlit's report and figures print;\n\
         # the last table, 'numbers', lists them on the report's scale.\n\
         # Run from this folder: Rscript metafor.R\n\
         library(metafor)\n\
         dat <- read.csv(\"metafor.csv\", stringsAsFactors = FALSE)\n\
         ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)\n\
         shown <- function(x) {shown}\n\
         numbers <- data.frame(quantity = character(), value = numeric())\n\
         keep <- function(quantity, value) numbers[nrow(numbers) + 1, ] <<- list(quantity, value)\n\
         keep_ci <- function(prefix, est, lb, ub) {{\n  ci <- sort(shown(c(lb, ub)))\n  keep(paste0(prefix, \"estimate\"), shown(est)); keep(paste0(prefix, \"ci_lb\"), ci[1]); keep(paste0(prefix, \"ci_ub\"), ci[2])\n}}\n\
         res <- rma(yi, vi, slab = study, {args})\n\
         print(res)\n\
         keep_ci(\"\", res$b[1], res$ci.lb, res$ci.ub)\n\
         keep(\"stat\", res$zval); keep(\"pval\", res$pval)\n\
         keep(\"tau2\", res$tau2); keep(\"i2\", res$I2); keep(\"q\", res$QE); keep(\"q_pval\", res$QEp)\n",
        shown = shown(measure)
    );
    if !fe {
        s.push_str(
            "pred <- predict(res)\n\
             print(pred)\n\
             pi <- sort(shown(c(pred$pi.lb, pred$pi.ub)))\n\
             keep(\"pi_lb\", pi[1]); keep(\"pi_ub\", pi[2])\n\
             het <- confint(res)\n\
             print(het)\n\
             keep(\"tau2_ci_lb\", het$random[\"tau^2\", \"ci.lb\"]); keep(\"tau2_ci_ub\", het$random[\"tau^2\", \"ci.ub\"])\n",
        );
    }
    if let Some((field, values)) = &design.subgroup {
        s.push_str(&subgroups_r(field, values, design.common_tau2, &args));
    }
    if let Some((m, _)) = design.moderator {
        let m = if m == "n" { "ni" } else { m };
        s.push_str(&format!(
            "# Meta-regression on {m}:\n\
             reg <- rma(yi, vi, mods = ~ {m}, slab = study, {args})\n\
             print(reg)\n\
             keep(\"slope\", reg$b[2]); keep(\"slope_se\", reg$se[2]); keep(\"qm\", reg$QM); keep(\"qm_pval\", reg$QMp)\n\
             keep(\"residual_tau2\", reg$tau2)\n"
        ));
    }
    if design.leave_one_out {
        s.push_str(
            "# Leave-one-out:\n\
             l1o <- leave1out(res)\n\
             print(l1o)\n\
             for (i in seq_len(nrow(dat))) {\n  keep_ci(paste0(\"leave-one-out \", dat$study[i], \": \"), l1o$estimate[i], l1o$ci.lb[i], l1o$ci.ub[i])\n  keep(paste0(\"leave-one-out \", dat$study[i], \": i2\"), l1o$I2[i])\n}\n",
        );
    }
    if design.bias {
        s.push_str(&format!(
            "# Small-study effects:\n\
             egger <- regtest(res); print(egger)\n\
             keep(\"egger\", egger$zval); keep(\"egger_pval\", egger$pval)\n\
             classical <- regtest(res, model = \"lm\"); print(classical)\n\
             keep(\"egger_classical\", classical$zval); keep(\"egger_classical_pval\", classical$pval)\n\
             begg <- ranktest(res); print(begg)\n\
             keep(\"begg_tau\", begg$tau); keep(\"begg_pval\", begg$pval)\n\
             # The filled data refitted with the analysis' test and level, as survlit\n\
             # reports it (trimfill alone would refit with z at 95%).\n\
             filled <- trimfill(res, {inference}); print(filled)\n\
             keep(\"trimfill_k0\", filled$k0)\n\
             keep_ci(\"trim-and-fill: \", filled$b[1], filled$ci.lb, filled$ci.ub)\n",
            inference = inference
        ));
    }
    if let Some(order) = &design.cumulative {
        let order: Vec<String> = order.iter().map(|i| (i + 1).to_string()).collect();
        s.push_str(&format!(
            "# Cumulative meta-analysis, studies added in this order (rows of metafor.csv):\n\
             added <- c({})\n\
             cum <- cumul(res, order = order(added))\n\
             print(cum)\n\
             for (i in seq_along(added)) keep_ci(paste0(\"cumulative \", i, \": \"), cum$estimate[i], cum$ci.lb[i], cum$ci.ub[i])\n",
            order.join(", ")
        ));
    }
    s.push_str("cat(\"\\nEvery number of the report, on its scale:\\n\")\nprint(numbers, digits = 10, row.names = FALSE)\n");
    s
}

/// The subgroup models in R: each subgroup on its own and Q-between (an
/// equal-effects model of their estimates), or one mixed-effects model
/// with the subgroup factor (its cell means and moderator test).
fn subgroups_r(field: &str, values: &[String], common: bool, args: &str) -> String {
    let (levels, _) = crate::workflow::pool::design::subgroup_levels(values);
    let levels: Vec<String> = levels.iter().map(|l| r_string(l)).collect();
    let mut s = format!(
        "# Subgroups by {field}, in survlit's order:\nlevels <- c({})\n",
        levels.join(", ")
    );
    if common {
        s.push_str(&format!(
            "# One tau^2 shared by all subgroups: cell means, and the test of the factor.\n\
             cells <- rma(yi, vi, mods = ~ factor({field}, levels = levels) - 1, {args})\n\
             print(cells)\n\
             for (i in seq_along(levels)) keep_ci(paste0(\"subgroup \", levels[i], \": \"), cells$b[i], cells$ci.lb[i], cells$ci.ub[i])\n\
             common <- rma(yi, vi, mods = ~ factor({field}, levels = levels), {args})\n\
             print(common)\n\
             keep(\"subgroup_test\", common$QM); keep(\"subgroup_test_pval\", common$QMp)\n"
        ));
    } else {
        s.push_str(&format!(
            "# Each subgroup with its own tau^2:\n\
             sub <- data.frame(estimate = numeric(), se = numeric())\n\
             for (g in levels) {{\n  cat(\"\\n==\", g, \"==\\n\")\n  fit <- rma(yi, vi, slab = study, subset = {field} == g, {args})\n  print(fit)\n  keep_ci(paste0(\"subgroup \", g, \": \"), fit$b[1], fit$ci.lb, fit$ci.ub)\n  if (fit$k > 1) keep(paste0(\"subgroup \", g, \": i2\"), fit$I2)\n  sub[nrow(sub) + 1, ] <- list(fit$b[1], fit$se)\n}}\n\
             # Test for subgroup differences: Q-between, the heterogeneity of an\n\
             # equal-effects model of the subgroup estimates (not the common-tau^2 QM).\n\
             between <- rma(estimate, sei = se, data = sub, method = \"FE\")\n\
             print(between)\n\
             keep(\"subgroup_test\", between$QE); keep(\"subgroup_test_pval\", between$QEp)\n"
        ));
    }
    s
}
