//! `pool`: pools the selected figures (hazard ratios, proportions at a time
//! point, or median survival) with the metafor-validated engine, and writes
//! `pooled.csv`, `effects.csv` (every figure's derivation, or why it was
//! excluded) and a forest plot. With fewer than two usable studies nothing is
//! pooled and the report says why.
//!
//! The run reads as its steps: enter the figures' effects → fit the overall
//! model ([`crate::workflow::pool::from_evidence`]) → with k ≥ 2, the
//! sensitivity fits and the design (subgroups, cumulative, meta-regression;
//! [`crate::workflow::pool::design`]) → tables, figures, the metafor export,
//! the report and the methods paragraph.

mod figures;
pub mod metafor;
pub mod methods;
pub mod options;
mod plan;
mod report;
pub mod sensitivity;
pub mod tables;

use crate::analysis::Kind;
use crate::domain::Reads;
use crate::domain::{Evidence, Figure, StudySource};
use crate::project::AnalysisSpec;
use crate::stats::pool::confint::HeterogeneityCi;
use crate::stats::pool::RmaFit;

use super::evidence_table::selected;
use super::{title, AnalysisError, AnalysisOutput, Methods, OutputFile};
use crate::analysis::pool::options::PoolOptions;
use crate::present::columns;
use crate::present::pool_models::{display_scale, natural_unit};
use crate::workflow::pool::design::{self, Design};
use crate::workflow::pool::from_evidence::{self, Entered};

/// Figures pooled by the metafor-validated engine.
pub(crate) struct Pool;

impl Kind for Pool {
    type Options = PoolOptions;
    const READS: Reads = Reads::FIGURES;

    fn plan(
        spec: &AnalysisSpec,
        o: &PoolOptions,
        evidence: &Evidence,
        data_ok: bool,
        planned: &mut crate::analysis::plan::Planned,
    ) {
        plan::plan(spec, o, evidence, data_ok, planned);
    }

    fn run(
        spec: &AnalysisSpec,
        o: PoolOptions,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let rows = selected(spec, evidence)?;
        let (entered, excluded) = from_evidence::effects(&rows, o.measure, o.exclude_derived);
        Pooling {
            spec,
            o: &o,
            sources: Sources::of(evidence),
            entered,
            excluded,
            selected: rows.len(),
            heading: title(spec, "Pooled estimate"),
        }
        .run()
    }
}

/// The fix a statistical failure points to.
const CHECK_FIGURES: &str = "check the selected figures";

/// The studies' sources, by id (an empty source for an id without one).
struct Sources<'a> {
    studies: &'a std::collections::BTreeMap<crate::domain::StudyId, StudySource>,
    empty: StudySource,
}

impl<'a> Sources<'a> {
    /// The sources of the evidence's studies.
    fn of(evidence: &'a Evidence) -> Self {
        Sources {
            studies: &evidence.studies,
            empty: StudySource::default(),
        }
    }

    /// Study `id`'s source.
    fn get(&self, id: &str) -> &StudySource {
        self.studies.get(id).unwrap_or(&self.empty)
    }

    /// Study `id` as the report names it ("Bishop 2017").
    fn label(&self, id: &str) -> String {
        self.get(id).short_label(id)
    }
}

/// One run of the kind: the options and the figures, entered or excluded.
struct Pooling<'a> {
    spec: &'a AnalysisSpec,
    o: &'a PoolOptions,
    sources: Sources<'a>,
    /// Figures with an effect, in table order.
    entered: Vec<Entered<'a>>,
    /// Figures left out, with the reason.
    excluded: Vec<(&'a Figure, String)>,
    /// How many figures the selection matched.
    selected: usize,
    heading: String,
}

/// The entered effects as the models take them: yi, vi and study ids.
struct Columns {
    y: Vec<f64>,
    v: Vec<f64>,
    ids: Vec<String>,
}

impl Pooling<'_> {
    /// Fits the overall model, then reports it, or why nothing was pooled.
    fn run(&self) -> Result<AnalysisOutput, AnalysisError> {
        let mut warnings = self.effect_warnings();
        let (y, v, ids) = from_evidence::columns(&self.entered);
        let overall = from_evidence::fit_overall(&y, &v, &ids, self.o.params())
            .map_err(|e| self.problem(e.to_string(), CHECK_FIGURES))?;
        if let Some(f) = &overall.fit {
            warnings.extend(f.warnings.iter().cloned());
        }
        let effects = self.csv(
            "effects.csv",
            &tables::effects_table(
                &self.entered,
                &self.excluded,
                &overall.weights(self.entered.len()),
                &|id| self.sources.get(id),
            ),
        )?;
        match &overall.fit {
            None => Ok(self.not_pooled(effects, &warnings)),
            Some(fit) => self.pooled(
                fit,
                overall.ci.as_ref(),
                &Columns { y, v, ids },
                effects,
                warnings,
            ),
        }
    }

    /// Each entered effect's caveats, named by study, then the studies
    /// that share a cohort.
    fn effect_warnings(&self) -> Vec<String> {
        let mut warnings: Vec<String> = self
            .entered
            .iter()
            .flat_map(|e| {
                let name = self.sources.label(&e.figure.study_id);
                e.effect.flags.iter().map(move |f| format!("{name}: {f}"))
            })
            .collect();
        warnings.extend(from_evidence::shared_cohorts(&self.entered));
        warnings
    }

    /// With k < 2: `effects.csv` and the report of why nothing was pooled.
    fn not_pooled(&self, effects: OutputFile, warnings: &[String]) -> AnalysisOutput {
        let k = self.entered.len();
        let software = crate::present::methods::software("");
        self.output(
            vec![effects],
            format!("not pooled (k = {k})"),
            report::not_pooled(&self.spec.name, k, self.selected, &self.exclusions(), warnings),
            Methods::new(
                format!(
                    "Figures were to be converted to the {} scale and pooled by inverse variance; fewer than two had the numbers needed, so nothing was pooled. {software}",
                    self.o.measure
                ),
                &[],
            )
            .warn(warnings.iter().cloned()),
        )
    }

    /// With k ≥ 2: the sensitivity fits and the design's models, then every
    /// file, the report and the methods paragraph.
    fn pooled(
        &self,
        fit: &RmaFit,
        ci: Option<&HeterogeneityCi>,
        c: &Columns,
        effects: OutputFile,
        mut warnings: Vec<String>,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let o = self.o;
        let display = display_scale(o.measure, from_evidence::harmonic_n(&self.entered));
        let percent = matches!(
            o.measure,
            crate::workflow::pool::effects::Measure::Proportion(_)
        );
        let shown = report::Shown::of(fit, &display, percent);
        let (sens_fits, sens) = self.sensitivity(c, &display, shown.decimals)?;
        let look = o
            .look()
            .map_err(|m| self.problem(m, "see the pool options in the README"))?;
        let (design, fitted) = self.design(c)?;
        warnings.extend(fitted.warnings.iter().cloned());
        let null = crate::workflow::pool::funnel::funnel_null(o.measure, o.funnel_null)
            .map_err(|m| self.problem(m, "leave funnel_null out for proportions and medians"))?;
        let refits = sens_fits.as_ref().and_then(|s| s.refits.as_deref());
        let figures = figures::Inputs {
            fit,
            tau2_ci: ci.map(|c| c.tau2),
            design: &design,
            fitted: &fitted,
            refits,
            display: &display,
            look,
            funnel_null: null,
        };
        let written = self.figures(&figures)?;
        warnings.extend(written.warnings);
        let (loo, sensitivity_md) =
            sens.map_or((None, String::new()), |s| (s.leave_one_out, s.markdown));
        let mut files = vec![self.pooled_file(fit, ci, &shown)?, effects];
        if let Some(t) = &loo {
            files.push(self.csv("leave_one_out.csv", t)?);
        }
        files.extend(written.files);
        files.extend(self.metafor_files(&design, &fitted)?);
        let sections = report::Sections {
            figures: written.markdown,
            design: crate::present::pool_models::fitted_markdown(&fitted, &display, shown.decimals),
            sensitivity: sensitivity_md,
            exclusions: self.exclusions(),
        };
        let published = self
            .forest_studies(&design, &display, fit.params.level)
            .iter()
            .filter(|s| s.published_ci.is_some())
            .count();
        let methods = self.methods(fit, &fitted, loo.is_some(), null.is_some(), published);
        let unit = natural_unit(o.measure);
        Ok(self.output(
            files,
            format!("k = {}: {} {unit}", fit.k, shown.estimate_ci()),
            report::pooled(
                &self.spec.name,
                fit,
                ci,
                o.params().test,
                &shown,
                unit,
                &sections,
                &warnings,
                loo.is_some(),
            ),
            methods.warn(warnings.iter().cloned()),
        ))
    }

    /// With `leave_one_out` (the default): the refits and the small-study
    /// tests, and their table and report sections.
    fn sensitivity(
        &self,
        c: &Columns,
        display: &dyn Fn(f64) -> f64,
        decimals: usize,
    ) -> Result<
        (
            Option<from_evidence::SensitivityFits>,
            Option<sensitivity::Sensitivity>,
        ),
        AnalysisError,
    > {
        if !self.o.sensitivity() {
            return Ok((None, None));
        }
        let min_k = self.o.min_k_bias();
        let fits = from_evidence::sensitivity_fits(&c.y, &c.v, &c.ids, self.o.params(), min_k)
            .map_err(|e| self.problem(e.to_string(), CHECK_FIGURES))?;
        let names = self.study_labels();
        let figures: Vec<&Figure> = self.entered.iter().map(|e| e.figure).collect();
        let sourced = columns::Sourced::of(&figures, &|f| self.sources.get(&f.study_id));
        let laid_out =
            sensitivity::sensitivity(&fits, c.y.len(), &names, &sourced, display, min_k, decimals);
        Ok((Some(fits), Some(laid_out)))
    }

    /// The subgroups, cumulative order and moderator the options ask for,
    /// and their models.
    fn design(&self, c: &Columns) -> Result<(Design, design::Fitted), AnalysisError> {
        let o = self.o;
        let years: Vec<Option<i32>> = self
            .entered
            .iter()
            .map(|e| self.sources.get(&e.figure.study_id).year)
            .collect();
        let names = self.study_labels();
        let problem = |(m, fix): (String, String)| self.problem(m, &fix);
        let d = Design::new(
            &self.entered,
            &names,
            &years,
            o.subgroup,
            o.cumulative,
            o.moderator,
        )
        .map_err(problem)?;
        let tau2 = o.subgroup_tau2.unwrap_or_default();
        let fitted = d
            .fit(&c.y, &c.v, &c.ids, o.params(), tau2)
            .map_err(problem)?;
        Ok((d, fitted))
    }

    /// Each entered figure's study, as the report names it.
    fn study_labels(&self) -> Vec<String> {
        let label = |e: &Entered<'_>| self.sources.label(&e.figure.study_id);
        self.entered.iter().map(label).collect()
    }

    /// The excluded figures as a Markdown list (study, group: reason).
    fn exclusions(&self) -> String {
        report::exclusions(self.excluded.iter().map(|(f, r)| {
            (
                self.sources.label(&f.study_id),
                f.group.as_str(),
                r.as_str(),
            )
        }))
    }

    /// An error located at this analysis, with its fix.
    fn problem(&self, message: String, fix: &str) -> AnalysisError {
        self.spec.error(message, fix.into()).into()
    }

    /// The analysis' output: its files, summary line, report and methods.
    fn output(
        &self,
        files: Vec<OutputFile>,
        summary: String,
        report: String,
        methods: Methods,
    ) -> AnalysisOutput {
        let ids = self.entered.iter().map(|e| e.figure.study_id.as_str());
        let excluded = self.excluded.iter().map(|(f, _)| f.study_id.as_str());
        AnalysisOutput {
            name: self.spec.name.clone(),
            kind: self.spec.kind,
            title: self.heading.clone(),
            files,
            summary,
            report,
            studies: columns::study_ids(ids.chain(excluded)),
            methods,
        }
    }
}
