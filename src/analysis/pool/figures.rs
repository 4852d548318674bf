//! The pool kind's figures as files: the forest rows and the figures'
//! inputs from the fitted models, each drawn figure written as SVG, PNG and
//! PDF, its caption and links for the report, and the layout problems the
//! written SVG shows.

use crate::analysis::{figure_files, AnalysisError, OutputFile};
use crate::domain::Figure;
use crate::present::forest::published::{events_cell, events_header, published_ci};
use crate::present::forest::{ForestAxis, ForestLook, ForestStudy};
use crate::present::format::n_text;
use crate::present::pool_figures::{
    axis_label, draw, forest_axis, funnel_note, regression_view, Drawn, PoolFigures,
};
use crate::present::pool_models::{analysis_scale_label, cumulative_order_words, natural_unit};
use crate::project::AnalysisSpec;
use crate::stats::pool::sensitivity::Refit;
use crate::stats::pool::RmaFit;
use crate::workflow::pool::design::{Design, Fitted};
use crate::workflow::pool::effects::Measure;

use super::Pooling;

/// Files, the report's figure section and layout warnings.
pub(crate) struct Written {
    pub files: Vec<OutputFile>,
    pub markdown: String,
    pub warnings: Vec<String>,
}

/// The fitted models the figures show.
pub(super) struct Inputs<'a> {
    /// The overall model.
    pub fit: &'a RmaFit,
    /// Q-profile CI of τ².
    pub tau2_ci: Option<(f64, f64)>,
    /// The design's per-study values (subgroups, moderator).
    pub design: &'a Design,
    /// The design's models.
    pub fitted: &'a Fitted,
    /// Leave-one-out refits, when they ran.
    pub refits: Option<&'a [Refit]>,
    /// Analysis scale → display scale.
    pub display: &'a dyn Fn(f64) -> f64,
    /// Layout options.
    pub look: ForestLook,
    /// Centre of the funnel's contours (analysis scale).
    pub funnel_null: Option<f64>,
}

impl Pooling<'_> {
    /// The events column's header: in the estimate's terms when every
    /// entered figure has the same outcome.
    fn events_header(&self) -> &'static str {
        let proportion = matches!(self.o.measure, Measure::Proportion(_));
        match self.entered.first() {
            Some(f)
                if self
                    .entered
                    .iter()
                    .all(|e| e.figure.outcome == f.figure.outcome) =>
            {
                events_header(f.figure.outcome, proportion)
            }
            _ if proportion => "Events / total",
            _ => "Events",
        }
    }
}

/// A forest row's label: the study, and its group only where it tells
/// rows apart (the study has another row in the analysis) — the group of
/// a study's one figure is in effects.csv.
fn forest_label(study: String, f: &Figure, rows_of_study: usize) -> String {
    if f.group == "all" || rows_of_study < 2 {
        study
    } else {
        format!("{study} · {}", f.group)
    }
}

impl Pooling<'_> {
    /// One forest row per entered figure, in model order, with its
    /// subgroup, its events in the estimate's terms, and its published CI
    /// where the re-derived one differs beyond rounding.
    pub(super) fn forest_studies(
        &self,
        design: &Design,
        display: &dyn Fn(f64) -> f64,
        level: f64,
    ) -> Vec<ForestStudy> {
        let proportion = matches!(self.o.measure, Measure::Proportion(_));
        let rows_of = |id: &str| {
            self.entered
                .iter()
                .filter(|e| e.figure.study_id == id)
                .count()
        };
        self.entered
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let z = crate::stats::effect::wald_ci(e.effect.yi, e.effect.vi, level);
                let (a, b) = (display(z.0), display(z.1));
                ForestStudy {
                    label: forest_label(
                        self.sources.label(&e.figure.study_id),
                        e.figure,
                        rows_of(&e.figure.study_id),
                    ),
                    year: self.sources.get(&e.figure.study_id).year,
                    n: n_text(e.figure),
                    events: events_cell(e.figure, proportion),
                    yi: e.effect.yi,
                    vi: e.effect.vi,
                    subgroup: design.subgroup_of(i),
                    published_ci: published_ci(e.figure, (a.min(b), a.max(b)), level),
                }
            })
            .collect()
    }

    /// Every figure of the analysis, drawn and written.
    pub(super) fn figures(&self, m: &Inputs<'_>) -> Result<Written, AnalysisError> {
        let measure = self.o.measure;
        let studies = self.forest_studies(m.design, m.display, m.fit.params.level);
        let x_label = axis_label(&self.entered, measure, natural_unit(measure));
        let cumulative = m.fitted.cumulative.as_ref().map(|(r, order, by)| {
            let names = order.iter().map(|&i| studies[i].label.clone()).collect();
            (r.as_slice(), names, cumulative_order_words(*by).to_string())
        });
        let min_k = self.o.min_k_bias();
        let f = PoolFigures {
            title: &self.heading,
            studies: &studies,
            fit: m.fit,
            tau2_ci: m.tau2_ci,
            subgroups: m.fitted.subgroups.as_ref(),
            loo: m.refits,
            cumulative,
            regression: m
                .fitted
                .regression
                .as_ref()
                .map(|r| regression_view(r, m.design)),
            display: m.display,
            axis: ForestAxis {
                events_header: self.events_header().into(),
                ..forest_axis(measure, x_label)
            },
            look: m.look.clone(),
            funnel_null: m.funnel_null,
            analysis_scale: analysis_scale_label(measure),
            funnel_note: funnel_note(
                m.fit.k,
                min_k,
                if self.o.sensitivity() {
                    "Asymmetry tests are reported with the analysis."
                } else {
                    "Asymmetry tests were not run (leave_one_out = false)."
                },
            ),
        };
        write(self.spec, &f)
    }
}

fn add(spec: &AnalysisSpec, out: &mut Written, d: Drawn) -> Result<(), AnalysisError> {
    let (stem, caption) = (d.stem.as_str(), d.caption.as_str());
    let [svg, png, pdf] = figure_files(spec, stem, d.svg)?;
    if let Ok(text) = std::str::from_utf8(&svg.bytes) {
        out.warnings.extend(
            crate::plot::check::layout_problems(text)
                .into_iter()
                .map(|p| format!("{stem} figure: {p}")),
        );
    }
    out.markdown.push_str(&format!(
        "![{}]({}/{stem}.png)\n\n*{}* ([SVG]({}/{stem}.svg) · [PDF]({}/{stem}.pdf))\n\n",
        crate::export::escape_markdown(caption),
        spec.name,
        crate::export::escape_markdown(caption),
        spec.name,
        spec.name
    ));
    out.files.extend([svg, png, pdf]);
    Ok(())
}

/// Draws the figures and writes each as SVG, PNG and PDF.
pub(crate) fn write(spec: &AnalysisSpec, f: &PoolFigures<'_>) -> Result<Written, AnalysisError> {
    let mut out = Written {
        files: Vec::new(),
        markdown: String::new(),
        warnings: Vec::new(),
    };
    for d in draw(f) {
        add(spec, &mut out, d)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_of_all_patients_is_labelled_by_its_study_alone() {
        let mut f = Figure::example("bishop2017", 20.0, 50);
        assert_eq!(forest_label("Bishop 2017".into(), &f, 2), "Bishop 2017");
        f.group = "upfront CyberKnife SRS".into();
        assert_eq!(
            forest_label("Bishop 2017".into(), &f, 2),
            "Bishop 2017 · upfront CyberKnife SRS"
        );
    }

    #[test]
    fn the_group_is_named_only_where_it_tells_a_studys_rows_apart() {
        let mut f = Figure::example("stanford", 0.58, 7);
        f.group = "upfront CyberKnife SRS".into();
        assert_eq!(
            forest_label("Stanford cohort".into(), &f, 1),
            "Stanford cohort"
        );
        assert_eq!(
            forest_label("Stanford cohort".into(), &f, 2),
            "Stanford cohort · upfront CyberKnife SRS"
        );
    }
}
