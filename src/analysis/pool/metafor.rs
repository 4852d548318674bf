//! The metafor-ready export of a pooled analysis: `metafor.csv` (one row
//! per pooled figure: `study, yi, vi, sei` on the analysis scale, with `ni`
//! (for the PFT back-transform), the subgroup and moderator the fit used, and each row's source) and
//! `metafor.R`, which refits the analysis with R metafor from that file and
//! prints what `pooled.csv` holds.

use crate::export::{to_csv, ExportError, Table};
use crate::stats::effect::proportion::Scale;
use crate::stats::pool::{RmaParams, TestKind};
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
    ) -> Result<[OutputFile; 2], AnalysisError> {
        use crate::domain::Vocab;
        let k = self.entered.len();
        let d = Design {
            subgroup: design.subgroup_field().map(|f| {
                let of = (0..k).map(|i| design.subgroup_of(i).unwrap_or_default());
                (f.name(), of.collect())
            }),
            moderator: design.moderator().map(|(m, x)| (m.name(), x)),
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
    /// Moderator name and each study's value.
    pub moderator: Option<(&'a str, &'a [f64])>,
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

/// The back-transformation metafor applies to print the natural scale.
fn transf(measure: Measure) -> Option<&'static str> {
    match measure {
        Measure::HR | Measure::ROM => Some("exp"),
        Measure::Proportion(s) => match s {
            Scale::PR => None,
            Scale::PLO => Some("transf.ilogit"),
            Scale::PLN => Some("exp"),
            Scale::PAS => Some("transf.iarcsin"),
            Scale::PFT => Some("transf.ipft.hm, targs = list(ni = dat$ni)"),
            Scale::CLOGLOG => Some("function(x) 1 - exp(-exp(x))"),
        },
        _ => None,
    }
}

fn script(name: &str, measure: Measure, params: RmaParams, design: &Design<'_>) -> String {
    let args = format!(
        "data = dat, method = \"{}\", test = \"{}\", level = {},\n           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)",
        params.method,
        if params.test == TestKind::Knha { "knha" } else { "z" },
        crate::present::format::num(params.level * 100.0, 4)
    );
    let pred = |fit: &str| match transf(measure) {
        Some(t) => format!("print(predict({fit}, transf = {t}))\n"),
        None => format!("print(predict({fit}))\n"),
    };
    let mut s = format!(
        "# Refits survlit analysis '{name}' with R metafor from metafor.csv\n\
         # (yi, vi on the {measure} scale; survlit's pooled.csv holds the same fit).\n\
         # Run from this folder: Rscript metafor.R\n\
         library(metafor)\n\
         dat <- read.csv(\"metafor.csv\", stringsAsFactors = FALSE)\n\
         res <- rma(yi, vi, slab = study, {args})\n\
         print(res)\n"
    );
    s.push_str(&pred("res"));
    s.push_str("print(confint(res))\n");
    if let Some((field, _)) = &design.subgroup {
        s.push_str(&format!(
            "# Subgroups by {field}, each with its own tau^2:\n\
             for (g in sort(unique(dat${field}))) {{\n  cat(\"\\n==\", g, \"==\\n\")\n  fit <- rma(yi, vi, slab = study, subset = {field} == g, {args})\n  print(fit)\n}}\n\
             # Test of subgroup differences (common tau^2): QM of the moderator.\n\
             print(rma(yi, vi, mods = ~ factor({field}), {args}))\n"
        ));
    }
    if let Some((m, _)) = design.moderator {
        let m = if m == "n" { "ni" } else { m };
        s.push_str(&format!(
            "# Meta-regression on {m}:\n\
             reg <- rma(yi, vi, mods = ~ {m}, slab = study, {args})\n\
             print(reg)\n"
        ));
    }
    s
}
